"""Documents for the council (issue 12, SPEC §8): the Fortschreibung as HTML, PDF and Word.

Each document of the demo is made once per test run (WeasyPrint takes seconds) and
checked as a reader would: A4 pages, German, nothing outside the text area, no text
over other text or out of its table cell, no heading alone at the end of a page; Word
with German set, A4, tables with a header row; HTML that parses as HTML5.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests import pdfcheck
from tests.conftest import DATA, Result, git

#: The @page margins of the built-in template (mm): top, right, bottom, left.
MARGINS = pdfcheck.Margins(18, 16, 20, 20)
A4 = (595.28, 841.89)


@dataclass(frozen=True)
class Made:
    data: bytes
    stderr: str


def make(root: Path, *args: str) -> Made:
    """``ihk --register root …`` in-process; stdout as bytes (a PDF into a pipe)."""
    from ihk.cli import app

    result = CliRunner().invoke(app, ["--register", str(root), *args])
    assert result.exit_code == 0, result.stderr
    return Made(result.stdout_bytes, result.stderr)


@pytest.fixture(scope="session")
def fs_html(demo_repo: Path) -> str:
    return make(demo_repo, "fortschreibung", "2005..2006", "--format", "html").data.decode()


@pytest.fixture(scope="session")
def fs_pdf(demo_repo: Path) -> Made:
    return make(demo_repo, "fortschreibung", "2005..2006", "--format", "pdf")


@pytest.fixture(scope="session")
def fs_seiten(fs_pdf: Made) -> list[pdfcheck.Seite]:
    return pdfcheck.read(fs_pdf.data)


@pytest.fixture(scope="session")
def fs_docx(demo_repo: Path) -> bytes:
    return make(demo_repo, "fortschreibung", "2005..2006", "--format", "docx").data


def body_text(html: str) -> str:
    """What a browser shows of the document's body (tags and the style sheet gone)."""
    import html5lib

    tree = html5lib.parse(html, namespaceHTMLElements=False)
    body = tree.find("body")
    assert body is not None
    return " ".join("".join(body.itertext()).split())


# ------------------------------------------------------------------ HTML


def test_the_html_matches_the_golden_file(fs_html: str) -> None:
    golden = (DATA / "golden" / "fortschreibung-2005-2006.html").read_text("utf-8")
    assert fs_html == golden


def test_the_html_is_html5_in_german_and_self_contained(fs_html: str) -> None:
    import html5lib

    html5lib.HTMLParser(strict=True).parse(fs_html)  # raises at the first parse error
    assert fs_html.startswith('<!DOCTYPE html>\n<html lang="de">')
    # nothing is fetched: no scripts, links, images, fonts or imports
    assert not re.search(r"<(script|link|img|iframe|object)\b|@import|url\(|src=|href=", fs_html)
    assert '<meta charset="utf-8">' in fs_html


def test_the_council_reads_names_not_ids(demo_repo: Path, fs_html: str) -> None:
    text = body_text(fs_html)
    for word in ("stettiner-platz", "kinder-jugend", "verfuegungsfonds", "Arbeitsstand"):
        assert word not in text
    assert not re.search(r"\b[0-9a-f]{12,40}\b", text)  # no long revisions
    # goals, committees and the records a Beschluss names, by their titles
    assert "Weitere Ziele: neu Verbesserung der Lebenssituation für Kinder und Jugendliche" in text
    assert (
        "Der Rat beschließt die Fortschreibung 2006 und die Einrichtung eines Verfügungsfonds. "
        "– betrifft: Einrichtung eines Verfügungsfonds für Aktionen der Bewohnerschaft" in text
    )
    # the short revisions in the colophon only
    tags = {t: git(demo_repo, "rev-parse", f"{t}^{{commit}}").strip() for t in ("stand-2005", "stand-2006")}  # fmt: skip
    assert text.endswith(
        "Erstellt mit ihk aus Stand 2005 (8. Dezember 2005), Revision "
        f"{tags['stand-2005'][:7]} und Stand 2006 (15. Dezember 2006), Revision "
        f"{tags['stand-2006'][:7]}."
    )
    assert text.count(tags["stand-2006"][:7]) == 1


def test_kennungen_adds_the_ids_for_staff(demo_repo: Path) -> None:
    html = make(demo_repo, "fortschreibung", "2005..2006", "--format", "html", "--kennungen")
    text = body_text(html.data.decode())
    assert "Umgestaltung der Stettiner Straße (stettiner-strasse)" in text
    assert "Einrichtung eines Verfügungsfonds für Aktionen der Bewohnerschaft (verfuegungsfonds)" in text  # fmt: skip


