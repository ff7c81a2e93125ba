"""The "Daten" layout: one flat row per record with every field, both ways (pure).

``ihk export`` writes it as the sheet "Daten" of a workbook and as the CSV file;
``ihk import`` reads it back so exactly that an export followed by an import changes
nothing. The columns have German headings (``vocab.feldname``); ids stay ids, months
``JJJJ-MM``, amounts numbers. Lists are joined with "; " and Nachträge and Meilensteine
written one per line (``2003-12: Text``) — readable, and what people type. Where that
form could not carry a value exactly (a list item with ";" or a line break, a text
with surrounding spaces, a cell that would start with "["), the cell holds the value
as a JSON list instead, and a cell starting with "[" is read as JSON: the round trip
is exact for every value the models allow.

The yearly plan and spending get a column per year and source ("Plan 2005 stbauf",
"Ist 2005 gemeinde"), only for the years and sources that occur, so amounts stay numbers
a spreadsheet can add up.

The parsers here are also those of hand-made tables: months are read in the forms of
``MONAT_FORMEN`` (also what a spreadsheet makes of ``2001-12``: a date), yes/no in the
forms of ``JA_NEIN_FORMEN``, numbers as numbers or German text.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ihk.kinds import KINDS, Entry, Kind, kind_named
from ihk.tabelle import ordered_entries
from ihk.vocab import (
    KOSTENGRUPPEN,
    MONATE,
    MONATE_KURZ,
    STATUS,
    feldname,
    state_named,
    zahl_aus_text,
)

#: A cell as it is written: text, a number, or nothing.
Wert = str | int | float | None

MASSNAHME, PROJEKT = "massnahme", "projekt"


@dataclass(frozen=True)
class DatenSpalte:
    """A column: its heading, how its cells are read and written (``art``), and the
    field it holds for each kind (a kind without the field has no value there)."""

    titel: str
    art: str
    felder: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def feld(self, kind: str) -> tuple[str, ...] | None:
        return self.felder.get(kind)


def _spalte(art: str, **felder: str) -> DatenSpalte:
    paths = {kind: tuple(path.split(".")) for kind, path in felder.items()}
    first = next(iter(felder.values()))
    return DatenSpalte(feldname(first), art, paths)


def _beide(art: str, path: str) -> DatenSpalte:
    return _spalte(art, massnahme=path, projekt=path)


ART = DatenSpalte("Art", "art")
KENNUNG = DatenSpalte("Kennung", "kennung")

#: The fixed columns, in their order; the plan and spending columns follow them.
FESTE_SPALTEN: tuple[DatenSpalte, ...] = (
    ART,
    KENNUNG,
    _beide("text", "titel"),
    _beide("id", "oberziel"),
    _spalte("ids", massnahme="weitere_ziele"),
    _spalte("text", projekt="programm"),
    _spalte("ids", projekt="massnahmen"),
    _beide("texte", "traeger"),
    _beide("janein", "finanzierung.staedtebaufoerderung"),
    _beide("texte", "finanzierung.sonstige"),
    _beide("betrag", "finanzierung.kosten_eur"),
    _beide("kostengruppe", "finanzierung.kostengruppe"),
    _beide("status", "status"),
    _spalte("monat", massnahme="aufgenommen"),
    _spalte("monat", massnahme="zeitraum.von", projekt="laufzeit.von"),
    _spalte("monat", massnahme="zeitraum.bis", projekt="laufzeit.bis"),
    _spalte("text", massnahme="ort"),
    _spalte("ids", massnahme="gremien"),
    _spalte("nachtraege", massnahme="nachtraege"),
    _spalte("meilensteine", projekt="meilensteine"),
    _beide("text", "beschreibung"),
)
#: Kinds the Daten layout (and the IHK table) holds.
ARTEN = (MASSNAHME, PROJEKT)

#: "Plan 2005 stbauf": the heading of an amount column.
_BETRAG_TITEL = re.compile(r"(Plan|Ist) ([0-9]{4}) ([a-z0-9][a-z0-9-]{0,63})")
_BLOCK = {"Plan": "plan", "Ist": "ist"}


def betrag_spalte(block: str, jahr: str, quelle: str) -> DatenSpalte:
    """The column of one yearly amount (``block`` "plan" or "ist")."""
    path = ("finanzierung", block, jahr, quelle)
    titel = f"{'Plan' if block == 'plan' else 'Ist'} {jahr} {quelle}"
    return DatenSpalte(titel, "betrag", {MASSNAHME: path, PROJEKT: path})


def spalte_namens(titel: str) -> DatenSpalte | None:
    """The Daten column with this heading (exactly as written by ``export``)."""
    for spalte in FESTE_SPALTEN:
        if spalte.titel == titel:
            return spalte
    match = _BETRAG_TITEL.fullmatch(titel)
    if match:
        return betrag_spalte(_BLOCK[match[1]], match[2], match[3])
    return None


@dataclass(frozen=True)
class DatenTabelle:
    """The Daten layout of some records: headings and one row of cells per record."""

    spalten: tuple[DatenSpalte, ...]
    zeilen: tuple[tuple[Wert, ...], ...]

    @property
    def kopf(self) -> tuple[str, ...]:
        return tuple(s.titel for s in self.spalten)


def _get(record: Any, path: Sequence[str]) -> Any:
    value = record
    for part in path:
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def _amount_columns(entries: Iterable[Entry], quellen: Sequence[str]) -> list[DatenSpalte]:
    found: set[tuple[str, str, str]] = set()
    for entry in entries:
        fin = getattr(entry.record, "finanzierung", None)
        for block in ("plan", "ist"):
            for jahr, sources in (getattr(fin, block, None) or {}).items():
                found.update((block, jahr, q) for q in sources)
    rank = {q: i for i, q in enumerate(quellen)}
    order = sorted(found, key=lambda b: (b[0] != "plan", b[1], rank.get(b[2], len(rank)), b[2]))
    return [betrag_spalte(*item) for item in order]


def daten_tabelle(register: Any, kinds: Sequence[Kind]) -> DatenTabelle:
    """Every record of ``kinds`` as one row, in the order of the IHK table."""
    entries = ordered_entries(register, kinds)
    names = {k.name for k in kinds}
    fixed = [s for s in FESTE_SPALTEN if not s.felder or names & s.felder.keys()]
    quellen = list(register.meta.quellen) if register.meta else []
    amounts = _amount_columns(entries, quellen)
    keys = [s.feld(MASSNAHME) for s in amounts]
    zeilen = []
    for entry in entries:
        money = _amounts(entry)
        zeilen.append(
            (*(_cell(s, entry) for s in fixed), *(zelle("betrag", money.get(k)) for k in keys))
        )
    return DatenTabelle((*fixed, *amounts), tuple(zeilen))


def _amounts(entry: Entry) -> dict[tuple[str, ...] | None, float]:
    """A record's yearly amounts by the path of their column."""
    fin = getattr(entry.record, "finanzierung", None)
    found: dict[tuple[str, ...] | None, float] = {}
    for block in ("plan", "ist"):
        for jahr, sources in (getattr(fin, block, None) or {}).items():
            for quelle, amount in sources.items():
                found[("finanzierung", block, jahr, quelle)] = amount
    return found


