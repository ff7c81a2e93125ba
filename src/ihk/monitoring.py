"""Monitoring: per Oberziel the states of its measures and how its indicators stand
(pure: records in, typed data out). ``ihk monitoring`` prints it; the Fortschreibung
reuses ``zielerreichung`` and ``urteil``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ihk.vocab import STATES

AUF_KURS = "auf Kurs"
VERFEHLT = "verfehlt Richtung"
KEINE_DATEN = "keine Daten"


def zielerreichung(basis: float, ziel: float, wert: float) -> float | None:
    """The share of the way from basis to target that ``wert`` has come, in percent.

    Below 0 when the value moved away from the target, above 100 beyond it; None when
    basis and target are the same (there is no way to go)."""
    if ziel == basis:
        return None
    return 100.0 * (wert - basis) / (ziel - basis)


def urteil(erreicht: float | None, hat_werte: bool) -> str:
    """auf Kurs / verfehlt Richtung / keine Daten."""
    if not hat_werte:
        return KEINE_DATEN
    if erreicht is not None and erreicht < 0:
        return VERFEHLT
    return AUF_KURS


@dataclass(frozen=True)
class Messung:
    jahr: int
    wert: float
    anmerkung: str | None = None


@dataclass(frozen=True)
class IndikatorStand:
    id: str
    titel: str
    einheit: str | None
    art: str
    richtung: str
    basis: Messung
    ziel: Messung
    letzter: Messung | None  # the latest measured value
    zielerreichung: float | None
    urteil: str
    werte: list[Messung]


@dataclass(frozen=True)
class OberzielMonitoring:
    oberziel: str
    titel: str
    massnahmen: dict[str, int]  # state -> count of measures
    indikatoren: list[IndikatorStand]


@dataclass(frozen=True)
class Monitoring:
    gebiet: str
    oberziele: list[OberzielMonitoring]
    stand: Any = None  # fortschreibung.StandInfo of a report of a Stand

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        return data


def indikator_stand(ident: str, record: Any, bis_jahr: int | None = None) -> IndikatorStand:
    """How one indicator stands (with ``bis_jahr``: counting only values up to that year)."""
    werte = sorted(
        (Messung(w.jahr, w.wert, w.anmerkung) for w in record.werte),
        key=lambda m: m.jahr,
    )
    seen = [m for m in werte if bis_jahr is None or m.jahr <= bis_jahr]
    letzter = seen[-1] if seen else None
    erreicht = (
        zielerreichung(record.basis.wert, record.ziel.wert, letzter.wert) if letzter else None
    )
    return IndikatorStand(
        id=ident,
        titel=record.titel,
        einheit=record.einheit,
        art=record.art,
        richtung=record.richtung,
        basis=Messung(record.basis.jahr, record.basis.wert),
        ziel=Messung(record.ziel.jahr, record.ziel.wert),
        letzter=letzter,
        zielerreichung=erreicht,
        urteil=urteil(erreicht, letzter is not None),
        werte=werte,
    )


def monitoring(
    records: Mapping[str, Mapping[str, Any]],
    goals: Iterable[tuple[str, str]],
    gebiet: str = "",
    oberziel: str | None = None,
    stand: Any = None,
) -> Monitoring:
    """Per goal (catalogue order, ``goals`` as (id, title)): measure states and indicators.

    Goals with neither measures nor indicators are left out. Of a measure only
    ``oberziel`` and ``status`` are read (its ``kinds.Summary`` will do)."""
    measures = records.get("massnahme", {})
    indicators = records.get("indikator", {})
    result = []
    for goal, title in goals:
        if oberziel is not None and goal != oberziel:
            continue
        counted = Counter(m.status for m in measures.values() if m.oberziel == goal)
        stands = sorted(
            (indikator_stand(i, r) for i, r in indicators.items() if r.oberziel == goal),
            key=lambda s: (s.titel.casefold(), s.id),
        )
        if counted or stands:
            result.append(
                OberzielMonitoring(goal, title, {s: counted.get(s, 0) for s in STATES}, stands)
            )
    return Monitoring(gebiet, result, stand)
