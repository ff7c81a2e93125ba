"""A hand-made IHK workbook, as a Sachbearbeiterin keeps it (built with openpyxl).

Like the seed's "Ausschnitt IHK": a title row above the header, a two-row header with
"Vorgesehene Finanzierung" merged over Stbauf. and Sonst. F., a running number and a
comment column, merged bold Oberziel rows, blank rows, states as colours (text colours
from the standard palette and a fill in a theme colour with a tint) instead of a status
column, months as "Dez 01", a date Excel made of one, "12/2001" and "2001-12", "Ja", "x",
"–" and empty for Stbauf., Nachtrag rows (one with text, one that adds to the lists
above), and the legend below the table.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.colors import Color

GRUEN, BLAU, ROT = "00B050", "0070C0", "FF0000"


def build(path: Path | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "IHK 2003"
    ws["A1"] = "Integriertes Handlungskonzept Belm-Powe – Fortschreibung Dez. 2003"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:H1")
    head = ["Nr.", "Maßnahmen/Projekte", "Weitere Ziele", "Ausführende Träger/ Beteiligte",
            "Vorgesehene Finanzierung", None, "Aufn. in Konzept", "Bemerkung"]  # fmt: skip
    for col, text in enumerate(head, start=1):
        ws.cell(3, col, text).font = Font(bold=True)
    ws.merge_cells("E3:F3")
    ws["E4"], ws["F4"] = "Stbauf.", "Sonst. F."
    grey = PatternFill("solid", fgColor="D9D9D9")

    def heading(row: int, text: str) -> None:
        ws.cell(row, 2, text).font = Font(bold=True)
        ws.cell(row, 2).fill = grey
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)

    def measure(row: int, values: list[object], color: str | None = None,
                fill: PatternFill | None = None) -> None:  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if color:
                cell.font = Font(color=color)
            if fill:
                cell.fill = fill

    heading(5, "Oberziel: Unterstützung und Ausbau von Nachbarschaften und sozialen Netzen")
    measure(6, [1, "Errichtung eines Bürgerhauses mit Stadtteilbüro, Sozialberatungsstelle, "
                "Veranstaltungsräumen, Kindergarten, usw.",
                "Qualifizierung und Beschäftigung; Verbesserung der Lebenssituation für Kinder "
                "und Jugendliche; Bürgerbeteiligung",
                "Arbeitsamt, Architekt, Bewohner, soziale Einrichtungen, Gemeinde, Landkreis",
                "Ja", "Arbeitsamt, Landkreis, sonstige Förderprogramme", "Dez 01"])  # fmt: skip
    measure(7, [None, "Die Planung eines Bürgerhauses wird zunächst nicht weiter verfolgt. "
                "Auf Grund der demographischen Situation wird eine dezentrale Lösung "
                "angestrebt (Leerständeproblematik)", None, None, None, None,
                "Nachtrag Dez. 03"])  # fmt: skip
    measure(9, [2, "Aufbau einer Sozialstation im Erdgeschossbereich eines Punkthochhauses",
                "Beschäftigung und Qualifizierung",
                "Eigentümer, Kirche, FD Soziales b. Landkreis; Arbeitsamt", "x",
                "Kirchen, Arbeitsamt, Gemeinde, Klosterkammer", "Dez. 2001",
                "Räume im EG angemietet"], color=GRUEN)  # fmt: skip
    measure(10, [3, "Hauswirtschaftliche Soforthilfe in Notsituationen",
                 "Qualifizierung; Verbesserung der Lebenssituation für Kinder und Jugendliche",
                 "Diakonie (Sozialstation),\nBewohnerinnen", None, "ehrenamtlich",
                 dt.datetime(2001, 12, 1)], color=BLAU)  # fmt: skip
    ws.cell(10, 7).number_format = "mmm yy"
    light_blue = PatternFill("solid", fgColor=Color(theme=4, tint=0.5999938962981048))
    measure(11, [4, "Servicebüro Nachbarschaftshilfe (Einrichtung im Bürgerhaus)",
                 "Qualifizierung u. Beschäftigung;", "Verein, Arbeitsamt, Bewohner", "–",
                 "Arbeitsamt,", "12/2001"], fill=light_blue)  # fmt: skip
    measure(12, [None, None,
                 "Verknüpfung des Sanierungsgebietes mit den angrenzenden Gemeindeteilen;",
                 "Belmer Integrationsclub", None, "Evtl. LOS", "Nachtrag Dez. 2003"],
            fill=light_blue)  # fmt: skip
    heading(14, "Oberziel: Wohn- und Wohnumfeldverbesserung")
    measure(15, [5, "Umgestaltung des Stettiner Platzes", "Bürgerbeteiligung und Aktivierung",
                 "Gemeinde, Bewohner", "Ja", "Gemeinde, ehrenamtliche Aktionen", "2001-12"],
            color=ROT)  # fmt: skip
    for row, (text, color) in enumerate(
        [("Grün = abgeschlossen und umgesetzt", GRUEN),
         ("Blau = in der aktiven Umsetzungs-/Durchführungsphase", BLAU),
         ("Rot = in der Planung", ROT), ("Schwarz = war geplant, nicht umgesetzt", None)],
        start=18,
    ):  # fmt: skip
        ws.cell(row, 2, text).font = Font(color=color) if color else Font()
    for col, width in zip("ABCDEFGH", (5, 45, 30, 30, 8, 20, 12, 25), strict=True):
        ws.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    if path is not None:
        path.write_bytes(buffer.getvalue())
    return buffer.getvalue()
