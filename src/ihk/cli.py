"""The command line: parses arguments, calls one command function, prints its result.

This is the only module that prints or exits, and the one place where ``IhkError`` is
mapped to exit codes (``_boundary``).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from ihk import __version__
from ihk.i18n import german_help

if TYPE_CHECKING:
    from ihk.workspace import Workspace

german_help()

app = typer.Typer(
    name="ihk",
    help="Das Integrierte Handlungskonzept (IHK) eines Fördergebiets als Register in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def _boundary(func: F) -> F:
    """Map every IhkError to its message and exit code; hide tracebacks unless IHK_DEBUG."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ihk.errors import IhkError

        try:
            return func(*args, **kwargs)
        except IhkError as e:
            from ihk import console

            console.problems(e.problems)
            console.err(f"Fehler: {e.message}")
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except OSError as e:  # a folder without write permission, a full disk, ...
            where = f"{e.filename}: " if e.filename else ""
            sys.stderr.write(f"Fehler: {where}{e.strerror or e}\n")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            sys.stderr.write("Abgebrochen.\n")
            raise typer.Exit(130) from None
        except Exception as e:
            if os.environ.get("IHK_DEBUG"):
                raise
            sys.stderr.write(
                f"Unerwarteter Fehler: {type(e).__name__}: {e}\n"
                "Das ist ein Fehler in ihk. Mit IHK_DEBUG=1 erscheinen die Einzelheiten.\n"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


class _State:
    register: Optional[str] = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ihk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    register: Annotated[
        Optional[str],
        typer.Option(
            "--register",
            metavar="PFAD",
            help="Ordner des Registers (sonst IHK_REGISTER, dann die nächste ihk.yaml "
            "hier oder darüber, dann ./register/).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Version zeigen und beenden."
        ),
    ] = False,
) -> None:
    _State.register = register


def _workspace() -> Workspace:
    from ihk.register import find_root
    from ihk.workspace import Workspace

    return Workspace(find_root(_State.register))


class TextJson(StrEnum):
    text = "text"
    json = "json"


class StatusFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    yaml = "yaml"
    json = "json"


class KindChoice(StrEnum):
    measure = "measure"
    project = "project"
    all = "all"
    massnahme = "massnahme"
    projekt = "projekt"


class StatusChoice(StrEnum):
    in_planung = "in_planung"
    in_umsetzung = "in_umsetzung"
    abgeschlossen = "abgeschlossen"
    nicht_umgesetzt = "nicht_umgesetzt"


class ArtChoice(StrEnum):
    rat = "rat"
    ausschuss = "ausschuss"
    beirat = "beirat"
    forum = "forum"
    arbeitsgruppe = "arbeitsgruppe"
    lenkungsgruppe = "lenkungsgruppe"
    sonstiges = "sonstiges"


FormatOption = Annotated[TextJson, typer.Option("--format", help="Ausgabeformat.")]
NoCommit = Annotated[
    bool, typer.Option("--no-commit", help="Nur die Datei schreiben, nichts committen.")
]
Message = Annotated[
    Optional[str], typer.Option("-m", "--message", metavar="TEXT", help="Eigene Commit-Nachricht.")
]

# --------------------------------------------------------------------------- init


@app.command("init")
@_boundary
def init_cmd(
    path: Annotated[Path, typer.Argument(metavar="PFAD", help="Ordner des neuen Registers.")],
    gebiet: Annotated[Optional[str], typer.Option(help="Name des Programmgebiets.")] = None,
    gemeinde: Annotated[Optional[str], typer.Option(help="Stadt oder Gemeinde.")] = None,
    programm: Annotated[str, typer.Option(help="Förderprogramm.")] = "Sozialer Zusammenhalt",
) -> None:
    """Neues Register anlegen: ihk.yaml mit den acht Leitzielen, git-Repository, erster Commit."""
    from ihk.commands.init import init_register

    name = gebiet or path.resolve().name
    committed = init_register(path, name, gemeinde or name, programm)
    typer.echo(f"Register angelegt: {path / 'ihk.yaml'}")
    if not committed:
        typer.echo(
            "Hinweis: nichts committet, weil git Ihren Namen nicht kennt "
            "(git config --global user.name/user.email).",
            err=True,
        )


