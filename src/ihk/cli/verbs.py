"""ihk rm, mv, sitzung, meilenstein, commit: the everyday verbs beyond add and set."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ihk.cli import completion, console, main, prompts
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    FormatOption,
    IdArgument,
    Message,
    NoCommit,
    RegisterOption,
    TextJson,
)

DatumOption = Annotated[
    str, typer.Option("--datum", metavar="JJJJ-MM-TT", help="Datum (Meilenstein auch JJJJ-MM).")
]


def _commit_line(sha: Optional[str], warnings: list[str]) -> None:
    if sha:
        console.out(f"Commit {sha[:10]}")
    for warning in warnings:
        console.err(f"Warnung: {warning}")


@app.command("rm", short_help="Einen Eintrag entfernen.")
def rm_cmd(
    ident: IdArgument,
    auch_verweise: Annotated[
        bool,
        typer.Option("--auch-verweise", help="Verweise anderer Einträge mit entfernen."),
    ] = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Einen Eintrag entfernen (abgelehnt, solange andere ihn nennen)."""
    from ihk.commands.remove import remove_record
    from ihk.errors import Refused

    ws = workspace()
    try:
        moved = remove_record(
            ws, ident, with_references=auch_verweise, commit=not no_commit, message=message
        )
    except Refused as e:
        if "wird noch genannt" in e.message:
            e.message += " (--auch-verweise)"
        raise
    console.out(f"{moved.kind.label} {moved.id} entfernt: {ws.shown(moved.kind, moved.id)}")
    for shown, places in moved.references.items():
        console.out(f"  Verweis entfernt: {shown} ({', '.join(places)})")
    _commit_line(moved.commit, ws.git.warnings if moved.commit else [])


