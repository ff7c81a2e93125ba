"""Options that several commands share; choices come from the models, never from copies."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ihk.cli import completion
from ihk.vocab import GREMIUM_ARTEN, KOSTENGRUPPEN, STATES, state_named, zahl_aus_text


class Chosen:
    """The register named on the command line: ``ihk --register X BEFEHL`` or
    ``ihk BEFEHL --register X`` (the later one wins; both before IHK_REGISTER); and
    whether ``--no-cache`` was given (before or after the command)."""

    register: Optional[str] = None
    no_cache: bool = False


def register_given(ctx: typer.Context, value: Optional[str]) -> Optional[str]:
    """``--register`` before or after the command: the later one wins. Also left in
    ``ctx.meta`` for shell completion, where no command runs."""
    if value is not None:
        Chosen.register = value
        ctx.meta[completion.REGISTER_KEY] = value
    return value


def no_cache_given(value: bool) -> bool:
    if value:
        Chosen.no_cache = True
    return value


NO_CACHE_HELP = (
    "Jede Datei neu lesen und prüfen, ohne den Cache schon gelesener Dateien "
    "(.git/ihk-cache oder ~/.cache/ihk; ebenso IHK_NO_CACHE=1)."
)

#: ``--no-cache`` after the command (``ihk validate --no-cache``), as before it.
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help=NO_CACHE_HELP, callback=no_cache_given, expose_value=False),
]

REGISTER_HELP = (
    "Ordner des Registers (sonst IHK_REGISTER, dann die nächste ihk.yaml hier oder "
    "darüber, dann ./register/)."
)

#: ``--register`` after the command (``ihk status --register x``); the command ignores
#: the value, the callback records it where ``main.workspace`` looks.
RegisterOption = Annotated[
    Optional[str],
    typer.Option(
        "--register",
        metavar="PFAD",
        help="Ordner des Registers (wie ihk --register PFAD BEFEHL).",
        callback=register_given,
        expose_value=False,
    ),
]


class ReportFormat(StrEnum):
    """The formats of the tabular reports (status, monitoring)."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ValidateFormat(StrEnum):
    """The formats of ``validate``: for people, scripts and CI."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"


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
#: What ``-o -`` and ``ihk export -`` name: standard output, as in most tools.
STDOUT = "-"


def output_given(value: Optional[Path]) -> Optional[Path]:
    """``-o -`` is standard output, the same as leaving ``-o`` out (never a file "-")."""
    return None if value is not None and str(value) == STDOUT else value


OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "-o",
        "--output",
        metavar="DATEI",
        help="In diese Datei schreiben (eine Verknüpfung: in ihr Ziel; fehlende Ordner "
        "werden angelegt; eine schreibgeschützte Datei und die Dateien des Registers werden "
        "nicht ersetzt); „-“ für die Standardausgabe.",
        callback=output_given,
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
    return typer.Option(
        "--status",
        metavar="STAND",
        help=help,
        callback=_state_named,
        autocompletion=completion.states,
    )


StateFilter = Annotated[
    Optional[str], _state(f"Nur Einträge in diesem Umsetzungsstand: {', '.join(STATES)}.")
]
StateOption = Annotated[
    Optional[str], _state(f"Umsetzungsstand: {', '.join(STATES)} (Vorgabe: {STATES[0]}).")
]
KostengruppeOption = Annotated[
    Optional[str],
    typer.Option(
        "--kostengruppe",
        metavar="GRUPPE",
        help=f"Kostengruppe: {', '.join(KOSTENGRUPPEN)}.",
        callback=_choice(tuple(KOSTENGRUPPEN)),
        autocompletion=lambda: list(KOSTENGRUPPEN),
    ),
]
StandOption = Annotated[
    Optional[str],
    typer.Option(
        "--stand",
        metavar="JAHR|REV",
        help="So, wie das Register zu diesem Stand war (Jahr: Tag stand-JJJJ, sonst letzter "
        "Commit des Jahres; oder eine git-Revision).",
    ),
]
ReportKindOption = Annotated[
    str,
    typer.Option(
        "--kind",
        metavar="ART",
        help="measure, project oder all (massnahme, projekt).",
        autocompletion=completion.status_kinds,
    ),
]
ArtOption = Annotated[
    Optional[str],
    typer.Option(
        "--art",
        metavar="ART",
        help=f"Art des Gremiums: {', '.join(GREMIUM_ARTEN)}.",
        callback=_choice(GREMIUM_ARTEN),
        autocompletion=completion.committee_types,
    ),
]


_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def _month(value: Optional[str]) -> Optional[str]:
    """A month as JJJJ-MM (ASCII digits, month 01–12)."""
    if value is None:
        return None
    month = value.strip()
    if not _MONTH.fullmatch(month):
        raise typer.BadParameter(f"„{value}“ ist kein Monat; erwartet JJJJ-MM, z. B. 2005-03")
    return month


def _number(value: Optional[str]) -> Optional[str]:
    """A number typed the German way ("12.000", "12.000,50 €"); refused if ambiguous."""
    if value is None:
        return None
    try:
        zahl_aus_text(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    return value


KostenOption = Annotated[
    Optional[str],
    typer.Option(
        "--kosten",
        metavar="EUR",
        help="Geplante Kosten in Euro, deutsch geschrieben: 12.000 oder 12.000,50.",
        callback=_number,
    ),
]
MonatOption = Annotated[
    Optional[str],
    typer.Option(
        "--monat",
        metavar="JJJJ-MM",
        help="Monat des Nachtrags (Vorgabe: dieser Monat), für Nachträge im Nachhinein.",
        callback=_month,
    ),
]

IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Kennung oder ART/KENNUNG.", autocompletion=completion.records
    ),
]
GoalOption = Annotated[
    Optional[str],
    typer.Option(
        "--oberziel",
        metavar="ID",
        help="Oberziel (Kennung aus ihk.yaml).",
        autocompletion=completion.goals,
    ),
]

GoalFilter = Annotated[
    Optional[str],
    typer.Option(
        "--oberziel",
        metavar="ID",
        help="Nur dieses Oberziel (Kennung oder Titel).",
        autocompletion=completion.goals,
    ),
]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", help="Ausgabeformat.")]
