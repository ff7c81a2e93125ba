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
from typing import TYPE_CHECKING, Literal

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


def text(value: str | None, style: Style = "") -> Cell:
    return Cell(value, None, style)


def number(value: float | None, number_format: str = EURO, style: Style = "") -> Cell:
    return Cell(value, number_format, style)


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


#: What XML 1.0 cannot carry (openpyxl refuses it): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What Excel does not allow in a sheet's name.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


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
    wrap = Alignment(wrap_text=True, vertical="top")
    header_align = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
    for r, row in enumerate(sheet.rows, start=1):
        for c, item in enumerate(row, start=1):
            if item.value is None and not item.style:
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
            look = looks.get(item.style)
            if look:
                font, fill, border = look
                cell.font = font
                if fill is not None:
                    cell.fill = fill
                if border is not None:
                    cell.border = border
            if item.style == "header":
                cell.alignment = header_align
            elif c in sheet.wrapped_columns and isinstance(value, str):
                cell.alignment = wrap
    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if sheet.header_row or sheet.frozen_columns:
        first = get_column_letter(sheet.frozen_columns + 1)
        ws.freeze_panes = f"{first}{(sheet.header_row or 0) + 1}"
    if sheet.header_row:
        ws.print_title_rows = f"{sheet.header_row}:{sheet.header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    header, footer = ws.oddHeader, ws.oddFooter
    if sheet.print_header and header is not None:
        header.left.text = _ILLEGAL.sub("\ufffd", sheet.print_header.replace("&", "&&"))
    if footer is not None:
        footer.right.text = "Seite &P von &N"
