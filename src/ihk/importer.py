"""Reading an IHK table (pure): a sheet of cells in, records with their cells out.

Two layouts are read:

- **Daten** — the sheet "Daten" or the CSV that ``ihk export`` writes: a header row of
  exactly its column headings (with "Kennung"), one row per record. Every cell is read
  with the codec of its column (``daten.wert_aus``), exactly; an empty cell means the
  field is not set.
- **Tabelle** — a table as people keep it (the seed's "Ausschnitt IHK"): a title above
  the header perhaps, a header found by tolerant column names (``SPALTEN``; a second
  header row such as "Stbauf. | Sonst. F." under "Vorgesehene Finanzierung" is joined),
  heading rows "Oberziel: …", one row per measure, "Nachtrag …" rows attached to the
  measure above (their other cells add to its lists), blank rows, sum rows and a colour
  legend below. Months in the forms of ``daten.MONAT_FORMEN``, Stbauf. as Ja/x/–, lists
  split at ";" "," or line breaks (not inside parentheses), the state from a Status
  column or from the row's colour (the nearest colour of the legend – the sheet's own
  legend if it has one).

Either way a column the sheet has sets its field (an empty cell removes it), a column
it lacks leaves the field as it is; Nachtrag rows only add. Goals are matched to the
catalogue by id or title (``--neue-ziele`` adds what is missing). Every cell that cannot
be mapped is a ``Problem`` at ``FILE:SHEET!B7`` (a workbook) or ``FILE:7:2`` (CSV).
"""

from __future__ import annotations

import colorsys
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ihk.daten import (
    DatenSpalte,
    betrag_aus,
    ja_nein_aus,
    kostengruppe_aus,
    monat_aus,
    spalte_namens,
    status_aus,
    text_aus,
    wert_aus,
)
from ihk.errors import Location, Problem
from ihk.vocab import STATUS, feldname
from ihk.xlsx import ReadCell, column_letter

DATEN, TABELLE = "daten", "tabelle"


# ------------------------------------------------------------------------------ cells


@dataclass(frozen=True)
class Blatt:
    """A sheet to read: its cells (rows from 1) and how positions are shown."""

    datei: str  # as shown in messages
    name: str | None  # the sheet's name (a workbook), None for CSV
    zeilen: Sequence[Sequence[ReadCell]]

    def ort(self, row: int, col: int) -> Location:
        if self.name is None:
            return Location(self.datei, row, col)
        return Location(self.datei, row, col, f"{self.zitat}!{column_letter(col)}{row}")

    @property
    def zitat(self) -> str:
        """The sheet's name as a cell reference writes it ('IHK 2003'!B7)."""
        sheet = self.name or ""
        if re.fullmatch(r"[A-Za-z0-9_ÄÖÜäöüß]+", sheet):
            return sheet
        return "'" + sheet.replace("'", "''") + "'"

    def zelle(self, row: int, col: int) -> ReadCell:
        cells = self.zeilen[row - 1] if row <= len(self.zeilen) else ()
        return cells[col - 1] if col <= len(cells) else ReadCell()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NICHTS = ReadCell()


def _leer(cell: ReadCell) -> bool:
    """A cell with nothing in it: no value, no formula, no error value."""
    return (cell.value is None or cell.value == "") and not cell.formula and not cell.error


def _fold(value: Any) -> str:
    return " ".join(str(value).split())


# --------------------------------------------------------------------------- results


@dataclass
class Eintrag:
    """One record read from the sheet: what the sheet says about it."""

    art: str  # kind name
    zeile: int  # its row
    titel_ort: Location
    kennung: str | None  # given in the sheet (a Kennung column), else None
    #: Field values by dotted path (``finanzierung.sonstige``); only what the sheet gives.
    werte: dict[str, Any] = field(default_factory=dict)
    #: Paths the sheet sets: a column it has (an empty cell there removes the field).
    gesetzt: set[str] = field(default_factory=set)
    #: The column each path's value came from (its row is ``zeile``).
    spalten: dict[str, int] = field(default_factory=dict)
    #: Nachträge to add (from Nachtrag rows), and list items to add with them.
    neue_nachtraege: list[dict[str, str]] = field(default_factory=list)
    zusaetze: dict[str, list[Any]] = field(default_factory=dict)
    #: The state was not given (no Status column, no colours): a new record gets the
    #: default, an existing one keeps its own.
    status_offen: bool = False

    @property
    def titel(self) -> str:
        return str(self.werte.get("titel", ""))

    def ort(self, path: str, blatt: Blatt) -> Location:
        """Where the value of ``path`` came from (else the row's title cell)."""
        if path in self.spalten:
            return blatt.ort(self.zeile, self.spalten[path])
        return self.titel_ort


@dataclass(frozen=True)
class NeuesZiel:
    id: str
    titel: str


