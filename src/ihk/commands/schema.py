"""ihk schema: write the JSON Schemas for editors, and check the register's own copy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ihk.errors import SCHEMA, InvalidInput, Location, Problem, UsageError
from ihk.kinds import KINDS
from ihk.register import META_FILE, Register, SourceFile, load
from ihk.schema import SCHEMA_DIR, Ids, file_names, stale, texts
from ihk.workspace import Workspace
from ihk.writer import atomic_write, write_files_and_commit


@dataclass
class SchemaWritten:
    folder: Path
    #: file names written (changed or new); empty: everything was up to date
    written: list[str] = field(default_factory=list)
    commit: str | None = None
    #: whether the register's ids (goals, sources, records) are in the schemas
    register_ids: bool = False
    warnings: list[str] = field(default_factory=list)


def register_ids(ws: Workspace) -> Ids:
    """The ids a register offers: its catalogue (from ihk.yaml, which must be valid)
    and the record files there are."""
    meta = _meta(ws)
    listed = ws.listed_ids()
    return _ids(meta, {name: sorted(listed.get(name, ())) for name in KINDS})


def _meta(ws: Workspace) -> Register:
    path = ws.root / META_FILE
    checked = load([SourceFile(META_FILE, path.read_bytes())], ws.display)
    if checked.meta is None:
        raise InvalidInput(
            f"{ws.display(META_FILE)} ist ungültig; erst reparieren (oder mit --no-register-ids "
            "Schemas ohne die Kennungen des Registers schreiben)",
            checked.errors,
        )
    return checked


def _ids(meta: Register, records: dict[str, list[str]]) -> Ids:
    assert meta.meta is not None
    return Ids(
        ziele={k: v.titel for k, v in meta.meta.ziele.items()},
        quellen={k: v.titel for k, v in meta.meta.quellen.items()},
        records=records,
    )


def write_to(folder: Path, ws: Workspace | None, with_ids: bool) -> SchemaWritten:
    """``ihk schema DIR``: the schemas into any folder, not committed."""
    if with_ids and ws is None:
        raise UsageError("--register-ids braucht ein Register; ohne Register: --no-register-ids")
    ids = register_ids(ws) if with_ids and ws is not None else None
    result = SchemaWritten(folder, register_ids=ids is not None)
    for name, text in texts(ids).items():
        path = folder / name
        if not (path.is_file() and path.read_text("utf-8", "replace") == text):
            atomic_write(path, text)
            result.written.append(name)
    return result


def refresh(
    ws: Workspace, with_ids: bool, *, commit: bool = True, message: str | None = None
) -> SchemaWritten:
    """``ihk schema``: the register's own ``.ihk/schema`` brought up to date and
    committed alone (one commit of just those files); nothing when it is up to date."""
    folder = ws.root / SCHEMA_DIR
    with ws.locked():
        ids = register_ids(ws) if with_ids else None
        writes: dict[Path, str | None] = {}
        for name, text in texts(ids).items():
            path = folder / name
            if not (path.is_file() and path.read_text("utf-8", "replace") == text):
                writes[path] = text
        result = SchemaWritten(folder, [p.name for p in writes], register_ids=with_ids)
        if not writes:
            return result
        repo = ws.git if commit else None
        result.commit = write_files_and_commit(
            repo, writes, message or "Schemas für Editoren aktualisiert (.ihk/schema)"
        )
        result.warnings = repo.warnings if repo else []
        return result


def schema_problems(root: Path, register: Register, display: Callable[[str], str]) -> list[Problem]:
    """Warnings for a register's ``.ihk/schema`` that no longer matches ihk.yaml's
    catalogue (an editor would flag valid ids), or lacks a file or is unreadable.
    Nothing when the register keeps no schemas or ihk.yaml is invalid."""
    folder = root / SCHEMA_DIR
    if register.meta is None or not folder.is_dir():
        return []
    ids = _ids(register, {})
    problems = []
    fix = "; „ihk schema“ schreibt die Schemas neu"
    for name in file_names():
        shown = display(f"{SCHEMA_DIR}/{name}")
        path = folder / name
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            message = "fehlt" + fix
        except (OSError, UnicodeDecodeError):
            message = "nicht lesbar" + fix
        else:
            try:
                differs = stale(text, ids)
            except ValueError:
                message = "ist kein gültiges Schema (kein JSON-Objekt)" + fix
            else:
                if not differs:
                    continue
                message = (
                    f"nennt andere {' und '.join(differs)} als {META_FILE}, Editoren prüfen "
                    f"noch gegen die alten{fix}"
                )
        problems.append(Problem(Location(shown), message, warning=True, code=SCHEMA))
    return problems
