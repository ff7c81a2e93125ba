"""ihk export: the IHK table in a file, its format chosen by the suffix or ``--format``.

The format registry (``FORMATE``) maps a format name to its suffix and its output
module. Each output module receives the typed table (``tabelle.IhkTabelle``) and the
Daten layout (``daten.DatenTabelle``) and returns the file's content; a format is added
by one entry here and one module (the documents for the council add HTML, PDF and DOCX
this way). Output modules are imported only when their format is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ihk.commands.dokument import Datei
from ihk.commands.status import register_at, status_kinds
from ihk.daten import DatenTabelle, daten_tabelle
from ihk.errors import UsageError
from ihk.register import Register
from ihk.tabelle import IhkTabelle, ihk_tabelle
from ihk.workspace import Workspace


@dataclass(frozen=True)
class Optionen:
    """What a format may need besides the table: the register (whose ``templates/`` may
    hold its own HTML template), whether the council's documents show ids, and today
    (the Stand of the working tree)."""

    register_root: Path
    kennungen: bool = False
    heute: date = field(default_factory=date.today)


Render = Callable[[IhkTabelle, DatenTabelle, Optionen], "str | bytes | Datei"]


def _xlsx(tabelle: IhkTabelle, daten: DatenTabelle, _: Optionen) -> bytes:
    from ihk.export_xlsx import render

    return render(tabelle, daten)


def _csv(tabelle: IhkTabelle, daten: DatenTabelle, _: Optionen) -> str:
    from ihk.export_csv import render

    return render(tabelle, daten)


def _md(tabelle: IhkTabelle, daten: DatenTabelle, _: Optionen) -> str:
    from ihk.export_md import render

    return render(tabelle, daten)


def _dokument(fmt: str) -> Render:
    """The table as a document for the council (``commands.dokument``: HTML, PDF, Word)."""

    def render(tabelle: IhkTabelle, daten: DatenTabelle, optionen: Optionen) -> Datei:
        from ihk import ratsfassung
        from ihk.commands.dokument import schreiben

        document = ratsfassung.ihk_tabelle(
            tabelle, heute=optionen.heute, kennungen=optionen.kennungen
        )
        context = {"tabelle": tabelle}
        return schreiben(
            optionen.register_root, document, context, fmt, None, kennungen=optionen.kennungen
        )

    return render


@dataclass(frozen=True)
class Format:
    name: str  # as --format takes it
    suffixes: tuple[str, ...]  # the first is the usual one
    beschreibung: str  # German, for the message after writing
    render: Render


#: Every format ``ihk export`` writes, by name.
FORMATE: dict[str, Format] = {
    f.name: f
    for f in (
        Format("xlsx", (".xlsx",), "Excel mit den Blättern „IHK-Tabelle“ und „Daten“", _xlsx),
        Format("csv", (".csv",), "CSV im Daten-Layout", _csv),
        Format("md", (".md", ".markdown"), "Markdown", _md),
        Format("html", (".html", ".htm"), "HTML für den Rat (Vorlage des PDF)", _dokument("html")),
        Format("pdf", (".pdf",), "PDF für den Rat, A4 quer", _dokument("pdf")),
        Format("docx", (".docx",), "Word-Dokument für den Rat, A4 quer", _dokument("docx")),
    )
}


#: The formats that are not text (refused on a terminal).
BINAER = frozenset({"xlsx", "pdf", "docx"})


def format_choices() -> str:
    return ", ".join(f"{s} ({f.name})" for f in FORMATE.values() for s in f.suffixes[:1])


def format_for(path: Path, name: str | None) -> Format:
    """The format ``--format`` names, else the one of the file's suffix; a usage error
    (exit 2) that lists the supported ones otherwise."""
    by_suffix = {s: f for f in FORMATE.values() for s in f.suffixes}
    if name is not None:
        wanted = name.strip().lower().lstrip(".")
        found = FORMATE.get(wanted) or by_suffix.get(f".{wanted}")
        if found is None:
            raise UsageError(f"Format „{name}“ kenne ich nicht; möglich: {format_choices()}")
        named = by_suffix.get(path.suffix.lower())
        if named is not None and named is not found:
            raise UsageError(
                f"{path}: die Endung „{path.suffix}“ passt nicht zu --format {found.name}; "
                "eines von beiden ändern (oder --format weglassen)"
            )
        return found
    suffix = path.suffix.lower()
    for fmt in FORMATE.values():
        if suffix in fmt.suffixes:
            return fmt
    said = f"Endung „{path.suffix}“" if path.suffix else "keine Endung"
    raise UsageError(
        f"{path}: {said} – welches Format? Möglich: {format_choices()} (oder --format)"
    )


@dataclass
class Exported:
    format: Format
    data: str | bytes
    tabelle: IhkTabelle
    #: The register as read (its invalid files are missing from the table).
    register: Register
    #: Notes for the user (what the PDF printer left out).
    hinweise: list[str] = field(default_factory=list)


def export_table(
    ws: Workspace,
    path: Path,
    fmt: str | None = None,
    stand: str | None = None,
    kind: str = "measure",
    kennungen: bool = False,
) -> Exported:
    """The content of ``path`` in its format: the IHK table of ``kind`` (measure, project
    or all), of the working tree or of a Stand read from git; ``kennungen`` shows the ids
    in the council's documents (HTML, PDF, Word)."""
    chosen = format_for(path, fmt)
    kinds = status_kinds(kind)
    loaded, at = register_at(ws, stand)
    tabelle = ihk_tabelle(loaded, kinds, at)
    made = chosen.render(tabelle, daten_tabelle(loaded, kinds), Optionen(ws.root, kennungen))
    if isinstance(made, Datei):
        return Exported(chosen, made.inhalt, tabelle, loaded, made.hinweise)
    return Exported(chosen, made, tabelle, loaded)
