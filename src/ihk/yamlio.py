"""YAML in and out; the only module that imports a YAML library.

Reading (``parse``) composes the document with libyaml (PyYAML's C parser: about three
times faster than ruamel's C loader) into a node tree that carries line/column marks,
then builds plain Python values with YAML 1.2 *core* semantics ourselves — only
``true``/``false`` are booleans, ``no``/``ja`` stay text — and records the position of
every key and value.

One file has one meaning. The reader refuses what the two libraries could read
differently, each as a German problem at its position: explicit tags (``!!str 1000``),
``%YAML``/``%TAG`` directives, tabs between the parts of a line, keys that are not text,
control and text-direction characters, numbers too long to convert, nesting deeper than
``MAX_DEPTH`` and files larger than ``MAX_FILE_BYTES``. Editing (``Editor``) uses
ruamel's round-trip mode with the reader's own resolver, so both read every accepted
file alike; the editor checks that on every file it opens.

Cheap checks run first over the whole text (one compiled ``search`` each); per-scalar
checks run only when one of them hits, so the common file pays next to nothing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from typing import Any

from ihk.errors import InvalidInput, Location, Problem

Path = tuple[str | int, ...]

#: Larger record files are refused before any parsing (a register file is a few KB).
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of lists and mappings (a register needs fewer than ten levels).
MAX_DEPTH = 50
#: Longest number a plain scalar may spell (Python refuses > 4,300 digits for ``int``).
MAX_NUMBER_CHARS = 100

_CONFLICT_RE = re.compile(r"(?:\A|(?<=[\r\n]))(<{7}|={7}|>{7})(?= |\r|\n|\Z)")
#: Characters refused anywhere in a file: C0 controls but TAB, LF and CR, DEL, C1
#: controls (including NEL), line/paragraph separators, text-direction overrides and
#: isolates, a byte-order mark after the start, non-characters and lone surrogates.
_RAW_BAD_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
#: Characters refused in any key or value (after escapes): the same, but CR as well;
#: TAB and LF are text.
_VALUE_BAD_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
#: A double-quoted escape that can produce one of them.
_ESCAPE_RE = re.compile(r"\\[0abvfreNLPxuU]")
#: A line that may be a directive (confirmed from the event stream).
_DIRECTIVE_RE = re.compile(r"(?:\A|(?<=[\r\n]))%")
#: A bare ``!`` (the non-specific tag) where a node may start (confirmed from events).
_BARE_TAG_RE = re.compile(r"(?:^|[\s\[{,:?])!(?:[\s\]},]|$)", re.MULTILINE)
_BREAK_RE = re.compile(r"\r\n?|\n")

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER_STARTS = frozenset("-+.0123456789")
_NUMBER_RE = re.compile(  # ASCII digits only (``int()`` and ``float()`` take any digits)
    r"(?P<int>[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
)

_TEXT_STARTS = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZäöüÄÖÜß„\"'(«")


class NumberTooLong(InvalidInput):
    """A plain scalar spells a number longer than ``MAX_NUMBER_CHARS``."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"Zahl mit zu vielen Stellen ({len(text)} Zeichen; höchstens {MAX_NUMBER_CHARS}); "
            "als Text bitte in Anführungszeichen setzen"
        )


def plain_kind(text: str) -> str:
    """What a plain scalar is under the YAML 1.2 core schema: str, int, float, bool, null."""
    if text in _NULL:
        return "null"
    if text in _BOOL:
        return "bool"
    if text[0] in _NUMBER_STARTS:
        number = _NUMBER_RE.fullmatch(text)
        if number:
            return number.lastgroup or "str"
    return "str"


def resolve_plain(text: str) -> Any:
    """Value of a plain (unquoted) scalar under the YAML 1.2 core schema.

    Raises ``NumberTooLong`` (an ``InvalidInput``) for a number of more than
    ``MAX_NUMBER_CHARS`` characters.
    """
    if text and text[0] in _TEXT_STARTS:  # fast path: most values are words
        return text
    if text.isdigit() and text.isascii():  # fast path: amounts and years
        if len(text) > MAX_NUMBER_CHARS:
            raise NumberTooLong(text)
        return int(text)
    kind = plain_kind(text)
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOL[text]
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLong(text)
    if kind == "int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if text[-1] in "nNfF":  # .nan, .inf, -.Inf, ...
        if text[-2] in "aA":
            return math.nan
        return -math.inf if text.startswith("-") else math.inf
    return float(text)


class Document:
    """A parsed file: its data, and where each key and value stands (1-based).

    The positions are found when first asked for, by composing the text once more:
    most files never need one (only a problem does), and recording every position
    costs about a third of a parse and most of its memory. ``source`` is the text, or
    a function that gives it (a file the cache knows was not read up front).
    """

    __slots__ = ("_keys", "_source", "_values", "data")

    def __init__(
        self,
        data: Any,
        source: str | Callable[[], str] | None = None,
        keys: dict[Path, tuple[int, int]] | None = None,
        values: dict[Path, tuple[int, int]] | None = None,
    ) -> None:
        self.data = data
        self._source = source
        self._keys = keys
        self._values = values

    @property
    def keys(self) -> dict[Path, tuple[int, int]]:
        if self._keys is None:
            self._locate()
        assert self._keys is not None
        return self._keys

    @property
    def values(self) -> dict[Path, tuple[int, int]]:
        if self._values is None:
            self._locate()
        assert self._values is not None
        return self._values

    def _locate(self) -> None:
        source, self._source = self._source, None
        text = source() if callable(source) else source
        self._keys, self._values = _positions(text.removeprefix("\ufeff") if text else "")

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the key (or value) at ``path``, else of its nearest ancestor."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path) - 1, -1, -1):
            prefix = path[:cut]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file as it is, a leading BOM included (``parse`` skips it, the
    ``Editor`` keeps it); anything else is a problem at the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblems([_too_large(path, len(data))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8").removeprefix("\ufeff")
        raise YamlProblems(
            [
                Problem(
                    Location(path, *_line_col(before, len(before))),
                    f"Die Datei ist nicht UTF-8-kodiert (Byte 0x{data[e.start]:02X}); "
                    "bitte als UTF-8 speichern",
                )
            ]
        ) from None


def too_large(size: int) -> str:
    """The German message for a file of ``size`` bytes over ``MAX_FILE_BYTES``."""
    limit = MAX_FILE_BYTES / 1_000_000
    shown = f"{size / 1_000_000:.1f}"
    if float(shown) <= limit:  # 1,000,001 bytes is not "1.0 MB"
        shown = f"{size / 1_000_000:.6f}".rstrip("0")
    return f"Datei ist zu groß ({shown.replace('.', ',')} MB; höchstens {limit:g} MB)"


def _too_large(path: str, size: int) -> Problem:
    return Problem(Location(path, 1, 1), too_large(size))


def _size_problem(text: str, path: str) -> Problem | None:
    """Size of ``text`` in UTF-8 over the limit; encodes only when it could be."""
    if len(text) <= MAX_FILE_BYTES // 4:
        return None
    size = len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "replace"))
    return _too_large(path, size) if size > MAX_FILE_BYTES else None


