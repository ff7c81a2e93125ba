"""The German vocabulary of ihk: every word, label and number format users read.

One place for the glossary: state words and colours, month names, field labels,
dates, money and numbers. Console, documents and templates all use these functions,
so a term or a format is changed here and nowhere else.

The state ids and committee types are defined here too, next to their words, as the
``Literal`` types the models use: this module imports nothing heavy, so the command
line can offer them as choices without loading pydantic.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

# --------------------------------------------------------------------------- glossary

#: The terms ihk uses, and only these (README "Glossar" shows the same list).
GLOSSAR: dict[str, str] = {
    "Register": "der Ordner mit ihk.yaml und den Einträgen, in git",
    "Eintrag": "eine Maßnahme, ein Gremium oder ein Projekt (eine YAML-Datei)",
    "Kennung": "der Dateiname eines Eintrags ohne .yaml, z. B. sozialstation",
    "Maßnahme": "eine Zeile der IHK-Tabelle",
    "Oberziel": "das Ziel aus dem Zielkatalog, unter dem eine Maßnahme steht",
    "Weitere Ziele": "weitere Ziele aus dem Zielkatalog, zu denen eine Maßnahme beiträgt",
    "Zielkatalog": "die Ziele in ihk.yaml; ihre Reihenfolge ist die aller Tabellen",
    "Träger/Beteiligte": "wer eine Maßnahme ausführt oder daran beteiligt ist",
    "Umsetzungsstand": "in Planung, in Umsetzung, abgeschlossen oder nicht umgesetzt",
    "Aufnahme ins Konzept": "der Monat, in dem eine Maßnahme ins IHK kam",
    "Nachtrag": "eine datierte Notiz zu einer Maßnahme",
    "Gremium": "Rat, Ausschuss, Beirat, Forum oder Arbeitsgruppe, das die Umsetzung steuert",
    "Projekt": "ein Vorhaben, das Maßnahmen umsetzt",
    "Stand": "der beschlossene Zustand des IHK eines Jahres (Tag stand-JJJJ)",
    "Fortschreibung": "was sich zwischen zwei Ständen geändert hat",
    "Indikator": "eine Messgröße, die zeigt, ob ein Oberziel erreicht wird",
    "Zielerreichung": "wie weit ein Indikator vom Basiswert zum Zielwert gekommen ist, in %",
}

# ----------------------------------------------------------------------------- states


Status = Literal["in_planung", "in_umsetzung", "abgeschlossen", "nicht_umgesetzt"]
#: The states in the order of the IHK's legend.
STATES: tuple[str, ...] = get_args(Status)

GremiumArt = Literal[
    "rat", "ausschuss", "beirat", "forum", "arbeitsgruppe", "lenkungsgruppe", "sonstiges"
]
GREMIUM_ARTEN: tuple[str, ...] = get_args(GremiumArt)

IndikatorArt = Literal["kontext", "ergebnis", "output"]
INDIKATOR_ARTEN: tuple[str, ...] = get_args(IndikatorArt)
Richtung = Literal["steigen", "sinken"]
RICHTUNGEN: tuple[str, ...] = get_args(Richtung)

Kostengruppe = Literal[
    "vorbereitung", "ordnungsmassnahmen", "baumassnahmen", "fonds", "quartiersmanagement",
    "sonstige",
]  # fmt: skip
#: Cost groups of the Städtebauförderrichtlinien, in the order of a KuF.
KOSTENGRUPPEN: dict[str, str] = {
    "vorbereitung": "Vorbereitung (Untersuchungen, Konzepte, Beteiligung)",
    "ordnungsmassnahmen": "Ordnungsmaßnahmen (Grunderwerb, Freilegung, Erschließung)",
    "baumassnahmen": "Baumaßnahmen (Gemeinbedarf, Modernisierung)",
    "fonds": "Verfügungs- und Quartiersfonds",
    "quartiersmanagement": "Quartiersmanagement",
    "sonstige": "Sonstige Kosten",
}


@dataclass(frozen=True)
class StateWords:
    legende: str  # the IHK's own colour legend
    kurz: str  # short label for tables
    stil: str  # terminal style (rich)
    farbe: str  # the legend's colour word ("Grün = abgeschlossen und umgesetzt")
    schrift: str  # text colour in documents and workbooks (RRGGBB)
    fuellung: str  # light fill of a row in documents and workbooks (RRGGBB)


#: The IHK's own colour legend, in the words of the document.
STATUS: dict[str, StateWords] = {
    "in_planung": StateWords("in der Planung", "in Planung", "red", "Rot", "C00000", "FDE2E1"),
    "in_umsetzung": StateWords(
        "in der aktiven Umsetzungs-/Durchführungsphase",
        "in Umsetzung",
        "blue",
        "Blau",
        "0B5CAD",
        "DCE9F7",
    ),
    "abgeschlossen": StateWords(
        "abgeschlossen und umgesetzt", "abgeschlossen", "green", "Grün", "137333", "DFF2E1"
    ),
    "nicht_umgesetzt": StateWords(
        "war geplant, nicht umgesetzt", "nicht umgesetzt", "dim", "Schwarz", "000000", "E7E7E7"
    ),
}
#: The order of the legend under the IHK table, as the document has it.
LEGENDE: tuple[str, ...] = ("abgeschlossen", "in_umsetzung", "in_planung", "nicht_umgesetzt")


def legende_zeile(state: str) -> str:
    """One line of the legend under the IHK table: "Grün = abgeschlossen und umgesetzt"."""
    return f"{STATUS[state].farbe} = {STATUS[state].legende}"


def state_named(text: str) -> str | None:
    """The state id a user means: its id or its German words, any case
    ("in_umsetzung", "In Umsetzung", "in der Planung"); None if none."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    for state, words in STATUS.items():
        names = (state.replace("_", " "), words.kurz, words.legende)
        if wanted in (n.casefold() for n in names):
            return state
    return None


