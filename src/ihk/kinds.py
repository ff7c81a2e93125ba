"""The three kinds of record and the names users may call them by."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ihk.errors import UsageError
from ihk.models import Gremium, Massnahme, Projekt


@dataclass(frozen=True)
class Kind:
    name: str  # canonical German id: massnahme, gremium, projekt
    folder: str
    model: type[BaseModel]
    label: str  # "Maßnahme"
    plural: str  # "Maßnahmen"
    title_field: str  # "titel" or "name"


KINDS: dict[str, Kind] = {
    "massnahme": Kind("massnahme", "massnahmen", Massnahme, "Maßnahme", "Maßnahmen", "titel"),
    "gremium": Kind("gremium", "gremien", Gremium, "Gremium", "Gremien", "name"),
    "projekt": Kind("projekt", "projekte", Projekt, "Projekt", "Projekte", "titel"),
}
BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}

ALIASES: dict[str, str] = {
    "measure": "massnahme",
    "massnahme": "massnahme",
    "maßnahme": "massnahme",
    "massnahmen": "massnahme",
    "committee": "gremium",
    "gremium": "gremium",
    "gremien": "gremium",
    "project": "projekt",
    "projekt": "projekt",
    "projekte": "projekt",
}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[ALIASES[name.strip().lower()]]
    except KeyError:
        raise UsageError(
            f"unbekannte Art „{name}“; erlaubt: measure|committee|project "
            "(massnahme|gremium|projekt)"
        ) from None
