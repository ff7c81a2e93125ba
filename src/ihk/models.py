"""Pydantic models of the register (SPEC §1). No file access here.

Values arrive from ``yamlio`` with YAML 1.2 core semantics, so the models are strict:
a number is never silently taken for text, nor ``"yes"`` for a boolean. The German
``ja``/``nein`` that people write in bool fields is accepted on purpose.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ihk.vocab import (
    QUELLEN,
    GremiumArt,
    IndikatorArt,
    Kostengruppe,
    Richtung,
    Status,
    euro,
    messwert,
    zeige_wert,
)

# pydantic runs ``ID_PATTERN`` with Rust's regex, where "$" is the end of the text;
# Python's "$" also matches before a final newline, hence "\Z" in ``ID_RE``.
# Classes are ASCII: "\d" would take "２００２" (tests/test_models_ascii.py checks both).
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")
_MONAT_RE = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
_DATUM_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JAHR_RE = re.compile(r"[0-9]{4}")


def _monat(value: Any) -> str:
    if isinstance(value, str):
        m = _MONAT_RE.match(value)
        if m and 1 <= int(m.group(2)) <= 12:
            return value
        if m:
            raise PydanticCustomError(
                "ihk_monat", "Monat {monat} gibt es nicht (erlaubt 01–12)", {"monat": m.group(2)}
            )
    raise PydanticCustomError(
        "ihk_monat",
        "Monat im Format JJJJ-MM erwartet, gefunden: {wert}",
        {"wert": _zeige_roh(value)},
    )


def _zeige_roh(value: Any) -> str:
    """``zeige_wert``, with a line break or tab written as in YAML ("\\n")."""
    shown = zeige_wert(value)
    return shown.replace("\n", "\\n").replace("\t", "\\t")


def _datum(value: Any) -> str:
    if isinstance(value, str) and _DATUM_RE.fullmatch(value):
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "ihk_datum", "Datum {wert} gibt es nicht", {"wert": value}
            ) from None
        return value
    raise PydanticCustomError(
        "ihk_datum",
        "Datum im Format JJJJ-MM-TT erwartet, gefunden: {wert}",
        {"wert": _zeige_roh(value)},
    )


def _monat_oder_datum(value: Any) -> str:
    if isinstance(value, str) and len(value) == 7:
        return _monat(value)
    if isinstance(value, str) and len(value) == 10:
        return _datum(value)
    raise PydanticCustomError(
        "ihk_datum",
        "Datum im Format JJJJ-MM oder JJJJ-MM-TT erwartet, gefunden: {wert}",
        {"wert": _zeige_roh(value)},
    )


def _ja_nein(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("ja", "nein"):
        return value.strip().lower() == "ja"
    raise PydanticCustomError(
        "ihk_ja_nein",
        "Ja/Nein-Wert erwartet (true/false oder ja/nein), gefunden: {wert}",
        {"wert": zeige_wert(value)},
    )


# What the validators above accept, as JSON Schema (``ihk schema``, for editors). The
# patterns are ECMA-262 as JSON Schema wants them; "patternErrorMessage" is the German
# message editors with the yaml-language-server show instead of the bare pattern.
MONAT_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
    "patternErrorMessage": "Monat im Format JJJJ-MM erwartet, z. B. 2003-12",
}
DATUM_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    "patternErrorMessage": "Datum im Format JJJJ-MM-TT erwartet, z. B. 2003-05-13",
}
JA_NEIN_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "boolean"},
        {
            "type": "string",
            "pattern": r"^\s*([jJ][aA]|[nN][eE][iI][nN])\s*$",
            "patternErrorMessage": "Ja/Nein-Wert erwartet (true/false oder ja/nein)",
        },
    ]
}
ID_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": ID_PATTERN,
    "patternErrorMessage": "Kennung erwartet: a–z, 0–9 und „-“, höchstens 64 Zeichen",
}
JAHR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]{4}$",
    "patternErrorMessage": "Jahr im Format JJJJ erwartet",
}

Monat = Annotated[str, BeforeValidator(_monat), WithJsonSchema(MONAT_SCHEMA)]
Datum = Annotated[str, BeforeValidator(_datum), WithJsonSchema(DATUM_SCHEMA)]
MonatOderDatum = Annotated[
    str, BeforeValidator(_monat_oder_datum), WithJsonSchema({"anyOf": [MONAT_SCHEMA, DATUM_SCHEMA]})
]
JaNein = Annotated[bool, BeforeValidator(_ja_nein), WithJsonSchema(JA_NEIN_SCHEMA)]
Text = Annotated[str, StringConstraints(min_length=1)]
Titel = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN), WithJsonSchema(ID_SCHEMA)]
Betrag = Annotated[float, Field(ge=0, allow_inf_nan=False)]


#: A place inside a record: keys and list indexes ("nachtraege", 0, "stand").
FieldPath = tuple[str | int, ...]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Hinweis(NamedTuple):
    """A record's own problem across its fields: where (at the value, or at the key),
    what, and whether it is only a warning."""

    path: FieldPath
    text: str
    at_key: bool = False
    warning: bool = True


class _Record(_Model):
    """A record kind's model. ``hinweise`` are its own warnings (no other record needed)."""

    def hinweise(self) -> Iterator[Hinweis]:
        return iter(())


