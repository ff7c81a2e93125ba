"""A register on disk: where it is, how its files are named, how records are addressed."""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ihk.cache import Cache
from ihk.errors import InvalidInput
from ihk.kinds import KINDS, Kind, is_kind_name, kind_named
from ihk.models import ID_RE
from ihk.register import (
    META_FILE,
    Register,
    SourceFile,
    display_prefix,
    load,
    load_worktree,
)

if TYPE_CHECKING:
    from ihk.gitrepo import GitRepo


@dataclass
class Workspace:
    root: Path
    _git: GitRepo | None = field(default=None, repr=False)
    #: Whether reading may use the cache of parsed files (``--no-cache``: no).
    use_cache: bool = True

    @cached_property
    def display(self) -> Callable[[str], str]:
        return display_prefix(self.root)

    def cache(self) -> Cache | None:
        """The cache of this register for one reading (None: read every file)."""
        return Cache.open(self.root) if self.use_cache else None

    def load(self, *, records: bool = True) -> Register:
        """The register in the working tree; ``records=False``: only its problems and
        counts are wanted (records are read again if asked for)."""
        return load_worktree(self.root, self.cache(), records=records)

    def path_of(self, kind: Kind, ident: str) -> Path:
        return self.root / kind.relpath(ident)

    def check_folder(self, kind: Kind) -> None:
        """Refuse to write into ``kind``'s folder if it is a symbolic link or no folder:
        a new record would land outside the register (without a commit nothing else
        notices). The loader does not read such a folder either."""
        folder = self.root / kind.folder
        if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
            what = "eine symbolische Verknüpfung" if folder.is_symlink() else "kein Ordner"
            raise InvalidInput(
                f"{self.display(kind.folder)} ist {what}; ihk schreibt Einträge nur in einen "
                "echten Ordner im Register. Nichts geschrieben"
            )

    def shown(self, kind: Kind, ident: str) -> str:
        return self.display(kind.relpath(ident))

    def listed_ids(self) -> dict[str, set[str]]:
        """Ids of every record file present, valid or not (for reference checks)."""
        ids: dict[str, set[str]] = {}
        for kind in KINDS.values():
            try:
                names = os.listdir(self.root / kind.folder)
            except OSError:
                names = []
            ids[kind.name] = {n[: -len(".yaml")] for n in names if n.endswith(".yaml")}
        return ids

    def check_one(self, kind: Kind, ident: str, text: str) -> Register:
        """Load ihk.yaml and one record (as ``text``) and check its references."""
        meta = self.root / META_FILE
        sources = [SourceFile(META_FILE, meta.read_bytes())] if meta.is_file() else []
        sources.append(SourceFile(kind.relpath(ident), text.encode("utf-8")))
        known = self.listed_ids()
        known[kind.name].add(ident)
        return load(sources, self.display, known_ids=known)

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """The register lock (see ``ihk.lock``), held by every writing command around
        reading, deciding and writing; nothing to lock outside a repository."""
        from ihk.gitrepo import GitRepo

        if self._git is None:
            self._git = GitRepo.discover(self.root)
        return self._git.lock() if self._git is not None else contextlib.nullcontext()

    @property
    def git(self) -> GitRepo:
        if self._git is None:
            from ihk.gitrepo import GitRepo

            self._git = GitRepo.require(self.root)
        return self._git

    def address(self, spec: str) -> tuple[Kind, str]:
        """``ID`` or ``KIND/ID`` to the record file that exists.

        Ids are lower case, so ``Sozialstation`` finds ``sozialstation``; an id that
        does not exist gets the closest existing ones as a suggestion.
        """
        kind_name, slash, ident = spec.partition("/")
        if slash and not is_kind_name(kind_name):
            check_id(spec)  # "../x" is a path, not KIND/ID: refuse it as an id
        kinds = [kind_named(kind_name)] if slash else list(KINDS.values())
        ident = ident if slash else kind_name
        if ID_RE.fullmatch(ident.lower()):
            ident = ident.lower()  # ids are lower case: "Sozialstation" means sozialstation
        check_id(ident)
        found = [k for k in kinds if self._exists(k, ident)]
        if len(found) > 1:
            names = " und ".join(f"{k.name}/{ident}" for k in found)
            raise InvalidInput(f"„{ident}“ ist nicht eindeutig: es gibt {names}; bitte so angeben")
        if found:
            return found[0], ident
        if slash:
            what = f"{kinds[0].label} „{ident}“ gibt es nicht ({self.shown(kinds[0], ident)})"
        else:
            labels = [k.label for k in KINDS.values()]
            what = (
                f"Keinen Eintrag „{ident}“ gefunden (weder "
                + ", ".join(labels[:-1])
                + f" noch {labels[-1]})"
            )
        ids = self.listed_ids()
        known = sorted({i for k in kinds for i in ids[k.name]})
        close = difflib.get_close_matches(ident, known, n=3, cutoff=0.6)
        if close:
            what += " – meinten Sie " + " oder ".join(f"„{c}“" for c in close) + "?"
        raise InvalidInput(what)

    def _exists(self, kind: Kind, ident: str) -> bool:
        """Whether the record file is there; a link or other non-file is refused."""
        path = self.path_of(kind, ident)
        if not os.path.lexists(path):
            return False
        if path.is_symlink() or not path.is_file():
            raise InvalidInput(
                f"{self.shown(kind, ident)} ist keine gewöhnliche Datei (z. B. eine "
                "symbolische Verknüpfung); ihk liest und ändert nur echte Dateien im Register"
            )
        return True


#: Names Windows keeps for devices, also with a suffix ("con.yaml" is the console):
#: a record file of that name cannot be checked out or written there.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


def check_new_id(ident: str) -> str | None:
    """Why ``ident`` cannot be the id of a new record (German), or None."""
    if ident in WINDOWS_RESERVED:
        return (
            f"die Kennung „{ident}“ ist unter Windows ein Gerätename; die Datei ließe sich "
            "dort weder auschecken noch schreiben – bitte eine andere Kennung"
        )
    return None


def check_id(ident: str) -> str:
    if not ID_RE.fullmatch(ident):
        raise InvalidInput(
            f"ungültige Kennung „{ident}“: erlaubt sind a–z, 0–9 und „-“ "
            "(am Anfang ein Buchstabe oder eine Ziffer, höchstens 64 Zeichen)"
        )
    return ident
