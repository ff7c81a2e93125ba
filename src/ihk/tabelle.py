"""The IHK table (SPEC §7) as typed data: the register as the table people know.

Pure: a loaded register (the working tree, or a Stand read from git) in, frozen
dataclasses out. The layout is the one of the IHK itself (the seed's "Ausschnitt IHK"):
a heading row per Oberziel in catalogue order ("Oberziel: …"), under it one row per
measure with the columns Maßnahmen/Projekte · Weitere Ziele · Ausführende
Träger/Beteiligte · Stbauf. · Sonst. F. · Kosten · Aufn. in Konzept · Stand, each
Nachtrag as a row of its own under its measure, and the colour legend below.

Every output format (XLSX, CSV, Markdown here; HTML, PDF and DOCX for the council)
renders this one structure and derives nothing itself: values stay typed (ids *and*
titles, months as ``JJJJ-MM`` *and* as German text, costs as numbers), the German text
of every cell is here (``Zeile.zellen``), and a row's colour is looked up in
``vocab.STATUS`` by its state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ihk.kinds import Entry, Kind, dotted
from ihk.kuf import posten_von
from ihk.register import Register
from ihk.vocab import LEGENDE, STATUS, euro, legende_zeile, monat_abgekuerzt, status_kurz

if TYPE_CHECKING:
    from ihk.fortschreibung import StandInfo


@dataclass(frozen=True)
class Spalte:
    """A column of the table: its key (the attribute of ``Zeile`` it shows) and heading."""

    schluessel: str
    titel: str


#: The columns of the IHK table, in the order of the document.
SPALTEN: tuple[Spalte, ...] = (
    Spalte("titel", "Maßnahmen/Projekte"),
    Spalte("weitere_ziele", "Weitere Ziele"),
    Spalte("traeger", "Ausführende Träger/Beteiligte"),
    Spalte("stbauf", "Stbauf."),
    Spalte("sonstige", "Sonst. F."),
    Spalte("kosten", "Kosten"),
    Spalte("aufgenommen", "Aufn. in Konzept"),
    Spalte("status", "Stand"),
)


@dataclass(frozen=True)
class Ziel:
    """A goal of the catalogue as a row names it: its id and its title."""

    id: str
    titel: str


@dataclass(frozen=True)
class Monat:
    """A month as data (``2003-12``) and as the table shows it (``Dez. 2003``)."""

    wert: str
    text: str

    @classmethod
    def von(cls, value: str | None) -> Monat | None:
        return cls(value, monat_abgekuerzt(value)) if value else None


@dataclass(frozen=True)
class Nachtrag:
    stand: Monat
    text: str

    @property
    def zeile(self) -> str:
        """The row under the measure: "Nachtrag Dez. 2003: …"."""
        return f"Nachtrag {self.stand.text}: {self.text}"


@dataclass(frozen=True)
class Zeile:
    """One measure (or project) of the table."""

    art: str  # kind: massnahme | projekt
    id: str
    titel: str
    weitere_ziele: tuple[Ziel, ...]
    traeger: tuple[str, ...]
    stbauf: bool
    sonstige: tuple[str, ...]
    #: The total as the KuF counts it: the sum of the yearly plan, else ``kosten_eur``.
    kosten: float | None
    #: Aufnahme ins Konzept (a project: the start of its Laufzeit).
    aufgenommen: Monat | None
    status: str
    nachtraege: tuple[Nachtrag, ...]

    def zelle(self, schluessel: str) -> str:
        """The German text of one cell ("–" where the document shows a dash)."""
        if schluessel == "titel":
            return self.titel
        if schluessel == "weitere_ziele":
            return "; ".join(z.titel for z in self.weitere_ziele)
        if schluessel == "traeger":
            return ", ".join(self.traeger)
        if schluessel == "stbauf":
            return "Ja" if self.stbauf else "–"
        if schluessel == "sonstige":
            return ", ".join(self.sonstige)
        if schluessel == "kosten":
            return euro(self.kosten) if self.kosten is not None else ""
        if schluessel == "aufgenommen":
            return self.aufgenommen.text if self.aufgenommen else ""
        if schluessel == "status":
            return status_kurz(self.status)
        raise KeyError(schluessel)

    def zellen(self) -> tuple[str, ...]:
        """The texts of all cells, in the order of ``SPALTEN``."""
        return tuple(self.zelle(s.schluessel) for s in SPALTEN)


@dataclass(frozen=True)
class Gruppe:
    """The rows under one Oberziel."""

    oberziel: Ziel
    zeilen: tuple[Zeile, ...]

    @property
    def ueberschrift(self) -> str:
        return f"Oberziel: {self.oberziel.titel}"


@dataclass(frozen=True)
class Legendeneintrag:
    status: str
    farbe: str  # "Grün"
    text: str  # "abgeschlossen und umgesetzt"

    @property
    def zeile(self) -> str:
        return legende_zeile(self.status)


@dataclass(frozen=True)
class IhkTabelle:
    gebiet: str
    gemeinde: str
    programm: str
    #: The Stand shown; None for the working tree.
    stand: StandInfo | None
    arten: tuple[str, ...]
    gruppen: tuple[Gruppe, ...]
    spalten: tuple[Spalte, ...] = SPALTEN
    legende: tuple[Legendeneintrag, ...] = ()

    @property
    def titel(self) -> str:
        """ "Integriertes Handlungskonzept Belm-Powe", with the Stand if one is shown."""
        head = f"Integriertes Handlungskonzept {self.gebiet}".rstrip()
        if self.stand is not None:
            head += f" – {self.stand.bezeichnung} ({self.stand.datum_text})"
        return head

    @property
    def zeilen(self) -> Iterable[Zeile]:
        for gruppe in self.gruppen:
            yield from gruppe.zeilen

    @property
    def anzahl(self) -> int:
        return sum(len(g.zeilen) for g in self.gruppen)


def legende() -> tuple[Legendeneintrag, ...]:
    return tuple(Legendeneintrag(s, STATUS[s].farbe, STATUS[s].legende) for s in LEGENDE)


def _zeile(entry: Entry, goals: dict[str, str]) -> Zeile:
    record = entry.record
    fin = getattr(record, "finanzierung", None)
    money = posten_von(entry.kind.name, entry.id, record)
    return Zeile(
        art=entry.kind.name,
        id=entry.id,
        titel=entry.title,
        weitere_ziele=tuple(Ziel(g, goals.get(g, g)) for g in getattr(record, "weitere_ziele", ())),
        traeger=tuple(record.traeger),
        stbauf=bool(fin and fin.staedtebaufoerderung),
        sonstige=tuple(fin.sonstige) if fin else (),
        kosten=money.gesamt if money is not None and money.hat_gesamt else None,
        aufgenommen=Monat.von(dotted(record, entry.kind.start_field)),
        status=record.status,
        nachtraege=tuple(
            Nachtrag(Monat(n.stand, monat_abgekuerzt(n.stand)), n.text)
            for n in getattr(record, "nachtraege", ())
        ),
    )


def ordered_entries(register: Register, kinds: Sequence[Kind]) -> list[Entry]:
    """The records of ``kinds`` in the order of the IHK table: by the goal catalogue
    (goals it lacks last), measures before projects, then by title."""
    goals = list(register.meta.ziele) if register.meta else []
    order = {g: i for i, g in enumerate(goals)}
    kind_rank = {k.name: i for i, k in enumerate(kinds)}
    entries = [e for k in kinds for e in register.of(k.name).values()]
    entries.sort(
        key=lambda e: (
            order.get(e.record.oberziel, len(order)),
            e.record.oberziel,
            kind_rank[e.kind.name],
            e.title.casefold(),
            e.id,
        )
    )
    return entries


def ihk_tabelle(
    register: Register, kinds: Sequence[Kind], stand: StandInfo | None = None
) -> IhkTabelle:
    """The IHK table of ``kinds`` (measures, projects or both) of a loaded register.

    Groups follow the goal catalogue (a goal without rows has no group; rows under a
    goal the catalogue lacks come last); rows within a group: measures before projects,
    then by title. Only valid records are in it, as in every report.
    """
    meta = register.meta
    goals = {g: z.titel for g, z in meta.ziele.items()} if meta else {}
    entries = ordered_entries(register, kinds)
    gruppen: list[Gruppe] = []
    current: list[Zeile] = []
    for i, entry in enumerate(entries):
        current.append(_zeile(entry, goals))
        goal = entry.record.oberziel
        if i + 1 == len(entries) or entries[i + 1].record.oberziel != goal:
            title = goals.get(goal) or f"(unbekanntes Oberziel „{goal}“)"
            gruppen.append(Gruppe(Ziel(goal, title), tuple(current)))
            current = []
    return IhkTabelle(
        gebiet=meta.gebiet if meta else "",
        gemeinde=meta.gemeinde if meta else "",
        programm=meta.programm if meta else "",
        stand=stand,
        arten=tuple(k.name for k in kinds),
        gruppen=tuple(gruppen),
        legende=legende(),
    )
