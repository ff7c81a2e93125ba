"""ihk finanzen: the KuF as a terminal table, Markdown, CSV, JSON or XLSX.

Every format renders the same typed tables (``FinanzenReport.tabellen()``): amounts in
German in the text formats (``1.234.567 €``, ``12,5 %``, a dash for nothing), plain
numbers in CSV (with a decimal comma, which a German Excel reads as a number), JSON
and XLSX (numbers with a number format).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ihk.cli import console
from ihk.cli.main import app, workspace
from ihk.cli.options import NoCacheOption, OutputOption, RegisterOption, StandOption

if TYPE_CHECKING:
    from ihk.commands.finanzen import FinanzenReport, Spalte, Tabelle, Zeile
    from ihk.xlsx import Style


class FinanzenFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Nach(StrEnum):
    kostengruppe = "kostengruppe"
    oberziel = "oberziel"
    quelle = "quelle"
    massnahme = "massnahme"


#: The format a file's suffix asks for when ``--format`` is not given.
SUFFIXES = {
    ".xlsx": FinanzenFormat.xlsx,
    ".csv": FinanzenFormat.csv,
    ".json": FinanzenFormat.json,
    ".md": FinanzenFormat.markdown,
}

#: Said under the terminal table when the year columns did not fit.
HIDDEN_NOTE = "Jahre ausgeblendet – breiteres Terminal, --von/--bis oder --format markdown"
#: Said instead of the tables when no record states any cost.
EMPTY_NOTE = (
    "Noch keine Kosten erfasst (finanzierung.kosten_eur oder finanzierung.plan einer "
    "Maßnahme oder eines Projekts)."
)


def _year(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    year = value.strip()
    if not (len(year) == 4 and year.isascii() and year.isdigit()):
        raise typer.BadParameter(f"„{value}“ ist kein Jahr; erwartet JJJJ, z. B. 2005")
    return year


@app.command("finanzen", short_help="Kosten und Finanzierung (KuF) nach Jahren und Quellen.")
def finanzen_cmd(
    nach: Annotated[
        Nach,
        typer.Option(
            "--nach",
            help="Zeilen gruppiert nach Kostengruppe, Oberziel, Quelle oder als Liste der "
            "Maßnahmen.",
        ),
    ] = Nach.kostengruppe,
    von: Annotated[
        Optional[str],
        typer.Option(
            "--von",
            metavar="JAHR",
            help="Erstes Jahr mit eigener Spalte (die früheren: Spalte „bis JJJJ“).",
            callback=_year,
        ),
    ] = None,
    bis: Annotated[
        Optional[str],
        typer.Option(
            "--bis",
            metavar="JAHR",
            help="Letztes Jahr mit eigener Spalte (die späteren: Spalte „ab JJJJ“).",
            callback=_year,
        ),
    ] = None,
    stand: StandOption = None,
    fmt: Annotated[
        Optional[FinanzenFormat],
        typer.Option(
            "--format",
            help="Ausgabeformat (Vorgabe: table; mit -o nach der Endung: .xlsx, .csv, .json, .md).",
        ),
    ] = None,
    output: OutputOption = None,
    register: RegisterOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Kosten- und Finanzierungsübersicht: Kosten je Jahr (gruppiert), Finanzierung je
    Quelle mit Anteil, Plan und Ist; Summen überall."""
    from ihk.commands.finanzen import finanzen_report
    from ihk.commands.status import register_at
    from ihk.errors import UsageError

    fmt = output_format(output, fmt)
    if fmt == FinanzenFormat.xlsx and output is None:
        raise UsageError("--format xlsx braucht eine Datei: -o DATEI.xlsx")
    loaded, at = register_at(workspace(), stand)
    report = finanzen_report(loaded, nach.value, von, bis, at)
    data: str | bytes
    if fmt == FinanzenFormat.json:
        data = console.dumps(report.as_json())
    elif fmt == FinanzenFormat.csv:
        data = finanzen_csv(report)
    elif fmt == FinanzenFormat.markdown:
        data = finanzen_markdown(report)
    elif fmt == FinanzenFormat.xlsx:
        data = finanzen_xlsx(report)
    else:
        data, hidden = finanzen_table(report, None if output else _terminal_width())
        if hidden:
            data += HIDDEN_NOTE + "\n"
    if output is None:
        assert isinstance(data, str)
        console.out(data, json=fmt == FinanzenFormat.json)
    else:
        for line in console.write_output(output, data):
            console.err(line)
        console.err(f"Kosten und Finanzierung geschrieben: {output}")
    console.fail_if_broken(loaded)


