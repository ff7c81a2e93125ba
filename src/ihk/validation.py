"""Pydantic errors turned into German problems at exact file positions."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ihk.errors import REGEL, SCHLUESSEL, WERT, Location, Problem
from ihk.vocab import zeige_wert
from ihk.yamlio import Document, Path


def validate(model: type[BaseModel], doc: Document, path: str) -> tuple[Any, list[Problem]]:
    """The model instance, or None and every problem found, each at its position."""
    if not isinstance(doc.data, dict):
        found = "eine Liste" if isinstance(doc.data, list) else f"den Einzelwert „{doc.data}“"
        return None, [
            Problem(
                Location(path, *doc.position(())),
                f"Die Datei muss Schlüssel mit Werten enthalten, nicht {found}",
                code=WERT,
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as e:
        problems = [_problem(model, doc, path, err) for err in e.errors(include_url=False)]
        return None, sorted(set(problems))


def _problem(model: type[BaseModel], doc: Document, path: str, err: Any) -> Problem:
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    if "[key]" in loc:  # a dict key failed (e.g. a goal id): point at the key itself
        loc = loc[: loc.index("[key]")]
        message = (
            str(err["msg"])
            if kind.startswith("ihk_")
            else f"ungültige Kennung „{loc[-1]}“ (erlaubt: a–z, 0–9 und „-“, höchstens 64 Zeichen)"
        )
        return Problem(Location(path, *doc.position(loc, key=True)), message, code=WERT)
    field = ".".join(str(p) for p in loc)
    if kind == "missing":
        parent = loc[:-1]
        line_col = doc.position(parent, key=True) if parent else (1, 1)
        return Problem(Location(path, *line_col), f"Pflichtfeld „{field}“ fehlt", code=SCHLUESSEL)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = fields_at(model, loc[:-1])
        hint = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        message = f"unbekannter Schlüssel „{name}“"
        if hint:
            message += f" – meinten Sie „{hint[0]}“?"
        elif allowed:
            message += f"; erlaubt: {', '.join(allowed)}"
        return Problem(Location(path, *doc.position(loc, key=True)), message, code=SCHLUESSEL)
    code = _CODES.get(kind, WERT)
    return Problem(Location(path, *doc.position(loc)), _message(err, field), code=code)


#: Classes of the model's own errors that are not about one value's form.
_CODES = {"ihk_zeitraum": REGEL, "ihk_mitglied": SCHLUESSEL}


def _message(err: Any, field: str) -> str:
    kind: str = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    where = f"{field}: " if field else ""
    if kind.startswith("ihk_"):
        return where + str(err["msg"])
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"{where}ungültiger Wert {zeige_wert(value)}; erlaubt: {expected}"
    if kind == "string_pattern_mismatch":
        return (
            f"{where}ungültige Kennung {zeige_wert(value)} "
            "(erlaubt: a–z, 0–9 und „-“, höchstens 64 Zeichen)"
        )
    if kind == "string_too_short":
        return f"{where}darf nicht leer sein"
    if kind == "string_too_long":
        return f"{where}zu lang (höchstens {ctx.get('max_length')} Zeichen)"
    if kind in ("too_short",):
        return f"{where}braucht mindestens {ctx.get('min_length')} Eintrag"
    if kind == "greater_than_equal":
        return f"{where}darf nicht negativ sein (gefunden: {value})"
    if kind == "finite_number":
        return f"{where}muss eine endliche Zahl sein"
    expected = _EXPECTED.get(kind)
    if expected:
        return f"{where}{expected} erwartet, gefunden: {zeige_wert(value)}"
    return f"{where}ungültiger Wert {zeige_wert(value)} ({err['msg']})"


_EXPECTED = {
    "string_type": "Text",
    "bool_type": "Ja/Nein-Wert",
    "list_type": "eine Liste",
    "dict_type": "eine Zuordnung (Schlüssel: Wert)",
    "model_type": "eine Zuordnung (Schlüssel: Wert)",
    "model_attributes_type": "eine Zuordnung (Schlüssel: Wert)",
    "int_type": "eine ganze Zahl",
    "float_type": "eine Zahl",
}


def field_type(model: type[BaseModel], loc: Path) -> Any:
    """The type of the (nested) field at ``loc``, without ``| None``; None if none."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if typing.get_origin(current) is dict:  # any key, also a number (a year)
            current = typing.get_args(current)[1]
        elif isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return None
    return _unwrap(current)


def fields_at(model: type[BaseModel], loc: Path) -> list[str]:
    """Field names of the (nested) model that ``loc`` points into."""
    current = field_type(model, loc)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip ``X | None`` and ``Annotated[...]`` down to the type that holds fields."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
