"""ihk log: the commits that touched the register (or one record), with field changes."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from ihk.cache import Cache
from ihk.errors import InvalidInput, UsageError
from ihk.fields import FieldChange, diff_records
from ihk.gitrepo import Change, Commit, GitRepo
from ihk.kinds import KINDS, Kind, kind_named, parse_relpath
from ihk.register import BlobRecords
from ihk.workspace import Workspace, check_id


@dataclass
class RecordChange:
    kind: str
    id: str
    action: str  # "neu", "geändert", "entfernt"
    fields: list[FieldChange] = field(default_factory=list)
    unreadable: bool = False  # one side could not be read as a valid record

    def as_json(self) -> dict[str, Any]:
        return {
            "art": self.kind,
            "id": self.id,
            "aktion": self.action,
            "felder": [f.as_json() for f in self.fields],
            "ungueltig": self.unreadable,
        }


@dataclass
class LogEntry:
    commit: Commit
    tags: list[str]
    changes: list[RecordChange]

    def as_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit.sha,
            "datum": self.commit.date.isoformat(),
            "autor": self.commit.author,
            "nachricht": self.commit.message,
            "tags": self.tags,
            "aenderungen": [c.as_json() for c in self.changes],
        }


_DAY = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _day(text: str, side: str, *, end: bool) -> str:
    """JJJJ, JJJJ-MM or JJJJ-MM-TT as the first (or, with ``end``, last) second of it,
    in local time, as a git date."""
    match = _DAY.fullmatch(text)
    try:
        if not match:
            raise ValueError
        year = int(match[1])
        month = int(match[2] or (12 if end else 1))
        if match[3]:
            day = _dt.date(year, month, int(match[3]))
        elif end:
            day = _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)
        else:
            day = _dt.date(year, month, 1)
    except ValueError:
        raise UsageError(f"{side} „{text}“: Datum als JJJJ, JJJJ-MM oder JJJJ-MM-TT") from None
    moment = _dt.datetime.combine(day, _dt.time(23, 59, 59) if end else _dt.time(0, 0))
    # "@SECONDS +0000" is read exactly (a bare "@SECONDS" falls back to git's fuzzy
    # approxidate); git's calendar dates stop at 2099
    return f"@{int(moment.timestamp())} +0000"


def history(
    ws: Workspace,
    spec: str | None = None,
    *,
    seit: str | None = None,
    bis: str | None = None,
    anzahl: int | None = None,
) -> list[LogEntry]:
    """The commits that touched the register (or one record, also a removed one),
    newest first; optionally only from ``seit``, up to ``bis``, at most ``anzahl``."""
    repo = ws.git
    base = repo.relpath(ws.root)
    prefix = f"{base}/" if base else ""
    wanted: tuple[str, str] | None = None
    if spec:
        kind, ident = _find(ws, repo, prefix, spec)
        wanted = (kind.name, ident)
        target = prefix + kind.relpath(ident)
    else:
        target = base
    if anzahl is not None and anzahl < 1:
        raise UsageError("Anzahl der Commits: mindestens 1")
    log = repo.log_changes(
        target,
        since=_day(seit, "SEIT", end=False) if seit else None,
        until=_day(bis, "BIS", end=True) if bis else None,
        max_count=anzahl,
    )
    tags = repo.tags_at()
    cache = ws.cache()
    records = BlobRecords(cache or Cache.memory(), repo.read_blobs)
    touched = [(c, rel, parsed) for _, raw in log for c, rel, parsed in _records(raw, prefix)]
    records.prepare(
        (kind, sha) for c, _, (kind, _) in touched for sha in (c.old_sha, c.new_sha) if sha
    )
    entries = []
    for commit, raw in log:
        changes = [
            c
            for c in _record_changes(_records(raw, prefix), records)
            if wanted is None or (c.kind, c.id) == wanted
        ]
        entries.append(LogEntry(commit, sorted(tags.get(commit.sha, [])), changes))
    if cache is not None:
        cache.save()
    return entries


def _find(ws: Workspace, repo: GitRepo, prefix: str, spec: str) -> tuple[Kind, str]:
    """The record ``spec`` names: one that exists, or one that existed in history."""
    try:
        return ws.address(spec)
    except InvalidInput:
        kind_name, slash, ident = spec.rpartition("/")
        check_id(ident)
        kinds = [kind_named(kind_name)] if slash else list(KINDS.values())
        found = [k for k in kinds if repo.log(prefix + k.relpath(ident), max_count=1)]
        if len(found) == 1:
            return found[0], ident
        if found:
            names = " und ".join(f"{k.name}/{ident}" for k in found)
            raise InvalidInput(
                f"„{ident}“ ist nicht eindeutig: es gab {names}; bitte so angeben"
            ) from None
        raise


def record_changes(repo: GitRepo, old: str | None, new: str, base: str) -> list[RecordChange]:
    """What one commit did to the register's records, field by field."""
    prefix = f"{base}/" if base else ""
    touched = _records(repo.changes(old, new, base), prefix)
    records = BlobRecords(Cache.memory(), repo.read_blobs)
    records.prepare(
        (kind, sha) for c, _, (kind, _) in touched for sha in (c.old_sha, c.new_sha) if sha
    )
    return _record_changes(touched, records)


def _records(raw: list[Change], prefix: str) -> list[tuple[Change, str, tuple[Kind, str]]]:
    """The changes of record files below ``prefix``: (change, relpath, (kind, id))."""
    found = []
    for change in raw:
        if change.path.startswith(prefix):
            rel = change.path[len(prefix) :]
            parsed = parse_relpath(rel)
            if parsed is not None:
                found.append((change, rel, parsed))
    return found


def _record_changes(
    touched: list[tuple[Change, str, tuple[Kind, str]]], records: BlobRecords
) -> list[RecordChange]:
    result = []
    for change, _, (kind, ident) in touched:
        if change.status == "A":
            valid = change.new_sha is not None and records.valid(kind, change.new_sha)
            result.append(RecordChange(kind.name, ident, "neu", unreadable=not valid))
            continue
        if change.status == "D":
            valid = change.old_sha is not None and records.valid(kind, change.old_sha)
            result.append(RecordChange(kind.name, ident, "entfernt", unreadable=not valid))
            continue
        old = records.record(kind, change.old_sha) if change.old_sha else None
        new = records.record(kind, change.new_sha) if change.new_sha else None
        if old is None or new is None:
            result.append(RecordChange(kind.name, ident, "geändert", unreadable=True))
        else:
            result.append(RecordChange(kind.name, ident, "geändert", diff_records(old, new)))
    return result
