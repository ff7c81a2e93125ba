"""ihk init: a new register with the default goal catalogue, committed."""

from __future__ import annotations

from pathlib import Path

from ihk.errors import Refused
from ihk.kinds import KINDS
from ihk.register import META_FILE
from ihk.vocab import LEITZIELE
from ihk.writer import atomic_write
from ihk.yamlio import dump_new

HEADER = (
    "# Integriertes Handlungskonzept (IHK) – Gebiet und Zielkatalog.\n"
    "# Die Reihenfolge der Ziele ist die Reihenfolge in allen Tabellen.\n"
)


def init_register(path: Path, gebiet: str, gemeinde: str, programm: str) -> bool:
    """Create the register; True if it was committed (False: git has no identity)."""
    from ihk.gitrepo import GitRepo

    meta = path / META_FILE
    if meta.exists():
        raise Refused(f"{meta}: hier gibt es schon ein Register; nichts geändert")
    if path.exists() and not path.is_dir():
        raise Refused(f"{path} ist eine Datei, kein Ordner")
    data = {
        "gebiet": gebiet,
        "gemeinde": gemeinde,
        "programm": programm,
        "ziele": {key: {"titel": titel} for key, titel in LEITZIELE.items()},
    }
    path.mkdir(parents=True, exist_ok=True)
    repo = GitRepo.discover(path) or GitRepo.init(path)
    atomic_write(meta, dump_new(data, HEADER))
    for kind in KINDS.values():
        (path / kind.folder).mkdir(exist_ok=True)
    if repo.identity_missing():
        return False
    repo.commit_paths([meta], f"IHK-Register angelegt: {gebiet} ({gemeinde})")
    return True
