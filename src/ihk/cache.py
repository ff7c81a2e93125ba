"""The cache of parsed files: what a register file means, kept between runs.

Reading a register is mostly parsing and validating its files. What a file means
depends only on its bytes, its kind and ihk itself, so the cache keeps, per kind and
git blob id (the SHA-1 git gives those bytes), what ``register.load`` made of it: its
problems, the facts the reference rules need, its data and the summary the reports read
(``kinds.Summary``). Keyed by content, an entry
can be missing but never wrong. References across files are checked on every run.

Which blob a file in the working tree holds is known without reading it from the
*stat index*: path -> (size, mtime_ns, ctime_ns, inode, blob), as taken when the file
was last read. A file counts as unchanged only if all four are equal and its mtime
and ctime are older than ``RACY_NS`` before the run that read it began (git's "racy
clean" rule): a file changed within the same clock tick as it was read, or changed
and given its old mtime back (``os.utime`` cannot set ctime), is read again and its
content hash decides.

Where: ``ihk-cache/`` in the git dir of the repository that holds the register (the
common one, shared by its worktrees), else ``$XDG_CACHE_HOME/ihk`` (``~/.cache/ihk``);
never in the working tree, so never committed. Only a folder owned by the user and
writable by nobody else is used. Files: ``index-KEY`` (one per register folder) and
``blobs-0`` … ``blobs-f`` (by the first digit of the blob id). Each starts with a
magic line, the fingerprint of the ihk that wrote it (its code and the libraries
that decide what a file means), the length and CRC-32 of the rest: a file of another
ihk, a torn or damaged one is ignored and written anew. The rest is ``marshal`` data
(plain values only; loading it never runs code, unlike pickle, and it is about twice
as fast as JSON).

Writing is atomic (temporary file, then rename) and best effort: a read-only git dir,
a full disk or a concurrent ihk never fails a command, and two processes can only
lose each other's new entries, never corrupt a file. ``IHK_NO_CACHE=1`` (or
``--no-cache``) bypasses the cache: nothing is read or written.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: A file whose mtime or ctime is this close to (or after) the start of the run that
#: read it is "racy": its stat may not change when it is changed again, so the next run
#: reads it once more. Generous, to cover coarse file system clocks and a little skew.
RACY_NS = 3_000_000_000
#: Entries no run has used for this many days are dropped when their file is rewritten.
KEEP_DAYS = 30
_MAGIC = b"ihk-cache 2\n"
_HEADER = len(_MAGIC) + 20 + 8 + 4
_SHARDS = "0123456789abcdef"
_DAY = 86400

#: path -> (size, mtime_ns, ctime_ns, inode, blob id, racy)
IndexEntry = tuple[int, int, int, int, str, bool]
#: (problems, facts, data, summary): problems as (line, col, message, warning, code)
#: without a path, facts, data and summary as ``register`` keeps them (data and summary
#: packed with ``pack``).
Parsed = tuple[tuple[tuple[int, int, str, bool, str], ...], Any, bytes | None, bytes | None]


def disabled() -> bool:
    """Whether the environment turns the cache off (``IHK_NO_CACHE`` set, not "0")."""
    return os.environ.get("IHK_NO_CACHE", "").strip() not in ("", "0")


def blob_sha(data: bytes) -> str:
    """The id git gives a blob with these bytes (the cache's key of a file's content)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def pack(value: Any) -> bytes:
    """Plain data (dicts, lists, text, numbers, bools, None) as bytes for ``unpack``."""
    return marshal.dumps(value)


def unpack(data: bytes) -> Any:
    return marshal.loads(data)


