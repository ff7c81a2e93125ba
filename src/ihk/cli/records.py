"""ihk add KIND, ihk set, ihk show: one record at a time.

``add`` has one subcommand per kind, each with exactly its own options; the option
values are handed to ``commands.records.add_record`` as dotted field names, which
builds and orders the record.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from ihk.cli import console, main
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    ArtOption,
    KostenOption,
    Message,
    MonatOption,
    NoCommit,
    OutputOption,
    RegisterOption,
    StateOption,
)
from ihk.errors import UsageError

if TYPE_CHECKING:
    from ihk.commands.records import Written
    from ihk.workspace import Workspace


class _KindGroup(typer.core.TyperGroup):
    """Subcommands named after kinds, reachable by every name of the kind."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        from ihk.kinds import is_kind_name, kind_named

        if is_kind_name(cmd_name):
            cmd_name = kind_named(cmd_name).name
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from ihk.kinds import kind_choices

        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            ctx.fail(f"unbekannte Art „{args[0]}“; erlaubt: {kind_choices()}")
        return super().resolve_command(ctx, args)


add_app = typer.Typer(
    cls=_KindGroup,
    no_args_is_help=True,
    help="Einen neuen Eintrag anlegen und (allein) committen; je Art ein Unterbefehl.",
    short_help="Einen Eintrag anlegen: massnahme, gremium oder projekt.",
)
app.add_typer(add_app, name="add")


def _prompt(value: Any, label: str, option: str) -> Any:
    """The value given, or asked for on a terminal; without a terminal a usage error."""
    if value not in (None, ""):
        return value
    if not main.interactive():
        raise UsageError(f"{option} fehlt (ohne Terminal kann ich nicht nachfragen)")
    return typer.prompt(label)


def _prompt_ja_nein(value: Optional[bool], label: str, option: str) -> bool:
    if value is not None:
        return value
    while True:
        answer = str(_prompt(None, label, option)).strip().lower()
        if answer in ("ja", "j", "nein", "n"):
            return answer.startswith("j")
        console.err("Bitte „ja“ oder „nein“ eingeben.")


def _added(
    ws: Workspace,
    kind_name: str,
    fields: dict[str, Any],
    ident: Optional[str],
    trotzdem: bool,
    **kw: Any,
) -> None:
    from ihk.commands.records import add_record
    from ihk.errors import Similar
    from ihk.kinds import KINDS

    kind = KINDS[kind_name]
    try:
        written = add_record(ws, kind, fields, ident, despite_similar=trotzdem, **kw)
    except Similar as e:
        if not main.interactive():
            e.message += " – mit --trotzdem trotzdem anlegen"
            raise
        console.err(f"Hinweis: {e.message.removesuffix('; nichts angelegt')}")
        if not _prompt_ja_nein(None, "Trotzdem anlegen? (ja/nein)", "--trotzdem"):
            raise
        written = add_record(ws, kind, fields, ident, despite_similar=True, **kw)
    console.out(f"{kind.label} {written.id} angelegt: {written.shown}")
    _committed(written)


def _committed(written: Written) -> None:
    if written.commit:
        console.out(f"Commit {written.commit[:10]}")
    for warning in written.warnings:
        console.err(f"Warnung: {warning}")


def _kosten(text: Optional[str]) -> int | float | None:
    """The value of --kosten (already checked by its callback) as a number."""
    from ihk.vocab import zahl_aus_text

    return None if text is None else zahl_aus_text(text)


IdOption = Annotated[
    Optional[str], typer.Option("--id", metavar="ID", help="Kennung (sonst aus dem Titel).")
]
TitelOption = Annotated[Optional[str], typer.Option("--titel", help="Titel.")]
OberzielOption = Annotated[
    Optional[str], typer.Option("--oberziel", metavar="ID", help="Oberziel (Kennung aus ihk.yaml).")
]
TraegerOption = Annotated[
    Optional[list[str]],
    typer.Option("--traeger", metavar="TEXT", help="Träger/Beteiligte (mehrfach)."),
]
StbaufOption = Annotated[
    Optional[bool], typer.Option("--stbauf/--keine-stbauf", help="Städtebauförderung ja/nein.")
]
FoerderungOption = Annotated[
    Optional[list[str]],
    typer.Option("--foerderung", metavar="TEXT", help="Sonstige Finanzierung (mehrfach)."),
]
TrotzdemOption = Annotated[
    bool,
    typer.Option(
        "--trotzdem", help="Auch anlegen, wenn ein Eintrag mit sehr ähnlichem Titel existiert."
    ),
]
BeschreibungOption = Annotated[Optional[str], typer.Option("--beschreibung", help="Beschreibung.")]


