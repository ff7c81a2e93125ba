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
import csv
import errno
import io
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ihk.commands.status import Row, StatusReport
    from ihk.errors import Problem

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


def out_json(data: Any) -> None:
    out(dumps(data), json=True)


def err(line: str) -> None:
    """A line on stderr; if stderr is gone (a hung-up terminal), there is no one to tell."""
    with contextlib.suppress(OSError):
        sys.stderr.write(clean(line) + "\n")
        sys.stderr.flush()


def problems(items: list[Problem], *, to_stdout: bool = False) -> None:
    if not items:
        return
    lines = "\n".join(str(problem) for problem in items)
    if to_stdout:
        out(lines)
    else:
        err(lines)


def dumps(data: Any) -> str:
    """JSON as ihk writes it (UTF-8, indented); ``out(…, json=True)`` makes it safe to print."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
    messages = []
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    if missing:
        target.parent.mkdir(parents=True, exist_ok=True)
        messages.append(f"Ordner angelegt: {_shown(target.parent)}")
    atomic_write(target, data)
    return messages


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


def status_table(report: StatusReport) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ihk.kinds import KINDS
    from ihk.vocab import STATUS, monat_kurz, status_kurz

    def text(value: str, style: str = "") -> Text:
        # every cell is a Text of cleaned characters: no markup, no control codes
        return Text(clean(value), style=style)

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own way is SystemExit(1)
            self.quiet = True
            raise OutputClosed

    with _writing():
        console = _Console(highlight=False)
        both = len(report.kinds) > 1
        # Narrow terminals get the columns people scan for; wide ones the whole IHK row.
        wide = console.width >= 120
        console.print(text(f"IHK {report.gebiet or ''}".rstrip(), "bold"))
        for group in report.groups:
            table = Table(
                title=text(f"Oberziel: {group.titel}", "bold"),  # rich ignores title_style then
                title_justify="left",
                expand=True,
            )
            if both:
                table.add_column("Art", no_wrap=True)
            table.add_column("Maßnahme/Projekt (Kennung)", ratio=4)
            if wide:
                table.add_column("Träger/Beteiligte", ratio=3)
                table.add_column("Finanzierung", ratio=2)
            table.add_column("Seit", no_wrap=True)
            table.add_column("Stand", no_wrap=True)
            for row in group.rows:
                style = STATUS[row.status].stil
                title = text(row.titel, style)
                # the id on a line of its own, never broken: it is what `ihk set` takes
                title.append(f"\n{clean(row.id)}", style=f"{style} italic")
                cells = [text(KINDS[row.kind].label, style)] if both else []
                cells.append(title)
                if wide:
                    cells += [text(", ".join(row.traeger) or "–", style), text(_money(row), style)]
                cells += [text(monat_kurz(row.seit), style), text(status_kurz(row.status), style)]
                table.add_row(*cells)
            console.print(table)
        console.print(text(counts_line(report)), soft_wrap=True)


def status_markdown(report: StatusReport) -> str:
    from ihk.markdown import cell, text
    from ihk.vocab import monat_kurz, status_kurz

    lines = [f"# IHK {text(report.gebiet)}".rstrip(), ""]
    for group in report.groups:
        lines += [f"## Oberziel: {cell(group.titel)}", ""]
        lines.append(
            "| Kennung | Maßnahme/Projekt | Träger/Beteiligte | Finanzierung | Seit | Stand |"
        )
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
    return "\n".join(lines) + "\n"


def status_csv(report: StatusReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "art",
            "id",
            "titel",
            "oberziel",
            "status",
            "traeger",
            "staedtebaufoerderung",
            "sonstige",
            "seit",
        ]
    )
    for group in report.groups:
        for row in group.rows:
            writer.writerow(
                [
                    row.kind,
                    row.id,
                    row.titel,
                    row.oberziel,
                    row.status,
                    "; ".join(row.traeger),
                    "ja" if row.staedtebaufoerderung else "nein",
                    "; ".join(row.sonstige),
                    row.seit or "",
                ]
            )
    return buffer.getvalue()
