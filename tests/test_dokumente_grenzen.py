"""Documents for the council at their limits: hostile register text, very long names and
words, ids in narrow columns, page breaks in the IHK table, and the command line's
edges (a suffix that contradicts --format, a template WeasyPrint cannot lay out).

Each PDF is made once per test run (WeasyPrint takes seconds).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests import pdfcheck
from tests.test_dokumente import MARGINS, Made, body_text, make

#: A word of 200 characters that no dictionary hyphenates, and a long web address.
LANG = "Donaudampfschifffahrts" * 9 + "xy"
URL = "https://example.org/" + "a/b-c_d.e?f=g&h=" * 6 + "ende"
GEBIET = "Gebiet " + "Langername" * 20 + " am Fluss"
TITEL = "Fortschreibung des Integrierten Handlungskonzepts – " + GEBIET


def _git(root: Path, *args: str, when: str = "") -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Quartiermanagement Test",
        "GIT_AUTHOR_EMAIL": "qm@example.org",
        "GIT_COMMITTER_NAME": "Quartiermanagement Test",
        "GIT_COMMITTER_EMAIL": "qm@example.org",
    }
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture(scope="session")
def feindlich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register whose every text is hard to print: markup, template syntax, a 200-letter
    word, a web address, tabs and line breaks, an area name too long for a header line."""

    def q(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    root = tmp_path_factory.mktemp("feindlich") / "register"
    for folder in ("massnahmen", "gremien", "projekte"):
        (root / folder).mkdir(parents=True)
    (root / "ihk.yaml").write_text(
        f"gebiet: {q(GEBIET)}\ngemeinde: {q('Gemeinde <b>&amp;</b>')}\n"
        f"programm: {q('Soziale Stadt {{ 7*7 }}')}\nziele:\n"
        f"  wohnen:\n    titel: {q('Wohnen </style><script>alert(1)</script>')}\n"
        "  leer:\n    titel: Ziel ohne Maßnahmen\n",
        encoding="utf-8",
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "leer", when="2005-12-01T12:00:00+01:00")
    _git(root, "tag", "stand-2005")
    traeger = [f"Träger {n} Sanierungsträger" for n in range(12)] + [LANG, URL]
    (root / "massnahmen" / "zentrum.yaml").write_text(
        f"titel: {q('Zentrum {% if 1 %}{{ x }}{% endif %} & <i>Café</i>')}\n"
        f"oberziel: wohnen\ntraeger: {q(traeger)}\n"
        f"finanzierung:\n  staedtebaufoerderung: true\n  sonstige: {q([LANG])}\n"
        "status: in_planung\naufgenommen: 2006-03\n"
        f"nachtraege:\n  - stand: 2006-05\n    text: {q('Erste Zeile' + chr(10) + chr(9) + 'zweite Zeile ' + URL)}\n",
        encoding="utf-8",
    )
    (root / "gremien" / "rat.yaml").write_text(
        "name: Rat\nart: rat\nsitzungen:\n  - datum: 2006-04-01\n    beschluesse:\n"
        f"      - text: {q('Absatz eins' + chr(10) * 2 + 'Absatz zwei')}\n"
        "        massnahmen: [zentrum]\n",
        encoding="utf-8",
    )
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "feindlich", when="2006-06-01T12:00:00+02:00")
    return root


@pytest.fixture(scope="session")
def feindlich_pdf(feindlich: Path) -> Made:
    return make(feindlich, "fortschreibung", "2005..HEAD", "--format", "pdf")


def test_hostile_text_prints_inside_the_page(feindlich_pdf: Made) -> None:
    """The title with a 200-letter name wraps on the page; the running header and footer
    stay one line each (the name cut with "…"), the page number whole."""
    seiten = pdfcheck.read(feindlich_pdf.data)
    assert pdfcheck.glyphs_outside(seiten, MARGINS) == []
    assert pdfcheck.overlapping_glyphs(seiten) == []
    assert pdfcheck.cells_overflowing(seiten)[1] == []
    assert feindlich_pdf.stderr == ""
    for number, page in enumerate(seiten, 1):
        for band in ("kopf", "fuss"):
            if band == "kopf":
                chars = [c for c in page.chars if c["bottom"] < MARGINS.top * pdfcheck.MM]
            else:
                limit = page.height - MARGINS.bottom * pdfcheck.MM
                chars = [c for c in page.chars if c["top"] > limit]
            if not chars and band == "kopf" and number == 1:
                continue  # the title page has no running header
            assert len({round(c["top"]) for c in chars}) == 1, (number, band)
            line = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
            assert "Gebiet Langername" in line and "…" in line and "am Fluss" not in line
            if band == "fuss":
                assert line.endswith(f"Seite {number} von {len(seiten)}")
    text = pdfcheck.text_of(feindlich_pdf.data).replace("\n", "")
    assert "Gemeinde <b>&amp;</b>" in text and "Café</i>" in text


