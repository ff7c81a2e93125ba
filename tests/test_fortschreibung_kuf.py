"""The Fortschreibung's section "Kosten und Finanzierung" on a small history checked by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git
from tests.test_fortschreibung import History, _assert_tables_are_rectangular, _tokens

MEASURE = (
    "titel: {titel}\noberziel: {ziel}\nfinanzierung:\n{fin}status: in_umsetzung\n"
    "aufgenommen: 2003-01\n"
)


@pytest.fixture
def kuf_history(
    minimal: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> History:
    """Stand 2004 (a tag): a plan, a project with a plan, a cost without plan, a plan
    that will be dropped; then a year of changes through `ihk set` and `ihk add`."""
    root = minimal
    files = {
        "massnahmen/platz.yaml": MEASURE.format(
            titel="Platz | Mitte", ziel="nachbarschaften",
            fin="  staedtebaufoerderung: ja\n  kosten_eur: 150000\n"
            "  kostengruppe: baumassnahmen\n  plan:\n"
            "    2005: {stbauf: 100000, gemeinde: 50000}\n",
        ),
        "massnahmen/alt.yaml": MEASURE.format(
            titel="Alter Plan", ziel="nachbarschaften",
            fin="  staedtebaufoerderung: nein\n  plan:\n    2005:\n      gemeinde: 3000\n",
        ),
        "massnahmen/fest.yaml": MEASURE.format(
            titel="Fest", ziel="beteiligung",
            fin="  staedtebaufoerderung: nein\n  kosten_eur: 5000\n",
        ),
        "projekte/los.yaml": "titel: LOS-Projekt\noberziel: beteiligung\nstatus: in_umsetzung\n"
        "finanzierung:\n  kostengruppe: sonstige\n  plan:\n    2005: {esf: 8000}\n",
    }  # fmt: skip
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    h = History(root, ihk, monkeypatch).at("2004-12-10T12:00:00+01:00")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Stand 2004")
    h.run("stand", "2004")
    h.at("2005-03-01T12:00:00+01:00")
    h.run(
        "set", "platz", "finanzierung.plan.2005.stbauf=120.000", "finanzierung.kosten_eur=170.000"
    )
    h.run("set", "platz", "finanzierung.ist.2005.stbauf=60.000")
    h.run("set", "los", "finanzierung.ist.2005.esf=7.500")
    h.run("set", "fest", "finanzierung.kosten_eur=6.000")
    h.run("set", "alt", "finanzierung.plan=")
    h.run("set", "tafel", "finanzierung.kostengruppe=sonstige")
    h.run(
        "add", "massnahme", "--id", "fonds", "--titel", "Fonds", "--oberziel", "beteiligung",
        "--stbauf", "--kostengruppe", "fonds", "--aufgenommen", "2005-03",
    )  # fmt: skip
    h.run(
        "set", "fonds", "finanzierung.plan.2006.stbauf=5.000", "finanzierung.plan.2006.private=5000"
    )
    return h


@pytest.fixture
def history(minimal: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> History:
    """The minimal register committed at the end of 2004, without any cost data."""
    h = History(minimal, ihk, monkeypatch).at("2004-12-10T12:00:00+01:00")
    git(minimal, "init", "-q", "-b", "main")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "Stand 2004")
    return h


def _data(history: History, spec: str = "2004..") -> dict:  # type: ignore[type-arg]
    return json.loads(history.doc(spec, "--format", "json"))  # type: ignore[no-any-return]


def _summe(von: float, bis: float) -> dict[str, object]:
    delta = bis - von
    text = ("+" if delta > 0 else "") + f"{delta:,.0f} €".replace(",", ".")
    return {"von": von, "bis": bis, "differenz": delta, "differenz_text": text}


def test_totals_per_source_and_cost_group_by_hand(kuf_history: History) -> None:
    kuf = _data(kuf_history)["kosten_und_finanzierung"]
    # Stand 2004: Platz 100.000 + 50.000, Alter Plan 3.000 (Gemeinde), LOS 8.000 (ESF),
    # Fest 5.000 without a plan.  Now: Platz 120.000 + 50.000, Fonds 5.000 + 5.000
    # (private), LOS unchanged, Fest 6.000, Alter Plan without money.
    rows = {z["schluessel"]: (z["titel"], z["von"], z["bis"]) for z in kuf["quellen"]}
    assert list(rows) == ["stbauf", "gemeinde", "esf", "private"]  # catalogue order
    assert rows == {
        "stbauf": ("Städtebauförderung (Bund/Land)", 100000, 125000),
        "gemeinde": ("Gemeinde (Eigenanteil)", 53000, 50000),
        "esf": ("Europäischer Sozialfonds (ESF)", 8000, 8000),
        "private": ("Private (Eigentümer, Unternehmen)", 0, 5000),
    }
    assert kuf["ohne_jahresplan"] == _summe(5000, 6000)
    groups = {z["schluessel"]: (z["von"], z["bis"]) for z in kuf["kostengruppen"]}
    assert list(groups) == ["baumassnahmen", "fonds", "sonstige", ""]
    assert groups == {
        "baumassnahmen": (150000, 170000),
        "fonds": (0, 10000),
        "sonstige": (8000, 8000),
        "": (8000, 6000),  # Fest and Alter Plan: no Kostengruppe
    }
    assert kuf["gesamt"] == _summe(166000, 194000)
    assert kuf["abgerechnet"] == _summe(0, 67500)
    # the rows of each table add up to the total, at both ends
    for end in ("von", "bis"):
        by_source = sum(z[end] for z in kuf["quellen"]) + kuf["ohne_jahresplan"][end]
        assert by_source == sum(z[end] for z in kuf["kostengruppen"]) == kuf["gesamt"][end]


def test_changed_records_with_old_and_new_total(kuf_history: History) -> None:
    changed = _data(kuf_history)["kosten_und_finanzierung"]["geaendert"]
    # measures first (goal catalogue order, then title), then projects; the Tafel's new
    # Kostengruppe moves no money and is not listed here
    assert [(p["art"], p["id"], p["aktion"], p["alt"], p["neu"], p["differenz"]) for p in changed] == [
        ("massnahme", "alt", "geändert", 3000, None, -3000),
        ("massnahme", "platz", "geändert", 150000, 170000, 20000),
        ("massnahme", "fest", "geändert", 5000, 6000, 1000),
        ("massnahme", "fonds", "neu", None, 10000, 10000),
        ("projekt", "los", "geändert", 8000, 8000, 0),
    ]  # fmt: skip
    assert sum(p["differenz"] for p in changed) == 194000 - 166000
    platz = changed[1]
    assert platz["plan"] == [
        {
            "jahr": "2005", "alt": 150000, "neu": 170000,
            "quellen_alt": {"stbauf": 100000, "gemeinde": 50000},
            "quellen_neu": {"stbauf": 120000, "gemeinde": 50000},
            "nur_quellen": False,
        }
    ]  # fmt: skip
    assert (platz["ist_alt"], platz["ist_neu"]) == (None, 60000)
    assert platz["kostengruppe_neu_text"] == "Baumaßnahmen (Gemeinbedarf, Modernisierung)"
    assert changed[4]["plan"] == [] and changed[4]["ist_neu"] == 7500


def test_the_section_in_the_document(kuf_history: History) -> None:
    document = kuf_history.doc("2004..")
    section = document[document.index("## Kosten und Finanzierung") : document.index("\n---\n")]
    assert section.splitlines()[4:] == [
        "### Finanzierung nach Quellen",
        "",
        "| Quelle | Stand 2004 | aktueller Stand | Veränderung |",
        "|---|---:|---:|---:|",
        "| Städtebauförderung (Bund/Land) | 100.000 € | 125.000 € | +25.000 € |",
        "| Gemeinde (Eigenanteil) | 53.000 € | 50.000 € | -3.000 € |",
        "| Europäischer Sozialfonds (ESF) | 8.000 € | 8.000 € | 0 € |",
        "| Private (Eigentümer, Unternehmen) | 0 € | 5.000 € | +5.000 € |",
        "| ohne Jahresplan (geschätzte Gesamtkosten) | 5.000 € | 6.000 € | +1.000 € |",
        "| **Summe** | **166.000 €** | **194.000 €** | **+28.000 €** |",
        "",
        "### Kosten nach Kostengruppen",
        "",
        "| Kostengruppe | Stand 2004 | aktueller Stand | Veränderung |",
        "|---|---:|---:|---:|",
        "| Baumaßnahmen (Gemeinbedarf, Modernisierung) | 150.000 € | 170.000 € | +20.000 € |",
        "| Verfügungs- und Quartiersfonds | 0 € | 10.000 € | +10.000 € |",
        "| Sonstige Kosten | 8.000 € | 8.000 € | 0 € |",
        "| ohne Kostengruppe | 8.000 € | 6.000 € | -2.000 € |",
        "| **Summe** | **166.000 €** | **194.000 €** | **+28.000 €** |",
        "",
        "Abgerechnet (Ausgaben aller Jahre): 0 € → 67.500 € (+67.500 €).",
        "",
        "### Geänderte Kosten und Finanzierung",
        "",
        "| Maßnahme/Projekt | Bisher | Jetzt | Veränderung | Änderungen |",
        "|---|---:|---:|---:|---|",
        "| Maßnahme: Alter Plan (`alt`) | 3.000 € | – | -3.000 € | Plan 2005: 3.000 € → – |",
        "| Maßnahme: Platz \\| Mitte (`platz`) | 150.000 € | 170.000 € | +20.000 € | "
        "Plan 2005: 150.000 € → 170.000 €; abgerechnet: – → 60.000 € |",
        "| Maßnahme: Fest (`fest`) | 5.000 € | 6.000 € | +1.000 € | Kosten ohne Jahresplan |",
        "| Maßnahme: Fonds (`fonds`) | – | 10.000 € | +10.000 € | neu; Plan 2006: – → 10.000 € |",
        "| Projekt: LOS-Projekt (`los`) | 8.000 € | 8.000 € | 0 € | abgerechnet: – → 7.500 € |",
    ]
    _assert_tables_are_rectangular(_tokens(document))


def test_plan_and_spending_stay_out_of_changed_measures(kuf_history: History) -> None:
    data = _data(kuf_history)
    fields = {
        m["id"]: [(a["feld_text"], a["alt"], a["neu"]) for a in m["aenderungen"]]
        for m in data["geaenderte_massnahmen"]
    }
    assert fields == {
        "platz": [("Kosten", "150.000 €", "170.000 €")],
        "fest": [("Kosten", "5.000 €", "6.000 €")],
        "tafel": [("Kostengruppe", "–", "Sonstige Kosten")],
    }
    assert "finanzierung.plan" not in kuf_history.doc("2004..")


def test_a_plan_change_alone_is_a_change(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run(
        "set", "tafel", "finanzierung.plan.2005.gemeinde=1.000"
    )
    data = _data(history)
    assert data["keine_aenderungen"] is False and data["geaenderte_massnahmen"] == []
    changed = data["kosten_und_finanzierung"]["geaendert"]
    assert [(p["id"], p["alt"], p["neu"]) for p in changed] == [("tafel", None, 1000)]


def test_sources_moved_within_a_year(history: History) -> None:
    history.run("set", "tafel", "finanzierung.plan.2005.gemeinde=1.000")
    history.run("stand", "2004")
    history.at("2005-03-01T12:00:00+01:00").run(
        "set", "tafel", "finanzierung.plan.2005.gemeinde=", "finanzierung.plan.2005.dritte=1.000"
    )
    changed = _data(history)["kosten_und_finanzierung"]["geaendert"]
    assert changed[0]["plan"][0]["nur_quellen"] is True and changed[0]["differenz"] == 0
    assert "| Plan 2005: andere Quellen (1.000 €) |" in history.doc("2004..")


def test_left_out_without_any_cost_data(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run("set", "tafel", "ort=Powe")
    data = _data(history)
    assert data["kosten_und_finanzierung"] is None
    assert "Kosten und Finanzierung" not in history.doc("2004..")


def test_costs_of_a_new_measure_in_new_measures(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run(
        "add", "massnahme", "--id", "kurs", "--titel", "Kurs", "--oberziel", "beteiligung",
        "--keine-stbauf", "--aufgenommen", "2005-03",
    )  # fmt: skip
    history.run("set", "kurs", "finanzierung.plan.2006.esf=4.000", "finanzierung.sonstige+=ESF")
    new = _data(history)["neue_massnahmen"][0]["massnahmen"][0]
    assert new["finanzierung"] == "ESF (4.000 €)"  # the plan's total, no kosten_eur needed


def test_a_record_unreadable_at_one_end_is_not_compared(kuf_history: History) -> None:
    (kuf_history.root / "massnahmen" / "platz.yaml").write_text("titel: [\n", encoding="utf-8")
    data = _data(kuf_history)
    assert "platz" not in [p["id"] for p in data["kosten_und_finanzierung"]["geaendert"]]
    assert data["ungueltige_dateien"]["bis"] == ["Arbeitsstand:massnahmen/platz.yaml"]


def test_aenderungen_compares_posten_of_two_stands() -> None:
    from ihk import kuf

    def p(ident: str, **kw: object) -> kuf.Posten:
        base: dict[str, object] = {
            "art": "massnahme", "id": ident, "titel": ident, "oberziel": "z",
            "kostengruppe": None, "plan": {}, "ist": {}, "kosten": None,
        }  # fmt: skip
        return kuf.Posten(**{**base, **kw})  # type: ignore[arg-type]

    old = [
        p("gleich", kosten=5.0),
        p("plan", plan={"2005": {"stbauf": 10.0}, "2006": {"stbauf": 5.0}}),
        p("weg", kosten=7.0),
        p("kaputt", kosten=1.0),
    ]
    new = [
        p("gleich", kosten=5.0),
        p("plan", plan={"2005": {"stbauf": 10.0}, "2006": {"gemeinde": 5.0}, "2007": {"esf": 2.0}}),
        p("nurist", ist={"2005": {"esf": 3.0}}),
        p("kaputt", kosten=2.0),
    ]
    found = kuf.aenderungen(old, new, ausgenommen=[("massnahme", "kaputt")])
    assert [a.posten.id for a in found] == ["plan", "nurist", "weg"]
    plan, nurist, weg = found
    assert [(s.jahr, s.summe_alt, s.summe_neu) for s in plan.plan] == [
        ("2006", 5.0, 5.0),
        ("2007", None, 2.0),
    ]
    assert (plan.gesamt_alt, plan.gesamt_neu, plan.differenz) == (15.0, 17.0, 2.0)
    # spending alone states no total: it moves no KuF sum
    assert (nurist.gesamt_alt, nurist.gesamt_neu, nurist.differenz, nurist.ist_neu) == (
        None,
        None,
        0.0,
        3.0,
    )
    assert (weg.gesamt_alt, weg.gesamt_neu, weg.differenz) == (7.0, None, -7.0)