def _nicht_vor(bis: str | None, info: ValidationInfo, von_feld: str, was: str) -> str | None:
    von = info.data.get(von_feld)
    if bis is not None and isinstance(von, str) and bis < von:
        raise PydanticCustomError(
            "ihk_zeitraum",
            "{was} {bis} liegt vor dem Beginn {von}",
            {"was": was, "bis": bis, "von": von},
        )
    return bis


class Zeitraum(_Model):
    von: Monat
    bis: Monat | None = None

    @field_validator("bis")
    @classmethod
    def _bis_nach_von(cls, bis: str | None, info: ValidationInfo) -> str | None:
        return _nicht_vor(bis, info, "von", "Das Ende")


class Ziel(_Model):
    titel: Titel
    beschreibung: Text | None = None


class Quelle(_Model):
    titel: Titel
    staedtebaufoerderung: JaNein = False


def _default_quellen() -> dict[str, Quelle]:
    return {
        ident: Quelle(titel=titel, staedtebaufoerderung=stbauf)
        for ident, (titel, stbauf) in QUELLEN.items()
    }


class IhkMeta(_Model):
    gebiet: Text
    gemeinde: Text
    programm: Text
    aufnahme: Monat | None = None
    ziele: Annotated[dict[Id, Ziel], Field(min_length=1)]
    #: Finanzierungsquellen, order = display order; registers without it get the default.
    quellen: Annotated[dict[Id, Quelle], Field(min_length=1, default_factory=_default_quellen)]


def _jahr(value: Any) -> str:
    if isinstance(value, str) and _JAHR_RE.fullmatch(value):
        return value
    raise PydanticCustomError(
        "ihk_jahr", "Jahr im Format JJJJ erwartet, gefunden: {wert}", {"wert": _zeige_roh(value)}
    )


Jahr = Annotated[str, BeforeValidator(_jahr), WithJsonSchema(JAHR_SCHEMA)]
#: YEAR -> SOURCE -> amount (Jahresscheiben of a plan or of what was spent).
Jahresscheiben = dict[Jahr, dict[Id, Betrag]]


class Finanzierung(_Model):
    staedtebaufoerderung: JaNein
    sonstige: list[Text] = []
    kosten_eur: Betrag | None = None
    kostengruppe: Kostengruppe | None = None
    plan: Jahresscheiben = {}
    ist: Jahresscheiben = {}

    def plan_summe(self) -> float:
        return sum(sum(sources.values()) for sources in self.plan.values())


class ProjektFinanzierung(Finanzierung):
    staedtebaufoerderung: JaNein = False


class Nachtrag(_Model):
    stand: Monat
    text: Text


class Massnahme(_Record):
    titel: Titel
    oberziel: Id
    weitere_ziele: list[Id] = []
    traeger: list[Text] = []
    finanzierung: Finanzierung
    status: Status
    aufgenommen: Monat
    nachtraege: list[Nachtrag] = []
    gremien: list[Id] = []
    zeitraum: Zeitraum | None = None
    ort: Text | None = None
    beschreibung: Text | None = None

    def hinweise(self) -> Iterator[Hinweis]:
        for i, goal in enumerate(self.weitere_ziele):
            if goal == self.oberziel:
                yield Hinweis(("weitere_ziele", i), f"„{goal}“ ist schon das Oberziel")
        for i, nachtrag in enumerate(self.nachtraege):
            if nachtrag.stand < self.aufgenommen:
                yield Hinweis(
                    ("nachtraege", i, "stand"),
                    f"Nachtrag {nachtrag.stand} liegt vor der Aufnahme ins Konzept "
                    f"({self.aufgenommen})",
                )
        yield from _funding_hints(self.finanzierung, self.zeitraum, "des Zeitraums")


class Mitglied(_Model):
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
                {"required": ["organisation"], "properties": {"organisation": {"type": "string"}}},
            ]
        }
    )

    name: Text | None = None
    organisation: Text | None = None
    rolle: Text | None = None

    def model_post_init(self, __context: Any) -> None:
        if self.name is None and self.organisation is None:
            raise PydanticCustomError(
                "ihk_mitglied", "Ein Mitglied braucht name oder organisation", {}
            )


