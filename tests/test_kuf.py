"""KuF sums by hand on a small register: plan by source and year, cost groups, shares,
plan vs. spent, and measures without a yearly plan."""

from __future__ import annotations

from ihk import kuf
from ihk.register import META_FILE, SourceFile, load

META = "gebiet: G\ngemeinde: G\nprogramm: P\nziele:\n  wohnen:\n    titel: W\n  beteiligung:\n    titel: B\n"


def _measure(titel: str, ziel: str, finanzierung: str) -> str:
    return (
        f"titel: {titel}\noberziel: {ziel}\nfinanzierung:\n{finanzierung}"
        "status: in_planung\naufgenommen: 2002-01\n"
    )


def test_sums_by_hand() -> None:
    files = {
        META_FILE: META,
        "massnahmen/platz.yaml": _measure(
            "Platz", "wohnen",
            "  staedtebaufoerderung: ja\n  kostengruppe: baumassnahmen\n  plan:\n"
            "    2003:\n      stbauf: 200000\n      gemeinde: 100000\n"
            "    2004:\n      stbauf: 50000\n  ist:\n    2003:\n      stbauf: 180000\n",
        ),
        "massnahmen/fest.yaml": _measure(
            "Fest", "beteiligung", "  staedtebaufoerderung: nein\n  kosten_eur: 5000\n"
        ),
        "projekte/los.yaml": "titel: LOS\noberziel: beteiligung\nstatus: abgeschlossen\n"
        "finanzierung:\n  kostengruppe: fonds\n  plan:\n    2004:\n      esf: 10000\n",
        "massnahmen/ohne.yaml": _measure("Ohne", "wohnen", "  staedtebaufoerderung: nein\n"),
    }  # fmt: skip
    register = load([SourceFile(r, t.encode()) for r, t in files.items()], str)
    assert register.errors == []
    records = {k: {i: e.record for i, e in es.items()} for k, es in register.entries.items()}
    items = kuf.posten(records, ["wohnen", "beteiligung"])
    assert [p.id for p in items] == ["platz", "fest", "los"]  # "ohne" states no costs
    s = kuf.summen(items)
    assert s.nach_quelle == {"stbauf": 250000, "gemeinde": 100000, "esf": 10000}
    assert s.nach_jahr == {"2003": {"stbauf": 200000, "gemeinde": 100000},
                           "2004": {"stbauf": 50000, "esf": 10000}}  # fmt: skip
    assert s.nach_kostengruppe == {"baumassnahmen": 350000, kuf.OHNE_GRUPPE: 5000, "fonds": 10000}
    assert s.plan == 360000 and s.ohne_jahresplan == 5000 and s.gesamt == 365000
    assert s.ist == 180000 and s.ist_nach_quelle == {"stbauf": 180000}
    assert round(s.anteil("stbauf"), 2) == 69.44 and s.anteil("private") == 0