class Cache:
    """The cache of one register, for one run; ``save`` writes what the run added."""

    def __init__(self, place: Path | None, index_name: str = "", fingerprint: bytes = b"") -> None:
        self.place = place  # None: in memory only, for one run
        self._index_path = place / index_name if place is not None else None
        self._fingerprint = fingerprint
        self.started = time.time_ns()
        self._index: dict[str, IndexEntry] | None = None
        self._new_index: dict[str, IndexEntry] | None = None
        self._shards: dict[str, dict[tuple[str, str], tuple[int, Parsed]]] = {}
        self._dirty: set[str] = set()
        self._used: set[tuple[str, str]] = set()
        #: In-process memo: (kind, blob) -> what was built from it (records, once each).
        self.memo: dict[tuple[str, str], Any] = {}

    @classmethod
    def memory(cls) -> Cache:
        """A cache that reads and writes no file: each blob parsed once in this run."""
        return cls(None)

    @classmethod
    def open(cls, root: Path) -> Cache | None:
        """The cache of the register at ``root``, or None if it is turned off or there is
        no folder it may use."""
        if disabled():
            return None
        try:
            absolute = root.resolve()
            place = _place(absolute)
            if place is None:
                return None
            key = hashlib.sha1(os.fsencode(absolute)).hexdigest()[:20]
            return cls(place, f"index-{key}", fingerprint())
        except (OSError, RuntimeError, ValueError):
            return None

    # -- the stat index --------------------------------------------------------

    def blob_of(self, rel: str, st: os.stat_result) -> str | None:
        """The blob the file ``rel`` holds, if its stat shows it unchanged since it was
        read (and it was not racy then); None means: read it."""
        if self._index is None:
            self._index = self._read_index()
        entry = self._index.get(rel)
        if (
            entry is None
            or entry[5]
            or entry[0] != st.st_size
            or entry[1] != st.st_mtime_ns
            or entry[2] != st.st_ctime_ns
            or entry[3] != st.st_ino
        ):
            return None
        self._note(rel, entry)
        return entry[4]

    def saw(self, rel: str, st: os.stat_result, blob: str) -> None:
        """The file ``rel`` with this stat (taken before it was read) holds ``blob``."""
        racy = max(st.st_mtime_ns, st.st_ctime_ns) >= self.started - RACY_NS
        self._note(rel, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, blob, racy))

    def _note(self, rel: str, entry: IndexEntry) -> None:
        if self._new_index is None:
            self._new_index = {}
        self._new_index[rel] = entry

    def _read_index(self) -> dict[str, IndexEntry]:
        found = self._read(self._index_path) if self._index_path is not None else None
        if not isinstance(found, dict):
            return {}
        return {
            rel: entry
            for rel, entry in found.items()
            if isinstance(rel, str)
            and type(entry) is tuple
            and len(entry) == 6
            and isinstance(entry[4], str)
        }

    # -- parsed files -----------------------------------------------------------

    def get(self, kind: str, blob: str) -> Parsed | None:
        found = self._shard(blob).get((kind, blob))
        if found is None:
            return None
        self._used.add((kind, blob))
        return found[1]

    def has(self, kind: str, blob: str) -> bool:
        return (kind, blob) in self._shard(blob)

    def put(self, kind: str, blob: str, parsed: Parsed) -> None:
        shard = blob[:1]
        self._shard(blob)[(kind, blob)] = (_today(), parsed)
        self._used.add((kind, blob))
        self._dirty.add(shard)

    def _shard(self, blob: str) -> dict[tuple[str, str], tuple[int, Parsed]]:
        name = blob[:1]
        shard = self._shards.get(name)
        if shard is None:
            shard = self._shards[name] = self._read_shard(name) if name in _SHARDS else {}
        return shard

    def _read_shard(self, name: str) -> dict[tuple[str, str], tuple[int, Parsed]]:
        found = self._read(self.place / f"blobs-{name}") if self.place is not None else None
        if not isinstance(found, dict):
            return {}
        return {
            key: value
            for key, value in found.items()
            if type(key) is tuple
            and len(key) == 2
            and type(value) is tuple
            and len(value) == 2
            and type(value[1]) is tuple
            and len(value[1]) == 4
        }

    # -- files ------------------------------------------------------------------

    def _read(self, path: Path) -> Any:
        """The payload of one cache file; None if it is missing, not ours, of another
        ihk, torn or damaged."""
        try:
            with open(path, "rb") as f:
                if not _trusted(os.fstat(f.fileno())):
                    return None
                raw = f.read()
        except OSError:
            return None
        if len(raw) < _HEADER or not raw.startswith(_MAGIC):
            return None
        at = len(_MAGIC)
        if raw[at : at + 20] != self._fingerprint:
            return None
        length = int.from_bytes(raw[at + 20 : at + 28], "big")
        crc = int.from_bytes(raw[at + 28 : at + 32], "big")
        body = memoryview(raw)[_HEADER:]
        if len(body) != length or zlib.crc32(body) != crc:
            return None
        try:
            return marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None

    def save(self) -> None:
        """Write the new index and every shard that got entries; best effort."""
        if self.place is None or self._index_path is None:
            return
        try:
            self.place.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted(self.place.stat()):
                return
            if self._new_index is not None and self._new_index != self._index:
                self._write(self._index_path, self._new_index)
            keep_from = _today() - KEEP_DAYS
            for name in sorted(self._dirty):
                today = _today()
                shard = {
                    key: ((today, parsed) if key in self._used else (day, parsed))
                    for key, (day, parsed) in self._shards[name].items()
                    if key in self._used or day >= keep_from
                }
                self._write(self.place / f"blobs-{name}", shard)
            self._dirty.clear()
            _sweep(self.place)
        except (OSError, ValueError):
            pass  # a cache that cannot be written is only slower next time

    def _write(self, path: Path, payload: Any) -> None:
        assert self.place is not None
        body = marshal.dumps(payload)
        header = (
            _MAGIC
            + self._fingerprint
            + len(body).to_bytes(8, "big")
            + zlib.crc32(body).to_bytes(4, "big")
        )
        import tempfile

        fd, name = tempfile.mkstemp(prefix=".tmp-", dir=self.place)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(header)
                f.write(body)
            os.replace(name, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)


