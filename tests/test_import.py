"""ihk import: the round trip, a hand-made workbook, every unmappable cell, CSV in the
forms Excel writes, and the safety of the write (one commit, or nothing at all)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from tests.conftest import DATA, Result, git
from tests.handmade import build

Run = Callable[..., Result]


def _head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


@pytest.fixture
def demo(demo_repo: Path, tmp_path: Path) -> Path:
    """A copy of the demo register (a git repository with its history)."""
    copy = tmp_path / "belm-powe"
    shutil.copytree(demo_repo, copy, symlinks=True)
    return copy


@pytest.fixture
def empty_belm(ihk: Run, tmp_path: Path) -> Path:
    """A new register with Belm-Powe's goal catalogue and no records."""
    assert ihk("init", "leer", "--gebiet", "Belm-Powe", cwd=tmp_path).exit_code == 0
    root = tmp_path / "leer"
    shutil.copy(DATA.parent.parent / "register" / "ihk.yaml", root / "ihk.yaml")
    git(root, "commit", "-qam", "Zielkatalog von Belm-Powe")
    return root


# ------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_changes_nothing(ihk: Run, demo: Path, suffix: str) -> None:
    out = demo.parent / f"ihk{suffix}"
    assert ihk("export", str(out), "--kind", "all", cwd=demo).exit_code == 0
    before, head = _snapshot(demo), _head(demo)
    result = ihk("import", str(out), cwd=demo)
    assert result.exit_code == 0, result.stderr
    assert "Unverändert: 27 Einträge" in result.stdout
    assert "Keine Änderung: das Register stimmt schon mit der Datei überein." in result.stdout
    assert _snapshot(demo) == before  # byte for byte
    assert _head(demo) == head and git(demo, "status", "--porcelain") == ""


def test_the_tables_own_sheet_reads_back_too(ihk: Run, demo: Path) -> None:
    out = demo.parent / "ihk.xlsx"
    assert ihk("export", str(out), cwd=demo).exit_code == 0
    result = ihk("import", str(out), "--sheet", "ihk-tabelle", "--dry-run", cwd=demo)
    assert result.exit_code == 0, result.stderr
    assert "Tabelle wie von Hand" in result.stdout and "Unverändert: 16 Einträge" in result.stdout


def test_an_edited_csv_updates_field_by_field_keeping_comments(ihk: Run, demo: Path) -> None:
    out = demo.parent / "ihk.csv"
    assert ihk("export", str(out), cwd=demo).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    head = rows[0]
    cells = next(r for r in rows if r[1] == "jugendtreff")
    cells[head.index("Kosten")] = "650.000 €"  # typed the German way
    cells[head.index("Umsetzungsstand")] = "In Umsetzung"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    out.write_text(buffer.getvalue(), encoding="utf-8-sig")
    before = (demo / "massnahmen" / "jugendtreff.yaml").read_text("utf-8")
    dry = ihk("import", str(out), "--dry-run", cwd=demo)
    assert dry.exit_code == 0 and "Probelauf: nichts geschrieben." in dry.stdout
    assert (demo / "massnahmen" / "jugendtreff.yaml").read_text("utf-8") == before
    head_before = _head(demo)
    result = ihk("import", str(out), cwd=demo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:5] == [
        "Geändert: 1 Maßnahme",
        "  massnahmen/jugendtreff.yaml",
        "    finanzierung.kosten_eur 620000 → 650000",
        "    status abgeschlossen → in_umsetzung",
    ]
    after = (demo / "massnahmen" / "jugendtreff.yaml").read_text("utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ("  kosten_eur: 620000", "  kosten_eur: 650000"),
        ("status: abgeschlossen", "status: in_umsetzung"),
    ]  # the comment on "finanzierung:" and every other line stay
    assert "# Beträge geschätzt" in after
    assert git(demo, "rev-list", "--count", f"{head_before}..HEAD").strip() == "1"
    assert git(demo, "log", "-1", "--format=%s").strip() == (
        "Import aus ihk.csv: 1 Maßnahme geändert"
    )
    assert git(demo, "status", "--porcelain") == ""


# ------------------------------------------------------------------ hand-made workbook