def parse(text: str, path: str) -> Document:
    """Parse one YAML document into plain values, or raise YamlProblems (each problem at
    its position). The document finds the positions of its keys and values when first
    asked for them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    too_large = _size_problem(text, path)
    if too_large:
        raise YamlProblems([too_large])
    has_marks = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    conflict = _CONFLICT_RE.search(text) if has_marks else None
    if conflict:
        raise YamlProblems(
            [
                Problem(
                    Location(path, *_line_col(text, conflict.start())),
                    f"ungelöster git-Konflikt (Konfliktmarke „{conflict.group(1)}“); "
                    "bitte den Konflikt auflösen",
                )
            ]
        )
    if _RAW_BAD_RE.search(text):
        raise YamlProblems(_raw_character_problems(text, path))
    import yaml

    loader_cls = _loader()
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as e:
        raise YamlProblems([_syntax_problem(e, text, path)]) from None
    except RecursionError:  # pragma: no cover - only PyYAML's pure-Python parser recurses
        message = f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)"
        raise YamlProblems([Problem(Location(path, 1, 1), message)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - the checks above pre-empt reader errors
        position = getattr(e, "position", None)
        line, col = _line_col(text, position) if isinstance(position, int) else (1, 1)
        raise YamlProblems([Problem(Location(path, line, col), "unlesbares YAML")]) from None
    if node is None:
        raise YamlProblems([Problem(Location(path, 1, 1), "Die Datei ist leer")])
    builder = _Builder(
        path, text, controls="\\" in text and bool(_ESCAPE_RE.search(text)), spans="\t" in text
    )
    doc = Document(builder.build(node, (), 1), text)
    problems = builder.problems
    if builder.spans is not None:
        problems.extend(_tab_problems(text, path, builder.spans))
    if (
        builder.alias
        or (text.startswith("%") or "\n%" in text or "\r%" in text)
        or ("!" in text and _BARE_TAG_RE.search(text))
    ):
        problems.extend(_event_problems(text, path, loader_cls))
    if problems:
        raise YamlProblems(problems)
    return doc


# Tags our resolver gives untagged nodes. They contain spaces, so no explicit tag (even
# a verbatim ``!<…>``) can spell them; any other tag on a node was written in the file.
_SCALAR = "ihk plain scalar"
_SEQ = "ihk plain sequence"
_MAP = "ihk plain mapping"
_TAGS = {"scalar": _SCALAR, "sequence": _SEQ, "mapping": _MAP}
_LOADER: Any = None


def _loader() -> Any:
    """libyaml's parser and composer without PyYAML's YAML 1.1 tag resolver.

    The resolver would be called back in Python for every scalar (a third of the
    parse time) only to guess YAML 1.1 types that ``resolve_plain`` replaces anyway.
    """
    global _LOADER
    if _LOADER is None:
        try:
            from yaml.cyaml import CParser  # type: ignore[attr-defined]

            _LOADER = _loader_on(CParser)
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            import yaml

            _LOADER = _loader_on(yaml.SafeLoader)
    return _LOADER


def _loader_on(base: Any) -> Any:
    class _Loader(base):  # type: ignore[misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return _TAGS[kind.id]

        def descend_resolver(self, parent: Any, index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return _Loader


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting CRLF, CR and LF as breaks."""
    line, start = 1, 0
    for match in _BREAK_RE.finditer(text, 0, index):
        line += 1
        start = match.end()
    return line, index - start + 1


_CHAR_NAMES = {
    "\x00": "Nullzeichen",
    "\x1b": "Escape",
    "\r": "Wagenrücklauf",
    "\x85": "Zeilenumbruch NEL",
    "\u2028": "Zeilentrenner",
    "\u2029": "Absatztrenner",
    "\ufeff": "Byte-Order-Mark",
}


def _describe_char(char: str) -> str:
    code = ord(char)
    name = _CHAR_NAMES.get(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        name = "Textrichtung"
    kind = "Zeichen" if char in "\u2028\u2029\ufeff" or code >= 0xD800 else "Steuerzeichen"
    return f"{kind} U+{code:04X}" + (f" ({name})" if name else "")


def _raw_character_problems(text: str, path: str) -> list[Problem]:
    problems: list[Problem] = []
    lines: set[int] = set()
    for match in _RAW_BAD_RE.finditer(text):
        line, col = _line_col(text, match.start())
        if line in lines:
            continue  # one per line is enough to find them
        lines.add(line)
        problems.append(
            Problem(
                Location(path, line, col),
                f"{_describe_char(match.group())} in der Datei ist nicht erlaubt; bitte entfernen",
            )
        )
        if len(problems) == 20:
            break
    return problems


def _tab_problems(text: str, path: str, spans: list[tuple[int, int, bool]]) -> list[Problem]:
    """Tabs outside quoted and block scalars and comments.

    libyaml takes such a tab for a space; ruamel stops at it (even inside plain text),
    so the editor could not open the file.
    """
    spans.sort()
    starts = [span[0] for span in spans]

    def scalar_at(index: int) -> tuple[int, int, bool] | None:
        i = bisect_right(starts, index) - 1
        return spans[i] if i >= 0 and index < spans[i][1] else None

    problems: list[Problem] = []
    lines: set[int] = set()
    index = text.find("\t")
    while index >= 0:
        scalar = scalar_at(index)
        line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
        before = text[line_start:index]
        in_comment = scalar is None and any(
            before[i] == "#"
            and (i == 0 or before[i - 1] in " \t")
            and scalar_at(line_start + i) is None
            for i in range(len(before))
        )
        if not in_comment and (scalar is None or scalar[2]):
            line, col = _line_col(text, index)
            if line not in lines:
                lines.add(line)
                if not before.strip(" \t"):
                    message = "Tabulator in der Einrückung; YAML erlaubt nur Leerzeichen"
                elif scalar is not None:
                    message = (
                        "Tabulator in einem Text ohne Anführungszeichen; bitte Leerzeichen "
                        "verwenden oder den Text in Anführungszeichen setzen"
                    )
                else:
                    message = (
                        "Tabulator an dieser Stelle nicht erlaubt; bitte ein Leerzeichen verwenden"
                    )
                problems.append(Problem(Location(path, line, col), message))
        index = text.find("\t", index + 1)
    return problems


def _event_problems(text: str, path: str, loader_cls: Any) -> list[Problem]:
    """Directives, bare ``!`` tags and the first alias, found in the event stream.

    The composed tree no longer shows any of them: directives live on the document
    start, ``!`` is resolved away, and an alias is the very node of its anchor.
    """
    import yaml

    problems: list[Problem] = []
    alias_seen = False
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.DocumentStartEvent):
            if event.version or event.tags:
                start = event.start_mark.index if event.start_mark is not None else len(text)
                match = _DIRECTIVE_RE.search(text, 0, start + 1)
                index = match.start() if match else 0
                end = min(
                    i for i in (text.find("\n", index), text.find("\r", index), len(text)) if i >= 0
                )
                directive = text[index:end].split("#")[0].strip()
                line, col = _line_col(text, index)
                problems.append(
                    Problem(
                        Location(path, line, col),
                        f"YAML-Direktive „{directive}“ wird nicht unterstützt; bitte die Zeile "
                        "(und ein folgendes „---“, falls nicht mehr nötig) entfernen",
                    )
                )
        elif isinstance(event, yaml.AliasEvent):
            if not alias_seen and event.start_mark is not None:
                alias_seen = True
                mark = event.start_mark
                problems.append(
                    Problem(
                        Location(path, mark.line + 1, mark.column + 1),
                        "YAML-Aliase (*name) werden nicht unterstützt",
                    )
                )
        elif getattr(event, "tag", None) == "!" and event.start_mark is not None:
            problems.append(_tag_problem(text, path, event.start_mark, "!"))
    return problems