def test_html_escapes_what_users_typed(history: Path) -> None:
    html = make(history, "fortschreibung", "HEAD~2..HEAD", "--format", "html").data.decode()
    assert "&lt;b&gt;Bewohner*innen&lt;/b&gt; &amp; &#34;Gäste&#34;" in html
    assert "<b>" not in html
    assert "Tafel &lt;script&gt;alert(1)&lt;/script&gt;" in html


# ------------------------------------------------------------------ PDF


def test_the_pdf_has_a4_pages_in_german(fs_pdf: Made) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(fs_pdf.data))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4, abs=0.5
        )
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata is not None
    assert reader.metadata.title == "Fortschreibung des Integrierten Handlungskonzepts – Belm-Powe"
    # the outline (a PDF viewer's navigation): the title, the sections under it
    title, sections = reader.outline[0], reader.outline[1]
    assert title["/Title"] == "Fortschreibung des Integrierten Handlungskonzepts – Belm-Powe"
    assert [s["/Title"] for s in sections if not isinstance(s, list)][:2] == [
        "Bilanz",
        "Neue Maßnahmen",
    ]
    assert fs_pdf.stderr == ""  # no notes: the built-in template is clean CSS


def test_no_glyph_outside_the_text_area(fs_seiten: list[pdfcheck.Seite]) -> None:
    assert pdfcheck.glyphs_outside(fs_seiten, MARGINS) == []


def test_no_text_over_other_text_or_out_of_its_cell(fs_seiten: list[pdfcheck.Seite]) -> None:
    assert pdfcheck.overlapping_glyphs(fs_seiten) == []
    cells, problems = pdfcheck.cells_overflowing(fs_seiten)
    assert cells > 200  # the tables were found
    assert problems == []


def test_every_heading_is_followed_by_content_on_its_page(
    fs_seiten: list[pdfcheck.Seite],
) -> None:
    assert pdfcheck.headings_alone(fs_seiten, MARGINS) == []


def test_page_numbers_and_the_stand_in_every_footer(fs_pdf: Made, fs_seiten: list[pdfcheck.Seite]) -> None:  # fmt: skip
    pages = len(fs_seiten)
    for number, page in enumerate(fs_seiten, 1):
        footer = [c for c in page.chars if c["top"] > page.height - MARGINS.bottom * pdfcheck.MM]
        line = "".join(c["text"] for c in sorted(footer, key=lambda c: c["x0"]))
        assert "Fortschreibung des IHK Belm-Powe · Stand: 15. Dezember 2006" in line
        assert line.endswith(f"Seite {number} von {pages}")


def test_the_checks_see_what_a_bad_layout_gets_wrong() -> None:
    """The PDF checks fail on the faults of the issue: text beyond the page, text over
    neighbouring cells, a heading alone at the end of a page."""
    from ihk.pdf import drucken

    page = "@page { size: A4; margin: 18mm 16mm 20mm 20mm }"
    wide = drucken(
        f"<html lang='de'><style>{page} td {{ border: 1px solid; white-space: nowrap }}</style>"
        "<table><tr><td>" + "Oberziel " * 30 + "</td><td>x</td></tr></table></html>"
    ).pdf
    assert pdfcheck.glyphs_outside(pdfcheck.read(wide), MARGINS)
    over = drucken(
        f"<html lang='de'><style>{page} table {{ table-layout: fixed; width: 50mm }}"
        " td { border: 1px solid; width: 25mm; white-space: nowrap }</style>"
        "<table><tr><td>Wohnumfeldverbesserung</td><td>Träger</td></tr></table></html>"
    ).pdf
    seiten = pdfcheck.read(over)
    assert pdfcheck.overlapping_glyphs(seiten) and pdfcheck.cells_overflowing(seiten)[1]
    alone = drucken(
        f"<html lang='de'><style>{page}</style><div style='height: 240mm'></div>"
        "<h2 style='font-size: 13pt; break-after: auto'>Statusänderungen</h2>"
        "<p>" + "Text " * 400 + "</p></html>"
    ).pdf
    assert pdfcheck.headings_alone(pdfcheck.read(alone), MARGINS)


def test_a_document_fetches_nothing(tmp_path: Path) -> None:
    """A register's own template cannot copy a file of the machine (or anything from the
    network) into the PDF: nothing but data: URLs is read, and the user is told."""
    from ihk.pdf import drucken

    secret = tmp_path / "geheim.css"
    secret.write_text("body::after { content: 'GEHEIM' }")
    printed = drucken(
        f"<html lang='de'><link rel='stylesheet' href='file://{secret}'>"
        f"<img src='file://{secret}'><p>Text</p></html>"
    )
    assert "GEHEIM" not in pdfcheck.text_of(printed.pdf)
    assert printed.hinweise and all(n.startswith("PDF: ") for n in printed.hinweise)


