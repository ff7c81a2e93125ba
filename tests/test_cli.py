"""The everyday commands through the CLI: init, status, log, finding the register."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git


def test_init_creates_a_committed_register(tmp_path: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("init", "powe", "--gebiet", "Belm-Powe", "--gemeinde", "Belm", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "powe"
    assert git(root, "log", "--format=%s").strip() == "IHK-Register angelegt: Belm-Powe (Belm)"
    validated = ihk("validate", cwd=root)
    assert validated.exit_code == 0
    status = json.loads(ihk("status", "--format", "json", cwd=root).stdout)
    assert status["summen"]["gesamt"] == 0
    meta = (root / "ihk.yaml").read_text("utf-8")
    assert "programm: Sozialer Zusammenhalt" in meta
    assert meta.count("titel:") == 8 + 6  # the eight Leitziele and six sources
    again = ihk("init", "powe", cwd=tmp_path)
    assert again.exit_code == 1 and "schon ein Register" in again.stderr


def test_init_inside_a_work_tree_commits_only_its_files(
    example: Path, ihk: Callable[..., Result]
) -> None:
    (example / "notiz.txt").write_text("x")
    git(example, "add", "notiz.txt")
    assert ihk("init", "teilgebiet", cwd=example).exit_code == 0
    assert git(example, "show", "--name-only", "--format=", "HEAD").split() == [
        "teilgebiet/.ihk/schema/gremium.schema.json",
        "teilgebiet/.ihk/schema/ihk.schema.json",
        "teilgebiet/.ihk/schema/indikator.schema.json",
        "teilgebiet/.ihk/schema/massnahme.schema.json",
        "teilgebiet/.ihk/schema/projekt.schema.json",
        "teilgebiet/ihk.yaml",
    ]
    assert git(example, "diff", "--cached", "--name-only").split() == ["notiz.txt"]


def test_status_groups_by_goal_in_catalogue_order(
    example: Path, ihk: Callable[..., Result]
) -> None:
    data = json.loads(ihk("status", "--format", "json", cwd=example).stdout)
    goals = [g["oberziel"] for g in data["gruppen"]]
    assert goals == [
        "wohnen",
        "verkehr",
        "nachbarschaften",
        "kinder-jugend",
        "image",
        "qualifizierung",
        "beteiligung",
    ]
    nachbarschaften = next(g for g in data["gruppen"] if g["oberziel"] == "nachbarschaften")
    titles = [e["titel"] for e in nachbarschaften["eintraege"]]
    assert titles == sorted(titles, key=str.casefold)
    assert data["summen"] == {
        "in_planung": 3,
        "in_umsetzung": 6,
        "abgeschlossen": 5,
        "nicht_umgesetzt": 2,
        "gesamt": 16,
    }


def test_status_table_shows_rows_and_counts(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("status", cwd=example)
    assert result.exit_code == 0
    assert "Oberziel: Unterstützung und Ausbau von Nachbarschaften" in result.stdout
    assert "sozialstation" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("16 Maßnahmen: ")
    assert "2 nicht umgesetzt" in last


def test_status_filters_and_kinds(example: Path, ihk: Callable[..., Result]) -> None:
    raw = ihk("status", "--status", "abgeschlossen", "--format", "csv", cwd=example).stdout
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert {r["Umsetzungsstand"] for r in rows} == {"abgeschlossen"}
    assert "sozialstation" in {r["Kennung"] for r in rows}
    by_traeger = json.loads(
        ihk(
            "status", "--traeger", "diakonie", "--kind", "all", "--format", "json", cwd=example
        ).stdout
    )
    ids = {e["id"] for g in by_traeger["gruppen"] for e in g["eintraege"]}
    assert ids == {"hauswirtschaftliche-soforthilfe", "vertrauen-gewinnen"}
    projects = json.loads(
        ihk(
            "status",
            "--kind",
            "project",
            "--oberziel",
            "qualifizierung",
            "--format",
            "json",
            cwd=example,
        ).stdout
    )
    assert {e["art"] for g in projects["gruppen"] for e in g["eintraege"]} == {"projekt"}
    assert [g["oberziel"] for g in projects["gruppen"]] == ["qualifizierung"]


def test_status_markdown_is_a_table_per_goal(example: Path, ihk: Callable[..., Result]) -> None:
    text = ihk("status", "--format", "markdown", cwd=example).stdout
    assert "## Oberziel: Neuordnung und Verbesserung der Verkehrsstruktur" in text
    assert "| stettiner-strasse | Umgestaltung der Stettiner Straße |" in text


def test_status_on_a_partly_broken_register(example: Path, ihk: Callable[..., Result]) -> None:
    (example / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    result = ihk("status", "--format", "csv", cwd=example)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1 + 16  # header + every valid measure
    assert "massnahmen/kaputt.yaml:2:1: YAML-Syntaxfehler" in result.stderr
    assert "1 Datei nicht gelesen" in result.stderr


def test_log_lists_commits_with_field_changes(example: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("set", "stettiner-strasse", "status=in_umsetzung", cwd=example).exit_code == 0
    assert ihk("set", "sozialstation", "ort=Powe", cwd=example).exit_code == 0
    whole = json.loads(ihk("log", "--format", "json", cwd=example).stdout)
    assert [e["nachricht"] for e in whole][:2] == [
        "Maßnahme sozialstation: ort = Powe",
        "Maßnahme stettiner-strasse: status in_planung → in_umsetzung",
    ]
    assert whole[1]["aenderungen"] == [
        {
            "art": "massnahme",
            "id": "stettiner-strasse",
            "aktion": "geändert",
            "felder": [{"feld": "status", "alt": "in_planung", "neu": "in_umsetzung"}],
            "ungueltig": False,
        }
    ]
    one = ihk("log", "stettiner-strasse", cwd=example).stdout
    assert "status in_planung → in_umsetzung" in one
    assert "sozialstation" not in one
    assert "Quartiermanagement Test" in one


def test_register_is_found_upwards_then_by_env_then_example(
    example: Path, tmp_path: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = example / "massnahmen"
    assert ihk("validate", cwd=inner).stdout.endswith("0 Fehler, 0 Warnungen\n")
    elsewhere = tmp_path / "leer"
    elsewhere.mkdir()
    missing = ihk("validate", cwd=elsewhere)
    assert missing.exit_code == 2 and "Kein Register gefunden" in missing.stderr
    monkeypatch.setenv("IHK_REGISTER", str(example))
    assert ihk("validate", cwd=elsewhere).exit_code == 0
    monkeypatch.delenv("IHK_REGISTER")
    (elsewhere / "register").symlink_to(example)
    assert ihk("validate", cwd=elsewhere).exit_code == 0
    wrong = ihk("--register", str(tmp_path), "validate", cwd=elsewhere)
    assert wrong.exit_code == 2


def test_usage_errors_are_german_and_exit_2(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("status", "--farbe", cwd=example)
    assert result.exit_code == 2
    assert "Fehler: Unbekannte Option: --farbe" in result.stderr
    bad_kind = ihk("add", "verein", "--name", "x", cwd=example)
    assert bad_kind.exit_code == 2 and "unbekannte Art „verein“" in bad_kind.stderr


def test_the_installed_command_runs_and_hides_tracebacks(example: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ihk", "--register", str(example), "show", "gibtsnicht"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    version = subprocess.run(
        [sys.executable, "-m", "ihk", "--version"], capture_output=True, text=True
    )
    assert version.stdout.startswith("ihk ")


def test_an_os_error_is_a_message_not_a_traceback(
    example: Path, ihk: Callable[..., Result]
) -> None:
    git(example, "tag", "-a", "-m", "Stand", "stand-2006")
    (example / "bericht").mkdir()
    result = ihk("fortschreibung", "2006..", "-o", "bericht", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: bericht: ")
    assert "Traceback" not in result.stderr


def test_help_is_german(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("--help", cwd=example)
    assert result.exit_code == 0
    assert "Aufruf: ihk [OPTIONEN] BEFEHL" in result.stdout
    assert "Befehle:" in result.stdout and "Diese Hilfe zeigen und beenden." in result.stdout
    assert "Show this message" not in result.stdout
    show = ihk("show", "--help", cwd=example).stdout
    assert "Argumente:" in show and "[Vorgabe: text]" in show


def test_an_option_of_another_kind_is_a_usage_error(
    example: Path, ihk: Callable[..., Result]
) -> None:
    head = git(example, "rev-parse", "HEAD")
    project = ihk(
        "add", "project", "--titel", "P", "--oberziel", "wohnen", "--ort", "X",
        "--aufgenommen", "2005-01", cwd=example,
    )  # fmt: skip
    assert project.exit_code == 2
    assert "Fehler: Unbekannte Option: --ort" in project.stderr
    measure = ihk(
        "add", "measure", "--titel", "M", "--oberziel", "wohnen", "--stbauf",
        "--von", "2025-01", "--bis", "2025-12", cwd=example,
    )  # fmt: skip
    assert measure.exit_code == 2 and "Unbekannte Option: --von" in measure.stderr
    assert git(example, "rev-parse", "HEAD") == head
    assert not (example / "projekte" / "p.yaml").exists()
    assert not (example / "massnahmen" / "m.yaml").exists()


def test_each_kind_has_its_own_add_help(example: Path, ihk: Callable[..., Result]) -> None:
    def options(kind: str) -> set[str]:
        import re

        text = ihk("add", kind, "--help", cwd=example).stdout
        return set(re.findall(r"(--[a-z-]+)", text))

    measure = options("massnahme")
    assert {"--titel", "--oberziel", "--ziel", "--kosten", "--aufgenommen", "--ort"} <= measure
    assert not measure & {"--name", "--art", "--von", "--bis", "--massnahme", "--programm"}
    assert options("measure") == measure
    committee = options("gremium")
    assert {"--name", "--art", "--aufgabe", "--gegruendet"} <= committee
    assert not committee & {"--titel", "--oberziel", "--status"}
    project = options("projekt")
    assert {"--von", "--bis", "--massnahme", "--programm"} <= project
    assert not project & {"--ort", "--aufgenommen", "--name"}


def test_a_bug_in_ihk_exits_3_with_a_short_german_message(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("ihk.commands.validate.validate_register", broken)
    result = ihk("validate", cwd=example)
    assert result.exit_code == 3
    assert result.stderr.startswith("Unerwarteter Fehler (RuntimeError): Das ist ein Fehler in ihk")
    assert "Traceback" not in result.stderr and "kaputt" not in result.stderr
    monkeypatch.setenv("IHK_DEBUG", "1")
    debug = ihk("validate", cwd=example)
    assert isinstance(debug.exception, RuntimeError)


def test_without_a_git_identity_nothing_is_written(
    example: Path, ihk: Callable[..., Result], no_git_identity: None
) -> None:
    before = (example / "massnahmen" / "sozialstation.yaml").read_bytes()
    head = git(example, "rev-parse", "HEAD")
    result = ihk("set", "sozialstation", "ort=Powe", cwd=example)
    assert result.exit_code == 1
    assert "git kennt Ihren Namen nicht" in result.stderr
    assert "git config --global user.name" in result.stderr
    assert (example / "massnahmen" / "sozialstation.yaml").read_bytes() == before
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""


def test_unknown_filters_are_errors_and_shown_words_work(
    example: Path, ihk: Callable[..., Result]
) -> None:
    goal = ihk("status", "--oberziel", "kinder", cwd=example)
    assert goal.exit_code == 2
    assert "Oberziel „kinder“ steht nicht im Zielkatalog" in goal.stderr
    assert "Erlaubt: wohnen, verknuepfung" in goal.stderr
    typo = ihk("status", "--oberziel", "qualifzierung", cwd=example)
    assert "meinten Sie „qualifizierung“?" in typo.stderr
    by_title = ihk(
        "status", "--oberziel", "qualifizierung und BESCHÄFTIGUNG", "--format", "json", cwd=example
    )
    assert by_title.exit_code == 0, by_title.stderr
    data = json.loads(by_title.stdout)
    assert [g["oberziel"] for g in data["gruppen"]] == ["qualifizierung"]
    state = ihk("status", "--status", "in Umsetzung", "--format", "json", cwd=example)
    assert state.exit_code == 0
    assert json.loads(state.stdout)["summen"]["gesamt"] == 6
    wrong = ihk("status", "--status", "fertig", cwd=example)
    assert wrong.exit_code == 2 and "erlaubt: in_planung" in wrong.stderr


def test_ids_are_found_in_any_case_and_typos_get_a_hint(
    example: Path, ihk: Callable[..., Result]
) -> None:
    shown = ihk("show", "Sozialstation", cwd=example)
    assert shown.exit_code == 0 and shown.stdout.startswith("Maßnahme sozialstation\n")
    typo = ihk("show", "sozialstaton", cwd=example)
    assert typo.exit_code == 1
    assert "Keinen Eintrag „sozialstaton“ gefunden" in typo.stderr
    assert "meinten Sie „sozialstation“?" in typo.stderr
    kinded = ihk("show", "gremium/sanierungsbeirt", cwd=example)
    assert "Gremium „sanierungsbeirt“ gibt es nicht" in kinded.stderr
    assert "meinten Sie „sanierungsbeirat“ oder „sanierungsforum“?" in kinded.stderr
