"""ihk finanzen: the Kosten- und Finanzierungsübersicht (KuF) as typed view data.

Pure over ``kuf``: the records go in, every number comes from ``kuf.summen`` (never
added up here), grouped as asked. The report has two blocks:

- **Kosten**: the records grouped (by Kostengruppe, Oberziel or source, or one flat
  list), a column per year of the plan, "ohne Jahresplan" (the ``kosten_eur`` of
  records without plan), "Summe" and "Ist" (what was spent), a subtotal per group and
  the total;
- **Finanzierung**: the plan per source and year, each source's share of the plan in
  percent, what was spent per source, and the totals.

``--von``/``--bis`` choose which years get a column of their own; the plan of earlier
and later years is summed in the columns "bis JJJJ" and "ab JJJJ", so a row's Summe and
every total stay complete whatever the window.

``FinanzenReport.tabellen()`` gives both blocks as tables of typed rows, which every
output format (terminal, Markdown, CSV, XLSX) renders; ``as_json()`` is the JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ihk import kuf
from ihk.errors import Problem, UsageError
from ihk.register import Register
from ihk.vocab import KOSTENGRUPPEN, QUELLEN

if TYPE_CHECKING:  # the module of the Fortschreibung is not needed for a report of now
    from ihk.fortschreibung import StandInfo

#: What ``--nach`` accepts, the default first.
NACH = ("kostengruppe", "oberziel", "quelle", "massnahme")

#: The heading of the rows of records without a Kostengruppe.
OHNE_KOSTENGRUPPE = "ohne Kostengruppe"
#: The heading of the costs without a source (``--nach quelle``) and their row.
OHNE_QUELLE = "ohne Jahresplan (keine Quelle angegeben)"

#: The kind of a table row: a group's heading, a record or source, a group's subtotal,
#: the sum of the sources' plans, the total.
Stil = Literal["gruppe", "eintrag", "zwischensumme", "gesamt"]


def _cents(value: float) -> float:
    """An amount as shown and exported: rounded to cents, never -0.0."""
    return round(value, 2) + 0.0


def _number(value: float) -> int | float:
    """A number for JSON: whole euros as an integer (120000, not 120000.0)."""
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class Fenster:
    """The year columns: the years of the plan within ``--von``/``--bis``, and whether
    earlier and later years are summed in a column of their own."""

    jahre: list[str]
    von: str | None
    bis: str | None
    vorjahre: bool
    folgejahre: bool

    @property
    def vor_bis(self) -> str:
        """The last of the earlier years (the column "bis JJJJ")."""
        return f"{int(self.von or '0') - 1:04d}"

    @property
    def folge_ab(self) -> str:
        """The first of the later years (the column "ab JJJJ")."""
        return f"{int(self.bis or '0') + 1:04d}"


def _jahre(per_year: dict[str, float], jahre: list[str]) -> dict[str, float]:
    """Each year column's amount (0.0 where there is none), in column order; a record
    has a few years of plan among dozens of columns."""
    found = dict.fromkeys(jahre, 0.0)
    for year, amount in per_year.items():
        if year in found:
            found[year] = _cents(amount)
    return found


@dataclass(frozen=True)
class Betraege:
    """The numbers of one row, in euros (rounded to cents)."""

    jahre: dict[str, float]  # each year column, in order
    vorjahre: float  # the plan before --von
    folgejahre: float  # the plan after --bis
    ohne_jahresplan: float  # kosten_eur of records without plan
    summe: float  # the whole plan plus ohne_jahresplan
    ist: float  # spent, all years

    @classmethod
    def von(cls, s: kuf.Summen, f: Fenster, quelle: str | None = None) -> Betraege:
        """The row of ``s`` (all money, or one source's plan and spending)."""
        per_year = s.plan_je_jahr(quelle)
        return cls(
            jahre=_jahre(per_year, f.jahre),
            vorjahre=_cents(s.plan_zwischen(None, f.vor_bis, quelle)) if f.von else 0.0,
            folgejahre=_cents(s.plan_zwischen(f.folge_ab, None, quelle)) if f.bis else 0.0,
            ohne_jahresplan=_cents(s.ohne_jahresplan) if quelle is None else 0.0,
            summe=_cents(s.gesamt if quelle is None else s.nach_quelle.get(quelle, 0.0)),
            ist=_cents(s.ist if quelle is None else s.ist_nach_quelle.get(quelle, 0.0)),
        )

    def wert(self, spalte: str) -> float:
        if spalte in self.jahre:
            return self.jahre[spalte]
        value: float = getattr(self, spalte)
        return value

    def werte(self, spalten: list[Spalte]) -> tuple[float, ...]:
        """The amounts of ``spalten`` (no percent column), in order."""
        years = self.jahre
        return tuple(
            years[s.schluessel] if s.schluessel in years else getattr(self, s.schluessel)
            for s in spalten
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "jahre": {year: _number(value) for year, value in self.jahre.items()},
            "vorjahre": _number(self.vorjahre),
            "folgejahre": _number(self.folgejahre),
            "ohne_jahresplan": _number(self.ohne_jahresplan),
            "summe": _number(self.summe),
            "ist": _number(self.ist),
        }


@dataclass(frozen=True)
class Eintrag:
    """A measure or project with its money (with ``--nach quelle``: one source's part)."""

    art: str
    id: str
    titel: str
    oberziel: str
    kostengruppe: str | None
    betraege: Betraege

    @property
    def kennung(self) -> str:
        """How ``ihk show`` takes it: the id, ``projekt/ID`` for a project."""
        return self.id if self.art == "massnahme" else f"{self.art}/{self.id}"

    def as_json(self) -> dict[str, Any]:
        return {
            "art": self.art,
            "id": self.id,
            "titel": self.titel,
            "oberziel": self.oberziel,
            "kostengruppe": self.kostengruppe,
            "betraege": self.betraege.as_json(),
        }


@dataclass(frozen=True)
class Gruppe:
    schluessel: str | None  # Kostengruppe, Oberziel or source id; None: none / all
    titel: str
    eintraege: list[Eintrag]
    summe: Betraege

    def as_json(self) -> dict[str, Any]:
        return {
            "schluessel": self.schluessel,
            "titel": self.titel,
            "eintraege": [e.as_json() for e in self.eintraege],
            "summe": self.summe.as_json(),
        }


@dataclass(frozen=True)
class QuellenZeile:
    quelle: str
    titel: str
    staedtebaufoerderung: bool
    betraege: Betraege
    anteil: float  # percent of the plan

    def as_json(self) -> dict[str, Any]:
        return {
            "quelle": self.quelle,
            "titel": self.titel,
            "staedtebaufoerderung": self.staedtebaufoerderung,
            "betraege": self.betraege.as_json(),
            "anteil": _number(self.anteil),
        }


@dataclass(frozen=True)
class Spalte:
    schluessel: str  # a year, vorjahre, folgejahre, ohne_jahresplan, summe, ist, anteil
    titel: str

    @property
    def prozent(self) -> bool:
        return self.schluessel == "anteil"

    @property
    def jahr(self) -> bool:
        return self.schluessel.isdigit()


@dataclass(frozen=True)
class Zeile:
    stil: Stil
    titel: str
    werte: tuple[float | None, ...] = ()  # one per column; empty for a group heading
    kennung: str | None = None  # a record's (as ihk show takes it) or a source's id
    art: str | None = None  # massnahme, projekt, quelle
    gruppe: str | None = None  # the title of the group the row belongs to


@dataclass(frozen=True)
class Tabelle:
    name: str  # "Kosten", "Finanzierung" (the XLSX sheet, the CSV's "Teil")
    titel: str  # "Kosten nach Kostengruppe"
    kopf: str  # heading of the label column
    spalten: list[Spalte]
    zeilen: list[Zeile]


@dataclass
class FinanzenReport:
    gebiet: str | None
    nach: str
    fenster: Fenster
    gruppen: list[Gruppe]
    summe: Betraege
    quellen: list[QuellenZeile]
    quellen_summe: Betraege  # the plan of all sources and all spending
    mit_ist: bool  # any spending at all: the Ist columns are shown
    stand: StandInfo | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def leer(self) -> bool:
        """No record states any cost."""
        return not self.gruppen

    def spalten(self) -> list[Spalte]:
        """The amount columns of the Kosten block."""
        return [*self._jahresspalten(), Spalte("ohne_jahresplan", "ohne Jahresplan"),
                Spalte("summe", "Summe"), *self._ist()]  # fmt: skip

    def quellen_spalten(self) -> list[Spalte]:
        """The columns of the Finanzierung block."""
        return [*self._jahresspalten(), Spalte("summe", "Summe"), *self._ist(),
                Spalte("anteil", "Anteil")]  # fmt: skip

    def _jahresspalten(self) -> list[Spalte]:
        f = self.fenster
        columns = [Spalte("vorjahre", f"bis {f.vor_bis}")] if f.vorjahre else []
        columns += [Spalte(y, y) for y in f.jahre]
        if f.folgejahre:
            columns.append(Spalte("folgejahre", f"ab {f.folge_ab}"))
        return columns

    def _ist(self) -> list[Spalte]:
        return [Spalte("ist", "Ist")] if self.mit_ist else []

    def tabellen(self) -> list[Tabelle]:
        """Both blocks as tables of typed rows, for every output format."""
        return [self._kosten(), self._finanzierung()]

    def _kosten(self) -> Tabelle:
        spalten = self.spalten()
        flat = self.nach == "massnahme"
        rows: list[Zeile] = []
        for g in self.gruppen:
            if not flat:
                rows.append(Zeile("gruppe", g.titel, kennung=g.schluessel, gruppe=g.titel))
            for e in g.eintraege:
                rows.append(
                    Zeile(
                        "eintrag",
                        e.titel,
                        e.betraege.werte(spalten),
                        kennung=e.kennung,
                        art=e.art,
                        gruppe=None if flat else g.titel,
                    )
                )
            if not flat:
                rows.append(
                    Zeile(
                        "zwischensumme",
                        "Summe",
                        g.summe.werte(spalten),
                        gruppe=g.titel,
                    )
                )
        rows.append(Zeile("gesamt", "Gesamt", self.summe.werte(spalten)))
        titles = {
            "kostengruppe": "Kosten nach Kostengruppe",
            "oberziel": "Kosten nach Oberziel",
            "quelle": "Kosten nach Finanzierungsquelle",
            "massnahme": "Kosten je Maßnahme und Projekt",
        }
        return Tabelle("Kosten", titles[self.nach], "Maßnahme/Projekt", spalten, rows)

    def _finanzierung(self) -> Tabelle:
        spalten = self.quellen_spalten()

        def values(b: Betraege, anteil: float | None) -> tuple[float | None, ...]:
            return tuple(anteil if s.prozent else b.wert(s.schluessel) for s in spalten)

        plan = self.quellen_summe.summe
        rows = [
            Zeile("eintrag", q.titel, values(q.betraege, q.anteil), kennung=q.quelle, art="quelle")
            for q in self.quellen
        ]
        full = 100.0 if plan else None  # no plan, no shares
        if self.summe.ohne_jahresplan:
            ohne = dataclasses.replace(
                self.summe,
                jahre=dict.fromkeys(self.summe.jahre, 0.0),
                vorjahre=0.0,
                folgejahre=0.0,
                summe=self.summe.ohne_jahresplan,
                ist=0.0,
            )
            rows += [
                Zeile("zwischensumme", "Summe der Jahrespläne", values(self.quellen_summe, full)),
                Zeile("eintrag", OHNE_QUELLE, values(ohne, None)),
                Zeile("gesamt", "Gesamt", values(self.summe, None)),
            ]
        else:
            rows.append(Zeile("gesamt", "Gesamt", values(self.quellen_summe, full)))
        return Tabelle("Finanzierung", "Finanzierung nach Quellen", "Quelle", spalten, rows)

    def as_json(self) -> dict[str, Any]:
        f = self.fenster
        return {
            "gebiet": self.gebiet,
            "stand": dataclasses.asdict(self.stand) if self.stand else None,
            "nach": self.nach,
            "von": f.von,
            "bis": f.bis,
            "jahre": list(f.jahre),
            "kosten": {
                "gruppen": [g.as_json() for g in self.gruppen],
                "summe": self.summe.as_json(),
            },
            "finanzierung": {
                "quellen": [q.as_json() for q in self.quellen],
                "summe": self.quellen_summe.as_json(),
                "ohne_jahresplan": _number(self.summe.ohne_jahresplan),
                "gesamt": _number(self.summe.summe),
            },
            "probleme": [str(p) for p in self.problems],
        }


def _jahr(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise UsageError(f"{name} „{text}“: ein Jahr JJJJ erwartet, z. B. 2005")
    return text


def fenster(s: kuf.Summen, von: str | None, bis: str | None) -> Fenster:
    """The year columns of a KuF over ``s`` for ``--von``/``--bis``."""
    von, bis = _jahr(von, "--von"), _jahr(bis, "--bis")
    if von and bis and von > bis:
        raise UsageError(f"--von {von} liegt nach --bis {bis}")
    years = [y for y in kuf.jahre(s) if (not von or y >= von) and (not bis or y <= bis)]
    return Fenster(
        jahre=years,
        von=von,
        bis=bis,
        vorjahre=bool(von) and any(y < (von or "") for y in s.nach_jahr),
        folgejahre=bool(bis) and any(y > (bis or "") for y in s.nach_jahr),
    )


def _groups(
    items: list[kuf.Posten], nach: str, register: Register
) -> list[tuple[str | None, str, list[kuf.Posten]]]:
    """(key, heading, records) per group, in the order of the KuF."""
    meta = register.meta
    if nach == "massnahme":
        return [(None, "Alle Maßnahmen und Projekte", items)] if items else []
    buckets: dict[str, list[kuf.Posten]] = {}
    if nach == "quelle":
        buckets = kuf.je_quelle(items)
        catalogue = list(meta.quellen) if meta else list(QUELLEN)
        order = [*catalogue, *(q for q in buckets if q not in catalogue and q), kuf.OHNE_QUELLE]
    elif nach == "oberziel":
        for p in items:
            buckets.setdefault(p.oberziel, []).append(p)
        goals = list(meta.ziele) if meta else []
        order = [*goals, *(g for g in buckets if g not in goals)]
    elif nach == "kostengruppe":
        for p in items:
            buckets.setdefault(p.kostengruppe or kuf.OHNE_GRUPPE, []).append(p)
        order = [*KOSTENGRUPPEN, *(g for g in buckets if g not in KOSTENGRUPPEN and g)]
        order.append(kuf.OHNE_GRUPPE)
    else:
        raise UsageError(f"--nach „{nach}“ gibt es nicht; erlaubt: {', '.join(NACH)}")
    return [
        (key or None, _heading(nach, key, register), buckets[key])
        for key in order
        if key in buckets
    ]


def _heading(nach: str, key: str, register: Register) -> str:
    meta = register.meta
    if nach == "kostengruppe":
        return KOSTENGRUPPEN.get(key, key) if key else OHNE_KOSTENGRUPPE
    if nach == "oberziel":
        goal = meta.ziele.get(key) if meta else None
        return goal.titel if goal else f"(unbekanntes Oberziel „{key}“)"
    return _source_title(key, register) if key else OHNE_QUELLE


def _source_title(key: str, register: Register) -> str:
    meta = register.meta
    if meta is not None:
        source = meta.quellen.get(key)
        return source.titel if source else f"(unbekannte Quelle „{key}“)"
    return QUELLEN[key][0] if key in QUELLEN else f"(unbekannte Quelle „{key}“)"


def _stbauf(key: str, register: Register) -> bool:
    if register.meta is not None:
        source = register.meta.quellen.get(key)
        return bool(source and source.staedtebaufoerderung)
    return QUELLEN.get(key, ("", False))[1]


def finanzen_report(
    register: Register,
    nach: str = NACH[0],
    von: str | None = None,
    bis: str | None = None,
    stand: StandInfo | None = None,
) -> FinanzenReport:
    """The KuF of ``register``: every record that states costs, grouped ``nach``."""
    if nach not in NACH:
        raise UsageError(f"--nach „{nach}“ gibt es nicht; erlaubt: {', '.join(NACH)}")
    goals = list(register.meta.ziele) if register.meta else []
    items = kuf.posten_der(register.entries, goals)
    alles = kuf.summen(items)
    f = fenster(alles, von, bis)

    def eintrag(p: kuf.Posten) -> Eintrag:
        return Eintrag(
            art=p.art,
            id=p.id,
            titel=p.titel,
            oberziel=p.oberziel,
            kostengruppe=p.kostengruppe,
            betraege=Betraege.von(kuf.summen([p]), f),
        )

    groups = [
        Gruppe(key, title, [eintrag(p) for p in members], Betraege.von(kuf.summen(members), f))
        for key, title, members in _groups(items, nach, register)
    ]
    catalogue = list(register.meta.quellen) if register.meta else list(QUELLEN)
    used = alles.quellen
    sources = [*(q for q in catalogue if q in used), *(q for q in used if q not in catalogue)]
    return FinanzenReport(
        gebiet=register.meta.gebiet if register.meta else None,
        nach=nach,
        fenster=f,
        gruppen=groups,
        summe=Betraege.von(alles, f),
        quellen=[
            QuellenZeile(
                quelle=q,
                titel=_source_title(q, register),
                staedtebaufoerderung=_stbauf(q, register),
                betraege=Betraege.von(alles, f, q),
                anteil=round(alles.anteil(q), 2) + 0.0,
            )
            for q in sources
        ],
        quellen_summe=dataclasses.replace(
            Betraege.von(alles, f), ohne_jahresplan=0.0, summe=_cents(alles.plan)
        ),
        mit_ist=bool(alles.ist_nach_quelle),
        stand=stand,
        problems=register.errors,
    )