# ----------------------------------------------------------------------- validate


@app.command("validate")
@_boundary
def validate_cmd(
    fmt: FormatOption = TextJson.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler werten.")] = False,
) -> None:
    """Jede Datei und jeden Verweis prüfen; endet mit einer Zusammenfassung."""
    from ihk import console

    ws = _workspace()
    register = ws.load()
    errors, warnings = len(register.errors), len(register.warnings)
    counts = {kind: len(entries) for kind, entries in register.entries.items()}
    ok = errors == 0 and (not strict or warnings == 0)
    if fmt == TextJson.json:
        console.out(
            console.dumps(
                {
                    "gueltig": ok,
                    "fehler": errors,
                    "warnungen": warnings,
                    "eintraege": counts,
                    "probleme": [
                        {
                            "pfad": p.location.path,
                            "zeile": p.location.line,
                            "spalte": p.location.col,
                            "meldung": p.message,
                            "warnung": p.warning,
                        }
                        for p in register.problems
                    ],
                }
            )
        )
    else:
        console.problems(register.problems, sys.stdout)
        summary = (
            f"{console.count(counts['massnahme'], 'Maßnahme', 'Maßnahmen')}, "
            f"{console.count(counts['gremium'], 'Gremium', 'Gremien')}, "
            f"{console.count(counts['projekt'], 'Projekt', 'Projekte')}; "
            f"{errors} Fehler, {console.count(warnings, 'Warnung', 'Warnungen')}"
        )
        verdict = "Register gültig" if ok else "Register ungültig"
        if strict and errors == 0 and warnings:
            verdict += " (--strict: Warnungen zählen als Fehler)"
        console.out(f"{verdict}: {summary}")
    if not ok:
        raise typer.Exit(1)


# ------------------------------------------------------------------------- status


@app.command("status")
@_boundary
def status_cmd(
    oberziel: Annotated[
        Optional[str], typer.Option(metavar="ID", help="Nur dieses Oberziel.")
    ] = None,
    status: Annotated[Optional[StatusChoice], typer.Option(help="Nur dieser Stand.")] = None,
    traeger: Annotated[
        Optional[str],
        typer.Option(metavar="TEXT", help="Nur Einträge mit diesem Träger (Teiltext)."),
    ] = None,
    kind: Annotated[KindChoice, typer.Option("--kind", help="Maßnahmen, Projekte oder beides.")] = (
        KindChoice.measure
    ),
    fmt: Annotated[
        StatusFormat, typer.Option("--format", help="Ausgabeformat.")
    ] = StatusFormat.table,
) -> None:
    """Stand der Maßnahmen (oder Projekte) nach Oberzielen, farbig wie in der IHK-Legende."""
    from ihk import console
    from ihk.commands.status import status_report

    register = _workspace().load()
    kind_name = {"measure": "massnahme", "project": "projekt"}.get(kind.value, kind.value)
    report = status_report(register, kind_name, oberziel, status.value if status else None, traeger)
    if fmt == StatusFormat.json:
        console.out(console.dumps(report.as_json()))
    elif fmt == StatusFormat.csv:
        sys.stdout.write(console.status_csv(report))
    elif fmt == StatusFormat.markdown:
        sys.stdout.write(console.status_markdown(report))
    else:
        console.status_table(report)
    if register.errors:
        console.problems(register.errors)
        broken = len(register.broken)
        console.err(
            f"Fehler: das Register hat {len(register.errors)} Fehler"
            + (f" ({broken} Dateien nicht gelesen)" if broken else "")
            + "; „ihk validate“ zeigt alle"
        )
        raise typer.Exit(1)


