"""The one CSV dialect: formulas disarmed and restored exactly; what Excel writes is read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihk import csvfile
from ihk.daten import betrag_aus, ja_nein_aus, monat_aus
from ihk.errors import InvalidInput


@given(
    st.text(alphabet=st.sampled_from("=+-@\t\r'ab ;\n\u00a0"), max_size=8) | st.text(max_size=20)
)
def test_escape_is_undone_exactly_and_never_leaves_a_formula(value: str) -> None:
    cell = csvfile.escape(value)
    assert csvfile.unescape(cell) == value
    # shows as text in any spreadsheet, also one that skips leading spaces
    assert cell[:1] not in csvfile.FORMULA_STARTS
    assert cell.lstrip()[:1] not in csvfile.FORMULA_STARTS


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+2", "'=1+2"), ("-Kurs", "'-Kurs"), ("'s Gravenhage", "'s Gravenhage"),
     ("'=x", "''=x"), ("''", "'''"), ("'", "'"), ("Text", "Text"), ("", ""),
     (" =1+2", "' =1+2"), ("\u00a0@SUMME(A1)", "'\u00a0@SUMME(A1)"), ("' =x", "'' =x"),
     ("  Text", "  Text")],
)  # fmt: skip
def test_escape_forms(value: str, cell: str) -> None:
    assert csvfile.escape(value) == cell


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("\ufeffA;B\n1;2\n".encode(), "UTF-8 mit BOM", ";"),
        ('Träger,Ort\n"Diakonie, Kirche",Powe\n'.encode("cp1252"), "Windows-1252", ","),
        ("Maßnahme\tTräger\nFest\tVerein\n".encode("utf-16"), "UTF-16 (Unicode-Text)", "\t"),
        ("Maßnahme;Träger\nFest;Verein\n".encode("utf-16-le"), "UTF-16 ohne BOM", ";"),
        ("Maßnahme;Träger\nFest;Verein\n".encode("utf-16-be"), "UTF-16 ohne BOM", ";"),
        # commas inside the text do not make it comma-separated
        (b"A;B;C\nx, y, z;1;2\nq, r;3;4\n", "UTF-8", ";"),
        # a title above the header, padded by the spreadsheet
        (b"IHK Belm;;\n;;\nA;B;C\n1;2;3\n", "UTF-8", ";"),
    ],
)
def test_encodings_and_separators_as_excel_writes_them(
    data: bytes, encoding: str, delimiter: str
) -> None:
    table = csvfile.read(data, "x.csv")
    assert (table.encoding, table.delimiter) == (encoding, delimiter)


def test_a_binary_file_is_no_csv() -> None:
    with pytest.raises(InvalidInput) as info:
        csvfile.read(b"A;B\n\x00\x01", "x.csv")
    assert "NUL-Zeichen" in info.value.message
    assert str(info.value.problems[0]) == "x.csv:2:1: NUL-Zeichen"


def test_numbers_for_a_german_spreadsheet_come_back_exactly() -> None:
    for value in (12000, 12000.5, 0.1 + 0.2, 1e16, 1.5e-07, 100000000.08984375):
        assert betrag_aus(csvfile.zahl(value)) == value
    assert csvfile.zahl(12000.5) == "12000,5"


@pytest.mark.parametrize("text", ["12345678901234567890", "9007199254740993"])
def test_a_number_a_float_cannot_hold_is_refused_not_changed(text: str) -> None:
    with pytest.raises(ValueError, match="zu vielen Stellen"):
        betrag_aus(text)
    assert betrag_aus("9007199254740992") == 9007199254740992


@pytest.mark.parametrize(
    ("text", "month"),
    [("2001-12", "2001-12"), ("12/2001", "2001-12"), ("12.2001", "2001-12"),
     ("Dez 01", "2001-12"), ("Dez. 2003", "2003-12"), ("Dezember 2003", "2003-12"),
     ("dez.03", "2003-12"), ("März 2004", "2004-03"), ("Mrz 04", "2004-03"),
     ("Sept. 2005", "2005-09"), ("Jan 99", "1999-01"), ("6/05", "2005-06")],
)  # fmt: skip
def test_months_in_the_forms_people_write(text: str, month: str) -> None:
    assert monat_aus(text) == month


@pytest.mark.parametrize("text", ["Dezember", "13/2001", "2001", "Brumaire 03", "2001-13"])
def test_not_a_month(text: str) -> None:
    with pytest.raises(ValueError):
        monat_aus(text)


def test_yes_and_no() -> None:
    assert [ja_nein_aus(v) for v in ("Ja", "x", "X", "✓", True, 1)] == [True] * 6
    assert [ja_nein_aus(v) for v in ("", "–", "-", "nein", False, 0)] == [False] * 6
    with pytest.raises(ValueError):
        ja_nein_aus("vielleicht")


def test_a_quote_never_closed_is_named_not_swallowing_the_rest() -> None:
    text = 'Titel;Träger;Status\nA;"Stadt;x\nB;Verein;y\nC;Stadt;z\n'
    with pytest.raises(InvalidInput) as info:
        csvfile.read(text.encode(), "x.csv")
    assert "nicht geschlossen" in info.value.message
    assert str(info.value.problems[0]).startswith('x.csv:2:2: das Feld beginnt mit „"“')
    # quotes that are closed, doubled or stray inside a field are read as before
    fine = 'Titel;Träger\n"A ""B""";"x\ny"\nC "D;z\n'
    assert csvfile.read(fine.encode(), "x.csv").rows[1:] == [['A "B"', "x\ny"], ['C "D', "z"]]


def test_a_field_over_the_csv_limit_is_named_in_german() -> None:
    data = ("Titel;Beschreibung\nA;B\nC;" + "x" * 200_000 + "\n").encode()
    with pytest.raises(InvalidInput) as info:
        csvfile.read(data, "x.csv")
    assert str(info.value.problems[0]) == (
        "x.csv:3:1: ein Feld ist länger als 131.072 Zeichen – so lange Texte liest ihk aus CSV "
        "nicht; bitte kürzen oder als .xlsx speichern"
    )
