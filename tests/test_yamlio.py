from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihk.yamlio import Editor, YamlProblems, dump_new, parse, resolve_plain


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("no", "no"),  # YAML 1.1 would say False; 1.2 core says text
        ("ja", "ja"),
        ("on", "on"),
        ("2001-12", "2001-12"),
        ("2001-12-15", "2001-12-15"),  # dates stay text; the model parses them
        ("12000", 12000),
        ("-5", -5),
        ("1.5", 1.5),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("~", None),
        ("", None),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    assert resolve_plain(text) == value


def test_positions_of_keys_values_and_items() -> None:
    doc = parse("titel: Tafel\ntraeger:\n  - Gemeinde\n  - Verein\n", "x.yaml")
    assert doc.keys[("traeger",)] == (2, 1)
    assert doc.values[("traeger", 1)] == (4, 5)
    assert doc.position(("traeger", 7)) == (2, 1)  # unknown item: nearest known ancestor


def test_a_bom_is_tolerated() -> None:
    from ihk.yamlio import decode

    assert parse(decode("\ufefftitel: Tafel\n".encode(), "x"), "x").data == {"titel": "Tafel"}


def test_merge_keys_are_refused() -> None:
    with pytest.raises(YamlProblems) as info:
        parse("a: 1\n<<: {b: 2}\n", "x.yaml")
    assert "Merge" in info.value.problems[0].message


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=80,
)


@given(texts)
def test_reader_and_writer_agree_on_any_text(value: str) -> None:
    # Whatever text the editor writes, the bulk reader reads back as the same text.
    doc = parse(dump_new({"titel": value, "traeger": [value]}), "x.yaml")
    assert doc.data == {"titel": value, "traeger": [value]}


@given(texts)
def test_round_trip_edit_writes_text_that_reads_back(value: str) -> None:
    editor = Editor("# Kommentar\ntitel: alt   # bleibt\nstatus: in_planung\n")
    editor.set(("titel",), value)
    text = editor.dump()
    assert parse(text, "x.yaml").data["titel"] == value
    assert text.startswith("# Kommentar\n")


def test_the_bulk_reader_runs_on_libyaml() -> None:
    # ruamel 0.19 silently falls back to pure Python; make sure our fast path is real.
    from yaml.cyaml import CParser

    from ihk.yamlio import _loader

    assert issubclass(_loader(), CParser)


def test_field_diff_names_nested_fields_and_list_items() -> None:
    from ihk.fields import describe, diff_data

    old = {"status": "in_planung", "traeger": ["A", "B"], "finanzierung": {"sonstige": ["LOS"]}}
    new = {
        "status": "in_umsetzung",
        "traeger": ["B", "C"],
        "finanzierung": {"sonstige": ["LOS"], "kosten_eur": 5000},
        "zeitraum": {"von": "2002-06"},
    }
    assert [describe(c) for c in diff_data(old, new)] == [
        "status in_planung → in_umsetzung",
        "traeger + C, − A",
        "finanzierung.kosten_eur = 5000",
        "zeitraum.von = 2002-06",
    ]
