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
from dataclasses import dataclass

from ihk.errors import IhkError


@dataclass(frozen=True)
class Gedruckt:
    pdf: bytes
    #: What WeasyPrint left out or did not understand, one German line each.
    hinweise: list[str]


#: Notes about the machine, not the document (a font library older than WeasyPrint
#: likes: it falls back to fontTools and the PDF is the same).
_NOT_ABOUT_THE_DOCUMENT = ("HarfBuzz",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a message that does not format is still a note
            message = str(record.msg)
        line = " ".join(message.split())
        if any(word in line for word in _NOT_ABOUT_THE_DOCUMENT):
            return
        if line not in self.lines:
            self.lines.append(line)


def drucken(html: str, *, titel: str | None = None) -> Gedruckt:
    """The PDF of ``html``."""
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
    finally:
        logger.removeHandler(collect)
    assert isinstance(pdf, bytes)
    return Gedruckt(pdf, [f"PDF: {line}" for line in collect.lines])