def _today() -> int:
    return int(time.time()) // _DAY


def _trusted(st: os.stat_result) -> bool:
    """Owned by the user and writable by nobody else (where the OS knows owners)."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _sweep(place: Path) -> None:
    """Remove temporary files left by a killed ihk (older than an hour)."""
    cutoff = time.time() - 3600
    for leftover in place.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _place(root: Path) -> Path | None:
    """``ihk-cache`` in the git dir that holds ``root`` (if it is the user's own),
    else the user's cache folder; None if there is neither."""
    git_dir = _git_dir(root)
    if git_dir is not None:
        try:
            if _trusted(git_dir.stat()):
                return git_dir / "ihk-cache"
        except OSError:
            pass
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "ihk"


def _git_dir(folder: Path) -> Path | None:
    """The (common) git dir of the repository whose work tree holds ``folder``, found
    without running git; None if there is none or it cannot be read."""
    for here in (folder, *folder.parents):
        dot = here / ".git"
        try:
            if dot.is_dir():
                return dot
            if dot.is_file():
                text = dot.read_text("utf-8").strip()
                if not text.startswith("gitdir:"):
                    return None
                own = Path(text[len("gitdir:") :].strip())
                own = own if own.is_absolute() else here / own
                common = own / "commondir"
                if common.is_file():
                    shared = Path(common.read_text("utf-8").strip())
                    return (shared if shared.is_absolute() else own / shared).resolve()
                return own.resolve()
        except (OSError, UnicodeDecodeError):
            return None
    return None


_FINGERPRINT: bytes | None = None


def fingerprint() -> bytes:
    """What makes a parsed file mean what it means: ihk's own code (every module, by
    size and mtime, so an edited checkout counts as another ihk), Python, and the
    libraries that parse and validate."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import importlib.util

        from ihk import __version__

        parts: list[str] = [__version__, sys.version, str(marshal.version)]
        package = Path(__file__).resolve().parent
        files: Iterable[Path] = sorted(package.rglob("*.py"))
        for name in ("pydantic", "pydantic_core", "yaml"):
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                files = [*files, *sorted(Path(spec.origin).parent.glob("*.*"))]
        for path in files:
            with contextlib.suppress(OSError):
                st = path.stat()
                parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
        _FINGERPRINT = hashlib.sha1("\n".join(parts).encode("utf-8", "replace")).digest()
    return _FINGERPRINT