class Beschluss(_Model):
    text: Text
    massnahmen: list[Id] = []
    projekte: list[Id] = []


class Sitzung(_Model):
    datum: Datum
    titel: Text | None = None
    beschluesse: list[Beschluss] = []


class Gremium(_Record):
    name: Text
    art: GremiumArt
    aufgabe: Text | None = None
    gegruendet: Monat | None = None
    aufgeloest: Monat | None = None
    mitglieder: list[Mitglied] = []
    sitzungen: list[Sitzung] = []

    @field_validator("aufgeloest")
    @classmethod
    def _nach_gruendung(cls, aufgeloest: str | None, info: ValidationInfo) -> str | None:
        return _nicht_vor(aufgeloest, info, "gegruendet", "Die Auflösung")


class Meilenstein(_Model):
    datum: MonatOderDatum
    text: Text
    erreicht: JaNein = False


def _funding_hints(
    fin: Finanzierung | None, period: Zeitraum | None, name: str
) -> Iterator[Hinweis]:
    """Years of plan or spending outside the period; a total that the plan contradicts."""
    if fin is None:
        return
    first = period.von[:4] if period else None
    last = period.bis[:4] if period and period.bis else None
    for block in ("plan", "ist"):
        for year in getattr(fin, block):
            if (first and year < first) or (last and year > last):
                span = f"{first}–{last}" if last else f"ab {first}"
                yield Hinweis(
                    ("finanzierung", block, year),
                    f"Jahr {year} liegt außerhalb {name} ({span})",
                    at_key=True,
                )
    if fin.kosten_eur is not None and fin.plan and abs(fin.plan_summe() - fin.kosten_eur) > 0.005:
        yield Hinweis(
            ("finanzierung", "kosten_eur"),
            f"Kosten {euro(fin.kosten_eur)} und Summe des Plans {euro(fin.plan_summe())} "
            "weichen voneinander ab",
        )


class Projekt(_Record):
    titel: Titel
    oberziel: Id
    programm: Text | None = None
    massnahmen: list[Id] = []
    traeger: list[Text] = []
    status: Status
    laufzeit: Zeitraum | None = None
    finanzierung: ProjektFinanzierung | None = None
    meilensteine: list[Meilenstein] = []
    beschreibung: Text | None = None

    def hinweise(self) -> Iterator[Hinweis]:
        yield from _funding_hints(self.finanzierung, self.laufzeit, "der Laufzeit")


def _kein_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("ihk_zahl", "Zahl erwartet, gefunden: {wert}", {"wert": value})
    return value


#: A measured value: any finite number (a share, a count, a rate); never true/false.
Messwert = Annotated[float, BeforeValidator(_kein_bool), Field(allow_inf_nan=False)]
# The bounds before the validator: pydantic then puts them into the JSON Schema as
# minimum/maximum (after it, they would appear as the non-keywords "ge"/"le").
Messjahr = Annotated[int, Field(ge=1900, le=2200), BeforeValidator(_kein_bool)]


class Wert(_Model):
    jahr: Messjahr
    wert: Messwert
    anmerkung: Text | None = None


class Indikator(_Record):
    """An indicator that shows whether a goal is reached (SPEC §6)."""

    titel: Titel
    einheit: Text | None = None
    art: IndikatorArt
    oberziel: Id
    massnahmen: list[Id] = []
    quelle: Text | None = None
    richtung: Richtung
    basis: Wert
    ziel: Wert
    werte: list[Wert] = []
    beschreibung: Text | None = None

    def hinweise(self) -> Iterator[Hinweis]:
        seen: dict[int, int] = {}
        for i, wert in enumerate(self.werte):
            if wert.jahr in seen:
                yield Hinweis(
                    ("werte", i, "jahr"),
                    f"Für {wert.jahr} gibt es schon einen Wert (Eintrag {seen[wert.jahr] + 1})",
                    warning=False,
                )
            seen.setdefault(wert.jahr, i)
        better = self.ziel.wert > self.basis.wert
        if self.ziel.wert != self.basis.wert and better != (self.richtung == "steigen"):
            yield Hinweis(
                ("ziel", "wert"),
                f"Der Zielwert liegt nicht in der guten Richtung „{self.richtung}“ "
                f"vom Basiswert {messwert(self.basis.wert)} aus",
            )
        if self.ziel.jahr < self.basis.jahr:
            yield Hinweis(("ziel", "jahr"), "Das Zieljahr liegt vor dem Basisjahr")
