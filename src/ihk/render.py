"""Rendering the Fortschreibung with jinja2 (the only module that imports it).

A register's own template is code written by someone else: it may be hostile or just
buggy. It runs in an immutable sandbox with StrictUndefined (no reaching into Python, no
silent empty strings) and within bounds:

- time: a wall-clock deadline, checked at every loop step, call, attribute lookup,
  operator, filter and piece of output;
- work and memory: every piece of text or collection the template makes (output, also
  into macro buffers; operators ``~ + * %``; filters and method calls) counts against one
  budget, and operations that multiply sizes (``"x" * n``, ``** n``, widths in format
  strings, ``center``/``indent``/``join``/``replace`` …) are checked *before* they run;
- ``range()`` yields at most ``Limits.range`` numbers; ``lipsum`` is not available;
- no ``include``/``import``/``extends``: a template stands alone.

Breaking a bound is reported as "Die Vorlage … bricht ab"; any other exception while the
template runs is the template author's mistake and is reported with the template's line.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ihk.errors import IhkError, InvalidInput
from ihk.markdown import cell, code, fold, text
from ihk.vocab import euro, monat_text

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

TEMPLATE_NAME = "fortschreibung.md.j2"
#: The template of every document for the council (HTML, and the PDF printed from it).
HTML_TEMPLATE = "dokument.html.j2"
_TEMPLATE_FILE = "<template>"  # the file name jinja gives code compiled from a string


@dataclasses.dataclass(frozen=True)
class Limits:
    """How far a template may go. Text sizes are in characters."""

    seconds: float = 10.0  # wall clock, plus 1 s per 2,000,000 characters of data
    output: int = 20_000_000  # text the template may produce, plus 8 x the size of its data
    value: int = 5_000_000  # largest single string or collection one operation may build
    range: int = 10_000  # numbers one range() may yield
    template: int = 1_000_000  # characters of template source
    int_bits: int = 100_000  # largest integer an operator may build


LIMITS = Limits()


# ------------------------------------------------------------------ HTML


def html_text(value: object) -> str:
    """User text for HTML: one line (as in Markdown), control characters shown as
    U+FFFD, every ``<&>"'`` escaped; returned as markup, so it is escaped only once."""
    from markupsafe import escape

    return escape(fold(value))


def html_code(value: object) -> str:
    """An id or path as ``<code>``, escaped."""
    from markupsafe import Markup, escape

    return Markup("<code>") + escape(fold(value)) + Markup("</code>")


# ------------------------------------------------------------------ choosing


def builtin_template(name: str = TEMPLATE_NAME) -> str:
    return resources.files("ihk").joinpath("templates", name).read_text(encoding="utf-8")


def choose_template(
    register_root: Path, explicit: Path | None, name: str = TEMPLATE_NAME
) -> tuple[str, str]:
    """(name for messages, template text): --template > register's templates/ > built-in.

    The register's template is part of the register and may come from anyone who can
    commit to it, so it must be a regular file in a real ``templates/`` folder: a
    symbolic link (which could copy any local file into the document) or a device,
    FIFO or folder is refused. A ``--template`` file is the user's own choice on the
    command line and is read wherever it points (links followed, also a pipe such as
    ``--template <(…)``), but must not be a folder.
    """
    if explicit is not None:
        return str(explicit), _read_explicit(explicit)
    folder = register_root / "templates"
    path = folder / name
    found = _read_register_template(folder, path)
    if found is None:
        return f"(eingebaut) {name}", builtin_template(name)
    return str(path), found


def _read_explicit(path: Path) -> str:
    try:
        if path.is_dir():
            raise InvalidInput(f"{path}: ist ein Ordner, keine Vorlage")
        with open(path, "rb") as f:
            data = f.read(LIMITS.template * 4 + 1)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: Vorlage nicht gefunden") from None
    except OSError as e:
        raise InvalidInput(f"{path}: Vorlage nicht lesbar ({e.strerror or e})") from None
    return _decode(path, data)


