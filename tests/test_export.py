"""ihk export: the IHK table as Excel (read back with openpyxl), CSV and Markdown."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from ihk.vocab import STATUS
from tests.conftest import Result, git


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, demo_repo: Path) -> Any:
    from typer.testing import CliRunner

    from ihk.cli import app

    out = tmp_path_factory.mktemp("export") / "ihk.xlsx"
    result = CliRunner().invoke(app, ["--register", str(demo_repo), "export", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"IHK-Tabelle geschrieben: {out} – 16 Maßnahmen; "
        "Excel mit den Blättern „IHK-Tabelle“ und „Daten“\n"
    )
    return load_workbook(out)


def _rgb(color: Any) -> str:
    return str(color.rgb)[-6:]


def test_the_table_sheet_has_the_seeds_layout(workbook: Any) -> None:
    assert workbook.sheetnames == ["IHK-Tabelle", "Daten"]
    ws = workbook["IHK-Tabelle"]
    assert ws["A1"].value == "Integriertes Handlungskonzept Belm-Powe" and ws["A1"].font.b
    assert ws["A2"].value == "Gemeinde Belm · Programm Soziale Stadt"
    assert ws["D3"].value == "Vorgesehene Finanzierung" and "D3:E3" in ws.merged_cells
    assert [c.value for c in ws[4]] == [
        "Maßnahmen/Projekte", "Weitere Ziele", "Ausführende Träger/Beteiligte", "Stbauf.",
        "Sonst. F.", "Kosten", "Aufn. in Konzept", "Stand",
    ]  # fmt: skip
    assert ws["A5"].value == "Oberziel: Wohn- und Wohnumfeldverbesserung"
    assert ws["A5"].font.b and _rgb(ws["A5"].fill.fgColor) == "F2F2F2"
    assert ws["A6"].value == "Mietergärten in den Innenhöfen der Großsiedlung"
    assert ws["D6"].value == "Ja" and ws["H6"].value == "nicht umgesetzt"
    # the month keeps its distance from the amount to its left ("480.000 €Dez. 2001")
    assert ws["G6"].value == "Dez. 2004" and ws["G6"].alignment.indent == 1
    # an indent shows only on a left-aligned cell
    assert ws["G6"].alignment.horizontal == "left"
    nachtrag = ws["A7"]
    assert nachtrag.value.startswith("Nachtrag Dez. 2006: Die Eigentümerin hat")
    assert nachtrag.alignment.indent == 1 and nachtrag.font.i
    assert nachtrag.alignment.horizontal == "left"
    assert "A7:H7" in ws.merged_cells and "A5:H5" in ws.merged_cells
    long = next(
        r[0].row for r in ws.iter_rows() if str(r[0].value).startswith("Nachtrag Dez. 2003: Das")
    )
    assert ws.row_dimensions[long].height >= 29  # two lines of text: the height is written
    assert ws.row_dimensions[7].height is None  # one line: the spreadsheet's own
    assert all(ws.cell(7, c).value is None for c in range(2, 9))


def test_rows_are_coloured_by_the_legend_and_costs_are_numbers(workbook: Any) -> None:
    ws = workbook["IHK-Tabelle"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5) if r[0].value}
    for title, state in (
        ("Mietergärten in den Innenhöfen der Großsiedlung", "nicht_umgesetzt"),
        ("Umgestaltung der Stettiner Straße", "in_planung"),
        ("Servicebüro Nachbarschaftshilfe", "in_umsetzung"),
        ("Gemeinsame Gestaltung des Schulhofes", "abgeschlossen"),
    ):
        row = rows[title]
        assert {_rgb(c.fill.fgColor) for c in row} == {STATUS[state].fuellung}, title
        assert {_rgb(c.font.color) for c in row} == {STATUS[state].schrift}, title
    kosten = rows["Umgestaltung der Stettiner Straße"][5]
    assert kosten.value == 350000 and kosten.data_type == "n"
    assert kosten.number_format == '#,##0 "€";-#,##0 "€";"–"'


def test_legend_below_and_print_setup(workbook: Any) -> None:
    ws = workbook["IHK-Tabelle"]
    last = ws.max_row
    legend = [ws.cell(r, 1) for r in range(last - 3, last + 1)]
    assert [c.value for c in legend] == [
        "Grün = abgeschlossen und umgesetzt",
        "Blau = in der aktiven Umsetzungs-/Durchführungsphase",
        "Rot = in der Planung",
        "Schwarz = war geplant, nicht umgesetzt",
    ]
    assert _rgb(legend[0].font.color) == STATUS["abgeschlossen"].schrift
    assert ws.cell(last - 4, 1).value is None  # a blank row between table and legend
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.auto_filter.ref == f"A4:H{last - 5}"
    assert ws.column_dimensions["A"].width == 42


def test_the_daten_sheet_has_a_row_per_record(workbook: Any) -> None:
    ws = workbook["Daten"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["Art", "Kennung", "Titel", "Oberziel", "Weitere Ziele"]
    assert "Plan 2002 stbauf" in head and "Nachträge" in head
    rows = {
        r[1].value: dict(zip(head, (c.value for c in r), strict=True))
        for r in ws.iter_rows(min_row=2)
    }
    assert len(rows) == 16
    tafel = rows["belmer-tafel"]
    assert tafel["Art"] == "Maßnahme" and tafel["Oberziel"] == "nachbarschaften"
    assert tafel["Städtebauförderung"] == "nein" and tafel["Umsetzungsstand"] == "abgeschlossen"
    assert tafel["Träger/Beteiligte"] == (
        "Belmer Integrationsclub; Kindertreff; Sozialamt; Arbeitsamt; MaßArbeit"
    )
    assert tafel["Aufnahme ins Konzept"] == "2001-12"
    buergerhaus = rows["buergerhaus"]
    assert buergerhaus["Nachträge"].startswith("2003-12: Das Bürgerhaus wird vorerst nicht")
    assert buergerhaus["Plan 2002 stbauf"] == 21000 and buergerhaus["Plan 2003 stbauf"] is None
    assert ws.freeze_panes == "D2"


def test_csv_is_the_daten_layout_for_a_german_excel(
    ihk: Callable[..., Result], example: Path
) -> None:
    (example / "massnahmen" / "tafel.yaml").write_text(
        'titel: =HYPERLINK("http://x")\noberziel: wohnen\nfinanzierung:\n'
        "  staedtebaufoerderung: ja\n  kosten_eur: 12000.5\nstatus: in_planung\n"
        'aufgenommen: 2002-05\ntraeger: ["-Gemeinde", "\'Verein", "\'=Wer"]\n',
        encoding="utf-8",
    )
    result = ihk("export", "t.csv", cwd=example)
    assert result.exit_code == 0, result.output
    data = (example / "t.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfArt;Kennung;Titel;Oberziel;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], next(r for r in rows if r[1] == "tafel"), strict=True))
    assert row["Titel"] == '\'=HYPERLINK("http://x")'  # shows as text, never runs
    # the cell starts with "-": escaped as a whole; the items inside need nothing
    assert row["Träger/Beteiligte"] == "'-Gemeinde; 'Verein; '=Wer"
    assert row["Kosten"] == "12000,5" and row["Städtebauförderung"] == "ja"
    assert len({len(r) for r in rows}) == 1


def test_markdown_groups_and_escapes(ihk: Callable[..., Result], example: Path) -> None:
    shutil.copy(example / "massnahmen" / "schulhof.yaml", example / "massnahmen" / "x.yaml")
    path = example / "massnahmen" / "x.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "Gemeinsame Gestaltung des Schulhofes", "Spiel*platz | für Bewohner_innen"
        ),
        encoding="utf-8",
    )
    assert ihk("export", "t.md", cwd=example).exit_code == 0
    text = (example / "t.md").read_text("utf-8")
    assert text.startswith("# Integriertes Handlungskonzept Belm-Powe\n\nBelm · Soziale Stadt\n")
    assert "## Oberziel: Verbesserung der Lebenssituation für Kinder und Jugendliche\n" in text
    assert "| Spiel\\*platz \\| für Bewohner\\_innen |" in text
    assert "| ↳ *Nachtrag Dez. 2003:* Das Bürgerhaus wird vorerst" in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "Spiel*platz | für Bewohner_innen" in [
        c.replace("\\", "") for c in cells
    ]  # one cell, read as typed


def test_format_from_suffix_or_option(ihk: Callable[..., Result], example: Path) -> None:
    refused = ihk("export", "t.odt", cwd=example)
    assert refused.exit_code == 2
    assert (
        "t.odt: Endung „.odt“ – welches Format? Möglich: .xlsx (xlsx), .csv (csv), .md (md), "
        ".html (html), .pdf (pdf), .docx (docx)" in refused.stderr
    )
    assert not (example / "t.odt").exists()
    assert ihk("export", "t.txt", "--format", "CSV", cwd=example).exit_code == 0
    assert (example / "t.txt").read_bytes().startswith(b"\xef\xbb\xbfArt;")
    unknown = ihk("export", "t.xlsx", "--format", "ods", cwd=example)
    assert unknown.exit_code == 2 and "Format „ods“ kenne ich nicht" in unknown.stderr


def test_projects_and_a_stand(ihk: Callable[..., Result], demo_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    done = ihk("--register", str(demo_repo), "export", str(out), "--kind", "project", "--stand",
               "2003", cwd=tmp_path)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "– 2 Projekte;" in done.stdout
    ws = load_workbook(out)["IHK-Tabelle"]
    assert ws["A1"].value.startswith("Integriertes Handlungskonzept Belm-Powe – Stand 2003 (")
    assert {r[0].value for r in load_workbook(out)["Daten"].iter_rows(min_row=2)} == {"Projekt"}


def test_a_broken_file_is_named_and_the_rest_exported(
    ihk: Callable[..., Result], example: Path
) -> None:
    (example / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    git(example, "add", "-A")
    result = ihk("export", "t.csv", cwd=example)
    assert result.exit_code == 1
    assert "massnahmen/kaputt.yaml:" in result.stderr
    assert "16 Maßnahmen" in result.stdout and (example / "t.csv").exists()


def test_status_csv_speaks_the_daten_dialect(ihk: Callable[..., Result], example: Path) -> None:
    raw = ihk("status", "--kind", "all", "--format", "csv", cwd=example).stdout
    assert raw.startswith(
        "\ufeffArt;Kennung;Titel;Oberziel;Umsetzungsstand;Träger/Beteiligte;"
        "Städtebauförderung;Sonstige Finanzierung;Kosten;Aufnahme ins Konzept;Beginn\n"
    )
    rows = {r["Kennung"]: r for r in csv.DictReader(io.StringIO(raw[1:]), delimiter=";")}
    platz = rows["stettiner-platz"]
    assert (platz["Art"], platz["Umsetzungsstand"], platz["Städtebauförderung"]) == (
        "Maßnahme", "abgeschlossen", "ja",
    )  # fmt: skip
    assert platz["Träger/Beteiligte"] == "Gemeinde; Bewohner"
    assert (platz["Kosten"], platz["Aufnahme ins Konzept"], platz["Beginn"]) == (
        "480000", "2001-12", "2003-04",  # Beginn: its zeitraum
    )  # fmt: skip
    projekt = rows["rund-um-gesund"]
    assert (projekt["Art"], projekt["Aufnahme ins Konzept"], projekt["Beginn"]) == (
        "Projekt", "", "2005-02",
    )  # fmt: skip
