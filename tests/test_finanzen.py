"""ihk finanzen: the KuF by hand on a small register, every grouping and format, --stand."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, git

META = """gebiet: Testgebiet
gemeinde: Teststadt
programm: Soziale Stadt
ziele:
  wohnen:
    titel: Wohnen
  beteiligung:
    titel: Beteiligung
quellen:
  stbauf:
    titel: Städtebauförderung (Bund/Land)
    staedtebaufoerderung: true
  gemeinde:
    titel: Gemeinde (Eigenanteil)
  esf:
    titel: Europäischer Sozialfonds (ESF)
"""

RECORDS = {
    "massnahmen/platz.yaml": """titel: Umgestaltung des Stettiner Platzes
oberziel: wohnen
finanzierung:
  staedtebaufoerderung: ja
  kostengruppe: baumassnahmen
  plan:
    2003:
      stbauf: 200000
      gemeinde: 100000
    2004:
      stbauf: 50000
  ist:
    2003:
      stbauf: 180000
status: in_umsetzung
aufgenommen: 2002-01
""",
    "massnahmen/schulhof.yaml": """titel: Neugestaltung des Schulhofs
oberziel: wohnen
finanzierung:
  staedtebaufoerderung: ja
  kostengruppe: baumassnahmen
  kosten_eur: 70000
  plan:
    2004:
      stbauf: 40000.50
      gemeinde: 20000
    2005:
      gemeinde: 9999.50
  ist:
    2004:
      gemeinde: 15000
status: in_planung
aufgenommen: 2002-01
""",
    "massnahmen/fest.yaml": """titel: Stadtteilfest
oberziel: beteiligung
finanzierung:
  staedtebaufoerderung: nein
  kosten_eur: 5000
status: in_planung
aufgenommen: 2002-01
""",
    "massnahmen/ohne.yaml": """titel: Ohne Kosten
oberziel: wohnen
finanzierung:
  staedtebaufoerderung: nein
status: in_planung
aufgenommen: 2002-01
""",
    "projekte/los.yaml": """titel: LOS-Projekt Nachbarschaft
oberziel: beteiligung
status: abgeschlossen
finanzierung:
  kostengruppe: fonds
  plan:
    2006:
      esf: 10000