def _read_register_template(folder: Path, path: Path) -> str | None:
    """The register's own template, or None if it has none."""
    try:
        folder_mode = os.lstat(folder).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise InvalidInput(f"{folder}: nicht lesbar ({e.strerror or e})") from None
    if stat.S_ISLNK(folder_mode):
        raise InvalidInput(
            f"{folder}: ist ein symbolischer Link; die Vorlage eines Registers muss eine "
            f"gewöhnliche Datei in einem gewöhnlichen Ordner sein (eine Vorlage außerhalb "
            f"des Registers lässt sich mit --template DATEI wählen)"
        )
    if not stat.S_ISDIR(folder_mode):
        return None
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise InvalidInput(f"{path}: Vorlage nicht lesbar ({e.strerror or e})") from None
    if stat.S_ISLNK(mode):
        raise InvalidInput(
            f"{path}: die Vorlage ist ein symbolischer Link; im Register werden nur "
            f"gewöhnliche Dateien als Vorlage gelesen (eine Vorlage außerhalb des Registers "
            f"lässt sich mit --template DATEI wählen)"
        )
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{path}: die Vorlage ist keine gewöhnliche Datei")
    # Open without following a link and without blocking, then check again what was
    # opened: the file may have been swapped since lstat.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise InvalidInput(f"{path}: Vorlage nicht lesbar ({e.strerror or e})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise InvalidInput(f"{path}: die Vorlage ist keine gewöhnliche Datei")
        data = f.read(LIMITS.template * 4 + 1)
    return _decode(path, data)


def _decode(path: Path, data: bytes) -> str:
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput(f"{path}: Vorlage ist nicht in UTF-8 geschrieben ({e.reason})") from None
    if len(source) > LIMITS.template:
        raise InvalidInput(
            f"{path}: Vorlage ist zu groß (höchstens {_zahl(LIMITS.template)} Zeichen)"
        )
    return source


# ------------------------------------------------------------------ rendering


def render(
    template_text: str,
    name: str,
    data: Mapping[str, Any] | Any,
    limits: Limits = LIMITS,
    *,
    html: bool = False,
) -> str:
    """The document: ``template_text`` (called ``name`` in messages) filled with ``data``.

    ``data`` is what ``fortschreibung.build`` returns: a mapping, or a dataclass whose
    fields are the template's top-level names. With ``html`` the template writes HTML:
    every value is HTML-escaped unless a filter marks it as markup (autoescape), and the
    filters ``text``/``zelle``/``code`` make HTML instead of Markdown.
    """
    import jinja2

    context = _top_level(data)
    if len(template_text) > limits.template:
        raise InvalidInput(
            f"{name}: Vorlage ist zu groß (höchstens {_zahl(limits.template)} Zeichen)"
        )
    data_size = _data_size(context)
    budget = _Budget(limits, data_size)
    env = _bounded_environment(budget, html=html)
    budget.start()
    try:
        tree = env.parse(template_text)
        _check_self_contained(tree)
        _instrument(tree, env)
        template = env.from_string(tree)
        document = template.render(**context)
    except IhkError:
        raise
    except _Abort as e:
        line = _template_line(e)
        where = f" (Zeile {line})" if line else ""
        raise InvalidInput(f"Die Vorlage {name} bricht ab{where}: {e.reason}") from None
    except MemoryError:
        raise InvalidInput(f"Die Vorlage {name} bricht ab: nicht genug Speicher") from None
    except jinja2.TemplateSyntaxError as e:
        raise InvalidInput(
            f"{name}:{e.lineno}: Fehler in der Vorlage: {_jinja_message(e.message or str(e))}"
        ) from None
    except Exception as e:  # whatever else the template does wrong is its author's error
        line = _template_line(e)
        where = f"{name}:{line}" if line else name
        raise InvalidInput(f"{where}: Fehler in der Vorlage: {_explain(e)}") from None
    # HTML keeps its whitespace as the template made it (a <pre> would change otherwise)
    return document if html else tidy(document)