def status_legende(state: str) -> str:
    return STATUS[state].legende


def status_kurz(state: str) -> str:
    return STATUS[state].kurz


# ----------------------------------------------------------------------------- months

MONATE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
MONATE_KURZ = (
    "Jan", "Feb", "März", "Apr", "Mai", "Juni", "Juli", "Aug", "Sep", "Okt", "Nov", "Dez",
)  # fmt: skip


def monat_text(value: str | None) -> str:
    """2003-12 -> Dezember 2003; 2003-05-13 -> 13. Mai 2003; nothing -> ''."""
    if not value:
        return ""
    year, month = value[:4], int(value[5:7])
    if len(value) == 10:
        return f"{int(value[8:10])}. {MONATE[month - 1]} {year}"
    return f"{MONATE[month - 1]} {year}"


def monat_kurz(value: str | None) -> str:
    """2003-12 -> Dez 2003 (tables); nothing -> –."""
    if not value:
        return "–"
    return f"{MONATE_KURZ[int(value[5:7]) - 1]} {value[:4]}"


def monat_abgekuerzt(value: str) -> str:
    """2003-12 -> Dez. 2003, 2003-05 -> Mai 2003: the IHK table's "Aufn. in Konzept" and
    its Nachtrag rows ("Nachtrag Dez. 2003: …"); a dot only where the name is cut."""
    month = int(value[5:7])
    short = MONATE_KURZ[month - 1]
    dot = "." if short != MONATE[month - 1] else ""
    return f"{short}{dot} {value[:4]}"


# ------------------------------------------------------------------ numbers and money


