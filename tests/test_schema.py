"""ihk schema: the JSON Schemas say what the models accept (the example register passes,
every schema matter of the bad-input corpus fails), ihk init and ihk add point new files
at them, ihk schema refreshes them in one commit, validate notices a stale catalogue."""

from __future__ import annotations

import json
import os
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


# ------------------------------------------------------------ odd .ihk/schema folders


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("ihk", lambda p: p.write_text('{"$defs": [1]}'), None),
        ("massnahme", lambda p: p.write_text('{"$defs": {"ziel": {"enum": 5}}}'), "andere Ziele"),
        ("projekt", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "kein gültiges"),
        ("projekt", lambda p: p.write_bytes(b"\xff\xfe{"), "kein UTF-8"),
        ("gremium", lambda p: p.symlink_to("/dev/zero"), "symbolische Verknüpfung"),
        ("gremium", lambda p: os.mkfifo(p), "keine gewöhnliche Datei"),
        ("indikator", lambda p: p.mkdir(), "keine gewöhnliche Datei"),
    ],
    ids=["defs-list", "enum-number", "deep", "latin", "link-dev-zero", "fifo", "folder"],
)
def test_validate_reads_only_plain_schema_files_and_never_crashes(
    name: str, make: Callable[[Path], Any], says: str | None, tmp_path: Path,
    ihk: Callable[..., Result],
) -> None:  # fmt: skip
    """A schema file that is no schema, a link to an endless device or a pipe (either
    would hang validate in CI) is a warning; ihk schema refuses to write through it."""
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    path = root / ".ihk/schema" / f"{name}.schema.json"
    path.unlink()
    make(path)
    result = ihk("validate", cwd=root)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if "warnung:" in line]
    if says is None:
        assert warnings == []  # nothing ihk compares: no false alarm
        return
    assert len(warnings) == 1 and says in warnings[0], result.stdout
    assert warnings[0].startswith(f".ihk/schema/{name}.schema.json: warnung: ")
    if path.is_symlink() or not path.is_file():
        head = git(root, "rev-parse", "HEAD")
        refused = ihk("schema", cwd=root)
        assert refused.exit_code == 1
        assert "bitte entfernen. Nichts geschrieben" in refused.stderr
        assert git(root, "rev-parse", "HEAD") == head


