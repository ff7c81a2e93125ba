"""ihk init, ihk validate, ihk status: the register as a whole."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ihk.cli import completion, console
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    FormatOption,
    GoalFilter,
    NoCacheOption,
    RegisterOption,
    ReportFormat,
    ReportFormatOption,
    StandOption,
    StateFilter,
    TextJson,
)


@app.command("init", short_help="Neues Register anlegen (mit git und erstem Commit).")
def init_cmd(
    path: Annotated[Path, typer.Argument(metavar="PFAD", help="Ordner des neuen Registers.")],
    gebiet: Annotated[Optional[str], typer.Option(help="Name des Programmgebiets.")] = None,
    gemeinde: Annotated[Optional[str], typer.Option(help="Stadt oder Gemeinde.")] = None,
    programm: Annotated[str, typer.Option(help="Förderprogramm.")] = "Sozialer Zusammenhalt",
) -> None:
    """Neues Register anlegen: ihk.yaml mit den acht Leitzielen, git-Repository, erster Commit."""
    from ihk.commands.init import init_register

    name = gebiet or path.resolve().name
    init_register(path, name, gemeinde or name, programm)
    console.out(f"Register angelegt: {path / 'ihk.yaml'}")


@app.command("validate", short_help="Alle Dateien und Verweise prüfen.")
def validate_cmd(
    fmt: FormatOption = TextJson.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler werten.")] = False,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Jede Datei und jeden Verweis prüfen; endet mit einer Zusammenfassung."""
    from ihk.commands.validate import validate_register

    result = validate_register(workspace(), strict)
    if fmt == TextJson.json:
        console.out_json(result.as_json())
    else:
        console.problems(result.problems, to_stdout=True)
        console.out(result.summary())
    if not result.ok:
        raise typer.Exit(1)


@app.command("status", short_help="Stand der Maßnahmen nach Oberzielen zeigen.")
def status_cmd(
    oberziel: GoalFilter = None,
    status: StateFilter = None,
    traeger: Annotated[
        Optional[str],
        typer.Option(metavar="TEXT", help="Nur Einträge mit diesem Träger (Teiltext)."),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="ART",
            help="measure, project oder all (massnahme, projekt).",
            autocompletion=completion.status_kinds,
        ),
    ] = "measure",
    fmt: ReportFormatOption = ReportFormat.table,
    stand: StandOption = None,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Stand der Maßnahmen (oder Projekte) nach Oberzielen, farbig wie in der IHK-Legende."""
    from ihk.commands.status import register_at, status_kinds, status_report

    kinds = status_kinds(kind)
    loaded, at = register_at(workspace(), stand)
    report = status_report(
        loaded, kinds, oberziel, status, traeger, at, indicators=kind.strip().lower() == "all"
    )
    if fmt == ReportFormat.json:
        console.out_json(report.as_json())
    elif fmt == ReportFormat.csv:
        console.out(console.status_csv(report))
    elif fmt == ReportFormat.markdown:
        console.out(console.status_markdown(report))
    else:
        console.status_table(report)
    console.fail_if_broken(loaded)