@dataclass
class Einlesung:
    """What a sheet holds, read and mapped: records, new goals, notes, problems."""

    layout: str
    eintraege: list[Eintrag] = field(default_factory=list)
    neue_ziele: list[NeuesZiel] = field(default_factory=list)
    #: Things said about the reading (German): rows skipped, defaults taken, …
    hinweise: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Katalog:
    """What the register knows that a sheet is mapped to."""

    ziele: Mapping[str, str]  # goal id -> title, in catalogue order
    gremien: frozenset[str] = frozenset()
    massnahmen: frozenset[str] = frozenset()  # ids of existing measures


# ------------------------------------------------------------------------------ goals

_STOP = frozenset(
    [
        "und",
        "der",
        "die",
        "das",
        "des",
        "den",
        "dem",
        "für",
        "von",
        "mit",
        "im",
        "in",
        "zur",
        "zum",
        "am",
        "an",
        "auf",
        "bei",
    ]
)


def _words(text: str) -> list[str]:
    text = text.casefold().replace("&", " und ")
    text = re.sub(r"\bu\.", " und ", text)
    return re.findall(r"[^\W_]+", text)


def _key(text: str) -> str:
    return " ".join(_words(text))


class Ziele:
    """Goals by id or title, with the new ones an import adds (``--neue-ziele``)."""

    def __init__(self, katalog: Mapping[str, str], neue: bool, slug: Callable[[str], str]):
        self.katalog = dict(katalog)
        self.neue_erlaubt = neue
        self.neue: dict[str, NeuesZiel] = {}  # by normalized title
        self.slug = slug

    def finde(self, text: str) -> str | None:
        """The goal ``text`` names: its id, its title (case, punctuation and "u." for
        "und" aside, words in any order), or the only goal whose title has every word
        of the text that matters ("Qualifizierung")."""
        folded = _fold(text)
        if folded in self.katalog:
            return folded
        key = _key(folded)
        titles = {
            **{g: t for g, t in self.katalog.items()},
            **{z.id: z.titel for z in self.neue.values()},
        }
        for goal, title in titles.items():
            if _key(title) == key:
                return goal
        words = set(_words(folded))
        for goal, title in titles.items():
            if words and set(_words(title)) == words:
                return goal
        wanted = {w for w in words if w not in _STOP and len(w) > 3}
        if wanted:
            found = [g for g, t in titles.items() if wanted <= set(_words(t))]
            if len(found) == 1:
                return found[0]
        return None

    def ziel(self, text: str) -> str:
        """``finde``, else a new goal (``--neue-ziele``), else ValueError (German)."""
        found = self.finde(text)
        if found is not None:
            return found
        title = _fold(text)
        if self.neue_erlaubt and title:
            ident = self.slug(title) or "ziel"
            base, n = ident, 2
            while ident in self.katalog or ident in {z.id for z in self.neue.values()}:
                suffix = f"-{n}"
                ident, n = base[: 64 - len(suffix)] + suffix, n + 1
            self.neue[_key(title)] = NeuesZiel(ident, title)
            return ident
        close = difflib.get_close_matches(
            title.casefold(), [t.casefold() for t in self.katalog.values()], n=1, cutoff=0.6
        )
        hint = ""
        if close:
            shown = next(t for t in self.katalog.values() if t.casefold() == close[0])
            hint = f" – meinten Sie „{shown}“?"
        raise ValueError(
            f"Ziel „{title}“ steht nicht im Zielkatalog{hint} (Kennung oder Titel aus "
            "ihk.yaml; --neue-ziele nimmt es in den Katalog auf)"
        )


# ---------------------------------------------------------------------------- headers


def _header_name(value: Any) -> str:
    text = _fold(value).lower().replace("ß", "ss").replace("ae", "ä").replace("ue", "ü")
    text = re.sub(r"\s*/\s*", "/", text).rstrip(":").strip()
    return text


#: Hand-made tables: the field of each column name (normalized: lower case, single
#: spaces, no space around "/", no trailing ":").
SPALTEN: dict[str, str] = {}
for _field, _names in {
    "titel": "maßnahme maßnahmen maßnahmen/projekte maßnahme/projekt maßnahmen/projekt "
    "projekt projekte titel bezeichnung vorhaben massnahme massnahmen",
    "weitere_ziele": "weitere ziele|weiteres ziel|ziele|nebenziele|weitere oberziele",
    "traeger": "träger|ausführende träger/beteiligte|träger/beteiligte|ausführende träger|"
    "beteiligte|ausführender träger|traeger",
    "finanzierung.staedtebaufoerderung": "stbauf.|stbauf|städtebauförderung|stbf.|stbf|"
    "städtebauf.|städtebaufördermittel",
    "finanzierung.sonstige": "sonst. f.|sonst.f.|sonstige finanzierung|sonst. finanzierung|"
    "sonstige förderung|sonstige|weitere finanzierung|andere finanzierung|sonstige mittel",
    "finanzierung.kosten_eur": "kosten|kosten (€)|kosten in €|kosten (eur)|kosten in eur|"
    "kosten in euro|gesamtkosten|geschätzte kosten|kosten €",
    "finanzierung.kostengruppe": "kostengruppe",
    "aufgenommen": "aufn. in konzept|aufnahme in konzept|aufnahme ins konzept|aufnahme|"
    "aufgenommen|aufn.|aufn|in konzept seit|seit",
    "status": "status|stand|umsetzungsstand|zustand|sachstand|umsetzung",
    "oberziel": "oberziel|handlungsfeld|leitziel",
    "ort": "ort|standort|lage",
    "beschreibung": "beschreibung|bemerkung|bemerkungen|anmerkung|anmerkungen|kommentar|"
    "kommentare|erläuterung|erläuterungen|hinweis|hinweise|notiz|notizen",
    "gremien": "gremien|gremium",
    "kennung": "kennung|id",
}.items():
    for _name in _names.split("|") if "|" in _names else _names.split():
        SPALTEN[_header_name(_name)] = _field