def test_hostile_text_in_html_is_text(feindlich: Path) -> None:
    """Markup, template syntax and entities arrive as the user typed them; only a very
    long word may break anywhere, never a whole cell (which costs WeasyPrint the square
    of the cell's length: a cell of 50 Träger and one web address took 12 s)."""
    import html5lib

    html = make(feindlich, "fortschreibung", "2005..HEAD", "--format", "html").data.decode()
    html5lib.HTMLParser(strict=True).parse(html)
    assert "<script" not in html and "<i>" not in html and "<b>" not in html
    text = body_text(html)
    assert "Zentrum {% if 1 %}{{ x }}{% endif %} & <i>Café</i>" in text
    assert "Soziale Stadt {{ 7*7 }}" in text and "Gemeinde <b>&amp;</b>" in text
    assert "Erste Zeile zweite Zeile https://" in text  # a tab and line break: one space
    breaking = re.findall(r'<span class="lang">([^<]*)</span>', html)
    assert {LANG, LANG + ",", URL.replace("&", "&amp;")} <= set(breaking)
    assert all(len(word) >= 24 and not re.search(r"\s", word) for word in breaking)
    assert not re.search(r"<td[^>]*lang", html)


def test_hostile_text_in_word(feindlich: Path) -> None:
    """A title longer than Word's 255 characters for the document's properties is cut
    there (the heading keeps all of it); tabs and line breaks read as in the HTML."""
    import docx

    doc = docx.Document(io.BytesIO(make(feindlich, "fortschreibung", "2005..HEAD",
                                        "--format", "docx").data))  # fmt: skip
    assert len(TITEL) > 255
    assert doc.core_properties.title == TITEL[:254] + "…"
    assert doc.paragraphs[0].style.name == "Heading 1" and doc.paragraphs[0].text == TITEL
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert not [t for t in texts if "\n" in t or "\tzweite" in t]
    assert any("Absatz eins Absatz zwei" in t for t in texts)
    assert any("Erste Zeile zweite Zeile" in t for t in texts)


def test_the_working_tree_reads_as_german_in_sentences(feindlich: Path) -> None:
    text = body_text(make(feindlich, "fortschreibung", "HEAD..", "--format", "html").data.decode())
    assert " bis zum aktuellen Stand " in text
    assert re.search(
        r"Zwischen Stand vom 1\. Juni 2006 und dem aktuellen Stand \([0-9]+\. \w+ [0-9]{4}\) "
        r"hat sich am Integrierten Handlungskonzept nichts geändert\.",
        text,
    )
    assert re.search(r"und dem aktuellen Stand \([^)]*\)\.$", text)
    assert not re.search(r"(und|für|aus|bis) aktueller Stand", text)


# ------------------------------------------------------------------ the IHK table with ids