def _cell(spalte: DatenSpalte, entry: Entry) -> Wert:
    if spalte.art == "art":
        return entry.kind.label
    if spalte.art == "kennung":
        return entry.id
    path = spalte.feld(entry.kind.name)
    if path is None:
        return None
    return zelle(spalte.art, _get(entry.record, path))


# ----------------------------------------------------------------------- writing cells


def _lines_ok(texts: Iterable[str]) -> bool:
    return all("\n" not in t and "\r" not in t for t in texts)


def _items_ok(items: Sequence[str]) -> bool:
    return all(
        item and item == item.strip() and ";" not in item and _lines_ok([item]) for item in items
    ) and not items[0].startswith("[")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def zelle(art: str, value: Any) -> Wert:
    """The cell of a field's value (from the model) in the Daten layout."""
    if value is None:
        return None
    if art in ("ids", "texte"):
        items = [str(v) for v in value]
        if not items:
            return None
        return "; ".join(items) if _items_ok(items) else _json(items)
    if art == "janein":
        return "ja" if value else "nein"
    if art == "betrag":
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if art == "nachtraege":
        if not value:
            return None
        notes = [{"stand": n.stand, "text": n.text} for n in value]
        if _lines_ok(n["text"] for n in notes):
            return "\n".join(f"{n['stand']}: {n['text']}" for n in notes)
        return _json(notes)
    if art == "meilensteine":
        if not value:
            return None
        steps = [{"datum": m.datum, "text": m.text, "erreicht": m.erreicht} for m in value]
        if _lines_ok(m["text"] for m in steps):
            return "\n".join(
                f"{m['datum']}{' (erreicht)' if m['erreicht'] else ''}: {m['text']}" for m in steps
            )
        return _json(steps)
    return str(value)


