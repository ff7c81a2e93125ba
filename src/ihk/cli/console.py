"""Everything that turns results into text for people: tables, problem lines, CSV.

Only the CLI calls this module, and every character the CLI prints passes ``clean``:
control characters (ESC, NUL, C1, DEL, a lone CR) and bidi overrides from files,
commit messages or git appear as visible escapes (``\\x1b``, ``\\u202e``), never raw,
so no record can clear the screen, write the clipboard or reorder a line. The streams
are set up by ``prepare_streams`` (a non-UTF-8 terminal gets readable ASCII stand-ins,
a closed stdout swallows output) and closed by ``finish`` (a reader that went away
ends quietly). ``write_output`` writes the file of every ``-o`` option.

Plain formats (csv, json, markdown) never touch rich, which costs about a millisecond
per table row. Heavy imports stay inside the functions, so importing this is cheap.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ihk.commands.status import Row, StatusReport
    from ihk.errors import Problem
    from ihk.register import Register

#: Exit code when the reader of stdout went away (``ihk log | head -1``): 128 + SIGPIPE,
#: what the shell reports for any Unix tool ended by a closed pipe.
EXIT_PIPE = 141

# ---------------------------------------------------------------------------------
# The one sanitiser

#: C0 controls but tab and newline, a CR not followed by LF, DEL, C1 controls, the bidi
#: marks, embeddings, overrides and isolates, and lone surrogates (undecodable bytes).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]|\r(?!\n)"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean(text: str, *, json: bool = False) -> str:
    """``text`` safe for a terminal: every unsafe character as a visible escape.

    With ``json=True`` the escapes are JSON's own (``\\u009b``), so the text of
    ``json.dumps`` stays valid JSON with the same values.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape_json if json else _escape, text)


# ---------------------------------------------------------------------------------
# Streams


class OutputClosed(Exception):
    """The reader of stdout went away (a closed pipe); nothing more can be said."""


class _Discard(io.TextIOBase):
    """Stands in for a stdout that was closed when ihk started (``ihk status >&-``)."""

    encoding = "utf-8"

    def __init__(self) -> None:
        super().__init__()
        self.used = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.used = self.used or bool(text)
        return len(text)


#: Name of the codec error handler for terminals that cannot show every character.
_ERRORS = "ihk-ersatz"

#: ASCII stand-ins for the characters ihk's own German uses; anything else loses its
#: accents (é → e) or, failing that, appears as ``\\u2192``.
_ERSATZ = {
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
    "„": '"', "“": '"', "”": '"', "«": '"', "»": '"',
    "‚": "'", "‘": "'", "’": "'", "‹": "'", "›": "'",
    "–": "-", "—": "-", "‑": "-", "…": "...", "→": "->", "←": "<-", "·": "|", "•": "*",
    "€": "EUR", "×": "x", "≤": "<=", "≥": ">=", "\u00a0": " ", "\u202f": " ",
}  # fmt: skip


def _ersatz(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    parts = []
    for char in error.object[error.start : error.end]:
        stand_in = _ERSATZ.get(char)
        if stand_in is None:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            stand_in = (
                bare
                if bare and bare.isascii()
                else char.encode("ascii", "backslashreplace").decode()
            )
        parts.append(stand_in)
    return "".join(parts), error.end


def prepare_streams() -> None:
    """Set up stdin/stdout/stderr for a run of the command line (not for tests in-process).

    A closed descriptor 0–2 is opened on /dev/null (as git does), so no file ihk or git
    opens can become stdout by accident; a stdout closed at start swallows output (a hint
    on stderr at the end says so). Characters the terminal's encoding lacks get the
    stand-ins of ``_ERSATZ`` instead of a ``UnicodeEncodeError``.
    """
    import codecs

    codecs.register_error(_ERRORS, _ersatz)
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = _Discard()
    if sys.stderr is None:
        sys.stderr = _Discard()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=_ERRORS)


def silence() -> None:
    """After a broken pipe: send whatever is still buffered for stdout to /dev/null."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        sys.stdout = _Discard()


def finish(code: int) -> int:
    """Flush stdout at the end of a run; returns the exit code to end with."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence()
        return EXIT_PIPE
    except OSError as e:  # a full disk behind ``> datei``
        from ihk.vocab import os_fehler

        silence()
        err(f"Fehler: Ausgabe: {os_fehler(e)}")
        return code or 1
    if isinstance(sys.stdout, _Discard) and sys.stdout.used:
        err("Hinweis: Die Standardausgabe war geschlossen; die Ausgabe ist entfallen.")
    return code


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """A closed pipe on stdout becomes ``OutputClosed`` (the boundary ends quietly)."""
    try:
        yield
    except BrokenPipeError:
        raise OutputClosed from None