@pytest.fixture(scope="session")
def alle_mit_kennungen(demo_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:  # fmt: skip
    """``ihk export --stand 2006 --kind all --kennungen`` of the demo, once per suffix."""
    from ihk.cli import app

    folder = tmp_path_factory.mktemp("kennungen")
    made: dict[str, bytes] = {}

    def get(suffix: str) -> bytes:
        if suffix not in made:
            target = folder / f"ihk{suffix}"
            result = CliRunner().invoke(app, ["--register", str(demo_repo), "export", "--stand",
                                              "2006", "--kind", "all", "--kennungen", str(target)])  # fmt: skip
            assert result.exit_code == 0, result.stderr
            made[suffix] = target.read_bytes()
        return made[suffix]

    return get


def _rows(page: pdfcheck.Seite) -> list[str]:
    """The text of each table row of the page, top to bottom."""
    rows = sorted({(round(top), round(bottom)) for _, top, _, bottom in page.cells})
    out = []
    for top, bottom in rows:
        chars = [c for c in page.chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        out.append(
            "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
        )
    return out


def test_a_goal_heading_row_is_never_last_on_a_page(alle_mit_kennungen: Callable[[str], bytes]) -> None:  # fmt: skip
    seiten = pdfcheck.read(alle_mit_kennungen(".pdf"))
    assert len(seiten) >= 3
    for number, page in enumerate(seiten, 1):
        rows = [r for r in _rows(page) if r]
        assert not rows[-1].startswith("Oberziel:"), (number, rows[-1])
        if number > 1:  # a Nachtrag stays with its measure
            assert not rows[1].startswith(("Ursprünglich", "Schlussabrechnung")), number
    assert pdfcheck.glyphs_outside(seiten, pdfcheck.Margins(18, 16, 20, 20)) == []


def test_ids_are_printed_as_they_are(alle_mit_kennungen: Callable[[str], bytes]) -> None:
    """Staff copy ids from the document: hyphenation must not put a hyphen into one
    ("(ver‐fuegungsfonds)"); an id breaks only at its own hyphens."""
    seiten = pdfcheck.read(alle_mit_kennungen(".pdf"))
    ids = [c for page in seiten for c in page.chars if "Mono" in c["fontname"]]
    assert len(ids) > 400  # the 27 ids are there, in their monospaced type
    assert [c["text"] for c in ids if c["text"] == "\u2010"] == []  # the hyphenation hyphen


def test_word_keeps_goal_rows_and_nachtraege_with_their_measure(
    alle_mit_kennungen: Callable[[str], bytes],
) -> None:
    import docx

    table = docx.Document(io.BytesIO(alle_mit_kennungen(".docx"))).tables[0]
    kept: list[bool] = []
    for row, following in zip(table.rows[1:], table.rows[2:], strict=False):
        keep = all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
        if row.cells[0].text.startswith("Oberziel:") or following.cells[-2].text.startswith(
            "Nachtrag"
        ):
            assert keep, row.cells[0].text
        kept.append(keep)
    assert not all(kept)  # other rows may go to the next page


# ------------------------------------------------------------------ lines and widths


def test_an_arrow_never_starts_a_line(demo_repo: Path) -> None:
    """ "abgerechnet: – → 480.000 €" in a narrow column broke after the dash (a dash allows
    a break even before a no-break space): the arrow began the next line."""
    from ihk import ratsfassung
    from ihk.commands.fortschreibung import fortschreibung_data
    from ihk.dokument import Tabelle, klartext
    from ihk.pdf import drucken
    from ihk.workspace import Workspace

    document = ratsfassung.fortschreibung(fortschreibung_data(Workspace(demo_repo), "2001..2006"))
    lines = {
        klartext(line)
        for block in document.bloecke
        if isinstance(block, Tabelle)
        for row in block.zeilen
        for cell in row.zellen
        for line in cell
        if "→" in klartext(line) and "–" in klartext(line)
    }
    assert any(line.startswith("abgerechnet: –") for line in lines)
    from markupsafe import escape

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in sorted(lines))
    pdf = drucken(
        "<html lang='de'><style>@page { size: A4; margin: 20mm }"
        f"p {{ width: 24mm; font-size: 8.5pt; hyphens: auto }}</style>{paragraphs}</html>"
    ).pdf
    printed = pdfcheck.text_of(pdf).splitlines()
    assert [line for line in printed if line.lstrip().startswith("→")] == []


def test_word_columns_of_dates_keep_their_width() -> None:
    """When the longest words of all columns do not fit, the columns whose text wraps
    give way, not the one of dates, and none below its heading ("Aufnahm-e", "Summ-e"
    in LibreOffice); an amount held by no-break spaces is one word."""
    from ihk.dokument import Spalte, Tabelle, Tabellenzeile, zeile
    from ihk.word import _BOLD_CHAR, _CHAR, _PADDING, column_widths

    columns = (Spalte("Maßnahme"), Spalte("Träger"), Spalte("Änderungen"),
               Spalte("Aufnahme", "kurz"), Spalte("Finanzierung"))  # fmt: skip
    row = Tabellenzeile(((zeile("x" * 40),), (zeile("y" * 40),),
                         (zeile("Plan 2006: 200.000\u00a0€\u00a0→\u00a0–"),), (zeile("März 2006"),),
                         (zeile("ja"),)))  # fmt: skip
    widths = column_widths(Tabelle(columns, (row,)), usable=int(_CHAR * 80))
    assert sum(widths) <= _CHAR * 80
    assert widths[3] == _BOLD_CHAR * len("Aufnahme") + _PADDING
    for width, column in zip(widths, columns, strict=True):
        assert width >= _BOLD_CHAR * len(column.titel) + _PADDING, column.titel
    roomy = column_widths(Tabelle(columns, (row,)), usable=int(_CHAR * 200))
    assert roomy[2] >= _CHAR * len("200.000 € → –") + _PADDING


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize(
    "args",
    [("fortschreibung", "2005..2006", "-o", "{}/f.docx", "--format", "pdf"),
     ("export", "{}/t.docx", "--format", "pdf"),
     ("fortschreibung", "2005..2006", "-o", "{}/f.md", "--format", "html")],
)  # fmt: skip
def test_a_suffix_that_contradicts_format_is_refused(
    demo_repo: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    from ihk.cli import app

    argv = [a.format(tmp_path) for a in args]
    result = CliRunner().invoke(app, ["--register", str(demo_repo), *argv])
    assert result.exit_code == 2
    assert "passt nicht zu --format" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_html_that_weasyprint_cannot_lay_out_is_the_templates_error(
    demo_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint fails an assertion on some CSS a template may write (``calc(1px +)``):
    a German error naming the template, exit 1, nothing written."""
    import weasyprint

    from ihk.cli import app

    def trips(*_: Any, **__: Any) -> None:
        raise AssertionError

    monkeypatch.setattr(weasyprint.HTML, "render", trips)
    template = tmp_path / "vorlage.html.j2"
    template.write_text("<html lang='de'><style>p { width: calc(1px +) }</style><p>x</p></html>")
    target = tmp_path / "f.pdf"
    result = CliRunner().invoke(app, ["--register", str(demo_repo), "fortschreibung", "2005..2006",
                                      "--template", str(template), "-o", str(target)])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"Fehler: {template}: WeasyPrint kann dieses HTML nicht zu einem PDF setzen "
        "(AssertionError); nichts geschrieben (mit --format html lässt sich das HTML ansehen)\n"
    )
    assert not target.exists()


def test_weasyprints_notes_are_german() -> None:
    """What WeasyPrint reports (in English) reaches the user in German; the characters no
    font has are named in one line."""
    import logging

    from ihk.pdf import _Collect

    collect = _Collect()
    for message, args in (
        ('.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)', ("🎉", 0x1F389)),
        ('.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)', ("漢", 0x6F22)),
        ('.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)', ("🎉", 0x1F389)),
        ("Ignored `%s: %s` at %d:%d, %s.", ("colr", "red", 3, 5, "unknown property")),
        ("Font-face %r cannot be loaded", ("Hausschrift",)),
        ("Unsupported color space %s, use sRGB instead", ("cmyk",)),
    ):  # fmt: skip
        collect.emit(logging.LogRecord("weasyprint", logging.WARNING, "", 0, message, args, None))
    assert collect.notes() == [
        "CSS übergangen (unbekannte Eigenschaft): colr: red",
        "Schrift „Hausschrift“ nicht geladen (nur Schriften dieses Rechners oder aus "
        "data:-Adressen); eine andere Schrift steht an ihrer Stelle",
        "WeasyPrint meldet: Unsupported color space cmyk, use sRGB instead",
        "keine Schrift dieses Rechners hat ein Zeichen für „🎉“ (U+1F389), „漢“ (U+6F22); im "
        "PDF stehen dort leere Kästchen (eine Schrift installieren, die sie enthält, etwa Noto)",
    ]


def test_export_into_stdout_keeps_its_message_out_of_the_data(demo_repo: Path) -> None:
    """`ihk export /dev/stdout --format pdf | lpr`: the confirmation went to stdout too,
    after the PDF's %%EOF, into the printer."""
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "ihk", "--register", str(demo_repo), "export", "/dev/stdout",
         "--format", "html"],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"<!DOCTYPE html>") and run.stdout.endswith(b"</html>\n")
    assert run.stderr.decode().startswith("IHK-Tabelle geschrieben: /dev/stdout – 16 Maßnahmen")