@add_app.command("massnahme")
def add_massnahme(
    ident: IdOption = None,
    titel: TitelOption = None,
    oberziel: OberzielOption = None,
    ziel: Annotated[
        Optional[list[str]],
        typer.Option("--ziel", metavar="ID", help="Weiteres Ziel (mehrfach)."),
    ] = None,
    traeger: TraegerOption = None,
    stbauf: StbaufOption = None,
    foerderung: FoerderungOption = None,
    kosten: KostenOption = None,
    status: StateOption = None,
    aufgenommen: Annotated[
        Optional[str],
        typer.Option(metavar="JJJJ-MM", help="Aufnahme ins Konzept (Vorgabe: dieser Monat)."),
    ] = None,
    ort: Annotated[Optional[str], typer.Option(help="Ort.")] = None,
    beschreibung: BeschreibungOption = None,
    trotzdem: TrotzdemOption = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Eine Maßnahme (Zeile der IHK-Tabelle) anlegen (auch: measure)."""
    from ihk.commands.records import this_month

    ws = workspace()
    fields = {
        "titel": _prompt(titel, "Titel der Maßnahme", "--titel"),
        "oberziel": _prompt(oberziel, "Oberziel (Kennung)", "--oberziel"),
        "weitere_ziele": ziel,
        "traeger": traeger,
        "finanzierung.staedtebaufoerderung": _prompt_ja_nein(
            stbauf, "Städtebauförderung? (ja/nein)", "--stbauf/--keine-stbauf"
        ),
        "finanzierung.sonstige": foerderung,
        "finanzierung.kosten_eur": _kosten(kosten),
        "status": status or "in_planung",
        "aufgenommen": aufgenommen or this_month(),
        "ort": ort,
        "beschreibung": beschreibung,
    }
    _added(ws, "massnahme", fields, ident, trotzdem, commit=not no_commit, message=message)


@add_app.command("gremium")
def add_gremium(
    ident: IdOption = None,
    name: Annotated[Optional[str], typer.Option("--name", help="Name des Gremiums.")] = None,
    art: ArtOption = None,
    aufgabe: Annotated[Optional[str], typer.Option(help="Aufgabe des Gremiums.")] = None,
    gegruendet: Annotated[
        Optional[str], typer.Option(metavar="JJJJ-MM", help="Gründung des Gremiums.")
    ] = None,
    trotzdem: TrotzdemOption = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Ein Gremium (Rat, Beirat, Forum …) anlegen (auch: committee)."""
    from ihk.vocab import GREMIUM_ARTEN

    ws = workspace()
    fields = {
        "name": _prompt(name, "Name des Gremiums", "--name"),
        "art": art or _prompt(None, f"Art ({', '.join(GREMIUM_ARTEN)})", "--art"),
        "aufgabe": aufgabe,
        "gegruendet": gegruendet,
    }
    _added(ws, "gremium", fields, ident, trotzdem, commit=not no_commit, message=message)


@add_app.command("projekt")
def add_projekt(
    ident: IdOption = None,
    titel: TitelOption = None,
    oberziel: OberzielOption = None,
    programm: Annotated[Optional[str], typer.Option(help="Förderprogramm des Projekts.")] = None,
    massnahme: Annotated[
        Optional[list[str]],
        typer.Option(metavar="ID", help="Maßnahme, die das Projekt umsetzt (mehrfach)."),
    ] = None,
    traeger: TraegerOption = None,
    stbauf: StbaufOption = None,
    foerderung: FoerderungOption = None,
    kosten: KostenOption = None,
    status: StateOption = None,
    von: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit ab.")] = None,
    bis: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit bis.")] = None,
    beschreibung: BeschreibungOption = None,
    trotzdem: TrotzdemOption = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Ein Projekt anlegen, das Maßnahmen umsetzt (auch: project)."""
    ws = workspace()
    fields = {
        "titel": _prompt(titel, "Titel des Projekts", "--titel"),
        "oberziel": _prompt(oberziel, "Oberziel (Kennung)", "--oberziel"),
        "programm": programm,
        "massnahmen": massnahme,
        "traeger": traeger,
        "status": status or "in_planung",
        "laufzeit.von": von,
        "laufzeit.bis": bis,
        "finanzierung.staedtebaufoerderung": stbauf,
        "finanzierung.sonstige": foerderung,
        "finanzierung.kosten_eur": _kosten(kosten),
        "beschreibung": beschreibung,
    }
    _added(ws, "projekt", fields, ident, trotzdem, commit=not no_commit, message=message)


@app.command("set", short_help="Felder eines Eintrags ändern.")
def set_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Kennung oder ART/KENNUNG.")],
    assignments: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="FELD=WERT", help="FELD=WERT, FELD+=WERT (Liste), FELD-=WERT; FELD= entfernt."
        ),
    ] = None,
    note: Annotated[
        Optional[str],
        typer.Option(
            "--note", metavar="TEXT", help="Nachtrag anfügen (mit dem Monat von --monat)."
        ),
    ] = None,
    monat: MonatOption = None,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Felder eines Eintrags ändern; Kommentare und Layout bleiben erhalten."""
    from ihk.commands.records import set_fields
    from ihk.errors import Uncommitted
    from ihk.fields import describe

    if monat and not note:
        raise UsageError("--monat gilt für den Nachtrag: bitte auch --note TEXT angeben")
    try:
        written = set_fields(
            workspace(),
            ident,
            assignments or [],
            note,
            commit=not no_commit,
            message=message,
            month=monat,
        )
    except Uncommitted as e:
        e.message += " – oder mit --no-commit nur die Datei ändern"
        raise
    if not written.changed:
        console.out(f"{written.kind.label} {written.id}: keine Änderung")
        return
    lines = [f"{written.kind.label} {written.id} geändert: {written.shown}"]
    lines += [f"  {describe(change)}" for change in written.changes]
    console.out("\n".join(lines))
    _committed(written)


class ShowFormat(StrEnum):
    text = "text"
    yaml = "yaml"
    json = "json"


@app.command("show")
def show_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Kennung oder ART/KENNUNG.")],
    fmt: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            help="Ausgabeformat. yaml zeigt die Datei, wie sie ist – nur Steuerzeichen "
            "erscheinen maskiert (\\x1b); mit -o wird sie Byte für Byte kopiert.",
        ),
    ] = ShowFormat.text,
    output: OutputOption = None,
    register: RegisterOption = None,
) -> None:
    """Einen Eintrag zeigen."""
    from ihk.commands.records import show_record
    from ihk.errors import InvalidInput
    from ihk.fields import record_data

    ws = workspace()
    shown = show_record(ws, ident)
    if fmt == ShowFormat.yaml:
        text = shown.text
    elif shown.record is None:
        raise InvalidInput(f"{shown.kind.label} „{shown.id}“ ist ungültig", shown.problems)
    elif fmt == ShowFormat.json:
        text = console.dumps(
            {"art": shown.kind.name, "id": shown.id, "daten": record_data(shown.record)}
        )
    else:
        from ihk.cli.showtext import record_text

        text = record_text(shown.kind, shown.id, shown.record) + "\n"
    if output is None:
        console.out(text, json=fmt == ShowFormat.json)
    else:
        # a file is no terminal: the record file goes there byte for byte
        data = ws.path_of(shown.kind, shown.id).read_bytes() if fmt == ShowFormat.yaml else text
        for line in console.write_output(output, data):
            console.err(line)
        console.err(f"{shown.kind.label} {shown.id} geschrieben: {output}")
    if shown.problems:
        console.problems(shown.problems)
        if fmt == ShowFormat.yaml and any(not p.warning for p in shown.problems):
            raise typer.Exit(1)
