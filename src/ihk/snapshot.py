"""A register at a point in history, read straight from git objects.

Both Stände of a Fortschreibung are read completely (a Stand's counts must not depend on
the other end); a file that is the same at both ends is read and parsed only once.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ihk.cache import Cache, blob_sha
from ihk.errors import InvalidInput, UsageError
from ihk.gitrepo import GitRepo
from ihk.kinds import BY_FOLDER, KINDS, Entry
from ihk.models import IhkMeta
from ihk.register import (
    META_FILE,
    Register,
    SourceFile,
    cache_kind,
    load,
    load_worktree,
    read_worktree,
)

_YEAR_RE = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Stand:
    """One end of a range: a commit, or the working tree (sha None)."""

    label: str
    sha: str | None
    tag: str | None
    date: _dt.date
    #: For the working tree: whether it differs from HEAD.
    uncommitted: bool = False

    @property
    def name(self) -> str:
        """How files of this Stand are named in messages."""
        if self.sha is None:
            return "Arbeitsstand"
        return self.tag or self.sha[:10]


def resolve_range(repo: GitRepo, spec: str, *, allow_reverse: bool = False) -> tuple[Stand, Stand]:
    """VON..BIS as two Stände; VON must not be newer than BIS unless ``allow_reverse``.

    VON is older when it is an ancestor of BIS; on diverged lines the commit times
    decide. The working tree as BIS is always the newest.
    """
    if spec.count("..") != 1 or "..." in spec:
        raise UsageError(
            f"{_shown(spec)}: Bereich im Format VON..BIS erwartet, z. B. 2005..2006 oder 2005.."
        )
    old_text, new_text = spec.split("..")
    if not old_text:
        raise UsageError("VON fehlt: z. B. 2005..2006")
    old = resolve_end(repo, old_text, "VON")
    new = resolve_end(repo, new_text, "BIS")
    if not allow_reverse and _newer(repo, old, new):
        raise InvalidInput(
            f"VON {_shown(old_text, quote=False)} liegt nach BIS {_shown(new_text, quote=False)} "
            f"({_when(repo, old)} nach {_when(repo, new)}); eine Fortschreibung geht vom "
            f"älteren zum neueren Stand, also {new_text}..{old_text} "
            "(rückwärts nur mit --rueckwaerts)"
        )
    return old, new


def _newer(repo: GitRepo, old: Stand, new: Stand) -> bool:
    """Whether VON comes after BIS in the history."""
    if new.sha is None or old.sha is None or old.sha == new.sha:
        return False
    if repo.is_ancestor(old.sha, new.sha):
        return False
    if repo.is_ancestor(new.sha, old.sha):
        return True
    return repo.commit(old.sha).date > repo.commit(new.sha).date


def _when(repo: GitRepo, stand: Stand) -> str:
    if stand.sha is None:
        return "Arbeitsstand"
    return repo.commit(stand.sha).date.strftime("%d.%m.%Y %H:%M")


def _shown(text: str, quote: bool = True) -> str:
    """User input in a message: invisible characters made visible (\\n, \\t, \\x1b …)."""
    visible = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return f"„{visible}“" if quote else visible


def resolve_end(repo: GitRepo, text: str, side: str) -> Stand:
    if not text:
        return Stand("", None, None, _dt.date.today())
    if not text.isprintable() or text != text.strip():
        raise UsageError(
            f"{side} {_shown(text)}: enthält Leer- oder Steuerzeichen (Zeilenumbruch, "
            "Tabulator …); erwartet ein Jahr JJJJ, einen Tag, Zweig oder Commit"
        )
    if text.isdecimal() and not text.isascii():
        raise UsageError(
            f"{side} {_shown(text)}: ein Jahr bitte mit den Ziffern 0–9 schreiben, z. B. 2005"
        )
    if _YEAR_RE.fullmatch(text):
        tag = f"stand-{text}"
        sha = repo.resolve(f"refs/tags/{tag}")
        if sha:
            return Stand(text, sha, tag, _tag_date(repo, tag, sha))
        found = repo.last_commit_on_or_before(f"{text}-12-31")
        if found is None:
            raise InvalidInput(
                f"{side} {text}: weder ein Tag {tag} noch ein Commit bis zum 31.12.{text}"
            )
        return Stand(text, found.sha, None, found.date.date())
    sha = repo.resolve(text)
    if sha is None:
        raise InvalidInput(
            f"{side} {_shown(text)}: keine Revision in diesem Repository "
            "(Jahr, Tag, Zweig oder Commit)"
        )
    tags = repo.tags_at().get(sha, [])
    stand_tags = sorted(t for t in tags if t.startswith("stand-"))
    candidates = stand_tags or sorted(tags)
    date = _tag_date(repo, stand_tags[0], sha) if stand_tags else repo.commit(sha).date.date()
    return Stand(text, sha, candidates[0] if candidates else None, date)


def _tag_date(repo: GitRepo, tag: str, sha: str) -> _dt.date:
    """The date of a Stand: the day its tag was set (the council's decision), which may
    be after the commit it names; the commit's day for a tag without a date of its own."""
    found = [t for t in repo.tags(tag) if t.name == tag]
    if found and found[0].annotated:
        return found[0].date.date()
    return repo.commit(sha).date.date()


@dataclass
class Snapshot:
    """What the Fortschreibung needs to know of one Stand."""

    stand: Stand
    meta: IhkMeta | None
    #: kind -> id -> record, for every valid file (a record is built when first asked for)
    records: dict[str, Mapping[str, Any]]
    measure_states: dict[str, tuple[str, str]]  # measure id -> (oberziel, status), all valid
    broken: list[str] = field(default_factory=list)  # invalid files, as "STAND:PFAD"
    # kind -> ids whose file exists in this Stand but is invalid (present, not removed)
    broken_ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    #: kind -> id -> entry of every valid file (its ``summary`` without building the record)
    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {k: {} for k in KINDS})
    #: kind -> ids whose file is the same at the other end of the range (so is the record)
    same: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})


