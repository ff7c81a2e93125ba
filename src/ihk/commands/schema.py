"""ihk schema: write the JSON Schemas for editors, and check the register's own copy."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ihk.errors import SCHEMA, InvalidInput, Location, Problem, UsageError
from ihk.kinds import KINDS
from ihk.register import META_FILE, Register, SourceFile, load
from ihk.schema import SCHEMA_DIR, Ids, file_names, stale, texts
from ihk.vocab import os_fehler
from ihk.workspace import Workspace
from ihk.writer import atomic_write, write_files_and_commit
from ihk.yamlio import MAX_FILE_BYTES, too_large

if TYPE_CHECKING:
    from ihk.gitrepo import GitRepo


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
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} ist kein Ordner; nichts geschrieben")
    if ws is not None and _is_record_folder(folder, ws):
        raise InvalidInput(
            f"{folder} ist ein Ordner mit Einträgen des Registers; Schemas dort wären fremde "
            "Dateien im Register. Ohne ORDNER frischt „ihk schema“ die Schemas des Registers "
            f"in {SCHEMA_DIR} auf; nichts geschrieben"
        )
    ids = register_ids(ws) if with_ids and ws is not None else None
    result = SchemaWritten(folder, register_ids=ids is not None)
    for name, text in texts(ids).items():
        path = folder / name
        if _on_disk(path, str(path)) != text:
            atomic_write(path, text)
            result.written.append(name)
    return result


def _is_record_folder(folder: Path, ws: Workspace) -> bool:
    try:
        return any(folder.samefile(ws.root / kind.folder) for kind in KINDS.values())
    except OSError:  # the folder (or a kind's) is not there
        return False


def refresh(
    ws: Workspace, with_ids: bool, *, commit: bool = True, message: str | None = None
) -> SchemaWritten:
    """``ihk schema``: the register's own ``.ihk/schema`` brought up to date and
    committed alone (one commit of just those files); nothing when the files and, when
    committing, HEAD have them as they should be. A file deleted from the work tree is
    written anew; one that already has the new text (``--no-commit`` before) is
    committed. Refused where a file would land outside the register or in place of
    something that is not a plain file (a link, a pipe)."""
    folder = ws.root / SCHEMA_DIR
    with ws.locked():
        bad = folder_problem(ws.root)
        if bad:
            raise InvalidInput(f"{ws.display(bad[0])} {bad[1]}; nichts geschrieben")
        ids = register_ids(ws) if with_ids else None
        wanted = {folder / name: text for name, text in texts(ids).items()}
        on_disk = {path: _on_disk(path, ws.display(f"{SCHEMA_DIR}/{path.name}")) for path in wanted}
        repo = ws.git if commit else None
        at_head = _at_head(repo, folder) if repo is not None else {}
        writes: dict[Path, str | None] = {}
        restored: dict[Path, str] = {}
        ours: set[Path] = set()  # nothing of the user's to protect: missing or our text
        for path, text in wanted.items():
            head_same = repo is None or at_head.get(repo.relpath(path)) == text.encode()
            if on_disk[path] == text and head_same:
                continue
            if on_disk[path] is None and head_same and repo is not None:
                restored[path] = text  # HEAD has it: put back, nothing to commit
                continue
            if on_disk[path] in (None, text):
                ours.add(path)
            writes[path] = text
        names = [p.name for p in wanted if p in writes or p in restored]
        result = SchemaWritten(folder, names, register_ids=with_ids)
        if writes:
            result.commit = write_files_and_commit(
                repo,
                writes,
                message or "Schemas für Editoren aktualisiert (.ihk/schema)",
                overwrite=ours,
            )
            result.warnings = repo.warnings if repo else []
        for path, text in restored.items():
            atomic_write(path, text)
        return result


def refreshed_for_goals(
    ws: Workspace, ziele: dict[str, str], new_records: dict[str, list[str]]
) -> dict[Path, str]:
    """The register's schema files that name the goal catalogue, as ``ihk schema`` would
    write them once ihk.yaml's goals are ``ziele`` and the records ``new_records`` exist
    (for ``ihk import --neue-ziele``, to go into its one commit). Nothing when no file
    names the catalogue (schemas written without the register's ids), and a folder or
    file ihk does not write into is left alone (``validate`` names those)."""
    folder = ws.root / SCHEMA_DIR
    if folder_problem(ws.root) or not folder.is_dir():
        return {}
    meta = _meta(ws)
    listed = ws.listed_ids()
    records = {
        name: sorted(set(listed.get(name, ())) | set(new_records.get(name, ()))) for name in KINDS
    }
    ids = replace(_ids(meta, records), ziele=dict(ziele))
    changed, names_goals = {}, False
    for name, text in texts(ids).items():
        try:
            current = _read(folder / name)
            names_goals = names_goals or bool(stale(current, ids))
        except (FileNotFoundError, _Unreadable, UnicodeDecodeError, ValueError):
            continue
        if current != text:
            changed[folder / name] = text
    # every file as `ihk schema` writes it (the new records' ids too), if any names goals
    return changed if names_goals else {}


def _on_disk(path: Path, shown: str) -> str | None:
    """A schema file's text, None if missing ("" if not UTF-8); refused if it is no
    plain file (writing would follow a link, or block on a pipe)."""
    try:
        return _read(path)
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return ""
    except _Unreadable as e:
        raise InvalidInput(f"{shown}: {e}; bitte entfernen. Nichts geschrieben") from None


def _at_head(repo: GitRepo, folder: Path) -> dict[str, bytes]:
    """The files below ``folder`` at HEAD (repository-relative path -> content)."""
    if not repo.has_head():
        return {}
    blobs = {f.path: f.sha for f in repo.tree("HEAD", repo.relpath(folder))}
    data = repo.read_blobs(blobs.values())
    return {path: data[sha] for path, sha in blobs.items() if sha in data}


class _Unreadable(Exception):
    """A schema file ihk does not read: a link, not a plain file, too large."""


def folder_problem(root: Path) -> tuple[str, str] | None:
    """Why the register's schema folder is no place for its schemas: (the folder
    relative to the register, why), for a link or a file; None where it is a folder
    or missing."""
    for rel in (SCHEMA_DIR.partition("/")[0], SCHEMA_DIR):
        try:
            mode = os.lstat(root / rel).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as e:
            e.filename = None
            return rel, f"ist nicht lesbar: {os_fehler(e)}"
        if stat.S_ISLNK(mode):
            return rel, (
                "ist eine symbolische Verknüpfung; ihk liest und schreibt die Schemas nur "
                "in einem echten Ordner im Register"
            )
        if not stat.S_ISDIR(mode):
            return rel, _NO_FOLDER
    return None


_NO_FOLDER = "ist kein Ordner"


def _read(path: Path) -> str:
    """A schema file's text; only a plain file, never a link (it could point at
    /dev/zero) or a pipe (it could block), and at most ``MAX_FILE_BYTES``. Raises
    FileNotFoundError, _Unreadable, UnicodeDecodeError."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise _Unreadable("ist eine symbolische Verknüpfung und wird nicht gelesen")
    if not stat.S_ISREG(mode):
        raise _Unreadable("ist keine gewöhnliche Datei und wird nicht gelesen")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped meanwhile
                raise _Unreadable("ist keine gewöhnliche Datei und wird nicht gelesen")
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as e:
        e.filename = None
        raise _Unreadable(f"nicht lesbar: {os_fehler(e)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(too_large(os.lstat(path).st_size))
    return data.decode("utf-8")


def schema_problems(root: Path, register: Register, display: Callable[[str], str]) -> list[Problem]:
    """Warnings for a register's ``.ihk/schema`` that no longer matches ihk.yaml's
    catalogue (an editor would flag valid ids), lacks a file, or holds one ihk does
    not read. Nothing when the register keeps no schemas or ihk.yaml is invalid."""
    if register.meta is None:
        return []
    fix = "; „ihk schema“ schreibt die Schemas neu"
    bad = folder_problem(root)
    if bad and bad[1] != _NO_FOLDER:  # a file named .ihk: no schemas kept, nothing to say
        return [Problem(Location(display(bad[0])), bad[1], warning=True, code=SCHEMA)]
    folder = root / SCHEMA_DIR
    if not folder.is_dir():
        return []
    ids = _ids(register, {})
    problems = []
    for name in file_names():
        shown = display(f"{SCHEMA_DIR}/{name}")
        try:
            text = _read(folder / name)
        except FileNotFoundError:
            message = "fehlt" + fix
        except _Unreadable as e:
            message = f"{e}; bitte entfernen, dann schreibt „ihk schema“ die Schemas neu"
        except UnicodeDecodeError:
            message = "nicht lesbar (kein UTF-8)" + fix
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