def zahl(value: float, decimals: int | None = None) -> str:
    """German number format: 1234567 -> 1.234.567; 12.5 -> 12,5."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def messwert(value: float) -> str:
    """A measured value as read: 24.5 -> 24,5; 1200 -> 1.200; 0.125 -> 0,13."""
    text = zahl(value, 0 if float(value).is_integer() else 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def euro(value: float) -> str:
    """1234567 -> 1.234.567 €; 12000.5 -> 12.000,50 €."""
    return f"{zahl(value)} €"


def prozent(value: float, decimals: int = 1) -> str:
    """12.5 -> 12,5 %."""
    return f"{zahl(value, decimals)} %"


def ja_nein(value: bool) -> str:
    return "ja" if value else "nein"


def finanzierung_text(
    staedtebaufoerderung: bool, sonstige: tuple[str, ...] | list[str], kosten: float | None
) -> str:
    """How a measure is financed, as one line: "Städtebauförderung, LOS (12.000 €)"."""
    parts = ["Städtebauförderung"] if staedtebaufoerderung else []
    parts += list(sonstige)
    text = ", ".join(parts) or "–"
    if kosten is not None:
        text += f" ({euro(kosten)})"
    return text


def finanzierung_kurz(staedtebaufoerderung: bool, sonstige: tuple[str, ...] | list[str]) -> str:
    """The IHK table's short form: "Stbauf., LOS"."""
    parts = ["Stbauf."] if staedtebaufoerderung else []
    parts += list(sonstige)
    return ", ".join(parts) or "–"


#: What ``zahl_aus_text`` accepts, as users are told when it refuses.
ZAHL_FORMEN = "12000, 12.000, 1.500.000, 12.000,50, 12000,50, 12 000 oder 12.000 €"
_ZAHL_RE = re.compile(
    r"(?P<sign>[-+]?)"
    r"(?P<int>[0-9]{1,3}(?:(?P<sep>[. \u00a0\u202f])[0-9]{3})(?:(?P=sep)[0-9]{3})*|[0-9]+)"
    r"(?:,(?P<frac>[0-9]+))?"
)
_WAEHRUNG_RE = re.compile(r"\s*(€|EUR|Euro)\Z", re.IGNORECASE)


def zahl_aus_text(text: str) -> int | float:
    """A number typed the German way: "12.000" is twelve thousand, "12,5" twelve and a half.

    A dot (or a space) only groups thousands, so "12.5" and "1,500.00" are refused as
    ambiguous rather than guessed; a trailing "€" is allowed. Raises ValueError with a
    German message that shows the accepted forms.
    """
    raw = _WAEHRUNG_RE.sub("", text.strip())
    match = _ZAHL_RE.fullmatch(raw)
    if not match:
        if re.fullmatch(r"[-+]?[0-9]+\.[0-9]{1,2}", raw) or re.fullmatch(r"[0-9,]+\.[0-9]+", raw):
            why = "der Punkt trennt im Deutschen Tausender, das Komma die Nachkommastellen"
        else:
            why = "keine Zahl"
        raise ValueError(f"„{text}“: {why}; erlaubt sind z. B. {ZAHL_FORMEN}")
    digits = re.sub(r"[. \u00a0\u202f]", "", match["int"])
    if len(digits) > 15:
        raise ValueError(f"„{text[:20]}…“: Zahl mit zu vielen Stellen (höchstens 15)")
    value = float(f"{match['sign']}{digits}.{match['frac']}") if match["frac"] else None
    if value is None or value.is_integer():
        return int(f"{match['sign']}{digits}")
    return value


def anzahl(n: int, one: str, many: str) -> str:
    """1 Maßnahme, 2 Maßnahmen."""
    return f"{n} {one if n == 1 else many}"


# ------------------------------------------------------------------------ field labels

