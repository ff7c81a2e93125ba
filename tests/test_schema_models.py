"""The editor schemas and the models agree: a record an editor accepts is one ihk
accepts, and the other way round, except for the differences listed in ``KNOWN``.

Hypothesis builds records from the schemas themselves (every field, optional ones
sometimes, keys from their patterns), then changes one place the way people get it
wrong in an editor (a wrong value, a missing or unknown key), and compares the verdict
of ``jsonschema`` (patterns run as editors run them) with the model's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ihk.kinds import KINDS
from ihk.models import IhkMeta
from ihk.schema import schemas
from tests.test_schema import Validator, errors

GENERIC = schemas(None)
MODELS: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (IhkMeta, GENERIC["ihk.schema.json"]),
    *((kind.model, GENERIC[f"{kind.name}.schema.json"]) for kind in KINDS.values()),
]
CHECKERS = {
    id(schema): Validator(schema, format_checker=Validator.FORMAT_CHECKER) for _, schema in MODELS
}

#: Where schema and model disagree on purpose, by the model's error type: JSON Schema
#: cannot say it, ``ihk validate`` checks it. (The generator writes no float for a
#: whole number: JSON has one kind of number, so an editor reads ``jahr: 2005.0`` as
#: 2005, where ihk wants a whole number; ``test_the_known_differences_are_real``.)
KNOWN = {
    # an end before its start (zeitraum, laufzeit, aufgeloest): a rule across two fields
    "ihk_zeitraum": "Ende vor dem Beginn",
}

#: Values people put in the wrong place: YAML's other types, German words, almost-dates.
WRONG: list[Any] = [
    None, True, False, 0, -1, 1.5, 1e300, -0.5, "", " ", "x", "ja", "Nein", " JA ", "yes",
    "on", "2005", "2005-13", "2005-00", "2005-02-30", "2005-1", "2005-12\n", "2005-12-01",
    "05.12.2005", "in_planung", "fertig", "rat", "wohnen", "Wohnen", "-x", "x" * 301,
    [], {}, ["x"], [None], {"a": 1},
]  # fmt: skip


def instance(schema: dict[str, Any], draw: Any, depth: int = 0) -> Any:
    """A value the schema accepts (patterns as Python reads them; ``$`` as ``\\Z``)."""
    if "anyOf" in schema and "properties" not in schema:  # a union (a member's anyOf
        return instance(draw(st.sampled_from(schema["anyOf"])), draw, depth)  # is a rule)
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    kind = schema.get("type")
    if kind == "string":
        if "pattern" in schema:
            return draw(st.from_regex(schema["pattern"].replace("$", r"\Z"), fullmatch=True))
        low = schema.get("minLength", 0)
        return draw(st.text(min_size=low, max_size=max(low, min(schema.get("maxLength", 8), 8))))
    if kind == "number":
        low = schema.get("minimum")
        return draw(
            st.integers(min_value=low)
            | st.floats(min_value=low, allow_nan=False, allow_infinity=False)
        )
    if kind == "integer":
        return draw(st.integers(schema.get("minimum"), schema.get("maximum")))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "null":
        return None
    if kind == "array":
        size = draw(st.integers(0, 2 if depth < 4 else 0))
        return [instance(schema["items"], draw, depth + 1) for _ in range(size)]
    assert kind == "object", schema
    result = {}
    required = set(schema.get("required", ()))
    for name, sub in (schema.get("properties") or {}).items():
        if name in required or draw(st.booleans()):
            result[name] = instance(sub, draw, depth + 1)
    values = schema.get("additionalProperties")
    if isinstance(values, dict):
        names = schema.get("propertyNames", {})
        for _ in range(draw(st.integers(0, 2 if depth < 4 else 0))):
            key = instance({"type": "string", **names}, draw, depth + 1)
            result[key] = instance(values, draw, depth + 1)
    return result


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield from places(child, (*path, key))


def mistake(data: Any, draw: Any) -> Any:
    """``data`` with one place changed: a wrong value, a key dropped or added."""
    path = draw(st.sampled_from(list(places(data))))
    how = draw(st.sampled_from(["wert", "weg", "neu", "nichts"]))
    node = data
    for step in path[:-1]:
        node = node[step]
    if how == "wert" and path:
        node[path[-1]] = draw(st.sampled_from(WRONG))
    elif how == "weg" and path and isinstance(node, dict):
        del node[path[-1]]
    elif how == "neu":
        target = node[path[-1]] if path else node
        if isinstance(target, dict):
            key = draw(st.sampled_from(["unbekannt", "Titel", "2005", "x"]))
            target[key] = draw(st.sampled_from(WRONG))
    return data


def model_verdict(model: type[BaseModel], data: Any) -> set[str]:
    """The types of the model's errors (empty: valid)."""
    try:
        model.model_validate(data)
    except ValidationError as e:
        return {str(error["type"]) for error in e.errors()}
    return set()


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_schema_and_model_agree_on_records_people_write(data: Any) -> None:
    model, schema = data.draw(st.sampled_from(MODELS), label="Art")
    record = mistake(instance(schema, data.draw), data.draw)
    model_errors = model_verdict(model, record)
    schema_errors = [e.message for e in CHECKERS[id(schema)].iter_errors(record)]
    if model_errors and model_errors <= set(KNOWN):
        return  # a rule JSON Schema cannot say
    assert bool(model_errors) == bool(schema_errors), (record, model_errors, schema_errors)


