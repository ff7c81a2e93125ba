"""ihk init: a new register with the default goal catalogue, committed."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ihk.errors import InvalidInput, Location, Problem, Refused
from ihk.kinds import KINDS
from ihk.register import META_FILE, SourceFile, load
from ihk.schema import SCHEMA_DIR, Ids, modeline, texts
from ihk.vocab import LEITZIELE, QUELLEN
from ihk.writer import atomic_write
from ihk.yamlio import dump_new

HEADER = (
    "# Integriertes Handlungskonzept (IHK) – Gebiet, Zielkatalog und Finanzierungsquellen.\n"
    "# Die Reihenfolge der Ziele und Quellen ist die Reihenfolge in allen Tabellen.\n"
)


def init_register(path: Path, gebiet: str, gemeinde: str, programm: str) -> None:
    """Create the register and commit it; refused if git does not know the user.

    The path is resolved first (``neu/..`` is the folder it names, not a new one), and
    the data is checked before anything is written. If anything fails, what this call
    created is removed again.
    """
    from ihk.gitrepo import NO_IDENTITY, GitRepo, identity_missing

    root = path.resolve()
    meta = root / META_FILE
    if os.path.lexists(meta):
        raise Refused(f"{path / META_FILE}: hier gibt es schon ein Register; nichts geändert")
    if root.exists() and not root.is_dir():
        raise Refused(f"{path} ist eine Datei, kein Ordner")
    data = {
        "gebiet": gebiet,
        "gemeinde": gemeinde,
        "programm": programm,
        "ziele": {key: {"titel": titel} for key, titel in LEITZIELE.items()},
        "quellen": {
            key: {"titel": titel, "staedtebaufoerderung": True} if stbauf else {"titel": titel}
            for key, (titel, stbauf) in QUELLEN.items()
        },
    }
    text = dump_new(data, modeline(META_FILE) + HEADER)
    checked = load([SourceFile(META_FILE, text.encode("utf-8"))], lambda rel: rel)
    if checked.errors:  # named without line: the file was never written
        shown = Location(str(path / META_FILE))
        raise InvalidInput(
            "So lässt sich kein Register anlegen; nichts geschrieben",
            [Problem(shown, p.message) for p in checked.errors],
        )
    schema_dir = root / SCHEMA_DIR
    inside = [root / kind.folder for kind in KINDS.values()]
    created = _missing_folders(root, [*inside, schema_dir.parent, schema_dir])
    catalogue = Ids(
        ziele=dict(LEITZIELE), quellen={key: titel for key, (titel, _) in QUELLEN.items()}
    )
    schemas = {schema_dir / name: schema for name, schema in texts(catalogue).items()}
    existing = next(p for p in (root, *root.parents) if p.exists())
    if identity_missing(existing):
        raise Refused(f"{NO_IDENTITY}\nNichts geschrieben")
    repo = GitRepo.discover(existing)
    new_repo = repo is None
    if repo is not None:
        repo.check_can_commit()  # a merge in progress, a held lock: refuse before writing
    try:
        root.mkdir(parents=True, exist_ok=True)
        if repo is None:
            repo = GitRepo.init(root)
        with repo.lock():
            atomic_write(meta, text)
            for kind in KINDS.values():
                (root / kind.folder).mkdir(exist_ok=True)
            for path, schema in schemas.items():
                atomic_write(path, schema)
            repo.commit_files([meta, *schemas], f"IHK-Register angelegt: {gebiet} ({gemeinde})")
    except BaseException:
        meta.unlink(missing_ok=True)
        for path in schemas:
            path.unlink(missing_ok=True)
        if new_repo:
            shutil.rmtree(root / ".git", ignore_errors=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _missing_folders(root: Path, inside: list[Path]) -> list[Path]:
    """The folders that do not exist yet, parents first."""
    missing = [p for p in reversed([root, *root.parents]) if not p.exists()]
    return missing + [p for p in inside if not p.exists()]