def out(text: str, *, json: bool = False) -> None:
    """Print ``text`` (one newline at the end) on stdout; ``json`` for JSON text."""
    text = clean(text, json=json)
    with _writing():
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()


def is_stdout(path: Path) -> bool:
    """Whether ``path`` is where stdout goes (``/dev/stdout``, also into a pipe): a
    message about writing it then belongs on stderr, not into the data."""
    try:
        target = os.stat(path)
        ours = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return (target.st_dev, target.st_ino) == (ours.st_dev, ours.st_ino)


def out_json(data: Any) -> None:
    out(dumps(data), json=True)


#: How users name a binary format in messages.
_BINARY_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}


def on_terminal() -> bool:
    """Whether stdout is a terminal (not a pipe, a file or closed)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def refuse_binary_on_terminal(fmt: str, hint: str | None = None) -> None:
    """A binary document is not for the terminal: a usage error that says what to do
    (``hint``, else ``-o DATEI.pdf``). Into a pipe or a file (``> datei.pdf``, ``| lpr``)
    it is written as it is."""
    from ihk.errors import UsageError

    if on_terminal():
        name = _BINARY_NAMES.get(fmt, fmt)
        raise UsageError(
            f"{name} ist ein Binärformat und gehört nicht aufs Terminal: "
            f"{hint or f'-o DATEI.{fmt}'} angeben (oder in eine Datei oder ein Programm "
            "umleiten)"
        )


def out_bytes(data: bytes) -> None:
    """Write ``data`` to stdout as it is (a PDF into a pipe)."""
    stream = getattr(sys.stdout, "buffer", None)
    with _writing():
        if stream is None:  # a stdout closed at start: the bytes go where the text would
            sys.stdout.write(data.decode("latin-1"))
            sys.stdout.flush()
            return
        sys.stdout.flush()
        stream.write(data)
        stream.flush()


class _Question:
    #: a question is on the screen and its answer not typed yet
    open = False


def err(line: str) -> None:
    """A line on stderr; if stderr is gone (a hung-up terminal), there is no one to tell.
    A question left open (Ctrl-C at a prompt) is ended first, so the line starts fresh."""
    with contextlib.suppress(OSError):
        sys.stderr.write(("\n" if _Question.open else "") + clean(line) + "\n")
        sys.stderr.flush()
    _Question.open = False


def ask(question: str) -> str | None:
    """``question`` on stderr (no newline), then one line from stdin without its line
    break; None at the end of the input (Ctrl-D). The dialogue stays off stdout, so a
    redirected stdout gets only the result."""
    _Question.open = True  # before the question shows: a signal may come at once
    with contextlib.suppress(OSError):
        sys.stderr.write(clean(question))
        sys.stderr.flush()
    line = sys.stdin.readline()
    _Question.open = False
    return line.rstrip("\r\n") if line else None


def problems(items: list[Problem], *, to_stdout: bool = False) -> None:
    if not items:
        return
    lines = "\n".join(str(problem) for problem in items)
    if to_stdout:
        out(lines)
    else:
        err(lines)


def dumps(data: Any) -> str:
    """JSON as ihk writes it (UTF-8, indented); ``out(…, json=True)`` makes it safe to print.

    The very text of ``json.dumps(data, ensure_ascii=False, indent=2)``, made twice as
    fast: with an indent, the standard library encodes in pure Python, one generator per
    container. Anything but dicts, lists, tuples, text, numbers, booleans and None (and
    nesting deep enough to recurse out) is left to ``json.dumps`` itself.
    """
    parts: list[str] = []
    try:
        _encode(data, parts, "\n")
    except (_NotPlain, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    parts.append("\n")
    return "".join(parts)


class _NotPlain(Exception):
    """A value ``dumps`` leaves to the standard library."""


_json_string: Callable[[str], str] = json.encoder.encode_basestring
_float_repr = float.__repr__
_int_repr = int.__repr__
_INFINITY = float("inf")


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return _float_repr(value)


def _json_key(key: Any) -> str:
    """A dict key as ``json`` writes it: text as text, a number, bool or None as its
    value written as text (none of which needs escaping)."""
    if isinstance(key, str):
        return _json_string(key)
    return '"' + _json_scalar(key) + '"'


def _json_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return _int_repr(value)
    if isinstance(value, float):
        return _json_float(value)
    raise _NotPlain


def _encode(value: Any, parts: list[str], newline: str) -> None:
    """Append the JSON text of ``value`` (indented as at ``newline``) to ``parts``; the
    common scalars of a container are written inline (exact types only: a subclass takes
    the general path, as in ``json``)."""
    add = parts.append
    if isinstance(value, dict):
        if not value:
            add("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            name = _json_string(key) if type(key) is str else _json_key(key)
            kind = type(item)
            if kind is str:
                add(sep + name + ": " + _json_string(item))
            elif kind is float and item - item == 0.0:  # finite
                add(sep + name + ": " + _float_repr(item))
            elif kind is int:
                add(sep + name + ": " + _int_repr(item))
            elif item is None:
                add(sep + name + ": null")
            elif kind is bool:
                add(sep + name + (": true" if item else ": false"))
            else:
                add(sep + name + ": ")
                _encode(item, parts, inner)
            sep = "," + inner
        add(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            add("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            kind = type(item)
            if kind is str:
                add(sep + _json_string(item))
            elif kind is float and item - item == 0.0:
                add(sep + _float_repr(item))
            elif kind is int:
                add(sep + _int_repr(item))
            else:
                add(sep)
                _encode(item, parts, inner)
            sep = "," + inner
        add(newline + "]")
    else:
        add(_json_scalar(value))


# ---------------------------------------------------------------------------------
# Output files (-o)


def write_output(path: Path, data: str | bytes) -> list[str]:
    """Write the file of an ``-o`` option as its user means it; returns what to tell them.

    - a symbolic link is written through: its target gets the content, the link stays;
    - an existing file without write permission (or, for root, without any write bit)
      is refused, never replaced; an existing file keeps its mode, a new one gets
      0666 minus the umask;
    - missing folders are created, and the messages say so;
    - a pipe or device (``-o /dev/stdout``) is written into.
    """
    from ihk.errors import Refused
    from ihk.writer import atomic_write

    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise Refused(f"{path}: die Verknüpfung zeigt im Kreis; nichts geschrieben") from None
        raise
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        atomic_write(path, data)  # a pipe or device: written into, as it is
        return []
    if st is not None and _write_protected(path, st):
        raise Refused(
            f"{path} ist schreibgeschützt; nichts geschrieben "
            "(Schreibrecht setzen oder eine andere Datei angeben)"
        )
    target = path.resolve()  # through links, also a dangling one; nichtda/.. as written
    owned = _register_file(target)
    if owned is not None:
        raise Refused(f"{path} {owned}; nichts geschrieben – bitte eine andere Datei angeben")
    messages = []
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    if missing:
        target.parent.mkdir(parents=True, exist_ok=True)
        messages.append(f"Ordner angelegt: {_shown(target.parent)}")
    atomic_write(target, data)
    return messages


def _register_file(target: Path) -> str | None:
    """Why an output must not be written to ``target`` (German), else None: anything
    inside a ``.git`` folder or a register's ``.ihk`` folder (its editor schemas), or
    an existing file of a register (its ihk.yaml, a record). ``ihk export ihk.yaml --format md`` would replace the
    catalogue, hand edits not yet committed included."""
    from ihk.kinds import KINDS
    from ihk.register import META_FILE
    from ihk.schema import SCHEMA_DIR

    if ".git" in target.parts[:-1]:
        return "liegt im git-Verzeichnis; dorthin schreibt ihk keine Ausgabe"
    folders = {kind.folder for kind in KINDS.values()}
    for root in target.parents:
        if (root / META_FILE).is_file():
            rel = target.relative_to(root).as_posix()
            if rel.startswith(SCHEMA_DIR.partition("/")[0] + "/"):
                return f"liegt in {SCHEMA_DIR.partition('/')[0]}/, dem Ordner von ihk selbst"
            inside = rel.rpartition("/")[0]
            if target.is_file() and (
                rel == META_FILE or (inside in folders and target.suffix == ".yaml")
            ):
                return (
                    f"ist eine Datei des Registers ({rel}); eine Ausgabe ersetzt sie nicht "
                    "(sonst wären auch Änderungen verloren, die noch nicht committet sind)"
                )
            return None
    return None


def _write_protected(path: Path, st: os.stat_result) -> bool:
    # root may write anything, so for root the mode bits say whether the file is meant
    # to be read-only (as `chmod a-w` leaves it)
    writable = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return not os.access(path, os.W_OK) or not st.st_mode & writable


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------
# Status


def _heading(report: StatusReport) -> str:
    """ "IHK Belm-Powe", with "– Stand 2005 (8. Dezember 2005)" for a report of a Stand."""
    head = f"IHK {report.gebiet or ''}".rstrip()
    if report.stand is not None:
        head += f" – {report.stand.bezeichnung} ({report.stand.datum_text})"
    return head


def fail_if_broken(loaded: Register) -> None:
    """After a report of the valid part: the register's problems as an error (stderr,
    exit 1 through the boundary)."""
    if not loaded.errors:
        return
    from ihk.errors import InvalidInput
    from ihk.vocab import anzahl

    broken = len(loaded.broken)
    raise InvalidInput(
        f"das Register hat {len(loaded.errors)} Fehler"
        + (f" ({anzahl(broken, 'Datei', 'Dateien')} nicht gelesen)" if broken else "")
        + "; „ihk validate“ zeigt alle",
        loaded.errors,
    )


def indicator_lines(report: StatusReport) -> list[str]:
    """The block of indicators under a status of all kinds (``--kind all``)."""
    from ihk.vocab import messwert, prozent

    if not report.indikatoren:
        return []
    lines = ["", "Indikatoren:"]
    for s in report.indikatoren:
        unit = f" {s.einheit}" if s.einheit else ""
        last = f"{messwert(s.letzter.wert)}{unit} ({s.letzter.jahr})" if s.letzter else "–"
        reached = prozent(s.zielerreichung, 0) if s.zielerreichung is not None else "–"
        lines.append(
            f"  {s.titel} ({s.id}): zuletzt {last}, Ziel {messwert(s.ziel.wert)}{unit} "
            f"({s.ziel.jahr}), Zielerreichung {reached} – {s.urteil}"
        )
    return lines


def counts_line(report: StatusReport) -> str:
    from ihk.kinds import KINDS
    from ihk.vocab import STATES, anzahl, status_kurz

    if len(report.kinds) == 1:
        kind = KINDS[report.kinds[0]]
        head = anzahl(report.total, kind.label, kind.plural)
    else:
        head = f"{report.total} " + " und ".join(KINDS[k].plural for k in report.kinds)
    parts = [f"{report.counts[s]} {status_kurz(s)}" for s in STATES]
    return f"{head}: " + " · ".join(parts)


def _money(row: Row) -> str:
    from ihk.vocab import finanzierung_kurz

    return finanzierung_kurz(row.staedtebaufoerderung, row.sonstige)


#: Above this many rows ``status`` prints a plain aligned table (in colour on a colour
#: terminal): rich costs about a millisecond per row, a plain table a few microseconds,
#: so rich's boxed table costs at most 0.2 s (an area's IHK has some dozens of records).
PLAIN_ROWS = 200
#: Width of the table when stdout is no terminal (a pipe, a file): every column fits.
PIPE_WIDTH = 160
#: The start column's heading per kind's ``start_field``.
_START = {"aufgenommen": "Aufnahme", "laufzeit.von": "Beginn"}
#: Narrowest useful widths of the flexible columns (title, Träger, Finanzierung).
_MIN_TITLE, _MIN_TRAEGER, _MIN_FINANZIERUNG = 20, 14, 12
#: A longer word in a flexible column is folded rather than widening the column.
_MAX_WORD = 20
#: Said under the table when Träger and Finanzierung did not fit (one line at 80 columns).
HIDDEN_NOTE = "Träger und Finanzierung ausgeblendet – breiteres Terminal oder --format markdown"


class _Column:
    """One column of the status table, the same in every Oberziel's table."""

    def __init__(self, header: str, cells: list[str], *, flexible: int = 0, least: int = 0):
        self.header = header
        self.cells = cells
        self.flexible = flexible  # weight when sharing the width; 0: grows first, to its content
        #: every character one terminal column wide (its width is its length)
        self.narrow = _NARROW(header.replace("\n", "") + "".join(cells)) is not None
        size = len if self.narrow else _cells
        words = [size(w) for text in (header, *cells) for w in text.split()]
        self.natural = max(
            [*(size(line) for line in header.split("\n")), *(size(c) for c in cells)]
        )
        # narrowest without breaking a word; a flexible column at least ``least`` (the
        # title column: the longest id, so no id is broken) and words up to _MAX_WORD
        longest = max(words, default=0)
        self.least = max(least, min(longest, _MAX_WORD)) if flexible else longest
        self.width = self.least