#: Labels of fields, by dotted path (wins) or by the last part of the path.
FELDNAMEN: dict[str, str] = {
    "gebiet": "Gebiet",
    "gemeinde": "Gemeinde",
    "aufnahme": "Aufnahme ins Programm",
    "ziele": "Zielkatalog",
    "titel": "Titel",
    "name": "Name",
    "oberziel": "Oberziel",
    "weitere_ziele": "Weitere Ziele",
    "traeger": "Träger/Beteiligte",
    "finanzierung": "Finanzierung",
    "staedtebaufoerderung": "Städtebauförderung",
    "sonstige": "Sonstige Finanzierung",
    "kosten_eur": "Kosten",
    "kostengruppe": "Kostengruppe",
    "plan": "Plan (Jahresscheiben)",
    "ist": "Ausgaben (abgerechnet)",
    "quellen": "Finanzierungsquellen",
    "status": "Umsetzungsstand",
    "stand": "Stand",
    "text": "Text",
    "datum": "Datum",
    "erreicht": "Erreicht",
    "von": "Von",
    "bis": "Bis",
    "zeitraum.von": "Beginn",
    "zeitraum.bis": "Ende",
    "laufzeit.von": "Beginn",
    "laufzeit.bis": "Ende",
    "beschluesse": "Beschlüsse",
    "organisation": "Organisation",
    "rolle": "Rolle",
    "aufgenommen": "Aufnahme ins Konzept",
    "nachtraege": "Nachträge",
    "gremien": "Gremien",
    "zeitraum": "Zeitraum",
    "laufzeit": "Laufzeit",
    "ort": "Ort",
    "beschreibung": "Beschreibung",
    "art": "Art",
    "aufgabe": "Aufgabe",
    "gegruendet": "Gegründet",
    "aufgeloest": "Aufgelöst",
    "mitglieder": "Mitglieder",
    "sitzungen": "Sitzungen",
    "programm": "Programm",
    "massnahmen": "Maßnahmen",
    "projekte": "Projekte",
    "meilensteine": "Meilensteine",
    "einheit": "Einheit",
    "quelle": "Quelle",
    "richtung": "Gute Richtung",
    "basis": "Basiswert",
    "ziel": "Zielwert",
    "werte": "Messwerte",
    "jahr": "Jahr",
    "wert": "Wert",
    "anmerkung": "Anmerkung",
}


#: What a field holds, for editors (the ``description`` of ``ihk schema``); by dotted
#: path (wins) or by the last part, like ``FELDNAMEN``. Glossary terms say it once.
FELDHILFE: dict[str, str] = {
    "gebiet": "Name des Programmgebiets, z. B. Belm-Powe",
    "gemeinde": "Stadt oder Gemeinde des Gebiets",
    "programm": "Förderprogramm, z. B. „Soziale Stadt“ oder „Lokales Kapital für soziale "
    "Zwecke (LOS)“",
    "aufnahme": "Monat der Aufnahme ins Förderprogramm (JJJJ-MM)",
    "ziele": GLOSSAR["Zielkatalog"] + "; der Schlüssel ist die Kennung des Ziels",
    "quellen": "Finanzierungsquellen der KuF; ihre Reihenfolge ist die aller Tabellen; der "
    "Schlüssel ist die Kennung der Quelle",
    "quellen.staedtebaufoerderung": "zählt in der IHK-Tabelle als „Stbauf.“",
    "titel": "wie er in Tabellen und Dokumenten steht (1–300 Zeichen)",
    "oberziel": GLOSSAR["Oberziel"] + " (Kennung aus ihk.yaml, ziele)",
    "weitere_ziele": GLOSSAR["Weitere Ziele"] + " (Kennungen aus ihk.yaml, ziele)",
    "traeger": GLOSSAR["Träger/Beteiligte"],
    "finanzierung": "wie finanziert wird: Städtebauförderung, sonstige Mittel, Kosten und "
    "Jahresscheiben (KuF)",
    "finanzierung.staedtebaufoerderung": "mit Mitteln der Städtebauförderung (Spalte „Stbauf.“)",
    "sonstige": "weitere Finanzierung (Spalte „Sonst. F.“), z. B. Arbeitsamt, LOS, ehrenamtlich",
    "kosten_eur": "geschätzte Gesamtkosten in Euro (Zahl ohne Tausenderpunkt)",
    "kostengruppe": "Kostengruppe der Städtebauförderrichtlinien",
    "plan": "geplante Beträge je Jahr und Finanzierungsquelle (Jahresscheiben): "
    "JAHR: {QUELLE: Betrag}",
    "ist": "abgerechnete Beträge je Jahr und Finanzierungsquelle, wie plan",
    "status": GLOSSAR["Umsetzungsstand"] + "; die Farbe der Zeile in der IHK-Tabelle",
    "aufgenommen": GLOSSAR["Aufnahme ins Konzept"] + " (JJJJ-MM)",
    "nachtraege": "datierte Notizen (Nachträge), z. B. warum eine Maßnahme nicht umgesetzt wird",
    "nachtraege.stand": "Monat des Nachtrags (JJJJ-MM)",
    "gremien": "Gremien, die die Maßnahme steuern oder über sie beschlossen haben (Kennungen)",
    "zeitraum": "Zeitraum der Umsetzung (von und bis als JJJJ-MM)",
    "laufzeit": "Laufzeit des Projekts (von und bis als JJJJ-MM)",
    "bis": "nicht vor dem Beginn",
    "ort": "Ort, z. B. Stettiner Str. 17/18",
    "art": "Art des Eintrags",
    "aufgabe": "wofür das Gremium da ist",
    "gegruendet": "Monat der Gründung (JJJJ-MM)",
    "aufgeloest": "Monat der Auflösung (JJJJ-MM), nicht vor der Gründung",
    "mitglieder": "Mitglieder, jedes mit name oder organisation",
    "sitzungen": "Sitzungen mit ihren Beschlüssen",
    "sitzungen.datum": "Tag der Sitzung (JJJJ-MM-TT)",
    "beschluesse": "Beschlüsse der Sitzung; massnahmen und projekte nennen, was sie betreffen",
    "massnahmen": "Maßnahmen, die hierzu gehören (Kennungen)",
    "projekte": "Projekte, die der Beschluss betrifft (Kennungen)",
    "meilensteine": "Meilensteine des Projekts",
    "meilensteine.datum": "Monat oder Tag (JJJJ-MM oder JJJJ-MM-TT)",
    "einheit": "Einheit der Werte, z. B. %",
    "quelle": "woher die Werte kommen, z. B. Statistikstelle",
    "richtung": "in welche Richtung sich der Wert bessert: steigen oder sinken",
    "basis": "Basiswert: Jahr und Wert zu Beginn",
    "ziel": "Zielwert: Jahr und Wert, die erreicht werden sollen",
    "werte": "gemessene Werte, einer je Jahr",
    "jahr": "Jahr (JJJJ)",
    "beschreibung": "freier Text",
}