# ---------------------------------------------------------------------------- add


def _interactive() -> bool:
    return sys.stdin.isatty()


def _prompt(value: Any, label: str, option: str, **kwargs: Any) -> Any:
    if value not in (None, ""):
        return value
    if not _interactive():
        sys.stderr.write(f"Fehler: {option} fehlt (ohne Terminal kann ich nicht nachfragen)\n")
        raise typer.Exit(2)
    return typer.prompt(label, **kwargs)


def _prompt_ja_nein(label: str, option: str) -> bool:
    while True:
        answer = str(_prompt(None, label, option)).strip().lower()
        if answer in ("ja", "j", "nein", "n"):
            return answer.startswith("j")
        typer.echo("Bitte „ja“ oder „nein“ eingeben.", err=True)


@app.command("add")
@_boundary
def add_cmd(
    kind: Annotated[
        str,
        typer.Argument(metavar="ART", help="measure|committee|project (massnahme|gremium|projekt)"),
    ],
    ident: Annotated[
        Optional[str], typer.Option("--id", help="Kennung (sonst aus dem Titel).")
    ] = None,
    titel: Annotated[Optional[str], typer.Option(help="Titel (Maßnahme, Projekt).")] = None,
    name: Annotated[Optional[str], typer.Option(help="Name (Gremium).")] = None,
    oberziel: Annotated[
        Optional[str], typer.Option(metavar="ID", help="Oberziel (Kennung aus ihk.yaml).")
    ] = None,
    ziel: Annotated[
        Optional[list[str]], typer.Option(metavar="ID", help="Weiteres Ziel (mehrfach).")
    ] = None,
    traeger: Annotated[
        Optional[list[str]], typer.Option(metavar="TEXT", help="Träger/Beteiligte (mehrfach).")
    ] = None,
    stbauf: Annotated[
        Optional[bool], typer.Option("--stbauf/--keine-stbauf", help="Städtebauförderung ja/nein.")
    ] = None,
    foerderung: Annotated[
        Optional[list[str]], typer.Option(metavar="TEXT", help="Sonstige Finanzierung (mehrfach).")
    ] = None,
    kosten: Annotated[
        Optional[float], typer.Option(metavar="EUR", help="Geplante Kosten in Euro.")
    ] = None,
    status: Annotated[
        Optional[StatusChoice], typer.Option(help="Stand (Vorgabe: in_planung).")
    ] = None,
    aufgenommen: Annotated[
        Optional[str],
        typer.Option(metavar="JJJJ-MM", help="Aufnahme ins Konzept (Vorgabe: dieser Monat)."),
    ] = None,
    ort: Annotated[Optional[str], typer.Option(help="Ort.")] = None,
    beschreibung: Annotated[Optional[str], typer.Option(help="Beschreibung.")] = None,
    art: Annotated[Optional[ArtChoice], typer.Option(help="Art des Gremiums.")] = None,
    aufgabe: Annotated[Optional[str], typer.Option(help="Aufgabe des Gremiums.")] = None,
    gegruendet: Annotated[
        Optional[str], typer.Option(metavar="JJJJ-MM", help="Gründung des Gremiums.")
    ] = None,
    programm: Annotated[Optional[str], typer.Option(help="Förderprogramm des Projekts.")] = None,
    massnahme: Annotated[
        Optional[list[str]],
        typer.Option(metavar="ID", help="Maßnahme, die das Projekt umsetzt (mehrfach)."),
    ] = None,
    von: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit ab.")] = None,
    bis: Annotated[Optional[str], typer.Option(metavar="JJJJ-MM", help="Laufzeit bis.")] = None,
    no_commit: NoCommit = False,
    message: Message = None,
) -> None:
    """Einen neuen Eintrag anlegen und (allein) committen."""
    from ihk.commands.records import add_record, this_month
    from ihk.kinds import kind_named

    k = kind_named(kind)
    ws = _workspace()
    values: dict[str, Any]
    if k.name == "massnahme":
        values = {
            "titel": _prompt(titel, "Titel der Maßnahme", "--titel"),
            "oberziel": _prompt(oberziel, "Oberziel (Kennung)", "--oberziel"),
            "weitere_ziele": ziel or [],
            "traeger": traeger or [],
            "finanzierung": {
                "staedtebaufoerderung": stbauf
                if stbauf is not None
                else _prompt_ja_nein("Städtebauförderung? (ja/nein)", "--stbauf/--keine-stbauf"),
                "sonstige": foerderung or [],
                "kosten_eur": kosten,
            },
            "status": status.value if status else "in_planung",
            "aufgenommen": aufgenommen or this_month(),
            "ort": ort,
            "beschreibung": beschreibung,
        }
    elif k.name == "gremium":
        values = {
            "name": _prompt(name, "Name des Gremiums", "--name"),
            "art": art.value
            if art
            else _prompt(None, "Art (rat, ausschuss, beirat, forum, …)", "--art"),
            "aufgabe": aufgabe,
            "gegruendet": gegruendet,
        }
    else:
        values = {
            "titel": _prompt(titel, "Titel des Projekts", "--titel"),
            "oberziel": _prompt(oberziel, "Oberziel (Kennung)", "--oberziel"),
            "programm": programm,
            "massnahmen": massnahme or [],
            "traeger": traeger or [],
            "status": status.value if status else "in_planung",
            "laufzeit": {"von": von, "bis": bis},
            "finanzierung": {
                "staedtebaufoerderung": stbauf,
                "sonstige": foerderung or [],
                "kosten_eur": kosten,
            },
            "beschreibung": beschreibung,
        }
    written = add_record(ws, k, values, ident, commit=not no_commit, message=message)
    typer.echo(f"{k.label} {written.id} angelegt: {written.shown}")
    if written.commit:
        typer.echo(f"Commit {written.commit[:10]}")