#: Columns that carry nothing to keep (a running number).
IGNORIERT = frozenset(
    _header_name(n)
    for n in ("nr.", "nr", "lfd. nr.", "lfd.nr.", "lfd. nr", "nummer", "pos.", "pos", "#")
)
#: Headings over other headings ("Vorgesehene Finanzierung" over Stbauf./Sonst. F.).
UEBER = frozenset(
    _header_name(n) for n in ("vorgesehene finanzierung", "finanzierung", "geplante finanzierung")
)
#: The fields of a hand-made table, as the user is told.
SPALTEN_TEXT = (
    "Maßnahmen/Projekte, Weitere Ziele, Ausführende Träger/Beteiligte, Stbauf., Sonst. F., "
    "Kosten, Kostengruppe, Aufn. in Konzept, Status (oder Stand), Oberziel, Ort, "
    "Bemerkung (oder Beschreibung), Gremien, Kennung, Nr."
)


def spalte_von(value: Any) -> str | None:
    """The field a hand-made column heading names (``kennung`` for the id), or None."""
    name = _header_name(value)
    if name in SPALTEN:
        return SPALTEN[name]
    for needle, found in (
        ("träger", "traeger"), ("stbauf", "finanzierung.staedtebaufoerderung"),
        ("städtebauf", "finanzierung.staedtebaufoerderung"),
        ("sonst", "finanzierung.sonstige"), ("kosten", "finanzierung.kosten_eur"),
        ("aufn", "aufgenommen"), ("weitere ziel", "weitere_ziele"), ("maßnahme", "titel"),
        ("bemerk", "beschreibung"), ("anmerk", "beschreibung"),
    ):  # fmt: skip
        if _header_name(needle) in name:
            return found
    return None


@dataclass
class _Kopf:
    row: int  # the last header row; data follows
    spalten: dict[int, str]  # column -> field (hand-made)
    daten: dict[int, DatenSpalte] = field(default_factory=dict)
    first: int = 0  # the first header row (a two-row header starts above ``row``)
    #: Header cells that name nothing this layout knows: (column, text).
    unbekannt: list[tuple[int, str]] = field(default_factory=list)


def _daten_kopf(blatt: Blatt, row: int) -> _Kopf | None:
    """The header of the Daten layout: "Art", "Kennung" and "Titel" among mostly its
    headings (a column it does not know is a problem there)."""
    found: dict[int, DatenSpalte] = {}
    unknown: list[tuple[int, str]] = []
    for col, cell in enumerate(blatt.zeilen[row - 1], start=1):
        if _empty(cell.value):
            continue
        spalte = spalte_namens(_fold(cell.value))
        if spalte is None:
            unknown.append((col, _fold(cell.value)))
        else:
            found[col] = spalte
    titles = {s.titel for s in found.values()}
    if not {"Art", "Kennung", "Titel"} <= titles or len(unknown) >= len(found):
        return None
    return _Kopf(row, {c: s.titel for c, s in found.items()}, found, row, unknown)


def ist_daten(zeilen: Sequence[Sequence[ReadCell]]) -> bool:
    """Whether a sheet is in the Daten layout (its header among the first 30 rows)."""
    blatt = Blatt("", None, zeilen)
    return any(_daten_kopf(blatt, r) for r in range(1, min(len(zeilen), 30) + 1))


def _find_header(blatt: Blatt) -> _Kopf | None:
    for row in range(1, min(len(blatt.zeilen), 30) + 1):
        daten = _daten_kopf(blatt, row)
        if daten is not None:
            return daten
        named = {c: spalte_von(cell.value) for c, cell in enumerate(blatt.zeilen[row - 1], start=1)
                 if not _empty(cell.value)}  # fmt: skip
        fields = [f for f in named.values() if f]
        if "titel" in fields and len(fields) >= 2:
            kopf = _Kopf(row, {c: f for c, f in named.items() if f}, first=row)
            _second_row(blatt, kopf)
            for r in range(kopf.first, kopf.row + 1):
                for col, cell in enumerate(blatt.zeilen[r - 1], start=1):
                    name = _header_name(cell.value) if not _empty(cell.value) else ""
                    if name and spalte_von(cell.value) is None and name not in IGNORIERT | UEBER:
                        kopf.unbekannt.append((col, _fold(cell.value)))
            return kopf
    return None


