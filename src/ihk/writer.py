"""Atomic writes and the write-then-commit step shared by every changing command."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ihk.errors import Uncommitted

if TYPE_CHECKING:
    from ihk.gitrepo import GitRepo


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing.

    The temporary file is removed on any exception, also ``KeyboardInterrupt`` and
    the CLI's SIGTERM/SIGHUP: signals are held while it is created and while it is
    removed, so no interruption can come between creating it and knowing its name.
    An existing file keeps its mode and, where allowed, its owner and group (its
    group's rights are never given to another group); a new file gets 0666 minus
    the umask.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and not path.is_file():
        # A device or pipe (-o /dev/stdout): write into it; renaming over it would
        # replace the device itself with a regular file.
        with path.open("wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp: str | None = None
    held = _hold_signals()
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:  # the user asked for ``path``, not our temporary name
            e.filename = str(path)
            raise
        with os.fdopen(fd, "wb") as handle:
            _release_signals(held)  # a signal that came meanwhile is raised here
            held = None
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _take_over_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        _remove_quietly([tmp] if tmp is not None else [])
        raise
    finally:
        _release_signals(held)


def _remove_quietly(temporary: list[str]) -> None:
    """Remove temporary files on the way out of a failure, not to be interrupted."""
    held = _hold_signals()
    try:
        for tmp in temporary:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    finally:
        _release_signals(held)


def _take_over_mode(tmp: str, path: Path) -> None:
    try:
        old = path.stat()
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    mode = old.st_mode & 0o7777
    try:
        os.chown(tmp, old.st_uid, old.st_gid)  # allowed for root and for one's own file
    except OSError:
        with contextlib.suppress(OSError):
            os.chown(tmp, -1, old.st_gid)  # allowed if one is in that group
    if os.stat(tmp).st_gid != old.st_gid:
        # another group now owns the file: it gets no more than everybody else
        group, other = (mode >> 3) & 0o7, mode & 0o7
        mode = (mode & ~0o2070) | ((group & other) << 3)
    os.chmod(tmp, mode)


#: Signals that end a run of ihk by an exception (Ctrl-C; SIGTERM/SIGHUP in the CLI).
_INTERRUPTS = ("SIGINT", "SIGTERM", "SIGHUP")


def _hold_signals() -> set[int | signal.Signals] | None:
    """Block the interrupting signals; they stay pending until ``_release_signals``."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    wanted = {signal.Signals[name] for name in _INTERRUPTS if name in signal.Signals.__members__}
    return signal.pthread_sigmask(signal.SIG_BLOCK, wanted)


def _release_signals(held: set[int | signal.Signals] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: From this many files on, ``write_files_and_commit`` flushes them to disk together.
_BATCH = 20


def _write_many(writes: Mapping[Path, str]) -> None:
    """``atomic_write`` for many files at once: every file goes to a temporary file next
    to it, then all of them reach the disk with one ``os.sync`` (instead of one
    ``fsync`` each, which costs milliseconds per file), then each is renamed into place.
    A file is never seen half written; on failure the temporary files are removed."""
    temporary: list[tuple[str, Path]] = []
    held = _hold_signals()
    try:
        for path, text in writes.items():
            if path.exists() and not path.is_file():
                atomic_write(path, text)  # a device or pipe: written into
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            _take_over_mode(tmp, path)
        _release_signals(held)  # a signal that came meanwhile is raised here
        held = None
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - no os.sync (Windows)
            for tmp, _ in temporary:
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
        for tmp, path in temporary:
            os.replace(tmp, path)
    except BaseException:
        _remove_quietly([tmp for tmp, _ in temporary])
        raise
    finally:
        _release_signals(held)


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


def _dirty(repo: GitRepo, paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` that differ from HEAD (in the index or the working tree).

    One ``git status`` for the folder holding them all (an import writes thousands of
    files; one call per file would cost seconds), one per file for a few files."""
    paths = list(paths)
    if len(paths) <= 3:
        return [p for p in paths if repo.is_dirty(repo.relpath(p))]
    folders: dict[Path, str] = {}  # one relpath per folder: it resolves every step
    rels = {}
    for path in paths:
        if path.parent not in folders:
            folders[path.parent] = repo.relpath(path.parent)
        rels["/".join(p for p in (folders[path.parent], path.name) if p)] = path
    common = os.path.commonpath([os.path.dirname(r) or "." for r in rels])
    changed = set(repo.changed_paths("" if common == "." else common))
    return [path for rel, path in rels.items() if rel in changed]


def write_files_and_commit(
    repo: GitRepo | None,
    writes: Mapping[Path, str | None],
    message: str,
    *,
    date: str | None = None,
    overwrite: Collection[Path] = (),
) -> str | None:
    """Write (or, for None, delete) these files and, with a repository, commit exactly them.

    The repository's state is checked before anything is written (a merge in progress,
    a held lock, no identity: refused). The commit is built without touching the
    user's index (``GitRepo.commit_files``); if anything fails, every file is put back
    exactly as it was, so working tree, index and HEAD are as before. Callers hold the
    register lock around reading, deciding and this call.

    A file with uncommitted changes is refused, as a commit would take them along,
    except those in ``overwrite``: the caller knows they hold nothing of the user's
    (generated files deleted from the working tree, or holding the very text written).
    """
    if repo is not None:
        repo.check_can_commit()
        for path in _dirty(repo, [p for p in writes if p not in overwrite]):
            raise Uncommitted(
                f"{os.path.relpath(path)} hat Änderungen, die noch nicht committet sind; "
                "ein Commit nähme sie unbemerkt mit. Bitte erst committen oder verwerfen"
            )
    before = {path: path.read_bytes() if path.exists() else None for path in writes}
    try:
        if len(writes) > _BATCH:
            _write_many({p: t for p, t in writes.items() if t is not None})
        for path, text in writes.items():
            if text is None:
                path.unlink()
            elif len(writes) <= _BATCH:
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
