"""The bad-input corpus: each folder of tests/data/bad/ is laid over a small valid
register; `ihk validate` must print exactly the lines in its expected.txt."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, Result

CASES = sorted(p.name for p in (DATA / "bad").iterdir() if p.is_dir())


def overlay(case: str, target: Path) -> None:
    source = DATA / "bad" / case
    for path in source.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_exact_lines(case: str, minimal: Path, ihk: Callable[..., Result]) -> None:
    overlay(case, minimal)
    expected = (DATA / "bad" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = ihk("validate", cwd=minimal)
    assert result.stdout.splitlines() == expected
    assert "Traceback" not in result.stdout + result.stderr
    has_errors = any(": warnung: " not in line for line in expected[:-1])
    assert result.exit_code == (1 if has_errors else 0)


@pytest.mark.parametrize("case", CASES)
def test_every_problem_inside_a_file_has_a_position(
    case: str, minimal: Path, ihk: Callable[..., Result]
) -> None:
    # Only problems of a whole file (its name, its ending) may come without line:col.
    import json

    overlay(case, minimal)
    problems = json.loads(ihk("validate", "--format", "json", cwd=minimal).stdout)["probleme"]
    assert problems
    whole_file = ("Dateiname", "Endung", "unerwartete Datei")
    for p in problems:
        if not any(word in p["meldung"] for word in whole_file):
            assert p["zeile"] >= 1 and p["spalte"] >= 1, (case, p)


def test_strict_turns_warnings_into_errors(minimal: Path, ihk: Callable[..., Result]) -> None:
    overlay("stray-file", minimal)
    assert ihk("validate", cwd=minimal).exit_code == 0
    strict = ihk("validate", "--strict", cwd=minimal)
    assert strict.exit_code == 1
    assert "(streng: Warnungen zählen als Fehler)" in strict.stdout


def test_json_lists_problems_with_positions(minimal: Path, ihk: Callable[..., Result]) -> None:
    import json

    overlay("negative-cost", minimal)
    result = ihk("validate", "--format", "json", cwd=minimal)
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["gueltig"] is False
    assert data["eintraege"] == {"massnahme": 1, "gremium": 1, "projekt": 0, "indikator": 0}
    assert data["probleme"] == [
        {
            "pfad": "massnahmen/kosten.yaml",
            "zeile": 5,
            "spalte": 15,
            "meldung": "finanzierung.kosten_eur: darf nicht negativ sein (gefunden: -500)",
            "warnung": False,
            "klasse": "wert",
        }
    ]


def test_paths_are_relative_to_the_working_directory(
    minimal: Path, ihk: Callable[..., Result]
) -> None:
    overlay("duplicate-key", minimal)
    result = ihk("--register", "reg", "validate", cwd=minimal.parent)
    assert result.stdout.startswith("reg/massnahmen/doppelt.yaml:6:1: ")