# ---------------------------------------------------------------------------- set


@app.command("set")
@_boundary
def set_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Kennung oder ART/KENNUNG.")],
    assignments: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="FELD=WERT…", help="FELD=WERT, FELD+=WERT (Liste), FELD-=WERT; FELD= entfernt."
        ),
    ] = None,
    note: Annotated[
        Optional[str],
        typer.Option("--note", metavar="TEXT", help="Nachtrag mit dem aktuellen Monat anfügen."),
    ] = None,
    no_commit: NoCommit = False,
    message: Message = None,
) -> None:
    """Felder eines Eintrags ändern; Kommentare und Layout bleiben erhalten."""
    from ihk.commands.records import set_fields
    from ihk.fields import describe

    written = set_fields(
        _workspace(), ident, assignments or [], note, commit=not no_commit, message=message
    )
    if not written.changed:
        typer.echo(f"{written.kind.label} {written.id}: keine Änderung")
        return
    typer.echo(f"{written.kind.label} {written.id} geändert: {written.shown}")
    for change in written.changes:
        typer.echo(f"  {describe(change)}")
    if written.commit:
        typer.echo(f"Commit {written.commit[:10]}")


# --------------------------------------------------------------------------- show


@app.command("show")
@_boundary
def show_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Kennung oder ART/KENNUNG.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Ausgabeformat.")] = ShowFormat.text,
) -> None:
    """Einen Eintrag zeigen."""
    from ihk import console
    from ihk.commands.records import show_record
    from ihk.errors import InvalidInput
    from ihk.fields import record_data

    shown = show_record(_workspace(), ident)
    if fmt == ShowFormat.yaml:
        sys.stdout.write(shown.text)
    elif shown.record is None:
        raise InvalidInput(f"{shown.kind.label} „{shown.id}“ ist ungültig", shown.problems)
    elif fmt == ShowFormat.json:
        console.out(
            console.dumps(
                {"art": shown.kind.name, "id": shown.id, "daten": record_data(shown.record)}
            )
        )
    else:
        from ihk.showtext import record_text

        console.out(record_text(shown.kind, shown.id, shown.record))
    if shown.problems:
        console.problems(shown.problems)
        if fmt == ShowFormat.yaml and any(not p.warning for p in shown.problems):
            raise typer.Exit(1)


