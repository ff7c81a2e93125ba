"""Atomic writes and the write-then-commit step shared by every changing command."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

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
    """Write one record file and, with a repository, commit it alone.

    The repository's state is checked before anything is written (a merge in progress,
    a held lock, no identity: refused). The commit is built without touching the
    user's index (``GitRepo.commit_files``); if it fails, the file is put back exactly
    as it was (or removed, if it was new), so working tree, index and HEAD are as before.
    Callers hold the register lock around reading, deciding and this call.
    """
    if repo is not None:
        repo.check_can_commit()
    before = path.read_bytes() if path.exists() else None
    atomic_write(path, text)
    if repo is None:
        return None
    try:
        return repo.commit_files([path], message, date=date)
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, before)
        raise
