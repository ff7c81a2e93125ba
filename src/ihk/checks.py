"""Rules across records: every id reference must name something that exists.

The rules themselves are declared in the kind registry (``Kind.references``); a
record's own warnings come from its model (``hinweise``). This module only applies
them and places each problem at its position.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator, Mapping

from ihk.errors import REGEL, VERWEIS, Location, Problem
from ihk.kinds import GOAL, KINDS, SOURCE, Entry, Facts
from ihk.models import FieldPath, Quelle


def check_references(
    entries: Mapping[str, Mapping[str, Entry]],
    goals: Iterable[str] | None,
    known_ids: Mapping[str, set[str]],
    quellen: Mapping[str, Quelle] | None = None,
) -> list[Problem]:
    """Problems of every loaded record's references and of its own warnings.

    ``known_ids`` holds, per kind, every id that exists (valid or not), so that a
    reference to a broken file is not a second error. ``goals`` is None when the
    catalogue itself could not be read (then goal references are not checked).

    A record whose ``Facts`` show every reference resolved needs nothing but its own
    problems from them (a cached record is not even built); any other is checked in
    full, at the positions of its document.
    """
    targets: dict[str, set[str] | None] = {name: set(known_ids.get(name, ())) for name in KINDS}
    targets[GOAL] = set(goals) if goals is not None else None
    targets[SOURCE] = set(quellen) if quellen is not None else None
    promoted = {q for q, v in quellen.items() if v.staedtebaufoerderung} if quellen else set()
    # every (target, id) that exists; a target that cannot be checked makes any name fine
    unchecked = {target for target, known in targets.items() if known is None}
    existing = {(target, ident) for target, known in targets.items() for ident in known or ()}
    problems: list[Problem] = []
    for kind_entries in entries.values():
        for entry in kind_entries.values():
            facts = entry.facts if entry.facts is not None else facts_of(entry)
            resolved = existing.issuperset(facts.names) or all(
                target in unchecked or (target, ident) in existing for target, ident in facts.names
            )
            if resolved and not promoted.intersection(facts.unfunded):
                problems.extend(
                    Problem(Location(entry.display, line, col), text, warning, REGEL)
                    for line, col, text, warning in facts.own
                )
                continue
            problems.extend(_entry_problems(entry, targets))
            if quellen is not None:
                problems.extend(_funding_problems(entry, quellen))
    return problems


def facts_of(entry: Entry) -> Facts:
    """The ``Facts`` of a record (its own problems placed in its document)."""
    record = entry.record
    names = tuple(
        sorted({(target, ident) for _, target, ident in entry.kind.references_in(record)})
    )
    fin = getattr(record, "finanzierung", None)
    unfunded: tuple[str, ...] = ()
    if fin is not None and not fin.staedtebaufoerderung:
        unfunded = tuple(sorted({source for sources in fin.plan.values() for source in sources}))
    own = tuple(
        (*entry.doc.position(h.path, key=h.at_key), h.text, h.warning) for h in record.hinweise()
    )
    state = (record.oberziel, record.status) if entry.kind.in_status else None
    facts = Facts(names, unfunded, own, state)
    entry.facts = facts
    return facts


def _entry_problems(
    entry: Entry, targets: Mapping[str, Collection[str] | None]
) -> Iterator[Problem]:
    for path, target, ident in entry.kind.references_in(entry.record):
        known = targets[target]
        if known is None or ident in known:
            continue
        if target == GOAL:
            close = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.75)
            hint = f" – meinten Sie „{close[0]}“?" if close else ""
            yield _at(
                entry,
                path,
                f"Ziel „{ident}“ steht nicht im Zielkatalog (ihk.yaml, ziele){hint}",
                code=VERWEIS,
            )
        elif target == SOURCE:
            close = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
            hint = f" – meinten Sie „{close[0]}“?" if close else f"; erlaubt: {', '.join(known)}"
            yield _at(
                entry,
                path,
                f"Finanzierungsquelle „{ident}“ steht nicht in ihk.yaml (quellen){hint}",
                key=True,
                code=VERWEIS,
            )
        else:
            yield _at(entry, path, f"{KINDS[target].label} „{ident}“ gibt es nicht", code=VERWEIS)
    for hinweis in entry.record.hinweise():
        yield _at(
            entry,
            hinweis.path,
            hinweis.text,
            warning=hinweis.warning,
            key=hinweis.at_key,
            code=REGEL,
        )


def _funding_problems(entry: Entry, quellen: Mapping[str, Quelle]) -> Iterator[Problem]:
    """Without Städtebauförderung, no plan money from a Städtebauförderung source."""
    fin = getattr(entry.record, "finanzierung", None)
    if fin is None or fin.staedtebaufoerderung:
        return
    for year, sources in fin.plan.items():
        for source in sources:
            if source in quellen and quellen[source].staedtebaufoerderung:
                yield _at(
                    entry,
                    ("finanzierung", "plan", year, source),
                    f"Plan {year} sieht Geld aus „{source}“ (Städtebauförderung) vor, aber "
                    "finanzierung.staedtebaufoerderung ist nein",
                    key=True,
                    code=REGEL,
                )


def _at(
    entry: Entry,
    path: FieldPath,
    message: str,
    warning: bool = False,
    *,
    key: bool = False,
    code: str,
) -> Problem:
    where = Location(entry.display, *entry.doc.position(path, key=key))
    return Problem(where, message, warning, code)


def referrers(
    entries: Mapping[str, Mapping[str, Entry]], target: str, ident: str
) -> list[tuple[Entry, FieldPath]]:
    """Every place where a loaded record names ``ident`` of kind ``target`` (rm, mv)."""
    return [
        (entry, path)
        for kind_entries in entries.values()
        for entry in kind_entries.values()
        for path, kind, ref in entry.kind.references_in(entry.record)
        if kind == target and ref == ident
    ]
