"""Plain German text views of one record and of the history."""

from __future__ import annotations

from typing import Any

from ihk.commands.history import LogEntry, RecordChange
from ihk.fields import describe, record_data
from ihk.kinds import KINDS, Kind
from ihk.vocab import euro, feldname, ja_nein, status_legende


def record_text(kind: Kind, ident: str, record: Any) -> str:
    lines = [f"{kind.label} {ident}"]
    data = record_data(record)
    for key, value in data.items():
        lines.extend(_lines(key, value, 1))
    return "\n".join(lines)


def _lines(key: str, value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    label = feldname(key)
    if key == "status":
        return [f"{pad}{label}: {status_legende(value)} ({value})"]
    if isinstance(value, bool):
        return [f"{pad}{label}: {ja_nein(value)}"]
    if key == "kosten_eur" and isinstance(value, int | float):
        return [f"{pad}{label}: {euro(value)}"]
    if isinstance(value, dict):
        lines = [f"{pad}{label}:"]
        for k, v in value.items():
            lines.extend(_lines(k, v, depth + 1))
        return lines
    if isinstance(value, list):
        lines = [f"{pad}{label}:"]
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    sub = _lines(k, v, depth + 2)
                    if first:
                        sub[0] = f"{pad}  - " + sub[0].lstrip()
                        first = False
                    lines.extend(sub)
            else:
                lines.append(f"{pad}  - {item}")
        return lines
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [f"{pad}{label}: {value}"]


def log_text(entries: list[LogEntry]) -> str:
    blocks = []
    for entry in entries:
        c = entry.commit
        tags = f" [{', '.join(entry.tags)}]" if entry.tags else ""
        subject = (c.message.splitlines() or [""])[0]
        lines = [f"{c.sha[:10]} {c.date:%d.%m.%Y} {c.author}{tags}", f"    {subject}"]
        for change in entry.changes:
            if _said_by(subject, change):
                continue  # ihk's own message already names exactly this change
            label = KINDS[change.kind].label
            note = " (ungültige Fassung)" if change.unreadable else ""
            lines.append(f"    {label} {change.id}: {change.action}{note}")
            for f in change.fields:
                lines.append(f"      {describe(f)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _said_by(subject: str, change: RecordChange) -> bool:
    """Whether the commit's subject is the message ihk writes for this change."""
    head = f"{KINDS[change.kind].label} {change.id}"
    if change.unreadable:
        return False
    if change.action == "neu":
        return subject.startswith(f"{head} angelegt")
    if change.action == "entfernt":
        return subject.startswith(f"{head} entfernt")
    return bool(change.fields) and subject == f"{head}: " + ", ".join(
        describe(f) for f in change.fields
    )