@app.command("mv", short_help="Einen Eintrag umbenennen, mit allen Verweisen.")
def mv_cmd(
    ident: IdArgument,
    neue_id: Annotated[str, typer.Argument(metavar="NEUE_ID", help="Die neue Kennung.")],
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Einen Eintrag umbenennen, mit allen Verweisen auf ihn (ein Commit)."""
    from ihk.commands.remove import rename_record

    ws = workspace()
    moved = rename_record(ws, ident, neue_id, commit=not no_commit, message=message)
    new = moved.new_id or ""
    console.out(f"{moved.kind.label} {moved.id} heißt jetzt {new}: {ws.shown(moved.kind, new)}")
    for shown, places in moved.references.items():
        console.out(f"  Verweis angepasst: {shown} ({', '.join(places)})")
    _commit_line(moved.commit, ws.git.warnings if moved.commit else [])


@app.command("sitzung", short_help="Eine Sitzung eines Gremiums festhalten.")
def sitzung_cmd(
    gremium: Annotated[
        str,
        typer.Argument(
            metavar="GREMIUM", help="Kennung des Gremiums.", autocompletion=completion.committees
        ),
    ],
    datum: DatumOption,
    titel: Annotated[Optional[str], typer.Option("--titel", help="Titel der Sitzung.")] = None,
    beschluss: Annotated[
        Optional[list[str]],
        typer.Option("--beschluss", metavar="TEXT", help="Ein Beschluss (mehrfach)."),
    ] = None,
    massnahme: Annotated[
        Optional[list[str]],
        typer.Option(
            "--massnahme",
            metavar="ID",
            help="Maßnahme, die der Beschluss betrifft.",
            autocompletion=completion.measures,
        ),
    ] = None,
    projekt: Annotated[
        Optional[list[str]],
        typer.Option(
            "--projekt",
            metavar="ID",
            help="Projekt, das der Beschluss betrifft.",
            autocompletion=completion.projects,
        ),
    ] = None,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Eine Sitzung eines Gremiums mit ihren Beschlüssen festhalten."""
    from ihk.commands.events import add_meeting

    written = add_meeting(
        workspace(), gremium, datum, titel, beschluss, massnahme, projekt,
        commit=not no_commit, message=message,
    )  # fmt: skip
    console.out(f"Sitzung am {datum} festgehalten: {written.shown}")
    _commit_line(written.commit, written.warnings)


@app.command("meilenstein", short_help="Einen Meilenstein anlegen oder als erreicht markieren.")
def meilenstein_cmd(
    projekt: Annotated[
        str,
        typer.Argument(
            metavar="PROJEKT", help="Kennung des Projekts.", autocompletion=completion.projects
        ),
    ],
    nummer: Annotated[
        Optional[int],
        typer.Argument(metavar="N", help="Nummer eines vorhandenen Meilensteins (ab 1)."),
    ] = None,
    datum: Annotated[
        Optional[str],
        typer.Option("--datum", metavar="JJJJ-MM-TT", help="Datum (auch JJJJ-MM)."),
    ] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Was erreicht sein soll.")] = None,
    erreicht: Annotated[bool, typer.Option("--erreicht", help="Als erreicht markieren.")] = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Einen Meilenstein anlegen (--datum, --text) oder Meilenstein N als erreicht markieren."""
    from ihk.commands.events import add_milestone, reach_milestone
    from ihk.errors import UsageError

    ws = workspace()
    if nummer is not None:
        if datum or text or not erreicht:
            raise UsageError(
                "Mit einer Nummer nur --erreicht angeben: meilenstein PROJEKT N --erreicht"
            )
        written = reach_milestone(ws, projekt, nummer, commit=not no_commit, message=message)
        console.out(f"Meilenstein {nummer} erreicht: {written.shown}")
    else:
        if not datum or not text:
            raise UsageError("Für einen neuen Meilenstein --datum und --text angeben")
        written = add_milestone(
            ws, projekt, datum, text, erreicht, commit=not no_commit, message=message
        )
        console.out(f"Meilenstein angelegt: {written.shown}")
    _commit_line(written.commit, written.warnings)


@app.command("commit", short_help="Offene Änderungen prüfen und committen.")
def commit_cmd(message: Message = None, register: RegisterOption = None) -> None:
    """Offene Änderungen des Registers prüfen und committen (nach --no-commit oder von Hand)."""
    from ihk.commands.commit import commit_pending

    done = commit_pending(workspace(), message)
    for line in done.summary:
        console.out(f"  {line}")
    _commit_line(done.commit, done.warnings)


@app.command("stand", short_help="Einen Stand festhalten, verschieben oder auflisten.")
def stand_cmd(
    jahr: Annotated[
        Optional[str], typer.Argument(metavar="JAHR", help="Jahr des Stands, z. B. 2006.")
    ] = None,
    message: Annotated[
        Optional[str], typer.Option("-m", "--message", metavar="TEXT", help="Text des Tags.")
    ] = None,
    verschieben: Annotated[
        bool, typer.Option("--verschieben", help="Einen vorhandenen Stand auf HEAD verschieben.")
    ] = False,
    ja: Annotated[bool, typer.Option("--ja", help="Ohne Rückfrage verschieben.")] = False,
    liste: Annotated[bool, typer.Option("--liste", help="Alle Stände zeigen.")] = False,
    fmt: FormatOption = TextJson.text,
    register: RegisterOption = None,
) -> None:
    """Den aktuellen Commit als Stand eines Jahres festhalten (Tag stand-JAHR), verschieben
    oder alle Stände zeigen."""
    from ihk.commands.fortschreibung import staende, tag_stand
    from ihk.errors import Refused, StandExists, UsageError
    from ihk.vocab import monat_text

    ws = workspace()
    if liste:
        if jahr or verschieben:
            raise UsageError("--liste zeigt alle Stände; ohne JAHR und --verschieben angeben")
        found = staende(ws)
        if fmt == TextJson.json:
            console.out_json(
                [
                    {
                        "jahr": t.name[len("stand-") :],
                        "tag": t.name,
                        "commit": t.commit,
                        "datum": t.date.isoformat(),
                        "nachricht": t.message,
                    }
                    for t in found
                ]
            )
        elif not found:
            console.out("Noch kein Stand festgehalten (ihk stand JAHR).")
        for t in found if fmt == TextJson.text else []:
            day = monat_text(t.date.date().isoformat())
            console.out(f"Stand {t.name[len('stand-') :]}  {day}  {t.commit[:10]}  {t.message}")
        return
    if jahr is None:
        raise UsageError("JAHR fehlt (oder --liste für alle Stände)")
    if verschieben and not ja:
        if not main.interactive():
            raise UsageError("Verschieben nur nach Rückfrage: im Terminal bestätigen oder --ja")
        if not prompts.confirm(f"Stand {jahr} auf den aktuellen Commit verschieben?", "--ja"):
            raise Refused("Nicht verschoben; nichts geändert")
    try:
        done = tag_stand(ws, jahr, message, move=verschieben)
    except StandExists as e:
        e.message += f" – verschieben mit: ihk stand {jahr} --verschieben"
        raise
    if done.moved_from:
        console.out(
            f"Stand {jahr} verschoben: Tag stand-{jahr} von {done.moved_from[:10]} "
            f"auf {done.commit[:10]}"
        )
    else:
        console.out(f"Stand {jahr} festgehalten: Tag stand-{jahr} auf {done.commit[:10]}")


@app.command("wert", short_help="Einen Messwert eines Indikators festhalten.")
def wert_cmd(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Kennung des Indikators.", autocompletion=completion.records
        ),
    ],
    jahr: Annotated[str, typer.Argument(metavar="JAHR", help="Jahr des Werts, z. B. 2005.")],
    wert: Annotated[
        str, typer.Argument(metavar="WERT", help="Der Wert, deutsch geschrieben (21,5; 1.200).")
    ],
    anmerkung: Annotated[
        Optional[str], typer.Option("--anmerkung", metavar="TEXT", help="Anmerkung zum Wert.")
    ] = None,
    ersetzen: Annotated[
        bool, typer.Option("--ersetzen", help="Einen schon erfassten Wert des Jahres ersetzen.")
    ] = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Einen Messwert eines Indikators festhalten (ein Commit, nur diese Datei)."""
    from ihk.commands.events import add_value
    from ihk.errors import Refused

    try:
        written = add_value(
            workspace(), ident, jahr, wert, anmerkung,
            replace=ersetzen, commit=not no_commit, message=message,
        )  # fmt: skip
    except Refused as e:
        if "gibt es schon einen Wert" in e.message:
            e.message += f" – ersetzen mit: ihk wert {ident} {jahr} {wert} --ersetzen"
        raise
    if not written.changed:
        console.out(f"Indikator {written.id}: keine Änderung")
        return
    console.out(f"Wert {jahr} festgehalten: {written.shown}")
    _commit_line(written.commit, written.warnings)
