"""The IHK table as an Excel workbook: the sheet "IHK-Tabelle" as people know it, and
the sheet "Daten" that ``ihk import`` reads back.

"IHK-Tabelle" is the seed's layout: title, a two-row header ("Vorgesehene Finanzierung"
over Stbauf. and Sonst. F.), a heading row per Oberziel, one row per measure in the
colours of the legend (text colour and a light fill), each Nachtrag indented under its
measure, and the legend below. The header is frozen, repeated on every printed page
(A4 landscape, fitted to the width) and carries the filter buttons; costs are numbers
in the German euro format.

"Daten" is one flat row per record (``daten.DatenTabelle``): text cells for text, number
cells for amounts, the header frozen with the kind, id and title in view.
"""

from __future__ import annotations

from ihk import csvfile, xlsx
from ihk.daten import DatenTabelle, Wert
from ihk.tabelle import IhkTabelle, Zeile
from ihk.vocab import STATUS

#: Sheet names; "Daten" is what ``import`` looks for.
TABELLE = "IHK-Tabelle"
DATEN = "Daten"
#: The first table row (below title, note, the two header rows).
_HEADER = 4
_WIDTHS = (42.0, 28.0, 28.0, 7.0, 20.0, 12.0, 11.0, 14.0)
_WRAPPED = {1, 2, 3, 5}


def _row(zeile: Zeile) -> list[xlsx.Cell]:
    fill, color = STATUS[zeile.status].fuellung, STATUS[zeile.status].schrift
    cells = []
    for spalte in ("titel", "weitere_ziele", "traeger", "stbauf", "sonstige"):
        cells.append(xlsx.text(zeile.zelle(spalte) or None, fill=fill, color=color))
    cells.append(xlsx.number(zeile.kosten, xlsx.EURO, fill=fill, color=color))
    # indented: a right-aligned amount just left of it would run into the month
    cells.append(xlsx.text(zeile.zelle("aufgenommen") or None, fill=fill, color=color, indent=1))
    cells.append(xlsx.text(zeile.zelle("status"), fill=fill, color=color))
    return cells


def _table_sheet(tabelle: IhkTabelle) -> xlsx.Sheet:
    width = len(tabelle.spalten)
    note = f"Gemeinde {tabelle.gemeinde} · Programm {tabelle.programm}"
    top = [xlsx.text(None, "header") for _ in range(width)]
    top[3] = xlsx.text("Vorgesehene Finanzierung", "header")
    rows: list[list[xlsx.Cell]] = [
        [xlsx.text(tabelle.titel, "title")],
        [xlsx.text(note, "note")],
        top,
        [xlsx.text(s.titel, "header") for s in tabelle.spalten],
    ]
    merged = ["D3:E3"]
    end = xlsx.column_letter(width)
    for gruppe in tabelle.gruppen:
        rows.append([xlsx.text(gruppe.ueberschrift, "group")] + [xlsx.text(None, "group")] * 7)
        merged.append(f"A{len(rows)}:{end}{len(rows)}")
        for zeile in gruppe.zeilen:
            rows.append(_row(zeile))
            look = STATUS[zeile.status]
            for nachtrag in zeile.nachtraege:
                rows.append(
                    [xlsx.text(nachtrag.zeile, fill=look.fuellung, color=look.schrift,
                               indent=1, italic=True)]
                    + [xlsx.text(None, fill=look.fuellung)] * (width - 1)
                )  # fmt: skip
                merged.append(f"A{len(rows)}:{end}{len(rows)}")
    last = len(rows)
    rows.append([])
    for eintrag in tabelle.legende:
        look = STATUS[eintrag.status]
        rows.append([xlsx.text(eintrag.zeile, fill=look.fuellung, color=look.schrift)])
    return xlsx.Sheet(
        name=TABELLE,
        rows=rows,
        widths=_WIDTHS,
        header_row=_HEADER,
        header_rows=2,
        print_header=tabelle.titel,
        wrapped_columns=_WRAPPED,
        merged=merged,
        top=True,
        autofilter=f"A{_HEADER}:H{max(last, _HEADER)}",
    )


_DATEN_WIDTHS = {"Art": 11.0, "Kennung": 24.0, "Titel": 50.0, "Beschreibung": 50.0}


_EMPTY = xlsx.Cell()


def _daten_cell(value: Wert) -> xlsx.Cell:
    """A number stays a number, unless the workbook cannot hold it exactly (it stores
    16 significant digits; 100000000.08984375 has 17): then it is German text
    ("100000000,08984375"), which ``import`` reads back exactly."""
    if value is None:
        return _EMPTY
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return xlsx.text(csvfile.zahl(value))
    if isinstance(value, int | float):
        return xlsx.Cell(value)  # Excel's "General": 12000 or 12000,5, as the value is
    return xlsx.text(value)


def _daten_sheet(daten: DatenTabelle) -> xlsx.Sheet:
    rows: list[list[xlsx.Cell]] = [[xlsx.text(t, "header") for t in daten.kopf]]
    for zeile in daten.zeilen:
        rows.append([_daten_cell(v) for v in zeile])
    widths = [
        _DATEN_WIDTHS.get(s.titel, 14.0 if s.art in ("betrag", "monat", "janein") else 24.0)
        for s in daten.spalten
    ]
    last = xlsx.column_letter(len(daten.spalten))
    return xlsx.Sheet(
        name=DATEN,
        rows=rows,
        widths=widths,
        header_row=1,
        frozen_columns=3,
        autofilter=f"A1:{last}{len(rows)}",
        fit_width=False,
    )


def render(tabelle: IhkTabelle, daten: DatenTabelle) -> bytes:
    return xlsx.workbook([_table_sheet(tabelle), _daten_sheet(daten)], title=tabelle.titel)
