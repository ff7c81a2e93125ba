"""Cheap looks into the register at hand, for questions and shell completion.

Nothing here raises: a register that cannot be found or read gives empty answers, so a
question can fall back to free text and a completion to nothing. Ids come from the file
names (``Workspace.listed_ids``), goals from ``ihk.yaml`` alone; no record is loaded.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Optional

#: (id, title) of a goal of the catalogue
Goal = tuple[str, str]


def find_root(register: Optional[str]) -> Optional[Path]:
    """The register's folder as ``main.workspace`` finds it, or None."""
    from ihk.errors import IhkError
    from ihk.register import find_root as find

    try:
        return find(register)
    except (IhkError, OSError, ValueError):
        return None


def goals(root: Optional[Path]) -> list[Goal]:
    """The goal catalogue of ``ihk.yaml`` in its order: (id, title); [] if unreadable."""
    if root is None:
        return []
    from ihk.register import META_FILE
    from ihk.yamlio import YamlProblems, decode, parse

    try:
        data = parse(decode((root / META_FILE).read_bytes(), META_FILE), META_FILE).data
    except (OSError, YamlProblems, ValueError):
        return []
    catalogue = data.get("ziele") if isinstance(data, dict) else None
    if not isinstance(catalogue, dict):
        return []
    found = []
    for ident, entry in catalogue.items():
        title = entry.get("titel") if isinstance(entry, dict) else None
        found.append((str(ident), " ".join(str(title).split()) if title else ""))
    return found


def ids(root: Optional[Path], kind: Optional[str] = None) -> list[str]:
    """Ids of the records of ``kind`` (all kinds if None), sorted; [] if unreadable."""
    if root is None:
        return []
    from ihk.models import ID_RE
    from ihk.workspace import Workspace

    listed: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        listed = Workspace(root).listed_ids()
    chosen = [listed.get(kind, ())] if kind else listed.values()
    # only names that are ids: nothing odd (a control character) reaches a shell line
    return sorted({i for group in chosen for i in group if ID_RE.fullmatch(i)})