class Records(Mapping[str, Any]):
    """The records of one kind of a Stand by id, each built from its entry when it is
    first asked for: an unchanged file of a Fortschreibung is never built."""

    __slots__ = ("_entries",)

    def __init__(self, entries: dict[str, Entry]) -> None:
        self._entries = entries

    def __getitem__(self, ident: str) -> Any:
        return self._entries[ident].record

    def __contains__(self, ident: object) -> bool:
        return ident in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def _state(entry: Entry) -> tuple[str, str]:
    """(oberziel, status) of a measure, from its facts (cached) if they have it."""
    if entry.facts is not None and entry.facts.state is not None:
        return entry.facts.state
    record = entry.record
    return (record.oberziel, record.status)


def snapshot_of(register: Register, stand: Stand) -> Snapshot:
    """A fully loaded register as a Snapshot (every record parsed)."""
    entries = {kind: dict(found) for kind, found in register.entries.items()}
    records: dict[str, Mapping[str, Any]] = {kind: Records(e) for kind, e in entries.items()}
    states = {i: _state(e) for i, e in entries["massnahme"].items()}
    broken = sorted(register.broken.values())
    return Snapshot(
        stand, register.meta, records, states, broken, _ids(register.broken), entries=entries
    )


def _ids(relpaths: Iterable[str]) -> dict[str, set[str]]:
    """kind -> record ids of the given record files (``massnahmen/x.yaml`` -> x)."""
    ids: dict[str, set[str]] = {k: set() for k in KINDS}
    for rel in relpaths:
        folder, _, name = rel.partition("/")
        stem, dot, ext = name.rpartition(".")
        if folder in BY_FOLDER and dot and ext == "yaml" and "/" not in stem:
            ids[BY_FOLDER[folder].name].add(stem)
    return ids


def _files(
    repo: GitRepo, base: str, root: Path, stand: Stand, cache: Cache | None = None
) -> dict[str, SourceFile]:
    """Register files of one Stand, each with its blob id (contents if already at hand)."""
    files: dict[str, SourceFile] = {}
    if stand.sha is None:
        for s in read_worktree(root, cache):
            if s.relpath.endswith("/"):
                continue
            if not s.unreadable and (not s.blob or (s.data is None and not _parsed(cache, s))):
                # not parsed before (or its entry is gone): read now; git may not have it
                data = s.content()
                s = s._replace(data=data, blob=blob_sha(data))
            files[s.relpath] = s
        return files
    prefix = f"{base}/" if base else ""
    for item in repo.tree(stand.sha, base):
        rel = item.path[len(prefix) :]
        folder = rel.partition("/")[0]
        if rel == META_FILE or folder in BY_FOLDER:
            files[rel] = SourceFile(rel, None, blob=item.sha, fetch=partial(_blob, repo, item.sha))
    return files


def _parsed(cache: Cache | None, source: SourceFile) -> bool:
    """Whether the cache knows what ``source`` means (so its bytes are not needed)."""
    kind = cache_kind(source.relpath)
    return cache is not None and kind is not None and cache.has(kind, source.blob or "")