# ------------------------------------------------------------------ Word


def test_the_word_file_is_german_a4_with_header_rows(fs_docx: bytes) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = docx.Document(io.BytesIO(fs_docx))
    assert doc.core_properties.language == "de-DE"
    assert (
        doc.core_properties.title == "Fortschreibung des Integrierten Handlungskonzepts – Belm-Powe"
    )
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:val")) == "de-DE"
    section = doc.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    # the heading hierarchy Word's navigation shows: the same sections as the HTML
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == (
        "Heading 1",
        "Fortschreibung des Integrierten Handlungskonzepts – Belm-Powe",
    )
    assert [t for s, t in headings if s == "Heading 2"] == [
        "Bilanz", "Neue Maßnahmen", "Statusänderungen", "Nicht weiter verfolgt",
        "Geänderte Maßnahmen", "Neue Nachträge", "Gremien", "Projekte", "Zielerreichung",
        "Kosten und Finanzierung",
    ]  # fmt: skip
    assert ("Heading 3", "Oberziel: Bürgerbeteiligung und Aktivierung") in headings
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    bilanz = doc.tables[0]
    assert [c.text for c in bilanz.rows[0].cells] == [
        "Oberziel", "in Planung", "in Umsetzung", "abgeschlossen", "nicht umgesetzt", "Summe",
    ]  # fmt: skip
    assert [c.text for c in bilanz.rows[-1].cells] == [
        "Gesamt", "2 → 3", "7 → 6", "4 → 5", "1 → 2", "14 → 16",
    ]  # fmt: skip
    # a state in its legend colour
    red = bilanz.rows[0].cells[1].paragraphs[0].runs[0].font.color.rgb
    assert str(red) == "C00000"
    # widths from the content: the goal's column is the widest
    widths = [c.width for c in bilanz.rows[0].cells]
    assert widths[0] == max(widths) and sum(widths) <= Mm(210 - 36) + 635 * len(widths)


