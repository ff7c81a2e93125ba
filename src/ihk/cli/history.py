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
    html = "html"
    pdf = "pdf"
    docx = "docx"
    json = "json"


#: The format a file's suffix asks for when ``--format`` is not given (else Markdown).
DOC_SUFFIXES = {
    ".md": DocFormat.markdown,
    ".markdown": DocFormat.markdown,
    ".html": DocFormat.html,
    ".htm": DocFormat.html,
    ".pdf": DocFormat.pdf,
    ".docx": DocFormat.docx,
    ".json": DocFormat.json,
}


@app.command("fortschreibung", short_help="Die Fortschreibung zwischen zwei Ständen schreiben.")
def fortschreibung_cmd(
    bereich: Annotated[
        str,
        typer.Argument(
            metavar="VON..BIS",
            help="Zwei Stände: Jahr (Tag stand-JJJJ, sonst letzter Commit des Jahres), "
            "git-Revision, oder leeres BIS für den aktuellen Stand (2005..).",
        ),
    ],
    fmt: Annotated[
        Optional[DocFormat],
        typer.Option(
            "--format",
            help="Ausgabeformat (Vorgabe: markdown; mit -o nach der Endung: .md, .html, .pdf, "
            ".docx, .json).",
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            metavar="DATEI",
            help="Eigene jinja2-Vorlage (für Markdown, oder für HTML und PDF).",
        ),
    ] = None,
    kennungen: Annotated[
        bool,
        typer.Option(
            "--kennungen",
            help="In HTML, PDF und Word auch die Kennungen der Einträge zeigen (Markdown "
            "zeigt sie immer).",
        ),
    ] = False,
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
    """Die Fortschreibung: was sich zwischen zwei Ständen geändert hat – als Markdown, als
    Dokument für den Rat (HTML, PDF, Word) oder als JSON."""
    from ihk.commands.fortschreibung import (
        fortschreibung_data,
        fortschreibung_dokument,
        fortschreibung_markdown,
    )
    from ihk.errors import UsageError

    by_suffix = None
    if output is not None:
        by_suffix = DOC_SUFFIXES.get(output.suffix.lower())
        if fmt is not None and by_suffix is not None and by_suffix != fmt:
            raise UsageError(
                f"{output}: die Endung „{output.suffix}“ passt nicht zu --format {fmt.value}; "
                "eines von beiden ändern (oder --format weglassen)"
            )
    fmt = fmt or by_suffix or DocFormat.markdown
    if fmt == DocFormat.docx and template is not None:
        raise UsageError(
            "--template gilt für Markdown, HTML und PDF; ein Word-Dokument entsteht ohne Vorlage"
        )
    if fmt in (DocFormat.pdf, DocFormat.docx) and output is None:
        console.refuse_binary_on_terminal(fmt.value)
    ws = workspace()
    data = fortschreibung_data(ws, bereich, rueckwaerts)
    content: str | bytes
    if fmt == DocFormat.json:
        content = console.dumps(data.as_json())
    elif fmt == DocFormat.markdown:
        content = fortschreibung_markdown(ws, data, template)
    else:
        made = fortschreibung_dokument(ws, data, fmt.value, template, kennungen)
        for note in made.hinweise:
            console.err(f"Hinweis: {note}")
        content = made.inhalt
    if output is None:
        if isinstance(content, bytes):
            console.out_bytes(content)
        else:
            console.out(content, json=fmt == DocFormat.json)
        return
    for line in console.write_output(output, content):
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
