"""ihk rm and ihk mv: a record goes, or gets a new id, with every reference to it.

Both change several files (the record and the records that name it) and commit them
together in one commit, or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ihk.checks import referrers
from ihk.errors import InvalidInput, Refused
from ihk.kinds import Entry, Kind
from ihk.models import FieldPath
from ihk.workspace import Workspace, check_id, check_new_id
from ihk.writer import write_files_and_commit
from ihk.yamlio import EditError, Editor, decode


@dataclass
class Moved:
    kind: Kind
    id: str
    new_id: str | None  # None: removed
    commit: str | None
    #: Files whose references were changed (display paths), with the places.
    references: dict[str, list[str]] = field(default_factory=dict)


def _place(path: FieldPath) -> str:
    return ".".join(str(p) for p in path)


def _path_key(path: FieldPath) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def _edited(ws: Workspace, entry: Entry, paths: list[FieldPath], new_id: str | None) -> str:
    """The referrer's text with the references at ``paths`` removed or renamed."""
    editor = Editor(decode((ws.root / entry.relpath).read_bytes(), entry.display), entry.display)
    # remove list items from the back, so earlier indexes stay valid
    for path in sorted(paths, key=_path_key, reverse=True):
        try:
            if new_id is None:
                editor.remove(path)
            else:
                editor.set(path, new_id)
        except EditError as e:
            raise InvalidInput(f"{entry.display}: {e}") from None
    return editor.dump()


def _references(
    ws: Workspace, kind: Kind, ident: str
) -> tuple[dict[str, tuple[Entry, list[FieldPath]]], Any]:
    register = ws.load()
    found: dict[str, tuple[Entry, list[FieldPath]]] = {}
    for entry, path in referrers(register.entries, kind.name, ident):
        found.setdefault(entry.relpath, (entry, []))[1].append(path)
    return found, register


def _places(found: dict[str, tuple[Entry, list[FieldPath]]]) -> dict[str, list[str]]:
    return {
        entry.display: [_place(p) for p in sorted(paths, key=_path_key)]
        for entry, paths in found.values()
    }


def _title(register: Any, kind: Kind, ident: str) -> str:
    entry = register.of(kind.name).get(ident)
    return f": {entry.title}" if entry else ""


def remove_record(
    ws: Workspace,
    spec: str,
    *,
    with_references: bool = False,
    commit: bool = True,
    message: str | None = None,
) -> Moved:
    """Remove a record; refused while others refer to it, unless ``with_references``."""
    with ws.locked():
        kind, ident = ws.address(spec)
        found, register = _references(ws, kind, ident)
        places = _places(found)
        if found and not with_references:
            listed = "; ".join(f"{d} ({', '.join(p)})" for d, p in sorted(places.items()))
            raise Refused(
                f"{kind.label} „{ident}“ wird noch genannt: {listed}. "
                "Erst diese Verweise entfernen – oder sie mit entfernen lassen"
            )
        text = message or f"{kind.label} {ident} entfernt{_title(register, kind, ident)}"
        writes: dict[Path, str | None] = {ws.path_of(kind, ident): None}
        sha = _commit(ws, writes, found, None, text, "entfernt", commit=commit, given=message)
        return Moved(kind, ident, None, sha, places)


def rename_record(
    ws: Workspace, spec: str, new_id: str, *, commit: bool = True, message: str | None = None
) -> Moved:
    """Give a record a new id and change every reference to it."""
    with ws.locked():
        kind, ident = ws.address(spec)
        check_id(new_id)
        reserved = check_new_id(new_id)
        if reserved:
            raise InvalidInput(reserved)
        target = ws.path_of(kind, new_id)
        if new_id == ident:
            raise InvalidInput(f"„{ident}“ heißt schon so; nichts geändert")
        if os.path.lexists(target):
            raise Refused(
                f"{kind.label} „{new_id}“ gibt es schon ({ws.shown(kind, new_id)}); nichts geändert"
            )
        found, _ = _references(ws, kind, ident)
        source = ws.path_of(kind, ident)
        writes: dict[Path, str | None] = {
            source: None,
            target: decode(source.read_bytes(), ws.shown(kind, ident)),
        }
        text = message or f"{kind.label} {ident} umbenannt in {new_id}"
        sha = _commit(ws, writes, found, new_id, text, "angepasst", commit=commit, given=message)
        return Moved(kind, ident, new_id, sha, _places(found))


def _commit(
    ws: Workspace,
    writes: dict[Path, str | None],
    found: dict[str, tuple[Entry, list[FieldPath]]],
    new_id: str | None,
    text: str,
    done: str,
    *,
    commit: bool,
    given: str | None,
) -> str | None:
    """Edit the referrers (references removed, or renamed to ``new_id``), then write and
    commit everything in one commit."""
    for entry, paths in found.values():
        writes[ws.root / entry.relpath] = _edited(ws, entry, paths, new_id)
    if found and not given:
        text += f" (Verweise {done} in {len(found)} Datei{'en' if len(found) > 1 else ''})"
    return write_files_and_commit(ws.git if commit else None, writes, text)
