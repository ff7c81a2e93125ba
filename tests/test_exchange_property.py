"""The Daten layout is exact: for generated registers, exporting (XLSX and CSV) and
importing changes nothing, and importing into an empty register writes records with
exactly the same data. Texts come with everything the register allows: leading ``=``,
``+``, ``-``, ``@``, ``'``, tabs and line breaks, ``;`` and ``[`` inside lists."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ihk.commands.export import export_table
from ihk.commands.import_table import import_table
from ihk.commands.records import new_record_text
from ihk.fields import record_data
from ihk.kinds import KINDS
from ihk.register import load_worktree
from ihk.workspace import Workspace

META = (
    "gebiet: Prüfgebiet\ngemeinde: Prüfstadt\nprogramm: Soziale Stadt\nziele:\n"
    "  wohnen:\n    titel: Wohnen\n  nachbarschaften:\n    titel: Nachbarschaften\n"
    "  beteiligung:\n    titel: Beteiligung und Aktivierung\n"
)
GOALS = ["wohnen", "nachbarschaften", "beteiligung"]
FORBIDDEN = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"

tricky = st.sampled_from(
    [
        "=1+2",
        "+49 541",
        "-Kurs",
        "@Büro",
        "'Apostroph",
        "''=x",
        "a; b",
        "[Klammer]",
        " x ",
        "Zeile\nZeile",
        "\tTab",
        "ä ß €",
        "2001-12",
        "12.000",
        "ja",
        "x",
    ]
)
plain = st.text(
    alphabet=st.one_of(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff" + FORBIDDEN
        ),
        st.sampled_from("\t\n;[]'=+-@ "),
    ),
    min_size=1,
    max_size=30,
)
texts = st.one_of(tricky, plain)
months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1995, 2035), st.integers(1, 12))
amounts = st.one_of(
    st.integers(0, 10**9),
    st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
    st.decimals(0, 10**7, places=2).map(float),
)


def slices(sources: list[str]) -> Any:
    return st.dictionaries(
        st.integers(2000, 2030).map(str),
        st.dictionaries(st.sampled_from(sources), amounts, min_size=1),
        max_size=3,
    )


def _zeitraum(von: str, later: int | None) -> dict[str, str]:
    if later is None:
        return {"von": von}
    year, month = int(von[:4]), int(von[5:])
    total = year * 12 + month - 1 + later
    return {"von": von, "bis": f"{total // 12}-{total % 12 + 1:02d}"}


@st.composite
def finanzierung(draw: Any, project: bool) -> dict[str, Any]:
    fin: dict[str, Any] = {}
    if not project or draw(st.booleans()):
        fin["staedtebaufoerderung"] = draw(st.booleans())
    fin["sonstige"] = draw(st.lists(texts, max_size=3))
    fin["kosten_eur"] = draw(st.none() | amounts)
    fin["kostengruppe"] = draw(st.none() | st.sampled_from(["fonds", "sonstige"]))
    # money from the Städtebauförderung only where the record says it gets some
    sources = ["gemeinde", "esf"] + (["stbauf"] if fin.get("staedtebaufoerderung") else [])
    fin["plan"] = draw(slices(sources))
    fin["ist"] = draw(slices(sources))
    return fin


@st.composite
def massnahme(draw: Any) -> dict[str, Any]:
    von = draw(months)
    return {
        "titel": draw(texts),
        "oberziel": draw(st.sampled_from(GOALS)),
        "weitere_ziele": draw(st.lists(st.sampled_from(GOALS), unique=True, max_size=2)),
        "traeger": draw(st.lists(texts, max_size=3)),
        "finanzierung": draw(finanzierung(False)),
        "status": draw(
            st.sampled_from(["in_planung", "in_umsetzung", "abgeschlossen", "nicht_umgesetzt"])
        ),
        "aufgenommen": draw(months),
        "nachtraege": draw(
            st.lists(st.fixed_dictionaries({"stand": months, "text": texts}), max_size=2)
        ),
        "gremien": draw(st.sampled_from([[], ["rat"]])),
        "zeitraum": draw(
            st.none() | st.builds(_zeitraum, st.just(von), st.none() | st.integers(0, 40))
        ),
        "ort": draw(st.none() | texts),
        "beschreibung": draw(st.none() | texts),
    }


@st.composite
def projekt(draw: Any, measures: list[str]) -> dict[str, Any]:
    return {
        "titel": draw(texts),
        "oberziel": draw(st.sampled_from(GOALS)),
        "programm": draw(st.none() | texts),
        "massnahmen": draw(st.lists(st.sampled_from(measures), unique=True, max_size=2)),
        "traeger": draw(st.lists(texts, max_size=2)),
        "status": draw(st.sampled_from(["in_planung", "abgeschlossen"])),
        "laufzeit": draw(st.none() | st.builds(_zeitraum, months, st.none() | st.integers(0, 9))),
        "finanzierung": draw(st.none() | finanzierung(True)),
        "meilensteine": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "datum": months | st.just("2005-06-14"),
                        "text": texts,
                        "erreicht": st.booleans(),
                    }
                ),
                max_size=2,
            )
        ),
        "beschreibung": draw(st.none() | texts),
    }


@st.composite
def registers(draw: Any) -> dict[str, list[dict[str, Any]]]:
    measures = draw(st.lists(massnahme(), min_size=1, max_size=3))
    ids = [f"m{i}" for i in range(len(measures))]
    projects = draw(st.lists(projekt(ids), max_size=2))
    return {"massnahme": measures, "projekt": projects}


def _write(root: Path, records: dict[str, list[dict[str, Any]]]) -> None:
    for folder in ("massnahmen", "projekte", "gremien"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "ihk.yaml").write_text(META, encoding="utf-8")
    (root / "gremien" / "rat.yaml").write_text("name: Rat\nart: rat\n", encoding="utf-8")
    for name, items in records.items():
        kind = KINDS[name]
        for i, data in enumerate(items):
            path = root / kind.relpath(f"{name[0]}{i}")
            path.write_text(new_record_text(kind, data), encoding="utf-8")


def _data(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    register = load_worktree(root)
    assert not register.errors, register.errors
    return {
        (name, ident): record_data(entry.record)
        for name in ("massnahme", "projekt")
        for ident, entry in register.of(name).items()
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(registers())
def test_the_daten_layout_goes_out_and_comes_back_exactly(
    records: dict[str, list[dict[str, Any]]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="ihk-austausch-") as folder:
        base = Path(folder)
        root = base / "reg"
        _write(root, records)
        original = _data(root)
        files = {p: p.read_bytes() for p in root.rglob("*.yaml")}
        ws = Workspace(root)
        for suffix in (".xlsx", ".csv"):
            out = base / f"ihk{suffix}"
            done = export_table(ws, out, kind="all")
            data = done.data.encode("utf-8") if isinstance(done.data, str) else done.data
            out.write_bytes(data)
            again = import_table(ws, out)  # no repository: nothing to commit
            assert (again.neu, again.geaendert) == ([], []), suffix
            assert again.unveraendert == len(original)
            assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == files
            # into an empty register: the same records, field for field
            empty = base / f"leer{suffix}"
            _write(empty, {})
            created = import_table(Workspace(empty), out, commit=False)
            assert len(created.neu) == len(original)
            assert _data(empty) == original, suffix


scalars = st.one_of(
    texts, st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["2001-12", "12", "1e3",
    "true", "null", "a: b", "a #b", "-x", "x:", "#x", "Ä", "ä-b", "a\\tb", "x ", "é"]),
)  # fmt: skip
keys = st.one_of(st.sampled_from(["titel", "plan", "2005", "stbauf", "a_b", "x-y"]), texts)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=5))
def test_new_files_are_written_as_ruamel_writes_them(data: dict[str, Any]) -> None:
    import io

    from ihk import yamlio

    fast = yamlio._dump_simple(data)
    if fast is not None:
        out = io.StringIO()
        yamlio._ruamel().dump(yamlio._to_yaml(data), out)
        assert fast == out.getvalue()


def test_a_usual_record_takes_the_fast_way() -> None:
    from ihk import yamlio

    record = {
        "titel": "Errichtung eines Bürgerhauses mit Stadtteilbüro, Kindergarten, usw.",
        "oberziel": "nachbarschaften",
        "traeger": ["Diakonie (Sozialstation)", "Bewohnerinnen"],
        "finanzierung": {"staedtebaufoerderung": True, "plan": {"2002": {"stbauf": 21000}}},
        "status": "in_planung",
        "aufgenommen": "2001-12",
        "nachtraege": [{"stand": "2003-12", "text": "Zunächst nicht weiter verfolgt."}],
    }
    assert yamlio._dump_simple(record) is not None