def _terminal_width() -> int | None:
    """The width to fit: COLUMNS if set, else the terminal's; None for a pipe or file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    import shutil

    try:
        if sys.stdout.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


# ---------------------------------------------------------------------------------
# Words and numbers


def heading(report: FinanzenReport) -> str:
    """ "Kosten und Finanzierung – IHK Belm-Powe", and the Stand with its date."""
    head = f"Kosten und Finanzierung – IHK {report.gebiet or ''}".rstrip()
    if report.stand is not None:
        head += f" – {report.stand.bezeichnung} ({report.stand.datum_text})"
    return head


def subheading(report: FinanzenReport) -> str:
    """What the numbers are: grouping, window of years, units."""
    f = report.fenster
    parts = ["Beträge in Euro: Plan je Jahr, „ohne Jahresplan“ die geschätzten Kosten"]
    if report.mit_ist:
        parts.append("„Ist“ das Abgerechnete")
    if f.vorjahre or f.folgejahre:
        parts.append("frühere und spätere Jahre zusammengefasst")
    return "; ".join(parts) + "."


def _amount(value: float | None, spalte: Spalte) -> str:
    from ihk.vocab import euro, prozent

    if value is None:
        return ""
    if spalte.prozent:
        return prozent(value)
    return euro(value) if abs(value) >= 0.005 else "–"


def _cells(table: Tabelle) -> list[list[str]]:
    """Every amount of ``table`` as text (each distinct amount formatted once)."""
    shown: dict[tuple[float | None, bool], str] = {}
    rows = []
    for row in table.zeilen:
        cells = []
        for value, spalte in zip(row.werte, table.spalten, strict=False):
            key = (value, spalte.prozent)
            text = shown.get(key)
            if text is None:
                text = shown[key] = _amount(value, spalte)
            cells.append(text)
        rows.append(cells)
    return rows


def _label(row: Zeile) -> str:
    """A row's label in text: "Titel (kennung)", indented under its group heading."""
    if row.stil == "eintrag" and row.art in ("massnahme", "projekt"):
        label = f"{row.titel} ({row.kennung})"
        return f"  {label}" if row.gruppe is not None else label
    if row.stil == "zwischensumme" and row.gruppe is not None:
        return f"  {row.titel}"
    return row.titel


# ---------------------------------------------------------------------------------
# Terminal table (plain text: right-aligned numbers, exact widths, fast for any size)

