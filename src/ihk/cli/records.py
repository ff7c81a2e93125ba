"""ihk add KIND, ihk set, ihk show: one record at a time.

``add`` has one subcommand per kind, each with exactly its own options; the option
values are handed to ``commands.records.add_record`` as dotted field names, which
builds and orders the record.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from ihk.cli import completion, console, lookup, main, prompts
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    ArtOption,
    GoalOption,
    IdArgument,
    KostengruppeOption,
    KostenOption,
    Message,
    MonatOption,
    NoCommit,
    OutputOption,
    RegisterOption,
    StateOption,
    _choice,
)
from ihk.errors import UsageError
from ihk.vocab import INDIKATOR_ARTEN, RICHTUNGEN

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
    short_help="Einen Eintrag einer Art anlegen (massnahme, gremium …).",
)
app.add_typer(add_app, name="add")


def _missing(*given: tuple[Any, str]) -> bool:
    """Whether a required value is missing; without a terminal that is a usage error
    naming the first missing option."""
    missing = [option for value, option in given if value in (None, "")]
    if missing and not main.interactive():
        raise UsageError(f"{missing[0]} fehlt (ohne Terminal kann ich nicht nachfragen)")
    return bool(missing)


class _Dialogue:
    """What ``add`` asks on a terminal when required values are missing: each answer is
    checked at once; at the end the file is shown and written only after „ja“."""

    def __init__(self, ws: Workspace, kind_name: str, ident: Optional[str]) -> None:
        from ihk.kinds import KINDS

        self.ws = ws
        self.kind = KINDS[kind_name]
        self.ident = ident
        self.despite_similar = False

    def title(self, given: Optional[str], label: str, option: str) -> str:
        """The title (or name), checked: it gives an id that is free, and it is not
        very close to an existing record's (or the user wants it anyway)."""
        if self.ident and os.path.lexists(self.ws.path_of(self.kind, self.ident)):
            from ihk.errors import Refused

            shown = self.ws.shown(self.kind, self.ident)
            raise Refused(
                f"{self.kind.label} „{self.ident}“ gibt es schon ({shown}); nichts geändert"
            )
        if given:
            hint = self._title_hint(given)
            if hint is None:
                return given
            console.err(f"{label} „{given}“: {hint}")
        return prompts.text(label, option, check=self._title_hint)

    def _title_hint(self, title: str) -> Optional[str]:
        from ihk.commands.records import similar_records, slug

        kind = self.kind
        other = "einen anderen Namen" if kind.title_field == "name" else "einen anderen Titel"
        ident = self.ident or slug(title)
        if not ident:
            return f"Aus „{title}“ lässt sich keine Kennung bilden; bitte mit Buchstaben."
        if os.path.lexists(self.ws.path_of(kind, ident)):
            return (
                f"{kind.label} „{ident}“ gibt es schon ({self.ws.shown(kind, ident)}); "
                f"bitte {other}."
            )
        close = similar_records(self.ws, kind, title)
        if close and not self.despite_similar:
            listed = ", ".join(f"{i} („{t}“)" for i, t in close)
            console.err(f"Hinweis: {kind.label} „{title}“ ähnelt dem Vorhandenen: {listed}")
            if not prompts.confirm("Trotzdem so anlegen?", "--trotzdem"):
                return f"Dann bitte {other}."
            self.despite_similar = True
        return None

    def goal(self) -> str:
        """The Oberziel, offered as the numbered goal catalogue of ihk.yaml."""
        goals = lookup.goals(self.ws.root)
        if not goals:
            return prompts.text("Oberziel (Kennung)", "--oberziel")
        return prompts.pick("Oberziel", "--oberziel", goals)

    def state(self) -> str:
        from ihk.vocab import STATES, STATUS, state_named

        choices = [(s, STATUS[s].legende) for s in STATES]
        return prompts.pick(
            "Umsetzungsstand",
            "--status",
            choices,
            default=STATES[0],
            named=state_named,
            how="Nummer oder Name",
        )

    def art(self) -> str:
        from ihk.vocab import GREMIUM_ARTEN

        choices = [(a, a.capitalize()) for a in GREMIUM_ARTEN]
        return prompts.pick("Art des Gremiums", "--art", choices, how="Nummer oder Name")

    def confirmed(self, fields: dict[str, Any]) -> bool:
        """Show the file as it would be written and ask „Anlegen?“."""
        from ihk.commands.records import slug

        title = str(fields.get(self.kind.title_field) or "")
        shown = self.ws.shown(self.kind, self.ident or slug(title))
        console.err(f"\nSo wird {shown} angelegt:")
        for line in _new_file_text(self.ws, self.kind.name, fields).splitlines():
            console.err(f"  {line}")
        return prompts.confirm("Anlegen?", "--titel")


