"""ihk schema: the JSON Schemas say what the models accept (the example register passes,
every schema matter of the bad-input corpus fails), ihk init and ihk add point new files
at them, ihk schema refreshes them in one commit, validate notices a stale catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from ihk.errors import REGEL, SCHLUESSEL, VERWEIS, WERT
from ihk.kinds import KINDS
from ihk.register import load, read_worktree
from ihk.schema import Ids, schemas
from ihk.yamlio import YamlProblems, decode, parse
from tests.conftest import EXAMPLE, Result, git
from tests.test_bad_input import CASES, overlay


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` as editors run it (ECMA-262): "$" is the end of the text. Python's
    "$" also matches before a final newline, which would let "2001-01\\n" through."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not re.search(pattern.replace("$", r"\Z"), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = extend(Draft202012Validator, {"pattern": _ecma_pattern})


def schema_for(all_schemas: dict[str, Any], relpath: str) -> Any:
    folder = relpath.rpartition("/")[0]
    kind = next((k for k in KINDS.values() if k.folder == folder), None)
    return all_schemas[f"{kind.name if kind else 'ihk'}.schema.json"]


def errors(schema: Any, data: Any) -> list[str]:
    checker = Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(data)]


def example_ids() -> Ids:
    from ihk.commands.schema import register_ids
    from ihk.workspace import Workspace

    return register_ids(Workspace(EXAMPLE))


@pytest.mark.parametrize("with_ids", [True, False], ids=["kennungen", "allgemein"])
def test_every_file_of_the_example_register_passes(with_ids: bool) -> None:
    all_schemas = schemas(example_ids() if with_ids else None)
    for schema in all_schemas.values():
        Draft202012Validator.check_schema(schema)
    files = [EXAMPLE / "ihk.yaml", *sorted(EXAMPLE.glob("*/*.yaml"))]
    assert len(files) > 30
    for path in files:
        relpath = path.relative_to(EXAMPLE).as_posix()
        data = parse(decode(path.read_bytes(), relpath), relpath).data
        assert errors(schema_for(all_schemas, relpath), data) == [], relpath


@pytest.mark.parametrize("case", CASES)
def test_every_schema_matter_of_the_bad_corpus_fails(case: str, minimal: Path) -> None:
    """A file with a missing or unknown key or a wrong value fails the schema; a file
    whose only problems are references or rules across fields (ihk validate's matters)
    passes the schema without the register's ids."""
    overlay(case, minimal)
    register = load(read_worktree(minimal), lambda rel: rel)
    codes: dict[str, set[str]] = {}
    for problem in register.problems:
        codes.setdefault(problem.location.path, set()).add(problem.code)
    generic = schemas(None)
    checked = 0
    for relpath, found in sorted(codes.items()):
        try:
            data = parse(decode((minimal / relpath).read_bytes(), relpath), relpath).data
        except (YamlProblems, OSError):
            continue
        if not isinstance(data, dict | list | str | int | float):
            continue
        result = errors(schema_for(generic, relpath), data)
        if found & {SCHLUESSEL, WERT}:
            assert result, f"{relpath}: {found}"
            checked += 1
        elif found <= {VERWEIS, REGEL}:
            assert result == [], relpath
    schema_case = any(p.code in (SCHLUESSEL, WERT) for p in register.problems)
    assert checked or not schema_case


def test_goals_and_sources_are_a_closed_list_records_are_offered() -> None:
    ids = Ids(
        ziele={"wohnen": "Wohnen"}, quellen={"stbauf": "Städtebauförderung"},
        records={"gremium": ["rat"]},
    )  # fmt: skip
    schema = schemas(ids)["massnahme.schema.json"]
    base = {
        "titel": "Tafel", "oberziel": "wohnen", "status": "in_planung",
        "aufgenommen": "2001-12", "finanzierung": {"staedtebaufoerderung": "ja"},
    }  # fmt: skip
    assert errors(schema, base) == []
    assert errors(schema, {**base, "oberziel": "wohnn"})  # ihk validate refuses it too
    assert errors(schema, {**base, "gremien": ["rat", "spaeter-angelegt"]}) == []
    plan = {"finanzierung": {"staedtebaufoerderung": True, "plan": {"2003": {"stbauf": 5}}}}
    assert errors(schema, {**base, **plan}) == []
    plan["finanzierung"]["plan"] = {"2003": {"gemeinde": 5}}
    assert errors(schema, {**base, **plan})
    assert schema["$defs"]["ziel"]["enumDescriptions"] == ["Wohnen"]
    assert schema["$defs"]["gremium"]["anyOf"][0] == {"enum": ["rat"]}
    props = schema["properties"]
    assert props["status"]["title"] == "Umsetzungsstand"
    assert props["status"]["enumDescriptions"][0] == "in der Planung"
    assert props["finanzierung"]["properties"]["kosten_eur"]["title"] == "Kosten"


def test_yaml_12_values_as_the_models_take_them() -> None:
    schema = schemas(None)["projekt.schema.json"]
    base = {"titel": "Fest", "oberziel": "beteiligung", "status": "abgeschlossen"}
    for good in ({"meilensteine": [{"datum": "2005-06", "text": "x", "erreicht": "Nein"}]},
                 {"meilensteine": [{"datum": "2005-06-30", "text": "x", "erreicht": True}]},
                 {"laufzeit": {"von": "2005-02", "bis": None}}):  # fmt: skip
        assert errors(schema, {**base, **good}) == [], good
    for bad in ({"meilensteine": [{"datum": "2005-13", "text": "x"}]},
                {"meilensteine": [{"datum": "2005-06", "text": "x", "erreicht": "yes"}]},
                {"laufzeit": {"von": "2001-01\n"}},
                {"finanzierung": {"plan": {"25": {"esf": 1}}}},
                {"finanzierung": {"plan": {"2005": {"esf": -1}}}},
                {"titel": ""}, {"titel": "x" * 301}, {"oberziel": "Beteiligung"},
                {"programm": 5}, {"laufzeit": {"bis": "2005-01"}}):  # fmt: skip
        assert errors(schema, {**base, **bad}), bad
    member = schemas(None)["gremium.schema.json"]
    assert errors(member, {"name": "Rat", "art": "rat", "mitglieder": [{"rolle": "x"}]})
    assert errors(member, {"name": "Rat", "art": "rat", "mitglieder": [{"name": None}]})


# ----------------------------------------------------------------------- in a register


def test_init_writes_schemas_and_points_ihk_yaml_at_them(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    assert ihk("init", "powe", cwd=tmp_path).exit_code == 0
    root = tmp_path / "powe"
    first = (root / "ihk.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=.ihk/schema/ihk.schema.json"
    meta_schema = json.loads((root / ".ihk/schema/ihk.schema.json").read_text("utf-8"))
    assert meta_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    measure = json.loads((root / ".ihk/schema/massnahme.schema.json").read_text("utf-8"))
    assert measure["$defs"]["ziel"]["enum"][:2] == ["wohnen", "verknuepfung"]
    assert git(root, "status", "--porcelain") == ""
    result = ihk("validate", cwd=root)  # .ihk/ is no stray folder
    assert result.exit_code == 0
    assert result.stdout.endswith("0 Fehler, 0 Warnungen\n")


def test_add_writes_the_line_where_the_register_keeps_schemas(
    tmp_path: Path, example: Path, ihk: Callable[..., Result]
) -> None:
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    for args in (
        ("add", "massnahme", "--titel", "Tafel", "--oberziel", "nachbarschaften", "--stbauf"),
        ("add", "gremium", "--name", "Rat", "--art", "rat"),
        ("add", "projekt", "--titel", "Fest", "--oberziel", "beteiligung"),
    ):
        assert ihk(*args, cwd=root).exit_code == 0
    for relpath in ("massnahmen/tafel.yaml", "gremien/rat.yaml", "projekte/fest.yaml"):
        first = (root / relpath).read_text("utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert target.startswith("../.ihk/schema/"), first
        assert (root / relpath).parent.joinpath(target).is_file()
    # a register without .ihk/schema (made before ihk schema existed) stays as it was
    assert (
        ihk("add", "gremium", "--name", "Forum Neu", "--art", "forum", cwd=example).exit_code == 0
    )
    assert (example / "gremien/forum-neu.yaml").read_text("utf-8").startswith("name: Forum Neu")


def test_schema_refreshes_in_one_commit_of_just_those_files(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    ihk("add", "gremium", "--name", "Rat", "--art", "rat", cwd=root)
    (root / "notiz.txt").write_text("x")
    git(root, "add", "notiz.txt")
    before = git(root, "rev-parse", "HEAD")
    result = ihk("schema", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Schemas geschrieben (mit den Kennungen des Registers): .ihk/schema/"
    )
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == [".ihk/schema/massnahme.schema.json"]  # the committee ids
    assert git(root, "rev-parse", "HEAD~1") == before
    assert git(root, "diff", "--cached", "--name-only").split() == ["notiz.txt"]
    measure = json.loads((root / changed[0]).read_text("utf-8"))
    assert measure["$defs"]["gremium"]["anyOf"][0] == {"enum": ["rat"]}
    again = ihk("schema", cwd=root)
    assert again.stdout == "Schemas in .ihk/schema sind aktuell; nichts zu tun.\n"
    assert git(root, "rev-parse", "HEAD~1") == before


def test_validate_warns_when_the_catalogue_moved_on(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    meta = root / "ihk.yaml"
    meta.write_text(
        meta.read_text("utf-8").replace("ziele:\n", "ziele:\n  sport:\n    titel: Sport\n", 1),
        "utf-8",
    )
    result = ihk("validate", cwd=root)
    assert result.exit_code == 0
    assert (
        ".ihk/schema/massnahme.schema.json: warnung: nennt andere Ziele als ihk.yaml, "
        "Editoren prüfen noch gegen die alten; „ihk schema“ schreibt die Schemas neu"
    ) in result.stdout.splitlines()
    assert ihk("validate", "--strict", cwd=root).exit_code == 1
    git(root, "commit", "-qam", "Ziel Sport")
    assert ihk("schema", cwd=root).exit_code == 0
    assert ihk("validate", cwd=root).stdout.endswith("0 Fehler, 0 Warnungen\n")


def test_schema_dir_writes_anywhere_without_commit(
    tmp_path: Path, example: Path, ihk: Callable[..., Result]
) -> None:
    head = git(example, "rev-parse", "HEAD")
    result = ihk("schema", str(tmp_path / "out"), cwd=example)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gremium.schema.json", "ihk.schema.json", "indikator.schema.json",
        "massnahme.schema.json", "projekt.schema.json",
    ]  # fmt: skip
    measure = json.loads((tmp_path / "out/massnahme.schema.json").read_text("utf-8"))
    assert measure["$defs"]["gremium"]["anyOf"][0]["enum"] == [
        "rat", "sanierungsbeirat", "sanierungsforum"
    ]  # fmt: skip
    assert git(example, "rev-parse", "HEAD") == head
    plain = ihk("schema", "--no-register-ids", str(tmp_path / "allgemein"), cwd=tmp_path)
    assert plain.exit_code == 0
    generic = json.loads((tmp_path / "allgemein/massnahme.schema.json").read_text("utf-8"))
    assert "$defs" not in generic
    no_register = ihk("schema", "--register-ids", str(tmp_path / "x"), cwd=tmp_path)
    assert no_register.exit_code == 2
    refused = ihk("schema", cwd=tmp_path)
    assert refused.exit_code == 2 and "Kein Register gefunden" in refused.stderr
