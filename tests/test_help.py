"""Help, usage errors and shared options in German: no English or type names leak."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git


def _command_paths() -> list[list[str]]:
    """Every command and subcommand of ihk, as the words that call it."""
    import typer.main

    from ihk.cli import app

    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


COMMANDS = _command_paths()


def test_every_command_is_reached() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"", "status", "add massnahme", "add gremium", "add projekt", "sitzung"} <= names
    assert len(COMMANDS) >= 19


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ihk")
def test_help_has_no_english_or_type_placeholders(
    path: list[str], example: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk(*path, "--help", cwd=example)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("Aufruf: ihk")
    for leak in ("<", ">", "{", "}", "[[", "...", "Usage", "Options", "Arguments", "Commands"):
        assert leak not in text, f"{leak!r} in the help of {path}:\n{text}"
    for english in ("Show this message", "Install completion", "default:", "required"):
        assert english not in text


def test_the_command_list_has_whole_sentences(example: Path, ihk: Callable[..., Result]) -> None:
    text = ihk("--help", cwd=example).stdout
    listed = text.split("Befehle:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed[:4]] == ["init", "validate", "status", "finanzen"]
    for line in listed:
        assert line.rstrip().endswith("."), line  # nothing cut off ("Dez." …)
    assert "  demo            Ein Demo-Register (Belm-Powe 2001–2006) anlegen." in listed


def test_usage_lines_name_arguments_plainly(example: Path, ihk: Callable[..., Result]) -> None:
    assert "Aufruf: ihk set [OPTIONEN] ID [FELD=WERT]…" in ihk("set", "--help", cwd=example).stdout
    assert "Aufruf: ihk log [OPTIONEN] [ID]\n" in ihk("log", "--help", cwd=example).stdout
    assert "Aufruf: ihk init [OPTIONEN] PFAD\n" in ihk("init", "--help", cwd=example).stdout
    show = ihk("show", "--help", cwd=example).stdout
    assert "  --format text|yaml|json" in show
    assert "  ID  Kennung oder ART/KENNUNG." in show
    assert "  -m, --message TEXT  Text des Tags." in ihk("stand", "--help", cwd=example).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "a", "b"], "Fehler: Zu viele Argumente: „b“"),
        (["stauts"], "Fehler: Unbekannter Befehl „stauts“ – meinten Sie „status“?"),
        (["sta"], "Fehler: Unbekannter Befehl „sta“ – meinten Sie „stand“, „status“ oder „set“?"),
        (["validate", "--strict=ja"], "Fehler: Option --strict nimmt keinen Wert."),
        (["status", "--format", "x"], "erlaubt: table, markdown, csv, json"),
        (["log", "-n", "x"], "Fehler: Ungültiger Wert für -n / --anzahl: keine ganze Zahl"),
        (["meilenstein", "p", "x"], "Fehler: Ungültiger Wert für N: keine ganze Zahl"),
    ],
)
def test_usage_errors_are_german(
    args: list[str], message: str, example: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk(*args, cwd=example)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not re.search(r"Did you mean|Got unexpected|does not take|Error", result.stderr)


def test_a_broken_file_is_counted_in_the_singular(
    example: Path, ihk: Callable[..., Result]
) -> None:
    (example / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    result = ihk("status", "--format", "csv", cwd=example)
    assert "(1 Datei nicht gelesen)" in result.stderr
    (example / "massnahmen" / "kaputt2.yaml").write_text("titel: [\n", encoding="utf-8")
    assert "(2 Dateien nicht gelesen)" in ihk("status", "--format", "csv", cwd=example).stderr


def test_register_after_the_command_and_the_later_one_wins(
    example: Path, tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    elsewhere = tmp_path / "leer"
    elsewhere.mkdir()
    after = ihk("status", "--register", str(example), "--format", "csv", cwd=elsewhere)
    assert after.exit_code == 0, after.stderr
    assert len(after.stdout.splitlines()) == 17
    later = ihk("--register", str(elsewhere), "validate", "--register", str(example), cwd=elsewhere)
    assert later.exit_code == 0, later.stderr
    earlier = ihk(
        "--register", str(example), "validate", "--register", str(elsewhere), cwd=elsewhere
    )
    assert earlier.exit_code == 2 and "kein Register" in earlier.stderr
    added = ihk(
        "add", "gremium", "--name", "AG Spielplatz", "--art", "arbeitsgruppe",
        "--register", str(example), cwd=elsewhere,
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert (example / "gremien" / "ag-spielplatz.yaml").is_file()
    shown = ihk("show", "ag-spielplatz", "--register", str(example), cwd=elsewhere)
    assert shown.exit_code == 0 and "AG Spielplatz" in shown.stdout


def test_every_register_command_takes_register_after_it(
    example: Path, ihk: Callable[..., Result]
) -> None:
    without = {"", "init", "demo", "add"}
    for path in COMMANDS:
        text = ihk(*path, "--help", cwd=example).stdout
        if " ".join(path) in without:
            continue
        assert "--register PFAD" in text, path


def test_kosten_are_read_the_german_way(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk(
        "add", "massnahme", "--titel", "Kostentest", "--oberziel", "wohnen", "--stbauf",
        "--kosten", "12.000", cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (example / "massnahmen" / "kostentest.yaml").read_text("utf-8")
    assert "  kosten_eur: 12000\n" in text
    cents = ihk(
        "add", "projekt", "--titel", "Projekt mit Cent", "--oberziel", "wohnen",
        "--kosten", "1.500.000,50 €", cwd=example,
    )  # fmt: skip
    assert cents.exit_code == 0, cents.stderr
    assert "kosten_eur: 1500000.5" in (example / "projekte" / "projekt-mit-cent.yaml").read_text()
    head = git(example, "rev-parse", "HEAD")
    ambiguous = ihk(
        "add", "massnahme", "--titel", "Zweifel", "--oberziel", "wohnen", "--stbauf",
        "--kosten", "12.5", cwd=example,
    )  # fmt: skip
    assert ambiguous.exit_code == 2
    assert "„12.5“: der Punkt trennt im Deutschen Tausender" in ambiguous.stderr
    assert "erlaubt sind z. B. 12000, 12.000" in ambiguous.stderr
    assert not (example / "massnahmen" / "zweifel.yaml").exists()
    assert git(example, "rev-parse", "HEAD") == head


def test_a_nachtrag_can_carry_its_own_month(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk(
        "set", "stettiner-strasse", "--note", "Planung vertagt", "--monat", "2005-03",
        cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "nachtraege + 2005-03 „Planung vertagt“" in result.stdout
    text = (example / "massnahmen" / "stettiner-strasse.yaml").read_text("utf-8")
    assert "  - stand: 2005-03\n    text: Planung vertagt\n" in text
    head = git(example, "rev-parse", "HEAD")
    for bad in ("2005-13", "2005-3", "05-2005", "２００５-03", "2005-00"):
        refused = ihk("set", "stettiner-strasse", "--note", "x", "--monat", bad, cwd=example)
        assert refused.exit_code == 2, bad
        assert "ist kein Monat; erwartet JJJJ-MM" in refused.stderr
    alone = ihk("set", "stettiner-strasse", "--monat", "2005-03", cwd=example)
    assert alone.exit_code == 2 and "bitte auch --note TEXT angeben" in alone.stderr
    assert git(example, "rev-parse", "HEAD") == head


def test_typer_own_words_are_german() -> None:
    from ihk.cli.i18n import _translate, german_usage_error

    assert _translate("Aborted!") == "Abgebrochen."
    assert german_usage_error("Got unexpected extra arguments (a b)") == "Zu viele Argumente: „a b“"
    assert german_usage_error("No such command 'x'. Did you mean 'y'?") == (
        "Unbekannter Befehl „x“ – meinten Sie „y“?"
    )
