"""The kind registry, the reference rules it declares, and the German vocabulary."""

from __future__ import annotations

import pytest

from ihk.errors import UsageError
from ihk.kinds import KINDS, kind_named, parse_relpath
from ihk.register import META_FILE, SourceFile, load
from ihk.vocab import STATES, STATUS, euro, feldname, monat_kurz, monat_text, prozent, zahl

META = (
    "gebiet: G\ngemeinde: G\nprogramm: P\n"
    "ziele:\n  wohnen:\n    titel: Wohnen\n  beteiligung:\n    titel: Beteiligung\n"
)
MEASURE = (
    "titel: {titel}\noberziel: {ziel}\nfinanzierung:\n  staedtebaufoerderung: ja\n"
    "status: in_planung\naufgenommen: 2002-01\n"
)


def test_every_kind_is_reachable_by_each_of_its_names() -> None:
    for kind in KINDS.values():
        for name in (*kind.names, kind.name.upper()):
            assert kind_named(name) is kind
        assert parse_relpath(kind.relpath("x-1")) == (kind, "x-1")
    with pytest.raises(UsageError, match="unbekannte Art „verein“; erlaubt: measure"):
        kind_named("verein")


def test_paths_that_are_not_records() -> None:
    for rel in ("ihk.yaml", "massnahmen/a/b.yaml", "massnahmen/X.yaml", "massnahmen/x.yml",
                "sonstiges/x.yaml", "massnahmen/x\n.yaml"):  # fmt: skip
        assert parse_relpath(rel) is None, rel


def test_field_order_is_the_models() -> None:
    assert KINDS["massnahme"].field_order[:3] == ("titel", "oberziel", "weitere_ziele")
    assert KINDS["gremium"].field_order[0] == "name"


def _load(files: dict[str, str]) -> list[str]:
    sources = [SourceFile(rel, text.encode()) for rel, text in files.items()]
    return [str(p) for p in load(sources, lambda rel: rel).problems]


def test_references_are_checked_at_their_position() -> None:
    problems = _load(
        {
            META_FILE: META,
            "massnahmen/a.yaml": MEASURE.format(titel="A", ziel="nachbarschaft")
            + "weitere_ziele: [beteiligung, wohnen]\ngremien: [forum]\n",
            "projekte/p.yaml": "titel: P\noberziel: wohnen\nstatus: in_planung\n"
            "massnahmen: [a, b]\n",
            "gremien/rat.yaml": "name: Rat\nart: rat\nsitzungen:\n  - datum: 2003-01-02\n"
            "    beschluesse:\n      - text: T\n        massnahmen: [a, c]\n"
            "        projekte: [q]\n",
        }
    )
    assert problems == [
        "gremien/rat.yaml:7:25: Maßnahme „c“ gibt es nicht",
        "gremien/rat.yaml:8:20: Projekt „q“ gibt es nicht",
        "massnahmen/a.yaml:2:11: Ziel „nachbarschaft“ steht nicht im Zielkatalog (ihk.yaml, ziele)",
        "massnahmen/a.yaml:8:11: Gremium „forum“ gibt es nicht",
        "projekte/p.yaml:4:17: Maßnahme „b“ gibt es nicht",
    ]


def test_a_reference_to_a_broken_file_is_not_a_second_error() -> None:
    problems = _load(
        {
            META_FILE: META,
            "massnahmen/a.yaml": "titel: [\n",
            "projekte/p.yaml": "titel: P\noberziel: wohnen\nstatus: in_planung\nmassnahmen: [a]\n",
        }
    )
    assert len(problems) == 1 and problems[0].startswith("massnahmen/a.yaml:")


def test_without_a_readable_catalogue_goals_are_not_blamed() -> None:
    problems = _load(
        {META_FILE: "gebiet: [\n", "massnahmen/a.yaml": MEASURE.format(titel="A", ziel="xyz")}
    )
    assert [p.split(":")[0] for p in problems] == ["ihk.yaml"]


def test_a_measures_own_warnings() -> None:
    problems = _load(
        {
            META_FILE: META,
            "massnahmen/a.yaml": MEASURE.format(titel="A", ziel="wohnen")
            + "weitere_ziele: [wohnen]\nnachtraege:\n  - stand: 2001-05\n    text: früh\n",
        }
    )
    assert problems == [
        "massnahmen/a.yaml:7:17: warnung: „wohnen“ ist schon das Oberziel",
        "massnahmen/a.yaml:9:12: warnung: Nachtrag 2001-05 liegt vor der Aufnahme ins Konzept "
        "(2002-01)",
    ]


def test_every_state_has_its_german_words() -> None:
    assert tuple(STATUS) == STATES
    assert STATUS["in_umsetzung"].legende == "in der aktiven Umsetzungs-/Durchführungsphase"


def test_german_numbers_money_and_months() -> None:
    assert zahl(1234567) == "1.234.567"
    assert zahl(12.5) == "12,50" and zahl(12.5, 1) == "12,5"
    assert euro(400000) == "400.000 €" and euro(12000.5) == "12.000,50 €"
    assert prozent(12.5) == "12,5 %"
    assert monat_text("2003-12") == "Dezember 2003"
    assert monat_text("2003-05-13") == "13. Mai 2003"
    assert monat_kurz("2001-12") == "Dez 2001" and monat_kurz(None) == "–"
    assert feldname("zeitraum.von") == "Beginn" and feldname("finanzierung.kosten_eur") == "Kosten"