def _second_row(blatt: Blatt, kopf: _Kopf) -> None:
    """Join a second header row ("Stbauf. | Sonst. F." under "Vorgesehene Finanzierung")."""
    row = kopf.row + 1
    if row > len(blatt.zeilen):
        return
    below = {c: cell.value for c, cell in enumerate(blatt.zeilen[row - 1], start=1)
             if not _empty(cell.value)}  # fmt: skip
    if not below:
        return
    # only names under an empty or over-arching heading ("Vorgesehene Finanzierung"),
    # and only exact column names: a heading row "Oberziel: Soziale Träger …" is no header
    above = blatt.zeilen[kopf.row - 1]
    for col in below:
        over = above[col - 1].value if col <= len(above) else None
        if not _empty(over) and _header_name(over) not in UEBER:
            return
    fields = {c: SPALTEN.get(_header_name(v)) for c, v in below.items()}
    if not all(fields.values()) or "titel" in fields.values():
        return
    for col, found in fields.items():
        assert found is not None
        kopf.spalten[col] = found
    kopf.row = row


# ------------------------------------------------------------------------ lists, colours

_SPLIT = re.compile(r"[;,\n]")


def teile(text: Any) -> list[str]:
    """A list cell of a hand-made table: items split at ";", "," and line breaks, but
    not inside parentheses ("Diakonie (Sozialstation), Bewohnerinnen")."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in str(text):
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if depth == 0 and _SPLIT.match(char):
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [_fold(i) for i in items if _fold(i)]


#: The colours a colour word of a legend stands for (Excel's standard colours).
_FARBWORTE: dict[str, tuple[str, ...]] = {
    "grün": ("00B050", "92D050", "008000"),
    "blau": ("0070C0", "00B0F0", "0000FF", "4472C4"),
    "rot": ("FF0000", "C00000"),
    "schwarz": ("000000",),
    "grau": ("808080",),
    "gelb": ("FFFF00",),
    "orange": ("FFC000",),
    "lila": ("7030A0",),
    "violett": ("7030A0",),
}
_FARBWORTE["gruen"] = _FARBWORTE["grün"]


def _hls(rgb: str) -> tuple[float, float, float]:
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hls(r, g, b)


def _white(rgb: str | None) -> bool:
    return rgb is None or _hls(rgb)[1] > 0.93


def _chromatic(rgb: str | None) -> bool:
    if rgb is None:
        return False
    _, light, sat = _hls(rgb)
    return sat >= 0.25 and 0.12 <= light <= 0.93


#: How near (hue, degrees) a row's colour must be to a legend colour to count as it:
#: Excel's yellow (60°) is 24° from its light green (92D050), orange (45°) as far from
#: red, and neither is a state of the legend.
_NAH = 20.0
#: How much nearer one legend colour must be than the next for a row's colour to
#: count as that one.
_EINDEUTIG = 10.0


class Legende:
    """Colours to states: the IHK's legend (``vocab.STATUS``), or the sheet's own."""

    def __init__(self) -> None:
        self.farben: dict[str, list[str]] = {
            s: [w.schrift, w.fuellung, *_FARBWORTE[w.farbe.casefold()]] for s, w in STATUS.items()
        }
        self.eigene = False

    def lerne(self, state: str, colours: Iterable[str]) -> None:
        """The sheet's legend shows ``state`` in ``colours``: that counts from now on."""
        if not self.eigene:
            self.farben = {s: [] for s in STATUS}
            self.eigene = True
        self.farben[state].extend(colours)

    def status(self, rgb: str) -> str | None:
        """The state of the nearest legend colour (hue less than ``_NAH`` away); black and
        grey are the state shown in black; None if no legend colour is near."""
        if not _chromatic(rgb):
            dark = [
                s
                for s, colours in self.farben.items()
                if any(not _chromatic(c) and not _white(c) for c in colours)
            ]
            return dark[0] if dark else None
        near = self.nahe(rgb)
        return near[0][1] if near else None

    def nahe(self, rgb: str) -> list[tuple[float, str]]:
        """(hue distance in degrees, state) of each state with a legend colour less than
        ``_NAH`` from the chromatic ``rgb``, nearest first."""
        hue = _hls(rgb)[0] * 360
        found = []
        for state, colours in self.farben.items():
            distances = []
            for colour in colours:
                if _chromatic(colour):
                    d = abs(hue - _hls(colour)[0] * 360)
                    distances.append(min(d, 360 - d))
            if distances and min(distances) < _NAH:
                found.append((min(distances), state))
        return sorted(found)


# ------------------------------------------------------------------------------ rows

