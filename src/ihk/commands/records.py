"""ihk add, ihk set, ihk show: one record at a time."""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ihk.errors import InvalidInput, Refused, Similar, Uncommitted
from ihk.fields import FieldChange, describe, diff_records
from ihk.kinds import Kind
from ihk.register import Register
from ihk.schema import SCHEMA_DIR, file_name, has_modeline, modeline
from ihk.validation import field_type, fields_at, validate
from ihk.vocab import zahl_aus_text
from ihk.workspace import Workspace, check_id, check_new_id
from ihk.writer import write_and_commit

if TYPE_CHECKING:
    from ihk.gitrepo import GitRepo

from ihk.yamlio import (
    Document,
    EditError,
    Editor,
    YamlProblems,
    decode,
    dump_new,
    parse,
    resolve_plain,
)


def this_month() -> str:
    return _dt.date.today().strftime("%Y-%m")


def slug(text: str) -> str:
    """An id from a title: ä→ae, ß→ss, other accents dropped, words joined by "-"."""
    lowered = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        lowered = lowered.replace(umlaut, plain)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(result) > 64:
        cut = result[:64]
        result = cut[: cut.rfind("-")] if "-" in cut else cut
    return result


@dataclass
class Written:
    kind: Kind
    id: str
    shown: str
    commit: str | None
    changes: list[FieldChange] = field(default_factory=list)
    changed: bool = True  # False: the edits left the file as it was; nothing written
    #: Notes of git about what went wrong after the commit was made (German).
    warnings: list[str] = field(default_factory=list)


def _refuse_if_invalid(register: Register, shown: str, what: str) -> None:
    problems = [p for p in register.errors if p.location.path == shown or not p.location.line]
    if problems:
        raise InvalidInput(f"{what}; nichts geschrieben", problems)


def add_record(
    ws: Workspace,
    kind: Kind,
    fields: dict[str, Any],
    ident: str | None = None,
    *,
    commit: bool = True,
    message: str | None = None,
    despite_similar: bool = False,
) -> Written:
    """A new record from ``fields`` (dotted keys, e.g. "finanzierung.kosten_eur").

    Unset values (None, empty lists) are left out; keys are written in the model's
    field order, whatever order they came in. A title very close to an existing
    record's is refused (``Similar``) unless ``despite_similar``.
    """
    title = str(fields.get(kind.title_field) or "")
    ident = check_id(ident) if ident else slug(title)
    if not ident:
        raise InvalidInput(
            f"Aus „{title}“ lässt sich keine Kennung bilden; bitte eine Kennung angeben"
        )
    reserved = check_new_id(ident)
    if reserved:
        raise InvalidInput(f"{reserved} (--id)")
    if not despite_similar:
        close = similar_records(ws, kind, title)
        if close:
            listed = ", ".join(f"{i} („{t}“)" for i, t in close)
            raise Similar(
                f"{kind.label} „{title}“ ähnelt dem Vorhandenen: {listed}; nichts angelegt"
            )
    return create_record(
        ws, kind, ident, new_record_text(kind, fields), commit=commit, message=message
    )


def new_record_text(kind: Kind, fields: dict[str, Any]) -> str:
    """The file ``add_record`` writes for ``fields`` (dotted keys, unset values left out,
    keys in the model's order)."""
    return dump_new(_ordered(kind.model, _without_empty(_nest(fields)), ()))


def similar_records(ws: Workspace, kind: Kind, title: str) -> list[tuple[str, str]]:
    """Records of ``kind`` whose title is very close to ``title``: (id, title).

    Close means: the same words once umlauts, case and punctuation are set aside, one
    title's words all within the other's ("Sprachcafé" / "Sprachcafé für Zugewanderte"),
    or nearly the same letters (difflib ratio >= 0.85).
    """
    return similar_titles(title, _titles(ws, kind))