def _new_file_text(ws: Workspace, kind_name: str, fields: dict[str, Any]) -> str:
    """The text ``commands.records.add_record`` writes for ``fields``."""
    from ihk.commands.records import new_record_text, with_modeline
    from ihk.kinds import KINDS

    kind = KINDS[kind_name]
    return with_modeline(ws, kind, new_record_text(kind, fields))


def _added(
    ws: Workspace,
    kind_name: str,
    fields: dict[str, Any],
    ident: Optional[str],
    trotzdem: bool,
    dialogue: Optional[_Dialogue] = None,
    **kw: Any,
) -> None:
    from ihk.commands.records import add_record
    from ihk.errors import Similar
    from ihk.kinds import KINDS

    kind = KINDS[kind_name]
    if dialogue is not None:
        if not dialogue.confirmed(fields):
            console.err("Nicht angelegt; nichts geschrieben.")
            raise typer.Exit(1)
        trotzdem = trotzdem or dialogue.despite_similar
    try:
        written = add_record(ws, kind, fields, ident, despite_similar=trotzdem, **kw)
    except Similar as e:
        if not main.interactive():
            e.message += " – mit --trotzdem trotzdem anlegen"
            raise
        console.err(f"Hinweis: {e.message.removesuffix('; nichts angelegt')}")
        if not prompts.confirm("Trotzdem anlegen?", "--trotzdem"):
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
    oberziel: GoalOption = None,
    ziel: Annotated[
        Optional[list[str]],
        typer.Option(
            "--ziel",
            metavar="ID",
            help="Weiteres Ziel (mehrfach).",
            autocompletion=completion.goals,
        ),
    ] = None,
    traeger: TraegerOption = None,
    stbauf: StbaufOption = None,
    foerderung: FoerderungOption = None,
    kosten: KostenOption = None,
    kostengruppe: KostengruppeOption = None,
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
    """Eine Maßnahme (Zeile der IHK-Tabelle) anlegen (auch: measure).

    Fehlen Titel, Oberziel oder Städtebauförderung, fragt ihk im Terminal nach (auch nach
    Träger und Finanzierung), zeigt die Datei und legt sie erst nach „ja“ an.
    """
    from ihk.commands.records import this_month

    ws = workspace()
    amount = _kosten(kosten)
    asked = None
    if _missing((titel, "--titel"), (oberziel, "--oberziel"), (stbauf, "--stbauf/--keine-stbauf")):
        asked = _Dialogue(ws, "massnahme", ident)
        titel = asked.title(titel, "Titel der Maßnahme", "--titel")
        oberziel = oberziel or asked.goal()
        status = status or asked.state()
        traeger = traeger or prompts.several("Träger/Beteiligte", "--traeger")
        if stbauf is None:
            stbauf = prompts.confirm("Städtebauförderung?", "--stbauf/--keine-stbauf")
        foerderung = foerderung or prompts.several("Sonstige Finanzierung", "--foerderung")
        if amount is None:
            amount = prompts.number("Kosten in Euro", "--kosten")
    fields = {
        "titel": titel,
        "oberziel": oberziel,
        "weitere_ziele": ziel,
        "traeger": traeger,
        "finanzierung.staedtebaufoerderung": stbauf,
        "finanzierung.sonstige": foerderung,
        "finanzierung.kosten_eur": amount,
        "finanzierung.kostengruppe": kostengruppe,
        "status": status or "in_planung",
        "aufgenommen": aufgenommen or this_month(),
        "ort": ort,
        "beschreibung": beschreibung,
    }
    _added(ws, "massnahme", fields, ident, trotzdem, asked, commit=not no_commit, message=message)


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
    """Ein Gremium (Rat, Beirat, Forum …) anlegen (auch: committee).

    Fehlen Name oder Art, fragt ihk im Terminal nach, zeigt die Datei und legt sie erst
    nach „ja“ an.
    """
    ws = workspace()
    asked = None
    if _missing((name, "--name"), (art, "--art")):
        asked = _Dialogue(ws, "gremium", ident)
        name = asked.title(name, "Name des Gremiums", "--name")
        art = art or asked.art()
    fields = {"name": name, "art": art, "aufgabe": aufgabe, "gegruendet": gegruendet}
    _added(ws, "gremium", fields, ident, trotzdem, asked, commit=not no_commit, message=message)