def feldhilfe(path: str) -> str | None:
    """What the field at a dotted path holds (for editors); None if nothing to add."""
    if path in FELDHILFE:
        return FELDHILFE[path]
    parts = path.split(".")
    if len(parts) > 1 and ".".join(parts[-2:]) in FELDHILFE:
        return FELDHILFE[".".join(parts[-2:])]
    return FELDHILFE.get(parts[-1])


def feldname(path: str) -> str:
    """German label of a (dotted) field: "zeitraum.von" -> Beginn, "ort" -> Ort."""
    if path in FELDNAMEN:
        return FELDNAMEN[path]
    return FELDNAMEN.get(path.rsplit(".", 1)[-1], path)


def wert_text(path: str, value: Any) -> str:
    """A field's value as a reader sees it: money in €, months in words, lists joined."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return ja_nein(value)
    leaf = path.rsplit(".", 1)[-1]
    if leaf == "kosten_eur" and isinstance(value, int | float):
        return euro(value)
    if leaf in ("von", "bis", "aufgenommen", "gegruendet", "aufgeloest", "stand", "datum"):
        return monat_text(str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return " ".join(str(value).split())


def zeige_wert(value: Any) -> str:
    """A value as German messages quote it: „Text“, die Zahl 5, eine Liste, nichts."""
    if value is None:
        return "nichts"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "eine Zuordnung"
    if isinstance(value, list):
        return "eine Liste"
    if isinstance(value, int | float):
        return f"die Zahl {value}"
    text = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    return f"„{text}“"


# ------------------------------------------------------------------ default catalogue

#: The default source catalogue (SPEC §5): id -> (title, counts as Städtebauförderung).
QUELLEN: dict[str, tuple[str, bool]] = {
    "stbauf": ("Städtebauförderung (Bund/Land)", True),
    "gemeinde": ("Gemeinde (Eigenanteil)", False),
    "esf": ("Europäischer Sozialfonds (ESF)", False),
    "arbeitsagentur": ("Arbeitsagentur/Jobcenter", False),
    "dritte": ("Dritte (Stiftungen, Kirchen, Verbände)", False),
    "private": ("Private (Eigentümer, Unternehmen)", False),
}

#: The default goal catalogue of a new register: the eight Leitziele/Handlungsfelder
#: of the Soziale Stadt as the Belm-Powe IHK names them.
LEITZIELE: dict[str, str] = {
    "wohnen": "Wohn- und Wohnumfeldverbesserung",
    "verknuepfung": "Verknüpfung des Gebietes mit den angrenzenden Stadt- und Gemeindeteilen",
    "verkehr": "Neuordnung und Verbesserung der Verkehrsstruktur",
    "nachbarschaften": "Unterstützung und Ausbau von Nachbarschaften und sozialen Netzen",
    "kinder-jugend": "Verbesserung der Lebenssituation für Kinder und Jugendliche",
    "image": "Quartiersmarketing und Imagebildung",
    "qualifizierung": "Qualifizierung und Beschäftigung",
    "beteiligung": "Bürgerbeteiligung und Aktivierung",
}


# ------------------------------------------------------------------ problem classes

#: The classes of problems (``errors.CODES``) in German: a name and what it covers. They
#: are the rules of ``validate --format sarif`` and the checks of ``--format gitlab``.
PROBLEMARTEN: dict[str, tuple[str, str]] = {
    "datei": (
        "Datei",
        "Die Datei selbst: ihr Name, ihre Endung, eine fremde oder unlesbare Datei im "
        "Register, eine fehlende ihk.yaml.",
    ),
    "yaml": (
        "YAML",
        "Die Datei ist kein YAML, das ihk liest: Kodierung, Syntax, Tags, Aliase, doppelte "
        "Schlüssel, Steuerzeichen.",
    ),
    "schluessel": ("Schlüssel", "Ein Pflichtfeld fehlt, oder ein Schlüssel ist unbekannt."),
    "wert": (
        "Wert",
        "Ein Wert hat den falschen Typ oder das falsche Format oder liegt außerhalb des Erlaubten.",
    ),
    "verweis": (
        "Verweis",
        "Eine Kennung nennt kein Ziel, keine Finanzierungsquelle und keinen Eintrag, den es gibt.",
    ),
    "regel": (
        "Regel",
        "Eine Regel über mehrere Felder ist verletzt (Zeitraum, Summen, doppelte Jahre, "
        "Städtebauförderung).",
    ),
    "schema": (
        "Schema für Editoren",
        "Die Schemas für Editoren in .ihk/schema passen nicht mehr zu ihk.yaml; "
        "„ihk schema“ schreibt sie neu.",
    ),
}


# ------------------------------------------------------------------ the environment

_OS_FEHLER: dict[int, str] = {
    errno.ENOENT: "Datei oder Ordner nicht gefunden",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "nicht erlaubt",
    errno.EISDIR: "ist ein Ordner, keine Datei",
    errno.ENOTDIR: "ist kein Ordner",
    errno.EEXIST: "gibt es schon",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.EROFS: "das Dateisystem ist schreibgeschützt",
    errno.ENAMETOOLONG: "Name zu lang",
    errno.EXDEV: "liegt auf einem anderen Datenträger",
    errno.ENOTEMPTY: "Ordner ist nicht leer",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.EPIPE: "die Ausgabe wurde geschlossen",
    errno.ELOOP: "zu viele Verknüpfungen hintereinander (eine Verknüpfung im Kreis?)",
}


def os_fehler(error: OSError) -> str:
    """An error of the operating system in German, with the file it concerns."""
    text = _OS_FEHLER.get(error.errno or -1) or f"Systemfehler {error.errno or ''}".strip()
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{text}"
