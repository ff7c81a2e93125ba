"""ihk export and ihk import: the IHK table in and out (Excel, CSV, Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ihk.cli import completion, console
from ihk.cli.main import app, workspace
from ihk.cli.options import RegisterOption, StandOption


@app.command("export", short_help="Die IHK-Tabelle als Excel, CSV oder Markdown schreiben.")
def export_cmd(
    datei: Annotated[
        Path,
        typer.Argument(
            metavar="DATEI", help="Zieldatei; das Format folgt aus der Endung (.xlsx, .csv, .md)."
        ),
    ],
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", metavar="FORMAT", help="Format statt der Endung: xlsx, csv, md."),
    ] = None,
    stand: StandOption = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="ART",
            help="measure, project oder all (massnahme, projekt).",
            autocompletion=completion.status_kinds,
        ),
    ] = "measure",
    register: RegisterOption = None,
) -> None:
    """Die IHK-Tabelle wie im Dokument (Oberziele, Spalten, Nachträge, Farben der Legende)
    in eine Datei schreiben; .xlsx mit dem Blatt „Daten“ und .csv lassen sich mit
    „ihk import“ wieder einlesen."""
    from ihk.commands.export import export_table
    from ihk.kinds import KINDS
    from ihk.vocab import anzahl

    done = export_table(workspace(), datei, fmt, stand, kind)
    for line in console.write_output(datei, done.data):
        console.err(line)
    counts = []
    for name in done.tabelle.arten:
        n = sum(1 for z in done.tabelle.zeilen if z.art == name)
        counts.append(anzahl(n, KINDS[name].label, KINDS[name].plural))
    console.out(
        f"IHK-Tabelle geschrieben: {datei} – {', '.join(counts)}; {done.format.beschreibung}"
    )
    console.fail_if_broken(done.register)
