"""JSON Schemas (draft 2020-12) of the register's files, generated from the models.

Editors that speak the yaml-language-server (VS Code with the YAML extension, Neovim,
Helix, Zed …) read the ``# yaml-language-server: $schema=…`` line at the top of a file
and then complete keys and values and flag mistakes as one types; check-jsonschema and
other peers read the same files.

The schemas say what the models accept, nothing more and nothing less where JSON
Schema can say it: strict types, YAML 1.2 values, ``ja``/``nein`` in bool fields, the
formats of months, dates and years, unknown keys refused. Rules across fields (von <=
bis, sums, references to records that must exist) stay with ``ihk validate``.

Titles and descriptions are German, from ``vocab`` (field labels, field help, the
legend of states, the Kostengruppen). With the register's ids (``Ids``):

- goal and source ids are a closed ``enum`` of the catalogue in ihk.yaml (with their
  titles), because ``ihk validate`` refuses any other id too; they live once per file
  under ``$defs`` (``ziel``, ``quelle``), where ``stale`` finds them;
- record ids are offered for completion but never required: ``anyOf`` of the ids known
  when the schema was written and the plain id pattern, so a record added later is not
  flagged (whether it exists is ``ihk validate``'s check).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ihk.kinds import EACH, GOAL, KEYS, KINDS, SOURCE, Kind
from ihk.models import ID_SCHEMA, IhkMeta
from ihk.vocab import GLOSSAR, KOSTENGRUPPEN, STATUS, feldhilfe, feldname

#: Where a register keeps its schemas, relative to its root.
SCHEMA_DIR = ".ihk/schema"
#: The file of ihk.yaml's schema; records' are ``<kind>.schema.json``.
META_NAME = "ihk"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELINE_PREFIX = "# yaml-language-server: $schema="
_COMMENT = "Erzeugt von ihk („ihk schema“ schreibt es neu); bitte nicht von Hand ändern."


@dataclass(frozen=True)
class Ids:
    """The register's own ids that the schemas offer: goals and sources with their
    titles (catalogue order), and the record ids of each kind."""

    ziele: dict[str, str] = field(default_factory=dict)
    quellen: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[str]] = field(default_factory=dict)


def file_name(name: str) -> str:
    """``massnahme`` -> ``massnahme.schema.json``; ``ihk`` for ihk.yaml."""
    return f"{name}.schema.json"


def file_names() -> list[str]:
    """Every file ``ihk schema`` writes, ihk.yaml's first, then the kinds in order."""
    return [file_name(META_NAME)] + [file_name(name) for name in KINDS]


def modeline(relpath: str) -> str:
    """The first line of a register file at ``relpath`` (e.g. ``massnahmen/x.yaml``) that
    points editors at its schema, relative to the file."""
    folder, _, _ = relpath.rpartition("/")
    up = "../" * (folder.count("/") + 1) if folder else ""
    kind = next((k for k in KINDS.values() if k.folder == folder), None)
    name = kind.name if kind else META_NAME
    return f"{MODELINE_PREFIX}{up}{SCHEMA_DIR}/{file_name(name)}\n"


