"""The one XLSX writer and reader of ihk (openpyxl is imported here and nowhere else).

Reading (``read_sheet``, for ``ihk import``) is at the end of the module.

A workbook is a list of ``Sheet``\\ s; a sheet is rows of typed ``Cell``\\ s: text, or a
number with an Excel number format, each with one of a few styles (title, header,
group heading, subtotal, total). A sheet knows its column widths, its header row
(frozen with everything above it, and repeated on every printed page) and how many
columns stay in view when scrolling sideways; every sheet prints A4 landscape, fitted
to the page width, with page numbers.

Numbers stay numbers (a number format only changes how Excel shows them), so a
spreadsheet can add them up again. Text stays text: a value that starts with ``=`` is
never turned into a formula, and characters XML cannot carry become U+FFFD.

Number formats use Excel's own codes (``,`` groups thousands, ``.`` marks decimals);
a German Excel or LibreOffice shows them the German way (``1.234.567 €``).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from ihk.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Whole euros with thousands separators; a zero shows as a dash, as in a KuF.
EURO = '#,##0 "€";-#,##0 "€";"–"'
#: Euros with cents.
EURO_CENT = '#,##0.00 "€";-#,##0.00 "€";"–"'
#: A share stored as a fraction (0.125) and shown as 12.5 %.
PROZENT = "0.0 %"
#: A plain count or number with thousands separators.
ZAHL = "#,##0"

Style = Literal["", "title", "note", "header", "group", "subtotal", "total"]


@dataclass(frozen=True)
class Cell:
    """One cell: text, a number (with its Excel number format) or nothing."""

    value: str | int | float | None = None
    number_format: str | None = None
    style: Style = ""
    #: Percent values are stored as fractions (Excel's own way): 12.5 -> 0.125.
    percent: bool = False
    #: A solid fill and a text colour (RRGGBB) of their own, over the style's.
    fill: str | None = None
    color: str | None = None
    #: Indentation steps (a row that belongs to the one above), and italic text.
    indent: int = 0
    italic: bool = False


def text(value: str | None, style: Style = "", **look: Any) -> Cell:
    return Cell(value, None, style, **look)


def number(value: float | None, number_format: str = EURO, style: Style = "", **look: Any) -> Cell:
    return Cell(value, number_format, style, **look)


def percent(value: float | None, style: Style = "") -> Cell:
    """A share in percent (12.5 for 12,5 %), stored as the fraction 0.125."""
    return Cell(value, PROZENT, style, percent=True)


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    #: Width of each column in characters (Excel's unit), from the first column.
    widths: Sequence[float] = ()
    #: The 1-based row of the column headings: frozen together with the rows above it
    #: and repeated at the top of every printed page.
    header_row: int | None = None
    #: Columns that stay in view when scrolling sideways (e.g. the label column).
    frozen_columns: int = 0
    #: Shown in the printed page's header (left), e.g. the report's title.
    print_header: str = ""
    wrapped_columns: set[int] = field(default_factory=set)  # 1-based, text wraps
    #: How many rows the header has (ending at ``header_row``), all repeated in print.
    header_rows: int = 1
    #: Merged ranges ("D3:E3").
    merged: Sequence[str] = ()
    #: The range with filter buttons in its first row ("A4:H120"), if any.
    autofilter: str | None = None
    #: Align every cell below the header at the top (rows of different heights).
    top: bool = False
    #: Printed fitted to the page width (a wide data sheet prints across pages instead).
    fit_width: bool = True


#: What XML 1.0 cannot carry (openpyxl refuses it): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What Excel does not allow in a sheet's name.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA: a column as spreadsheets name it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(name: str) -> str:
    """``name`` as Excel allows it: without ``[]:*?/\\``, at most 31 characters."""
    clean = _SHEET_NAME.sub("-", name).strip("'") or "Tabelle"
    return clean[:31]


def workbook(sheets: Sequence[Sheet], title: str = "") -> bytes:
    """The XLSX file of ``sheets``, in order."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    wb.properties.creator = "ihk"
    if title:
        wb.properties.title = _ILLEGAL.sub("\ufffd", title)
    used: set[str] = set()
    for sheet in sheets:
        name = sheet_name(sheet.name)
        n = 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name = sheet_name(sheet.name)[: 31 - len(suffix)] + suffix
            n += 1
        used.add(name.casefold())
        _fill(wb.create_sheet(name), sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


#: Points per line of wrapped text (11 pt), and the width of a character relative to
#: Excel's width unit (the digit "0"): ordinary text is a little narrower.
_LINE = 14.5
_CHARS_PER_UNIT = 1.05
_RANGE = re.compile(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _wrapped_lines(text: str, per_line: int) -> int:
    """How many lines ``text`` takes when wrapped at spaces (a longer word is cut)."""
    lines, used = 1, 0
    for word in text.split():
        while len(word) > per_line:
            lines += 1 if used else 0
            word, used = word[per_line:], 0
            lines += 1
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _heights(sheet: Sheet) -> dict[int, float]:
    """Row heights for rows with wrapped text, estimated from text length and column
    width (a merged range on one row counts with its whole width). Spreadsheets do not
    all fit rows to wrapped text when they open a file (LibreOffice does not), so the
    height is written."""
    if not sheet.wrapped_columns or not sheet.widths:
        return {}
    spans: dict[tuple[int, int], int] = {}
    for merged in sheet.merged:
        match = _RANGE.fullmatch(merged)
        if match and match[2] == match[4]:
            spans[(int(match[2]), _column_number(match[1]))] = _column_number(match[3])
    heights: dict[int, float] = {}
    for r, row in enumerate(sheet.rows, start=1):
        lines = 1
        for c, item in enumerate(row, start=1):
            if not isinstance(item.value, str) or item.style in ("title", "note", "group"):
                continue
            last = spans.get((r, c), c)
            if c not in sheet.wrapped_columns and last == c:
                continue
            width = sum(sheet.widths[c - 1 : last]) - 2 * item.indent
            per_line = max(1, int(width * _CHARS_PER_UNIT))
            lines = max(lines, sum(_wrapped_lines(p, per_line) for p in item.value.split("\n")))
        if lines > 1:
            heights[r] = round(lines * _LINE + 1, 1)
    return heights


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    thin = Side(style="thin")
    bold = Font(bold=True)
    looks = {
        "title": (Font(bold=True, size=14), None, None),
        "note": (Font(italic=True, color="555555"), None, None),
        "header": (bold, PatternFill("solid", fgColor="DDDDDD"), Border(bottom=thin)),
        "group": (bold, PatternFill("solid", fgColor="F2F2F2"), None),
        "subtotal": (Font(italic=True, bold=True), None, Border(top=thin)),
        "total": (bold, None, Border(top=thin, bottom=Side(style="double"))),
    }
    header_align = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
    # Each look is styled once; every other cell of that look gets a copy of the first
    # one's style ids (openpyxl hashes a style object on every assignment, which costs
    # far more than the cell itself in a sheet of 10,000 rows).
    styled: dict[tuple[Any, ...], Any] = {}
    for r, row in enumerate(sheet.rows, start=1):
        for c, item in enumerate(row, start=1):
            value = item.value
            if value is None and not item.style and item.fill is None:
                continue
            # ``_value`` and ``_style`` are openpyxl's own fields (set as its reader
            # does): the value is checked here already, the style copied from its twin
            cell: Any = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell._value = _ILLEGAL.sub("\ufffd", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cell._value = value / 100 if item.percent else value
                cell.data_type = "n"
            wrapped = (
                c in sheet.wrapped_columns
                and isinstance(value, str)
                and item.style not in ("title", "note", "group")
            )
            aligned = wrapped or bool(item.indent) or (sheet.top and value is not None)
            if not (item.style or item.number_format or item.color or item.italic or item.fill
                    or aligned):  # fmt: skip
                continue  # the default look: nothing to set
            key = (item.style, item.number_format, item.color, item.italic, item.fill,
                   wrapped, item.indent, aligned)  # fmt: skip
            if key in styled:
                cell._style = copy(styled[key])
                continue
            if item.number_format:
                cell.number_format = item.number_format
            font, fill, border = looks.get(item.style) or (None, None, None)
            if item.color or item.italic:
                base = font or Font()
                font = Font(
                    bold=base.b, italic=item.italic or base.i, size=base.sz,
                    color=item.color or base.color,
                )  # fmt: skip
            if item.fill:
                fill = PatternFill("solid", fgColor=item.fill)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            if item.style == "header":
                cell.alignment = header_align
            elif aligned:
                # an indent shows only on a left-aligned cell (Excel and LibreOffice
                # ignore it under the default "General" alignment)
                cell.alignment = Alignment(
                    horizontal="left" if item.indent else None,
                    wrap_text=wrapped or None,
                    vertical="top",
                    indent=item.indent,
                )
            styled[key] = cell._style
    # The merged ranges are ihk's own and never overlap, so each goes straight into the
    # sheet's set: openpyxl's merge_cells compares a new range with every earlier one,
    # which is quadratic (4 of 26 s in a 10,000-row export).
    for merged in sheet.merged:
        mcr = MergedCellRange(ws, merged)
        ws.merged_cells.ranges.add(mcr)
        ws._clean_merge_range(mcr)  # type: ignore[attr-defined]  # what merge_cells does next
    for r, height in _heights(sheet).items():
        ws.row_dimensions[r].height = height
    if sheet.autofilter:
        ws.auto_filter.ref = sheet.autofilter
    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if sheet.header_row or sheet.frozen_columns:
        first = get_column_letter(sheet.frozen_columns + 1)
        ws.freeze_panes = f"{first}{(sheet.header_row or 0) + 1}"
    if sheet.header_row:
        first_header = max(1, sheet.header_row - sheet.header_rows + 1)
        ws.print_title_rows = f"{first_header}:{sheet.header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if sheet.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    header, footer = ws.oddHeader, ws.oddFooter
    if sheet.print_header and header is not None:
        header.left.text = _ILLEGAL.sub("\ufffd", sheet.print_header.replace("&", "&&"))
    if footer is not None:
        footer.right.text = "Seite &P von &N"


# ------------------------------------------------------------------------------ reading
#
# ``ihk import`` reads workbooks people made: values, the colour of each cell (a row's
# state may be its colour), bold text. Nothing in a workbook is ever run: formulas are
# not evaluated (their value as Excel saved it is taken), links and macros are not
# loaded. A workbook is a zip file; its size is checked before anything is unpacked, so
# a "zip bomb" is refused instead of filling the memory.

#: Largest workbook file that is read.
MAX_FILE_BYTES = 50_000_000
#: Largest sum of the unpacked parts of a workbook.
MAX_UNPACKED_BYTES = 400_000_000
#: Largest sheet that is read (rows, columns).
MAX_ROWS = 200_000
MAX_COLUMNS = 500


@dataclass(frozen=True)
class ReadCell:
    """A cell as read: its value (text, number, bool, datetime or None) and its look."""

    value: Any = None
    #: The formula of a formula cell ("=SUMME(F5:F9)"); ``value`` is then the result
    #: Excel saved with it (None if it saved none).
    formula: str | None = None
    #: An error value instead of a value ("#DIV/0!").
    error: str | None = None
    fill: str | None = None  # RRGGBB of a solid fill
    color: str | None = None  # RRGGBB of the text; None: automatic (black)
    bold: bool = False
    #: A date whose number format shows no year ("01. Dez"): Excel made it of what was
    #: typed ("Dez 01" is the 1st of December of the year of typing), the year is a guess.
    ohne_jahr: bool = False


@dataclass(frozen=True)
class ReadSheet:
    name: str
    #: Every sheet of the workbook, in order.
    names: tuple[str, ...]
    rows: list[list[ReadCell]]


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message)


def _check_zip(data: bytes, shown: str) -> None:
    import zipfile

    if len(data) > MAX_FILE_BYTES:
        raise _refuse(
            f"{shown}: {len(data) / 1e6:.0f} MB – Arbeitsmappen über "
            f"{MAX_FILE_BYTES // 1_000_000} MB liest ihk nicht"
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(
            f"{shown}: eine Arbeitsmappe im alten Excel-Format (.xls); bitte in Excel als "
            "„Excel-Arbeitsmappe (.xlsx)“ speichern"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(f"{shown}: keine Excel-Arbeitsmappe (.xlsx)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            f"{shown}: entpackt {unpacked / 1e6:.0f} MB – mehr als "
            f"{MAX_UNPACKED_BYTES // 1_000_000} MB liest ihk nicht (eine „Zip-Bombe“?)"
        )
    if "xl/workbook.xml" not in names:
        raise _refuse(f"{shown}: keine Excel-Arbeitsmappe (.xlsx; xl/workbook.xml fehlt)")


def _load(data: bytes, shown: str, *, values: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=values, keep_links=False, keep_vba=False
        )
    except Exception as e:  # openpyxl's errors of a broken file have no common base
        said = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise _refuse(
            f"{shown}: Arbeitsmappe nicht lesbar – beschädigt oder kein gültiges XLSX (Excel "
            f"öffnen und als .xlsx speichern hilft oft; openpyxl meldet: {said[:200]})"
        ) from None


def _theme(wb: Any) -> list[str]:
    """The theme's colours in the order of a colour's ``theme`` index (light 1, dark 1,
    light 2, dark 2, accent 1–6, link, followed link)."""
    if not wb.loaded_theme:
        return []
    from openpyxl.xml.functions import fromstring  # defusedxml when installed

    try:
        root = fromstring(wb.loaded_theme)
    except Exception:  # a broken theme only costs the theme colours
        return []
    main = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f"{main}themeElements/{main}clrScheme")
    if scheme is None:
        return []
    found = []
    for entry in scheme:
        srgb, sys = entry.find(f"{main}srgbClr"), entry.find(f"{main}sysClr")
        value = (
            srgb.get("val")
            if srgb is not None
            else (sys.get("lastClr") if sys is not None else None)
        )
        found.append((value or "000000").upper()[-6:])
    if len(found) >= 4:
        found[0], found[1], found[2], found[3] = found[1], found[0], found[3], found[2]
    return found


def _tinted(rgb: str, tint: float) -> str:
    import colorsys

    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(h, light, s))


def _rgb(color: Any, theme: list[str]) -> str | None:
    """RRGGBB of an openpyxl colour (rgb, indexed palette or theme with tint); None for
    "automatic"."""
    if color is None:
        return None
    kind = getattr(color, "type", None)
    value: str | None = None
    if kind == "rgb" and isinstance(color.rgb, str):
        value = color.rgb[-6:].upper()
    elif kind == "indexed" and isinstance(color.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        value = COLOR_INDEX[color.indexed][-6:] if color.indexed < 64 else None
    elif kind == "theme" and isinstance(color.theme, int) and color.theme < len(theme):
        value = theme[color.theme]
    if value is None or not re.fullmatch(r"[0-9A-F]{6}", value):
        return None
    tint = getattr(color, "tint", 0.0) or 0.0
    return _tinted(value, tint) if tint else value


_NOTHING = ReadCell()


def _read_cell(cell: Any, theme: list[str] | None) -> ReadCell:
    """A cell's value and, with ``theme`` (not None), its colours and weight."""
    value = cell.value
    kind = cell.data_type
    if isinstance(value, _dt.date) and "y" not in str(cell.number_format).lower():
        return ReadCell(value, ohne_jahr=True)
    if theme is None or (value is None and getattr(cell, "style_id", 0) == 0):
        if value is None:
            return _NOTHING
        if kind == "f":
            return ReadCell(None, str(value))
        if kind == "e":
            return ReadCell(None, None, str(value))
        return ReadCell(value)
    fill = None
    if getattr(cell.fill, "fill_type", None) == "solid":
        fill = _rgb(cell.fill.fgColor, theme)
    font = cell.font
    color = _rgb(font.color, theme) if font is not None else None
    bold = bool(font is not None and font.b)
    if kind == "f":
        return ReadCell(None, str(value), None, fill, color, bold)
    if kind == "e":
        return ReadCell(None, None, str(value), fill, color, bold)
    return ReadCell(value, None, None, fill, color, bold)


def read_sheet(
    data: bytes, shown: str, wanted: str | None = None, *, looks: bool = True
) -> ReadSheet:
    """One sheet of a workbook: ``wanted`` (by name, any case), else the sheet "Daten"
    if there is one, else the first; with ``looks`` the colours and weight of every cell
    too (a table of 10,000 rows reads in about half the time without). Refused
    (``InvalidInput``, German): not a workbook, too large, unreadable, no such sheet."""
    _check_zip(data, shown)
    wb = _load(data, shown, values=False)
    try:
        names = tuple(wb.sheetnames)
        name = _chosen(names, wanted, shown)
        theme = _theme(wb) if looks else None
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            raise _refuse(f"{shown}: „{name}“ ist ein Diagrammblatt, keine Tabelle")
        rows = _rows(ws, theme, shown, name)
    finally:
        wb.close()
    if any(c.formula for row in rows for c in row):
        rows = _with_saved_results(data, shown, name, rows)
    return ReadSheet(name, names, rows)


def _chosen(names: tuple[str, ...], wanted: str | None, shown: str) -> str:
    if wanted is not None:
        for name in names:
            if name == wanted or name.casefold() == wanted.strip().casefold():
                return name
        listed = ", ".join(f"„{n}“" for n in names)
        raise UsageError(f"{shown}: ein Blatt „{wanted}“ gibt es nicht; es gibt {listed}")
    for name in names:
        if name.casefold() == "daten":
            return name
    if not names:
        raise _refuse(f"{shown}: die Arbeitsmappe hat kein Blatt")
    return names[0]


def _rows(ws: Any, theme: list[str] | None, shown: str, name: str) -> list[list[ReadCell]]:
    ws.reset_dimensions()  # a stated size may be wrong (or huge); read what is there
    rows: list[list[ReadCell]] = []
    for row in ws.iter_rows():
        if len(rows) >= MAX_ROWS:
            raise _refuse(f"{shown}: das Blatt „{name}“ hat mehr als {MAX_ROWS} Zeilen")
        cells = [_read_cell(c, theme) for c in row]
        while cells and cells[-1] == _NOTHING:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise _refuse(
                f"{shown}: das Blatt „{name}“ hat mehr als {MAX_COLUMNS} Spalten mit Inhalt"
            )
        first = row[0].row if row and getattr(row[0], "row", None) else len(rows) + 1
        while len(rows) < first - 1:  # rows the file leaves out are empty
            rows.append([])
        rows.append(cells)
    return rows


def _with_saved_results(
    data: bytes, shown: str, name: str, rows: list[list[ReadCell]]
) -> list[list[ReadCell]]:
    """The formula cells with the results Excel saved with them (never computed here)."""
    wb = _load(data, shown, values=True)
    try:
        ws = wb[name]
        ws.reset_dimensions()
        saved = {
            (cell.row, cell.column): cell.value
            for row in ws.iter_rows()
            for cell in row
            if getattr(cell, "row", None) is not None
        }
    finally:
        wb.close()
    return [
        [
            replace(c, value=saved.get((r, k))) if c.formula else c
            for k, c in enumerate(cells, start=1)
        ]
        for r, cells in enumerate(rows, start=1)
    ]