""",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def kuf_register(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    _write(root, {"ihk.yaml": META, **RECORDS})
    return root


Run = Callable[..., Result]


def _json(ihk: Run, root: Path, *args: str) -> dict[str, Any]:
    result = ihk("finanzen", "--format", "json", *args, cwd=root)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _plain(betraege: dict[str, Any]) -> dict[str, Any]:
    """The years and the other amounts of a row in one mapping."""
    return {**betraege["jahre"], **{k: v for k, v in betraege.items() if k != "jahre"}}


# ------------------------------------------------------------------ sums by hand


def test_by_kostengruppe_sums_by_hand(kuf_register: Path, ihk: Run) -> None:
    data = _json(ihk, kuf_register)
    assert data["nach"] == "kostengruppe" and data["stand"] is None
    assert data["jahre"] == ["2003", "2004", "2005", "2006"]
    groups = data["kosten"]["gruppen"]
    assert [(g["schluessel"], g["titel"]) for g in groups] == [
        ("baumassnahmen", "Baumaßnahmen (Gemeinbedarf, Modernisierung)"),
        ("fonds", "Verfügungs- und Quartiersfonds"),
        (None, "ohne Kostengruppe"),
    ]
    bau = groups[0]
    # goal catalogue order, then title: Neugestaltung before Umgestaltung
    assert [e["id"] for e in bau["eintraege"]] == ["schulhof", "platz"]
    assert _plain(bau["eintraege"][0]["betraege"]) == {
        "2003": 0, "2004": 60000.5, "2005": 9999.5, "2006": 0, "vorjahre": 0,
        "folgejahre": 0, "ohne_jahresplan": 0, "summe": 70000, "ist": 15000,
    }  # fmt: skip
    assert _plain(bau["summe"]) == {
        "2003": 300000, "2004": 110000.5, "2005": 9999.5, "2006": 0, "vorjahre": 0,
        "folgejahre": 0, "ohne_jahresplan": 0, "summe": 420000, "ist": 195000,
    }  # fmt: skip
    assert groups[1]["eintraege"][0]["art"] == "projekt"
    assert groups[1]["summe"]["summe"] == 10000
    # "ohne Jahresplan": a record without plan counts with its kosten_eur; "ohne" states none
    assert [e["id"] for e in groups[2]["eintraege"]] == ["fest"]
    assert _plain(groups[2]["summe"])["ohne_jahresplan"] == 5000
    assert _plain(data["kosten"]["summe"]) == {
        "2003": 300000, "2004": 110000.5, "2005": 9999.5, "2006": 10000, "vorjahre": 0,
        "folgejahre": 0, "ohne_jahresplan": 5000, "summe": 435000, "ist": 195000,
    }  # fmt: skip


def test_financing_by_source_with_shares_and_spending(kuf_register: Path, ihk: Run) -> None:
    fin = _json(ihk, kuf_register)["finanzierung"]
    rows = {q["quelle"]: q for q in fin["quellen"]}
    assert list(rows) == ["stbauf", "gemeinde", "esf"]  # catalogue order
    assert rows["stbauf"]["staedtebaufoerderung"] is True
    assert _plain(rows["stbauf"]["betraege"]) == {
        "2003": 200000, "2004": 90000.5, "2005": 0, "2006": 0, "vorjahre": 0,
        "folgejahre": 0, "ohne_jahresplan": 0, "summe": 290000.5, "ist": 180000,
    }  # fmt: skip
    assert rows["gemeinde"]["betraege"]["summe"] == 129999.5
    assert rows["gemeinde"]["betraege"]["ist"] == 15000
    assert rows["esf"]["betraege"]["jahre"]["2006"] == 10000
    # shares of the plan (430.000 €): 290.000,50 / 129.999,50 / 10.000
    assert [rows[q]["anteil"] for q in rows] == [67.44, 30.23, 2.33]
    assert fin["summe"]["summe"] == 430000 and fin["summe"]["ist"] == 195000
    assert fin["ohne_jahresplan"] == 5000 and fin["gesamt"] == 435000


def test_by_goal_in_catalogue_order(kuf_register: Path, ihk: Run) -> None:
    groups = _json(ihk, kuf_register, "--nach", "oberziel")["kosten"]["gruppen"]
    assert [(g["schluessel"], g["titel"]) for g in groups] == [
        ("wohnen", "Wohnen"),
        ("beteiligung", "Beteiligung"),
    ]
    assert [e["id"] for e in groups[1]["eintraege"]] == ["los", "fest"]
    assert [g["summe"]["summe"] for g in groups] == [420000, 15000]
    assert groups[1]["summe"]["ohne_jahresplan"] == 5000


def test_by_source_splits_each_record(kuf_register: Path, ihk: Run) -> None:
    data = _json(ihk, kuf_register, "--nach", "quelle")
    groups = data["kosten"]["gruppen"]
    assert [g["schluessel"] for g in groups] == ["stbauf", "gemeinde", "esf", None]
    assert groups[-1]["titel"] == "ohne Jahresplan (keine Quelle angegeben)"
    stbauf = {e["id"]: _plain(e["betraege"]) for e in groups[0]["eintraege"]}
    assert stbauf["platz"]["2003"] == 200000 and stbauf["platz"]["summe"] == 250000
    assert stbauf["platz"]["ist"] == 180000 and stbauf["schulhof"]["summe"] == 40000.5
    gemeinde = {e["id"]: e["betraege"] for e in groups[1]["eintraege"]}
    assert gemeinde["schulhof"]["summe"] == 29999.5 and gemeinde["schulhof"]["ist"] == 15000
    assert [g["summe"]["summe"] for g in groups] == [290000.5, 129999.5, 10000, 5000]
    # every euro once: the groups add up to the same total as any other grouping
    assert sum(g["summe"]["summe"] for g in groups) == data["kosten"]["summe"]["summe"] == 435000
    assert sum(g["summe"]["ist"] for g in groups) == data["kosten"]["summe"]["ist"] == 195000


def test_by_measure_is_a_flat_list(kuf_register: Path, ihk: Run) -> None:
    groups = _json(ihk, kuf_register, "--nach", "massnahme")["kosten"]["gruppen"]
    assert len(groups) == 1 and groups[0]["schluessel"] is None
    assert [e["id"] for e in groups[0]["eintraege"]] == ["schulhof", "platz", "los", "fest"]
    markdown = ihk("finanzen", "--nach", "massnahme", "--format", "markdown", cwd=kuf_register)
    assert "Summe*" not in markdown.stdout  # no subtotal, no group heading
    assert "| **Gesamt** |" in markdown.stdout


def test_von_bis_sum_earlier_and_later_years(kuf_register: Path, ihk: Run) -> None:
    data = _json(ihk, kuf_register, "--von", "2004", "--bis", "2005")
    assert data["jahre"] == ["2004", "2005"] and (data["von"], data["bis"]) == ("2004", "2005")
    assert _plain(data["kosten"]["summe"]) == {
        "2004": 110000.5, "2005": 9999.5, "vorjahre": 300000, "folgejahre": 10000,
        "ohne_jahresplan": 5000, "summe": 435000, "ist": 195000,
    }  # fmt: skip
    table = ihk("finanzen", "--von", "2004", "--bis", "2005", cwd=kuf_register).stdout
    header = next(line for line in table.splitlines() if line.startswith("Maßnahme/Projekt"))
    assert header.split()[1:5] == ["bis", "2003", "2004", "2005"] and "ab 2006" in header
    # a window that starts before the plan: no "bis" column
    early = _json(ihk, kuf_register, "--von", "1999")
    assert early["jahre"] == ["2003", "2004", "2005", "2006"]
    assert "bis 1998" not in ihk("finanzen", "--von", "1999", cwd=kuf_register).stdout


def test_usage_errors(kuf_register: Path, ihk: Run) -> None:
    reverse = ihk("finanzen", "--von", "2006", "--bis", "2005", cwd=kuf_register)
    assert reverse.exit_code == 2 and "--von 2006 liegt nach --bis 2005" in reverse.stderr
    odd = ihk("finanzen", "--bis", "２００５", cwd=kuf_register)
    assert odd.exit_code == 2 and "kein Jahr" in odd.stderr
    nach = ihk("finanzen", "--nach", "traeger", cwd=kuf_register)
    assert nach.exit_code == 2 and "kostengruppe" in nach.stderr
    xlsx = ihk("finanzen", "--format", "xlsx", cwd=kuf_register)
    assert xlsx.exit_code == 2 and "-o DATEI.xlsx" in xlsx.stderr


def test_an_invalid_register_shows_what_is_valid(kuf_register: Path, ihk: Run) -> None:
    (kuf_register / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    (kuf_register / "massnahmen" / "fest.yaml").write_text(
        RECORDS["massnahmen/fest.yaml"].replace("kosten_eur: 5000", "kosten_eur: 5000\n  plan:\n    2004:\n      stbaf: 1"),
        encoding="utf-8",
    )  # fmt: skip
    result = ihk("finanzen", cwd=kuf_register)
    assert result.exit_code == 1
    assert "Umgestaltung des Stettiner Platzes (platz)" in result.stdout
    assert "massnahmen/kaputt.yaml" in result.stderr
    assert "Finanzierungsquelle „stbaf“ steht nicht in ihk.yaml (quellen)" in result.stderr
    assert "„ihk validate“ zeigt alle" in result.stderr
    data = json.loads(ihk("finanzen", "--format", "json", cwd=kuf_register).stdout)
    assert any("kaputt.yaml" in p for p in data["probleme"])


def test_a_register_without_costs(minimal: Path, ihk: Run) -> None:
    result = ihk("finanzen", cwd=minimal)
    assert result.exit_code == 0
    assert "Noch keine Kosten erfasst" in result.stdout
    data = _json(ihk, minimal)
    assert data["kosten"]["gruppen"] == [] and data["jahre"] == []
    assert data["finanzierung"]["quellen"] == [] and data["finanzierung"]["gesamt"] == 0


# ------------------------------------------------------------------ --stand


@pytest.fixture
def history(kuf_register: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand 2004 tagged on 10 Dec 2004; on 20 Dec 2004 the plan grows; in 2005 more."""

    def commit(date: str, message: str) -> None:
        for who in ("AUTHOR", "COMMITTER"):
            monkeypatch.setenv(f"GIT_{who}_DATE", date)
        git(kuf_register, "add", "-A")
        git(kuf_register, "commit", "-q", "-m", message)

    git(kuf_register, "init", "-q", "-b", "main")
    commit("2004-12-10T12:00:00+01:00", "Stand 2004")
    git(kuf_register, "tag", "-a", "stand-2004", "-m", "Ratsbeschluss")
    platz = kuf_register / "massnahmen" / "platz.yaml"
    platz.write_text(platz.read_text("utf-8").replace("50000", "80000"), encoding="utf-8")
    commit("2004-12-20T12:00:00+01:00", "Nachtrag nach dem Beschluss")
    (kuf_register / "massnahmen" / "fest.yaml").unlink()
    commit("2005-06-01T12:00:00+01:00", "Fest gestrichen")
    return kuf_register


