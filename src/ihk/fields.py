"""Field-level differences between two versions of one record (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted: "status", "finanzierung.kosten_eur"
    old: Any = None
    new: Any = None
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.added or self.removed)

    def as_json(self) -> dict[str, Any]:
        if self.is_list:
            return {"feld": self.field, "hinzu": list(self.added), "entfernt": list(self.removed)}
        return {"feld": self.field, "alt": self.old, "neu": self.new}


def record_data(record: BaseModel) -> dict[str, Any]:
    """The record as plain data, without fields left at their empty default."""
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def diff_records(old: BaseModel, new: BaseModel) -> list[FieldChange]:
    return diff_data(record_data(old), record_data(new))


def diff_data(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[FieldChange]:
    changes: list[FieldChange] = []
    keys = list(old) + [k for k in new if k not in old]
    for key in keys:
        a, b = old.get(key), new.get(key)
        name = f"{prefix}{key}"
        if a == b:
            continue
        if isinstance(a, dict | None) and isinstance(b, dict | None):
            # a block that appears or goes (zeitraum, finanzierung) shows field by field
            changes.extend(diff_data(a or {}, b or {}, name + "."))
        elif (
            isinstance(a, list | type(None))
            and isinstance(b, list | type(None))
            and (isinstance(a, list) or isinstance(b, list))
        ):
            added, removed = _list_delta(a or [], b or [])
            if added or removed:
                changes.append(FieldChange(name, added=tuple(added), removed=tuple(removed)))
            else:  # same items, new order
                changes.append(FieldChange(name, old=a, new=b))
        else:
            changes.append(FieldChange(name, old=a, new=b))
    return changes


def _list_delta(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    remaining = list(old)
    added = []
    for item in new:
        if item in remaining:
            remaining.remove(item)
        else:
            added.append(item)
    return added, remaining


def describe(change: FieldChange) -> str:
    """One change in a German commit message or log line."""
    if change.is_list:
        parts = [f"+ {_short(v)}" for v in change.added] + [
            f"− {_short(v)}" for v in change.removed
        ]
        return f"{change.field} " + ", ".join(parts)
    if change.old is None:
        return f"{change.field} = {_short(change.new)}"
    if change.new is None:
        return f"{change.field} entfernt (war {_short(change.old)})"
    return f"{change.field} {_short(change.old)} → {_short(change.new)}"


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dict) and "jahr" in value and "wert" in value:
        return f"{value['jahr']}: {_short(value['wert'])}"  # a measured value
    if isinstance(value, dict):
        text = value.get("text") or value.get("titel") or value.get("name") or value.get("datum")
        label = f"„{_clip(str(text))}“" if text else "Eintrag"
        if "stand" in value:
            label = f"{value['stand']} {label}"
        elif "datum" in value and text != value.get("datum"):
            label = f"{value['datum']} {label}"
        return label
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clip(str(value))


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