def _data_size(data: dict[str, Any]) -> int:
    """How much text the data holds (its JSON length): the scale of a legitimate document."""
    import json

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if isinstance(value, (set, frozenset, tuple)):
            return list(value)
        return str(value)

    return len(json.dumps(data, default=plain, ensure_ascii=False))


def _top_level(data: Mapping[str, Any] | Any) -> dict[str, Any]:
    if isinstance(data, Mapping):
        return dict(data)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    raise TypeError(f"Vorlagendaten: Mapping oder Dataclass erwartet, nicht {type(data)}")


def tidy(text: str) -> str:
    """Collapse the blank lines that left-out sections leave behind, keep lists tight."""
    raw = [line.rstrip() for line in text.splitlines()]
    # following[i]: the first non-blank line after raw[i] ("" if none), in one pass
    following = [""] * len(raw)
    upcoming = ""
    for i in range(len(raw) - 1, -1, -1):
        following[i] = upcoming
        if raw[i] != "":
            upcoming = raw[i]
    lines: list[str] = []
    for i, line in enumerate(raw):
        if line == "":
            if not lines or lines[-1] == "":
                continue
            if lines[-1].startswith("- ") and following[i].startswith("- "):
                continue
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ messages


def _zahl(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _detail(message: str, limit: int = 300) -> str:
    """An error text safe for one line of a message: folded, no control characters, short."""
    line = fold(message)
    return line if len(line) <= limit else line[: limit - 1] + "…"


_UNDEFINED_NAME = re.compile(r"^'([^']*)' is undefined$")
_NO_FILTER = re.compile(r"^No (filter|test) named '([^']*)'\.?")


def _jinja_message(message: str) -> str:
    if m := _NO_FILTER.match(message):
        kind = "Filter" if m.group(1) == "filter" else "Test"
        return f"unbekannter {kind} „{_detail(m.group(2), 80)}“"
    return _detail(message)


_NO_ATTRIBUTE = re.compile(r"^'?(.*?)'? has no attribute '([^']*)'$")


def _explain(e: Exception) -> str:
    """A German account of what went wrong in the template (Python's words kept as detail)."""
    import jinja2
    from jinja2.exceptions import SecurityError

    message = str(e)
    if isinstance(e, jinja2.UndefinedError):
        if m := _UNDEFINED_NAME.match(message):
            return f"unbekannter Name „{_detail(m.group(1), 80)}“"
        if m := _NO_ATTRIBUTE.match(message):
            return f"„{_detail(m.group(2), 80)}“ gibt es nicht (bei {_detail(m.group(1), 80)})"
        return f"unbekannter Wert ({_detail(message)})"
    if isinstance(e, SecurityError):
        return f"in der Sandbox nicht erlaubt ({_detail(message)})"
    if isinstance(e, RecursionError):
        return "zu tiefe Verschachtelung oder Rekursion (ruft sich ein Makro endlos selbst auf?)"
    if isinstance(e, ZeroDivisionError):
        return "Division durch null"
    if isinstance(e, TypeError) and "no loader" in message:
        return "include, import und extends sind nicht möglich: die Vorlage muss für sich stehen"
    if isinstance(e, TypeError):
        return f"Wert vom falschen Typ ({_detail(message)})"
    if isinstance(e, (ValueError, OverflowError)):
        return f"ungültiger Wert ({_detail(message)})"
    if isinstance(e, (KeyError, IndexError)):
        return f"Eintrag nicht vorhanden ({type(e).__name__}: {_detail(message)})"
    if isinstance(e, jinja2.TemplateError):
        return _jinja_message(message or type(e).__name__)
    return f"{type(e).__name__}: {_detail(message)}"


def _template_line(e: BaseException) -> int | None:
    """The template line the exception came from: its innermost template frame."""
    line = None
    for frame, lineno in traceback.walk_tb(e.__traceback__):
        if frame.f_code.co_filename == _TEMPLATE_FILE:
            line = lineno
        else:
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                line = template.get_corresponding_lineno(lineno)
    return line


# ------------------------------------------------------------------ the budget


class _Abort(Exception):
    """A template broke one of its bounds."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Budget:
    """Time and size left to one template run."""

    def __init__(self, limits: Limits, data_size: int) -> None:
        self.limits = limits
        self.seconds = limits.seconds + data_size / 2_000_000
        self.total = limits.output + 8 * data_size
        self.left = self.total
        self.value = limits.value
        self.deadline = float("inf")

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            seconds = f"{self.seconds:.1f}".replace(".", ",").removesuffix(",0")
            raise _Abort(f"Zeitlimit von {seconds} Sekunden überschritten")

    def allow(self, size: int, single: bool = True) -> None:
        """Refuse before making something of ``size`` (characters or items)."""
        if single and size > self.value:
            raise _Abort(
                f"ein einzelner Wert wäre größer als {_zahl(self.value)} Zeichen bzw. Elemente"
            )
        if size > self.left:
            raise _Abort(f"die Vorlage erzeugt mehr als {_zahl(self.total)} Zeichen")

    def spend(self, size: int, single: bool = True) -> None:
        self.allow(size, single)
        self.left -= size

    def spend_result(self, value: Any) -> Any:
        """Count what an operation made (a string or a new collection)."""
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
            self.spend(len(value))
        return value

    def number(self, value: Any) -> None:
        """Counts, widths and lengths given to Python functions."""
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.value:
            raise _Abort(f"Zahl {_gross(value)} ist als Anzahl oder Breite zu groß")

    def size(self, value: Any) -> int:
        """Upper estimate of ``len(str(value))``, stopping past what is still allowed."""
        if isinstance(value, str):
            return len(value)
        return _text_size(value, self.left + 1, self.tick)


def _gross(n: int) -> str:
    return _zahl(n) if n.bit_length() < 64 else f"mit {_zahl(n.bit_length())} Bit"


def _text_size(obj: Any, limit: int, tick: Callable[[], None] | None = None) -> int:
    """Upper estimate of ``len(str(obj))`` without building it; stops once past ``limit``."""
    total = 0
    stack: list[tuple[Any, bool]] = [(obj, False)]
    steps = 0
    while stack:
        x, nested = stack.pop()
        if isinstance(x, str):
            if not nested:
                total += len(x)
            elif x.isprintable():
                total += len(x) + x.count("\\") + 2
            else:  # repr escapes: at most \U0001f600 for one character
                total += 10 * len(x) + 2
        elif isinstance(x, (bytes, bytearray)):
            total += 4 * len(x) + 3
        elif isinstance(x, bool) or x is None:
            total += 5
        elif isinstance(x, int):
            total += x.bit_length() // 3 + 2
        elif isinstance(x, float):
            total += 24
        elif isinstance(x, dict):
            total += 4 * len(x) + 2
            stack.extend((k, True) for k in x)
            stack.extend((v, True) for v in x.values())
        elif isinstance(x, (list, tuple, set, frozenset)):
            total += 2 * len(x) + 2
            stack.extend((v, True) for v in x)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            total += len(type(x).__name__) + 2
            for f in dataclasses.fields(x):
                total += len(f.name) + 3
                stack.append((getattr(x, f.name), True))
        else:
            total += 32
            if type(x).__name__ == "Namespace" and type(x).__module__.startswith("jinja2"):
                stack.append((object.__getattribute__(x, "_Namespace__attrs"), True))
        if total > limit:
            return total
        steps += 1
        if tick is not None and steps % 4096 == 0:
            tick()
    return total


# ------------------------------------------------------------------ checks of operations

# printf-style conversion: flags, width, precision (numbers or *)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|[0-9]+)?(?:\.(\*|[0-9]+))?[hlL]?(.)")
_NUMBERS = re.compile(r"[0-9]+")


def _check_percent(budget: _Budget, fmt: str, args: Any) -> None:
    """``fmt % args`` (also the ``format`` filter): widths and the size of the result."""
    specs = 0
    widest = 0
    star = False
    for match in _PERCENT_SPEC.finditer(fmt):
        if match.group(3) == "%":
            continue
        specs += 1
        for number in match.group(1, 2):
            if number == "*":
                star = True
            elif number:
                widest = max(widest, _spec_number(budget, number))
    if isinstance(args, tuple):
        if star:  # widths taken from the arguments
            for arg in args:
                budget.number(arg)
        items = list(args)
    elif isinstance(args, Mapping):
        items = list(args.values())
    else:
        items = [args]
    largest = max((budget.size(a) for a in items), default=0)
    budget.allow(len(fmt) + specs * (largest + widest))


def _check_format_string(budget: _Budget, fmt: str, args: tuple[Any, ...], kwargs: Any) -> None:
    """``fmt.format(...)``: widths and precisions in the specs, and the size of the result."""
    from string import Formatter

    fields = 0
    widest = 0
    nested = False
    try:
        parsed = list(Formatter().parse(fmt))
    except ValueError:
        return  # str.format will say what is wrong
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        fields += 1
        nested = nested or "{" in (spec or "")
        for number in _NUMBERS.findall(spec or ""):
            widest = max(widest, _spec_number(budget, number))
    values = list(args) + list(kwargs.values() if isinstance(kwargs, Mapping) else [])
    if nested:  # widths taken from the arguments
        for value in values:
            budget.number(value)
    largest = max((budget.size(v) for v in values), default=0)
    budget.allow(len(fmt) + fields * (largest + widest))


def _spec_number(budget: _Budget, digits: str) -> int:
    """A width or precision written in a format string, refused if too large."""
    number = int(digits) if len(digits) < 30 else budget.value + 1
    budget.number(number)
    return number


def _materialize(budget: _Budget, value: Any) -> Any:
    """Lists stay lists; any other iterable (a generator from ``map``) becomes one."""
    if isinstance(value, (str, list, tuple, dict)) or not hasattr(value, "__iter__"):
        return value
    items = []
    for item in value:
        budget.tick()
        items.append(item)
        if len(items) > budget.value:
            budget.allow(len(items))
    return items


def _check_join(budget: _Budget, items: Any, sep: Any) -> None:
    if isinstance(items, str) or not isinstance(items, (list, tuple, dict)):
        size, count = budget.size(items), len(items) if isinstance(items, str) else 1
    else:
        size = sum(len(i) if type(i) is str else budget.size(i) for i in items)
        count = len(items)
    budget.allow(size + max(count - 1, 0) * budget.size(sep))


def _check_replace(budget: _Budget, s: Any, old: Any, new: Any, count: Any = None) -> None:
    budget.number(count)
    if not (isinstance(s, str) and isinstance(old, str) and isinstance(new, str)):
        return  # the filter converts with str(); the value was checked already
    found = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    budget.allow(len(s) + found * max(len(new) - len(old), 0))


def _check_str_method(
    budget: _Budget, receiver: str | bytes, name: str, args: tuple[Any, ...]
) -> tuple[Any, ...]:
    """Methods of str/bytes that can make something much larger than their input.

    Returns the arguments to call with (an iterable to join is made a list first).
    """
    if name == "join" and args:
        args = (_materialize(budget, args[0]), *args[1:])
        _check_join(budget, args[0], receiver)
    elif name == "replace" and len(args) >= 2:
        _check_replace(budget, receiver, args[0], args[1], args[2] if len(args) > 2 else None)
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        tabs = receiver.count("\t" if isinstance(receiver, str) else b"\t")  # type: ignore[arg-type]
        budget.allow(len(receiver) + tabs * max(size, 0))
    elif name == "translate" and args:
        table = args[0]
        values = table.values() if isinstance(table, Mapping) else table
        if not isinstance(values, (list, tuple, type({}.values()))):
            values = [table]
        longest = max((budget.size(v) for v in values), default=1)
        budget.allow(len(receiver) * max(longest, 1))
    return args


# The filters whose result is one of their inputs, a number, or a collection of existing
# values: no text is made, so their input is not sized. Every other filter turns its
# value into text and is checked like one.
_STRUCTURAL_FILTERS = frozenset(
    {
        "abs", "attr", "batch", "count", "d", "default", "dictsort", "filesizeformat",
        "first", "float", "groupby", "int", "items", "last", "length", "list", "map", "max",
        "min", "random", "reject", "rejectattr", "reverse", "round", "select", "selectattr",
        "slice", "sort", "sum", "unique",
    }
)  # fmt: skip
# How much longer than its input the text a filter makes may be (escapes, markup).
_GROWTH = {"urlencode": 9, "escape": 6, "e": 6, "forceescape": 6, "xmlattr": 6}
_GROWTH.update({"urlize": 8, "upper": 3, "lower": 3, "title": 3, "capitalize": 3, "pprint": 2})
_GROWTH.update({"text": 2, "zelle": 2})


def _guard_filter(budget: _Budget, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so it keeps to the budget (same signature and jinja pass-arg)."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # context etc.
    structural = name in _STRUCTURAL_FILTERS
    counts = not structural or name in ("batch", "slice")  # numbers are sizes or widths
    growth = _GROWTH.get(name, 1)
    check = _FILTER_CHECKS.get(name)

    @wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget.tick()
        if counts and (len(args) > skip + 1 or kwargs):
            for value in (*args[skip + 1 :], *kwargs.values()):
                budget.number(value)
        if not structural and len(args) > skip:
            if name == "join":
                args = (*args[:skip], _materialize(budget, args[skip]), *args[skip + 1 :])
            value = args[skip]
            if check is not _filter_join:
                budget.allow((len(value) if type(value) is str else budget.size(value)) * growth)
            if check is not None:
                check(budget, args[skip:], kwargs)
        return budget.spend_result(func(*args, **kwargs))

    return guarded


def _arg(args: tuple[Any, ...], kwargs: Any, i: int, key: str, default: Any = None) -> Any:
    return args[i] if len(args) > i else kwargs.get(key, default)


def _filter_join(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    _check_join(budget, args[0], _arg(args, kwargs, 1, "d", ""))


def _filter_replace(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    old, new = _arg(args, kwargs, 1, "old"), _arg(args, kwargs, 2, "new")
    _check_replace(budget, str(args[0]), old, new, _arg(args, kwargs, 3, "count"))


def _filter_format(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    _check_percent(budget, str(args[0]), kwargs or tuple(args[1:]))


def _filter_indent(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    width = _arg(args, kwargs, 1, "width", 4)
    per_line = budget.size(width) if isinstance(width, str) else int(width or 0)
    budget.allow(budget.size(args[0]) * (1 + per_line))


def _filter_inserts(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    """Filters that may insert their string arguments per line or per link."""
    inserted = sum(budget.size(a) for a in (*args[1:], *kwargs.values()) if isinstance(a, str))
    budget.allow(budget.size(args[0]) * (1 + inserted))


def _filter_tojson(budget: _Budget, args: tuple[Any, ...], kwargs: Any) -> None:
    indent = _arg(args, kwargs, 1, "indent")
    budget.allow(budget.size(args[0]) * (6 + (indent if isinstance(indent, int) else 0)))


_FILTER_CHECKS: dict[str, Callable[[_Budget, tuple[Any, ...], Any], None]] = {
    "join": _filter_join,
    "replace": _filter_replace,
    "format": _filter_format,
    "indent": _filter_indent,
    "truncate": _filter_inserts,
    "wordwrap": _filter_inserts,
    "urlize": _filter_inserts,
    "tojson": _filter_tojson,
}


def _guard_test(budget: _Budget, func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget.tick()
        return func(*args, **kwargs)

    return guarded


def _bounded_range(budget: _Budget) -> Callable[..., range]:
    def bounded(*args: Any) -> range:
        budget.tick()
        numbers = range(*args)
        try:
            count = len(numbers)
        except OverflowError:  # more than sys.maxsize
            count = -1
        if count < 0 or count > budget.limits.range:
            asked = f" (verlangt: {_zahl(count)})" if count > 0 else ""
            raise _Abort(f"range() liefert höchstens {_zahl(budget.limits.range)} Zahlen{asked}")
        return numbers

    return bounded


# ------------------------------------------------------------------ the environment


def _bounded_environment(budget: _Budget, *, html: bool = False) -> jinja2.Environment:
    import jinja2
    from jinja2.runtime import Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"+", "*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            budget.tick()
            _check_binop(budget, operator, left, right)
            result = super().call_binop(context, operator, left, right)
            if isinstance(left, (str, bytes, list, tuple)) or isinstance(
                right, (str, bytes, list, tuple)
            ):
                budget.spend_result(result)
            return result

        def getattr(self, obj: Any, attribute: str) -> Any:
            budget.tick()
            value = super().getattr(obj, attribute)
            if attribute in _FORMAT_METHODS and isinstance(obj, str):
                return _checked_format(budget, obj, attribute, value)
            return value

        def getitem(self, obj: Any, argument: Any) -> Any:
            budget.tick()
            value = super().getitem(obj, argument)
            if isinstance(argument, slice):
                return budget.spend_result(value)
            if isinstance(argument, str) and argument in _FORMAT_METHODS and isinstance(obj, str):
                return _checked_format(budget, obj, argument, value)
            return value

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            budget.tick()
            receiver = getattr(__obj, "__self__", None)
            if isinstance(receiver, (str, bytes, int)) and not isinstance(receiver, bool):
                # methods like center, zfill, expandtabs, to_bytes take sizes
                for value in (*args, *kwargs.values()):
                    budget.number(value)
                if isinstance(receiver, (str, bytes)):
                    name = getattr(__obj, "__name__", "")
                    args = _check_str_method(budget, receiver, name, args)
            result = super().call(__context, __obj, *args, **kwargs)
            return result if isinstance(__obj, Macro) else budget.spend_result(result)

    env = Bounded(
        undefined=jinja2.StrictUndefined,
        # Markdown: user text goes through `text`/`zelle`/`code`; HTML: every value is
        # escaped unless it is markup already
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if html:
        env.filters.update({"text": html_text, "zelle": html_text, "code": html_code})
    else:
        env.filters.update({"text": text, "zelle": cell, "code": code})
    env.filters.update({"monat": monat_text, "euro": euro})
    for name, func in list(env.filters.items()):
        env.filters[name] = _guard_filter(budget, name, func)
    for name, test in list(env.tests.items()):
        env.tests[name] = _guard_test(budget, cast(Callable[..., Any], test))
    env.filters.update(_instruments(budget, html=html))
    env.globals["range"] = _bounded_range(budget)
    env.globals.pop("lipsum", None)
    return env


def _check_binop(budget: _Budget, operator: str, left: Any, right: Any) -> None:
    def is_int(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    sequences = (str, bytes, list, tuple)
    if operator == "*":
        if isinstance(left, sequences) and is_int(right):
            budget.allow(len(left) * max(right, 0))
        elif isinstance(right, sequences) and is_int(left):
            budget.allow(len(right) * max(left, 0))
        elif (
            is_int(left)
            and is_int(right)
            and (left.bit_length() + right.bit_length() > budget.limits.int_bits)
        ):
            raise _Abort(f"Zahl zu groß (mehr als {_zahl(budget.limits.int_bits)} Bit)")
    elif operator == "**":
        if (
            is_int(left)
            and is_int(right)
            and right > 0
            and right * abs(left).bit_length() > budget.limits.int_bits
            and abs(left) > 1
        ):
            raise _Abort(f"Zahl zu groß (mehr als {_zahl(budget.limits.int_bits)} Bit)")
    elif operator == "+":
        if isinstance(left, sequences) and isinstance(right, sequences):
            budget.allow(len(left) + len(right))
    elif operator == "%" and isinstance(left, (str, bytes)):
        _check_percent(budget, left if isinstance(left, str) else left.decode("latin-1"), right)


_FORMAT_METHODS = frozenset({"format", "format_map"})


def _checked_format(budget: _Budget, obj: str, name: str, value: Any) -> Any:
    """``str.format``/``format_map`` as returned by the sandbox, checked before it runs."""
    if not callable(value):
        return value

    @wraps(value)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if name == "format_map":
            _check_format_string(budget, obj, (), args[0] if args else {})
        else:
            _check_format_string(budget, obj, args, kwargs)
        return value(*args, **kwargs)

    return checked


# ------------------------------------------------------------------ instrumenting the template

_OUTPUT = "_ihk_ausgabe"
_LOOP = "_ihk_schleife"
_CONCAT = "_ihk_verketten"


def _instruments(budget: _Budget, *, html: bool = False) -> dict[str, Callable[..., Any]]:
    """The filters ``_instrument`` puts into a template (they take the context so that
    jinja never runs them at compile time). With ``html`` (autoescape) output is escaped
    here, where it is counted, and ``~`` joins like jinja's own: markup stays markup,
    text next to it is escaped."""
    from jinja2 import pass_context
    from markupsafe import Markup, escape

    @pass_context
    def output(_context: Any, value: Any) -> str:
        budget.tick()
        if isinstance(value, str):
            piece = value
        else:
            budget.allow(budget.size(value), single=False)
            piece = str(value) if not html or not hasattr(value, "__html__") else value
        if html:
            budget.allow(len(piece) * 6, single=False)  # escaping: at most &quot; per char
            piece = escape(piece)
        budget.spend(len(piece), single=False)
        return piece

    @pass_context
    def loop(_context: Any, iterable: Any) -> Any:
        budget.tick()
        return _Steps(iterable, budget)

    @pass_context
    def concat(_context: Any, values: list[Any]) -> str:
        budget.tick()
        budget.allow(sum(budget.size(v) for v in values))
        if html and any(hasattr(v, "__html__") for v in values):
            budget.allow(sum(budget.size(v) for v in values) * 6)
            joined: str = Markup("").join(values)
        else:
            joined = "".join(str(v) for v in values)
        budget.spend(len(joined))
        return joined

    return {_OUTPUT: output, _LOOP: loop, _CONCAT: concat}


class _Steps:
    """A loop's iterable that checks the clock at every step (length kept for ``loop``)."""

    def __init__(self, iterable: Any, budget: _Budget) -> None:
        self.iterable, self.budget = iterable, budget

    def __iter__(self) -> Iterator[Any]:
        tick = self.budget.tick
        for item in self.iterable:
            tick()
            yield item

    def __len__(self) -> int:
        return len(self.iterable)


def _check_self_contained(tree: nodes.Template) -> None:
    from jinja2 import TemplateSyntaxError, nodes

    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        raise TemplateSyntaxError(
            "include, import und extends sind nicht möglich: die Vorlage muss für sich stehen",
            node.lineno,
        )


def _instrument(tree: nodes.Template, env: jinja2.Environment) -> None:
    """Route every piece of output, every loop and every ``~`` through the budget."""
    from jinja2 import nodes
    from jinja2.visitor import NodeTransformer

    def wrap(name: str, node: nodes.Expr, lineno: int) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=lineno)

    def literal(child: nodes.TemplateData) -> nodes.Expr:
        # the template's own text: markup when the template writes HTML
        const = nodes.Const(child.data, lineno=child.lineno)
        return nodes.MarkSafeIfAutoescape(const, lineno=child.lineno)

    class Instrument(NodeTransformer):
        def visit_Output(self, node: nodes.Output) -> nodes.Node:
            self.generic_visit(node)
            node.nodes = [
                wrap(
                    _OUTPUT,
                    literal(child) if isinstance(child, nodes.TemplateData) else child,
                    child.lineno,
                )
                for child in node.nodes
            ]
            return node

        def visit_For(self, node: nodes.For) -> nodes.Node:
            self.generic_visit(node)
            node.iter = wrap(_LOOP, cast("nodes.Expr", node.iter), node.lineno)
            return node

        def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
            self.generic_visit(node)
            return wrap(_CONCAT, nodes.List(list(node.nodes), lineno=node.lineno), node.lineno)

    Instrument().visit(tree)
    tree.set_environment(env)