#: Narrowest label column before the year columns give way.
_MIN_LABEL = 24
#: Widest label column when nothing limits the width (a pipe, a file).
_MAX_LABEL = 60


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken at spaces (a longer word is split);
    the indentation of the first line is kept for the following ones."""
    indent = text[: len(text) - len(text.lstrip(" "))]
    lines: list[str] = []
    line = indent
    for word in text.split():
        room = width - len(indent)
        while len(word) > room > 0:
            if line.strip():
                lines.append(line)
            lines.append(indent + word[:room])
            word = word[room:]
            line = indent
        if not line.strip():
            line = indent + word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = indent + word
    if line.strip() or not lines:
        lines.append(line)
    return lines


def _plain(table: Tabelle, width: int | None) -> tuple[list[str], bool]:
    """``table`` as aligned lines within ``width`` (None: unlimited); True if the year
    columns had to give way. To fit, the column headings first wrap onto two lines
    ("ohne / Jahresplan"), then the year columns are left out."""
    labels = [_label(r) for r in table.zeilen]
    cells = _cells(table)

    def widths(keep: list[int], wrap: bool) -> list[int]:
        result = []
        for i in keep:
            title = table.spalten[i].titel
            content = max((len(row[i]) for row in cells if row), default=0)
            head = max(len(w) for w in title.split()) if wrap else len(title)
            result.append(max(head, content))
        return result

    every = list(range(len(table.spalten)))
    natural = max([len(table.kopf), *(len(label) for label, r in zip(labels, table.zeilen, strict=True)
                                      if r.stil != "gruppe")])  # fmt: skip
    keep, hidden = every, False
    numbers = widths(keep, wrap=False)
    if width is None:
        label_width = min(natural, _MAX_LABEL)
    else:
        least = min(natural, _MIN_LABEL)
        if natural + sum(w + 2 for w in numbers) > width:
            numbers = widths(keep, wrap=True)
        if least + sum(w + 2 for w in numbers) > width:
            fewer = [i for i in every if not _is_year_column(table.spalten[i])]
            if fewer != every:
                keep, hidden = fewer, True
                numbers = widths(keep, wrap=True)
        label_width = max(min(natural, width - sum(w + 2 for w in numbers)), min(natural, 16))
    full = label_width + sum(w + 2 for w in numbers)

    header_lines = [_wrap(table.spalten[i].titel, w) if len(table.spalten[i].titel) > w
                    else [table.spalten[i].titel] for i, w in zip(keep, numbers, strict=True)]  # fmt: skip
    height = max((len(h) for h in header_lines), default=1)

    pattern = "  ".join([f"{{:<{label_width}}}", *(f"{{:>{w}}}" for w in numbers)])

    def line(label: str, values: list[str]) -> str:
        return pattern.format(label, *values).rstrip()

    out = []
    for n in range(height):
        label = table.kopf if n == height - 1 else ""
        values = [h[n - (height - len(h))] if n >= height - len(h) else "" for h in header_lines]
        out.append(line(label, values))
    rule = "  ".join(["-" * label_width, *("-" * w for w in numbers)])
    out.append(rule)
    for row, label, values in zip(table.zeilen, labels, cells, strict=True):
        if row.stil == "gruppe":  # a heading has the whole line
            out.extend(_wrap(label, full) if len(label) > full else [label])
            continue
        shown = [values[i] for i in keep] if hidden else values
        if row.stil == "gesamt":
            out.append(rule)
        wrapped = _wrap(label, label_width) if len(label) > label_width else [label]
        out.append(line(wrapped[0], shown))
        out.extend(line(more, [""] * len(keep)) for more in wrapped[1:])
        if row.stil == "zwischensumme" and row.gruppe is not None:
            out.append("")
    return out, hidden


def _is_year_column(spalte: Spalte) -> bool:
    return spalte.jahr or spalte.schluessel in ("vorjahre", "folgejahre")


def finanzen_table(report: FinanzenReport, width: int | None) -> tuple[str, bool]:
    """The report as plain aligned text; True if year columns were left out to fit."""

    def wrapped(text: str) -> list[str]:
        return _wrap(text, width) if width and len(text) > width else [text]

    lines = [*wrapped(heading(report)), ""]
    if report.leer:
        return "\n".join([*lines, *wrapped(EMPTY_NOTE)]) + "\n", False
    lines += [*wrapped(subheading(report)), ""]
    hidden = False
    for table in report.tabellen():
        body, gave_way = _plain(table, width)
        hidden = hidden or gave_way
        lines += [table.titel, "", *body, ""]
    return "\n".join(lines), hidden


# ---------------------------------------------------------------------------------
# Markdown


def finanzen_markdown(report: FinanzenReport) -> str:
    from ihk.markdown import code, text

    lines = [f"# {text(heading(report))}", ""]
    if report.leer:
        return "\n".join([*lines, text(EMPTY_NOTE)]) + "\n"
    lines += [text(subheading(report)), ""]
    for table in report.tabellen():
        lines += [f"## {text(table.titel)}", ""]
        lines.append(
            "| " + " | ".join([text(table.kopf), *(text(s.titel) for s in table.spalten)]) + " |"
        )
        lines.append("|---|" + "---:|" * len(table.spalten))
        for row, amounts in zip(table.zeilen, _cells(table), strict=True):
            amounts += [""] * (len(table.spalten) - len(amounts))
            if row.stil == "eintrag" and row.art in ("massnahme", "projekt"):
                label = f"{text(row.titel)} ({code(row.kennung)})"
            else:
                label = text(row.titel)
            if row.stil in ("gruppe", "gesamt"):
                label = f"**{label}**"
                amounts = [f"**{a}**" if a not in ("", "–") else a for a in amounts]
            elif row.stil == "zwischensumme":
                label = f"*{label}*"
                amounts = [f"*{a}*" if a not in ("", "–") else a for a in amounts]
            lines.append("| " + " | ".join([label, *amounts]) + " |")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# CSV

_ZEILE = {"eintrag": "Eintrag", "zwischensumme": "Zwischensumme", "gesamt": "Gesamt"}
_ART = {"massnahme": "Maßnahme", "projekt": "Projekt", "quelle": "Quelle"}


def _plain_number(value: float | None) -> str:
    """A number for a German spreadsheet: no thousands separator, a decimal comma."""
    if value is None:
        return ""
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
    return shown.replace(".", ",")


def finanzen_csv(report: FinanzenReport) -> str:
    """One table for both blocks (``;``, UTF-8 with BOM, German headings): a row per
    record, subtotal, source and total; the union of both blocks' columns."""
    tables = report.tabellen()
    columns: list[Spalte] = []
    for table in tables:
        for spalte in table.spalten:
            if spalte not in columns:
                columns.append(spalte)
    order = {s.schluessel: i for i, s in enumerate(report.quellen_spalten())}
    order |= {s.schluessel: i for i, s in enumerate(report.spalten())}
    columns.sort(key=lambda s: (order.get(s.schluessel, 0), s.schluessel == "anteil"))
    from ihk import csvfile

    def text(value: str | None) -> str:
        return csvfile.escape(value) if value else ""

    rows = [
        ["Teil", "Gruppe", "Zeile", "Art", "Kennung", "Titel"]
        + [s.titel + (" (%)" if s.prozent else "") for s in columns]
    ]
    for table in tables:
        for row in table.zeilen:
            if row.stil == "gruppe":
                continue
            values = dict(zip((s.schluessel for s in table.spalten), row.werte, strict=False))
            rows.append(
                [
                    table.name,
                    text(row.gruppe),
                    _ZEILE[row.stil],
                    _ART.get(row.art or "", ""),
                    row.kennung or "",
                    text(row.titel),
                    *(_plain_number(values.get(s.schluessel)) for s in columns),
                ]
            )
    return csvfile.write(rows)