def similar_titles(title: str, titles: Mapping[str, str]) -> list[tuple[str, str]]:
    """Those of ``titles`` (id -> title) very close to ``title`` (see ``similar_records``)."""
    new = slug(title)
    words = set(new.split("-"))
    found = []
    for ident, other in titles.items():
        old = slug(other)
        old_words = set(old.split("-"))
        shorter, longer = sorted((words, old_words), key=len)
        if (
            new == old
            or (shorter and shorter <= longer and max(map(len, shorter)) >= 4)
            or difflib.SequenceMatcher(None, new, old).ratio() >= 0.85
        ):
            found.append((ident, other))
    return sorted(found)


def _titles(ws: Workspace, kind: Kind) -> dict[str, str]:
    """The titles of a kind's records, from a scan of their title lines (cheap)."""
    pattern = re.compile(rf"^{kind.title_field}:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
    titles = {}
    for ident in ws.listed_ids()[kind.name]:
        try:
            text = ws.path_of(kind, ident).read_text("utf-8", "replace")
        except OSError:
            continue
        match = pattern.search(text)
        if match:
            titles[ident] = match[1].strip("\"'")
    return titles


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for dotted, value in flat.items():
        *parents, leaf = dotted.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


@functools.lru_cache(maxsize=1024)
def _field_order(model: Any, path: tuple[str, ...]) -> dict[str, int]:
    """The rank of each field at ``path`` (an import orders thousands of new files)."""
    return {name: i for i, name in enumerate(fields_at(model, path))}


def _ordered(model: Any, data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    order = _field_order(model, path)
    keys = sorted(data, key=lambda k: order.get(k, len(order)))
    return {
        k: _ordered(model, data[k], (*path, k)) if isinstance(data[k], dict) else data[k]
        for k in keys
    }


def create_record(
    ws: Workspace,
    kind: Kind,
    ident: str,
    text: str,
    *,
    commit: bool = True,
    message: str | None = None,
    date: str | None = None,
) -> Written:
    """Write a new record file from ``text`` after checking it, and commit it alone."""
    with ws.locked():
        ws.check_folder(kind)
        path = ws.path_of(kind, ident)
        shown = ws.shown(kind, ident)
        if os.path.lexists(path):
            raise Refused(f"{kind.label} „{ident}“ gibt es schon ({shown}); nichts geändert")
        text = with_modeline(ws, kind, text)
        checked = ws.check_one(kind, ident, text)
        _refuse_if_invalid(checked, shown, f"{kind.label} „{ident}“ wäre ungültig")
        title = checked.of(kind.name)[ident].title
        message = message or f"{kind.label} {ident} angelegt: {title}"
        repo = ws.git if commit else None
        sha = write_and_commit(repo, path, text, message, date=date)
        return Written(kind, ident, shown, sha, warnings=repo.warnings if repo else [])


def with_modeline(ws: Workspace, kind: Kind, text: str) -> str:
    """A new record's text with the line that points editors at its schema, when the
    register keeps one for the kind (``.ihk/schema``, written by ``ihk init`` and
    ``ihk schema``); registers without schemas get the text as it is."""
    if has_modeline(text) or not (ws.root / SCHEMA_DIR / file_name(kind.name)).is_file():
        return text
    return modeline(kind.relpath("x")) + text


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unset options (None, empty lists) so that a new file holds what was given."""
    result = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _without_empty(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value not in (None, [], {}):
            result[key] = value
    return result


_ASSIGNMENT = re.compile(r"([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)(\+=|-=|=)(.*)", re.DOTALL)


def parse_value(raw: str) -> Any:
    """A YAML scalar (or a flow list/map, or a quoted string) from the command line."""
    if raw[:1] in ("[", "{", '"', "'"):
        try:
            return parse(raw, "Wert").data
        except YamlProblems as e:
            raise InvalidInput(
                f"„{raw}“ ist kein gültiger YAML-Wert: {e.problems[0].message}"
            ) from None
    return resolve_plain(raw)


Edit = tuple[str, tuple[str | int, ...], Any]  # ("=", "+=", "-=" or "del", path, value)


def parse_assignment(assignment: str, kind: Kind | None = None) -> Edit:
    """FELD=WERT, FELD+=WERT, FELD-=WERT (FELD= removes the field).

    A value for a number field of ``kind`` is read the German way ("12.000" is twelve
    thousand, see ``vocab.zahl_aus_text``), never as the YAML float 12.0.
    """
    match = _ASSIGNMENT.fullmatch(assignment)
    if not match:
        raise InvalidInput(
            f"„{assignment}“ verstehe ich nicht; erwartet FELD=WERT, FELD+=WERT oder FELD-=WERT"
        )
    key, op, raw = match.groups()
    path = tuple(int(p) if p.isdigit() else p for p in key.split("."))
    if raw and kind is not None and field_type(kind.model, path) in (int, float):
        try:
            return (op, path, zahl_aus_text(raw))
        except ValueError as e:
            raise InvalidInput(f"{key}: {e}") from None
    value = parse_value(raw)
    if op == "=" and value is None:
        return ("del", path, None)
    return (op, path, value)


def apply_edit(editor: Editor, edit: Edit) -> None:
    op, path, value = edit
    try:
        if op == "+=":
            editor.append(path, value)
        elif op == "-=":
            editor.remove_item(path, value)
        elif op == "del":
            editor.remove(path)
        else:
            editor.set(path, value)
    except EditError as e:
        raise InvalidInput(str(e)) from None


def set_fields(
    ws: Workspace,
    spec: str,
    assignments: list[str],
    note: str | None = None,
    *,
    commit: bool = True,
    message: str | None = None,
    month: str | None = None,
) -> Written:
    """``ihk set``: assignments (FELD=WERT, FELD+=WERT, FELD-=WERT) and a Nachtrag
    (dated ``month``, JJJJ-MM, or this month)."""
    kind, ident = ws.address(spec)
    if not assignments and not note:
        raise InvalidInput("Nichts zu ändern: bitte FELD=WERT oder einen Nachtrag angeben")
    if note and "nachtraege" not in kind.field_order:
        raise InvalidInput(f"Nachträge gibt es nur für Maßnahmen, nicht für {kind.plural}")
    edits = [parse_assignment(a, kind) for a in assignments]
    if note:
        edits.append(("+=", ("nachtraege",), {"stand": month or this_month(), "text": note}))
    return edit_record(ws, kind, ident, edits, commit=commit, message=message)


@dataclass
class Prepared:
    """An edit of one record file worked out, not yet checked or written."""

    kind: Kind
    ident: str
    path: Path
    shown: str
    original: str
    old_doc: Document
    text: str  # the new content (``original`` if the edits changed nothing)


def prepare_edit(ws: Workspace, kind: Kind, ident: str, edits: list[Edit]) -> Prepared:
    """The record's file with ``edits`` applied by the round-trip editor (comments, key
    order, untouched lines, BOM and line endings stay as they are) — the edit path of
    ``set``, also used by ``import``."""
    path = ws.path_of(kind, ident)
    shown = ws.shown(kind, ident)
    try:
        original = decode(path.read_bytes(), shown)
        old_doc = parse(original, shown)
    except YamlProblems as e:
        raise InvalidInput(
            "Die Datei ist kein lesbares YAML; bitte erst von Hand reparieren", e.problems
        ) from None
    editor = Editor(original, shown)  # keeps the BOM and every line's ending
    for edit in edits:
        apply_edit(editor, edit)
    return Prepared(kind, ident, path, shown, original, old_doc, editor.dump())


def edit_record(
    ws: Workspace,
    kind: Kind,
    ident: str,
    edits: list[Edit],
    *,
    commit: bool = True,
    message: str | None = None,
    date: str | None = None,
) -> Written:
    """Apply edits round-trip, refuse an invalid result, write and commit the one file."""
    with ws.locked():  # read, decide and write as one step
        prepared = prepare_edit(ws, kind, ident, edits)
        path, shown, original, text = (
            prepared.path,
            prepared.shown,
            prepared.original,
            prepared.text,
        )
        old_doc = prepared.old_doc
        if text == original:
            return Written(kind, ident, shown, None, changed=False)
        repo = ws.git if commit else None
        if repo is not None:
            _refuse_uncommitted(repo, kind, path, shown, original)
        checked = ws.check_one(kind, ident, text)
        if checked.errors:
            before = {p.message for p in ws.check_one(kind, ident, original).errors}
            if all(p.message in before for p in checked.errors):
                _refuse_if_invalid(
                    checked,
                    shown,
                    f"{shown} war schon vor der Änderung ungültig; bitte erst reparieren",
                )
        _refuse_if_invalid(checked, shown, f"Die Änderung machte {kind.label} „{ident}“ ungültig")
        new_record = checked.of(kind.name)[ident].record
        old_record, _ = validate(kind.model, old_doc, shown)
        changes = diff_records(old_record, new_record) if old_record is not None else []
        if message is None:
            summary = ", ".join(describe(c) for c in changes) or "korrigiert"
            message = f"{kind.label} {ident}: {summary}"
        sha = write_and_commit(repo, path, text, message, date=date)
        return Written(kind, ident, shown, sha, changes, warnings=repo.warnings if repo else [])


def _refuse_uncommitted(repo: GitRepo, kind: Kind, path: Path, shown: str, text: str) -> None:
    """A commit of this file would also commit what someone changed by hand: refuse it."""
    rel = repo.relpath(path)
    if not repo.is_dirty(rel):
        return
    committed = {f.path: f.sha for f in repo.tree("HEAD", rel)} if repo.has_head() else {}
    if rel not in committed:
        what = "die Datei ist noch nicht committet"
    else:
        old = repo.read_blobs([committed[rel]])[committed[rel]]
        changes = _changes(kind, old.decode("utf-8", "replace"), text, shown)
        what = (
            "; ".join(describe(c) for c in changes)
            if changes
            else "die Datei ist von Hand geändert oder vorgemerkt"
        )
    raise Uncommitted(
        f"{shown} hat Änderungen, die noch nicht committet sind ({what}); "
        "ein Commit nähme sie unbemerkt mit. Bitte erst committen oder verwerfen"
    )


def record_changes_text(kind: Kind, old: bytes | None, new: bytes | None) -> str:
    """What happened to one record between two versions, in German: neu, entfernt, or
    its field changes."""
    if old is None:
        return "neu"
    if new is None:
        return "entfernt"
    shown = kind.folder
    changes = _changes(kind, old.decode("utf-8", "replace"), new.decode("utf-8", "replace"), shown)
    return ", ".join(describe(c) for c in changes) or "geändert"


def _changes(kind: Kind, old: str, new: str, shown: str) -> list[FieldChange]:
    records = []
    for text in (old, new):
        try:
            record, _ = validate(kind.model, parse(text, shown), shown)
        except YamlProblems:
            return []
        if record is None:
            return []
        records.append(record)
    return diff_records(records[0], records[1])


@dataclass
class Shown:
    kind: Kind
    id: str
    shown: str
    text: str
    record: Any
    problems: list[Any]


def show_record(ws: Workspace, spec: str) -> Shown:
    kind, ident = ws.address(spec)
    shown = ws.shown(kind, ident)
    try:
        text = decode(ws.path_of(kind, ident).read_bytes(), shown)
    except YamlProblems as e:
        raise InvalidInput(f"{kind.label} „{ident}“ ist nicht lesbar", e.problems) from None
    checked = ws.check_one(kind, ident, text)
    entry = checked.of(kind.name).get(ident)
    problems = [p for p in checked.problems if p.location.path == shown]
    return Shown(kind, ident, shown, text, entry.record if entry else None, problems)