def test_stand_reads_git_and_leaves_the_working_tree(history: Path, ihk: Run) -> None:
    # an uncommitted edit in the working tree stays as it is
    schulhof = history / "massnahmen" / "schulhof.yaml"
    schulhof.write_text(schulhof.read_text("utf-8") + "ort: Grundschule\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in history.rglob("*.yaml")}
    status = git(history, "status", "--porcelain")

    tagged = _json(ihk, history, "--stand", "2004")  # the tag wins over the later commit
    assert tagged["stand"]["bezeichnung"] == "Stand 2004"
    assert tagged["stand"]["datum"] == "2004-12-10"
    assert tagged["kosten"]["summe"]["summe"] == 435000
    later = _json(ihk, history, "--stand", "HEAD~1")
    assert later["kosten"]["summe"]["summe"] == 465000
    now = _json(ihk, history)
    assert now["stand"] is None and now["kosten"]["summe"]["summe"] == 460000
    table = ihk("finanzen", "--stand", "2004", cwd=history).stdout
    assert table.startswith(
        "Kosten und Finanzierung – IHK Testgebiet – Stand 2004 (10. Dezember 2004)\n"
    )
    markdown = ihk("finanzen", "--stand", "2004", "--format", "markdown", cwd=history).stdout
    assert markdown.startswith(
        "# Kosten und Finanzierung – IHK Testgebiet – Stand 2004 (10. Dezember 2004)\n"
    )
    assert {p: p.read_bytes() for p in history.rglob("*.yaml")} == before
    assert git(history, "status", "--porcelain") == status
    missing = ihk("finanzen", "--stand", "1999", cwd=history)
    assert missing.exit_code == 1 and "STAND 1999" in missing.stderr


# ------------------------------------------------------------------ formats


def test_table_fits_the_terminal(
    kuf_register: Path, ihk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    wide = ihk("finanzen", cwd=kuf_register).stdout
    assert all(len(line) <= 120 for line in wide.splitlines())
    assert "Jahre ausgeblendet" not in wide
    total = next(line for line in wide.splitlines() if line.startswith("Gesamt"))
    assert total.split("  ")[0] == "Gesamt"
    assert [c.strip() for c in total.split("  ") if c.strip()][1:] == [
        "300.000 €", "110.000,50 €", "9.999,50 €", "10.000 €", "5.000 €", "435.000 €", "195.000 €",
    ]  # fmt: skip
    assert "Städtebauförderung (Bund/Land)" in wide and "67,4 %" in wide
    monkeypatch.setenv("COLUMNS", "80")
    narrow = ihk("finanzen", cwd=kuf_register).stdout
    assert all(len(line) <= 80 for line in narrow.splitlines())
    assert narrow.rstrip().endswith(
        "Jahre ausgeblendet – breiteres Terminal, --von/--bis oder --format markdown"
    )
    assert "435.000 €" in narrow and "2004" not in narrow.split("Kosten nach")[1]
    # piped (no terminal width): every column, numbers right-aligned
    monkeypatch.delenv("COLUMNS")
    piped = ihk("finanzen", cwd=kuf_register).stdout
    assert "Jahre ausgeblendet" not in piped
    lines = piped.splitlines()
    platz = next(line for line in lines if "(platz)" in line)
    gesamt = next(line for line in lines if line.startswith("Gesamt"))
    assert len(platz) == len(gesamt)  # the last column (Ist) ends at the same place


def test_markdown_is_tables_with_escaped_text(kuf_register: Path, ihk: Run) -> None:
    from markdown_it import MarkdownIt

    fest = kuf_register / "massnahmen" / "fest.yaml"
    fest.write_text(
        fest.read_text("utf-8").replace("Stadtteilfest", "Fest | *Party* <b>"), encoding="utf-8"
    )
    text = ihk("finanzen", "--format", "markdown", cwd=kuf_register).stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert [t.type for t in tokens].count("table_open") == 2
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "Fest | \\*Party\\* <b> (`fest`)" not in cells  # escaped, not raw
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "Fest | *Party* &lt;b&gt;" in rendered and "<em>" not in rendered.split("Fest")[1][:30]
    assert (
        "| Maßnahme/Projekt | 2003 | 2004 | 2005 | 2006 | ohne Jahresplan | Summe | Ist |" in text
    )
    assert "| Städtebauförderung (Bund/Land) | 200.000 € | 90.000,50 € | – | – | 290.000,50 € | 180.000 € | 67,4 % |" in text  # fmt: skip
    assert "| **Gesamt** | **300.000 €** |" in text


def test_csv_for_a_german_spreadsheet(kuf_register: Path, ihk: Run) -> None:
    raw = ihk("finanzen", "--format", "csv", cwd=kuf_register).stdout
    assert raw.startswith("\ufeffTeil;Gruppe;Zeile;Art;Kennung;Titel;2003;")
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert list(rows[0])[6:] == [
        "2003", "2004", "2005", "2006", "ohne Jahresplan", "Summe", "Ist", "Anteil (%)",
    ]  # fmt: skip
    schulhof = next(r for r in rows if r["Kennung"] == "schulhof")
    assert schulhof["Teil"] == "Kosten" and schulhof["Art"] == "Maßnahme"
    assert schulhof["Gruppe"] == "Baumaßnahmen (Gemeinbedarf, Modernisierung)"
    assert (schulhof["2004"], schulhof["2005"], schulhof["Summe"]) == (
        "60000,50",
        "9999,50",
        "70000",
    )
    assert schulhof["Anteil (%)"] == ""
    stbauf = next(r for r in rows if r["Kennung"] == "stbauf")
    assert stbauf["Teil"] == "Finanzierung" and stbauf["Anteil (%)"] == "67,44"
    assert stbauf["ohne Jahresplan"] == ""
    totals = [r for r in rows if r["Zeile"] == "Gesamt"]
    assert [t["Summe"] for t in totals] == ["435000", "435000"]
    assert [r["Titel"] for r in rows if r["Zeile"] == "Zwischensumme"][
        -1
    ] == "Summe der Jahrespläne"
    # a title that a spreadsheet would take for a formula stays text
    fest = kuf_register / "massnahmen" / "fest.yaml"
    fest.write_text(
        fest.read_text("utf-8").replace("Stadtteilfest", '"=1+2 Fest"'), encoding="utf-8"
    )
    raw = ihk("finanzen", "--format", "csv", cwd=kuf_register).stdout
    assert ";'=1+2 Fest;" in raw


def test_output_file_and_format_from_suffix(kuf_register: Path, ihk: Run, tmp_path: Path) -> None:
    result = ihk("finanzen", "-o", str(tmp_path / "out" / "kuf.csv"), cwd=kuf_register)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Kosten und Finanzierung geschrieben:" in result.stderr
    assert (tmp_path / "out" / "kuf.csv").read_bytes().startswith(b"\xef\xbb\xbfTeil;")
    assert ihk("finanzen", "-o", str(tmp_path / "kuf.json"), cwd=kuf_register).exit_code == 0
    assert json.loads((tmp_path / "kuf.json").read_text("utf-8"))["nach"] == "kostengruppe"
    assert ihk("finanzen", "-o", str(tmp_path / "kuf.txt"), cwd=kuf_register).exit_code == 0
    assert (tmp_path / "kuf.txt").read_text("utf-8").startswith("Kosten und Finanzierung")
    # an explicit --format wins over the suffix
    ihk("finanzen", "--format", "markdown", "-o", str(tmp_path / "kuf.csv"), cwd=kuf_register)
    assert (tmp_path / "kuf.csv").read_text("utf-8").startswith("# Kosten und Finanzierung")


def test_xlsx_reads_back_as_numbers(kuf_register: Path, ihk: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "kuf.xlsx"
    result = ihk("finanzen", "--stand", "HEAD", "-o", str(target), cwd=_committed(kuf_register))
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    assert wb.sheetnames == ["Kosten", "Finanzierung"]
    kosten, finanzierung = wb["Kosten"], wb["Finanzierung"]
    assert kosten["A1"].value.startswith(
        "Kosten und Finanzierung – IHK Testgebiet – Revision HEAD ("
    )
    header = [c.value for c in kosten[4]]
    assert header == ["Maßnahme/Projekt", "Kennung", "2003", "2004", "2005", "2006",
                      "ohne Jahresplan", "Summe", "Ist"]  # fmt: skip
    rows = {r[1].value: r for r in kosten.iter_rows(min_row=5) if r[1].value}
    schulhof = rows["schulhof"]
    assert [c.value for c in schulhof[2:]] == [0, 60000.5, 9999.5, 0, 0, 70000, 15000]
    assert all(c.data_type == "n" for c in schulhof[2:])
    assert schulhof[3].number_format == '#,##0 "€";-#,##0 "€";"–"'
    total = next(r for r in kosten.iter_rows(min_row=5) if r[0].value == "Gesamt")
    assert total[7].value == 435000 and total[7].font.b
    for sheet in (kosten, finanzierung):
        assert sheet.freeze_panes == "B5"
        assert sheet.print_title_rows == "$4:$4"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    stbauf = next(r for r in finanzierung.iter_rows(min_row=5) if r[1].value == "stbauf")
    assert stbauf[-1].value == pytest.approx(0.6744) and stbauf[-1].number_format == "0.0 %"


def _committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "KuF")
    return root


def test_report_is_pure_over_kuf(kuf_register: Path) -> None:
    """The command function: typed tables, the same numbers as the JSON."""
    from ihk.commands.finanzen import finanzen_report
    from ihk.workspace import Workspace

    report = finanzen_report(Workspace(kuf_register).load(), "oberziel", "2004", None)
    kosten, finanzierung = report.tabellen()
    assert [s.schluessel for s in kosten.spalten] == [
        "vorjahre", "2004", "2005", "2006", "ohne_jahresplan", "summe", "ist",
    ]  # fmt: skip
    assert [s.titel for s in finanzierung.spalten][-3:] == ["Summe", "Ist", "Anteil"]
    assert [r.stil for r in kosten.zeilen] == [
        "gruppe", "eintrag", "eintrag", "zwischensumme",
        "gruppe", "eintrag", "eintrag", "zwischensumme", "gesamt",
    ]  # fmt: skip
    assert kosten.zeilen[-1].werte == (300000, 110000.5, 9999.5, 10000, 5000, 435000, 195000)
    assert [r.titel for r in finanzierung.zeilen][-3:] == [
        "Summe der Jahrespläne", "ohne Jahresplan (keine Quelle angegeben)", "Gesamt",
    ]  # fmt: skip
    assert finanzierung.zeilen[-3].werte[-1] == 100.0


def test_kuf_sums_for_the_view(kuf_register: Path) -> None:
    """The sums ``kuf`` adds for this view: years without gaps, windows, per source."""
    from ihk import kuf
    from ihk.workspace import Workspace

    register = Workspace(kuf_register).load()
    records = {k: {i: e.record for i, e in es.items()} for k, es in register.entries.items()}
    items = kuf.posten(records, ["wohnen", "beteiligung"])
    s = kuf.summen(items)
    assert kuf.jahre(s) == ["2003", "2004", "2005", "2006"]
    assert s.plan_je_jahr() == {"2003": 300000, "2004": 110000.5, "2005": 9999.5, "2006": 10000}
    assert s.plan_je_jahr("gemeinde") == {"2003": 100000, "2004": 20000, "2005": 9999.5}
    assert s.plan_zwischen(None, "2003") == 300000 and s.plan_zwischen("2005", None) == 19999.5
    assert s.plan_zwischen("2004", "2004", "stbauf") == 40000.5 + 50000
    assert s.quellen == ["stbauf", "gemeinde", "esf"]
    split = kuf.je_quelle(items)
    assert {q: [p.id for p in ps] for q, ps in split.items()} == {
        "stbauf": ["schulhof", "platz"],
        "gemeinde": ["schulhof", "platz"],
        "esf": ["los"],
        kuf.OHNE_QUELLE: ["fest"],
    }
    # split by source, every euro counts once
    parts = [kuf.summen(ps) for ps in split.values()]
    assert sum(p.gesamt for p in parts) == s.gesamt == 435000
    assert sum(p.ist for p in parts) == s.ist == 195000
    assert kuf.jahre(kuf.summen([])) == []


def test_costs_without_any_plan(tmp_path: Path, ihk: Run) -> None:
    """Only kosten_eur, no plan: one amount column, no shares."""
    from ihk.commands.finanzen import finanzen_report
    from ihk.workspace import Workspace

    root = tmp_path / "reg"
    fest = RECORDS["massnahmen/fest.yaml"]
    _write(root, {"ihk.yaml": META, "massnahmen/fest.yaml": fest,
                  "massnahmen/markt.yaml": fest.replace("5000", "7500")})  # fmt: skip
    kosten, finanzierung = finanzen_report(Workspace(root).load()).tabellen()
    assert [s.schluessel for s in kosten.spalten] == ["ohne_jahresplan", "summe"]
    assert kosten.zeilen[-1].werte == (12500, 12500)
    assert [(r.titel, r.werte) for r in finanzierung.zeilen] == [
        ("Summe der Jahrespläne", (0, None)),
        ("ohne Jahresplan (keine Quelle angegeben)", (12500, None)),
        ("Gesamt", (12500, None)),
    ]
    markdown = ihk("finanzen", "--format", "markdown", cwd=root).stdout
    assert "| *Summe der Jahrespläne* | – |  |" in markdown
