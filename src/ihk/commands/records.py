"""ihk add, ihk set, ihk show: one record at a time."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ihk.errors import InvalidInput, Refused
from ihk.fields import FieldChange, describe, diff_records
from ihk.kinds import Kind
from ihk.register import Register
from ihk.validation import validate
from ihk.workspace import Workspace, check_id
from ihk.writer import write_and_commit
from ihk.yamlio import EditError, Editor, YamlProblems, decode, dump_new, parse, resolve_plain

#: Field order of new files, as SPEC §1 lists them.
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "massnahme": (
        "titel",
        "oberziel",
        "weitere_ziele",
        "traeger",
        "finanzierung",
        "status",
        "aufgenommen",
        "nachtraege",
        "gremien",
        "zeitraum",
        "ort",
        "beschreibung",
    ),
    "gremium": ("name", "art", "aufgabe", "gegruendet", "aufgeloest", "mitglieder", "sitzungen"),
    "projekt": (
        "titel",
        "oberziel",
        "programm",
        "massnahmen",
        "traeger",
        "status",
        "laufzeit",
        "finanzierung",
        "meilensteine",
        "beschreibung",
    ),
}


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


def _refuse_if_invalid(register: Register, shown: str, what: str) -> None:
    problems = [p for p in register.errors if p.location.path == shown or not p.location.line]
    if problems:
        raise InvalidInput(f"{what}; nichts geschrieben", problems)


def add_record(
    ws: Workspace,
    kind: Kind,
    values: dict[str, Any],
    ident: str | None = None,
    *,
    commit: bool = True,
    message: str | None = None,
    date: str | None = None,
) -> Written:
    title = str(values.get(kind.title_field) or "")
    ident = check_id(ident) if ident else slug(title)
    if not ident:
        raise InvalidInput(f"Aus „{title}“ lässt sich keine Kennung bilden; bitte --id angeben")
    order = FIELD_ORDER[kind.name]
    data = _without_empty({key: values[key] for key in order if key in values})
    return create_record(ws, kind, ident, dump_new(data), commit=commit, message=message, date=date)


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
    path = ws.path_of(kind, ident)
    shown = ws.shown(kind, ident)
    if path.exists():
        raise Refused(f"{kind.label} „{ident}“ gibt es schon ({shown}); nichts geändert")
    checked = ws.check_one(kind, ident, text)
    _refuse_if_invalid(checked, shown, f"{kind.label} „{ident}“ wäre ungültig")
    title = checked.of(kind.name)[ident].title
    message = message or f"{kind.label} {ident} angelegt: {title}"
    sha = write_and_commit(ws, path, text, message, commit=commit, date=date)
    return Written(kind, ident, shown, sha)


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


_ASSIGNMENT = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)(\+=|-=|=)(.*)$", re.DOTALL)


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


def parse_assignment(assignment: str) -> Edit:
    """FELD=WERT, FELD+=WERT, FELD-=WERT (FELD= removes the field)."""
    match = _ASSIGNMENT.match(assignment)
    if not match:
        raise InvalidInput(
            f"„{assignment}“ verstehe ich nicht; erwartet FELD=WERT, FELD+=WERT oder FELD-=WERT"
        )
    key, op, raw = match.groups()
    path = tuple(int(p) if p.isdigit() else p for p in key.split("."))
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
    date: str | None = None,
) -> Written:
    kind, ident = ws.address(spec)
    if not assignments and not note:
        raise InvalidInput("Nichts zu ändern: FELD=WERT oder --note angeben")
    if note and kind.name != "massnahme":
        raise InvalidInput(f"--note gibt es nur für Maßnahmen, nicht für {kind.plural}")
    edits = [parse_assignment(a) for a in assignments]
    if note:
        edits.append(("+=", ("nachtraege",), {"stand": month or this_month(), "text": note}))
    return edit_record(ws, kind, ident, edits, commit=commit, message=message, date=date)


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
    text = editor.dump()
    if text == original:
        return Written(kind, ident, shown, None, changed=False)
    checked = ws.check_one(kind, ident, text)
    _refuse_if_invalid(checked, shown, f"Die Änderung machte {kind.label} „{ident}“ ungültig")
    new_record = checked.of(kind.name)[ident].record
    old_record, _ = validate(kind.model, old_doc, shown)
    changes = diff_records(old_record, new_record) if old_record is not None else []
    if message is None:
        summary = ", ".join(describe(c) for c in changes) or "korrigiert"
        message = f"{kind.label} {ident}: {summary}"
    sha = write_and_commit(ws, path, text, message, commit=commit, date=date)
    return Written(kind, ident, shown, sha, changes)


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