_UEBERSCHRIFT = re.compile(
    r"(?:Oberziel|Leitziel|Handlungsfeld|Ziel)(?:\s*\d+)?\s*[:.–-]\s*(?P<titel>.+)", re.I
)
_NACHTRAG = re.compile(
    r"Nachtrag\b\.?(?P<monat>\s*(?:[^\W\d_]+\.?[\s'-]*|[0-9]{1,2}\s*[/.]\s*)?[0-9]{2,4}"
    r"(?:-[0-9]{1,2})?)?\s*[:–-]?\s*(?P<text>.*)",
    re.I | re.S,
)
_SUMME = re.compile(r"(?:Summe|Gesamt|Insgesamt|Zwischensumme)\b", re.I)
_LEGENDE = re.compile(
    r"(?P<farbe>grün|gruen|blau|rot|schwarz|grau|gelb|orange|lila|violett)\s*[=:–-]\s*(?P<text>.+)",
    re.I,
)


@dataclass
class _Leser:
    blatt: Blatt
    ziele: Ziele
    katalog: Katalog
    result: Einlesung

    def problem(self, row: int, col: int, message: str) -> None:
        self.result.problems.append(Problem(self.blatt.ort(row, col), message))

    def value(self, row: int, col: int) -> Any:
        """A cell's value; a formula without a saved result or an error value is a
        problem (nothing is ever computed here)."""
        cell = self.blatt.zelle(row, col)
        if cell.error:
            self.problem(row, col, f"Fehlerwert {cell.error} statt eines Werts")
            return None
        if cell.ohne_jahr:
            self.problem(
                row,
                col,
                f"ein Datum, das Excel ohne Jahr zeigt ({cell.value:%d.%m.}; gespeichert "
                f"{cell.value:%d.%m.%Y}) – aus „Dez 01“ macht Excel den 1. Dezember des "
                "Jahres, in dem es getippt wurde; bitte den Monat als Text eingeben "
                "(„Dez 2001“, „2001-12“)",
            )
            return None
        if cell.formula and cell.value is None:
            self.problem(
                row,
                col,
                f"Formel {cell.formula[:40]} ohne gespeichertes Ergebnis – ihk rechnet nicht; "
                "bitte in Excel öffnen und speichern oder den Wert statt der Formel einfügen",
            )
            return None
        return cell.value


# ------------------------------------------------------------------------ Daten layout


def _daten(leser: _Leser, kopf: _Kopf) -> None:
    blatt = leser.blatt
    for col, text in kopf.unbekannt:
        leser.problem(
            kopf.row,
            col,
            f"Spalte „{text}“ gehört nicht zum Blatt „Daten“ von "
            "ihk export; bitte umbenennen oder löschen",
        )
    seen: dict[str, int] = {}
    for col, spalte in sorted(kopf.daten.items()):
        if spalte.titel in seen:
            leser.problem(
                kopf.row,
                col,
                f"die Spalte „{spalte.titel}“ gibt es schon "
                f"(Spalte {column_letter(seen[spalte.titel])})",
            )
        seen.setdefault(spalte.titel, col)
    for col in [c for c, s in kopf.daten.items() if seen[s.titel] != c]:
        del kopf.daten[col]
    art_col = next((c for c, s in kopf.daten.items() if s.art == "art"), None)
    title_col = next(c for c, s in kopf.daten.items() if s.titel == "Titel")
    # per kind, the columns of its fields (path, codec) — the same for every row
    felder: dict[str, list[tuple[int, DatenSpalte, str]]] = {}
    for kind in ("massnahme", "projekt"):
        felder[kind] = [
            (c, s, ".".join(path))
            for c, s in kopf.daten.items()
            if (path := s.feld(kind)) is not None
        ]
    spalten = {kind: {dotted: c for c, _, dotted in cols} for kind, cols in felder.items()}
    fremd = {
        kind: [(c, s) for c, s in kopf.daten.items() if s.felder and s.feld(kind) is None]
        for kind in felder
    }
    kennung_col = next((c for c, s in kopf.daten.items() if s.art == "kennung"), None)
    width = max(kopf.daten)
    for row in range(kopf.row + 1, len(blatt.zeilen) + 1):
        cells = blatt.zeilen[row - 1]
        if not cells:
            continue
        for col in range(width + 1, len(cells) + 1):
            if not _empty(cells[col - 1].value):
                leser.problem(row, col, "Zelle ohne Spaltenüberschrift")
        if all(_leer(c) for c in cells[:width]):
            continue
        art = "massnahme"
        if art_col is not None and not _empty(blatt.zelle(row, art_col).value):
            try:
                art = wert_aus("art", leser.value(row, art_col))
            except ValueError as e:
                leser.problem(row, art_col, str(e))
                continue
        eintrag = Eintrag(art, row, blatt.ort(row, title_col), None)
        eintrag.gesetzt = set(spalten[art])
        eintrag.spalten = dict(spalten[art])
        if kennung_col is not None:
            raw = leser.value(row, kennung_col)
            if raw is not None and raw != "":
                eintrag.kennung = str(raw).strip()
                eintrag.spalten["kennung"] = kennung_col
        for col, spalte in fremd[art]:
            raw = blatt.zelle(row, col).value
            if raw is not None and raw != "":
                label = "Maßnahmen" if art == "massnahme" else "Projekte"
                leser.problem(row, col, f"{label} haben kein Feld „{spalte.titel}“")
        for col, spalte, dotted in felder[art]:
            cell = cells[col - 1] if col <= len(cells) else _NICHTS
            if _leer(cell):
                continue
            raw = leser.value(row, col)
            if raw is None or raw == "":
                continue
            try:
                value = wert_aus(spalte.art, raw)
                if spalte.titel == "Oberziel":
                    value = leser.ziele.ziel(str(value))
                elif spalte.titel == "Weitere Ziele":
                    value = [leser.ziele.ziel(v) for v in value]
            except ValueError as e:
                leser.problem(row, col, str(e))
                continue
            eintrag.werte[dotted] = value
        leser.result.eintraege.append(eintrag)