def test_word_documents_have_no_template(demo_repo: Path, tmp_path: Path) -> None:
    from ihk.cli import app

    result = CliRunner().invoke(
        app, ["--register", str(demo_repo), "fortschreibung", "2005..2006", "-o",
              str(tmp_path / "x.docx"), "--template", str(tmp_path / "v.j2")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "ein Word-Dokument entsteht ohne Vorlage" in result.stderr
    assert not (tmp_path / "x.docx").exists()


# ------------------------------------------------------------------ the command line


def test_the_format_follows_the_suffix(demo_repo: Path, tmp_path: Path) -> None:
    from ihk.cli import app

    for name, start in (("f.html", b"<!DOCTYPE html>"), ("f.pdf", b"%PDF-"), ("f.docx", b"PK"),
                        ("f.md", b"# Fortschreibung"), ("f.json", b"{")):  # fmt: skip
        target = tmp_path / name
        result = CliRunner().invoke(
            app, ["--register", str(demo_repo), "fortschreibung", "2005..2006", "-o", str(target)]
        )
        assert result.exit_code == 0, result.stderr
        assert target.read_bytes().startswith(start), name
        assert result.stderr.endswith(f"Fortschreibung geschrieben: {target}\n")


def test_a_binary_format_is_not_for_the_terminal(demo_repo: Path) -> None:
    """To a terminal PDF and Word are refused before any work (exit 2); into a pipe they
    are written as they are."""
    import pty

    main, other = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    run = subprocess.run(
        [sys.executable, "-m", "ihk", "--register", str(demo_repo), "fortschreibung",
         "2005..2006", "--format", "docx"],
        stdout=other, stderr=subprocess.PIPE, env=env, timeout=120,
    )  # fmt: skip
    os.close(other)
    os.close(main)
    assert run.returncode == 2
    assert run.stderr.decode() == (
        "Fehler: Word (DOCX) ist ein Binärformat und gehört nicht aufs Terminal: -o DATEI.docx "
        "angeben (oder in eine Datei oder ein Programm umleiten)\n"
    )
    piped = subprocess.run(
        [sys.executable, "-m", "ihk", "--register", str(demo_repo), "fortschreibung",
         "2005..2006", "--format", "docx"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK\x03\x04")


def test_json_adds_what_the_council_reads(demo_repo: Path) -> None:
    data = json.loads(make(demo_repo, "fortschreibung", "2005..2006", "--format", "json").data)
    assert data["bis"]["anzeige"] == "Stand 2006" and data["bis"]["entwurf"] is False
    assert data["bis"]["revision_kurz"] == data["bis"]["revision"][:7]
    decision = data["gremien"]["sitzungen"][1]["beschluesse"][0]
    assert decision["massnahmen"] == ["verfuegungsfonds"]  # unchanged
    assert decision["verweise"] == [
        {"art": "massnahme", "id": "verfuegungsfonds",
         "titel": "Einrichtung eines Verfügungsfonds für Aktionen der Bewohnerschaft"}
    ]  # fmt: skip
    goals = next(
        a
        for m in data["geaenderte_massnahmen"]
        for a in m["aenderungen"]
        if a["feld"] == "weitere_ziele"
    )
    assert goals["hinzu"] == ["kinder-jugend"]  # unchanged
    assert goals["hinzu_text"] == ["Verbesserung der Lebenssituation für Kinder und Jugendliche"]
    assert data["gremien"]["sitzungen"][0]["name"] == "Sanierungsforum Belm-Powe"


# ------------------------------------------------------------------ a small register


@pytest.fixture
def history(example: Path, ihk: Callable[..., Result]) -> Path:
    """The example register with two more commits whose texts are hard to print."""
    for change in (
        ("set", "belmer-tafel", "titel=Tafel <script>alert(1)</script>"),
        ("set", "sozialstation", 'traeger+=<b>Bewohner*innen</b> & "Gäste"',
         "traeger+=Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"),
    ):  # fmt: skip
        result = ihk(*change, cwd=example)
        assert result.exit_code == 0, result.stderr
    return example


def test_long_words_and_markup_print_inside_their_cells(history: Path) -> None:
    made = make(history, "fortschreibung", "HEAD~2..HEAD", "--format", "pdf")
    seiten = pdfcheck.read(made.data)
    assert pdfcheck.glyphs_outside(seiten, MARGINS) == []
    assert pdfcheck.overlapping_glyphs(seiten) == []
    assert pdfcheck.cells_overflowing(seiten)[1] == []
    text = pdfcheck.text_of(made.data).replace("-\n", "").replace("\n", "").replace("\f", "")
    assert '<b>Bewohner*innen</b> & "Gäste"' in text
    assert "Tafel <script>alert(1)</script>" in text


def test_a_registers_own_html_template_is_used(history: Path, ihk: Callable[..., Result]) -> None:
    (history / "templates").mkdir()
    (history / "templates" / "dokument.html.j2").write_text(
        "<!DOCTYPE html><html lang='de'><title>{{ dokument.titel }}</title>"
        "<p>{{ gebiet }}: {% for b in dokument.bloecke if b.block == 'ueberschrift' %}"
        "{{ b.inhalt[0].text }};{% endfor %}</p></html>\n",
        encoding="utf-8",
    )
    result = ihk("fortschreibung", "HEAD~2..HEAD", "--format", "html", cwd=history)
    assert result.exit_code == 0, result.stderr
    assert (
        "<title>Fortschreibung des Integrierten Handlungskonzepts – Belm-Powe</title>"
        in result.stdout
    )
    assert "<p>Belm-Powe: Bilanz;Geänderte Maßnahmen;Zielerreichung;" in result.stdout


def test_a_draft_says_so_and_names_files_it_could_not_read(history: Path) -> None:
    (history / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    html = make(history, "fortschreibung", "HEAD~2..", "--format", "html").data.decode()
    text = body_text(html)
    assert "Bisaktueller Stand (Entwurf, " in text  # <dt>Bis</dt><dd>…
    assert (
        "Hinweis: ungültige Dateien Diese Dateien des Registers ließen sich nicht lesen und "
        "fehlen in der Auswertung: massnahmen/kaputt.yaml (aktueller Stand)" in text
    )
    assert "Arbeitsstand" not in text and "committ" not in text


# ------------------------------------------------------------------ the IHK table


@pytest.fixture(scope="session")
def tabelle(demo_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:
    """``ihk export --stand 2006 ihk.SUFFIX`` of the demo, made once per suffix."""
    from ihk.cli import app

    folder = tmp_path_factory.mktemp("export")
    made: dict[str, bytes] = {}

    def get(suffix: str) -> bytes:
        if suffix not in made:
            target = folder / f"ihk{suffix}"
            result = CliRunner().invoke(
                app, ["--register", str(demo_repo), "export", "--stand", "2006", str(target)]
            )
            assert result.exit_code == 0, result.stderr
            assert result.stderr == ""
            made[suffix] = target.read_bytes()
        return made[suffix]

    return get


def test_the_tables_html_matches_the_golden_file(tabelle: Callable[[str], bytes]) -> None:
    import html5lib

    html = tabelle(".html").decode()
    html5lib.HTMLParser(strict=True).parse(html)
    golden = (DATA / "golden" / "ihk-tabelle-2006.html").read_text("utf-8")
    assert html == golden


def test_the_tables_pdf_is_a4_landscape_and_sound(tabelle: Callable[[str], bytes]) -> None:
    from pypdf import PdfReader

    pdf = tabelle(".pdf")
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4[::-1], abs=0.5)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    seiten = pdfcheck.read(pdf)
    assert pdfcheck.glyphs_outside(seiten, MARGINS) == []
    assert pdfcheck.overlapping_glyphs(seiten) == []
    cells, problems = pdfcheck.cells_overflowing(seiten)
    assert cells > 100 and problems == []
    assert pdfcheck.headings_alone(seiten, MARGINS) == []
    assert len(seiten) >= 2
    for page in seiten:  # "Stand: <date>" in the header of every page
        head = [c for c in page.chars if c["bottom"] < MARGINS.top * pdfcheck.MM]
        line = "".join(c["text"] for c in sorted(head, key=lambda c: c["x0"]))
        assert line == "Integriertes Handlungskonzept Belm-PoweStand: 15. Dezember 2006"
    for number, page_text in enumerate(pdfcheck.text_of(pdf).split("\f"), 1):
        # the table's header row on every page it runs onto
        assert "Maßnahmen/Projekte Weitere Ziele" in page_text, number
    text = pdfcheck.text_of(pdf)
    assert text.rstrip().splitlines()[-2].endswith("Schwarz = war geplant, nicht umgesetzt")


def test_the_tables_rows_have_the_legends_colours(tabelle: Callable[[str], bytes]) -> None:
    seiten = pdfcheck.read(tabelle(".pdf"))
    colours: dict[str, set[tuple[float, ...]]] = {}
    for page in seiten:
        lines: dict[int, list[dict[str, Any]]] = {}
        for c in page.chars:
            lines.setdefault(round(c["top"]), []).append(c)
        for chars in lines.values():
            text = "".join(str(c["text"]) for c in sorted(chars, key=lambda c: c["x0"]))
            for state in ("in Planung", "in Umsetzung", "abgeschlossen"):
                if text.endswith(state):
                    colours.setdefault(state, set()).add(tuple(chars[-1]["non_stroking_color"]))
    red, blue, green = (0xC0 / 255, 0, 0), (0x0B / 255, 0x5C / 255, 0xAD / 255), (0x13 / 255, 0x73 / 255, 0x33 / 255)  # fmt: skip
    for state, rgb in (("in Planung", red), ("in Umsetzung", blue), ("abgeschlossen", green)):
        assert len(colours[state]) == 1
        assert next(iter(colours[state])) == pytest.approx(rgb, abs=0.01)


def test_the_tables_word_file(tabelle: Callable[[str], bytes]) -> None:
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(tabelle(".docx")))
    section = doc.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((297, 210), abs=0.1)
    assert doc.core_properties.language == "de-DE"
    table = doc.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[0].cells] == [
        "Maßnahmen/Projekte", "Weitere Ziele", "Ausführende Träger/Beteiligte", "Stbauf.",
        "Sonst. F.", "Kosten", "Aufn. in Konzept", "Stand",
    ]  # fmt: skip
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1] == ["Oberziel: Wohn- und Wohnumfeldverbesserung"] * 8  # one merged cell
    platz = next(r for r in rows if r[0].startswith("Umgestaltung öffentlicher Flächen"))
    assert platz[1:] == [
        "Bürgerbeteiligung und Aktivierung; Quartiersmarketing und Imagebildung",
        "Gemeinde, Bewohner", "Ja", "Gemeinde, ehrenamtliche Aktionen", "480.000\u00a0€",
        "Dez. 2001", "abgeschlossen",
    ]  # fmt: skip
    note = rows[rows.index(platz) + 1]
    assert note[0].startswith("Schlussabrechnung: 480.000 € statt 400.000 €")
    assert note[-2:] == ["Nachtrag Dez. 2006", ""]
    legend = [p.text for p in doc.paragraphs if "= war geplant, nicht umgesetzt" in p.text]
    assert legend == [
        "■ Grün = abgeschlossen und umgesetzt    ■ Blau = in der aktiven Umsetzungs-/"
        "Durchführungsphase    ■ Rot = in der Planung    ■ Schwarz = war geplant, nicht umgesetzt"
    ]