# ---------------------------------------------------------------------------- log


@app.command("log")
@_boundary
def log_cmd(
    ident: Annotated[
        Optional[str], typer.Argument(metavar="[ID]", help="Nur die Geschichte dieses Eintrags.")
    ] = None,
    fmt: FormatOption = TextJson.text,
) -> None:
    """Die Geschichte des Registers (oder eines Eintrags) aus git."""
    from ihk import console
    from ihk.commands.history import history

    entries = history(_workspace(), ident)
    if fmt == TextJson.json:
        console.out(console.dumps([e.as_json() for e in entries]))
        return
    from ihk.showtext import log_text

    text = log_text(entries)
    if text:
        console.out(text)


# ----------------------------------------------------------------- fortschreibung


class DocFormat(StrEnum):
    markdown = "markdown"
    json = "json"


@app.command("fortschreibung")
@_boundary
def fortschreibung_cmd(
    bereich: Annotated[
        str,
        typer.Argument(
            metavar="VON..BIS",
            help="Zwei Stände: Jahr (Tag stand-JJJJ, sonst letzter Commit des Jahres), "
            "git-Revision, oder leeres BIS für den Arbeitsstand (2005..).",
        ),
    ],
    fmt: Annotated[DocFormat, typer.Option("--format", help="Ausgabeformat.")] = DocFormat.markdown,
    template: Annotated[
        Optional[Path], typer.Option("--template", metavar="DATEI", help="Eigene jinja2-Vorlage.")
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("-o", "--output", metavar="DATEI", help="In diese Datei schreiben."),
    ] = None,
) -> None:
    """Die Fortschreibung: was sich zwischen zwei Ständen geändert hat, als Markdown-Dokument."""
    from ihk import console
    from ihk.commands.fortschreibung import fortschreibung_data, fortschreibung_markdown

    ws = _workspace()
    data = fortschreibung_data(ws, bereich)
    if fmt == DocFormat.json:
        text = console.dumps(data)
    else:
        text = fortschreibung_markdown(ws, data, template)
    if output is None:
        sys.stdout.write(text)
        return
    from ihk.writer import atomic_write

    atomic_write(output, text)
    typer.echo(f"Fortschreibung geschrieben: {output}", err=True)


# -------------------------------------------------------------------------- stand


@app.command("stand")
@_boundary
def stand_cmd(
    jahr: Annotated[str, typer.Argument(metavar="JAHR", help="Jahr des Stands, z. B. 2006.")],
    message: Message = None,
) -> None:
    """Den aktuellen Commit als Stand eines Jahres festhalten (Tag stand-JAHR)."""
    from ihk.commands.fortschreibung import tag_stand

    sha = tag_stand(_workspace(), jahr, message)
    typer.echo(f"Stand {jahr} festgehalten: Tag stand-{jahr} auf {sha[:10]}")


# --------------------------------------------------------------------------- demo


@app.command("demo")
@_boundary
def demo_cmd(
    path: Annotated[
        Path, typer.Argument(metavar="PFAD", help="Neuer Ordner für das Demo-Register.")
    ],
) -> None:
    """Ein Demo-Register mit der Geschichte von Belm-Powe, Dez. 2001 bis Dez. 2006, anlegen."""
    from ihk.demo import build_demo

    result = build_demo(path)
    typer.echo(
        f"Demo-Register angelegt: {path} ({result.commits} Commits, Stände {', '.join(result.tags)})"
    )
    typer.echo(f"Zum Ausprobieren: ihk --register {path} fortschreibung 2005..2006")


def run() -> None:
    app()
