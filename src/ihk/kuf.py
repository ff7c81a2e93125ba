"""Kosten und Finanzierung (KuF): what the records cost and who pays, as pure sums.

Data in, data out: the records of a register (or of a Stand) go in, ``Posten`` (one
record's money) and ``Summen`` (totals per source and per Kostengruppe) come out. The
``ihk finanzen`` view and the Fortschreibung's KuF section are both built on these, so
a sum is computed in one place only. ``aenderungen`` compares the Posten of two Stände
for the Fortschreibung: which records' money changed, with the yearly slices that did.

Amounts are plain floats in euros. A record with a yearly plan counts with its plan; a
record without one counts with its ``kosten_eur`` under "ohne Jahresplan", so nothing
is silently left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ihk.kinds import KINDS, Entry, Summary, summary_of

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

    @property
    def hat_gesamt(self) -> bool:
        """Whether the record states a total (a plan or an estimated cost), not only spending."""
        return bool(self.plan) or self.kosten is not None


def posten_von(kind: str, ident: str, record: Any) -> Posten | None:
    """One record's money, or None if it states none (no plan, spending or cost)."""
    known = KINDS.get(kind)
    return posten_aus(kind, ident, summary_of(known, record) if known is not None else None)


def posten_aus(kind: str, ident: str, summary: Summary | None) -> Posten | None:
    """``posten_von`` from the record's ``Summary`` (which the cache keeps)."""
    if summary is None or summary.plan is None or summary.ist is None:
        return None
    item = Posten(
        art=kind,
        id=ident,
        titel=summary.titel,
        oberziel=summary.oberziel,
        kostengruppe=summary.kostengruppe,
        plan=summary.plan,
        ist=summary.ist,
        kosten=summary.kosten,
    )
    return item if item.hat_geld else None


def posten(records: Mapping[str, Mapping[str, Any]], goals: Iterable[str] = ()) -> list[Posten]:
    """Every measure and project that states costs, in goal catalogue order, then title.

    ``records`` is kind -> id -> record (as a Stand's records).
    """
    return _ordered(
        (
            posten_von(kind, ident, record)
            for kind, items in records.items()
            for ident, record in items.items()
        ),
        goals,
    )


def posten_der(
    entries: Mapping[str, Mapping[str, Entry]],
    goals: Iterable[str] = (),
    made: dict[int, Posten | None] | None = None,
) -> list[Posten]:
    """``posten`` of a register's entries, from their summaries (no record is built for
    an entry the cache knows). ``made`` (by ``id`` of the entry) lets two calls share
    the Posten of the entries they share (the same file at both ends of a range)."""
    known = made if made is not None else {}

    def of(kind: str, ident: str, entry: Entry) -> Posten | None:
        key = id(entry)
        if key not in known:
            known[key] = posten_aus(kind, ident, entry.summary)
        return known[key]

    return _ordered(
        (
            of(kind, ident, entry)
            for kind, items in entries.items()
            if KINDS[kind].in_status
            for ident, entry in items.items()
        ),
        goals,
    )


def _ordered(items: Iterable[Posten | None], goals: Iterable[str]) -> list[Posten]:
    order = {goal: i for i, goal in enumerate(goals)}
    return sorted(
        (item for item in items if item is not None),
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


def gleiche_summen(items: list[Posten], wie: list[Posten], summen_wie: Summen) -> Summen:
    """``summen(items)``, which is ``summen_wie`` if ``items`` are the very Posten of
    ``wie`` in the same order (a range without change of money: summed once)."""
    if len(items) == len(wie) and all(a is b for a, b in zip(items, wie, strict=True)):
        return summen_wie
    return summen(items)


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


# ------------------------------------------------------------ two Stände compared


@dataclass(frozen=True)
class Jahresscheibe:
    """One year of a record's plan at two Stände (None: no slice for that year then)."""

    jahr: str
    alt: dict[str, float] | None  # QUELLE -> amount
    neu: dict[str, float] | None

    @property
    def summe_alt(self) -> float | None:
        return None if self.alt is None else sum(self.alt.values())

    @property
    def summe_neu(self) -> float | None:
        return None if self.neu is None else sum(self.neu.values())


@dataclass(frozen=True)
class Aenderung:
    """A record whose money changed between two Stände; ``alt``/``neu`` None where it
    stated no money (or did not exist) at that Stand."""

    alt: Posten | None
    neu: Posten | None
    #: The plan's years that changed (amount or sources), in year order.
    plan: list[Jahresscheibe]

    @property
    def posten(self) -> Posten:
        """The record as it is now, or as it was if it has no money any more."""
        found = self.neu or self.alt
        assert found is not None
        return found

    @property
    def gesamt_alt(self) -> float | None:
        """The record's KuF total at the older Stand; None if it stated none."""
        return self.alt.gesamt if self.alt is not None and self.alt.hat_gesamt else None

    @property
    def gesamt_neu(self) -> float | None:
        return self.neu.gesamt if self.neu is not None and self.neu.hat_gesamt else None

    @property
    def differenz(self) -> float:
        """How much the total grew (negative: shrank); what the KuF totals move by."""
        return (self.gesamt_neu or 0.0) - (self.gesamt_alt or 0.0)

    @property
    def ist_alt(self) -> float | None:
        return self.alt.ist_summe if self.alt is not None and self.alt.ist else None

    @property
    def ist_neu(self) -> float | None:
        return self.neu.ist_summe if self.neu is not None and self.neu.ist else None


def aenderungen(
    alt: Iterable[Posten], neu: Iterable[Posten], *, ausgenommen: Iterable[tuple[str, str]] = ()
) -> list[Aenderung]:
    """The records whose money changed from ``alt`` to ``neu``: plan, spending, estimated
    cost or Kostengruppe; also records that gained or lost all their money. Records in
    ``ausgenommen`` ((kind, id) unreadable at one of the two Stände) are left out.

    In the order of ``neu``, then those only in ``alt`` in their order, so callers that
    pass ``posten()`` lists get goal catalogue order.
    """
    skip = set(ausgenommen)
    before = {(p.art, p.id): p for p in alt}
    after = {(p.art, p.id): p for p in neu}
    keys = list(after) + [k for k in before if k not in after]
    found = []
    for key in keys:
        if key in skip:
            continue
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and _geld(old) == _geld(new):
            continue
        old_plan, new_plan = (old.plan if old else {}), (new.plan if new else {})
        years = sorted(
            y for y in old_plan.keys() | new_plan.keys() if old_plan.get(y) != new_plan.get(y)
        )
        slices = [Jahresscheibe(y, old_plan.get(y), new_plan.get(y)) for y in years]
        found.append(Aenderung(old, new, slices))
    return found


def _geld(p: Posten) -> tuple[Any, ...]:
    """What counts as a change of a record's money."""
    return (p.kostengruppe, p.plan, p.ist, p.kosten)
