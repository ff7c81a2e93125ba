"""The XLSX writer: numbers stay numbers, text stays text, sheets print A4 landscape."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from ihk import xlsx


def _read(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def _sheet(**kw: Any) -> xlsx.Sheet:
    rows = [
        [xlsx.text("Bericht", "title")],
        [],
        [xlsx.text("Posten", "header"), xlsx.text("2005", "header"), xlsx.text("Anteil", "header")],
        [xlsx.text("Platz"), xlsx.number(120000.5), xlsx.percent(62.5)],
        [xlsx.text("Fest"), xlsx.number(0), xlsx.percent(None)],
        [xlsx.text("Gesamt", "total"), xlsx.number(120000.5, style="total"), xlsx.percent(100)],
    ]
    return xlsx.Sheet(**{"name": "Kosten", "rows": rows, **kw})


def test_numbers_formats_and_styles_read_back() -> None:
    wb = _read(xlsx.workbook([_sheet(widths=[30, 14, 9], header_row=3)], title="KuF"))
    ws = wb["Kosten"]
    assert ws["A1"].value == "Bericht" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["B3"].value == "2005" and ws["B3"].data_type == "s"  # a year heading is text
    assert ws["B4"].value == 120000.5 and ws["B4"].data_type == "n"
    assert ws["B4"].number_format == xlsx.EURO == '#,##0 "€";-#,##0 "€";"–"'
    assert ws["B5"].value == 0 and ws["C5"].value is None
    assert ws["C4"].value == 0.625 and ws["C4"].number_format == "0.0 %"  # Excel's percent
    assert ws["A6"].font.b and ws["B6"].border.bottom.style == "double"
    assert ws["A3"].font.b and ws["A3"].fill.fgColor.rgb.endswith("DDDDDD")
    assert ws.column_dimensions["A"].width == 30 and ws.column_dimensions["C"].width == 9
    assert wb.properties.title == "KuF" and wb.properties.creator == "ihk"


def test_frozen_header_and_print_setup() -> None:
    ws = _read(xlsx.workbook([_sheet(header_row=3, frozen_columns=1, print_header="IHK & Co")]))[
        "Kosten"
    ]
    assert ws.freeze_panes == "B4"  # rows 1–3 and column A stay in view
    assert ws.print_title_rows == "$3:$3"  # the header row on every printed page
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.oddHeader.left.text == "IHK && Co"  # "&" is a code in Excel's page header
    assert ws.oddFooter.right.text == "Seite &P von &N"


def test_only_columns_frozen_or_nothing() -> None:
    wb = _read(xlsx.workbook([_sheet(frozen_columns=2), _sheet(name="Zwei")]))
    assert wb["Kosten"].freeze_panes == "C1" and wb["Kosten"].print_title_rows is None
    assert wb["Zwei"].freeze_panes is None


@pytest.mark.parametrize("value", ["=1+2", '=HYPERLINK("http://x")', "@SUM(A1)", "+49 541"])
def test_text_is_never_a_formula(value: str) -> None:
    ws = _read(xlsx.workbook([xlsx.Sheet("T", [[xlsx.text(value)]])]))["T"]
    assert ws["A1"].value == value and ws["A1"].data_type == "s"


def test_characters_xml_cannot_carry() -> None:
    ws = _read(xlsx.workbook([xlsx.Sheet("T", [[xlsx.text("a\x00b\x1bc\td")]])]))["T"]
    assert ws["A1"].value == "a\ufffdb\ufffdc\td"


def test_sheet_names_as_excel_allows_them() -> None:
    assert xlsx.sheet_name("Kosten/Finanzierung [2005]: *?") == "Kosten-Finanzierung -2005-- --"
    assert len(xlsx.sheet_name("x" * 40)) == 31
    assert xlsx.sheet_name("") == "Tabelle"
    wb = _read(xlsx.workbook([xlsx.Sheet("Kosten", []), xlsx.Sheet("kosten", [])]))
    assert wb.sheetnames == ["Kosten", "kosten (2)"]