def _fit(columns: list[_Column], available: int) -> None:
    """Widths for ``columns`` in ``available`` characters: every column at least its
    least, then the fixed columns up to their content, then what is left shared by weight.
    If even the least widths do not fit, the title column gives way (an id is folded
    onto a second line, never cut)."""
    for c in columns:
        c.width = c.least
    rest = available - sum(c.width for c in columns)
    if rest < 0:
        widest = max(columns, key=lambda c: c.width)
        widest.width = max(10, widest.width + rest)
        return
    for c in columns:
        if not c.flexible:
            step = min(c.natural - c.width, rest)
            c.width += step
            rest -= step
    while rest > 0:
        growing = [c for c in columns if c.flexible and c.width < c.natural]
        if not growing:
            break
        weight = sum(c.flexible for c in growing)
        given = 0
        for c in growing:
            step = min(c.natural - c.width, max(1, rest * c.flexible // weight), rest - given)
            c.width += step
            given += step
        rest -= given
        if not given:
            break


def _start_label(kinds: list[str]) -> str:
    from ihk.kinds import KINDS

    labels = [_START.get(KINDS[k].start_field or "", "Seit") for k in kinds]
    return "/".join(dict.fromkeys(labels))


def _title_label(kinds: list[str]) -> str:
    from ihk.kinds import KINDS

    return "/".join(KINDS[k].label for k in kinds) + " (Kennung)"


def status_table(report: StatusReport) -> None:
    """The status report as tables, one per Oberziel, all with the same columns.

    On a terminal the table fits its width: an id is never cut (the title column is
    at least as wide as the longest id), and if Träger and Finanzierung do not fit,
    they are left out with a note saying so. Piped or in a file the table is
    ``PIPE_WIDTH`` wide with every column. Above ``PLAIN_ROWS`` rows it is plain
    aligned text (in the states' colours on a colour terminal).
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own way is SystemExit(1)
            self.quiet = True
            raise OutputClosed

    with _writing():
        console = _Console(highlight=False)
        if not console.is_terminal:
            console.width = PIPE_WIDTH
        if sum(len(g.rows) for g in report.groups) > PLAIN_ROWS:
            styles = (
                _ansi_styles(console.color_system, console.no_color)
                if console.color_system
                else None
            )
            text = plain_status_table(
                report, console.width, terminal=console.is_terminal, styles=styles
            )
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        _rich_status_table(console, report)


#: State (or "bold") -> the ANSI codes that start and end text in its style.
Styles = dict[str, tuple[str, str]]


def _ansi_styles(color_system: str, no_color: bool = False) -> Styles:
    """The terminal styles of the states (vocab's, as the rich table shows them) and of
    headings, as ANSI codes for ``color_system``; ``no_color`` (``NO_COLOR``): without
    their colours, as rich does."""
    from rich.color import ColorSystem
    from rich.style import Style

    from ihk.vocab import STATUS

    system = {
        "standard": ColorSystem.STANDARD,
        "256": ColorSystem.EIGHT_BIT,
        "truecolor": ColorSystem.TRUECOLOR,
        "windows": ColorSystem.WINDOWS,
    }[color_system]
    found: Styles = {}
    for name, style in [*((s, w.stil) for s, w in STATUS.items()), ("bold", "bold")]:
        parsed = Style.parse(style)
        if no_color:
            parsed = parsed.without_color
        start, _, end = parsed.render("\0", color_system=system).partition("\0")
        found[name] = (start, end)
    return found


def _rich_status_table(console: Console, report: StatusReport) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ihk.kinds import KINDS
    from ihk.vocab import STATES, STATUS, monat_kurz, status_kurz

    def text(value: str, style: str = "") -> Text:
        # every cell is a Text of cleaned characters: no markup, no control codes
        return Text(clean(value), style=style)

    rows = [row for group in report.groups for row in group.rows]
    both = len(report.kinds) > 1
    kinds = _Column("Art", [KINDS[k].label for k in report.kinds]) if both else None
    longest_id = max((len(r.id) for r in rows), default=0)
    title = _Column(
        _title_label(report.kinds),
        [r.titel for r in rows] + [r.id for r in rows],
        flexible=4,
        least=max(longest_id, _MIN_TITLE),
    )
    traeger = _Column(
        "Träger/Beteiligte",
        [", ".join(r.traeger) or "–" for r in rows],
        flexible=3,
        least=_MIN_TRAEGER,
    )
    money = _Column("Finanzierung", [_money(r) for r in rows], flexible=2, least=_MIN_FINANZIERUNG)
    # "Aufnahme/Beginn" on two lines: the months are narrower ("März 2005")
    start = _Column(
        _start_label(report.kinds).replace("/", "/\n"), [monat_kurz(r.seit) for r in rows]
    )
    state = _Column("Stand", [status_kurz(s) for s in STATES])
    fixed = [c for c in (kinds, start, state) if c is not None]

    def fits(columns: list[_Column]) -> int:
        """The width left for the content of ``columns`` (each has 1 + 1 padding + a rule)."""
        return console.width - (3 * len(columns) + 1)

    wide = [*fixed, title, traeger, money]
    hidden = console.is_terminal and fits(wide) < sum(c.least for c in wide)
    columns = [c for c in wide if not (hidden and c in (traeger, money))]
    _fit(columns, fits(columns))
    if traeger.width < len(traeger.header):
        traeger.header = "Träger/\nBeteiligte"
    order = [c for c in (kinds, title, traeger, money, start, state) if c in columns]

    console.print(text(_heading(report), "bold"))
    for group in report.groups:
        console.print(text(f"Oberziel: {group.titel}", "bold"))
        table = Table(box=box.HEAVY_HEAD)
        for column in order:
            table.add_column(
                column.header,
                width=column.width,
                overflow="fold",  # a word wider than its column is folded, never cut
            )
        for row in group.rows:
            style = STATUS[row.status].stil
            cells = {id(title): text(row.titel, style)}
            # the id on a line of its own, never broken: it is what `ihk set` takes
            cells[id(title)].append(f"\n{clean(row.id)}", style=f"{style} italic")
            if kinds is not None:
                cells[id(kinds)] = text(KINDS[row.kind].label, style)
            cells[id(traeger)] = text(", ".join(row.traeger) or "–", style)
            cells[id(money)] = text(_money(row), style)
            cells[id(start)] = text(monat_kurz(row.seit), style)
            cells[id(state)] = text(status_kurz(row.status), style)
            table.add_row(*(cells[id(c)] for c in order))
        console.print(table)
    if hidden:
        console.print(text(HIDDEN_NOTE), soft_wrap=False)
    if rows and console.color_system is not None:
        console.print(_legend(console.width), soft_wrap=True)
    console.print(_counts(report, console.width), soft_wrap=True)
    for line in indicator_lines(report):
        console.print(text(line), soft_wrap=True)


def _packed(lead: Any, items: list[Any], width: int) -> Any:
    """``lead`` and ``items`` (rich Texts) on lines of ``width``, broken only between
    items, with " · " between them and later lines indented under the first item."""
    from rich.text import Text

    line = Text.assemble(lead)
    indent = " " * (len(lead) + 1)
    used = len(line)
    for i, item in enumerate(items):
        gap = " · " if i else " "
        if i and used + len(gap) + len(item) > width:
            line.append("\n" + indent)
            used, gap = len(indent), ""
        line.append(gap)
        line.append_text(item)
        used += len(gap) + len(item)
    return line


def _legend(width: int) -> Any:
    """The IHK's colour legend, each state in its colour."""
    from rich.text import Text

    from ihk.vocab import STATES, STATUS

    words = [Text(STATUS[s].legende, style=STATUS[s].stil) for s in STATES]
    return _packed(Text("Legende:"), words, width)


def _counts(report: StatusReport, width: int) -> Any:
    from rich.text import Text

    head, _, rest = counts_line(report).partition(": ")
    return _packed(Text(clean(head + ":")), [Text(p) for p in rest.split(" · ")], width)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces (a longer
    word is split). Several times faster than ``textwrap`` for table cells."""
    rest = " ".join(text.split())
    lines: list[str] = []
    while len(rest) > width:
        cut = rest.rfind(" ", 0, width + 1)
        if cut > 0:
            lines.append(rest[:cut])
            rest = rest[cut + 1 :]
        else:  # a word longer than the column
            lines.append(rest[:width])
            rest = rest[width:].lstrip(" ")
    if rest or not lines:
        lines.append(rest)
    return lines


#: Text whose every character takes one terminal column: ASCII and the Latin letters (no
#: combining marks, no wide CJK characters or emoji), so that its width is its length.
_NARROW = re.compile("[\x20-\x7e\xa0-\u02ff]*").fullmatch


def _cells(text: str) -> int:
    """The terminal columns ``text`` takes (a wide CJK character or emoji two, a
    combining mark none), as rich counts them."""
    if _NARROW(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _wrap_cells(text: str, width: int) -> list[str]:
    """``_wrap`` for text with characters that are not one column wide: lines of at
    most ``width`` terminal columns, broken at spaces (a wider word is folded)."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = _cells(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:  # a word wider than the column
            part, taken = "", 0
            for char in word:
                step = _cells(char)
                if part and taken + step > width:
                    break
                part, taken = part + char, taken + step
            lines.append(part)
            word = word[len(part) :]
            size = _cells(word)
        line, used = word, size
    if line or not lines:
        lines.append(line)
    return lines


def _padded(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal columns."""
    return text + " " * (width - _cells(text))


def plain_status_table(
    report: StatusReport,
    width: int = PIPE_WIDTH,
    *,
    terminal: bool = False,
    styles: Styles | None = None,
) -> str:
    """The status report as plain aligned text, fast for any number of rows (a few
    microseconds each): the rich table's columns at the same ``width`` (on a
    ``terminal``, Träger and Finanzierung are left out with a note if they do not fit),
    the id in a column of its own and whole, long cells wrapped onto more lines. With
    ``styles`` (a colour terminal) each row is in its state's colour, under the legend."""
    from ihk.kinds import KINDS
    from ihk.vocab import STATES, STATUS, monat_kurz, status_kurz

    rows = [row for group in report.groups for row in group.rows]
    both = len(report.kinds) > 1
    kinds = _Column("Art", [KINDS[r.kind].label for r in rows]) if both else None
    ident = _Column("Kennung", [clean(r.id) for r in rows])
    title = _Column("Titel", [clean(r.titel) for r in rows], flexible=4, least=_MIN_TITLE)
    traeger = _Column(
        "Träger/Beteiligte",
        [clean(", ".join(r.traeger)) or "–" for r in rows],
        flexible=3,
        least=_MIN_TRAEGER,
    )
    money = _Column(
        "Finanzierung", [clean(_money(r)) for r in rows], flexible=2, least=_MIN_FINANZIERUNG
    )
    start = _Column(_start_label(report.kinds), [monat_kurz(r.seit) for r in rows])
    state = _Column("Stand", [status_kurz(r.status) for r in rows])
    wide = [c for c in (kinds, ident, title, traeger, money, start, state) if c is not None]

    def fits(columns: list[_Column]) -> int:
        return width - 2 * (len(columns) - 1)

    hidden = terminal and fits(wide) < sum(c.least for c in wide)
    columns = [c for c in wide if not (hidden and c in (traeger, money))]
    _fit(columns, fits(columns))
    widths = [c.width for c in columns]
    pattern = "  ".join(f"{{:<{w}}}" for w in widths)

    narrow = all(c.narrow for c in columns)

    def lines(cells: list[str]) -> list[str]:
        if not narrow:  # measured in terminal columns (wide characters, combining marks)
            parts = [
                [cell] if _cells(cell) <= w else _wrap_cells(cell, w)
                for cell, w in zip(cells, widths, strict=True)
            ]
            return [
                "  ".join(
                    _padded(part[n] if n < len(part) else "", w)
                    for part, w in zip(parts, widths, strict=True)
                ).rstrip()
                for n in range(max(len(part) for part in parts))
            ]
        if all(len(cell) <= w for cell, w in zip(cells, widths, strict=True)):
            return [pattern.format(*cells).rstrip()]
        parts = [
            [cell] if len(cell) <= w else _wrap(cell, w)
            for cell, w in zip(cells, widths, strict=True)
        ]
        height = max(len(part) for part in parts)
        return [
            pattern.format(*(part[n] if n < len(part) else "" for part in parts)).rstrip()
            for n in range(height)
        ]

    def paint(text: str, style: str) -> str:
        if styles is None:
            return text
        begin, end = styles[style]
        return begin + text + end

    # each column's cells, row by row (the cells of the columns left out are not shown)
    shown = [wide.index(c) for c in columns]
    table = [c.cells for c in wide]
    head = lines([c.header for c in columns])
    rule = "  ".join("-" * w for w in widths)
    text = [paint(clean(_heading(report)), "bold")]
    index = 0
    for group in report.groups:
        text += ["", paint(clean(f"Oberziel: {group.titel}"), "bold"), *head, rule]
        for r in group.rows:
            values = [table[i][index] for i in shown]
            index += 1
            text += (paint(line, r.status) for line in lines(values))
    text.append("")
    if hidden:
        text.append(HIDDEN_NOTE)
    if rows and styles is not None:
        legend = [(STATUS[s].legende, s) for s in STATES]
        text += _packed_plain("Legende:", legend, width, paint)
    counted, _, parts = clean(counts_line(report)).partition(": ")
    text += _packed_plain(counted + ":", [(p, "") for p in parts.split(" · ")], width, paint)
    text += (clean(line) for line in indicator_lines(report))
    return "\n".join(text) + "\n"


def _packed_plain(
    lead: str, items: list[tuple[str, str]], width: int, paint: Callable[[str, str], str]
) -> list[str]:
    """``_packed`` in plain text: ``lead`` and ``items`` (text, style: "" for none) on
    lines of ``width``, broken only between items, later lines indented."""
    lines: list[str] = []
    line, used = lead, len(lead)
    indent = " " * (len(lead) + 1)
    for i, (item, style) in enumerate(items):
        gap = " · " if i else " "
        if i and used + len(gap) + len(item) > width:
            lines.append(line)
            line, used, gap = indent, len(indent), ""
        line += gap + (paint(item, style) if style else item)
        used += len(gap) + len(item)
    lines.append(line)
    return lines


def status_markdown(report: StatusReport) -> str:
    from ihk.markdown import cell, text
    from ihk.vocab import monat_kurz, status_kurz

    lines = [f"# {text(_heading(report))}", ""]
    header = f"| Kennung | Maßnahme/Projekt | Träger/Beteiligte | Finanzierung | {_start_label(report.kinds)} | Stand |"
    for group in report.groups:
        lines += [f"## Oberziel: {cell(group.titel)}", ""]
        lines.append(header)
        lines.append("|---|---|---|---|---|---|")
        for row in group.rows:
            lines.append(
                "| "
                + " | ".join(
                    cell(v)
                    for v in (
                        row.id,
                        row.titel,
                        ", ".join(row.traeger) or "–",
                        _money(row),
                        monat_kurz(row.seit),
                        status_kurz(row.status),
                    )
                )
                + " |"
            )
        lines.append("")
    lines.append(counts_line(report))
    items = indicator_lines(report)[2:]
    if items:
        lines += ["", "## Indikatoren", ""] + [f"- {text(item)}" for item in items]
    return "\n".join(lines) + "\n"


def status_csv(report: StatusReport) -> str:
    """The rows as CSV in ihk's one dialect (``csvfile``: ``;``, UTF-8 with BOM, formulas
    disarmed), with the headings and cell forms of the "Daten" layout of ``ihk export``,
    so that ``ihk import`` reads such a file too (it updates the fields it has)."""
    from ihk import csvfile
    from ihk.daten import zelle
    from ihk.kinds import KINDS

    def cell(art: str, value: Any) -> str:
        shown = zelle(art, value)
        if shown is None:
            return ""
        return csvfile.escape(shown) if isinstance(shown, str) else csvfile.zahl(shown)

    rows = [[
        "Art", "Kennung", "Titel", "Oberziel", "Umsetzungsstand", "Träger/Beteiligte",
        "Städtebauförderung", "Sonstige Finanzierung", "Kosten", "Aufnahme ins Konzept",
        "Beginn",
    ]]  # fmt: skip
    for group in report.groups:
        for row in group.rows:
            start = row.kind == "massnahme"
            rows.append([
                KINDS[row.kind].label, row.id, cell("text", row.titel), row.oberziel, row.status,
                cell("texte", row.traeger), cell("janein", row.staedtebaufoerderung),
                cell("texte", row.sonstige), cell("betrag", row.kosten),
                (row.seit or "") if start else "", row.beginn or "",
            ])  # fmt: skip
    return csvfile.write(rows)
