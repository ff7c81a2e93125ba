"""Everything that turns results into text for people: tables, problem lines, CSV.

Only the CLI calls this module. Plain formats (csv, json, markdown) never touch rich,
which costs about a millisecond per table row.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

from ihk.commands.status import Row, StatusReport
from ihk.errors import Problem
from ihk.kinds import KINDS
from ihk.vocab import STATES, STATUS, anzahl, finanzierung_kurz, monat_kurz, status_kurz


def err(line: str) -> None:
    sys.stderr.write(line + "\n")


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def problems(items: list[Problem], stream: Any = None) -> None:
    target = stream or sys.stderr
    for problem in items:
        target.write(f"{problem}\n")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def counts_line(report: StatusReport) -> str:
    if len(report.kinds) == 1:
        kind = KINDS[report.kinds[0]]
        head = anzahl(report.total, kind.label, kind.plural)
    else:
        head = f"{report.total} " + " und ".join(KINDS[k].plural for k in report.kinds)
    parts = [f"{report.counts[s]} {status_kurz(s)}" for s in STATES]
    return f"{head}: " + " · ".join(parts)


def _money(row: Row) -> str:
    return finanzierung_kurz(row.staedtebaufoerderung, row.sonstige)


def status_table(report: StatusReport) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    both = len(report.kinds) > 1
    # Narrow terminals get the columns people scan for; wide ones the whole IHK row.
    wide = console.width >= 120
    console.print(Text(f"IHK {report.gebiet or ''}".rstrip(), style="bold"))
    for group in report.groups:
        table = Table(
            title=f"Oberziel: {group.titel}", title_justify="left", title_style="bold", expand=True
        )
        if both:
            table.add_column("Art", no_wrap=True)
        table.add_column("Maßnahme/Projekt (Kennung)", ratio=4)
        if wide:
            table.add_column("Träger/Beteiligte", ratio=3)
            table.add_column("Finanzierung", ratio=2)
        table.add_column("Seit", no_wrap=True)
        table.add_column("Stand", no_wrap=True)
        for row in group.rows:
            style = STATUS[row.status].stil
            title = Text(row.titel, style=style)
            # the id on a line of its own, never broken: it is what `ihk set` takes
            title.append(f"\n{row.id}", style=f"{style} italic")
            cells: list[Text] = [Text(KINDS[row.kind].label, style=style)] if both else []
            cells.append(title)
            if wide:
                cells += [
                    Text(", ".join(row.traeger) or "–", style=style),
                    Text(_money(row), style=style),
                ]
            cells += [
                Text(monat_kurz(row.seit), style=style),
                Text(status_kurz(row.status), style=style),
            ]
            table.add_row(*cells)
        console.print(table)
    console.print(counts_line(report), soft_wrap=True)


def status_markdown(report: StatusReport) -> str:
    from ihk.markdown import cell

    lines = [f"# IHK {report.gebiet or ''}".rstrip(), ""]
    for group in report.groups:
        lines += [f"## Oberziel: {cell(group.titel)}", ""]
        lines.append(
            "| Kennung | Maßnahme/Projekt | Träger/Beteiligte | Finanzierung | Seit | Stand |"
        )
        lines.append("|---|---|---|---|---|---|")
        for row in group.rows:
            lines.append(
                "| "
                + " | ".join(
                    cell(v)
                    for v in (
                        row.id,
                        row.titel,
                        ", ".join(row.traeger) or "–",
                        _money(row),
                        monat_kurz(row.seit),
                        status_kurz(row.status),
                    )
                )
                + " |"
            )
        lines.append("")
    lines.append(counts_line(report))
    return "\n".join(lines) + "\n"


def status_csv(report: StatusReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "art",
            "id",
            "titel",
            "oberziel",
            "status",
            "traeger",
            "staedtebaufoerderung",
            "sonstige",
            "seit",
        ]
    )
    for group in report.groups:
        for row in group.rows:
            writer.writerow(
                [
                    row.kind,
                    row.id,
                    row.titel,
                    row.oberziel,
                    row.status,
                    "; ".join(row.traeger),
                    "ja" if row.staedtebaufoerderung else "nein",
                    "; ".join(row.sonstige),
                    row.seit or "",
                ]
            )
    return buffer.getvalue()
