"""Kosten und Finanzierung (KuF): what the records cost and who pays, as pure sums.

Data in, data out: the records of a register (or of a Stand) go in, ``Posten`` (one
record's money) and ``Summen`` (totals per source and per Kostengruppe) come out. The
``ihk finanzen`` view and the Fortschreibung's KuF section are both built on these, so
a sum is computed in one place only.

Amounts are plain floats in euros. A record with a yearly plan counts with its plan; a
record without one counts with its ``kosten_eur`` under "ohne Jahresplan", so nothing
is silently left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

#: The key of records without a Kostengruppe in sums by Kostengruppe.
OHNE_GRUPPE = ""
#: The key of money without a source in ``je_quelle``: the costs of records without plan.
OHNE_QUELLE = ""


@dataclass(frozen=True)
class Posten:
    """The money of one measure or project."""

    art: str  # kind name: massnahme, projekt
    id: str
    titel: str
    oberziel: str
    kostengruppe: str | None
    plan: dict[str, dict[str, float]]  # JAHR -> QUELLE -> amount
    ist: dict[str, dict[str, float]]
    kosten: float | None  # kosten_eur, the total as estimated

    @property
    def plan_summe(self) -> float:
        return sum(sum(sources.values()) for sources in self.plan.values())

    @property
    def ist_summe(self) -> float:
        return sum(sum(sources.values()) for sources in self.ist.values())

    @property
    def ohne_jahresplan(self) -> float:
        """What counts outside the yearly columns: ``kosten_eur`` of a record without plan."""
        return 0.0 if self.plan else (self.kosten or 0.0)

    @property
    def gesamt(self) -> float:
        """The record's total in a KuF: its plan, else its estimated cost."""
        return self.plan_summe if self.plan else (self.kosten or 0.0)

    @property
    def hat_geld(self) -> bool:
        return bool(self.plan or self.ist or self.kosten is not None)


def posten(records: Mapping[str, Mapping[str, Any]], goals: Iterable[str] = ()) -> list[Posten]:
    """Every measure and project that states costs, in goal catalogue order, then title.

    ``records`` is kind -> id -> record (as a register's entries or a Stand's records).
    """
    order = {goal: i for i, goal in enumerate(goals)}
    found = []
    for kind, entries in records.items():
        for ident, record in entries.items():
            fin = getattr(record, "finanzierung", None)
            if fin is None or not hasattr(fin, "plan"):
                continue
            item = Posten(
                art=kind,
                id=ident,
                titel=record.titel,
                oberziel=record.oberziel,
                kostengruppe=fin.kostengruppe,
                plan={y: dict(s) for y, s in fin.plan.items()},
                ist={y: dict(s) for y, s in fin.ist.items()},
                kosten=fin.kosten_eur,
            )
            if item.hat_geld:
                found.append(item)
    return sorted(
        found,
        key=lambda p: (order.get(p.oberziel, len(order)), p.oberziel, p.titel.casefold(), p.id),
    )


@dataclass(frozen=True)
class Summen:
    """Totals of some Posten: the plan per source and year, per Kostengruppe, and all."""

    nach_quelle: dict[str, float] = field(default_factory=dict)  # plan, all years
    nach_jahr: dict[str, dict[str, float]] = field(default_factory=dict)  # JAHR -> QUELLE
    nach_kostengruppe: dict[str, float] = field(default_factory=dict)  # gesamt per group
    ist_nach_quelle: dict[str, float] = field(default_factory=dict)
    ohne_jahresplan: float = 0.0
    plan: float = 0.0
    ist: float = 0.0

    @property
    def gesamt(self) -> float:
        """Everything the KuF counts: all plans plus the costs of records without plan."""
        return self.plan + self.ohne_jahresplan

    def anteil(self, quelle: str) -> float:
        """The share of a source in the planned money, in percent (0 without a plan)."""
        return 100.0 * self.nach_quelle.get(quelle, 0.0) / self.plan if self.plan else 0.0

    def plan_zwischen(
        self, erstes: str | None = None, letztes: str | None = None, quelle: str | None = None
    ) -> float:
        """The plan of the years ``erstes`` to ``letztes`` (both included; None: open),
        of one source or of all."""
        total = 0.0
        for year, sources in self.nach_jahr.items():
            if (erstes is not None and year < erstes) or (letztes is not None and year > letztes):
                continue
            total += sources.get(quelle, 0.0) if quelle is not None else sum(sources.values())
        return total

    def plan_je_jahr(self, quelle: str | None = None) -> dict[str, float]:
        """The plan per year, of one source or of all."""
        if quelle is None:
            return {year: sum(sources.values()) for year, sources in self.nach_jahr.items()}
        return {year: s[quelle] for year, s in self.nach_jahr.items() if quelle in s}

    @property
    def quellen(self) -> list[str]:
        """The sources with planned or spent money, in the order first met."""
        return list(dict.fromkeys([*self.nach_quelle, *self.ist_nach_quelle]))


def jahre(s: Summen) -> list[str]:
    """The years of the plan, every year from the first to the last (a KuF has no gaps)."""
    if not s.nach_jahr:
        return []
    first, last = int(min(s.nach_jahr)), int(max(s.nach_jahr))
    return [f"{year:04d}" for year in range(first, last + 1)]


def je_quelle(items: Iterable[Posten]) -> dict[str, list[Posten]]:
    """Each record's money split by source: source -> the records, each with only that
    source's plan and spending. The costs of records without plan have no source; they
    are under ``OHNE_QUELLE``. Summed over all sources, every record counts exactly once."""
    split: dict[str, list[Posten]] = {}
    for p in items:
        sources = dict.fromkeys(q for part in (p.plan, p.ist) for s in part.values() for q in s)
        for source in sources:
            split.setdefault(source, []).append(
                replace(
                    p,
                    plan=_nur(p.plan, source),
                    ist=_nur(p.ist, source),
                    kosten=None,
                )
            )
        if not p.plan and p.kosten is not None:
            split.setdefault(OHNE_QUELLE, []).append(replace(p, plan={}, ist={}))
    return split


def _nur(slices: dict[str, dict[str, float]], quelle: str) -> dict[str, dict[str, float]]:
    return {year: {quelle: s[quelle]} for year, s in slices.items() if quelle in s}


def summen(items: Iterable[Posten]) -> Summen:
    nach_quelle: dict[str, float] = {}
    nach_jahr: dict[str, dict[str, float]] = {}
    nach_gruppe: dict[str, float] = {}
    ist_quelle: dict[str, float] = {}
    ohne = plan = ist = 0.0
    for p in items:
        own = 0.0  # this record's plan (``p.gesamt`` without a second pass)
        for year, sources in p.plan.items():
            slot = nach_jahr.setdefault(year, {})
            for source, amount in sources.items():
                nach_quelle[source] = nach_quelle.get(source, 0.0) + amount
                slot[source] = slot.get(source, 0.0) + amount
                own += amount
        plan += own
        for sources in p.ist.values():
            for source, amount in sources.items():
                ist_quelle[source] = ist_quelle.get(source, 0.0) + amount
                ist += amount
        without = 0.0 if p.plan else (p.kosten or 0.0)  # p.ohne_jahresplan
        ohne += without
        group = p.kostengruppe or OHNE_GRUPPE
        nach_gruppe[group] = nach_gruppe.get(group, 0.0) + own + without
    return Summen(
        nach_quelle=nach_quelle,
        nach_jahr=dict(sorted(nach_jahr.items())),
        nach_kostengruppe=nach_gruppe,
        ist_nach_quelle=ist_quelle,
        ohne_jahresplan=ohne,
        plan=plan,
        ist=ist,
    )