def test_the_known_differences_are_real() -> None:
    """Each difference named above is still one (else it belongs out of the list)."""
    measure = {
        "titel": "Tafel", "oberziel": "wohnen", "status": "in_planung",
        "aufgenommen": "2001-12", "finanzierung": {"staedtebaufoerderung": "ja"},
        "zeitraum": {"von": "2005-03", "bis": "2004-12"},
    }  # fmt: skip
    assert model_verdict(KINDS["massnahme"].model, measure) == set(KNOWN) == {"ihk_zeitraum"}
    assert errors(GENERIC["massnahme.schema.json"], measure) == []
    indicator = {
        "titel": "Kinder", "art": "kontext", "oberziel": "kinder", "richtung": "steigen",
        "basis": {"jahr": 2001.0, "wert": 10}, "ziel": {"jahr": 2006, "wert": 12},
    }  # fmt: skip
    assert model_verdict(KINDS["indikator"].model, indicator) == {"int_type"}
    assert errors(GENERIC["indikator.schema.json"], indicator) == []


def test_number_edge_cases_people_write() -> None:
    """Values that JSON Schema reads as the model does, at the edges: an indicator's
    year within 1900–2200 (schema: minimum/maximum), ``ja``/``nein`` in any case with
    spaces, amounts with decimals, ``-0.0``."""
    indicator = GENERIC["indikator.schema.json"]
    base = {
        "titel": "Kinder", "art": "kontext", "oberziel": "kinder", "richtung": "steigen",
        "basis": {"jahr": 2001, "wert": 10}, "ziel": {"jahr": 2006, "wert": 12.5},
    }  # fmt: skip
    for year, ok in ((1899, False), (1900, True), (2200, True), (2201, False)):
        record = {**base, "basis": {"jahr": year, "wert": 1}}
        assert (model_verdict(KINDS["indikator"].model, record) == set()) is ok, year
        assert (errors(indicator, record) == []) is ok, year
    measure = GENERIC["massnahme.schema.json"]
    base = {
        "titel": "Tafel", "oberziel": "wohnen", "status": "in_planung", "aufgenommen": "2001-12",
    }  # fmt: skip
    for funding in (
        {"staedtebaufoerderung": " JA "},
        {"staedtebaufoerderung": "nein", "kosten_eur": 1234.56},
        {"staedtebaufoerderung": False, "kosten_eur": -0.0, "plan": {}},
        {"staedtebaufoerderung": True, "plan": {"2003": {"stbauf": 0.5}}, "sonstige": []},
    ):
        record = {**base, "finanzierung": funding}
        assert model_verdict(KINDS["massnahme"].model, record) == set(), funding
        assert errors(measure, record) == [], funding


def test_the_schemas_use_only_json_schema_and_editor_keywords() -> None:
    """Every keyword is one of draft 2020-12 or an annotation the yaml-language-server
    reads; a stray word (pydantic's "ge"/"le") is ignored by editors, so its rule is
    silently lost."""
    allowed = {
        "$schema", "$comment", "$defs", "$ref", "title", "description", "default", "type",
        "enum", "const", "properties", "additionalProperties", "propertyNames", "required",
        "items", "anyOf", "oneOf", "allOf", "not", "pattern", "format", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
        "maxItems", "minProperties", "maxProperties", "uniqueItems", "examples",
        "patternErrorMessage", "enumDescriptions", "markdownDescription", "errorMessage",
    }  # fmt: skip

    def keywords(node: Any, named: bool = False) -> Iterator[str]:
        if isinstance(node, list):
            for item in node:
                yield from keywords(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if named:  # the keys of "properties" and "$defs" are names, not keywords
                    yield from keywords(value)
                    continue
                yield key
                if key not in ("enum", "enumDescriptions", "required", "default"):
                    yield from keywords(value, key in ("properties", "$defs"))

    from ihk.schema import Ids

    ids = Ids(ziele={"wohnen": "Wohnen"}, quellen={"stbauf": "S"}, records={"gremium": ["rat"]})
    for schema in (*GENERIC.values(), *schemas(ids).values()):
        assert set(keywords(schema)) <= allowed, set(keywords(schema)) - allowed