# ---------------------------------------------------------------------- the hand-made table


def _tabelle(leser: _Leser, kopf: _Kopf) -> None:
    blatt = leser.blatt
    by_field: dict[str, int] = {}
    for col, name in sorted(kopf.spalten.items()):
        if name in by_field:
            leser.problem(
                kopf.row,
                col,
                f"die Spalte „{feldname(name)}“ gibt es schon "
                f"(Spalte {column_letter(by_field[name])})",
            )
            continue
        by_field[name] = col
    for col, text in kopf.unbekannt:
        row = kopf.row if _fold(blatt.zelle(kopf.row, col).value) == text else kopf.first
        leser.problem(row, col, f"Spalte „{text}“ kenne ich nicht; erkannt werden: {SPALTEN_TEXT}")
    title_col = by_field["titel"]
    status_col = by_field.get("status")
    legend = Legende()
    rows = list(range(kopf.row + 1, len(blatt.zeilen) + 1))
    # the legend may stand below the table: learn its colours first
    for row in rows:
        filled = [c for c in blatt.zeilen[row - 1] if not _empty(c.value)]
        if len(filled) != 1 or not isinstance(filled[0].value, str):
            continue
        match = _LEGENDE.fullmatch(_fold(filled[0].value))
        if not match:
            continue
        try:
            state = status_aus(match["text"])
        except ValueError:
            continue
        cell = filled[0]
        # the colour the line shows, else the colours its word stands for ("Grün = …"
        # in black text is still green)
        shown = next((c for c in (cell.fill, cell.color) if c and _chromatic(c)), None)
        legend.lerne(state, [shown] if shown else _FARBWORTE[match["farbe"].casefold()])
    goal: str | None = None
    goal_col = by_field.get("oberziel")
    current: Eintrag | None = None
    coloured: list[tuple[Eintrag, ReadCell]] = []
    headings = _header_texts(blatt, kopf)
    repeated: list[int] = []
    for row in rows:
        cells = {c: cell for c, cell in enumerate(blatt.zeilen[row - 1], start=1)
                 if not _empty(cell.value) or cell.formula or cell.error}  # fmt: skip
        if not cells:
            continue
        if len(cells) >= 2 and all(
            isinstance(cell.value, str) and _header_name(cell.value) in headings.get(col, ())
            for col, cell in cells.items()
        ):
            repeated.append(row)  # a table from Word repeats its header on every page
            continue
        title = blatt.zelle(row, title_col).value
        title_text = _fold(title) if not _empty(title) else ""
        only = len(cells) == 1
        if only and isinstance(next(iter(cells.values())).value, str):
            text = _fold(next(iter(cells.values())).value)
            if _LEGENDE.fullmatch(text):
                continue
            heading = _UEBERSCHRIFT.fullmatch(text)
            known = leser.ziele.finde(text) if not heading else None
            if heading or (
                known is not None and _key(text) == _key(leser.ziele.katalog.get(known, ""))
            ):
                col = next(iter(cells))
                try:
                    goal = leser.ziele.ziel(heading["titel"] if heading else text)
                except ValueError as e:
                    leser.problem(row, col, str(e))
                    goal = None
                current = None
                continue
        aufn_col = by_field.get("aufgenommen")
        aufn = blatt.zelle(row, aufn_col).value if aufn_col else None
        nachtrag_title = (
            _NACHTRAG.fullmatch(title_text)
            if title_text.casefold().startswith("nachtrag")
            else None
        )
        nachtrag_aufn = (
            _NACHTRAG.fullmatch(_fold(aufn))
            if isinstance(aufn, str) and _fold(aufn).casefold().startswith("nachtrag")
            else None
        )
        if nachtrag_title or nachtrag_aufn:
            _nachtrag(leser, row, by_field, current, nachtrag_title, nachtrag_aufn, title_text)
            continue
        if _SUMME.match(title_text):
            leser.result.hinweise.append(
                f"Zeile {row} ({title_text[:30]}) übersprungen: eine Summe"
            )
            continue
        if not title_text:
            col = min(cells)
            leser.problem(
                row,
                col,
                "Zeile ohne Maßnahme: die Spalte „Maßnahmen/Projekte“ ist leer (gehört die "
                "Zeile als Nachtrag zur Maßnahme darüber, bitte „Nachtrag MONAT“ in die Spalte "
                "„Aufn. in Konzept“ schreiben)",
            )
            continue
        current = _massnahme(leser, row, by_field, goal, goal_col)
        if current is None:
            continue
        if status_col is None:
            coloured.append((current, blatt.zelle(row, title_col)))
    _colours(leser, coloured, legend)
    if repeated:
        listed = ", ".join(map(str, repeated))
        leser.result.hinweise.append(
            f"{'Zeile' if len(repeated) == 1 else 'Zeilen'} {listed} "
            f"{'wiederholt' if len(repeated) == 1 else 'wiederholen'} die Kopfzeile: übergangen"
        )


