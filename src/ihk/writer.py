"""Atomic writes and the write-then-commit step shared by every changing command."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ihk.errors import Uncommitted

if TYPE_CHECKING:
    from ihk.gitrepo import GitRepo


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and not path.is_file():
        # A device or pipe (-o /dev/stdout): write into it; renaming over it would
        # replace the device itself with a regular file.
        with path.open("wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_and_commit(
    repo: GitRepo | None,
    path: Path,
    text: str,
    message: str,
    *,
    date: str | None = None,
) -> str | None:
    """Write one record file and, with a repository, commit it alone."""
    return write_files_and_commit(repo, {path: text}, message, date=date)


def write_files_and_commit(
    repo: GitRepo | None,
    writes: Mapping[Path, str | None],
    message: str,
    *,
    date: str | None = None,
) -> str | None:
    """Write (or, for None, delete) these files and, with a repository, commit exactly them.

    The repository's state is checked before anything is written (a merge in progress,
    a held lock, no identity: refused). The commit is built without touching the
    user's index (``GitRepo.commit_files``); if anything fails, every file is put back
    exactly as it was, so working tree, index and HEAD are as before. Callers hold the
    register lock around reading, deciding and this call.
    """
    if repo is not None:
        repo.check_can_commit()
        for path in writes:
            if repo.is_dirty(repo.relpath(path)):
                raise Uncommitted(
                    f"{os.path.relpath(path)} hat Änderungen, die noch nicht committet sind; "
                    "ein Commit nähme sie unbemerkt mit. Bitte erst committen oder verwerfen"
                )
    before = {path: path.read_bytes() if path.exists() else None for path in writes}
    try:
        for path, text in writes.items():
            if text is None:
                path.unlink()
            else:
                atomic_write(path, text)
        if repo is None:
            return None
        return repo.commit_files(list(writes), message, date=date)
    except BaseException:
        for path, data in before.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, data)
        raise