def _shown_tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag[18:]
    if tag.startswith("!"):
        return tag
    return f"!<{tag}>"


def _tag_problem(text: str, path: str, mark: Any, tag: str) -> Problem:
    # A node's mark is where its properties start; an anchor may come before the tag.
    index = mark.index
    bang = text.find("!", index, index + 1 + len(text[index:].partition("\n")[0]))
    line, col = _line_col(text, bang) if bang >= 0 else (mark.line + 1, mark.column + 1)
    return Problem(
        Location(path, line, col),
        f"YAML-Tag „{_shown_tag(tag)}“ wird nicht unterstützt; bitte entfernen "
        "(Text, der mit „!“ beginnt, in Anführungszeichen setzen)",
    )


def _syntax_problem(e: Any, text: str, path: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    if e.context_mark is not None and "end of stream" in str(e.problem):
        mark = e.context_mark  # an unclosed quote: point at where it opened
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        line_start = max(text.rfind("\n", 0, mark.index), text.rfind("\r", 0, mark.index)) + 1
        if text[line_start : mark.index].strip(" \t"):  # (else: indentation, below)
            return Problem(
                Location(path, line, col),
                "Tabulator an dieser Stelle nicht erlaubt; bitte ein Leerzeichen verwenden",
            )
    # A tab in the indentation is the classic cause; say so, at the tab.
    lines = _BREAK_RE.split(text)
    for no in (line - 1, line):
        content = lines[no - 1] if 0 < no <= len(lines) else ""
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                Location(path, no, indent.index("\t") + 1),
                "Tabulator in der Einrückung; YAML erlaubt nur Leerzeichen",
            )
    problem = str(e.problem or "").strip()
    context = str(e.context or "").strip()
    if mark is not None and problem.startswith(
        ("did not find expected key", "did not find expected '-'")
    ):
        line_start = max(text.rfind("\n", 0, mark.index), text.rfind("\r", 0, mark.index)) + 1
        if text[line_start : mark.index].rstrip(" ").endswith(('"', "'")):  # "Tafel" Belm
            return Problem(
                Location(path, line, col),
                "YAML-Syntaxfehler: nach dem Text in Anführungszeichen darf in dieser Zeile "
                "nur noch ein Kommentar („# …“) stehen",
            )
    return Problem(
        Location(path, line, col), f"YAML-Syntaxfehler: {_german_yaml(problem, context)}"
    )


_DIRECTIVES = "YAML-Direktiven (Zeilen, die mit „%“ beginnen) werden nicht unterstützt"
_TAGS_UNSUPPORTED = (
    "YAML-Tags („!…“) werden nicht unterstützt (Text, der mit „!“ beginnt, "
    "bitte in Anführungszeichen setzen)"
)
_ANCHORS = (
    "Name nach „&“ oder „*“ erwartet; YAML-Anker und -Aliase werden nicht unterstützt "
    "(Text, der mit „&“ oder „*“ beginnt, bitte in Anführungszeichen setzen)"
)