def _header_texts(blatt: Blatt, kopf: _Kopf) -> dict[int, set[str]]:
    """The header's texts by column (both rows of a two-row header)."""
    texts: dict[int, set[str]] = {}
    for r in range(kopf.first, kopf.row + 1):
        for col, cell in enumerate(blatt.zeilen[r - 1], start=1):
            if not _empty(cell.value):
                texts.setdefault(col, set()).add(_header_name(cell.value))
    return texts


def _massnahme(
    leser: _Leser, row: int, by_field: dict[str, int], goal: str | None, goal_col: int | None
) -> Eintrag | None:
    blatt = leser.blatt
    title_col = by_field["titel"]
    eintrag = Eintrag("massnahme", row, blatt.ort(row, title_col), None)
    eintrag.werte["titel"] = _fold(blatt.zelle(row, title_col).value)
    eintrag.gesetzt.add("titel")
    eintrag.spalten["titel"] = title_col
    for name, col in by_field.items():
        if name == "titel":
            continue
        raw = leser.value(row, col)
        if name == "kennung":
            if not _empty(raw):
                eintrag.kennung = _fold(raw)
                eintrag.spalten["kennung"] = col
            continue
        eintrag.gesetzt.add(name)
        eintrag.spalten[name] = col
        try:
            value = _handmade(leser, name, raw)
        except ValueError as e:
            leser.problem(row, col, str(e))
            continue
        if value is not None:
            eintrag.werte[name] = value
    if goal_col is None:
        eintrag.gesetzt.add("oberziel")
        eintrag.spalten["oberziel"] = title_col
        if goal is None:
            leser.problem(
                row,
                title_col,
                "kein Oberziel: weder eine Zeile „Oberziel: …“ darüber noch eine Spalte „Oberziel“",
            )
        else:
            eintrag.werte["oberziel"] = goal
    if "aufgenommen" not in by_field:
        eintrag.spalten["aufgenommen"] = title_col
    if "status" not in by_field:
        eintrag.status_offen = True
    leser.result.eintraege.append(eintrag)
    return eintrag


def _handmade(leser: _Leser, name: str, raw: Any) -> Any:
    """A cell of a hand-made table as the value of field ``name`` (None: not set)."""
    if name == "finanzierung.staedtebaufoerderung":
        return ja_nein_aus("" if raw is None else raw)
    if _empty(raw):
        return None
    if name not in ("finanzierung.kosten_eur", "aufgenommen"):
        raw = text_aus(raw)  # WAHR or a date in a text column: refused, not "True"
    if name in ("weitere_ziele",):
        return [leser.ziele.ziel(v) for v in teile(raw)]
    if name == "oberziel":
        return leser.ziele.ziel(_fold(raw))
    if name in ("traeger", "finanzierung.sonstige"):
        return teile(raw)
    if name == "gremien":
        ids = teile(raw)
        unknown = [i for i in ids if i not in leser.katalog.gremien]
        if unknown:
            raise ValueError(f"Gremium „{unknown[0]}“ gibt es nicht (Kennung aus gremien/)")
        return ids
    if name == "finanzierung.kosten_eur":
        return betrag_aus(raw)
    if name == "finanzierung.kostengruppe":
        return kostengruppe_aus(raw)
    if name == "aufgenommen":
        return monat_aus(raw)
    if name == "status":
        return status_aus(raw)
    return _fold(raw)  # titel, ort, beschreibung


