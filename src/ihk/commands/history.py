"""ihk log: the commits that touched the register (or one record), with field changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ihk.fields import FieldChange, diff_records
from ihk.gitrepo import Commit, GitRepo
from ihk.kinds import parse_relpath
from ihk.validation import validate
from ihk.workspace import Workspace
from ihk.yamlio import YamlProblems, decode, parse


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


def history(ws: Workspace, spec: str | None = None) -> list[LogEntry]:
    repo = ws.git
    base = repo.relpath(ws.root)
    prefix = f"{base}/" if base else ""
    wanted: tuple[str, str] | None = None
    if spec:
        kind, ident = ws.address(spec)
        wanted = (kind.name, ident)
        target = prefix + kind.relpath(ident)
    else:
        target = base
    tags = repo.tags_at()
    entries = []
    for commit in repo.log(target):
        changes = [
            c
            for c in record_changes(repo, commit.parent, commit.sha, base)
            if wanted is None or (c.kind, c.id) == wanted
        ]
        entries.append(LogEntry(commit, sorted(tags.get(commit.sha, [])), changes))
    return entries


def record_changes(repo: GitRepo, old: str | None, new: str, base: str) -> list[RecordChange]:
    """What one commit did to the register's records, field by field."""
    prefix = f"{base}/" if base else ""
    raw = repo.changes(old, new, base)
    wanted = [c for c in raw if c.path.startswith(prefix)]
    blobs = repo.read_blobs(s for c in wanted for s in (c.old_sha, c.new_sha) if s)
    result = []
    for change in wanted:
        rel = change.path[len(prefix) :]
        parsed = parse_relpath(rel)
        if parsed is None:
            continue
        kind, ident = parsed
        old_record = _record(kind.model, blobs.get(change.old_sha or ""), rel)
        new_record = _record(kind.model, blobs.get(change.new_sha or ""), rel)
        if change.status == "A":
            result.append(RecordChange(kind.name, ident, "neu", unreadable=new_record is None))
        elif change.status == "D":
            result.append(RecordChange(kind.name, ident, "entfernt", unreadable=old_record is None))
        elif old_record is None or new_record is None:
            result.append(RecordChange(kind.name, ident, "geändert", unreadable=True))
        else:
            result.append(
                RecordChange(kind.name, ident, "geändert", diff_records(old_record, new_record))
            )
    return result


def _record(model: Any, data: bytes | None, rel: str) -> Any:
    if data is None:
        return None
    try:
        doc = parse(decode(data, rel), rel)
    except YamlProblems:
        return None
    record, _ = validate(model, doc, rel)
    return record
