"""ihk status: records grouped by Oberziel in catalogue order, with counts per state."""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ihk.errors import Problem, UsageError
from ihk.kinds import STATUS_KINDS, Entry, Kind, kind_named
from ihk.monitoring import IndikatorStand, indikator_stand
from ihk.register import Register
from ihk.snapshot import load_at, resolve_end
from ihk.vocab import STATES, state_named
from ihk.workspace import Workspace

if TYPE_CHECKING:  # the module of the Fortschreibung is not needed for a report of now
    from ihk.fortschreibung import StandInfo

#: What ``--kind`` accepts besides the kinds' own names.
ALL = "all"


@dataclass(frozen=True)
class Row:
    kind: str
    id: str
    titel: str
    oberziel: str
    status: str
    traeger: tuple[str, ...]
    staedtebaufoerderung: bool
    sonstige: tuple[str, ...]
    seit: str | None  # aufgenommen (measure) or laufzeit.von (project)
    kosten: float | None = None  # finanzierung.kosten_eur
    beginn: str | None = None  # zeitraum.von (measure) or laufzeit.von (project)

    def as_json(self) -> dict[str, Any]:
        return {
            "art": self.kind,
            "id": self.id,
            "titel": self.titel,
            "oberziel": self.oberziel,
            "status": self.status,
            "traeger": list(self.traeger),
            "staedtebaufoerderung": self.staedtebaufoerderung,
            "sonstige": list(self.sonstige),
            "seit": self.seit,
            "kosten": self.kosten,
        }


@dataclass
class Group:
    oberziel: str
    titel: str
    rows: list[Row]


@dataclass
class StatusReport:
    gebiet: str | None
    kinds: list[str]
    groups: list[Group]
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    #: The Stand the report shows (``--stand``); None for the working tree.
    stand: StandInfo | None = None
    #: With ``--kind all``: the indicators, in a block of their own.
    indikatoren: list[IndikatorStand] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "gebiet": self.gebiet,
            "arten": self.kinds,
            "gruppen": [
                {
                    "oberziel": g.oberziel,
                    "titel": g.titel,
                    "eintraege": [r.as_json() for r in g.rows],
                }
                for g in self.groups
            ],
            "summen": {**self.counts, "gesamt": self.total},
            "probleme": [str(p) for p in self.problems],
            "stand": dataclasses.asdict(self.stand) if self.stand else None,
            "indikatoren": [dataclasses.asdict(i) for i in self.indikatoren],
        }


def register_at(ws: Workspace, spec: str | None) -> tuple[Register, StandInfo | None]:
    """The register now (``spec`` None) or as it stood at a Stand: a year (its tag
    stand-JJJJ, else the last commit of that year) or any revision, read from git
    without touching the working tree — the same resolution as a Fortschreibung."""
    if spec is None:
        return ws.load(), None
    from ihk.fortschreibung import stand_info

    repo = ws.git
    stand = resolve_end(repo, spec, "STAND")
    return load_at(repo, ws.root, stand, ws.cache()), stand_info(stand)


def status_kinds(name: str) -> list[Kind]:
    """The kinds ``--kind NAME`` asks for: one that status lists, or all of them."""
    if name.strip().lower() == ALL:
        return list(STATUS_KINDS)
    kind = kind_named(name)
    if kind not in STATUS_KINDS:
        names = ", ".join(k.english for k in STATUS_KINDS)
        raise UsageError(
            f"{kind.plural} stehen nicht in der Statustabelle; erlaubt: {names}, {ALL}"
        )
    return [kind]


def _row(entry: Entry) -> Row:
    s = entry.summary
    assert s is not None  # a kind listed in status tables has one
    return Row(
        kind=entry.kind.name,
        id=entry.id,
        titel=s.titel,
        oberziel=s.oberziel,
        status=s.status,
        traeger=s.traeger,
        staedtebaufoerderung=s.staedtebaufoerderung,
        sonstige=s.sonstige,
        seit=s.seit,
        kosten=s.kosten,
        beginn=s.beginn,
    )


def goal_named(register: Register, text: str) -> str:
    """The goal a user means: its id or its title, any case; else a usage error that
    lists the goals and suggests the closest."""
    goals = dict(register.meta.ziele) if register.meta else {}
    wanted = " ".join(text.split()).casefold()
    for goal, entry in goals.items():
        if wanted in (goal.casefold(), " ".join(entry.titel.split()).casefold()):
            return goal
    names = {**{g: g for g in goals}, **{e.titel.casefold(): g for g, e in goals.items()}}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    hint = f" – meinten Sie „{names[close[0]]}“?" if close else ""
    raise UsageError(
        f"Oberziel „{text}“ steht nicht im Zielkatalog{hint} Erlaubt: {', '.join(goals)}"
    )


def state_filter(text: str) -> str:
    """A state given by its id or its German words; else a usage error."""
    state = state_named(text)
    if state is None:
        close = difflib.get_close_matches(text.casefold(), list(STATES), n=1, cutoff=0.6)
        hint = f" – meinten Sie „{close[0]}“?" if close else ""
        raise UsageError(
            f"Umsetzungsstand „{text}“ gibt es nicht{hint} Erlaubt: {', '.join(STATES)}"
        )
    return state


def status_report(
    register: Register,
    kinds: list[Kind],
    oberziel: str | None = None,
    status: str | None = None,
    traeger: str | None = None,
    stand: StandInfo | None = None,
    indicators: bool = False,
) -> StatusReport:
    """The rows of ``kinds``, filtered and grouped by Oberziel; unknown filter values
    (a goal or state that does not exist) are usage errors, not an empty table."""
    if oberziel is not None:
        oberziel = goal_named(register, oberziel)
    if status is not None:
        status = state_filter(status)
    rows = [_row(e) for k in kinds for e in register.of(k.name).values()]
    if oberziel:
        rows = [r for r in rows if r.oberziel == oberziel]
    if status:
        rows = [r for r in rows if r.status == status]
    if traeger:
        needle = traeger.casefold()
        rows = [r for r in rows if any(needle in t.casefold() for t in r.traeger)]
    goals = dict(register.meta.ziele) if register.meta else {}
    order = {goal: i for i, goal in enumerate(goals)}
    rows.sort(
        key=lambda r: (order.get(r.oberziel, len(order)), r.oberziel, r.titel.casefold(), r.id)
    )
    groups: list[Group] = []
    for row in rows:
        if not groups or groups[-1].oberziel != row.oberziel:
            goal = goals.get(row.oberziel)
            title = goal.titel if goal else f"(unbekanntes Oberziel „{row.oberziel}“)"
            groups.append(Group(row.oberziel, title, []))
        groups[-1].rows.append(row)
    counted = Counter(r.status for r in rows)
    counts = {s: counted.get(s, 0) for s in STATES}
    indikatoren = []
    if indicators:
        found = [
            indikator_stand(i, r.record)
            for i, r in register.of("indikator").items()
            if oberziel is None or r.record.oberziel == oberziel
        ]
        goal_of = {i: r.record.oberziel for i, r in register.of("indikator").items()}
        indikatoren = sorted(
            found, key=lambda s: (order.get(goal_of[s.id], len(order)), s.titel.casefold(), s.id)
        )
    return StatusReport(
        indikatoren=indikatoren,
        stand=stand,
        gebiet=register.meta.gebiet if register.meta else None,
        kinds=[k.name for k in kinds],
        groups=groups,
        counts=counts,
        problems=register.errors,
    )
