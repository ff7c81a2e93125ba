"""A document for the council in the format asked for: HTML, PDF or Word.

The document itself (``dokument.Dokument``) is built by ``ratsfassung`` from a report;
here it becomes a file. HTML comes from the jinja2 template ``dokument.html.j2`` (the
register's ``templates/`` or ``--template`` may replace it), PDF is that HTML printed,
and Word is built from the document directly (``word``), not from the HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ihk.dokument import Dokument

#: The formats of a council document, by the name ``--format`` takes.
FORMATE = ("html", "pdf", "docx")


@dataclass(frozen=True)
class Datei:
    inhalt: str | bytes
    #: Notes for the user: what the printer left out or did not understand.
    hinweise: list[str] = field(default_factory=list)


def als_html(
    register_root: Path,
    dokument: Dokument,
    daten: Mapping[str, Any],
    template: Path | None,
    *,
    kennungen: bool = False,
) -> str:
    """The document as one self-contained HTML file.

    The template gets ``dokument``, ``kennungen`` and the report's own data (``daten``,
    the names of ``--format json``).
    """
    from ihk.render import HTML_TEMPLATE, choose_template, render

    name, text = choose_template(register_root, template, HTML_TEMPLATE)
    context = {**daten, "dokument": dokument, "kennungen": kennungen}
    return render(text, name, context, html=True)


def schreiben(
    register_root: Path,
    dokument: Dokument,
    daten: Mapping[str, Any],
    fmt: str,
    template: Path | None,
    *,
    kennungen: bool = False,
) -> Datei:
    """The document as ``fmt`` (one of ``FORMATE``)."""
    if fmt not in FORMATE:
        raise ValueError(f"kein Format für Dokumente: {fmt}")
    if fmt == "docx":
        from ihk.word import word

        return Datei(word(dokument))
    html = als_html(register_root, dokument, daten, template, kennungen=kennungen)
    if fmt == "html":
        return Datei(html)
    from ihk.pdf import drucken

    printed = drucken(html, titel=dokument.titel)
    return Datei(printed.pdf, printed.hinweise)
