"""ihk sitzung and ihk meilenstein: what happens to committees and projects over time.

Both append to (or mark) a list inside one record through the same locked, checked,
comment-keeping edit as ``ihk set``.
"""

from __future__ import annotations

from typing import Any

from ihk.commands.records import Written, edit_record
from ihk.errors import InvalidInput
from ihk.kinds import KINDS, Kind
from ihk.vocab import monat_text
from ihk.workspace import Workspace


def _of_kind(ws: Workspace, spec: str, wanted: str) -> tuple[Kind, str]:
    kind, ident = ws.address(spec)
    if kind.name != wanted:
        raise InvalidInput(
            f"„{spec}“ ist ein(e) {kind.label}, gemeint ist ein {KINDS[wanted].label}"
        )
    return kind, ident


def add_meeting(
    ws: Workspace,
    spec: str,
    datum: str,
    titel: str | None = None,
    beschluesse: list[str] | None = None,
    massnahmen: list[str] | None = None,
    projekte: list[str] | None = None,
    *,
    commit: bool = True,
    message: str | None = None,
) -> Written:
    """A meeting of a committee with its Beschlüsse.

    The measures and projects named belong to every Beschluss given (usually one).
    """
    kind, ident = _of_kind(ws, spec, "gremium")
    if (massnahmen or projekte) and not beschluesse:
        raise InvalidInput(
            "Maßnahmen und Projekte gehören zu einem Beschluss: bitte auch den Beschluss angeben"
        )
    decisions = []
    for text in beschluesse or []:
        decision: dict[str, Any] = {"text": text}
        if massnahmen:
            decision["massnahmen"] = list(massnahmen)
        if projekte:
            decision["projekte"] = list(projekte)
        decisions.append(decision)
    sitzung: dict[str, Any] = {"datum": datum}
    if titel:
        sitzung["titel"] = titel
    if decisions:
        sitzung["beschluesse"] = decisions
    shown_date = monat_text(datum) if len(datum) == 10 and datum[4] == "-" else datum
    return edit_record(
        ws,
        kind,
        ident,
        [("+=", ("sitzungen",), sitzung)],
        commit=commit,
        message=message or f"{kind.label} {ident}: Sitzung am {shown_date}",
    )


def add_milestone(
    ws: Workspace,
    spec: str,
    datum: str,
    text: str,
    erreicht: bool = False,
    *,
    commit: bool = True,
    message: str | None = None,
) -> Written:
    kind, ident = _of_kind(ws, spec, "projekt")
    milestone: dict[str, Any] = {"datum": datum, "text": text}
    if erreicht:
        milestone["erreicht"] = True
    return edit_record(
        ws,
        kind,
        ident,
        [("+=", ("meilensteine",), milestone)],
        commit=commit,
        message=message or f"{kind.label} {ident}: Meilenstein „{text}“",
    )


def reach_milestone(
    ws: Workspace, spec: str, number: int, *, commit: bool = True, message: str | None = None
) -> Written:
    """Mark milestone ``number`` (1 = the first in the file) as reached."""
    kind, ident = _of_kind(ws, spec, "projekt")
    if number < 1:
        raise InvalidInput(f"Meilenstein {number} gibt es nicht (gezählt wird ab 1)")
    return edit_record(
        ws,
        kind,
        ident,
        [("=", ("meilensteine", number - 1, "erreicht"), True)],
        commit=commit,
        message=message or f"{kind.label} {ident}: Meilenstein {number} erreicht",
    )
