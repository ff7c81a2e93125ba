"""ihk monitoring: measures' states and indicators per Oberziel, with charts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ihk.cli import console
from ihk.cli.main import app, workspace
from ihk.cli.options import (
    GoalFilter,
    NoCacheOption,
    OutputOption,
    RegisterOption,
    ReportFormat,
    ReportFormatOption,
    StandOption,
)

if TYPE_CHECKING:
    from ihk.monitoring import IndikatorStand, Messung, Monitoring


@app.command("monitoring", short_help="Zielerreichung: Indikatoren und Stand je Oberziel.")
def monitoring_cmd(
    oberziel: GoalFilter = None,
    stand: StandOption = None,
    fmt: ReportFormatOption = ReportFormat.table,
    diagramme: Annotated[
        Optional[Path],
        typer.Option(
            "--diagramme", metavar="ORDNER", help="Je Indikator ein SVG-Diagramm in ORDNER."
        ),
    ] = None,
    output: OutputOption = None,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Je Oberziel den Stand der Maßnahmen und die Indikatoren: Basis, letzter Wert, Ziel,
    Zielerreichung in % und Urteil (auf Kurs, verfehlt Richtung, keine Daten)."""
    from ihk.commands.monitor import monitoring_report

    report, loaded = monitoring_report(workspace(), stand, oberziel)
    if fmt == ReportFormat.json:
        text = console.dumps(report.as_json())
    elif fmt == ReportFormat.csv:
        text = _csv(report)
    elif fmt == ReportFormat.markdown:
        text = _markdown(report)
    else:
        text = _text(report)
    if output is not None:
        for line in console.write_output(output, text):
            console.err(line)
    else:
        console.out(text, json=fmt == ReportFormat.json)
    if diagramme is not None:
        _charts(report, diagramme)
    console.fail_if_broken(loaded)


def _charts(report: Monitoring, folder: Path) -> None:
    from ihk.charts import indicator_svg

    made = folder.resolve()
    count = 0
    for goal in report.oberziele:
        for stand in goal.indikatoren:
            for line in console.write_output(made / f"{stand.id}.svg", indicator_svg(stand)):
                console.err(line)
            count += 1
    console.err(f"{count} Diagramme geschrieben: {folder}")


def _wert(m: Messung | None, einheit: str | None) -> str:
    from ihk.vocab import messwert

    if m is None:
        return "–"
    unit = f" {einheit}" if einheit else ""
    return f"{messwert(m.wert)}{unit} ({m.jahr})"


def _prozent(s: IndikatorStand) -> str:
    from ihk.vocab import prozent

    return prozent(s.zielerreichung, 0) if s.zielerreichung is not None else "–"


def _zustaende(counts: dict[str, int]) -> str:
    from ihk.vocab import status_kurz

    return " · ".join(f"{n} {status_kurz(s)}" for s, n in counts.items())


def _heading(report: Monitoring) -> str:
    head = f"Monitoring {report.gebiet}".rstrip()
    if report.stand is not None:
        head += f" – {report.stand.bezeichnung} ({report.stand.datum_text})"
    return head


def _rows(report: Monitoring) -> list[tuple[str, IndikatorStand]]:
    return [(g.titel, s) for g in report.oberziele for s in g.indikatoren]


def _text(report: Monitoring) -> str:
    lines = [_heading(report)]
    for goal in report.oberziele:
        lines += ["", f"Oberziel: {goal.titel}", f"  Maßnahmen: {_zustaende(goal.massnahmen)}"]
        for s in goal.indikatoren:
            lines.append(f"  {s.titel} ({s.id}): {s.urteil}, Zielerreichung {_prozent(s)}")
            lines.append(
                f"    Basis {_wert(s.basis, s.einheit)} · zuletzt {_wert(s.letzter, s.einheit)}"
                f" · Ziel {_wert(s.ziel, s.einheit)}"
            )
    return "\n".join(lines)


def _markdown(report: Monitoring) -> str:
    from ihk.markdown import cell, text

    lines = [f"# {text(_heading(report))}", ""]
    for goal in report.oberziele:
        lines += [
            f"## Oberziel: {text(goal.titel)}",
            "",
            f"Maßnahmen: {_zustaende(goal.massnahmen)}",
            "",
        ]
        if goal.indikatoren:
            lines += [
                "| Indikator | Basis | Letzter Wert | Ziel | Zielerreichung | Urteil |",
                "|---|---:|---:|---:|---:|---|",
            ]
            lines += [
                f"| {cell(s.titel)} | {cell(_wert(s.basis, s.einheit))} | "
                f"{cell(_wert(s.letzter, s.einheit))} | {cell(_wert(s.ziel, s.einheit))} | "
                f"{_prozent(s)} | {s.urteil} |"
                for s in goal.indikatoren
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _csv(report: Monitoring) -> str:
    from ihk import csvfile
    from ihk.vocab import zahl

    def number(value: float | None) -> str:
        return "" if value is None else zahl(value, 2).replace(".", "")

    def text(value: str | None) -> str:
        return csvfile.escape(value) if value else ""

    rows = [
        ["Oberziel", "Kennung", "Indikator", "Einheit", "Richtung", "Basisjahr", "Basiswert",
         "Letztes Jahr", "Letzter Wert", "Zieljahr", "Zielwert", "Zielerreichung %", "Urteil"]
    ]  # fmt: skip
    for goal_title, s in _rows(report):
        rows.append(
            [text(goal_title), s.id, text(s.titel), text(s.einheit), s.richtung,
             str(s.basis.jahr), number(s.basis.wert), str(s.letzter.jahr) if s.letzter else "",
             number(s.letzter.wert if s.letzter else None), str(s.ziel.jahr),
             number(s.ziel.wert), number(s.zielerreichung), s.urteil]
        )  # fmt: skip
    return csvfile.write(rows)
