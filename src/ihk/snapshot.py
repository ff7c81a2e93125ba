"""A register at a point in history, read straight from git objects.

Only what differs between two Stände is parsed in full; for the unchanged measures
the Bilanz needs just Oberziel and status, which a line scan of the (identical) file
yields, so the cost grows with what changed, not with the size of the register.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ihk.errors import InvalidInput, UsageError
from ihk.gitrepo import GitRepo, blob_sha
from ihk.kinds import BY_FOLDER, KINDS
from ihk.models import IhkMeta
from ihk.register import META_FILE, Register, SourceFile, load, read_worktree
from ihk.vocab import STATES

_YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Stand:
    """One end of a range: a commit, or the working tree (sha None)."""

    label: str
    sha: str | None
    tag: str | None
    date: _dt.date

    @property
    def name(self) -> str:
        """How files of this Stand are named in messages."""
        if self.sha is None:
            return "Arbeitsstand"
        return self.tag or self.sha[:10]


def resolve_range(repo: GitRepo, spec: str) -> tuple[Stand, Stand]:
    if spec.count("..") != 1 or "..." in spec:
        raise UsageError(
            f"„{spec}“: Bereich im Format VON..BIS erwartet, z. B. 2005..2006 oder 2005.."
        )
    old, new = spec.split("..")
    if not old:
        raise UsageError("VON fehlt: z. B. 2005..2006")
    return resolve_end(repo, old, "VON"), resolve_end(repo, new, "BIS")


def resolve_end(repo: GitRepo, text: str, side: str) -> Stand:
    if not text:
        return Stand("", None, None, _dt.date.today())
    if _YEAR_RE.match(text):
        tag = f"stand-{text}"
        sha = repo.resolve(f"refs/tags/{tag}")
        if sha:
            return Stand(text, sha, tag, repo.commit(sha).date.date())
        found = repo.last_commit_on_or_before(f"{text}-12-31")
        if found is None:
            raise InvalidInput(
                f"{side} {text}: weder ein Tag {tag} noch ein Commit bis zum 31.12.{text}"
            )
        return Stand(text, found.sha, None, found.date.date())
    sha = repo.resolve(text)
    if sha is None:
        raise InvalidInput(
            f"{side} „{text}“: keine Revision in diesem Repository (Jahr, Tag, Zweig oder Commit)"
        )
    tags = repo.tags_at().get(sha, [])
    stand_tags = sorted(t for t in tags if t.startswith("stand-"))
    candidates = stand_tags or sorted(tags)
    return Stand(text, sha, candidates[0] if candidates else None, repo.commit(sha).date.date())


@dataclass
class Snapshot:
    """What the Fortschreibung needs to know of one Stand."""

    stand: Stand
    meta: IhkMeta | None
    records: dict[str, dict[str, Any]]  # kind -> id -> record, for every file parsed
    measure_states: dict[str, tuple[str, str]]  # measure id -> (oberziel, status), all of them
    broken: list[str] = field(default_factory=list)


def snapshot_of(register: Register, stand: Stand) -> Snapshot:
    """A fully loaded register as a Snapshot (every record parsed)."""
    records = {
        kind: {i: e.record for i, e in entries.items()}
        for kind, entries in register.entries.items()
    }
    states = {i: (m.oberziel, m.status) for i, m in records["massnahme"].items()}
    return Snapshot(stand, register.meta, records, states, sorted(register.broken.values()))


_SCAN_RE = re.compile(
    r"^(status|oberziel):[ \t]*(['\"]?)([a-z0-9_-]+)\2[ \t]*(?:#.*)?$", re.MULTILINE
)


def scan_state(data: bytes) -> tuple[str, str] | None:
    """(oberziel, status) from the top-level lines of a measure file, or None if unsure."""
    found: dict[str, list[str]] = {"status": [], "oberziel": []}
    for match in _SCAN_RE.finditer(data.decode("utf-8", "replace")):
        found[match.group(1)].append(match.group(3))
    if len(found["status"]) == 1 and len(found["oberziel"]) == 1 and found["status"][0] in STATES:
        return found["oberziel"][0], found["status"][0]
    return None


def _files(
    repo: GitRepo, base: str, root: Path, stand: Stand
) -> dict[str, tuple[str, bytes | None]]:
    """Register files of one Stand: relpath -> (blob id, contents if already at hand)."""
    if stand.sha is None:
        return {
            s.relpath: (blob_sha(s.data), s.data)
            for s in read_worktree(root)
            if not s.relpath.endswith("/")
        }
    prefix = f"{base}/" if base else ""
    files: dict[str, tuple[str, bytes | None]] = {}
    for item in repo.tree(stand.sha, base):
        rel = item.path[len(prefix) :]
        folder = rel.partition("/")[0]
        if rel == META_FILE or folder in BY_FOLDER:
            files[rel] = (item.sha, None)
    return files


def load_pair(repo: GitRepo, root: Path, old: Stand, new: Stand) -> tuple[Snapshot, Snapshot]:
    base = repo.relpath(root)
    old_files, new_files = _files(repo, base, root, old), _files(repo, base, root, new)
    changed = {
        rel
        for rel in old_files.keys() | new_files.keys()
        if old_files.get(rel, ("",))[0] != new_files.get(rel, ("",))[0]
    }
    measures = f"{KINDS['massnahme'].folder}/"
    committees = f"{KINDS['gremium'].folder}/"
    # Committees are few and their meetings are dated: read them whole at both ends.
    full = (
        {META_FILE}
        | changed
        | {r for r in new_files.keys() | old_files.keys() if r.startswith(committees)}
    )
    scanned = [r for r in new_files if r.startswith(measures) and r not in full]

    wanted = {
        files[r][0]
        for files in (old_files, new_files)
        for r in full
        if r in files and files[r][1] is None
    }
    wanted |= {new_files[r][0] for r in scanned if new_files[r][1] is None}
    blobs = repo.read_blobs(sorted(wanted))

    def content(files: dict[str, tuple[str, bytes | None]], rel: str) -> bytes:
        sha, data = files[rel]
        return data if data is not None else blobs[sha]

    states: dict[str, tuple[str, str]] = {}
    for rel in scanned:
        state = scan_state(content(new_files, rel))
        if state is None:
            full.add(rel)  # not sure from a line scan: parse it properly
        else:
            states[rel[len(measures) : -len(".yaml")]] = state

    def build(stand: Stand, files: dict[str, tuple[str, bytes | None]]) -> Snapshot:
        ids: dict[str, set[str]] = {k: set() for k in KINDS}
        for rel in files:
            folder, _, name = rel.partition("/")
            if folder in BY_FOLDER and name.endswith(".yaml"):
                ids[BY_FOLDER[folder].name].add(name[: -len(".yaml")])
        sources = [SourceFile(rel, content(files, rel)) for rel in sorted(full) if rel in files]
        register = load(sources, lambda rel: f"{stand.name}:{rel}", known_ids=ids)
        snap = snapshot_of(register, stand)
        # scanned measures are unchanged, so present at both ends
        snap.measure_states = {**states, **snap.measure_states}
        return snap

    return build(old, old_files), build(new, new_files)