# ---------------------------------------------------------------------------------
# XLSX


_XLSX_STYLES: dict[str, Style] = {
    "gruppe": "group",
    "zwischensumme": "subtotal",
    "gesamt": "total",
}


def finanzen_xlsx(report: FinanzenReport) -> bytes:
    """A sheet per block ("Kosten", "Finanzierung"): title, what the numbers are, then
    the table with a frozen, repeated header row; amounts as numbers (``#,##0 €``)."""
    from ihk import xlsx

    sheets = []
    for table in report.tabellen():
        head = [xlsx.text(table.kopf, "header"), xlsx.text("Kennung", "header")]
        head += [xlsx.text(s.titel, "header") for s in table.spalten]
        rows: list[list[xlsx.Cell]] = [
            [xlsx.text(heading(report), "title")],
            [xlsx.text(f"{table.titel}. {subheading(report)}", "note")],
            [],
            head,
        ]
        for row in table.zeilen:
            style = _XLSX_STYLES.get(row.stil, "")
            indent = "    " if row.stil in ("eintrag", "zwischensumme") and row.gruppe else ""
            cells = [xlsx.text(indent + row.titel, style), xlsx.text(row.kennung, style)]
            for i, spalte in enumerate(table.spalten):
                value = row.werte[i] if i < len(row.werte) else None
                if spalte.prozent:
                    cells.append(xlsx.percent(value, style))
                else:
                    cells.append(xlsx.number(value, xlsx.EURO, style))
            rows.append(cells)
        label = max([len(table.kopf), *(len(r.titel) + 4 for r in table.zeilen)])
        ident = max([7, *(len(r.kennung or "") for r in table.zeilen)])
        widths: list[float] = [min(label, 60) + 2, ident + 2]
        widths += [9.0 if s.prozent else max(14.0, len(s.titel) + 2) for s in table.spalten]
        sheets.append(
            xlsx.Sheet(
                name=table.name,
                rows=rows,
                widths=widths,
                header_row=4,
                frozen_columns=1,
                print_header=heading(report),
                wrapped_columns={1},
            )
        )
    return xlsx.workbook(sheets, title=heading(report))


def output_format(output: Path | None, fmt: FinanzenFormat | None) -> FinanzenFormat:
    """``--format`` if given, else the format of ``-o``'s suffix, else the table."""
    if fmt is not None:
        return fmt
    return (
        SUFFIXES.get(output.suffix.lower(), FinanzenFormat.table)
        if output
        else FinanzenFormat.table
    )
