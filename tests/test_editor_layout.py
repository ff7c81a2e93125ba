"""Golden tests: the editor changes the lines of the edit and nothing else (issue 7, item 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ihk.yamlio import EditError, Editor, parse
from tests.conftest import Result

MEASURE = (
    "titel: Tafel  # Arbeitstitel\n"
    "traeger:\n"
    "  - Gemeinde\n"
    "  - Verein  # seit 2003\n"
    "# Ende der Trägerliste\n"
    "\n"
    "finanzierung:\n"
    "  staedtebaufoerderung: ja\n"
    "  kosten_eur: +12\n"
    "status: in_planung\n"
    "ort: Powe\n"
    "# Schluss: bitte nichts darunter\n"
)


def edit(text: str, *ops: tuple[Any, ...]) -> str:
    editor = Editor(text)
    for name, *args in ops:
        getattr(editor, name)(*args)
    return editor.dump()


def test_deleting_the_last_key_keeps_the_final_comment() -> None:
    assert edit(MEASURE, ("remove", ("ort",))) == MEASURE.replace("ort: Powe\n", "")


def test_removing_the_last_item_keeps_the_comment_line_after_it() -> None:
    assert edit(MEASURE, ("remove_item", ("traeger",), "Verein")) == MEASURE.replace(
        "  - Verein  # seit 2003\n", ""
    )


def test_appending_puts_the_item_before_a_comment_after_the_list() -> None:
    assert edit(MEASURE, ("append", ("traeger",), "Kindertreff")) == MEASURE.replace(
        "  - Verein  # seit 2003\n", "  - Verein  # seit 2003\n  - Kindertreff\n"
    )


def test_a_new_key_goes_before_the_final_comment() -> None:
    assert edit(MEASURE, ("set", ("zeitraum", "von"), "2002-06")) == MEASURE.replace(
        "ort: Powe\n", "ort: Powe\nzeitraum:\n  von: 2002-06\n"
    )
    note = {"stand": "2026-11", "text": "Neu"}
    assert edit(MEASURE, ("append", ("nachtraege",), note)) == MEASURE.replace(
        "ort: Powe\n", "ort: Powe\nnachtraege:\n  - stand: 2026-11\n    text: Neu\n"
    )


def test_removing_a_list_keeps_the_comment_after_it() -> None:
    assert edit(MEASURE, ("remove", ("traeger",))) == MEASURE.replace(
        "traeger:\n  - Gemeinde\n  - Verein  # seit 2003\n", ""
    )


def test_removing_the_last_nested_key_keeps_what_follows() -> None:
    assert edit(MEASURE, ("remove", ("finanzierung", "kosten_eur"))) == MEASURE.replace(
        "  kosten_eur: +12\n", ""
    )


def test_emptying_a_list_keeps_its_comments() -> None:
    text = "traeger:  # wer\n  - A\n# danach\nstatus: x\n"
    assert edit(text, ("remove_item", ("traeger",), "A")) == (
        "traeger: [] # wer\n# danach\nstatus: x\n"
    )


def test_removing_the_first_key_keeps_the_comment_before_the_next() -> None:
    text = "# Kopf\n\ntitel: a\n# über status\nstatus: b\n"
    assert edit(text, ("remove", ("titel",))) == "# Kopf\n\n# über status\nstatus: b\n"


def test_untouched_lines_keep_their_spelling() -> None:
    text = (
        "---\n"
        "titel: Ein langer Titel,\n"
        "  der umbricht\n"
        "ort: ~\n"
        "kosten: +12\n"
        "anteil: 0x1F\n"
        "foerderung: TRUE\n"
        "liste: [a,b]\n"
        "status: x\n"
    )
    assert edit(text, ("set", ("status",), "y")) == text.replace("status: x", "status: y")


def test_an_edit_that_changes_nothing_returns_the_text_unchanged() -> None:
    assert edit(MEASURE, ("set", ("status",), "in_planung")) == MEASURE


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_stay_as_they_were(newline: str) -> None:
    text = MEASURE.replace("\n", newline)
    result = edit(text, ("set", ("status",), "in_umsetzung"), ("append", ("traeger",), "B"))
    expected = MEASURE.replace("in_planung", "in_umsetzung").replace(
        "  - Verein  # seit 2003\n", "  - Verein  # seit 2003\n  - B\n"
    )
    assert result == expected.replace("\n", newline)


def test_mixed_line_endings_keep_each_untouched_line_and_new_lines_take_the_usual_one() -> None:
    # Decision: a line the edit does not touch keeps its own ending; a new or changed line
    # gets the ending most lines of the file have.
    text = "titel: a\r\nstatus: b\nort: c\r\nbeschreibung: d\r"
    result = edit(text, ("set", ("status",), "x"), ("set", ("neu",), "y"))
    assert result == "titel: a\r\nstatus: x\r\nort: c\r\nbeschreibung: d\rneu: y\r\n"
    assert parse(result, "x").data == {
        "titel": "a",
        "status": "x",
        "ort": "c",
        "beschreibung": "d",
        "neu": "y",
    }


def test_a_missing_final_line_break_stays_missing_unless_lines_follow() -> None:
    assert edit("titel: a\nstatus: b", ("set", ("status",), "c")) == "titel: a\nstatus: c\n"
    assert edit("titel: a\nstatus: b", ("set", ("titel",), "c")) == "titel: c\nstatus: b"


def test_a_bom_is_kept() -> None:
    text = "\ufefftitel: Tafel\r\nstatus: in_planung\r\n"
    assert edit(text, ("set", ("status",), "abgeschlossen")) == (
        "\ufefftitel: Tafel\r\nstatus: abgeschlossen\r\n"
    )


def test_new_text_is_quoted_exactly_when_the_reader_needs_it() -> None:
    # The editor types plain text with the reader's rules: a date stays plain, "12" and
    # "ja: nein" get quotes.
    result = edit("titel: a\n", ("set", ("datum",), "2003-05-13"), ("set", ("zahl",), "12"))
    assert result == "titel: a\ndatum: 2003-05-13\nzahl: '12'\n"
    assert parse(result, "x").data == {"titel": "a", "datum": "2003-05-13", "zahl": "12"}


@pytest.mark.parametrize(
    "text",
    [
        "status:\tin_planung\n",
        "titel: !!int Tafel\n",
        "%YAML 1.1\n---\nort: on\n",
        "ort: 1" + "0" * 200 + "\n",
    ],
)
def test_the_editor_refuses_what_the_reader_refuses(text: str) -> None:
    with pytest.raises(EditError, match="kein lesbares YAML"):
        Editor(text)


def test_set_keeps_bom_crlf_and_spelling_on_disk(minimal: Path, ihk: Callable[..., Result]) -> None:
    path = minimal / "massnahmen" / "tafel.yaml"
    original = (
        "\ufefftitel: Tafel\r\noberziel: nachbarschaften\r\nfinanzierung:\r\n"
        "  staedtebaufoerderung: nein\r\n  kosten_eur: +12\r\nstatus: abgeschlossen\r\n"
        "aufgenommen: 2001-12\r\n# Ende\r\n"
    )
    path.write_bytes(original.encode())
    result = ihk(
        "set", "tafel", "status=in_umsetzung", "traeger+=Verein", "--no-commit", cwd=minimal
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert path.read_bytes().decode() == original.replace("abgeschlossen", "in_umsetzung").replace(
        "# Ende", "traeger:\r\n  - Verein\r\n# Ende"
    )


def test_an_edit_that_cannot_be_written_faithfully_is_refused() -> None:
    # ruamel writes this folded text so that it reads back differently; the check in
    # dump() refuses instead of changing the text behind the user's back.
    editor = Editor("Straße: >+\r  Gemeinde\r  \ta b\r  ja")
    editor.set(("neu",), "2002-01")
    with pytest.raises(EditError, match="nicht sicher schreiben"):
        editor.dump()
