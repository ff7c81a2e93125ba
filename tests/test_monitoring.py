"""Indicators: add, record values, the Zielerreichung, charts (SPEC §6)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from ihk.monitoring import AUF_KURS, KEINE_DATEN, VERFEHLT, urteil, zielerreichung
from tests.conftest import Result, git


@pytest.mark.parametrize(
    ("basis", "ziel", "wert", "expected"),
    [
        (24.5, 18.0, 21.25, 50.0),  # falling indicator, half way
        (24.5, 18.0, 24.5, 0.0),  # no progress
        (24.5, 18.0, 18.0, 100.0),  # at target
        (24.5, 18.0, 16.7, 120.0),  # beyond target
        (24.5, 18.0, 26.45, -30.0),  # the wrong way
        (100.0, 200.0, 150.0, 50.0),  # rising indicator
        (100.0, 200.0, 90.0, -10.0),
        (5.0, 5.0, 7.0, None),  # no way to go
    ],
)
def test_zielerreichung(basis: float, ziel: float, wert: float, expected: float | None) -> None:
    result = zielerreichung(basis, ziel, wert)
    assert result == expected if expected is None else round(result or 0, 6) == expected


def test_urteil() -> None:
    assert urteil(50.0, True) == AUF_KURS and urteil(120.0, True) == AUF_KURS
    assert urteil(-0.5, True) == VERFEHLT and urteil(None, False) == KEINE_DATEN


@pytest.fixture
def indicator(example: Path, ihk: Callable[..., Result]) -> Path:
    # one indicator alone: the example register's own are left out here
    shutil.rmtree(example / "indikatoren")
    result = ihk(
        "add", "indikator", "--titel", "SGB-II-Quote im Gebiet", "--oberziel", "qualifizierung",
        "--art", "kontext", "--richtung", "sinken", "--einheit", "%", "--massnahme",
        "arbeits-und-integrationsnetzwerk", "--basis-jahr", "2001", "--basis-wert", "24,5",
        "--ziel-jahr", "2010", "--ziel-wert", "18", "--id", "sgb2", cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return example


def test_add_writes_the_indicator(indicator: Path) -> None:
    text = (indicator / "indikatoren" / "sgb2.yaml").read_text("utf-8")
    assert text == (
        "titel: SGB-II-Quote im Gebiet\neinheit: '%'\nart: kontext\noberziel: qualifizierung\n"
        "massnahmen:\n  - arbeits-und-integrationsnetzwerk\nrichtung: sinken\n"
        "basis:\n  jahr: 2001\n  wert: 24.5\nziel:\n  jahr: 2010\n  wert: 18\n"
    )


def test_wert_records_one_value_per_year(indicator: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("wert", "sgb2", "2003", "22,1", cwd=indicator).exit_code == 0
    assert git(indicator, "log", "-1", "--format=%s").strip() == (
        "Indikator sgb2: Wert 2003 = 22,1"
    )
    assert git(indicator, "show", "--name-only", "--format=", "HEAD").split() == [
        "indikatoren/sgb2.yaml"
    ]
    again = ihk("wert", "sgb2", "2003", "21", cwd=indicator)
    assert again.exit_code == 1
    assert "Für 2003 gibt es schon einen Wert (22,1)" in again.stderr
    assert "--ersetzen" in again.stderr
    replaced = ihk("wert", "sgb2", "2003", "21,25", "--anmerkung", "korrigiert", "--ersetzen",
                   cwd=indicator)  # fmt: skip
    assert replaced.exit_code == 0, replaced.stderr
    text = (indicator / "indikatoren" / "sgb2.yaml").read_text("utf-8")
    assert text.endswith("werte:\n  - jahr: 2003\n    wert: 21.25\n    anmerkung: korrigiert\n")
    bad = ihk("wert", "sgb2", "2004", "21.5", cwd=indicator)
    assert bad.exit_code == 1 and "der Punkt trennt im Deutschen Tausender" in bad.stderr


def test_monitoring_per_goal(indicator: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("wert", "sgb2", "2003", "22,1", cwd=indicator).exit_code == 0
    assert ihk("wert", "sgb2", "2005", "21,25", cwd=indicator).exit_code == 0
    data = json.loads(ihk("monitoring", "--format", "json", cwd=indicator).stdout)
    goal = next(g for g in data["oberziele"] if g["oberziel"] == "qualifizierung")
    (sgb2,) = goal["indikatoren"]
    assert sgb2["letzter"] == {"jahr": 2005, "wert": 21.25, "anmerkung": None}
    assert round(sgb2["zielerreichung"], 6) == 50.0 and sgb2["urteil"] == "auf Kurs"
    assert goal["massnahmen"] == {
        "in_planung": 0,
        "in_umsetzung": 1,
        "abgeschlossen": 0,
        "nicht_umgesetzt": 0,
    }
    text = ihk("monitoring", "--oberziel", "qualifizierung", cwd=indicator).stdout
    assert "SGB-II-Quote im Gebiet (sgb2): auf Kurs, Zielerreichung 50 %" in text
    assert "Basis 24,5 % (2001) · zuletzt 21,25 % (2005) · Ziel 18 % (2010)" in text


def test_charts_are_svg_with_german_labels(
    indicator: Path, ihk: Callable[..., Result], tmp_path: Path
) -> None:
    assert ihk("wert", "sgb2", "2003", "22,1", cwd=indicator).exit_code == 0
    result = ihk("monitoring", "--diagramme", str(tmp_path / "svg"), cwd=indicator)
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "svg" / "sgb2.svg").read_text("utf-8")
    ET.fromstring(svg)  # well-formed XML
    for label in ("Jahr", "Wert (%)", "22,1", "Basis 2001: 24,5", "Ziel 2010: 18"):
        assert label in svg, label


def test_a_measure_an_indicator_names_is_not_removed(
    indicator: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk("rm", "arbeits-und-integrationsnetzwerk", cwd=indicator)
    assert result.exit_code == 1 and "indikatoren/sgb2.yaml (massnahmen.0)" in result.stderr


def test_status_of_all_kinds_lists_indicators_in_their_own_block(
    indicator: Path, ihk: Callable[..., Result]
) -> None:
    assert ihk("wert", "sgb2", "2005", "21,25", cwd=indicator).exit_code == 0
    text = ihk("status", "--kind", "all", "--format", "markdown", cwd=indicator).stdout
    assert text.endswith(
        "\n## Indikatoren\n\n- SGB-II-Quote im Gebiet (sgb2): zuletzt 21,25 % (2005), Ziel 18 % "
        "(2010), Zielerreichung 50 % – auf Kurs\n"
    )
    data = json.loads(ihk("status", "--kind", "all", "--format", "json", cwd=indicator).stdout)
    assert [i["id"] for i in data["indikatoren"]] == ["sgb2"]
    measures_only = json.loads(ihk("status", "--format", "json", cwd=indicator).stdout)
    assert measures_only["indikatoren"] == []
    plain = ihk("status", "--kind", "all", cwd=indicator).stdout
    assert "SGB-II-Quote im Gebiet (sgb2): zuletzt 21,25 % (2005)" in plain


def test_log_names_the_recorded_value(indicator: Path, ihk: Callable[..., Result]) -> None:
    assert (
        ihk("wert", "sgb2", "2003", "22,1", "-m", "Wert aus der Statistik", cwd=indicator).exit_code
        == 0
    )
    text = ihk("log", "sgb2", "-n", "1", cwd=indicator).stdout
    assert "      werte + 2003: 22.1\n" in text