def _nachtrag(
    leser: _Leser,
    row: int,
    by_field: dict[str, int],
    current: Eintrag | None,
    in_title: re.Match[str] | None,
    in_aufn: re.Match[str] | None,
    title_text: str,
) -> None:
    blatt = leser.blatt
    title_col = by_field["titel"]
    aufn_col = by_field.get("aufgenommen", title_col)
    if current is None:
        leser.problem(row, title_col, "Nachtrag ohne Maßnahme darüber")
        return
    monat_text = (in_title["monat"] if in_title and in_title["monat"] else None) or (
        in_aufn["monat"] if in_aufn and in_aufn["monat"] else None
    )
    text = in_title["text"].strip() if in_title else title_text
    where = (row, title_col) if in_title and in_title["monat"] else (row, aufn_col)
    if not monat_text:
        leser.problem(row, where[1], "Nachtrag ohne Monat (z. B. „Nachtrag Dez. 2003“)")
        return
    try:
        monat = monat_aus(monat_text.strip())
    except ValueError as e:
        leser.problem(*where, str(e))
        return
    added: list[str] = []
    for name, label in (
        ("weitere_ziele", "Weitere Ziele"), ("traeger", "Träger"),
        ("finanzierung.sonstige", "Sonst. F."),
    ):  # fmt: skip
        col = by_field.get(name)
        raw = leser.value(row, col) if col else None
        if col is None or _empty(raw):
            continue
        try:
            items = _handmade(leser, name, raw)
        except ValueError as e:
            leser.problem(row, col, str(e))
            continue
        current.zusaetze.setdefault(name, []).extend(items)
        shown = (
            [leser.ziele.katalog.get(i) or _new_title(leser, i) for i in items]
            if name == "weitere_ziele"
            else items
        )
        added.append(f"{label}: {', '.join(shown)}")
    for name in ("finanzierung.staedtebaufoerderung", "finanzierung.kosten_eur", "status", "ort"):
        col = by_field.get(name)
        if col is not None and not _empty(blatt.zelle(row, col).value):
            leser.problem(
                row,
                col,
                "in einer Nachtragszeile wird dieses Feld nicht gelesen; "
                "bitte in der Zeile der Maßnahme ändern",
            )
    if not text:
        if not added:
            leser.problem(row, title_col, "Nachtrag ohne Text")
            return
        text = "Ergänzt: " + "; ".join(added)
    current.neue_nachtraege.append({"stand": monat, "text": text})


def _new_title(leser: _Leser, ident: str) -> str:
    return next((z.titel for z in leser.ziele.neue.values() if z.id == ident), ident)


def _colours(leser: _Leser, rows: list[tuple[Eintrag, ReadCell]], legend: Legende) -> None:
    """The state of each row from its colour, if the sheet shows states by colour."""
    used = any(_chromatic(c.fill) or _chromatic(c.color) for _, c in rows)
    if not used:
        return
    for eintrag, cell in rows:
        colour: str = "000000"  # automatic text is black
        if cell.fill is not None and _chromatic(cell.fill):
            colour = cell.fill
        elif cell.color is not None and (_chromatic(cell.color) or _white(cell.fill)):
            colour = cell.color
        elif cell.fill is not None and not _white(cell.fill):
            colour = cell.fill  # grey
        near = legend.nahe(colour) if _chromatic(colour) else []
        if len(near) > 1 and near[1][0] - near[0][0] < _EINDEUTIG:
            both = " und ".join(f"„{STATUS[s].kurz}“" for _, s in near[:2])
            leser.result.problems.append(
                Problem(
                    eintrag.titel_ort,
                    f"die Farbe #{colour} liegt zwischen den Farben der Legende für {both}; "
                    "bitte färben wie die Legende oder eine Spalte „Status“ angeben",
                )
            )
            continue
        state = legend.status(colour)
        if state is None:
            leser.result.problems.append(
                Problem(
                    eintrag.titel_ort,
                    f"die Farbe #{colour} passt zu keiner Farbe der Legende "
                    + ("unter der Tabelle" if legend.eigene else "(grün, blau, rot, schwarz)")
                    + "; bitte färben wie die Legende oder eine Spalte „Status“ angeben",
                )
            )
            continue
        eintrag.werte["status"] = state
        eintrag.gesetzt.add("status")
        eintrag.spalten["status"] = eintrag.titel_ort.col
        eintrag.status_offen = False


# ------------------------------------------------------------------------------- entry


def einlesen(
    blatt: Blatt,
    katalog: Katalog,
    *,
    neue_ziele: bool = False,
    slug: Callable[[str], str],
) -> Einlesung:
    """The records a sheet holds (see the module's docstring)."""
    kopf = _find_header(blatt)
    if kopf is None:
        result = Einlesung(TABELLE)
        result.problems.append(
            Problem(
                blatt.ort(1, 1),
                "keine Kopfzeile gefunden – erwartet in den ersten 30 Zeilen eine "
                "Spalte „Maßnahmen/Projekte“ (oder „Maßnahme“, „Titel“) und weitere wie "
                "„Träger“, „Stbauf.“, „Aufn. in Konzept“ – oder die Kopfzeile des Blatts "
                "„Daten“ von ihk export",
            )
        )
        return result
    result = Einlesung(DATEN if kopf.daten else TABELLE)
    leser = _Leser(blatt, Ziele(katalog.ziele, neue_ziele, slug), katalog, result)
    if kopf.daten:
        _daten(leser, kopf)
    else:
        _tabelle(leser, kopf)
    result.neue_ziele = list(leser.ziele.neue.values())
    result.problems.sort()
    return result