# ----------------------------------------------------------------------- reading cells


#: The month forms a cell may have, as users are told when one is not understood.
MONAT_FORMEN = "2001-12, 12/2001, 12.2001, Dez 01, Dez. 2001 oder Dezember 2001"
#: The yes/no forms of a Stbauf. cell.
JA_NEIN_FORMEN = "Ja, x oder ✓ für ja; Nein, – oder leer für nein"

_MONAT_NAMEN: dict[str, int] = {}
for _i, (_long, _short) in enumerate(zip(MONATE, MONATE_KURZ, strict=True), start=1):
    for _name in (_long, _short, _long[:3], _short[:3]):
        _MONAT_NAMEN[_name.casefold()] = _i
_MONAT_NAMEN.update({"mrz": 3, "mär": 3, "maerz": 3, "sept": 9, "jän": 1, "jänner": 1})

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})\s*[/.]\s*([0-9]{4}|[0-9]{2})")
_NAMED = re.compile(r"([^\W\d_]+)\.?[\s'-]*([0-9]{4}|[0-9]{2})")


def _year(text: str) -> int:
    """A year; two digits are 2000–2069 or 1970–1999 (an IHK is younger than 1970)."""
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value


def monat_aus(value: Any) -> str:
    """A month as ``JJJJ-MM`` from a cell; ValueError (German) if it is none."""
    if isinstance(value, _dt.datetime | _dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = " ".join(str(value).split())
    match = _ISO.fullmatch(text)
    if match:
        year, month = int(match[1]), int(match[2])
    elif match := _NUMERIC.fullmatch(text):
        year, month = _year(match[2]), int(match[1])
    elif match := _NAMED.fullmatch(text):
        name, digits = match[1], match[2]
        month = _MONAT_NAMEN.get(name.casefold(), 0)
        if not month:
            raise ValueError(f"„{name}“ ist kein Monat; erwartet z. B. {MONAT_FORMEN}")
        year = _year(digits)
    else:
        raise ValueError(f"„{text}“ ist kein Monat; erwartet z. B. {MONAT_FORMEN}")
    if not 1 <= month <= 12:
        raise ValueError(f"„{text}“: Monat {month} gibt es nicht")
    return f"{year:04d}-{month:02d}"


_JA = {"ja", "j", "x", "✓", "✔", "true", "wahr", "1", "yes"}
_NEIN = {"nein", "n", "–", "-", "—", "false", "falsch", "0", "no", ""}


def ja_nein_aus(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip().casefold()
    if text in _JA:
        return True
    if text in _NEIN:
        return False
    raise ValueError(f"„{value}“ ist weder ja noch nein; erlaubt: {JA_NEIN_FORMEN}")


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:,[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def betrag_aus(value: Any) -> int | float:
    """An amount from a number cell or from German text ("12.000", "12.000,50 €");
    the plain forms ihk writes into CSV ("12000,5") come back exactly."""
    if isinstance(value, bool):
        raise ValueError(f"„{value}“ ist keine Zahl")
    if isinstance(value, _dt.datetime | _dt.date):
        raise ValueError(f"ein Datum ({value:%d.%m.%Y}) statt einer Zahl")
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip()
        if _PLAIN_NUMBER.fullmatch(text):
            plain = text.replace(",", ".")
            number = int(plain) if plain.isdigit() else float(plain)
        else:
            number = zahl_aus_text(text)
    if not math.isfinite(number):
        raise ValueError(f"„{value}“ ist keine Zahl")
    if isinstance(number, int) and float(number) != number:
        # an amount is kept as a float: 12345678901234567890 would become …7168
        raise ValueError(
            f"„{value}“: Zahl mit zu vielen Stellen (höchstens 15); sie bliebe nicht genau so"
        )
    if number < 0:
        raise ValueError(f"„{value}“: Beträge sind nicht negativ")
    return number


def status_aus(value: Any) -> str:
    """A state from its id, its German words or its colour in the legend ("Grün")."""
    text = " ".join(str(value).split())
    state = state_named(text)
    if state is None:
        state = next((s for s, w in STATUS.items() if w.farbe.casefold() == text.casefold()), None)
    if state is None:
        words = ", ".join(f"{w.kurz} ({w.farbe})" for w in STATUS.values())
        raise ValueError(f"Umsetzungsstand „{text}“ gibt es nicht; erlaubt: {words}")
    return state


def kostengruppe_aus(value: Any) -> str:
    text = " ".join(str(value).split()).casefold()
    for key, label in KOSTENGRUPPEN.items():
        if text in (key, label.casefold(), label.split(" (")[0].casefold()):
            return key
    raise ValueError(f"Kostengruppe „{value}“ gibt es nicht; erlaubt: {', '.join(KOSTENGRUPPEN)}")


def art_aus(value: Any) -> str:
    """The kind of a Daten row ("Maßnahme", "Projekt", or a kind's other names)."""
    from ihk.errors import UsageError

    try:
        kind = kind_named(str(value))
    except UsageError:
        kind = None
    if kind is None or kind.name not in ARTEN:
        labels = " oder ".join(KINDS[k].label for k in ARTEN)
        raise ValueError(f"Art „{value}“: erwartet {labels}")
    return kind.name


def text_aus(value: Any) -> str:
    """A text cell's text. A truth value or a date is refused, not written as "True" or
    "2001-12-01 00:00:00": a spreadsheet made it of what was typed ("wahr", "Dez 01")."""
    if isinstance(value, bool):
        word = "WAHR" if value else "FALSCH"
        raise ValueError(
            f"ein Wahrheitswert ({word}) statt eines Textes; ist das Wort gemeint, bitte "
            "die Zelle als Text formatieren"
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime | _dt.date):
        raise ValueError(f"ein Datum ({value:%d.%m.%Y}) statt eines Textes")
    return str(value)


def _json_list(text: str, what: str) -> list[Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError(
            f"„{text[:40]}“: eine Zelle, die mit „[“ beginnt, muss eine JSON-Liste sein ({what})"
        ) from None
    if not isinstance(value, list):
        raise ValueError(f"„{text[:40]}“ ist keine JSON-Liste ({what})")
    return value


def liste_aus(value: Any) -> list[str]:
    """A list cell: items separated by ";" (or a JSON list of texts)."""
    text = text_aus(value)
    if text.startswith("["):
        items = _json_list(text, "von Texten")
        if not all(isinstance(i, str) for i in items):
            raise ValueError(f"„{text[:40]}“: die JSON-Liste darf nur Texte enthalten")
        return items
    return [item.strip() for item in text.split(";") if item.strip()]


_NACHTRAG = re.compile(r"([0-9]{4}-[0-9]{2}): (.*)")
_MEILENSTEIN = re.compile(r"([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)( \(erreicht\))?: (.*)")


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def nachtraege_aus(value: Any) -> list[dict[str, Any]]:
    text = text_aus(value)
    if text.startswith("["):
        items = _json_list(text, "von {stand, text}")
        if not all(isinstance(i, dict) and set(i) == {"stand", "text"} for i in items):
            raise ValueError('die JSON-Liste braucht Einträge {"stand": …, "text": …}')
        return items
    found = []
    for line in _lines(text):
        match = _NACHTRAG.fullmatch(line)
        if not match:
            raise ValueError(f"„{line[:40]}“: erwartet je Zeile „JJJJ-MM: Text“")
        found.append({"stand": match[1], "text": match[2]})
    return found


def meilensteine_aus(value: Any) -> list[dict[str, Any]]:
    text = text_aus(value)
    if text.startswith("["):
        items = _json_list(text, "von {datum, text, erreicht}")
        if not all(isinstance(i, dict) and {"datum", "text"} <= set(i) for i in items):
            raise ValueError('die JSON-Liste braucht Einträge {"datum": …, "text": …}')
        return items
    found = []
    for line in _lines(text):
        match = _MEILENSTEIN.fullmatch(line)
        if not match:
            raise ValueError(f"„{line[:40]}“: erwartet je Zeile „JJJJ-MM: Text“ oder "
                             "„JJJJ-MM (erreicht): Text“")  # fmt: skip
        found.append({"datum": match[1], "text": match[3], "erreicht": bool(match[2])})
    return found


def wert_aus(art: str, value: Any) -> Any:
    """The field value of a Daten cell (not empty); ValueError with a German message."""
    if art in ("text", "id", "kennung"):
        return text_aus(value)
    if art in ("ids", "texte"):
        return liste_aus(value)
    if art == "janein":
        return ja_nein_aus(value)
    if art == "betrag":
        return betrag_aus(value)
    if art == "monat":
        return monat_aus(value)
    if art == "status":
        return status_aus(value)
    if art == "kostengruppe":
        return kostengruppe_aus(value)
    if art == "nachtraege":
        return nachtraege_aus(value)
    if art == "meilensteine":
        return meilensteine_aus(value)
    if art == "art":
        return art_aus(value)
    raise KeyError(art)