def _id(source: SourceFile) -> str:
    """What makes two files of two Stände the same: the blob id; a file that could not
    be read (a link, a pipe) keeps its reason as its id."""
    return f"!{source.unreadable}" if source.unreadable else source.blob or ""


def _with_contents(
    repo: GitRepo, stands: list[dict[str, SourceFile]], cache: Cache | None
) -> list[dict[str, SourceFile]]:
    """The files of one or more Stände with the contents that are needed (the cache does
    not know them), all read in one ``git cat-file --batch`` run."""
    wanted = {
        s.blob
        for files in stands
        for s in files.values()
        if s.data is None and s.blob and not _parsed(cache, s)
    }
    if not wanted:
        return stands
    blobs = repo.read_blobs(sorted(wanted))
    return [
        {
            rel: s._replace(data=blobs[s.blob]) if s.blob in wanted and s.blob else s
            for rel, s in files.items()
        }
        for files in stands
    ]


def _sources(files: dict[str, SourceFile], rels: Iterable[str]) -> list[SourceFile]:
    return [files[rel] for rel in sorted(rels)]


def _blob(repo: GitRepo, sha: str) -> bytes:
    return repo.read_blobs([sha])[sha]


def load_at(repo: GitRepo, root: Path, stand: Stand, cache: Cache | None = None) -> Register:
    """The register as it was at ``stand`` (a commit; the working tree for sha None),
    read from git objects without touching the working tree, with every problem."""
    if stand.sha is None:
        return load_worktree(root, cache)
    [files] = _with_contents(repo, [_files(repo, repo.relpath(root), root, stand)], cache)
    register = load(_sources(files, files), lambda rel: f"{stand.name}:{rel}", cache=cache)
    if cache is not None:
        cache.save()
    return register


def load_pair(
    repo: GitRepo, root: Path, old: Stand, new: Stand, cache: Cache | None = None
) -> tuple[Snapshot, Snapshot]:
    """Both Stände, every file parsed, each file that is the same at both ends only once.

    Each Stand is read completely, so what it counts (and which of its files it lists as
    invalid) does not depend on the other end. A file with the same blob id at both ends
    has the same content and therefore the same meaning: it is read and parsed once and
    the result serves both ends. All blobs come from one ``git cat-file --batch`` run
    (only those the cache does not know).
    """
    base = repo.relpath(root)
    old_files, new_files = _with_contents(
        repo, [_files(repo, base, root, old, cache), _files(repo, base, root, new, cache)], cache
    )
    same = {
        rel for rel, s in old_files.items() if rel in new_files and _id(new_files[rel]) == _id(s)
    }
    shared = _read(_sources(new_files, same), cache)
    only_old = _read(_sources(old_files, old_files.keys() - same), cache)
    only_new = _read(_sources(new_files, new_files.keys() - same), cache)
    if cache is not None:
        cache.save()
    return _snapshot(old, shared, only_old), _snapshot(new, shared, only_new)


@dataclass
class _Part:
    """What some files of a Stand hold: their entries and which of them are invalid."""

    meta: IhkMeta | None = None
    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {k: {} for k in KINDS})
    broken: list[str] = field(default_factory=list)  # relpaths


def _read(sources: list[SourceFile], cache: Cache | None, chunk: int = 1000) -> _Part:
    """Parse and validate ``sources``, keeping only the entries (not positions or problems).

    Files are read a chunk at a time: each file means the same on its own, and what
    ``load`` keeps besides the records is let go chunk by chunk.
    """
    part = _Part()
    for start in range(0, len(sources), chunk):
        register = load(sources[start : start + chunk], str, cache=cache)
        part.meta = part.meta or register.meta
        for kind, entries in register.entries.items():
            part.entries[kind].update(entries)
        part.broken.extend(register.broken)
    return part


def _snapshot(stand: Stand, shared: _Part, own: _Part) -> Snapshot:
    """One Stand from the files it shares with the other end and its own files."""
    entries = {kind: {**shared.entries[kind], **own.entries[kind]} for kind in KINDS}
    records: dict[str, Mapping[str, Any]] = {kind: Records(e) for kind, e in entries.items()}
    states = {i: _state(e) for i, e in entries["massnahme"].items()}
    relpaths = (*shared.broken, *own.broken)
    broken = sorted(f"{stand.name}:{rel}" for rel in relpaths)
    same = {kind: set(shared.entries[kind]) - own.entries[kind].keys() for kind in KINDS}
    return Snapshot(
        stand,
        own.meta or shared.meta,
        records,
        states,
        broken,
        _ids(relpaths),
        entries=entries,
        same=same,
    )
