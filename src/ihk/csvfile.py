"""CSV as German spreadsheets write and read it: the one CSV dialect of ihk.

Writing (every CSV ihk writes: status, finanzen, monitoring, export): fields separated
by ``;``, UTF-8 with a byte order mark, German headings — a German Excel opens such a
file straight into columns, with umlauts intact. Numbers are written by the caller
(plain, decimal comma). Text that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also after leading spaces) gets a
leading apostrophe, so it
shows as text and never runs (CSV injection). ``unescape`` takes exactly that
apostrophe away again, so a value goes out and comes back unchanged; an apostrophe a
text starts with is doubled only where it would otherwise be taken away.

Reading (``ihk import``): the encodings Excel writes — UTF-8 with or without BOM,
Windows-1252, UTF-16 with BOM ("Unicode-Text") or without — and the separators ``;``, ``,`` and tab
are detected, and the caller is told which; positions are (record, field), 1-based, as
a spreadsheet numbers its rows and columns.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ihk.errors import InvalidInput, Location, Problem

#: The separator ihk writes.
DELIMITER = ";"
BOM = "\ufeff"
#: What starts a formula in Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = frozenset("=+-@\t\r")


def _risky(value: str) -> bool:
    """Whether a spreadsheet may take ``value`` as a formula: it starts with one of
    ``FORMULA_STARTS``, also after leading spaces (``" =1+2"``, a no-break space)."""
    return value[:1] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS


def escape(value: str) -> str:
    """``value`` as a CSV text cell that no spreadsheet runs as a formula."""
    if _risky(value) or unescape(value) != value:
        return "'" + value
    return value


def unescape(value: str) -> str:
    """The text an ``escape``\\ d cell stands for (the leading apostrophe taken away)."""
    rest = value[1:]
    if value[:1] == "'" and (_risky(rest) or rest[:1] == "'"):
        return rest
    return value


def zahl(value: float) -> str:
    """A number as a German spreadsheet reads it, exactly: 12000, 12000,5 (no thousands
    separator, a decimal comma; the shortest form that gives the same number back)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return repr(float(value)).replace(".", ",")


def write(rows: Iterable[Sequence[str]]) -> str:
    """The CSV text of ``rows`` (already cell text), ``;``-separated, with the BOM.

    Cells are written as given: the caller escapes text cells (``escape``) and formats
    numbers; headings and ids need no escaping.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\n")
    writer.writerows(rows)
    return BOM + buffer.getvalue()


# --------------------------------------------------------------------------- reading

#: Separators that are detected, with the name users read.
SEPARATORS = {";": "„;“", ",": "„,“", "\t": "Tabulator"}


@dataclass(frozen=True)
class CsvTable:
    """What a CSV file holds: its records (rows of text fields) and how it was read."""

    rows: list[list[str]]
    encoding: str  # as users read it: "UTF-8 mit BOM", "Windows-1252" …
    delimiter: str

    @property
    def how(self) -> str:
        """ "UTF-8 mit BOM, getrennt durch „;“" """
        return f"{self.encoding}, getrennt durch {SEPARATORS[self.delimiter]}"


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with (German name).

    UTF-8 (BOM or not) and UTF-16 with BOM are certain; anything else that is not valid
    UTF-8 is read as Windows-1252, the encoding of a German Excel's "CSV (Trennzeichen-
    getrennt)". Bytes that Windows-1252 does not have make the file unreadable.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decoded(data[3:], "utf-8", "UTF-8 mit BOM")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded(data, "utf-16", "UTF-16 (Unicode-Text)")
    sample = data[:4096]
    if len(data) % 2 == 0 and len(sample) >= 4:
        # UTF-16 without BOM: every second byte NUL (German text is nearly all Latin-1)
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        half = len(sample) // 2
        if odd >= 0.9 * half and even == 0:
            return _decoded(data, "utf-16-le", "UTF-16 ohne BOM")
        if even >= 0.9 * half and odd == 0:
            return _decoded(data, "utf-16-be", "UTF-16 ohne BOM")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return _decoded(data, "cp1252", "Windows-1252")


def _decoded(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as e:
        raise InvalidInput(
            f"Die Datei ist weder UTF-8 noch Windows-1252 (Byte {data[e.start]:#04x} an "
            f"Stelle {e.start + 1} gibt es in {name} nicht); bitte in Excel als "
            "„CSV UTF-8 (durch Trennzeichen getrennt)“ speichern"
        ) from None


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows = []
    for row in reader:
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    return rows


def detect_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one that splits the first lines most regularly.

    A spreadsheet pads every record to the same number of fields, so with the right
    separator most of the first records have the same count (more than one); with a
    wrong one the counts follow the commas or semicolons inside the text. Ties go to
    ``;``, the German default.
    """
    sample = text[:65536]
    best, score = DELIMITER, (0, 0)
    for candidate in SEPARATORS:
        try:
            rows = [r for r in _records(sample, candidate, 30) if any(f.strip() for f in r)]
        except csv.Error:
            continue
        counts = Counter(len(r) for r in rows if len(r) > 1)
        if not counts:
            continue
        width, lines = counts.most_common(1)[0]
        if (lines, width) > score:
            best, score = candidate, (lines, width)
    return best


def _ends_in_quotes(text: str, delimiter: str) -> bool:
    """Whether a quoted field is still open at the end of ``text`` (the csv module,
    tolerant of stray quotes, would take the rest of the file as that one field).
    Only a text with an odd number of quote characters is scanned."""
    if text.count('"') % 2 == 0:
        return False
    quoted, at_start, i = False, True, 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif c == '"' and at_start:
            quoted = True
        else:
            at_start = c in (delimiter, "\r", "\n")
            i += 1
            continue
        at_start = False
        i += 1
    return quoted


def read(data: bytes, shown: str) -> CsvTable:
    """The records of a CSV file; a record the csv module cannot read is a problem at
    its position (``shown:RECORD:1``)."""
    text, encoding = decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InvalidInput(
            "Die Datei ist keine Textdatei (sie enthält NUL-Zeichen); ist es eine "
            "Excel-Arbeitsmappe? Dann bitte als .xlsx angeben",
            [Problem(Location(shown, line, 1), "NUL-Zeichen")],
        )
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as e:  # a field over the csv module's limit (128 KiB)
        why = (
            f"ein Feld ist länger als {csv.field_size_limit():,} Zeichen".replace(",", ".")
            + " – so lange Texte liest ihk aus CSV nicht; bitte kürzen oder als .xlsx speichern"
            if "field limit" in str(e)
            else f"Zeile nicht lesbar (csv: {e})"
        )
        raise InvalidInput(
            "Die CSV-Datei ist nicht lesbar", [Problem(Location(shown, len(rows) + 1, 1), why)]
        ) from None
    if rows and _ends_in_quotes(text, delimiter):
        raise InvalidInput(
            "Die CSV-Datei ist nicht lesbar: ein Anführungszeichen ist nicht geschlossen",
            [
                Problem(
                    Location(shown, len(rows), len(rows[-1])),
                    'das Feld beginnt mit „"“, das nirgends geschlossen wird – alles bis zum '
                    'Dateiende wäre dieses eine Feld; bitte das fehlende „"“ ergänzen',
                )
            ],
        )
    return CsvTable(rows, encoding, delimiter)