@add_app.command("projekt")
def add_projekt(
    ident: IdOption = None,
    titel: TitelOption = None,
    oberziel: GoalOption = None,
    programm: Annotated[Optional[str], typer.Option(help="Förderprogramm des Projekts.")] = None,
    massnahme: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="ID",
            help="Maßnahme, die das Projekt umsetzt (mehrfach).",
            autocompletion=completion.measures,
        ),
    ] = None,
    traeger: TraegerOption = None,
    stbauf: StbaufOption = None,
    foerderung: FoerderungOption = None,
    kosten: KostenOption = None,
    kostengruppe: KostengruppeOption = None,
    status: StateOption = None,
    von: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit ab.")] = None,
    bis: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit bis.")] = None,
    beschreibung: BeschreibungOption = None,
    trotzdem: TrotzdemOption = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Ein Projekt anlegen, das Maßnahmen umsetzt (auch: project).

    Fehlen Titel oder Oberziel, fragt ihk im Terminal nach (auch nach Träger und
    Finanzierung), zeigt die Datei und legt sie erst nach „ja“ an.
    """
    ws = workspace()
    amount = _kosten(kosten)
    asked = None
    if _missing((titel, "--titel"), (oberziel, "--oberziel")):
        asked = _Dialogue(ws, "projekt", ident)
        titel = asked.title(titel, "Titel des Projekts", "--titel")
        oberziel = oberziel or asked.goal()
        status = status or asked.state()
        traeger = traeger or prompts.several("Träger", "--traeger")
        if stbauf is None:
            stbauf = prompts.yes_no(
                "Städtebauförderung? (ja/nein, leer: keine Angabe)",
                "--stbauf/--keine-stbauf",
                empty=False,
            )
            stbauf = stbauf or None  # "nein" is the default of a project: not written
        foerderung = foerderung or prompts.several("Sonstige Finanzierung", "--foerderung")
        if amount is None:
            amount = prompts.number("Kosten in Euro", "--kosten")
    fields = {
        "titel": titel,
        "oberziel": oberziel,
        "programm": programm,
        "massnahmen": massnahme,
        "traeger": traeger,
        "status": status or "in_planung",
        "laufzeit.von": von,
        "laufzeit.bis": bis,
        "finanzierung.staedtebaufoerderung": stbauf,
        "finanzierung.sonstige": foerderung,
        "finanzierung.kosten_eur": amount,
        "finanzierung.kostengruppe": kostengruppe,
        "beschreibung": beschreibung,
    }
    _added(ws, "projekt", fields, ident, trotzdem, asked, commit=not no_commit, message=message)


def _ask(value: Optional[str], label: str, option: str) -> Optional[str]:
    """The value given, or asked for on a terminal (without one: a usage error)."""
    return value if value not in (None, "") else prompts.text(label, option)


def _german_number(value: Optional[str], option: str) -> Optional[float]:
    from ihk.vocab import zahl_aus_text

    if value is None:
        return None
    try:
        return zahl_aus_text(value)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=option) from None


def _year(value: Optional[str], option: str) -> Optional[int]:
    import re

    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{4}", value):
        raise typer.BadParameter(f"„{value}“ ist kein Jahr (vier Ziffern)", param_hint=option)
    return int(value)


@add_app.command("indikator")
def add_indikator(
    ident: IdOption = None,
    titel: TitelOption = None,
    oberziel: GoalOption = None,
    art: Annotated[
        Optional[str],
        typer.Option(
            "--art",
            metavar="ART",
            help="kontext, ergebnis oder output.",
            callback=_choice(INDIKATOR_ARTEN),
        ),
    ] = None,
    richtung: Annotated[
        Optional[str],
        typer.Option(
            "--richtung",
            metavar="RICHTUNG",
            help="Welche Richtung gut ist: steigen oder sinken.",
            callback=_choice(RICHTUNGEN),
        ),
    ] = None,
    einheit: Annotated[Optional[str], typer.Option(help="Einheit, z. B. % oder Personen.")] = None,
    quelle: Annotated[Optional[str], typer.Option(help="Woher die Werte kommen.")] = None,
    massnahme: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="ID",
            help="Maßnahme, die den Indikator bewegen soll (mehrfach).",
            autocompletion=completion.measures,
        ),
    ] = None,
    basis_jahr: Annotated[
        Optional[str], typer.Option(metavar="JAHR", help="Jahr des Basiswerts.")
    ] = None,
    basis_wert: Annotated[
        Optional[str], typer.Option(metavar="WERT", help="Basiswert (21,5).")
    ] = None,
    ziel_jahr: Annotated[Optional[str], typer.Option(metavar="JAHR", help="Zieljahr.")] = None,
    ziel_wert: Annotated[Optional[str], typer.Option(metavar="WERT", help="Zielwert.")] = None,
    beschreibung: BeschreibungOption = None,
    trotzdem: TrotzdemOption = False,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Einen Indikator anlegen (auch: indicator).

    Fehlende Pflichtangaben fragt ihk im Terminal nach; Zahlen deutsch (21,5; 1.200).
    """
    ws = workspace()
    fields = {
        "titel": _ask(titel, "Titel des Indikators", "--titel"),
        "oberziel": _ask(oberziel, "Oberziel (Kennung)", "--oberziel"),
        "art": _ask(art, "Art (kontext, ergebnis, output)", "--art"),
        "richtung": _ask(richtung, "Gute Richtung (steigen, sinken)", "--richtung"),
        "einheit": einheit,
        "quelle": quelle,
        "massnahmen": massnahme,
        "basis.jahr": _year(
            _ask(basis_jahr, "Jahr des Basiswerts", "--basis-jahr"), "--basis-jahr"
        ),
        "basis.wert": _german_number(_ask(basis_wert, "Basiswert", "--basis-wert"), "--basis-wert"),
        "ziel.jahr": _year(_ask(ziel_jahr, "Zieljahr", "--ziel-jahr"), "--ziel-jahr"),
        "ziel.wert": _german_number(_ask(ziel_wert, "Zielwert", "--ziel-wert"), "--ziel-wert"),
        "beschreibung": beschreibung,
    }
    _added(ws, "indikator", fields, ident, trotzdem, None, commit=not no_commit, message=message)


@app.command("set", short_help="Felder eines Eintrags ändern.")
def set_cmd(
    ident: IdArgument,
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
    ident: IdArgument,
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
