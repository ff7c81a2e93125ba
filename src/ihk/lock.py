"""The register lock: one changing ihk call at a time per repository.

Callers hold it around read – check – write – commit, so that two ``ihk set`` on the
same record cannot interleave. The lock is an OS lock (``flock``) on ``ihk.lock`` in
the repository's common git dir, so

- every worktree of a repository shares it (they share refs and objects),
- it is released by the kernel when the holder dies, even by SIGKILL: no stale locks,
- the file itself stays; deleting it would let two processes lock two different inodes.

It is not re-entrant: taking it twice in one process waits for itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ihk.errors import Refused

LOCK_NAME = "ihk.lock"
_POLL = 0.05  # seconds between attempts


@contextlib.contextmanager
def register_lock(git_dir: Path, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the exclusive register lock of the repository whose git dir is ``git_dir``.

    Waits up to ``timeout`` seconds (0: one attempt), then raises ``Refused``.
    """
    path = Path(git_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as e:
        raise Refused(
            f"Die Sperrdatei {path} lässt sich nicht anlegen ({e.strerror}); "
            "ohne sie ändert ihk das Register nicht. Bitte prüfen, ob Sie in diesem "
            "git-Repository schreiben dürfen."
        ) from None
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                by = f" (Prozess {holder})" if holder else ""
                raise Refused(
                    f"Das Register wird gerade von einem anderen ihk-Aufruf bearbeitet{by}; "
                    f"nach {timeout:g} s Warten aufgegeben, nichts geändert. Bitte warten, "
                    "bis er fertig ist, und es dann noch einmal versuchen."
                )
            time.sleep(_POLL)
        _note_holder(fd)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - not tested on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _note_holder(fd: int) -> None:
        pass  # the locked byte cannot be read by others anyway

    def _holder(fd: int) -> str:
        return ""

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _note_holder(fd: int) -> None:
        """Leave our process id in the file, for the message another caller shows."""
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def _holder(fd: int) -> str:
        with contextlib.suppress(OSError):
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            if text.isdigit():
                return text
        return ""
