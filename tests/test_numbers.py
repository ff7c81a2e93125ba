"""Numbers typed the German way are stored as the number the user meant."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ihk.vocab import zahl_aus_text
from tests.conftest import Result


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", 12000),
        ("12.000", 12000),
        ("1.500.000", 1500000),
        ("12.000,50", 12000.5),
        ("12000,50", 12000.5),
        ("12 000", 12000),
        ("12\u00a0000", 12000),
        ("12.000 €", 12000),
        ("12000€", 12000),
        ("0,5", 0.5),
        ("+12", 12),
    ],
)
def test_german_forms(text: str, value: float) -> None:
    assert zahl_aus_text(text) == value
    assert type(zahl_aus_text(text)) is type(value)


@pytest.mark.parametrize("text", ["12.5", "12.50", "1,500.00", "1,5 Mio.", "1e5", ",5", "12."])
def test_ambiguous_or_foreign_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape("erlaubt sind z. B. 12000, 12.000")):
        zahl_aus_text(text)


def test_set_stores_the_number_meant(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "massnahmen" / "belmer-tafel.yaml"
    result = ihk("set", "belmer-tafel", "finanzierung.kosten_eur=12.000", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "kosten_eur: 12000\n" in path.read_text("utf-8")
    cents = ihk("set", "belmer-tafel", "finanzierung.kosten_eur=1.500,50", cwd=example)
    assert cents.exit_code == 0 and "kosten_eur: 1500.5\n" in path.read_text("utf-8")


def test_set_refuses_an_ambiguous_number(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "massnahmen" / "belmer-tafel.yaml"
    before = path.read_bytes()
    result = ihk("set", "belmer-tafel", "finanzierung.kosten_eur=12.5", cwd=example)
    assert result.exit_code == 1
    assert "finanzierung.kosten_eur: „12.5“: der Punkt trennt im Deutschen Tausender" in (
        result.stderr
    )
    assert path.read_bytes() == before
