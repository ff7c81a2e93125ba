"""Options that several commands share; choices come from the models, never from copies."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ihk.vocab import GREMIUM_ARTEN, STATES, state_named


class TextJson(StrEnum):
    text = "text"
    json = "json"


def _choice(values: tuple[str, ...]) -> Callable[[Optional[str]], Optional[str]]:
    """A callback that accepts one of ``values`` (any case) and refuses the rest."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        normal = value.strip().lower()
        if normal not in values:
            raise typer.BadParameter(f"„{value}“; erlaubt: {', '.join(values)}")
        return normal

    return check


FormatOption = Annotated[TextJson, typer.Option("--format", help="Ausgabeformat.")]
NoCommit = Annotated[
    bool, typer.Option("--no-commit", help="Nur die Datei schreiben, nichts committen.")
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "-o",
        "--output",
        metavar="DATEI",
        help="In diese Datei schreiben (eine Verknüpfung: in ihr Ziel; fehlende Ordner "
        "werden angelegt; eine schreibgeschützte Datei wird nicht ersetzt).",
    ),
]
Message = Annotated[
    Optional[str], typer.Option("-m", "--message", metavar="TEXT", help="Eigene Commit-Nachricht.")
]


def _state_named(value: Optional[str]) -> Optional[str]:
    """A state by its id or its German words ("in Umsetzung"), any case."""
    if value is None:
        return None
    state = state_named(value)
    if state is None:
        raise typer.BadParameter(f"„{value}“; erlaubt: {', '.join(STATES)} (oder „in Umsetzung“ …)")
    return state


def _state(help: str) -> Any:
    return typer.Option("--status", metavar="STAND", help=help, callback=_state_named)


StateFilter = Annotated[
    Optional[str], _state(f"Nur Einträge in diesem Umsetzungsstand: {', '.join(STATES)}.")
]
StateOption = Annotated[
    Optional[str], _state(f"Umsetzungsstand: {', '.join(STATES)} (Vorgabe: {STATES[0]}).")
]
ArtOption = Annotated[
    Optional[str],
    typer.Option(
        "--art",
        metavar="ART",
        help=f"Art des Gremiums: {', '.join(GREMIUM_ARTEN)}.",
        callback=_choice(GREMIUM_ARTEN),
    ),
]
