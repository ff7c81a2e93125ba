"""Documents for the council at their limits: hostile register text, very long names and
words, ids in narrow columns, page breaks in the IHK table, and the command line's
edges (a suffix that contradicts --format, a template WeasyPrint cannot lay out).

Each PDF is made once per test run (WeasyPrint takes seconds).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

#: A word of 200 characters that no dictionary hyphenates, and a long web address.
LANG = "Donaudampfschifffahrts" * 9 + "xy"
URL = "https://example.org/" + "a/b-c_d.e?f=g&h=" * 6 + "ende"
GEBIET = "Gebiet " + "Langername" * 20 + " am Fluss"
TITEL = "Fortschreibung des Integrierten Handlungskonzepts – " + GEBIET


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


def test_word_columns_of_dates_keep_their_width() -> None:
    """When the longest words of all columns do not fit, the columns whose text wraps
    give way, not the one of dates; an amount held by no-break spaces is one word."""
    from ihk.dokument import Spalte, Tabelle, Tabellenzeile, zeile
    from ihk.word import _BOLD_CHAR, _CHAR, _PADDING, column_widths

    columns = (Spalte("Maßnahme"), Spalte("Träger"), Spalte("Änderungen"),
               Spalte("Aufnahme", "kurz"))  # fmt: skip
    row = Tabellenzeile(((zeile("x" * 40),), (zeile("y" * 40),),
                         (zeile("Plan 2006: 200.000\u00a0€\u00a0→\u00a0–"),), (zeile("März 2006"),)))  # fmt: skip
    widths = column_widths(Tabelle(columns, (row,)), usable=int(_CHAR * 60))
    assert widths[3] == _BOLD_CHAR * len("Aufnahme") + _PADDING
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
