"""Rules across records: every id reference must name something that exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ihk.errors import Location, Problem
from ihk.models import Gremium, Massnahme, Projekt

if TYPE_CHECKING:
    from ihk.register import Entry, Register


def check_references(
    register: Register, known_ids: dict[str, set[str]] | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    goals = set(register.meta.ziele) if register.meta else None
    ids = {
        kind: set(entries) | _broken_ids(register, kind) | (known_ids or {}).get(kind, set())
        for kind, entries in register.entries.items()
    }
    for entry in register.of("massnahme").values():
        problems.extend(_measure(entry, goals, ids))
    for entry in register.of("projekt").values():
        problems.extend(_project(entry, goals, ids))
    for entry in register.of("gremium").values():
        problems.extend(_committee(entry, ids))
    return problems


def _broken_ids(register: Register, kind: str) -> set[str]:
    # A reference to a file that exists but is broken is not a second error.
    from ihk.kinds import KINDS

    folder = KINDS[kind].folder + "/"
    return {
        rel[len(folder) :].rsplit(".", 1)[0] for rel in register.broken if rel.startswith(folder)
    }


def _at(entry: Entry, path: tuple[str | int, ...], message: str, warning: bool = False) -> Problem:
    return Problem(Location(entry.display, *entry.doc.position(path)), message, warning)


def _goal_refs(
    entry: Entry, goals: set[str] | None, path: tuple[str | int, ...], goal: str
) -> Iterator[Problem]:
    if goals is not None and goal not in goals:
        yield _at(entry, path, f"Ziel „{goal}“ steht nicht im Zielkatalog (ihk.yaml, ziele)")


def _id_refs(
    entry: Entry, ids: dict[str, set[str]], field: str, kind: str, values: list[str], label: str
) -> Iterator[Problem]:
    for i, ref in enumerate(values):
        if ref not in ids[kind]:
            yield _at(entry, (field, i), f"{label} „{ref}“ gibt es nicht")


def _measure(entry: Entry, goals: set[str] | None, ids: dict[str, set[str]]) -> Iterator[Problem]:
    m: Massnahme = entry.record
    yield from _goal_refs(entry, goals, ("oberziel",), m.oberziel)
    for i, goal in enumerate(m.weitere_ziele):
        yield from _goal_refs(entry, goals, ("weitere_ziele", i), goal)
        if goal == m.oberziel:
            yield _at(entry, ("weitere_ziele", i), f"„{goal}“ ist schon das Oberziel", warning=True)
    yield from _id_refs(entry, ids, "gremien", "gremium", m.gremien, "Gremium")
    for i, nachtrag in enumerate(m.nachtraege):
        if nachtrag.stand < m.aufgenommen:
            yield _at(
                entry,
                ("nachtraege", i, "stand"),
                f"Nachtrag {nachtrag.stand} liegt vor der Aufnahme ins Konzept ({m.aufgenommen})",
                warning=True,
            )


def _project(entry: Entry, goals: set[str] | None, ids: dict[str, set[str]]) -> Iterator[Problem]:
    p: Projekt = entry.record
    yield from _goal_refs(entry, goals, ("oberziel",), p.oberziel)
    yield from _id_refs(entry, ids, "massnahmen", "massnahme", p.massnahmen, "Maßnahme")


def _committee(entry: Entry, ids: dict[str, set[str]]) -> Iterator[Problem]:
    g: Gremium = entry.record
    for s, sitzung in enumerate(g.sitzungen):
        for b, beschluss in enumerate(sitzung.beschluesse):
            base = ("sitzungen", s, "beschluesse", b)
            for i, ref in enumerate(beschluss.massnahmen):
                if ref not in ids["massnahme"]:
                    yield _at(entry, (*base, "massnahmen", i), f"Maßnahme „{ref}“ gibt es nicht")
            for i, ref in enumerate(beschluss.projekte):
                if ref not in ids["projekt"]:
                    yield _at(entry, (*base, "projekte", i), f"Projekt „{ref}“ gibt es nicht")
