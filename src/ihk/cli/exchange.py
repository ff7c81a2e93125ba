"""ihk export and ihk import: the IHK table in and out (Excel, CSV, Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ihk.cli import console
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    FormatOption,
    Message,
    NoCommit,
    RegisterOption,
    ReportKindOption,
    StandOption,
    TextJson,
)

if TYPE_CHECKING:
    from ihk.commands.import_table import Imported


@app.command("export", short_help="Die IHK-Tabelle als Excel, PDF, Word … schreiben.")
def export_cmd(
    datei: Annotated[
        Path,
        typer.Argument(
            metavar="DATEI",
            help="Zieldatei; das Format folgt aus der Endung (.xlsx, .csv, .md, .pdf, .docx, "
            ".html); „-“ für die Standardausgabe (mit --format).",
        ),
    ],
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="Format statt der Endung: xlsx, csv, md, pdf, docx, html.",
        ),
    ] = None,
    stand: StandOption = None,
    kind: ReportKindOption = "measure",
    kennungen: Annotated[
        bool,
        typer.Option(
            "--kennungen", help="In PDF, Word und HTML auch die Kennungen der Einträge zeigen."
        ),
    ] = False,
    register: RegisterOption = None,
) -> None:
    """Die IHK-Tabelle wie im Dokument (Oberziele, Spalten, Nachträge, Farben der Legende)
    in eine Datei schreiben; .xlsx mit dem Blatt „Daten“ und .csv lassen sich mit
    „ihk import“ wieder einlesen."""
    from ihk.cli.options import STDOUT
    from ihk.commands.export import BINAER, export_table, format_choices, format_for
    from ihk.errors import UsageError
    from ihk.kinds import KINDS
    from ihk.vocab import anzahl

    to_stdout = str(datei) == STDOUT
    if to_stdout:
        # `ihk export - --format csv | …`: what the file would hold, on standard output
        if fmt is None:
            raise UsageError(
                f"„{STDOUT}“ schreibt auf die Standardausgabe; dafür bitte das Format mit "
                f"--format angeben: {format_choices()}"
            )
        chosen = format_for(datei, fmt)
        if chosen.name in BINAER:
            console.refuse_binary_on_terminal(
                chosen.name, f"eine Datei (ihk export DATEI{chosen.suffixes[0]})"
            )
    done = export_table(workspace(), datei, fmt, stand, kind, kennungen)
    # `ihk export /dev/stdout --format pdf | lpr`: the message must not end up in the PDF
    say = console.err if to_stdout or console.is_stdout(datei) else console.out
    for note in done.hinweise:
        console.err(f"Hinweis: {note}")
    if not to_stdout:
        for line in console.write_output(datei, done.data):
            console.err(line)
    elif isinstance(done.data, str) and console.on_terminal():
        console.out(done.data)  # for the eye: control characters shown, not sent
    else:
        # into a pipe or file: the file's exact bytes (UTF-8 whatever the locale)
        data = done.data
        console.out_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    counts = []
    for name in done.tabelle.arten:
        n = sum(1 for z in done.tabelle.zeilen if z.art == name)
        counts.append(anzahl(n, KINDS[name].label, KINDS[name].plural))
    where = "auf die Standardausgabe" if to_stdout else str(datei)
    say(f"IHK-Tabelle geschrieben: {where} – {', '.join(counts)}; {done.format.beschreibung}")
    console.fail_if_broken(done.register)


@app.command("import", short_help="Eine IHK-Tabelle (Excel oder CSV) ins Register übernehmen.")
def import_cmd(
    datei: Annotated[
        Path,
        typer.Argument(
            metavar="DATEI",
            help="Eine .xlsx- oder .csv-Datei: das Blatt „Daten“ von ihk export oder eine "
            "IHK-Tabelle wie von Hand.",
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Nur zeigen, was angelegt und geändert würde."),
    ] = False,
    sheet: Annotated[
        Optional[str],
        typer.Option(
            "--sheet", metavar="NAME", help="Dieses Blatt lesen (sonst „Daten“, sonst das erste)."
        ),
    ] = None,
    neue_ziele: Annotated[
        bool,
        typer.Option(
            "--neue-ziele", help="Ziele, die nicht im Zielkatalog stehen, in ihk.yaml aufnehmen."
        ),
    ] = False,
    trotzdem: Annotated[
        bool,
        typer.Option(
            "--trotzdem", help="Auch anlegen, wenn ein Eintrag mit sehr ähnlichem Titel existiert."
        ),
    ] = False,
    fmt: FormatOption = TextJson.text,
    no_commit: NoCommit = False,
    message: Message = None,
    register: RegisterOption = None,
) -> None:
    """Maßnahmen (und Projekte) aus einer Tabelle übernehmen: neue anlegen, vorhandene Feld
    für Feld ändern (Kommentare bleiben), alles in einem Commit. Passt eine Zelle nicht,
    nennt ihk jede mit Blatt und Zelle und schreibt nichts."""
    from ihk.commands.import_table import import_table

    done = import_table(
        workspace(),
        datei,
        sheet=sheet,
        dry_run=dry_run,
        neue_ziele=neue_ziele,
        trotzdem=trotzdem,
        commit=not no_commit,
        message=message,
    )
    if fmt == TextJson.json:
        console.out_json(done.as_json())
        return
    console.out(import_text(done))
    for warning in done.warnings:
        console.err(f"Warnung: {warning}")


def import_text(done: Imported) -> str:
    from ihk.fields import describe
    from ihk.kinds import KINDS
    from ihk.vocab import anzahl

    lines = [f"Gelesen: {done.datei}, {done.gelesen_als}"]
    if done.probelauf:
        lines.append("Probelauf: nichts geschrieben.")
    for kind in (KINDS["massnahme"], KINDS["projekt"]):
        new = [e for e in done.neu if e.kind is kind]
        if new:
            lines.append(f"Neu: {anzahl(len(new), kind.label, kind.plural)}")
            lines += [f"  {e.shown}: {e.titel}" for e in new]
        changed = [e for e in done.geaendert if e.kind is kind]
        if changed:
            lines.append(f"Geändert: {anzahl(len(changed), kind.label, kind.plural)}")
            for e in changed:
                lines.append(f"  {e.shown}")
                lines += [f"    {describe(c)}" for c in e.changes]
    if done.neue_ziele:
        lines.append("Neue Ziele im Zielkatalog (ihk.yaml):")
        lines += [f"  {z.id}: {z.titel}" for z in done.neue_ziele]
    if done.unveraendert:
        lines.append(f"Unverändert: {anzahl(done.unveraendert, 'Eintrag', 'Einträge')}")
    if not (done.neu or done.geaendert or done.neue_ziele):
        lines.append("Keine Änderung: das Register stimmt schon mit der Datei überein.")
    lines += [f"Hinweis: {h}" for h in done.hinweise]
    if done.commit:
        lines.append(f"Commit {done.commit[:10]}")
    return "\n".join(lines)
