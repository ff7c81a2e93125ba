"""User text in Markdown: shown exactly as written, never changing the document's structure."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ihk.markdown import _escape, cell, code, fold, text
from ihk.render import tidy

MD = MarkdownIt("commonmark").enable("table")

# Where the template puts user text: a paragraph line of its own, bold at the start of a
# list item, a table cell, a level-3 heading (value last: an ATX closing sequence).
CONTEXTS = {
    "absatz": ("", ""),
    "liste": ("- **", "** (`id`)"),
    "tabelle": ("| Kopf |\n|---|\n| ", " |"),
    "ueberschrift": ("### Sitzung: ", ""),
}
BLOCK = {
    "absatz": "paragraph_open",
    "liste": "bullet_list_open",
    "tabelle": "table_open",
    "ueberschrift": "heading_open",
}


def shown(document: str) -> tuple[list[str], str]:
    """Block token types and the text a reader sees of the (only) inline content."""
    tokens = MD.parse(document)
    blocks = [t.type for t in tokens if t.type.endswith("_open") and t.nesting == 1]
    inline = [t for t in tokens if t.type == "inline"][-1]
    kinds = {c.type for c in inline.children or []}
    words = "".join(c.content for c in inline.children or [] if c.type == "text")
    assert kinds <= {"text", "strong_open", "strong_close", "code_inline"}, kinds
    return blocks, words


def render_in(context: str, value: str) -> tuple[list[str], str]:
    before, after = CONTEXTS[context]
    blocks, words = shown(before + text(value) + after + "\n")
    if context == "liste":
        words = words.removesuffix(" ()")
    return blocks, words.removeprefix("Sitzung: ")


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize(
    "value",
    [
        "Beratung für Bewohner*innen",
        "Erste Zeile\n## Beschluss des Rates",
        "<script>alert(1)</script>",
        "1. Bauabschnitt",
        "2005) Planung",
        "- Spiegelstrich",
        "+ plus",
        "---",
        "=====",
        "> Zitat",
        "# Titel #",
        "Raum C #",
        "`code` und ``mehr``",
        "[Link](https://example.org) ![Bild](x.png)",
        "<https://example.org> <b>fett</b>",
        "~~durch~~ _kursiv_ __fett__",
        "a | b \\| c",
        "Ende mit Backslash\\",
        "&amp; &copy; &#42; &#x2A; & allein",
        "    eingerückt",
        "Zeile\u2028## Trenner\u2029 und \x85 und \x1c",
        "Tab\tund\r\nCRLF",
        "[^1]: Fußnote",
        "*",
        "\\",
    ],
)
def test_user_text_shows_as_written_and_keeps_the_structure(context: str, value: str) -> None:
    blocks, words = render_in(context, value)
    assert blocks[0] == BLOCK[context]
    assert "heading_open" not in blocks[1:]  # no heading of the user's own
    assert "blockquote_open" not in blocks and "ordered_list_open" not in blocks
    assert words == fold(value)


# Printable text of any kind (letters, punctuation, Markdown syntax, Unicode spaces,
# line breaks); control characters are covered separately.
_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc"),
    whitelist_characters="\n\t\r\u2028 *_`|<>[]()#!&;:-+=.~\\0123456789",
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.sampled_from(sorted(CONTEXTS)))
def test_any_text_shows_as_written(value: str, context: str) -> None:
    if not fold(value):
        return
    blocks, words = render_in(context, value)
    assert blocks[0] == BLOCK[context]
    assert words == fold(value)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_the_fast_path_changes_nothing(value: str) -> None:
    assert text(value) == _escape(value)


def test_escaping_examples() -> None:
    assert text("Beratung für Bewohner*innen") == "Beratung für Bewohner\\*innen"
    assert text("Erste Zeile\n## Beschluss") == "Erste Zeile \\#\\# Beschluss"
    assert text("400.000 €") == "400.000 €" and text("1. Bauabschnitt") == "1\\. Bauabschnitt"
    assert text("Rohr | Leitung") == cell("Rohr | Leitung") == "Rohr \\| Leitung"
    assert text("Mietergärten in den Innenhöfen") == "Mietergärten in den Innenhöfen"
    assert text(None) == "" and text(12) == "12"
    assert text("a\x1b]52;c;x\x07b\x00") == "a\ufffd\\]52;c;x\ufffdb\ufffd"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("stettiner-platz", "`stettiner-platz`"),
        ("a`b", "``a`b``"),
        ("`x``", "``` `x`` ```"),
        ("2005:massnahmen/kaputt\n.yaml", "`2005:massnahmen/kaputt .yaml`"),
    ],
)
def test_code_spans_cannot_be_ended_early(value: str, expected: str) -> None:
    assert code(value) == expected
    tokens = MD.parseInline(f"Datei {code(value)} fehlt")[0].children or []
    assert [t.type for t in tokens] == ["text", "code_inline", "text"]
    assert tokens[1].content == fold(value)


def _tidy_quadratic(text: str) -> str:
    """The former implementation, kept to check that the linear one gives the same."""
    raw = [line.rstrip() for line in text.splitlines()]
    lines: list[str] = []
    for i, line in enumerate(raw):
        if line == "":
            if not lines or lines[-1] == "":
                continue
            following = next((x for x in raw[i + 1 :] if x != ""), "")
            if lines[-1].startswith("- ") and following.startswith("- "):
                continue
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "- a", "- b ", "text", "## X", "|a|", "\t"])))
def test_tidy_is_the_same_as_before(lines: list[str]) -> None:
    document = "\n".join(lines)
    assert tidy(document) == _tidy_quadratic(document)


def test_tidy_of_a_long_document() -> None:
    # 200,000 list items: the old quadratic tidy took hours here; benchmarks/ times it
    document = "- a\n\n" * 200_000
    result: Any = tidy(document)
    assert result == "- a\n" * 200_000
