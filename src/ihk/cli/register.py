"""ihk init, ihk validate, ihk status: the register as a whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ihk.cli import console
from ihk.cli.main import app, workspace

if TYPE_CHECKING:
    from ihk.commands.validate import Validation
    from ihk.workspace import Workspace

from ihk.cli.options import (
    GoalFilter,
    Message,
    NoCacheOption,
    NoCommit,
    RegisterOption,
    ReportFormat,
    ReportFormatOption,
    ReportKindOption,
    StandOption,
    StateFilter,
    ValidateFormat,
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
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="Ausgabeformat: text, json, github (Anmerkungen in GitHub Actions), sarif "
            "(SARIF 2.1.0, z. B. für GitHub Code Scanning), gitlab (Code-Quality-Bericht).",
        ),
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler werten.")] = False,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Jede Datei und jeden Verweis prüfen; endet mit einer Zusammenfassung.

    Für CI nennen github, sarif und gitlab die Dateien relativ zum Wurzelordner des
    git-Repositorys (das Register darf ein Unterordner sein)."""
    from ihk.commands.validate import validate_register

    ws = workspace()
    result = validate_register(ws, strict)
    if fmt == ValidateFormat.json:
        console.out_json(result.as_json())
    elif fmt == ValidateFormat.text:
        console.problems(result.problems, to_stdout=True)
        console.out(result.summary())
    else:
        _ci_report(ws, result, fmt)
    if not result.ok:
        raise typer.Exit(1)


def _ci_report(ws: Workspace, result: Validation, fmt: ValidateFormat) -> None:
    from ihk.commands.validate import repo_paths

    path, top = repo_paths(ws)
    if fmt == ValidateFormat.github:
        from ihk.github import workflow_commands

        for line in workflow_commands(result.problems, path, result.strict):
            console.out(line)
        console.out(result.summary())
    elif fmt == ValidateFormat.sarif:
        from ihk import __version__
        from ihk.sarif import log

        console.out_json(
            log(result.problems, path, version=__version__, root=top, strict=result.strict)
        )
        console.err(result.summary())
    else:
        from ihk.codequality import report

        console.out_json(report(result.problems, path, result.strict))
        console.err(result.summary())


@app.command("schema", short_help="JSON-Schemas für Editoren schreiben (.ihk/schema).")
def schema_cmd(
    folder: Annotated[
        Optional[Path],
        typer.Argument(
            metavar="[ORDNER]",
            help="Dorthin schreiben (ohne Commit). Ohne ORDNER: die Schemas des Registers "
            "in .ihk/schema auffrischen und committen.",
            show_default=False,
        ),
    ] = None,
    register_ids: Annotated[
        Optional[bool],
        typer.Option(
            "--register-ids/--no-register-ids",
            help="Ziele, Finanzierungsquellen und Kennungen des Registers zur Auswahl "
            "anbieten (Vorgabe: ja, wenn ein Register gefunden wird).",
            show_default=False,
        ),
    ] = None,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """JSON-Schemas (Draft 2020-12) für ihk.yaml und jede Art von Eintrag schreiben.

    Editoren mit YAML-Sprachserver (z. B. VS Code mit der YAML-Erweiterung) ergänzen
    damit Schlüssel und Werte und markieren Fehler schon beim Tippen; „ihk init“ legt sie
    in .ihk/schema an, und jede Datei, die ihk anlegt, verweist in ihrer ersten Zeile
    darauf."""
    from ihk.commands.schema import refresh, write_to

    if folder is None:
        written = refresh(
            workspace(), register_ids is not False, commit=not no_commit, message=message
        )
    else:
        found = _optional_workspace() if register_ids is not False else None
        if register_ids and found is None:
            found = workspace()  # the usage error that says how to name the register
        written = write_to(folder, found, found is not None)
    shown = _shown(written.folder)
    if not written.written:
        console.out(f"Schemas in {shown} sind aktuell; nichts zu tun.")
        return
    what = (
        "mit den Kennungen des Registers"
        if written.register_ids
        else "ohne Kennungen eines Registers"
    )
    console.out(f"Schemas geschrieben ({what}): {shown}/")
    for name in written.written:
        console.out(f"  {name}")
    if written.commit:
        console.out(f"Commit {written.commit[:10]}")
    for warning in written.warnings:
        console.err(f"Warnung: {warning}")


def _shown(folder: Path) -> str:
    """A folder as messages name it: relative to the working directory if below it."""
    import os

    rel = os.path.relpath(folder)
    return str(folder) if rel.startswith("..") else rel


def _optional_workspace() -> Optional[Workspace]:
    from ihk.errors import UsageError

    try:
        return workspace()
    except UsageError:
        return None


@app.command("status", short_help="Stand der Maßnahmen nach Oberzielen zeigen.")
def status_cmd(
    oberziel: GoalFilter = None,
    status: StateFilter = None,
    traeger: Annotated[
        Optional[str],
        typer.Option(metavar="TEXT", help="Nur Einträge mit diesem Träger (Teiltext)."),
    ] = None,
    kind: ReportKindOption = "measure",
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