#: libyaml's messages (by how they start) in German; the context decides first.
_YAML_CONTEXTS = {
    "while scanning a directive": _DIRECTIVES,
    "while scanning a %YAML directive": _DIRECTIVES,
    "while scanning a %TAG directive": _DIRECTIVES,
    "while parsing a %TAG directive": _DIRECTIVES,
    "while parsing a tag directive": _DIRECTIVES,
    "while scanning a tag directive": _DIRECTIVES,
    "while scanning a tag": _TAGS_UNSUPPORTED,
    "while parsing a tag": _TAGS_UNSUPPORTED,
    "while scanning an anchor": _ANCHORS,
    "while scanning an alias": _ANCHORS,
}
_YAML_MESSAGES = {
    "mapping values are not allowed": "„:“ an dieser Stelle nicht erlaubt "
    "(Text mit Doppelpunkt bitte in Anführungszeichen setzen)",
    "could not find expected ':'": "„:“ nach dem Schlüssel erwartet",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen nicht geschlossen?)",
    "did not find expected key": "Schlüssel erwartet (Einrückung prüfen)",
    "did not find expected '-' indicator": "Listeneintrag „- “ erwartet (Einrückung prüfen)",
    "found undefined alias": "YAML-Aliase (*name) werden nicht unterstützt "
    "(Text, der mit „*“ beginnt, bitte in Anführungszeichen setzen)",
    "but found another document": "mehrere Dokumente in einer Datei",
    "expected a single document": "mehrere Dokumente in einer Datei",
    "found character that cannot start any token": "Zeichen, mit dem kein YAML-Wert beginnen kann "
    "(Text bitte in Anführungszeichen setzen)",
    "did not find expected node content": "Wert erwartet",
    "did not find expected ',' or ']'": "„,“ oder „]“ erwartet (Liste in eckigen Klammern)",
    "did not find expected ',' or '}'": "„,“ oder „}“ erwartet (Zuordnung in geschweiften Klammern)",
    "found a tab character": "Tabulator an dieser Stelle nicht erlaubt",
    "exceeded maximum nesting depth": f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)",
    "did not find expected comment or line break": "nach dem Wert darf in dieser Zeile nur noch "
    "ein Kommentar („# …“) stehen",
    "found unexpected ':'": "„:“ an dieser Stelle nicht erlaubt "
    "(Text mit Doppelpunkt bitte in Anführungszeichen setzen)",
    "found unknown escape character": "unbekannte Escape-Sequenz „\\…“ in doppelten "
    "Anführungszeichen (einen Backslash als „\\\\“ schreiben oder einfache Anführungszeichen "
    "verwenden)",
    "found invalid Unicode character escape code": "ungültige Escape-Sequenz für ein "
    "Unicode-Zeichen („\\u…“)",
    "did not find expected hexdecimal number": "Escape-Sequenz „\\x“, „\\u“ oder „\\U“ "
    "ohne gültige Hexadezimalziffern",
    "found unexpected document indicator": "„---“ oder „...“ am Zeilenanfang mitten in einem "
    "Text (bitte einrücken)",
    "did not find expected <document start>": "unerwarteter Inhalt nach dem Ende der Daten "
    "(Einrückung der ersten Zeilen prüfen; nach „...“ darf nichts mehr folgen)",
    "found incompatible YAML document": _DIRECTIVES,
    "found duplicate %YAML directive": _DIRECTIVES,
    "found duplicate %TAG directive": _DIRECTIVES,
    "duplicate %TAG directive": _DIRECTIVES,
    "found unknown directive name": _DIRECTIVES,
    "found undefined tag handle": _TAGS_UNSUPPORTED,
    "block sequence entries are not allowed": "Listeneintrag „- “ an dieser Stelle nicht "
    "erlaubt (Einrückung prüfen)",
    "mapping keys are not allowed": "„?“ an dieser Stelle nicht erlaubt "
    "(Text, der mit „?“ beginnt, bitte in Anführungszeichen setzen)",
    "found an indentation indicator equal to 0": "Einrückungsangabe 0 nach „|“ oder „>“ ist "
    "nicht erlaubt (1–9)",
    "control characters are not allowed": "Steuerzeichen in der Datei sind nicht erlaubt",
    # PyYAML's pure-Python parser (without libyaml) says some things differently:
    "expected <block end>": "Schlüssel oder Listeneintrag erwartet (Einrückung prüfen)",
    "expected the node content": "Wert erwartet",
    "expected a comment or a line break": "nach dem Wert darf in dieser Zeile nur noch "
    "ein Kommentar („# …“) stehen",
    "found character": "Zeichen, mit dem kein YAML-Wert beginnen kann "
    "(Text bitte in Anführungszeichen setzen)",
    "expected ',' or ']'": "„,“ oder „]“ erwartet (Liste in eckigen Klammern)",
    "expected ',' or '}'": "„,“ oder „}“ erwartet (Zuordnung in geschweiften Klammern)",
    "expected '<document start>'": "unerwarteter Inhalt nach dem Ende der Daten "
    "(Einrückung der ersten Zeilen prüfen; nach „...“ darf nichts mehr folgen)",
    "expected escape sequence": "Escape-Sequenz „\\x“, „\\u“ oder „\\U“ "
    "ohne gültige Hexadezimalziffern",
    "sequence entries are not allowed": "Listeneintrag „- “ an dieser Stelle nicht "
    "erlaubt (Einrückung prüfen)",
    "expected indentation indicator": "Einrückungsangabe 0 nach „|“ oder „>“ ist "
    "nicht erlaubt (1–9)",
    "invalid Unicode character": "ungültiges Zeichen in der Datei",
}


def _german_yaml(problem: str, context: str = "") -> str:
    for english, german in _YAML_CONTEXTS.items():
        if context.startswith(english):
            return german
    if "block scalar" in context:
        return "nach „|“ oder „>“ darf in dieser Zeile nur ein Kommentar stehen"
    if context.startswith("found duplicate anchor"):
        return "YAML-Anker (&name) doppelt; Anker und Aliase werden nicht unterstützt"
    for english, german in _YAML_MESSAGES.items():
        if problem.startswith(english):
            return german
    return "unlesbares YAML an dieser Stelle"


#: Characters a one-letter escape gives ("\P" in "C:\Programme"): they get a hint.
_ONE_LETTER_ESCAPES = frozenset("\x00\x07\x08\x0b\x0c\r\x1b\x85\u2028\u2029")
_BACKSLASH_HINT = (
    " (ein „\\“ in doppelten Anführungszeichen beginnt ein Sonderzeichen: „\\\\“ schreiben)"
)