def has_modeline(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(MODELINE_PREFIX)


def schemas(ids: Ids | None = None) -> dict[str, dict[str, Any]]:
    """File name -> schema of ihk.yaml and of every kind; ``ids`` adds the register's."""
    result = {file_name(META_NAME): _meta_schema(ids)}
    for kind in KINDS.values():
        result[file_name(kind.name)] = _kind_schema(kind, ids)
    return result


def texts(ids: Ids | None = None) -> dict[str, str]:
    """File name -> the file's text (stable: same input, same bytes)."""
    return {name: _dump(schema) for name, schema in schemas(ids).items()}


def _dump(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale(text: str, ids: Ids) -> list[str]:
    """What in a written schema no longer matches the catalogue of ihk.yaml: the German
    names of the catalogues ("Ziele", "Finanzierungsquellen") that differ. A schema
    written without the register's ids has nothing to compare. Raises ValueError if
    the text is no JSON object."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("kein JSON-Objekt")
    defs = data.get("$defs") or {}
    found = []
    for key, wanted, what in ((GOAL, ids.ziele, "Ziele"), (SOURCE, ids.quellen, "Quellen")):
        written = defs.get(key, {}).get("enum") if isinstance(defs.get(key), dict) else None
        if written is not None and written != list(wanted):
            found.append(what)
    return found


# --------------------------------------------------------------------------- building


class _Generator(GenerateJsonSchema):
    """pydantic's generator with maps as JSON Schema says them: the key schema under
    ``propertyNames`` and every value under ``additionalProperties`` (pydantic writes
    ``patternProperties``, which lets a key that misses the pattern through)."""

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        result: JsonSchemaValue = {"type": "object"}
        keys = self.generate_inner(schema["keys_schema"]) if "keys_schema" in schema else {}
        names = {k: v for k, v in keys.items() if k != "type"}
        if names:
            result["propertyNames"] = names
        if "values_schema" in schema:
            result["additionalProperties"] = self.generate_inner(schema["values_schema"])
        if "min_length" in schema:
            result["minProperties"] = schema["min_length"]
        if "max_length" in schema:
            result["maxProperties"] = schema["max_length"]
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # titles come from vocab (German), set while walking


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    raw = model.model_json_schema(schema_generator=_Generator)
    defs = raw.pop("$defs", {})
    inlined: dict[str, Any] = _inline(raw, defs)
    inlined.pop("title", None)
    _label(inlined, ())
    return inlined


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """The schema with every ``$ref`` replaced by its definition (the models have no
    cycles), so each field has a schema of its own to carry its own German title."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = dict(_inline(defs[ref.removeprefix("#/$defs/")], defs))
            target.pop("title", None)  # the class name (English)
            rest = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
            return {**target, **rest}
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


#: Enums whose values have German words in vocab.
_ENUM_WORDS: dict[tuple[str, ...], list[str]] = {
    tuple(STATUS): [words.legende for words in STATUS.values()],
    tuple(KOSTENGRUPPEN): list(KOSTENGRUPPEN.values()),
}


def _label(node: dict[str, Any], path: tuple[str, ...]) -> None:
    """German titles and descriptions on every field, words for known enums."""
    words = _ENUM_WORDS.get(tuple(node.get("enum") or ()))
    if words:
        node["enumDescriptions"] = words
    for branch in node.get("anyOf", ()):
        _label(branch, path)
    for name, sub in (node.get("properties") or {}).items():
        dotted = ".".join((*path, name))
        sub["title"] = feldname(dotted)
        hilfe = feldhilfe(dotted)
        if hilfe:
            sub["description"] = hilfe
        _label(sub, (*path, name))
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _label(node[key], path)


def _meta_schema(ids: Ids | None) -> dict[str, Any]:
    body = _model_schema(IhkMeta)
    return _document(
        "IHK-Register: ihk.yaml",
        "Gebiet, Gemeinde, Programm, Zielkatalog und Finanzierungsquellen des Registers",
        body,
        {},
    )


def _kind_schema(kind: Kind, ids: Ids | None) -> dict[str, Any]:
    body = _model_schema(kind.model)
    defs: dict[str, Any] = {}
    if ids is not None:
        for ref in kind.references:
            target = _id_def(ref.target, ids)
            defs[ref.target] = target
            for spot, step in _spots(body, ref.path):
                _point(spot, step, ref.target, target)
    what = GLOSSAR.get(kind.label, kind.plural)
    return _document(f"IHK-Register: {kind.label} ({kind.folder}/KENNUNG.yaml)", what, body, defs)


def _document(
    title: str, description: str, body: dict[str, Any], defs: dict[str, Any]
) -> dict[str, Any]:
    head: dict[str, Any] = {
        "$schema": DIALECT,
        "$comment": _COMMENT,
        "title": title,
        "description": description,
    }
    doc = {**head, **body}
    if defs:
        doc["$defs"] = defs
    return doc


def _id_def(target: str, ids: Ids) -> dict[str, Any]:
    if target in (GOAL, SOURCE):
        catalogue = ids.ziele if target == GOAL else ids.quellen
        return {
            "type": "string",
            "enum": list(catalogue),
            "enumDescriptions": list(catalogue.values()),
        }
    known = ids.records.get(target, [])
    return {"anyOf": [{"enum": list(known)}, ID_SCHEMA]} if known else dict(ID_SCHEMA)


def _spots(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    """(schema, last step) for the place a reference path names: the schema that holds
    the id as ``properties[step]``, ``items`` (EACH) or its keys (KEYS)."""
    node = _object_branch(node)
    step, rest = path[0], path[1:]
    if not rest:
        yield node, step
        return
    if step == EACH:
        child = (
            node.get("items") if node.get("type") == "array" else node.get("additionalProperties")
        )
    else:
        child = (node.get("properties") or {}).get(step)
    if isinstance(child, dict):
        if rest == (KEYS,):
            yield _object_branch(child), KEYS
        else:
            yield from _spots(child, rest)


def _object_branch(node: dict[str, Any]) -> dict[str, Any]:
    """The branch of ``X | None`` that is not null."""
    for branch in node.get("anyOf", ()):
        if branch.get("type") != "null":
            return _object_branch(branch)
    return node


def _point(spot: dict[str, Any], step: str, target: str, definition: dict[str, Any]) -> None:
    ref = {"$ref": f"#/$defs/{target}"}
    if step == KEYS:  # the ids are the keys: offer each (completion), refuse the others
        spot["propertyNames"] = ref
        values = spot.get("additionalProperties", {})
        titles = definition.get("enumDescriptions", ())
        for ident, title in zip(definition.get("enum", ()), titles, strict=True):
            spot.setdefault("properties", {})[ident] = {**values, "title": title}
    elif step == EACH:
        spot["items"] = ref
    else:
        sub = (spot.get("properties") or {}).get(step)
        if sub is not None:
            keep = {k: sub[k] for k in ("title", "description", "default") if k in sub}
            sub.clear()
            sub.update({**keep, **ref})
