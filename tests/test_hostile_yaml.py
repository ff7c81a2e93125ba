"""Hostile record files on the command line: one problem each, the rest keeps working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

MEASURE = (
    "titel: Tafel\noberziel: nachbarschaften\nfinanzierung:\n  staedtebaufoerderung: ja\n"
    "status: in_planung\naufgenommen: 2002-01\n"
)


def test_validate_reports_each_hostile_file_and_counts_the_others(
    minimal: Path, ihk: Callable[..., Result]
) -> None:
    folder = minimal / "massnahmen"
    (folder / "zahl.yaml").write_text(MEASURE + "ort: " + "7" * 5000 + "\n")
    (folder / "tief.yaml").write_text(MEASURE + "ort: " + "[" * 500 + "]" * 500 + "\n")
    (folder / "gut.yaml").write_text(MEASURE)
    result = ihk("validate", cwd=minimal)
    assert result.stdout.splitlines() == [
        "massnahmen/tief.yaml:7:55: zu tief verschachtelt (höchstens 50 Ebenen)",
        "massnahmen/zahl.yaml:7:6: Zahl mit zu vielen Stellen (5000 Zeichen; höchstens 100); "
        "als Text bitte in Anführungszeichen setzen",
        "Register ungültig: 4 Maßnahmen (2 davon ungültig), 1 Gremium; 2 Fehler, 0 Warnungen",
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("status:\tin_planung", "5:8: Tabulator an dieser Stelle nicht erlaubt"),
        ("titel: !!int Tafel", "1:8: YAML-Tag „!!int“ wird nicht unterstützt"),
        ("aufgenommen: !!timestamp 2002-01", "6:14: YAML-Tag „!!timestamp“"),
        ("!!int titel: Tafel", "1:1: YAML-Tag „!!int“"),
    ],
)
def test_set_on_a_file_the_reader_refuses_names_the_old_problem(
    minimal: Path, ihk: Callable[..., Result], line: str, problem: str
) -> None:
    # The problem was in the file before; the message must not blame the edit.
    key = line.split(":")[0].split()[-1]
    text = "".join(
        (line if row.startswith(key + ":") else row) + "\n" for row in MEASURE.splitlines()
    )
    path = minimal / "massnahmen" / "kaputt.yaml"
    path.write_text(text)
    result = ihk("set", "kaputt", "ort=Belm", "--no-commit", cwd=minimal)
    output = result.stdout + result.stderr
    assert result.exit_code == 1
    assert "kein lesbares YAML" in output
    assert f"massnahmen/kaputt.yaml:{problem}" in output
    assert "Traceback" not in output and "Unerwartet" not in output
    assert path.read_text() == text


def test_set_refuses_a_huge_file_at_once(
    minimal: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = minimal / "massnahmen" / "riesig.yaml"
    path.write_text(MEASURE + "beschreibung: |\n" + "  Eine Zeile Text.\n" * 1_100_000)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the limit must not reach the YAML parser")

    monkeypatch.setattr("yaml.compose", never)
    result = ihk("set", "riesig", "status=abgeschlossen", "--no-commit", cwd=minimal)
    assert result.exit_code == 1
    assert "massnahmen/riesig.yaml:1:1: Datei ist zu groß (20,9 MB; höchstens 1 MB)" in (
        result.stdout + result.stderr
    )


def test_a_number_too_long_on_the_command_line_is_a_clean_error(
    minimal: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk(
        "set", "tafel", "finanzierung.kosten_eur=" + "9" * 5000, "--no-commit", cwd=minimal
    )
    assert result.exit_code == 1
    assert "Zahl mit zu vielen Stellen" in result.stdout + result.stderr


def test_control_characters_set_from_the_command_line_are_refused(
    minimal: Path, ihk: Callable[..., Result]
) -> None:
    path = minimal / "massnahmen" / "tafel.yaml"
    before = path.read_text()
    result = ihk("set", "tafel", "ort=Belm\x1b[2J", "--no-commit", cwd=minimal)
    assert result.exit_code == 1
    assert (
        "Steuerzeichen U+001B (Escape) im Text ist nicht erlaubt" in result.stdout + result.stderr
    )
    assert path.read_text() == before