class _Builder:
    """Turns a composed node tree into Python values; with ``positions``, it records where
    each key and value stands instead (for a ``Document`` that is asked for one)."""

    def __init__(
        self,
        path: str,
        text: str,
        *,
        controls: bool,
        spans: bool,
        positions: bool = False,
    ):
        self.path = path
        self.text = text
        self.controls = controls  # some escape could have produced a control character
        # (start, end, plain) of every scalar, to tell where a tab stands
        self.spans: list[tuple[int, int, bool]] | None = [] if spans else None
        self.problems: list[Problem] = []
        # Only an alias ("*name") makes the composer hand out a node twice; without a
        # "*" in the text there is none to look for.
        self.seen: set[int] | None = set() if "*" in text else None
        self.alias = False
        self.positions = positions
        self.keys: dict[Path, tuple[int, int]] = {}
        self.values: dict[Path, tuple[int, int]] = {}

    def _problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(Location(self.path, mark.line + 1, mark.column + 1), message))

    def _scalar(self, node: Any) -> Any:
        value = node.value
        if self.spans is not None:
            start = node.start_mark.index
            if node.style in ("|", ">"):  # the header line is not text: no tab there
                header_end = _BREAK_RE.search(self.text, start)
                start = header_end.end() if header_end else node.end_mark.index
            self.spans.append((start, node.end_mark.index, not node.style))
        if self.controls:
            bad = _VALUE_BAD_RE.search(value)
            if bad:
                message = f"{_describe_char(bad.group())} im Text ist nicht erlaubt"
                if node.style == '"' and bad.group() in _ONE_LETTER_ESCAPES:
                    message += _BACKSLASH_HINT
                self._problem(node.start_mark, message)
                return value
        if node.style:  # quoted or block scalar; libyaml reports "" or None for plain
            return value
        try:
            return resolve_plain(value)
        except NumberTooLong as e:
            self._problem(node.start_mark, e.message)
            return None

    def _again(self, node: Any) -> bool:
        """Whether the composer handed out this node before (an alias); a register needs
        none, and refusing them makes expansion bombs ("billion laughs") harmless."""
        assert self.seen is not None
        if id(node) in self.seen:
            self.alias = True
            return True
        self.seen.add(id(node))
        return False

    def build(self, node: Any, path: Path, depth: int) -> Any:
        """The value of ``node``; ``path`` matters only when recording positions."""
        if self.positions:
            start = node.start_mark
            self.values[path] = (start.line + 1, start.column + 1)
        if self.seen is not None and self._again(node):
            return None
        tag = node.tag
        if tag is _SCALAR:
            return self._scalar(node)
        if tag is not _SEQ and tag is not _MAP:
            self.problems.append(_tag_problem(self.text, self.path, node.start_mark, tag))
            return None
        if depth > MAX_DEPTH:
            self._problem(node.start_mark, f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)")
            return None
        positions = self.positions
        if tag is _SEQ:
            if positions:
                return [
                    self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
                ]
            return [self.build(item, path, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            key_mark = key_node.start_mark
            if key in first_line:
                self._problem(
                    key_mark, f"Schlüssel „{key}“ doppelt (zuerst in Zeile {first_line[key]})"
                )
                continue
            first_line[key] = key_mark.line + 1
            if positions:
                here = (*path, key)
                self.keys[here] = (key_mark.line + 1, key_mark.column + 1)
                result[key] = self.build(value_node, here, depth + 1)
            else:
                result[key] = self.build(value_node, path, depth + 1)
        return result

    def _key(self, node: Any) -> str | None:
        """The text of a mapping key, or None (and a problem) if it is not plain text."""
        mark = node.start_mark
        if self.seen is not None and self._again(node):
            return None
        if node.tag is not _SCALAR:
            if node.id == "scalar":
                self.problems.append(_tag_problem(self.text, self.path, mark, node.tag))
            else:
                self._problem(mark, "Schlüssel muss ein einfacher Text sein")
            return None
        key: str = node.value
        if self.spans is not None:
            self.spans.append((mark.index, node.end_mark.index, not node.style))
        if not node.style and key[:1] not in _TEXT_STARTS:
            if key.isdigit() and key.isascii() and _DECIMAL_KEY.fullmatch(key):
                return key  # a year (plan: {2025: …}); ruamel's int reads back the same
            if key == "<<":
                self._problem(mark, "YAML-Merge („<<“) wird nicht unterstützt")
                return None
            kind = plain_kind(key)
            if kind == "null":
                shown = f" („{key}“ bedeutet in YAML „nichts“)" if key else ""
                self._problem(mark, f"leerer Schlüssel{shown}; bitte einen Namen angeben")
                return None
            if kind == "int" and _DECIMAL_KEY.fullmatch(key):
                return key  # a year (plan: {2025: …}); ruamel's int reads back the same
            if kind != "str":
                what = "ein Ja/Nein-Wert" if kind == "bool" else "eine Zahl"
                self._problem(
                    mark,
                    f"Schlüssel „{key}“ ist kein Text, sondern {what}; "
                    "bitte in Anführungszeichen setzen",
                )
                return None
        if not key:
            self._problem(mark, "leerer Schlüssel; bitte einen Namen angeben")
            return None
        if self.controls:
            bad = _VALUE_BAD_RE.search(key)
            if bad:
                message = f"{_describe_char(bad.group())} im Schlüssel ist nicht erlaubt"
                if node.style == '"' and bad.group() in _ONE_LETTER_ESCAPES:
                    message += _BACKSLASH_HINT
                self._problem(mark, message)
                return None
        return key


#: Whole numbers that are keys as written (no sign, no leading zero): years of a plan.
_DECIMAL_KEY = re.compile(r"[1-9][0-9]*|0")


Positions = dict[Path, tuple[int, int]]


def _positions(text: str) -> tuple[Positions, Positions]:
    """Where each key and each value of ``text`` stands (a text ``parse`` read without
    problems; if it cannot be composed now, both are empty: positions fall back to 1:1)."""
    import yaml

    if not text:
        return {}, {}
    try:
        node = yaml.compose(text, Loader=_loader())
    except (yaml.YAMLError, RecursionError):
        return {}, {}
    if node is None:
        return {}, {}
    builder = _Builder("", text, controls=False, spans=False, positions=True)
    builder.build(node, (), 1)
    return builder.keys, builder.values


class EditError(InvalidInput):
    """An edit that cannot be applied; the message is German and user-facing."""


def _core_resolver() -> Any:
    """ruamel's resolver with the reader's YAML 1.2 core rules (``plain_kind``).

    ruamel's own 1.2 rules differ in many places (``1_000``, ``0b1``, ``2002-01-15`` as
    a date, ``=``); with this one, both libraries type every plain scalar alike, and
    ruamel quotes a new text exactly when the reader would not take it for text.
    """
    global _CORE_RESOLVER
    if _CORE_RESOLVER is None:
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver
        from ruamel.yaml.tag import Tag

        class CoreResolver(VersionedResolver):
            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is ScalarNode and implicit[0]:
                    return Tag(suffix="tag:yaml.org,2002:" + plain_kind(value))
                if kind is ScalarNode:
                    implicit = (False, implicit[1])
                return super().resolve(kind, value, implicit)

        _CORE_RESOLVER = CoreResolver
    return _CORE_RESOLVER


_CORE_RESOLVER: Any = None


def _ruamel(sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Resolver = _core_resolver()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the user wrote
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


_KEY_LINE_RE = re.compile(r"( *)[^\s#-][^#]*:$")
_ITEM_LINE_RE = re.compile(r"( *)- +\S")


def _list_indent(lines: list[str]) -> tuple[int, int]:
    """How the file indents block lists under a key: (content, dash) offsets for ruamel.

    ``traeger:`` followed by ``  - A`` gives (4, 2), by ``- A`` (2, 0). Without a list
    in the file: the house style (4, 2).
    """
    previous = ""
    for line in lines:
        item = _ITEM_LINE_RE.match(line)
        key = _KEY_LINE_RE.match(previous.split(" #")[0].rstrip())
        if item and key and len(item.group(1)) >= len(key.group(1)):
            offset = len(item.group(1)) - len(key.group(1))
            return max(item.end() - 1 - len(key.group(1)), offset + 2), offset
        if line.strip() and not line.lstrip().startswith("#"):
            previous = line
    return 4, 2


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines without their endings, and the endings ("" for a last line without one)."""
    contents: list[str] = []
    endings: list[str] = []
    start = 0
    for match in _BREAK_RE.finditer(text):
        contents.append(text[start : match.start()])
        endings.append(match.group())
        start = match.end()
    if start < len(text):
        contents.append(text[start:])
        endings.append("")
    return contents, endings


class Editor:
    """Round-trip edits of one YAML file that keep comments, order and layout.

    The constructor takes the text as read (``decode``): a BOM and CRLF, CR or mixed line
    endings are kept. ``dump`` returns the new text in the same form: every line the
    edit did not touch is the original line, byte for byte (with its own line ending);
    new lines get the file's most common line ending. Comment lines that follow an
    entry stay in place when the entry is removed or the list grows.

    Raises ``EditError`` if the file is too large, not readable by ``parse``, or read
    differently by ruamel (which ``parse`` is meant to make impossible).
    """

    def __init__(self, text: str, path: str = "Datei") -> None:
        too_large = _size_problem(text, path)
        if too_large:
            raise EditError(too_large.message)
        self._original = text
        self._bom = "\ufeff" if text.startswith("\ufeff") else ""
        self._lines, self._endings = _split_lines(text[len(self._bom) :])
        counts = Counter(ending for ending in self._endings if ending)
        self._newline = counts.most_common(1)[0][0] if counts else "\n"
        normalized = "\n".join(self._lines) + ("\n" if self._endings[-1:] != [""] else "")
        try:
            expected = parse(normalized, path).data
        except YamlProblems as e:
            raise EditError(
                "Die Datei ist kein lesbares YAML; bitte erst von Hand reparieren", e.problems
            ) from None
        sequence, offset = _list_indent(self._lines)
        self._yaml = _ruamel(sequence, offset)
        content = [
            line for line in self._lines if line.strip() and not line.lstrip().startswith("#")
        ]
        self._yaml.explicit_start = bool(content) and content[0].startswith("---")
        self._yaml.explicit_end = bool(content) and content[-1].rstrip() == "..."
        try:
            self.data = self._yaml.load(normalized)
            same = _same(_plain(self.data), expected)
        except Exception:  # ruamel's errors have no common base worth naming
            same = False
        if not same:
            raise EditError(
                "Die Datei lässt sich nicht sicher bearbeiten: das Bearbeitungswerkzeug liest "
                "sie anders als die Prüfung; bitte von Hand ändern"
            )
        self._base = self._render()

    def _render(self) -> str:
        import io

        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()

    def _keys(self, path: Path) -> Path:
        """``path`` with each map key as the file has it: the reader reads ``2025:`` (a
        whole number, ruamel's int) and ``"2025":`` alike as "2025", so either spelling
        finds either key; a new whole-number key is written plain, as a year."""
        node: Any = self.data
        keys: list[str | int] = []
        for part in path:
            if isinstance(node, dict):
                text = str(part)
                if part not in node and _DECIMAL_KEY.fullmatch(text):
                    other: str | int = text if isinstance(part, int) else int(text)
                    part = other if other in node or isinstance(part, str) else part
            keys.append(part)
            if isinstance(node, dict):
                node = node.get(part)
            elif (
                isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node)
            ):
                node = node[part]
            else:
                node = None
        return tuple(keys)

    def _parent(self, path: Path, create: bool) -> tuple[Any, tuple[Any, Any, str] | None]:
        """The container holding ``path[-1]``; with ``create``, missing mappings are made.

        The second value names the first entry made (container, key) and the comment
        lines taken from the end of that container, to be put back after the new entry.
        """
        from ruamel.yaml.comments import CommentedMap

        made: tuple[Any, Any, str] | None = None
        node = self.data
        for i, part in enumerate(path[:-1]):
            if isinstance(node, list):
                if not isinstance(part, int) or not -len(node) <= part < len(node):
                    raise EditError(f"„{_dotted(path[: i + 1])}“: kein solcher Listeneintrag")
                node = node[part]
                continue
            if not isinstance(node, dict):
                raise EditError(f"„{_dotted(path[:i])}“ ist keine Zuordnung")
            if part not in node or node[part] is None:
                if not create:
                    raise EditError(f"Feld „{_dotted(path[: i + 1])}“ gibt es nicht")
                if made is None:
                    made = (node, part, _take_trailing(node, part))
                node[part] = CommentedMap()
            node = node[part]
        return node, made

    def _owner(self, path: Path) -> tuple[Any, Any] | None:
        """The (container, key) of the entry whose value holds ``path[-1]``."""
        if len(path) < 2:
            return None
        container, _ = self._parent(path[:-1], create=False)
        key = path[-2]
        if isinstance(container, list) and isinstance(key, int):
            key = key % len(container)
        return container, key

    def set(self, path: Path, value: Any) -> None:
        path = self._keys(path)
        parent, made = self._parent(path, create=True)
        key = path[-1]
        if isinstance(parent, list):
            if not isinstance(key, int) or not -len(parent) <= key < len(parent):
                raise EditError(f"„{_dotted(path)}“: kein solcher Listeneintrag")
            key = key % len(parent)
        elif not isinstance(parent, dict):
            raise EditError(f"„{_dotted(path[:-1])}“ ist keine Zuordnung")
        if made is None:
            made = (parent, key, _take_trailing(parent, key))
        parent[key] = _to_yaml(value)
        _put_trailing(*made)

    def remove(self, path: Path) -> None:
        path = self._keys(path)
        parent, _ = self._parent(path, create=False)
        owner = self._owner(path)
        key = path[-1]
        if isinstance(parent, list):
            if not isinstance(key, int) or not -len(parent) <= key < len(parent):
                raise EditError(f"Feld „{_dotted(path)}“ gibt es nicht")
            key = key % len(parent)
        elif not isinstance(parent, dict) or key not in parent:
            raise EditError(f"Feld „{_dotted(path)}“ gibt es nicht")
        _remove_entry(parent, key, owner)

    def append(self, path: Path, value: Any) -> None:
        path = self._keys(path)
        from ruamel.yaml.comments import CommentedSeq

        parent, made = self._parent(path, create=True)
        key = path[-1]
        current = parent.get(key) if isinstance(parent, dict) else None
        if current is None:
            if not isinstance(parent, dict):
                raise EditError(f"„{_dotted(path[:-1])}“ ist keine Zuordnung")
            if made is None:
                made = (parent, key, _take_trailing(parent, key))
            parent[key] = current = CommentedSeq()
        if not isinstance(current, list):
            raise EditError(f"„{_dotted(path)}“ ist keine Liste; „+=“ geht nur bei Listen")
        if made is None and current:
            made = (current, len(current), _take_trailing(current, len(current) - 1))
        current.append(_to_yaml(value))
        if made is not None:
            _put_trailing(*made)

    def remove_item(self, path: Path, value: Any) -> None:
        path = self._keys(path)
        parent, _ = self._parent(path, create=False)
        current = parent.get(path[-1]) if isinstance(parent, dict) else None
        if not isinstance(current, list):
            raise EditError(f"„{_dotted(path)}“ ist keine Liste; „-=“ geht nur bei Listen")
        for i, item in enumerate(current):
            if _same(_plain(item), value):
                _remove_entry(current, i, (parent, path[-1]))
                return
        raise EditError(f"„{_flow(value)}“ steht nicht in {_dotted(path)}")

    def dump(self) -> str:
        """The edited text: untouched lines as they were, the file's BOM and endings."""
        edited = self._render()
        if edited == self._base:
            return self._original
        merged = self._join(
            _merge(self._lines, self._base.split("\n")[:-1], edited.split("\n")[:-1])
        )
        # The merge keeps original lines next to changed ones; make sure the result means
        # what ruamel holds. If not, ruamel's own rendering is the fallback.
        intended = _plain(self.data)
        merged_data = _read(merged)
        if _same(merged_data, intended):
            return self._bom + merged
        fallback = self._join([(line, None) for line in edited.split("\n")[:-1]])
        if _same(_read(fallback), intended) or merged_data is _UNREADABLE:
            # (if neither reads back, the edit itself made the file invalid: the
            # caller's check names the problem)
            return self._bom + fallback
        # Neither means what was asked (seen: folded text with a tab-indented line at the
        # very end of a file without a final line break): refuse rather than write it.
        raise EditError(
            "Die Änderung lässt sich nicht sicher schreiben; bitte die Datei von Hand ändern"
        )

    def _join(self, lines: list[tuple[str, int | None]]) -> str:
        """Lines with their original endings; new lines get the file's usual one."""
        out = []
        for i, (line, source) in enumerate(lines):
            ending = self._endings[source] if source is not None else self._newline
            if not ending and i < len(lines) - 1:
                ending = self._newline
            out.append(line + ending)
        return "".join(out)


_UNREADABLE = object()


def _read(text: str) -> Any:
    try:
        return parse(text, "").data
    except YamlProblems:
        return _UNREADABLE


def _merge(original: list[str], base: list[str], edited: list[str]) -> list[tuple[str, int | None]]:
    """Three-way merge of lines: ruamel's edit (``base`` → ``edited``) onto ``original``.

    ``base`` is ruamel's rendering of the unedited file. Every stretch of ``base`` that
    the edit left alone is written as the original lines it stands for (with their
    spelling: ``+12``, ``~``, a folded line, ``---``); everything else comes from
    ``edited``. Each result line names the original line it is (None for a new line).
    """
    to_edited = _matching(base, edited)
    result: list[tuple[str, int | None]] = []
    e = 0

    def flush(upto: int) -> None:
        nonlocal e
        if upto > e:
            result.extend((line, None) for line in edited[e:upto])
            e = upto

    kept = True
    for b1, b2, o1, o2 in _segments(base, original):
        if b1 == b2:
            # Lines only the original has ("---", a folded line's rest): they belong to
            # what comes before, so they stay if that stayed.
            if kept:
                result.extend((original[k], k) for k in range(o1, o2))
            continue
        first = to_edited.get(b1)
        kept = first is not None and all(to_edited.get(b) == first + b - b1 for b in range(b1, b2))
        if first is not None and kept:
            flush(first)  # what the edit put before this stretch
            result.extend((original[k], k) for k in range(o1, o2))
            e = first + b2 - b1
    flush(len(edited))
    return result


def _trimmed_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``difflib`` opcodes of two line lists; the common head and tail are cut off first."""
    import difflib

    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    # Blank lines are everywhere; a match must not start at one (``isjunk``).
    middle = difflib.SequenceMatcher(
        _blank, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False
    )
    ops = [("equal", 0, head, 0, head)] if head else []
    ops += [
        (op, a1 + head, a2 + head, b1 + head, b2 + head)
        for op, a1, a2, b1, b2 in middle.get_opcodes()
    ]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _blank(line: str) -> bool:
    return not line.strip()


def _matching(a: list[str], b: list[str]) -> dict[int, int]:
    """Lines of ``a`` that stay in ``b`` (index in a → index in b), in order."""
    result: dict[int, int] = {}
    for op, a1, a2, b1, _ in _trimmed_opcodes(a, b):
        if op == "equal":
            for k in range(a2 - a1):
                result[a1 + k] = b1 + k
    return result


def _segments(base: list[str], original: list[str]) -> list[tuple[int, int, int, int]]:
    """``base`` and ``original`` cut into corresponding stretches (b1, b2, o1, o2).

    Equal lines and changed runs of the same length pair line by line (ruamel respelled
    them); a changed run of another length (a folded line ruamel joined) is one stretch.
    """
    segments: list[tuple[int, int, int, int]] = []
    for op, b1, b2, o1, o2 in _trimmed_opcodes(base, original):
        if op == "equal" or (op == "replace" and b2 - b1 == o2 - o1):
            segments.extend((b1 + k, b1 + k + 1, o1 + k, o1 + k + 1) for k in range(b2 - b1))
            continue
        # Peel off lines that are the same entry on both sides (re-indented, respelled).
        back: list[tuple[int, int, int, int]] = []
        while b1 < b2 and o1 < o2 and _same_entry(base[b1], original[o1]):
            segments.append((b1, b1 + 1, o1, o1 + 1))
            b1, o1 = b1 + 1, o1 + 1
        while b1 < b2 and o1 < o2 and _same_entry(base[b2 - 1], original[o2 - 1]):
            back.append((b2 - 1, b2, o2 - 1, o2))
            b2, o2 = b2 - 1, o2 - 1
        if b1 < b2 or o1 < o2:
            segments.append((b1, b2, o1, o2))
        segments.extend(reversed(back))
    return segments


_ENTRY_RE = re.compile(
    r"""\s*((?:-[ \t]+)*)(?:([^\s:#'"][^:#]*?|"[^"]*"|'[^']*')[ \t]*:(?:\s|$))?"""
)


def _same_entry(a: str, b: str) -> bool:
    """Two lines that start the same entry: the same key, or both a list item."""
    if a.strip() == b.strip():
        return True
    key = _entry_key(a)
    return key is not None and key == _entry_key(b)


def _entry_key(line: str) -> tuple[int, str | None] | None:
    match = _ENTRY_RE.match(line)
    if match is None or not (match.group(1) or match.group(2)):
        return None  # a comment, a continuation line, ...
    return match.group(1).count("-"), match.group(2)


# --- comments that follow an entry -------------------------------------------------
#
# ruamel keeps the comment lines after an entry in a token on the last scalar of that
# entry (for a mapping: ``ca.items[key][2]``, for a list: ``ca.items[index][0]``),
# together with the entry's own end-of-line comment. Removing the entry would remove
# them; appending after it would put the new entry below them. These helpers take the
# full lines off the token and put them back after another entry.


def _is_block(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return (
        isinstance(value, CommentedMap | CommentedSeq)
        and len(value) > 0
        and not value.fa.flow_style()
    )


def _is_block_scalar(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _last(container: Any) -> Any:
    return len(container) - 1 if isinstance(container, list) else next(reversed(container))


def _tail(container: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose comment token holds what follows the entry's value."""
    value = container[key]
    while _is_block(value):
        container, key = value, _last(value)
        value = container[key]
    return container, key


def _slot(container: Any) -> int:
    return 0 if isinstance(container, list) else 2


def _token(container: Any, key: Any) -> Any:
    from ruamel.yaml.tokens import CommentToken

    items = container.ca.items.get(key)
    token = items[_slot(container)] if items and len(items) > _slot(container) else None
    return token if isinstance(token, CommentToken) else None


def _take_trailing(container: Any, key: Any) -> str:
    """Remove and return the full comment/blank lines after the entry ``key``."""
    if isinstance(container, dict) and key not in container:
        if not container:
            return ""
        key = _last(container)  # a new key goes after the last one: take what follows it
    tail_container, tail_key = _tail(container, key)
    token = _token(tail_container, tail_key)
    if token is None:
        return ""
    value: str = token.value
    if _is_block_scalar(tail_container[tail_key]):
        # A block scalar ends its own line; its token holds only full lines.
        tail_container.ca.items[tail_key][_slot(tail_container)] = None
        return value
    cut = value.find("\n") + 1
    if cut == 0:
        return ""
    head, rest = value[:cut], value[cut:]
    if head.strip():
        token.value = head  # the entry's own end-of-line comment stays with it
    else:
        tail_container.ca.items[tail_key][_slot(tail_container)] = None
    return rest


def _put_trailing(container: Any, key: Any, lines: str) -> None:
    """Put full comment/blank lines back after the entry ``key``."""
    if not lines:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    tail_container, tail_key = _tail(container, key)
    token = _token(tail_container, tail_key)
    if token is not None:
        token.value = token.value + lines
        return
    items = tail_container.ca.items.setdefault(tail_key, [None, None, None, None])
    if not _is_block_scalar(tail_container[tail_key]):
        lines = "\n" + lines  # end the entry's own line first
    items[_slot(tail_container)] = CommentToken(lines, CommentMark(0), None)


def _remove_entry(container: Any, key: Any, owner: tuple[Any, Any] | None) -> None:
    """Delete an entry; the comment lines after it stay where they were.

    ``owner`` is the entry whose value ``container`` is; if the container ends up empty,
    it is written ``[]``/``{}`` on the owner's line and the lines go after that line.
    """
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    lines = _take_trailing(container, key)
    keys = list(range(len(container))) if isinstance(container, list) else list(container)
    position = keys.index(key)
    if not isinstance(container, list):
        container.ca.items.pop(key, None)  # or a later key of that name gets its comment
    del container[key]
    if position > 0:
        _put_trailing(container, keys[position - 1], lines)
    elif len(container):
        if lines:  # the first entry went: the lines now come before the new first entry
            comment = container.ca.comment
            if comment is None or len(comment) < 2:
                container.ca.comment = comment = [None, []]
            if comment[1] is None:
                comment[1] = []
            comment[1].append(CommentToken(lines.lstrip("\n") or "\n", CommentMark(0), None))
    elif owner is not None:
        # Empty now: ruamel would write the key's end-of-line comment and then "[]" on a
        # line of its own (not YAML). Written in flow style, it goes "key: []  # comment".
        container.fa.set_flow_style()
        comment = container.ca.comment
        before = comment[1] if comment is not None and len(comment) > 1 and comment[1] else []
        if comment is not None and len(comment) > 1:
            comment[1] = None
        slots = owner[0].ca.items.get(owner[1])
        if slots is not None and len(slots) > 3:
            slots[3] = None  # the same comments as ``before``
        text = "".join(token.value for token in before if isinstance(token, CommentToken))
        _put_trailing(*owner, text + lines)


def _plain(value: Any) -> Any:
    """ruamel's round-trip values as the plain values ``parse`` gives."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    from ruamel.yaml.scalarbool import ScalarBoolean

    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal data, with types (``1`` is not ``1.0`` nor ``True``) and NaN equal to itself."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def dump_new(data: dict[str, Any], header: str = "") -> str:
    """YAML text of a new record in the register's house style (lists indented)."""
    simple = _dump_simple(data)
    if simple is not None:
        return header + simple
    import io

    out = io.StringIO()
    if header:
        out.write(header)
    _ruamel().dump(_to_yaml(data), out)
    return out.getvalue()


#: Text that ruamel writes as it is (a plain scalar): it starts with a letter or digit,
#: holds no quote, backslash, tab, line break or other control character, does not end
#: in a space or ":", and has no ": " or " #" inside (checked with ``_simple_text``).
_PLAIN_TEXT = re.compile(r"[^\W_][^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff'\"\\`]*")
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_YEAR_KEY = re.compile(r"[0-9]{4}")


def _simple_text(text: str) -> bool:
    return bool(
        len(text) < 1000
        and _PLAIN_TEXT.fullmatch(text)
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and plain_kind(text) == "str"
    )


def _dump_simple(data: dict[str, Any]) -> str | None:
    """``dump_new``'s text without ruamel, for the values new records mostly hold; None
    for anything else (then ruamel writes it). An import writes thousands of new files,
    and ruamel's emitter costs milliseconds each; tests/test_yamlio.py checks that this
    gives exactly ruamel's text wherever it gives one."""
    lines: list[str] = []
    return "".join(lines) if _simple_map(data, 0, lines) else None


def _simple_scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = repr(value)
        return shown if math.isfinite(value) and "e" not in shown else None
    if isinstance(value, str) and value and _simple_text(value):
        return value
    return None


def _simple_key(key: Any) -> str | None:
    if not isinstance(key, str):
        return None
    if _YEAR_KEY.fullmatch(key):
        return f"'{key}'"  # a year is a number to YAML; as a text key it is quoted
    return key if _PLAIN_KEY.fullmatch(key) else None


def _simple_map(data: dict[str, Any], indent: int, lines: list[str]) -> bool:
    pad = " " * indent
    for key, value in data.items():
        shown = _simple_key(key)
        if shown is None:
            return False
        if isinstance(value, dict):
            if not value:
                return False
            lines.append(f"{pad}{shown}:\n")
            if not _simple_map(value, indent + 2, lines):
                return False
        elif isinstance(value, list):
            if not value:
                return False
            lines.append(f"{pad}{shown}:\n")
            if not _simple_list(value, indent + 2, lines):
                return False
        else:
            scalar = _simple_scalar(value)
            if scalar is None:
                return False
            lines.append(f"{pad}{shown}: {scalar}\n")
    return True


def _simple_list(items: list[Any], indent: int, lines: list[str]) -> bool:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            if not item:
                return False
            first = len(lines)
            if not _simple_map(item, indent + 2, lines):
                return False
            lines[first] = f"{pad}- {lines[first][indent + 2 :]}"
        elif isinstance(item, list):
            return False
        else:
            scalar = _simple_scalar(item)
            if scalar is None:
                return False
            lines.append(f"{pad}- {scalar}\n")
    return True


def _to_yaml(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _to_yaml(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_to_yaml(v) for v in value)
    return value


def _flow(value: Any) -> str:
    """A value as YAML writes it on one line (never a Python repr)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    return str(value)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)
