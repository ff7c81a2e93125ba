"""ihk log, ihk fortschreibung, ihk stand, ihk demo: the register through time."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ihk.cli import completion, console
from ihk.cli.main import app, workspace
from ihk.cli.options import FormatOption, NoCacheOption, OutputOption, RegisterOption, TextJson


@app.command("log", short_help="Die Geschichte des Registers aus git zeigen.")
def log_cmd(
    ident: Annotated[
        Optional[str],
        typer.Argument(
            metavar="ID",
            help="Nur die Geschichte dieses Eintrags.",
            autocompletion=completion.records,
        ),
    ] = None,
    seit: Annotated[
        Optional[str],
        typer.Option("--seit", metavar="DATUM", help="Ab JJJJ, JJJJ-MM oder JJJJ-MM-TT."),
    ] = None,
    bis: Annotated[
        Optional[str],
        typer.Option("--bis", metavar="DATUM", help="Bis JJJJ, JJJJ-MM oder JJJJ-MM-TT."),
    ] = None,
    anzahl: Annotated[
        Optional[int], typer.Option("-n", "--anzahl", metavar="N", help="Höchstens N Commits.")
    ] = None,
    fmt: FormatOption = TextJson.text,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Die Geschichte des Registers (oder eines Eintrags, auch eines entfernten) aus git."""
    from ihk.commands.history import history

    entries = history(workspace(), ident, seit=seit, bis=bis, anzahl=anzahl)
    if fmt == TextJson.json:
        console.out_json([e.as_json() for e in entries])
        return
    from ihk.cli.showtext import log_text

    text = log_text(entries)
    if text:
        console.out(text)


class DocFormat(StrEnum):
    markdown = "markdown"
    json = "json"


@app.command("fortschreibung", short_help="Die Fortschreibung zwischen zwei Ständen schreiben.")
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
    output: OutputOption = None,
    rueckwaerts: Annotated[
        bool,
        typer.Option(
            "--rueckwaerts", help="Auch einen Bereich rückwärts (VON nach BIS) auswerten."
        ),
    ] = False,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Die Fortschreibung: was sich zwischen zwei Ständen geändert hat, als Markdown-Dokument."""
    from ihk.commands.fortschreibung import fortschreibung_data, fortschreibung_markdown

    ws = workspace()
    data = fortschreibung_data(ws, bereich, rueckwaerts)
    if fmt == DocFormat.json:
        text = console.dumps(data.as_json())
    else:
        text = fortschreibung_markdown(ws, data, template)
    if output is None:
        console.out(text, json=fmt == DocFormat.json)
        return
    for line in console.write_output(output, text):
        console.err(line)
    console.err(f"Fortschreibung geschrieben: {output}")


@app.command("demo", short_help="Ein Demo-Register (Belm-Powe 2001–2006) anlegen.")
def demo_cmd(
    path: Annotated[
        Path, typer.Argument(metavar="PFAD", help="Neuer Ordner für das Demo-Register.")
    ],
) -> None:
    """Ein Demo-Register mit der Geschichte von Belm-Powe (Dezember 2001 bis Dezember 2006)
    anlegen."""
    from ihk.commands.demo import build_demo

    result = build_demo(path)
    console.out(
        f"Demo-Register angelegt: {path} ({result.commits} Commits, Stände {', '.join(result.tags)})"
    )
    if result.enclosing:
        console.out(
            f"Hinweis: {path} hat ein eigenes git-Repository, innerhalb von {result.enclosing}"
        )
    console.out(f"Zum Ausprobieren: ihk --register {path} fortschreibung 2005..2006")
