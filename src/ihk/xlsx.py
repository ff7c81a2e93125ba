"""The one XLSX writer of ihk (openpyxl is imported here and nowhere else).

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

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

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
    # one object per look: openpyxl keeps a style table, and new objects cost time
    fonts: dict[tuple[Any, ...], Font] = {}
    fills: dict[str, PatternFill] = {}
    aligns: dict[tuple[bool, int], Alignment] = {}
    for r, row in enumerate(sheet.rows, start=1):
        for c, item in enumerate(row, start=1):
            if item.value is None and not item.style and item.fill is None:
                continue
            cell = ws.cell(row=r, column=c)
            value = item.value
            if isinstance(value, str):
                cell.value = _ILLEGAL.sub("\ufffd", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value / 100 if item.percent else value
            if item.number_format:
                cell.number_format = item.number_format
            font, fill, border = looks.get(item.style) or (None, None, None)
            if item.color or item.italic:
                base = font or Font()
                key = (item.style, item.color, item.italic)
                if key not in fonts:
                    fonts[key] = Font(
                        bold=base.b, italic=item.italic or base.i, size=base.sz,
                        color=item.color or base.color,
                    )  # fmt: skip
                font = fonts[key]
            if item.fill:
                fill = fills.get(item.fill) or fills.setdefault(
                    item.fill, PatternFill("solid", fgColor=item.fill)
                )
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            if item.style == "header":
                cell.alignment = header_align
            else:
                wrapped = (
                    c in sheet.wrapped_columns
                    and isinstance(value, str)
                    and item.style not in ("title", "note", "group")
                )
                if wrapped or item.indent or (sheet.top and item.value is not None):
                    key2 = (wrapped, item.indent)
                    if key2 not in aligns:
                        aligns[key2] = Alignment(
                            wrap_text=wrapped or None, vertical="top", indent=item.indent
                        )
                    cell.alignment = aligns[key2]
    for merged in sheet.merged:
        ws.merge_cells(merged)
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