def test_a_reordered_or_retitled_catalogue_is_no_stale_schema(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    """Editors accept the same ids whatever their order and titles: no warning."""
    ihk("init", "powe", cwd=tmp_path)
    meta = tmp_path / "powe" / "ihk.yaml"
    text = meta.read_text("utf-8")
    wohnen = "  wohnen:\n    titel: Wohn- und Wohnumfeldverbesserung\n"
    text = text.replace(wohnen, "").replace("  beteiligung:\n", wohnen + "  beteiligung:\n")
    meta.write_text(text.replace("Quartiersmarketing", "Stadtteilmarketing"), "utf-8")
    result = ihk("validate", cwd=tmp_path / "powe")
    assert result.stdout.endswith("0 Fehler, 0 Warnungen\n"), result.stdout


def test_a_linked_schema_folder_is_neither_read_nor_written(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    elsewhere = tmp_path / "anderswo"
    (root / ".ihk/schema").rename(elsewhere)
    (root / ".ihk/schema").symlink_to(elsewhere)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "verknüpft")
    result = ihk("validate", cwd=root)
    assert result.stdout.splitlines()[0] == (
        ".ihk/schema: warnung: ist eine symbolische Verknüpfung; ihk liest und schreibt die "
        "Schemas nur in einem echten Ordner im Register"
    )
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    meta = root / "ihk.yaml"
    meta.write_text(meta.read_text("utf-8").replace("ziele:\n", "ziele:\n  a:\n    titel: A\n"))
    git(root, "commit", "-qam", "Ziel a")
    head = git(root, "rev-parse", "HEAD")
    refused = ihk("schema", cwd=root)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Fehler: .ihk/schema ist eine symbolische Verknüpfung")
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before
    assert git(root, "rev-parse", "HEAD") == head


def test_schema_writes_back_what_validate_says_is_missing(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    """The fix validate names works: a deleted schema file is written anew (HEAD has
    it: no commit), a deletion already committed is committed back, and files written
    with --no-commit are committed by the next ihk schema."""
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    head = git(root, "rev-parse", "HEAD")
    (root / ".ihk/schema/ihk.schema.json").unlink()
    assert "ihk.schema.json: warnung: fehlt" in ihk("validate", cwd=root).stdout
    result = ihk("schema", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert git(root, "status", "--porcelain") == "" and git(root, "rev-parse", "HEAD") == head
    git(root, "rm", "-q", ".ihk/schema/gremium.schema.json")
    git(root, "commit", "-qm", "weg damit")
    assert ihk("schema", cwd=root).exit_code == 0
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [
        ".ihk/schema/gremium.schema.json"
    ]
    ihk("add", "gremium", "--name", "Rat", "--art", "rat", cwd=root)
    assert ihk("schema", "--no-commit", cwd=root).exit_code == 0
    assert git(root, "status", "--porcelain").split() == ["M", ".ihk/schema/massnahme.schema.json"]
    assert ihk("schema", cwd=root).exit_code == 0
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [
        ".ihk/schema/massnahme.schema.json"
    ]


def test_schema_dir_must_be_a_folder_outside_the_records(
    tmp_path: Path, example: Path, ihk: Callable[..., Result]
) -> None:
    (tmp_path / "datei").write_text("x")
    result = ihk("schema", str(tmp_path / "datei"), cwd=example)
    assert (result.exit_code, result.stderr) == (
        1, f"Fehler: {tmp_path / 'datei'} ist kein Ordner; nichts geschrieben\n"
    )  # fmt: skip
    before = sorted(p.name for p in (example / "massnahmen").iterdir())
    result = ihk("schema", "massnahmen", cwd=example)
    assert result.exit_code == 1
    assert "massnahmen ist ein Ordner mit Einträgen des Registers" in result.stderr
    assert sorted(p.name for p in (example / "massnahmen").iterdir()) == before


def test_the_modeline_moves_no_problem(tmp_path: Path, ihk: Callable[..., Result]) -> None:
    """Problems in a file that starts with the yaml-language-server line point at the
    lines they point at without it, one further down; a key missing at the top is
    placed where the data starts, not on the comment."""
    ihk("init", "powe", cwd=tmp_path)
    root = tmp_path / "powe"
    ihk("add", "massnahme", "--titel", "Tafel", "--oberziel", "wohnen", "--stbauf", cwd=root)
    path = root / "massnahmen" / "tafel.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    assert lines[0].startswith("# yaml-language-server: $schema=")
    broken = [line.replace("in_planung", "fertig") for line in lines if "titel:" not in line]
    path.write_text("".join(broken), "utf-8")
    with_line = ihk("validate", cwd=root).stdout.splitlines()[:2]
    path.write_text("".join(broken[1:]), "utf-8")
    without = ihk("validate", cwd=root).stdout.splitlines()[:2]
    assert without[0] == "massnahmen/tafel.yaml:1:1: Pflichtfeld „titel“ fehlt"
    assert with_line[0] == "massnahmen/tafel.yaml:2:1: Pflichtfeld „titel“ fehlt"
    status = int(without[1].split(":")[1])
    assert with_line[1] == without[1].replace(f":{status}:", f":{status + 1}:", 1)
    assert "status: ungültiger Wert „fertig“" in with_line[1]


def test_init_never_writes_through_a_linked_schema_folder(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    """A .ihk that links elsewhere (or is a file) is refused before anything is
    written: before, init wrote its schemas into the link's target and, when the
    commit then failed, deleted them there, other people's files included."""
    target = tmp_path / "anderswo"
    (target / "schema").mkdir(parents=True)
    (target / "schema" / "ihk.schema.json").write_text("fremd")
    (tmp_path / "neu").mkdir()
    (tmp_path / "neu" / ".ihk").symlink_to(target)
    result = ihk("init", "neu", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: neu/.ihk ist eine symbolische Verknüpfung")
    assert (target / "schema" / "ihk.schema.json").read_text() == "fremd"
    assert sorted(p.name for p in (tmp_path / "neu").iterdir()) == [".ihk"]
    (tmp_path / "datei").mkdir()
    (tmp_path / "datei" / ".ihk").write_text("x")
    result = ihk("init", "datei", cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        1, "Fehler: datei/.ihk ist kein Ordner; nichts geschrieben\n"
    )  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "datei").iterdir()) == [".ihk"]