def test_a_hand_made_workbook_imports_to_the_expected_records(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    book = build(tmp_path / "ihk-2003.xlsx")
    assert book
    result = ihk("import", str(tmp_path / "ihk-2003.xlsx"), cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Gelesen: {tmp_path / 'ihk-2003.xlsx'}, Blatt „IHK 2003“, Tabelle wie von Hand"
    )
    golden = DATA / "import" / "handmade" / "massnahmen"
    written = sorted(p.name for p in (empty_belm / "massnahmen").glob("*.yaml"))
    assert written == sorted(p.name for p in golden.glob("*.yaml"))
    for name in written:
        assert (empty_belm / "massnahmen" / name).read_text("utf-8") == (golden / name).read_text(
            "utf-8"
        ), name
    assert git(empty_belm, "log", "-1", "--format=%s").strip() == (
        "Import aus ihk-2003.xlsx, Blatt „IHK 2003“: 5 Maßnahmen neu"
    )
    assert git(empty_belm, "show", "--name-only", "--format=", "HEAD").count("massnahmen/") == 5
    assert ihk("validate", cwd=empty_belm).exit_code == 0


def test_importing_the_same_table_again_changes_nothing(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    build(tmp_path / "t.xlsx")
    assert ihk("import", str(tmp_path / "t.xlsx"), cwd=empty_belm).exit_code == 0
    head = _head(empty_belm)
    again = ihk("import", str(tmp_path / "t.xlsx"), cwd=empty_belm)
    assert again.exit_code == 0 and "Unverändert: 5 Einträge" in again.stdout
    assert _head(empty_belm) == head  # the Nachträge are not added twice


def _bad_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "IHK"
    ws.append(["Maßnahme", "Weitere Ziele", "Träger", "Stbauf.", "Aufn. in Konzept", "Status",
               "Lieblingsfarbe"])  # fmt: skip
    ws.append(["Oberziel: Wohnen und Glück"])
    ws.append(["Oberziel: Wohn- und Wohnumfeldverbesserung"])
    ws.append(["Platz", "Weltfrieden", "Gemeinde", "vielleicht", "Dezember", "fertig"])
    ws.append(["Nachtrag: ohne Datum"])
    ws.append(["Summe", None, None, None, None, None])
    ws.append(["Spielplatz", None, "Gemeinde", "Ja", "=DATE(2001,12,1)", "in Planung"])
    ws.append(["Hof", None, None, "Ja", "2001-12", "#DIV/0!"])
    ws.append([None, "Qualifizierung"])
    ws.append(["Garten", None, None, "ja", "13/2001", "rot"])
    wb.save(path)


def test_every_unmappable_cell_is_named_and_nothing_written(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    _bad_workbook(tmp_path / "bad.xlsx")
    before, head = _snapshot(empty_belm), _head(empty_belm)
    result = ihk("import", "../bad.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "../bad.xlsx:IHK!G1: Spalte „Lieblingsfarbe“ kenne ich nicht; erkannt werden: "
        "Maßnahmen/Projekte, Weitere Ziele, Ausführende Träger/Beteiligte, Stbauf., Sonst. F., "
        "Kosten, Kostengruppe, Aufn. in Konzept, Status (oder Stand), Oberziel, Ort, "
        "Bemerkung (oder Beschreibung), Gremien, Kennung, Nr.",
        "../bad.xlsx:IHK!A2: Ziel „Wohnen und Glück“ steht nicht im Zielkatalog (Kennung oder "
        "Titel aus ihk.yaml; --neue-ziele nimmt es in den Katalog auf)",
        "../bad.xlsx:IHK!B4: Ziel „Weltfrieden“ steht nicht im Zielkatalog (Kennung oder Titel "
        "aus ihk.yaml; --neue-ziele nimmt es in den Katalog auf)",
        "../bad.xlsx:IHK!D4: „vielleicht“ ist weder ja noch nein; erlaubt: Ja, x oder ✓ für ja; "
        "Nein, – oder leer für nein",
        "../bad.xlsx:IHK!E4: „Dezember“ ist kein Monat; erwartet z. B. 2001-12, 12/2001, "
        "12.2001, Dez 01, Dez. 2001 oder Dezember 2001",
        "../bad.xlsx:IHK!F4: Umsetzungsstand „fertig“ gibt es nicht; erlaubt: in Planung (Rot), "
        "in Umsetzung (Blau), abgeschlossen (Grün), nicht umgesetzt (Schwarz)",
        "../bad.xlsx:IHK!E5: Nachtrag ohne Monat (z. B. „Nachtrag Dez. 2003“)",
        "../bad.xlsx:IHK!E7: Formel =DATE(2001,12,1) ohne gespeichertes Ergebnis – ihk rechnet "
        "nicht; bitte in Excel öffnen und speichern oder den Wert statt der Formel einfügen",
        "../bad.xlsx:IHK!F8: Fehlerwert #DIV/0! statt eines Werts",
        "../bad.xlsx:IHK!B9: Zeile ohne Maßnahme: die Spalte „Maßnahmen/Projekte“ ist leer "
        "(gehört die Zeile als Nachtrag zur Maßnahme darüber, bitte „Nachtrag MONAT“ in die "
        "Spalte „Aufn. in Konzept“ schreiben)",
        "../bad.xlsx:IHK!E10: „13/2001“: Monat 13 gibt es nicht",
        "Fehler: 11 Zellen nicht übernommen; nichts geschrieben",
    ]
    assert _snapshot(empty_belm) == before and _head(empty_belm) == head


def test_colours_and_the_sheets_own_legend(ihk: Run, empty_belm: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Maßnahme", "Stbauf.", "Aufn. in Konzept"])
    ws.append(["Oberziel: Wohn- und Wohnumfeldverbesserung"])
    rows = [("Gelb markiert", "FFFF00"), ("Violett markiert", "7030A0"), ("Ohne Farbe", None)]
    for title, colour in rows:
        ws.append([title, "nein", "2004-05"])
        if colour:
            ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=colour)
    ws.append([])
    ws.append(["Gelb = in der Planung"])
    ws.cell(ws.max_row, 1).font = Font(color="FFFF00")
    ws.append(["Grün = abgeschlossen"])
    ws.append(["Schwarz = nicht umgesetzt"])
    wb.save(tmp_path / "farben.xlsx")
    result = ihk("import", "../farben.xlsx", "--format", "json", cwd=empty_belm)
    assert result.exit_code == 1
    # the sheet's legend knows yellow; violet is near no colour of it
    assert result.stderr.splitlines()[0] == (
        "../farben.xlsx:Sheet!A4: die Farbe #7030A0 passt zu keiner Farbe der Legende unter "
        "der Tabelle; bitte färben wie die Legende oder eine Spalte „Status“ angeben"
    )
    ws.cell(4, 1).fill = PatternFill("solid", fgColor="92D050")  # Excel's light green
    wb.save(tmp_path / "farben.xlsx")
    assert ihk("import", "../farben.xlsx", cwd=empty_belm).exit_code == 0
    states = {
        p.stem: next(x for x in p.read_text("utf-8").splitlines() if x.startswith("status:"))
        for p in (empty_belm / "massnahmen").glob("*.yaml")
    }
    assert states == {
        "gelb-markiert": "status: in_planung",
        "violett-markiert": "status: abgeschlossen",
        "ohne-farbe": "status: nicht_umgesetzt",
    }


# --------------------------------------------------------------------------- CSV


def test_csv_as_excel_writes_it(ihk: Run, empty_belm: Path, tmp_path: Path) -> None:
    text = (
        "Maßnahme,Träger,Stbauf.,Aufn. in Konzept,Status\r\n"
        '"Oberziel: Qualifizierung und Beschäftigung",,,,\r\n'
        '"Café für Ältere","Diakonie, Gemeinde",x,Mär 04,in Umsetzung\r\n'
    )
    (tmp_path / "alt.csv").write_bytes(text.encode("cp1252"))
    result = ihk("import", "../alt.csv", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Gelesen: ../alt.csv, Windows-1252, getrennt durch „,“, Tabelle wie von Hand"
    )
    assert (empty_belm / "massnahmen" / "cafe-fuer-aeltere.yaml").read_text("utf-8") == (
        "# yaml-language-server: $schema=../.ihk/schema/massnahme.schema.json\n"
        "titel: Café für Ältere\noberziel: qualifizierung\ntraeger:\n  - Diakonie\n"
        "  - Gemeinde\nfinanzierung:\n  staedtebaufoerderung: true\nstatus: in_umsetzung\n"
        "aufgenommen: 2004-03\n"
    )


def test_a_cell_that_would_be_a_formula_comes_back_as_typed(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    titles = ["=1+2 Fest", "+49 Treff", "-Kurs", "@Büro", "'s Gravenhage-Tag", "'=Gleich",
              " =HYPERLINK(\"http://x\") Leer"]  # fmt: skip
    for i, title in enumerate(titles):
        ihk("add", "massnahme", "--id", f"m{i}", "--titel", title, "--oberziel", "wohnen",
            "--keine-stbauf", "--aufgenommen", "2004-01", "--trotzdem", cwd=empty_belm)  # fmt: skip
    assert len(list((empty_belm / "massnahmen").glob("*.yaml"))) == len(titles)
    assert ihk("export", "../x.csv", cwd=empty_belm).exit_code == 0
    raw = (tmp_path / "x.csv").read_text("utf-8-sig")
    for shown in (
        "'=1+2 Fest",
        "'+49 Treff",
        "'-Kurs",
        "'@Büro",
        ";'s Gravenhage-Tag;",
        "''=Gleich",
        "' =HYPERLINK",
    ):
        assert shown in raw
    head = _head(empty_belm)
    again = ihk("import", "../x.csv", cwd=empty_belm)
    assert again.exit_code == 0 and f"Unverändert: {len(titles)} Einträge" in again.stdout
    assert _head(empty_belm) == head


# ------------------------------------------------------------------------- goals


def test_new_goals_go_into_the_catalogue_through_the_editor(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    (tmp_path / "neu.csv").write_text(
        "Maßnahme;Weitere Ziele;Stbauf.;Aufn. in Konzept\n"
        "Oberziel: Klimaanpassung im Quartier;;;\n"
        "Baumpatenschaften;Bürgerbeteiligung;nein;2024-04\n",
        encoding="utf-8",
    )
    refused = ihk("import", "../neu.csv", cwd=empty_belm)
    assert refused.exit_code == 1 and "--neue-ziele" in refused.stderr
    result = ihk("import", "../neu.csv", "--neue-ziele", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert "  klimaanpassung-im-quartier: Klimaanpassung im Quartier" in result.stdout
    meta = (empty_belm / "ihk.yaml").read_text("utf-8")
    assert meta.startswith("# Integriertes Handlungskonzept (IHK) für das Sanierungsgebiet")
    assert meta.endswith(
        "  beteiligung:\n    titel: Bürgerbeteiligung und Aktivierung\n"
        "  klimaanpassung-im-quartier:\n    titel: Klimaanpassung im Quartier\n"
    )
    record = (empty_belm / "massnahmen" / "baumpatenschaften.yaml").read_text("utf-8")
    assert "oberziel: klimaanpassung-im-quartier\nweitere_ziele:\n  - beteiligung\n" in record
    assert git(empty_belm, "show", "--stat", "--format=%s", "HEAD").splitlines()[0] == (
        "Import aus neu.csv: 1 Maßnahme neu, 1 neues Ziel"
    )


def test_new_goals_refresh_the_editor_schemas_in_the_same_commit(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    assert ihk("schema", cwd=empty_belm).exit_code == 0  # the schemas name Belm's goals
    (tmp_path / "neu.csv").write_text(
        "Maßnahme;Stbauf.;Aufn. in Konzept\nOberziel: Klimaanpassung;;\nBaumpaten;nein;2024-04\n",
        encoding="utf-8",
    )
    result = ihk("import", "../neu.csv", "--neue-ziele", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert "Hinweis: Schemas für Editoren (.ihk/schema) mit den neuen Zielen aufgefrischt" in (
        result.stdout
    )
    changed = git(empty_belm, "show", "--name-only", "--format=", "HEAD").split()
    assert {"ihk.yaml", "massnahmen/baumpaten.yaml", ".ihk/schema/massnahme.schema.json"} <= set(
        changed
    )
    assert git(empty_belm, "status", "--porcelain") == ""
    checked = ihk("validate", cwd=empty_belm)
    assert checked.exit_code == 0 and "warnung" not in checked.stdout + checked.stderr
    # the same files as `ihk schema` writes: it finds nothing to do
    again = ihk("schema", cwd=empty_belm)
    assert again.exit_code == 0 and git(empty_belm, "status", "--porcelain") == ""
    assert len(git(empty_belm, "log", "--format=%h").split()) == 4


# ------------------------------------------------------------------------- safety


def test_ids_windows_keeps_for_devices_are_refused(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """massnahmen/con.yaml is the console on Windows: such a register cannot be checked
    out there, and ihk would write into a device."""
    (tmp_path / "t.csv").write_text(
        "Kennung;Maßnahme;Stbauf.;Aufn. in Konzept\n"
        "Oberziel: Wohn- und Wohnumfeldverbesserung;;;\n"
        "com1;Erste;nein;2024-04\n;Nul;nein;2024-04\n",
        encoding="utf-8",
    )
    head = _head(empty_belm)
    result = ihk("import", "../t.csv", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "../t.csv:3:1: die Kennung „com1“ ist unter Windows ein Gerätename; die Datei ließe "
        "sich dort weder auschecken noch schreiben – bitte eine andere Kennung",
        "../t.csv:4:2: die Kennung „nul“ ist unter Windows ein Gerätename; die Datei ließe "
        "sich dort weder auschecken noch schreiben – bitte eine andere Kennung in einer "
        "Spalte „Kennung“",
    ]
    added = ihk("add", "massnahme", "--titel", "Aux", "--oberziel", "wohnen",
                "--keine-stbauf", "--aufgenommen", "2024-04", cwd=empty_belm)  # fmt: skip
    assert added.exit_code == 1 and "„aux“ ist unter Windows ein Gerätename" in added.stderr
    assert _head(empty_belm) == head and not list((empty_belm / "massnahmen").glob("*"))


def test_an_import_that_fails_to_commit_leaves_everything_as_it_was(
    ihk: Run, demo: Path, tmp_path: Path
) -> None:
    build(tmp_path / "t.xlsx")
    hook = demo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'Commits sind gesperrt' >&2\nexit 1\n")
    hook.chmod(0o755)
    before, head = _snapshot(demo), _head(demo)
    status = git(demo, "status", "--porcelain")
    result = ihk("import", str(tmp_path / "t.xlsx"), "--trotzdem", "--neue-ziele", cwd=demo)
    assert result.exit_code == 1 and "Commits sind gesperrt" in result.stderr
    assert _snapshot(demo) == before and _head(demo) == head
    assert git(demo, "status", "--porcelain") == status


def test_uncommitted_hand_edits_are_not_swept_in(ihk: Run, demo: Path) -> None:
    out = demo.parent / "ihk.csv"
    assert ihk("export", str(out), cwd=demo).exit_code == 0
    out.write_text(out.read_text("utf-8-sig").replace("620000", "1"), encoding="utf-8-sig")
    target = demo / "massnahmen" / "jugendtreff.yaml"
    target.write_text(target.read_text("utf-8") + "# von Hand\n", encoding="utf-8")
    result = ihk("import", str(out), cwd=demo)
    assert result.exit_code == 1
    assert "massnahmen/jugendtreff.yaml hat Änderungen, die noch nicht committet sind" in (
        result.stderr
    )
    assert target.read_text("utf-8").endswith("# von Hand\n")
    assert ihk("import", str(out), "--no-commit", cwd=demo).exit_code == 0
    assert "kosten_eur: 1\n" in target.read_text("utf-8")


def test_files_that_are_not_tables(ihk: Run, empty_belm: Path, tmp_path: Path) -> None:
    (tmp_path / "alt.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (tmp_path / "kaputt.xlsx").write_bytes(b"PK\x03\x04 kein zip")
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    old = ihk("import", "../alt.xls", cwd=empty_belm)
    assert old.exit_code == 1 and "alten Excel-Format (.xls)" in old.stderr
    broken = ihk("import", "../kaputt.xlsx", cwd=empty_belm)
    assert broken.stderr == "Fehler: ../kaputt.xlsx: keine Excel-Arbeitsmappe (.xlsx)\n"
    other = ihk("import", "../bild.png", cwd=empty_belm)
    assert other.exit_code == 2 and "ihk import liest .xlsx (Excel) und .csv" in other.stderr
    missing = ihk("import", "../fehlt.csv", cwd=empty_belm)
    assert (
        missing.exit_code == 1 and "fehlt.csv: Datei oder Ordner nicht gefunden" in missing.stderr
    )
    build(tmp_path / "t.xlsx")
    sheet = ihk("import", "../t.xlsx", "--sheet", "Daten", cwd=empty_belm)
    assert sheet.exit_code == 2
    assert "ein Blatt „Daten“ gibt es nicht; es gibt „IHK 2003“" in sheet.stderr
    (tmp_path / "leer.csv").write_bytes(b"")
    empty = ihk("import", "../leer.csv", cwd=empty_belm)
    assert empty.exit_code == 1
    assert empty.stderr.startswith("../leer.csv:1:1: keine Kopfzeile gefunden – erwartet")


def test_xml_entity_expansion_is_refused_in_german(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """A "billion laughs" sheet (entities nested eight deep: 100 MB) is not expanded."""
    wb = Workbook()
    wb.active["A1"] = "Maßnahme"
    plain = io.BytesIO()
    wb.save(plain)
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {b} "{f"&{a};" * 10}">' for a, b in zip("abcdefg", "bcdefgh", strict=True)
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("Ma&#223;nahme", "&h;")
                data = f'<?xml version="1.0"?><!DOCTYPE x [{entities}]>{text}'.encode()
            out.writestr(item, data)
    (tmp_path / "lachen.xlsx").write_bytes(bomb.getvalue())
    result = ihk("import", "../lachen.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Fehler: ../lachen.xlsx: Arbeitsmappe nicht lesbar – beschädigt oder kein gültiges XLSX"
    )
    assert result.stderr.count("\n") == 1


def test_too_large_and_zip_bombs_are_refused_before_reading(
    ihk: Run, empty_belm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ihk import xlsx

    build(tmp_path / "t.xlsx")
    monkeypatch.setattr(xlsx, "MAX_FILE_BYTES", 1000)
    big = ihk("import", "../t.xlsx", cwd=empty_belm)
    assert big.exit_code == 1 and "Dateien über 0 MB liest ihk nicht" in big.stderr
    monkeypatch.setattr(xlsx, "MAX_FILE_BYTES", 50_000_000)
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 20_000)
    bomb = ihk("import", "../t.xlsx", cwd=empty_belm)
    assert bomb.exit_code == 1 and "(eine „Zip-Bombe“?)" in bomb.stderr
    assert list((empty_belm / "massnahmen").glob("*")) == []


def _with_saved_result(path: Path, cell: str, formula: str, value: str) -> None:
    """Give a formula cell the result Excel would have saved with it."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    # openpyxl writes an empty result as <v /> or <v></v> (with lxml)
    old = re.compile(f'<c r="{cell}"><f>{re.escape(formula)}</f><v ?/>(?:</v>)?</c>|'
                     f'<c r="{cell}"><f>{re.escape(formula)}</f><v></v></c>')  # fmt: skip
    assert old.search(sheet), sheet
    parts["xl/worksheets/sheet1.xml"] = old.sub(
        f'<c r="{cell}" t="str"><f>{formula}</f><v>{value}</v></c>', sheet
    ).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_formula_counts_with_the_result_excel_saved(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Maßnahme", "Oberziel", "Stbauf.", "Aufn. in Konzept", "Kosten"])
    ws.append(["Platz", "wohnen", "ja", "2003-05", "=1000*12"])
    wb.save(tmp_path / "f.xlsx")
    _with_saved_result(tmp_path / "f.xlsx", "E2", "1000*12", "12000")
    result = ihk("import", "../f.xlsx", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert "kosten_eur: 12000" in (empty_belm / "massnahmen" / "platz.yaml").read_text("utf-8")


def test_json_for_scripts(ihk: Run, empty_belm: Path, tmp_path: Path) -> None:
    import json

    build(tmp_path / "t.xlsx")
    result = ihk("import", "../t.xlsx", "--dry-run", "--format", "json", cwd=empty_belm)
    data = json.loads(result.stdout)
    assert data["probelauf"] is True and data["commit"] is None and data["layout"] == "tabelle"
    assert data["blatt"] == "IHK 2003" and data["unveraendert"] == 0
    assert data["neu"][0] == {
        "art": "massnahme",
        "id": "errichtung-eines-buergerhauses-mit-stadtteilbuero",
        "pfad": "massnahmen/errichtung-eines-buergerhauses-mit-stadtteilbuero.yaml",
        "titel": "Errichtung eines Bürgerhauses mit Stadtteilbüro, Sozialberatungsstelle, "
        "Veranstaltungsräumen, Kindergarten, usw.",
    }
    assert list((empty_belm / "massnahmen").glob("*")) == []


def test_the_seeds_own_table_as_text(ihk: Run, demo: Path, tmp_path: Path) -> None:
    """The excerpt of the talk (tab-separated, as copied out of the slide) reads as a
    table: two header rows, the Oberziel row, Nachträge, the legend."""
    seed = Path("/work/shared/seed/000_d70f19b9e6196f1e.txt")
    if not seed.exists():
        pytest.skip("the seed is not on this machine")
    text = seed.read_text("utf-8")
    start = text.index("Maßnahmen/Projekte\tWeitere Ziele")
    end = text.index("Schwarz = war geplant, nicht umgesetzt") + 38
    (tmp_path / "seed.tsv").write_text(
        text[start:end].replace("<b>", "").replace("</b>", "") + "\n", encoding="utf-8"
    )
    result = ihk("import", "../seed.tsv", "--dry-run", "--neue-ziele", "--trotzdem", cwd=demo)
    assert result.exit_code == 0, result.stderr
    assert "Gelesen: ../seed.tsv, UTF-8, getrennt durch Tabulator, Tabelle wie von Hand" in (
        result.stdout
    )
    assert "Neu: 3 Maßnahmen" in result.stdout and "Unverändert: 1 Eintrag" in result.stdout
    assert "  verknuepfung-des-sanierungsgebietes-mit-der-gemeinde: Verknüpfung des " in (
        result.stdout
    )
    assert subprocess.run(["git", "status", "--porcelain"], cwd=demo, capture_output=True,
                          text=True).stdout == ""  # fmt: skip


def test_the_readmes_example_of_unmappable_cells(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    import re

    from tests.test_readme import README, section

    wb = Workbook()
    ws = wb.active
    ws.title = "IHK"
    ws.append(["Maßnahme", "Weitere Ziele", "Träger", "Stbauf.", "Aufn. in Konzept"])
    ws.append(["Oberziel: Wohn- und Wohnumfeldverbesserung"])
    ws.append(["Stettiner Platz", None, "Gemeinde", "Ja", "2001-12"])
    ws.append(["Platz", "Weltfrieden", "Gemeinde", "vielleicht", "2001-12"])
    ws.append(["Nachtrag: ohne Datum"])
    ws.append(["Summe"])
    ws.append(["Spielplatz", None, "Gemeinde", "Ja", "=DATE(2001,12,1)"])
    wb.save(tmp_path / "ihk-2003.xlsx")
    text = section(README.read_text("utf-8"), "Excel und CSV")
    block = re.search(r"```console\n\$ ihk import \.\./ihk-2003\.xlsx\n(.*?)```", text, re.S)
    assert block is not None
    result = ihk("import", "../ihk-2003.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr == block[1]


def test_many_records_in_one_commit_or_none_at_all(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    rows = ["Maßnahme;Kennung;Oberziel;Stbauf.;Aufn. in Konzept;Status"]
    rows += [f"Aktion Nummer {i};aktion-{i};wohnen;nein;2005-0{1 + i % 9};in Planung"
             for i in range(40)]  # fmt: skip
    rows.append("Aktion mit Fehler;falsch_;wohnen;nein;2005-01;in Planung")
    (tmp_path / "viele.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    refused = ihk("import", "../viele.csv", cwd=empty_belm)
    assert refused.stderr.splitlines()[0].startswith(
        "../viele.csv:42:2: ungültige Kennung „falsch_“"
    )
    assert list((empty_belm / "massnahmen").iterdir()) == []
    (tmp_path / "viele.csv").write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")
    hook = empty_belm / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    before, head = _snapshot(empty_belm), _head(empty_belm)
    assert ihk("import", "../viele.csv", cwd=empty_belm).exit_code == 1
    assert _snapshot(empty_belm) == before and _head(empty_belm) == head  # no .tmp left either
    hook.unlink()
    done = ihk("import", "../viele.csv", cwd=empty_belm)
    assert done.exit_code == 0 and "Neu: 40 Maßnahmen" in done.stdout
    assert len(list((empty_belm / "massnahmen").glob("aktion-*.yaml"))) == 40
    assert git(empty_belm, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert git(empty_belm, "status", "--porcelain") == ""


def test_a_heading_that_names_a_column_is_still_a_heading(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    (tmp_path / "t.csv").write_text(
        "Maßnahme;Träger;Stbauf.;Aufn. in Konzept\n"
        "Oberziel: Soziale Träger und Kosten im Blick;;;\n"
        "Trägerrunde;Diakonie;nein;2004-02\n",
        encoding="utf-8",
    )
    result = ihk("import", "../t.csv", "--neue-ziele", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    record = (empty_belm / "massnahmen" / "traegerrunde.yaml").read_text("utf-8")
    assert "oberziel: soziale-traeger-und-kosten-im-blick\n" in record


def test_a_status_csv_reads_back_too(ihk: Run, demo: Path) -> None:
    (demo.parent / "status.csv").write_text(
        ihk("status", "--kind", "all", "--format", "csv", cwd=demo).stdout, encoding="utf-8"
    )
    result = ihk("import", "../status.csv", cwd=demo)
    assert result.exit_code == 0, result.stderr
    assert "Daten-Layout" in result.stdout and "Unverändert: 27 Einträge" in result.stdout


def test_truth_values_and_dates_excel_made_are_refused_not_changed(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """German Excel makes "wahr" a truth value and "1.12." a date: written as "True" or
    "2001-12-01 00:00:00" they would be values nobody typed."""
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.title = "IHK"
    ws.append(["Maßnahme", "Träger", "Stbauf.", "Aufn. in Konzept", "Kosten"])
    ws.append(["Oberziel: Wohn- und Wohnumfeldverbesserung"])
    ws.append(["Fest am Platz", True, "x", "Dez 01", dt.datetime(2001, 12, 1)])
    # "Dez 01" typed in 2024: Excel shows "01. Dez" and keeps 1 December 2024
    ws.append(["Kurs", "VHS", "x", dt.datetime(2024, 12, 1)])
    ws.cell(4, 4).number_format = "d. mmm"
    wb.save(tmp_path / "t.xlsx")
    head = _head(empty_belm)
    result = ihk("import", "../t.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "../t.xlsx:IHK!B3: ein Wahrheitswert (WAHR) statt eines Textes; ist das Wort gemeint, "
        "bitte die Zelle als Text formatieren",
        "../t.xlsx:IHK!E3: ein Datum (01.12.2001) statt einer Zahl",
        "../t.xlsx:IHK!D4: ein Datum, das Excel ohne Jahr zeigt (01.12.; gespeichert "
        "01.12.2024) – aus „Dez 01“ macht Excel den 1. Dezember des Jahres, in dem es getippt "
        "wurde; bitte den Monat als Text eingeben („Dez 2001“, „2001-12“)",
    ]
    assert _head(empty_belm) == head and git(empty_belm, "status", "--porcelain") == ""


def test_a_header_repeated_on_every_page_is_passed_over(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """A table copied from Word repeats its two header rows at each page break."""
    head = ["Maßnahmen/Projekte", "Ausführende Träger/Beteiligte", "Vorgesehene Finanzierung",
            None, "Aufn. in Konzept", "Status"]  # fmt: skip
    under = [None, None, "Stbauf.", "Sonst. F.", None, None]
    wb = Workbook()
    ws = wb.active
    ws.title = "IHK"
    for row in (head, under, ["Oberziel: Wohn- und Wohnumfeldverbesserung"],
                ["Fest am Platz", "Verein", "x", None, "Dez 01", "in Planung"], head, under,
                ["Mietergärten", "Wohnungsbau", "–", "Eigentümer", "Dez 02", "in Planung"]):  # fmt: skip
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    result = ihk("import", "../t.xlsx", cwd=empty_belm)
    assert result.exit_code == 0, result.stderr
    assert "Neu: 2 Maßnahmen" in result.stdout
    assert "Hinweis: Zeilen 5, 6 wiederholen die Kopfzeile: übergangen" in result.stdout
    record = (empty_belm / "massnahmen" / "mietergaerten.yaml").read_text("utf-8")
    assert "oberziel: wohnen" in record and "- Eigentümer" in record


def test_a_colour_no_legend_colour_is_near_or_two_are_is_refused(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """Excel's yellow is no state of the IHK's legend (it was taken for its light green:
    "abgeschlossen"); with the sheet's own legend, a colour between two of its colours
    is not guessed."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Maßnahme", "Stbauf.", "Aufn. in Konzept"])
    ws.append(["Oberziel: Wohn- und Wohnumfeldverbesserung"])
    for title, colour in (("Gelb markiert", "FFFF00"), ("Orange markiert", "FFC000"),
                          ("Grün markiert", "00B050")):  # fmt: skip
        ws.append([title, "nein", "2004-05"])
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=colour)
    wb.save(tmp_path / "farben.xlsx")
    result = ihk("import", "../farben.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert [line.split(": die Farbe ")[0] for line in result.stderr.splitlines()[:2]] == [
        "../farben.xlsx:Sheet!A3",
        "../farben.xlsx:Sheet!A4",
    ]
    ws.append([])
    ws.append(["Gelb = in der Planung"])
    ws.append(["Orange = in Umsetzung"])
    ws.append(["Grün = abgeschlossen"])
    ws.cell(3, 1).fill = PatternFill("solid", fgColor="FFE000")  # between yellow and orange
    wb.save(tmp_path / "farben.xlsx")
    result = ihk("import", "../farben.xlsx", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "../farben.xlsx:Sheet!A3: die Farbe #FFE000 liegt zwischen den Farben der Legende für "
        "„in Planung“ und „in Umsetzung“; bitte färben wie die Legende oder eine Spalte "
        "„Status“ angeben"
    )
    assert not list((empty_belm / "massnahmen").glob("*.yaml"))


def test_a_linked_record_folder_gets_no_new_files(
    ihk: Run, empty_belm: Path, tmp_path: Path
) -> None:
    """massnahmen/ a link to a folder elsewhere: with --no-commit nothing else noticed,
    and import and add wrote their files outside the register."""
    elsewhere = tmp_path / "woanders"
    elsewhere.mkdir()
    folder = empty_belm / "massnahmen"
    if folder.exists():
        folder.rmdir()
    folder.symlink_to(elsewhere)
    build(tmp_path / "t.xlsx")
    for args in (
        ("import", "../t.xlsx", "--no-commit"),
        ("add", "massnahme", "--titel", "Neu", "--oberziel", "wohnen", "--keine-stbauf",
         "--aufgenommen", "2024-01", "--no-commit"),
    ):  # fmt: skip
        result = ihk(*args, cwd=empty_belm)
        assert result.exit_code == 1, args
        assert "massnahmen ist eine symbolische Verknüpfung; ihk schreibt Einträge nur in " in (
            result.stderr
        )
    assert not list(elsewhere.iterdir())


def test_two_rows_for_one_record_say_what_to_do(ihk: Run, empty_belm: Path, tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(
        "Kennung;Maßnahme;Stbauf.;Aufn. in Konzept\n"
        "Oberziel: Wohn- und Wohnumfeldverbesserung;;;\n"
        ";Gleicher Titel!;nein;2024-04\n;Gleicher  Titel?;nein;2024-04\n"
        "fest;Fest;nein;2024-04\nfest;Fest im Park;nein;2024-04\n",
        encoding="utf-8",
    )
    result = ihk("import", "../t.csv", cwd=empty_belm)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "../t.csv:4:2: ergibt dieselbe Maßnahme „gleicher-titel“ wie Zeile 3; steht sie doppelt "
        "da, bitte eine Zeile löschen, sonst eine Spalte „Kennung“ mit verschiedenen Kennungen "
        "angeben",
        "../t.csv:6:1: die Kennung „fest“ steht schon in Zeile 5; jede Kennung nur einmal",
    ]
