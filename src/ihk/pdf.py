"""Printing HTML to PDF with WeasyPrint (the only module that imports it).

The HTML is the master (``templates/dokument.html.j2``): its print CSS sets the page
(A4, margins, running footer, page numbers) and WeasyPrint lays it out, hyphenating
German with pyphen because the document says ``lang="de"``, which also becomes the
PDF's language. A document is self-contained: nothing is fetched, neither from the
network nor from local files (a register's own template could otherwise copy any file
of the machine into the PDF); only ``data:`` URLs are read. What WeasyPrint could not
use (a refused URL, CSS it does not know) is returned as German notes, not printed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ihk.errors import IhkError, InvalidInput


@dataclass(frozen=True)
class Gedruckt:
    pdf: bytes
    #: What WeasyPrint left out or did not understand, one German line each.
    hinweise: list[str]


#: Notes about the machine, not the document (a font library older than WeasyPrint
#: likes: it falls back to fontTools and the PDF is the same).
_NOT_ABOUT_THE_DOCUMENT = ("HarfBuzz",)

#: WeasyPrint's notes that a user may cause, and how they read in German. Each pattern
#: matches the note as WeasyPrint words it (weasyprint/draw/text.py, css/__init__.py,
#: images.py, text/fonts.py, css/validation/); anything else is quoted as it is.
_MISSING_GLYPH = re.compile(
    r'^\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)" \((U\+[0-9A-F]+)\)$',
    re.S,
)
_FAILED = re.compile(r"^Failed to load (stylesheet|image) at '?(.*?)'?\s?: (.*)$", re.S)
_FONT_FACE = re.compile(r"^Font-face '(.*)' cannot be loaded$", re.S)
_IGNORED = re.compile(r"^Ignored `(.*)` at \d+:\d+, (.*?)\.?$", re.S)
_CSS_REASONS = {"unknown property": "unbekannte Eigenschaft", "invalid value": "ungültiger Wert"}
_WHAT = {"stylesheet": "Stilvorlage", "image": "Bild"}


def _kurz(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _deutsch(message: str) -> str:
    """One of WeasyPrint's notes in German."""
    if m := _FAILED.match(message):
        what, url, reason = _WHAT[m.group(1)], _kurz(m.group(2)), m.group(3)
        if "disallowed protocol" in reason:
            return (
                f"{what} {url} nicht geladen: ein Dokument holt nichts von außen, weder aus "
                "dem Netz noch aus Dateien (nur data:-Adressen)"
            )
        return f"{what} {url} nicht lesbar ({_kurz(reason)})"
    if m := _FONT_FACE.match(message):
        return (
            f"Schrift „{_kurz(m.group(1).strip(chr(39)))}“ nicht geladen (nur Schriften dieses "
            "Rechners oder aus data:-Adressen); eine andere Schrift steht an ihrer Stelle"
        )
    if m := _IGNORED.match(message):
        reason = _CSS_REASONS.get(m.group(2), m.group(2))
        return f"CSS übergangen ({_kurz(reason)}): {_kurz(m.group(1))}"
    return f"WeasyPrint meldet: {_kurz(message, 300)}"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        #: Characters no font of the machine has: "„🎉“ (U+1F389)".
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a message that does not format is still a note
            message = str(record.msg)
        if any(word in message for word in _NOT_ABOUT_THE_DOCUMENT):
            return
        if m := _MISSING_GLYPH.match(message):
            glyph = f"„{m.group(1)}“ ({m.group(2)})"
            if glyph not in self.missing:
                self.missing.append(glyph)
            return
        line = _deutsch(message)
        if line not in self.lines:
            self.lines.append(line)

    def notes(self) -> list[str]:
        """Every note, one line each; the missing characters in one line."""
        lines = list(self.lines)
        if self.missing:
            shown = ", ".join(self.missing[:20]) + (" …" if len(self.missing) > 20 else "")
            lines.append(
                f"keine Schrift dieses Rechners hat ein Zeichen für {shown}; im PDF stehen dort "
                "leere Kästchen (eine Schrift installieren, die sie enthält, etwa Noto)"
            )
        return lines


def drucken(html: str, *, titel: str | None = None, quelle: str = "HTML") -> Gedruckt:
    """The PDF of ``html``; ``quelle`` names where the HTML came from (its template) in a
    message when WeasyPrint cannot lay it out."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except OSError as e:  # WeasyPrint needs Pango (a system library)
        raise IhkError(
            "Für PDF braucht ihk die Bibliothek Pango (unter Debian/Ubuntu: "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0): {' '.join(str(e).split())}"
        ) from None
    fetcher = URLFetcher(allowed_protocols={"data"})
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render()
        if titel and not document.metadata.title:
            document.metadata.title = titel
        pdf = document.write_pdf()
    except MemoryError:
        raise InvalidInput(f"{quelle}: nicht genug Speicher, um das PDF zu setzen") from None
    except Exception as e:
        # WeasyPrint trips over some HTML and CSS a template may write (``calc(1px +)``
        # fails an assertion, thousands of nested elements a recursion): the template's
        # doing, since the built-in one writes neither
        detail = _kurz(f"{type(e).__name__}: {e}" if str(e) else type(e).__name__, 200)
        raise InvalidInput(
            f"{quelle}: WeasyPrint kann dieses HTML nicht zu einem PDF setzen ({detail}); "
            "nichts geschrieben (mit --format html lässt sich das HTML ansehen)"
        ) from e
    finally:
        logger.removeHandler(collect)
    assert isinstance(pdf, bytes)
    return Gedruckt(pdf, [f"PDF: {line}" for line in collect.notes()])
