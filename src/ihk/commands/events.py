"""ihk sitzung and ihk meilenstein: what happens to committees and projects over time.

Both append to (or mark) a list inside one record through the same locked, checked,
comment-keeping edit as ``ihk set``.
"""

from __future__ import annotations

import re
from typing import Any

from ihk.commands.records import Edit, Written, edit_record, show_record
from ihk.errors import InvalidInput, Refused
from ihk.kinds import KINDS, Kind
from ihk.vocab import messwert, monat_text, zahl_aus_text
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


def add_value(
    ws: Workspace,
    spec: str,
    jahr: str,
    wert: str,
    anmerkung: str | None = None,
    *,
    replace: bool = False,
    commit: bool = True,
    message: str | None = None,
) -> Written:
    """One measured value of an indicator; a year that has one already only with ``replace``.

    ``wert`` is read the German way (``21,5``, ``1.200``)."""
    kind, ident = _of_kind(ws, spec, "indikator")
    if not re.fullmatch(r"[0-9]{4}", jahr):
        raise InvalidInput(f"„{jahr}“ ist kein Jahr (vier Ziffern, z. B. 2005)")
    try:
        number = zahl_aus_text(wert)
    except ValueError as e:
        raise InvalidInput(f"Wert: {e}") from None
    record = show_record(ws, f"{kind.name}/{ident}").record
    if record is None:
        raise InvalidInput(f"{ws.shown(kind, ident)} ist ungültig; bitte erst reparieren")
    year = int(jahr)
    existing = next((i for i, w in enumerate(record.werte) if w.jahr == year), None)
    edits: list[Edit]
    if existing is not None:
        if not replace:
            old = record.werte[existing].wert
            raise Refused(f"Für {year} gibt es schon einen Wert ({messwert(old)}); nichts geändert")
        edits = [("=", ("werte", existing, "wert"), number)]
        if anmerkung is not None:
            edits.append(("=", ("werte", existing, "anmerkung"), anmerkung))
    else:
        item: dict[str, Any] = {"jahr": year, "wert": number}
        if anmerkung:
            item["anmerkung"] = anmerkung
        edits = [("+=", ("werte",), item)]
    return edit_record(
        ws,
        kind,
        ident,
        edits,
        commit=commit,
        message=message or f"{kind.label} {ident}: Wert {year} = {messwert(number)}",
    )
