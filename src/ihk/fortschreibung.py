"""The Fortschreibung as data: what changed between two Stände (pure, no I/O).

The result is typed (dataclasses below); it is exactly what the template receives
and, through ``as_json``, what ``--format json`` prints.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict, TypeVar

from ihk import kuf, monitoring
from ihk.fields import FieldChange, diff_records, record_data
from ihk.kinds import EACH, GOAL, KEYS, KINDS
from ihk.models import Gremium, Massnahme, Projekt
from ihk.snapshot import Snapshot, Stand
from ihk.vocab import (
    GREMIUM_ART_TEXT,
    KOSTENGRUPPEN,
    STATES,
    euro,
    feldname,
    finanzierung_text,
    messwert,
    monat_text,
    prozent,
    status_kurz,
    status_legende,
    wert_text,
)

# ----------------------------------------------------------------------- the data


@dataclass(frozen=True)
class StandInfo:
    bezeichnung: str
    angabe: str
    revision: str | None
    tag: str | None
    datum: str
    datum_text: str
    arbeitsstand: bool
    #: How documents for the council name it: "Stand 2005", "Stand Ende 2005",
    #: "Stand vom 8. Dezember 2005" (another revision), "aktueller Stand".
    anzeige: str
    #: The working tree with changes not committed yet: a draft.
    entwurf: bool
    #: The revision shortened as git shows it (7 characters), for a colophon.
    revision_kurz: str | None


@dataclass(frozen=True)
class MassnahmeInfo:
    id: str
    titel: str
    oberziel: str
    oberziel_titel: str
    status: str
    status_text: str
    traeger: list[str]
    finanzierung: str
    aufgenommen: str
    aufgenommen_text: str


@dataclass(frozen=True)
class MassnahmenGruppe:
    oberziel: str
    titel: str
    massnahmen: list[MassnahmeInfo] = field(default_factory=list)


@dataclass(frozen=True)
class Statusaenderung(MassnahmeInfo):
    alt: str
    alt_text: str
    neu: str
    neu_text: str


@dataclass(frozen=True)
class NichtWeiterVerfolgt(MassnahmeInfo):
    grund: str  # "nicht_umgesetzt", "entfernt", "wieder_entfernt" (added and deleted)
    nachtrag: str | None


@dataclass(frozen=True)
class Feldaenderung:
    feld: str
    feld_text: str
    alt: str | None
    neu: str | None
    hinzu: list[str]
    entfernt: list[str]
    #: As readers see them: goal and committee ids by their titles and names.
    alt_text: str | None
    neu_text: str | None
    hinzu_text: list[str]
    entfernt_text: list[str]


@dataclass(frozen=True)
class GeaenderteMassnahme(MassnahmeInfo):
    aenderungen: list[Feldaenderung]


@dataclass(frozen=True)
class NeuerNachtrag(MassnahmeInfo):
    stand: str
    stand_text: str
    text: str


@dataclass(frozen=True)
class BilanzZeile:
    oberziel: str
    titel: str
    von: dict[str, int]
    bis: dict[str, int]
    summe_von: int
    summe_bis: int


@dataclass(frozen=True)
class BilanzGesamt:
    von: dict[str, int]
    bis: dict[str, int]
    summe_von: int
    summe_bis: int


@dataclass(frozen=True)
class Bilanz:
    zeilen: list[BilanzZeile]
    gesamt: BilanzGesamt


@dataclass(frozen=True)
class GremiumInfo:
    id: str
    name: str
    art: str
    gegruendet: str | None
    aufgeloest: str | None
    aufgeloest_text: str
    art_text: str  # "Rat", "Forum", …
    gegruendet_text: str


@dataclass(frozen=True)
class Verweis:
    """A record a Beschluss names, with its title (its id if the record is unknown)."""

    art: str  # massnahme, projekt
    id: str
    titel: str


@dataclass(frozen=True)
class BeschlussInfo:
    text: str
    massnahmen: list[str]
    projekte: list[str]
    #: The measures, then the projects, by their titles.
    verweise: list[Verweis]


@dataclass(frozen=True)
class SitzungInfo:
    gremium: str
    name: str
    datum: str
    datum_text: str
    titel: str | None
    beschluesse: list[BeschlussInfo]


@dataclass(frozen=True)
class Gremien:
    neu: list[GremiumInfo]
    aufgeloest: list[GremiumInfo]
    sitzungen: list[SitzungInfo]


@dataclass(frozen=True)
class ProjektInfo:
    id: str
    titel: str
    oberziel: str
    oberziel_titel: str
    programm: str | None
    status: str
    status_text: str
    traeger: list[str]
    massnahmen: list[str]
    laufzeit: dict[str, Any] | None


@dataclass(frozen=True)
class ProjektStatusaenderung(ProjektInfo):
    alt: str
    alt_text: str
    neu: str
    neu_text: str


@dataclass(frozen=True)
class Projekte:
    neu: list[ProjektInfo]
    statusaenderungen: list[ProjektStatusaenderung]
    abgeschlossen: list[ProjektStatusaenderung]


@dataclass(frozen=True)
class KufSumme:
    """An amount at VON and at BIS (euros) and how it changed."""

    von: float
    bis: float
    differenz: float
    differenz_text: str  # "+80.000 €", "-20.000 €", "0 €"


@dataclass(frozen=True)
class KufZeile(KufSumme):
    """One row of a KuF table: a source or a Kostengruppe."""

    schluessel: str  # source id, Kostengruppe id, "" for records without Kostengruppe
    titel: str


@dataclass(frozen=True)
class KufJahr:
    """One year of a record's plan that changed (None: no slice that year)."""

    jahr: str
    alt: float | None
    neu: float | None
    quellen_alt: dict[str, float]  # QUELLE -> amount; {} without a slice
    quellen_neu: dict[str, float]
    #: The year's total stayed, only the sources changed.
    nur_quellen: bool


@dataclass(frozen=True)
class KufPosten:
    """A measure or project whose plan, spending, cost or Kostengruppe changed."""

    art: str  # massnahme, projekt
    art_text: str  # Maßnahme, Projekt
    id: str
    titel: str
    oberziel: str
    oberziel_titel: str
    #: "neu" (not in the register at VON), "entfernt" (not at BIS) or "geändert".
    aktion: str
    #: The KuF total (the plan, else the estimated cost); None: none stated then.
    alt: float | None
    neu: float | None
    differenz: float
    differenz_text: str
    #: Spent (abgerechnet) in all years; None: nothing recorded then.
    ist_alt: float | None
    ist_neu: float | None
    #: The record's Kostengruppe at VON and BIS (None: none, or no record).
    kostengruppe_alt: str | None
    kostengruppe_neu: str | None
    kostengruppe_alt_text: str
    kostengruppe_neu_text: str
    plan: list[KufJahr]


@dataclass(frozen=True)
class KostenUndFinanzierung:
    """The KuF at VON and at BIS: totals per source and Kostengruppe, what changed."""

    #: The plans' sums per source (all years), in the order of the source catalogue.
    quellen: list[KufZeile]
    #: Estimated costs of records without a yearly plan; None if there are none.
    ohne_jahresplan: KufSumme | None
    #: Totals per Kostengruppe, in the order of the Städtebauförderrichtlinien.
    kostengruppen: list[KufZeile]
    gesamt: KufSumme
    #: What was spent (ist), all years and sources.
    abgerechnet: KufSumme
    geaendert: list[KufPosten]


@dataclass(frozen=True)
class IndikatorZiel:
    """One indicator at VON and at BIS: its latest value known at each end (from that
    end's record) and the Zielerreichung; None/"–" where it has no value (or no record)."""

    id: str
    titel: str
    einheit: str | None
    art: str
    richtung: str
    basis_text: str  # "31,4 % (2001)"
    ziel_text: str
    #: The indicator's record exists at VON / at BIS.
    vorhanden_von: bool
    vorhanden_bis: bool
    von: float | None
    von_jahr: int | None
    von_text: str  # "30,4 % (2005)", "–"
    bis: float | None
    bis_jahr: int | None
    bis_text: str
    zielerreichung_von: float | None  # percent
    zielerreichung_von_text: str  # "16 %", "–"
    zielerreichung_bis: float | None
    zielerreichung_bis_text: str
    urteil_von: str  # auf Kurs / verfehlt Richtung / keine Daten
    urteil: str  # at BIS
    #: Years whose value was recorded (or changed) between VON and BIS.
    neue_werte: list[int]


@dataclass(frozen=True)
class ZielerreichungGruppe:
    oberziel: str
    titel: str
    indikatoren: list[IndikatorZiel]


@dataclass(frozen=True)
class UngueltigeDateien:
    von: list[str]
    bis: list[str]


@dataclass(frozen=True)
class Fortschreibung:
    """What the template receives; ``as_json`` is the ``--format json`` shape."""

    gebiet: str
    gemeinde: str
    programm: str
    von: StandInfo
    bis: StandInfo
    status_legende: dict[str, str]
    bilanz: Bilanz
    neue_massnahmen: list[MassnahmenGruppe]
    statusaenderungen: list[Statusaenderung]
    nicht_weiter_verfolgt: list[NichtWeiterVerfolgt]
    geaenderte_massnahmen: list[GeaenderteMassnahme]
    neue_nachtraege: list[NeuerNachtrag]
    gremien: Gremien
    projekte: Projekte
    #: None when neither Stand states any costs.
    kosten_und_finanzierung: KostenUndFinanzierung | None
    #: Indicators per Oberziel (catalogue order); [] when none exists at either end.
    zielerreichung: list[ZielerreichungGruppe]
    ungueltige_dateien: UngueltigeDateien
    #: Nothing changed between the two Stände (the document says so in one sentence).
    keine_aenderungen: bool

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def context(self) -> dict[str, Any]:
        """Top-level names for the template (values stay typed objects)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


# --------------------------------------------------------------------- building it


class _Sortable(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def titel(self) -> str: ...
    @property
    def oberziel(self) -> str: ...


_T = TypeVar("_T", bound=_Sortable)


def stand_info(stand: Stand) -> StandInfo:
    """How a Stand is named and dated in documents and report headers."""
    if stand.sha is None:
        name = "aktueller Stand" + (
            " (mit noch nicht committeten Änderungen)" if stand.uncommitted else ""
        )
    elif stand.tag and stand.tag.startswith("stand-"):
        name = f"Stand {stand.tag[6:]}"
    elif stand.tag:
        name = f"Tag {stand.tag}"
    elif len(stand.label) == 4 and stand.label.isdigit():
        name = f"Stand Ende {stand.label}"
    else:
        name = f"Revision {stand.label}"
    datum = monat_text(stand.date.isoformat())
    if stand.sha is None:
        shown = "aktueller Stand"
    elif name.startswith(("Stand ", "Stand Ende ")):
        shown = name
    else:  # another tag or revision: named by its date, not by git's words
        shown = f"Stand vom {datum}"
    return StandInfo(
        bezeichnung=name,
        angabe=stand.label,
        revision=stand.sha,
        tag=stand.tag,
        datum=stand.date.isoformat(),
        datum_text=datum,
        arbeitsstand=stand.sha is None,
        anzeige=shown,
        entwurf=stand.sha is None and stand.uncommitted,
        revision_kurz=stand.sha[:7] if stand.sha else None,
    )


def _money(kind: str, ident: str, record: Any) -> str:
    """How a record is financed, with its KuF total (its plan, else its estimated cost)."""
    fin = record.finanzierung
    if fin is None:
        return "–"
    money = kuf.posten_von(kind, ident, record)
    total = money.gesamt if money is not None and money.hat_gesamt else None
    return finanzierung_text(fin.staedtebaufoerderung, fin.sonstige, total)


#: Fields the section "Kosten und Finanzierung" reports (year by year), not "Geänderte
#: Maßnahmen": a plan's or spending's amounts per year and source.
_KUF_FELDER = ("finanzierung.plan", "finanzierung.ist")


def _reported_elsewhere(field: str) -> bool:
    return field in ("status", "nachtraege") or any(
        field == f or field.startswith(f + ".") for f in _KUF_FELDER
    )


def _kostengruppe_text(group: str | None) -> str:
    return KOSTENGRUPPEN.get(group, group) if group else "–"


def _id_fields(kind: str) -> dict[str, str]:
    """Fields of a kind that hold ids (dotted, as in a FieldChange) -> what they name:
    ``oberziel`` -> the goal catalogue, ``gremien`` -> committees."""
    fields = {}
    for ref in KINDS[kind].references:
        path = ref.path[:-1] if ref.path[-1] == EACH else ref.path
        if not any(step in (EACH, KEYS) for step in path):
            fields[".".join(path)] = ref.target
    return fields


def _change(change: FieldChange, names: _Names, targets: dict[str, str]) -> Feldaenderung:
    def value(v: Any) -> str:
        if change.field == "finanzierung.kostengruppe":
            return _kostengruppe_text(v)
        return wert_text(change.field, v)

    target = targets.get(change.field)

    def shown(v: Any) -> str:
        return names.of(target, v) if target is not None and isinstance(v, str) else value(v)

    return Feldaenderung(
        feld=change.field,
        feld_text=feldname(change.field),
        alt=value(change.old) if not change.is_list else None,
        neu=value(change.new) if not change.is_list else None,
        hinzu=[str(v) for v in change.added],
        entfernt=[str(v) for v in change.removed],
        alt_text=shown(change.old) if not change.is_list else None,
        neu_text=shown(change.new) if not change.is_list else None,
        hinzu_text=[shown(v) for v in change.added],
        entfernt_text=[shown(v) for v in change.removed],
    )


class _Order:
    """Goal catalogue order, then title."""

    def __init__(self, new: Snapshot, old: Snapshot) -> None:
        meta = new.meta or old.meta
        self.goals = dict(meta.ziele) if meta else {}
        self.index = {goal: i for i, goal in enumerate(self.goals)}

    def title(self, goal: str) -> str:
        entry = self.goals.get(goal)
        return entry.titel if entry else f"(unbekanntes Oberziel „{goal}“)"

    def key(self, goal: str, title: str, ident: str) -> tuple[int, str, str, str]:
        return (self.index.get(goal, len(self.index)), goal, title.casefold(), ident)

    def sort(self, items: list[_T]) -> list[_T]:
        return sorted(items, key=lambda i: self.key(i.oberziel, i.titel, i.id))


class _Names:
    """What an id names, as readers see it: a goal's title, a record's title or name
    (from the newer Stand, else the older); the id itself if neither knows it."""

    def __init__(self, old: Snapshot, new: Snapshot, order: _Order) -> None:
        self.order = order
        self.records = (new.records, old.records)

    def of(self, target: str, ident: str) -> str:
        if target == GOAL:
            return self.order.title(ident)
        kind = KINDS.get(target)
        for records in self.records:
            record = records.get(target, {}).get(ident)
            if kind is not None and record is not None:
                return kind.title(record)
        return ident


class _Wechsel(TypedDict):
    alt: str
    alt_text: str
    neu: str
    neu_text: str


def _wechsel(alt: str, neu: str) -> _Wechsel:
    """The fields of a state change."""
    return {"alt": alt, "alt_text": status_kurz(alt), "neu": neu, "neu_text": status_kurz(neu)}


def _latest_note(m: Massnahme) -> str | None:
    if not m.nachtraege:
        return None
    return max(m.nachtraege, key=lambda n: n.stand).text


def _fields(info: Any) -> dict[str, Any]:
    """The fields of a dataclass, shallow, to extend it into a subclass."""
    return {f.name: getattr(info, f.name) for f in dataclasses.fields(info)}


def build(
    old: Snapshot, new: Snapshot, gone_between: dict[str, Massnahme] | None = None
) -> Fortschreibung:
    """The Fortschreibung from ``old`` to ``new``; ``gone_between`` are measures added
    and deleted again in between (only the history knows them)."""
    order = _Order(new, old)
    names = _Names(old, new, order)
    id_fields = _id_fields("massnahme")
    meta = new.meta or old.meta
    om: Mapping[str, Massnahme] = old.records["massnahme"]
    nm: Mapping[str, Massnahme] = new.records["massnahme"]
    same = new.same["massnahme"]  # the same file at both ends: nothing changed

    def item(ident: str, m: Massnahme) -> MassnahmeInfo:
        return MassnahmeInfo(
            id=ident,
            titel=m.titel,
            oberziel=m.oberziel,
            oberziel_titel=order.title(m.oberziel),
            status=m.status,
            status_text=status_legende(m.status),
            traeger=list(m.traeger),
            finanzierung=_money("massnahme", ident, m),
            aufgenommen=m.aufgenommen,
            aufgenommen_text=monat_text(m.aufgenommen),
        )

    def note(ident: str, m: Massnahme, stand: str, text: str) -> NeuerNachtrag:
        return NeuerNachtrag(
            **_fields(item(ident, m)), stand=stand, stand_text=monat_text(stand), text=text
        )

    # -- measures
    # a measure whose file is still there but invalid at BIS is not gone (it is listed
    # under the invalid files); one repaired since VON counts as new to the valid IHK
    new_broken = new.broken_ids["massnahme"]
    added = order.sort([item(i, nm[i]) for i in nm if i not in om and i not in old.measure_states])
    new_groups: list[MassnahmenGruppe] = []
    for entry in added:
        if not new_groups or new_groups[-1].oberziel != entry.oberziel:
            new_groups.append(MassnahmenGruppe(entry.oberziel, entry.oberziel_titel))
        new_groups[-1].massnahmen.append(entry)

    status_changes: list[Statusaenderung] = []
    dropped: list[NichtWeiterVerfolgt] = []
    changed: list[GeaenderteMassnahme] = []
    notes: list[NeuerNachtrag] = []
    for ident in nm:
        if ident in same:  # (not even built)
            continue
        m = nm[ident]
        before = om.get(ident)
        if before is None:
            if ident not in old.measure_states:
                notes += [note(ident, m, n.stand, n.text) for n in m.nachtraege]
                if m.status == "nicht_umgesetzt":  # new, and already given up
                    dropped.append(
                        NichtWeiterVerfolgt(
                            **_fields(item(ident, m)),
                            grund="nicht_umgesetzt",
                            nachtrag=_latest_note(m),
                        )
                    )
            continue
        if before is m:  # the same file at both ends (read once): nothing changed
            continue
        if before.status != m.status:
            if m.status == "nicht_umgesetzt":
                dropped.append(
                    NichtWeiterVerfolgt(
                        **_fields(item(ident, m)),
                        grund="nicht_umgesetzt",
                        nachtrag=_latest_note(m),
                    )
                )
            else:
                status_changes.append(
                    Statusaenderung(**_fields(item(ident, m)), **_wechsel(before.status, m.status))
                )
        fields = [c for c in diff_records(before, m) if not _reported_elsewhere(c.field)]
        if fields:
            changed.append(
                GeaenderteMassnahme(
                    **_fields(item(ident, m)),
                    aenderungen=[_change(c, names, id_fields) for c in fields],
                )
            )
        old_notes = {(n.stand, n.text) for n in before.nachtraege}
        notes += [
            note(ident, m, n.stand, n.text)
            for n in m.nachtraege
            if (n.stand, n.text) not in old_notes
        ]
    for ident in om:
        if ident not in nm and ident not in new.measure_states and ident not in new_broken:
            m = om[ident]
            dropped.append(
                NichtWeiterVerfolgt(
                    **_fields(item(ident, m)), grund="entfernt", nachtrag=_latest_note(m)
                )
            )
    for ident, m in (gone_between or {}).items():
        dropped.append(
            NichtWeiterVerfolgt(
                **_fields(item(ident, m)), grund="wieder_entfernt", nachtrag=_latest_note(m)
            )
        )

    status_changes.sort(
        key=lambda e: (e.neu != "abgeschlossen", *order.key(e.oberziel, e.titel, e.id))
    )
    notes.sort(key=lambda n: (n.stand, *order.key(n.oberziel, n.titel, n.id)))

    gremien = _committees(old, new, names)
    projekte = _projects(old, new, order)
    money = _kuf(old, new, order)
    goals = _zielerreichung(old, new, order)
    unchanged = not any(
        (new_groups, status_changes, dropped, changed, notes, gremien.neu, gremien.aufgeloest,
         gremien.sitzungen, projekte.neu, projekte.statusaenderungen, projekte.abgeschlossen,
         money and money.geaendert, _indicators_changed(goals))
    )  # fmt: skip
    return Fortschreibung(
        gebiet=meta.gebiet if meta else "",
        gemeinde=meta.gemeinde if meta else "",
        programm=meta.programm if meta else "",
        von=stand_info(old.stand),
        bis=stand_info(new.stand),
        status_legende={s: status_legende(s) for s in STATES},
        bilanz=_bilanz(old, new, order),
        neue_massnahmen=new_groups,
        statusaenderungen=status_changes,
        nicht_weiter_verfolgt=order.sort(dropped),
        geaenderte_massnahmen=order.sort(changed),
        neue_nachtraege=notes,
        gremien=gremien,
        projekte=projekte,
        kosten_und_finanzierung=money,
        zielerreichung=goals,
        ungueltige_dateien=UngueltigeDateien(von=old.broken, bis=new.broken),
        keine_aenderungen=unchanged,
    )


def _bilanz(old: Snapshot, new: Snapshot, order: _Order) -> Bilanz:
    before = Counter(old.measure_states.values())
    after = Counter(new.measure_states.values())
    goals = list(order.goals) + sorted({g for g, _ in (before | after)} - set(order.goals))
    rows = []
    for goal in goals:
        von = {s: before[(goal, s)] for s in STATES}
        bis = {s: after[(goal, s)] for s in STATES}
        if sum(von.values()) or sum(bis.values()):
            rows.append(
                BilanzZeile(
                    oberziel=goal,
                    titel=order.title(goal),
                    von=von,
                    bis=bis,
                    summe_von=sum(von.values()),
                    summe_bis=sum(bis.values()),
                )
            )
    total_von = {s: sum(before[(g, s)] for g in goals) for s in STATES}
    total_bis = {s: sum(after[(g, s)] for g in goals) for s in STATES}
    return Bilanz(
        zeilen=rows,
        gesamt=BilanzGesamt(
            von=total_von,
            bis=total_bis,
            summe_von=sum(total_von.values()),
            summe_bis=sum(total_bis.values()),
        ),
    )


def _committees(old: Snapshot, new: Snapshot, names: _Names) -> Gremien:
    og: Mapping[str, Gremium] = old.records["gremium"]
    ng: Mapping[str, Gremium] = new.records["gremium"]

    def item(ident: str, g: Gremium) -> GremiumInfo:
        return GremiumInfo(
            id=ident,
            name=g.name,
            art=g.art,
            gegruendet=g.gegruendet,
            aufgeloest=g.aufgeloest,
            aufgeloest_text=monat_text(g.aufgeloest),
            art_text=GREMIUM_ART_TEXT[g.art],
            gegruendet_text=monat_text(g.gegruendet),
        )

    def beschluss(b: Any) -> BeschlussInfo:
        refs = [("massnahme", i) for i in b.massnahmen] + [("projekt", i) for i in b.projekte]
        return BeschlussInfo(
            b.text,
            list(b.massnahmen),
            list(b.projekte),
            [Verweis(art, i, names.of(art, i)) for art, i in refs],
        )

    created = [item(i, g) for i, g in ng.items() if i not in og]
    dissolved = [
        item(i, g)
        for i, g in ng.items()
        if g.aufgeloest and (i not in og or og[i].aufgeloest != g.aufgeloest)
    ] + [item(i, g) for i, g in og.items() if i not in ng]
    start, end = old.stand.date.isoformat(), new.stand.date.isoformat()
    meetings = [
        SitzungInfo(
            gremium=ident,
            name=g.name,
            datum=s.datum,
            datum_text=monat_text(s.datum),
            titel=s.titel,
            beschluesse=[beschluss(b) for b in s.beschluesse],
        )
        for ident, g in ng.items()
        for s in g.sitzungen
        if start < s.datum <= end
    ]
    meetings.sort(key=lambda m: (m.datum, m.name))

    def by_name(items: list[GremiumInfo]) -> list[GremiumInfo]:
        return sorted(items, key=lambda i: (i.name.casefold(), i.id))

    return Gremien(neu=by_name(created), aufgeloest=by_name(dissolved), sitzungen=meetings)


def _projects(old: Snapshot, new: Snapshot, order: _Order) -> Projekte:
    op: Mapping[str, Projekt] = old.records["projekt"]
    np_: Mapping[str, Projekt] = new.records["projekt"]

    def item(ident: str, p: Projekt) -> ProjektInfo:
        return ProjektInfo(
            id=ident,
            titel=p.titel,
            oberziel=p.oberziel,
            oberziel_titel=order.title(p.oberziel),
            programm=p.programm,
            status=p.status,
            status_text=status_kurz(p.status),
            traeger=list(p.traeger),
            massnahmen=list(p.massnahmen),
            laufzeit=record_data(p.laufzeit) if p.laufzeit else None,
        )

    created = [item(i, p) for i, p in np_.items() if i not in op]
    changes: list[ProjektStatusaenderung] = []
    finished: list[ProjektStatusaenderung] = []
    for ident, p in np_.items():
        before = op.get(ident)
        if before is None or before.status == p.status:
            continue
        entry = ProjektStatusaenderung(
            **_fields(item(ident, p)), **_wechsel(before.status, p.status)
        )
        (finished if p.status == "abgeschlossen" else changes).append(entry)
    return Projekte(
        neu=order.sort(created),
        statusaenderungen=order.sort(changes),
        abgeschlossen=order.sort(finished),
    )


# ------------------------------------------------------------ Kosten und Finanzierung


def _betrag(value: float) -> float:
    """An amount rounded to cents; whole euros as whole numbers (480000, not 480000.0)."""
    cents = round(value, 2) + 0.0  # + 0.0: no -0.0
    return int(cents) if cents.is_integer() else cents


def _delta_text(value: float) -> str:
    """A difference with its sign: +80.000 €, -20.000 €, 0 €."""
    return ("+" if value > 0 else "") + euro(value)


def _summe(von: float, bis: float) -> KufSumme:
    von, bis = _betrag(von), _betrag(bis)
    delta = _betrag(bis - von)
    return KufSumme(von=von, bis=bis, differenz=delta, differenz_text=_delta_text(delta))


def _zeile(key: str, title: str, von: float, bis: float) -> KufZeile:
    return KufZeile(**_fields(_summe(von, bis)), schluessel=key, titel=title)


def _optional(value: float | None) -> float | None:
    return None if value is None else _betrag(value)


def _kuf(old: Snapshot, new: Snapshot, order: _Order) -> KostenUndFinanzierung | None:
    """The KuF of both Stände and what changed; None if neither states any costs."""
    goals = list(order.goals)
    # from the records' summaries: a record the cache knows is not built for its money
    made: dict[int, kuf.Posten | None] = {}  # a record the same at both ends: one Posten
    before = kuf.posten_der(old.entries, goals, made)
    after = kuf.posten_der(new.entries, goals, made)
    if not before and not after:
        return None
    s_old = kuf.summen(before)
    s_new = kuf.gleiche_summen(after, before, s_old)

    catalogue: dict[str, str] = {}
    for meta in (new.meta, old.meta):
        for ident, quelle in (meta.quellen if meta else {}).items():
            catalogue.setdefault(ident, quelle.titel)
    used = s_old.nach_quelle.keys() | s_new.nach_quelle.keys()
    sources = [q for q in catalogue if q in used] + sorted(used - catalogue.keys())
    quellen = [
        _zeile(q, catalogue.get(q, q), s_old.nach_quelle.get(q, 0.0), s_new.nach_quelle.get(q, 0.0))
        for q in sources
    ]
    groups = [
        g
        for g in (*KOSTENGRUPPEN, kuf.OHNE_GRUPPE)
        if g in s_old.nach_kostengruppe or g in s_new.nach_kostengruppe
    ]
    kostengruppen = [
        _zeile(
            g,
            KOSTENGRUPPEN[g] if g else "ohne Kostengruppe",
            s_old.nach_kostengruppe.get(g, 0.0),
            s_new.nach_kostengruppe.get(g, 0.0),
        )
        for g in groups
    ]
    ohne = (
        _summe(s_old.ohne_jahresplan, s_new.ohne_jahresplan)
        if s_old.ohne_jahresplan or s_new.ohne_jahresplan
        else None
    )
    # a record unreadable at one end cannot be compared: it is listed as an invalid file
    unreadable = [(k, i) for snap in (old, new) for k, ids in snap.broken_ids.items() for i in ids]
    changed = [
        _kuf_posten(a, old, new, order)
        for a in kuf.aenderungen(before, after, ausgenommen=unreadable)
    ]
    kinds = list(KINDS)
    return KostenUndFinanzierung(
        quellen=quellen,
        ohne_jahresplan=ohne,
        kostengruppen=kostengruppen,
        gesamt=_summe(s_old.gesamt, s_new.gesamt),
        abgerechnet=_summe(s_old.ist, s_new.ist),
        geaendert=sorted(order.sort(changed), key=lambda p: kinds.index(p.art)),
    )


def _kostengruppe_of(record: Any) -> str | None:
    fin = getattr(record, "finanzierung", None)
    return fin.kostengruppe if fin is not None else None


def _kuf_posten(change: kuf.Aenderung, old: Snapshot, new: Snapshot, order: _Order) -> KufPosten:
    p = change.posten
    # the record itself, also when it states no money at one end
    before, after = old.records[p.art].get(p.id), new.records[p.art].get(p.id)
    group_old, group_new = _kostengruppe_of(before), _kostengruppe_of(after)
    delta = _betrag(change.differenz)
    return KufPosten(
        art=p.art,
        art_text=KINDS[p.art].label,
        id=p.id,
        titel=p.titel,
        oberziel=p.oberziel,
        oberziel_titel=order.title(p.oberziel),
        aktion="neu" if before is None else "entfernt" if after is None else "geändert",
        alt=_optional(change.gesamt_alt),
        neu=_optional(change.gesamt_neu),
        differenz=delta,
        differenz_text=_delta_text(delta),
        ist_alt=_optional(change.ist_alt),
        ist_neu=_optional(change.ist_neu),
        kostengruppe_alt=group_old,
        kostengruppe_neu=group_new,
        kostengruppe_alt_text=_kostengruppe_text(group_old),
        kostengruppe_neu_text=_kostengruppe_text(group_new),
        plan=[
            KufJahr(
                jahr=s.jahr,
                alt=_optional(s.summe_alt),
                neu=_optional(s.summe_neu),
                quellen_alt={q: _betrag(v) for q, v in (s.alt or {}).items()},
                quellen_neu={q: _betrag(v) for q, v in (s.neu or {}).items()},
                nur_quellen=s.summe_alt == s.summe_neu,
            )
            for s in change.plan
        ],
    )


# ------------------------------------------------------------------ Zielerreichung


def _messung_text(m: monitoring.Messung | None, einheit: str | None) -> str:
    """30.4, "%" -> "30,4 % (2005)"; "–" without a value."""
    if m is None:
        return "–"
    unit = f" {einheit}" if einheit else ""
    return f"{messwert(m.wert)}{unit} ({m.jahr})"


def _prozent_text(value: float | None) -> str:
    return prozent(value, 0) if value is not None else "–"


def _indikator_ziel(ident: str, before: Any, after: Any) -> IndikatorZiel:
    # each end's latest value from that end's record (monitoring computes the rest)
    von = monitoring.indikator_stand(ident, before) if before is not None else None
    bis = monitoring.indikator_stand(ident, after) if after is not None else None
    main = bis or von
    assert main is not None
    old_values = {(m.jahr, m.wert) for m in von.werte} if von else set()
    new_years = sorted(
        {m.jahr for m in (bis.werte if bis else []) if (m.jahr, m.wert) not in old_values}
    )
    v = von.letzter if von else None
    b = bis.letzter if bis else None
    return IndikatorZiel(
        id=ident,
        titel=main.titel,
        einheit=main.einheit,
        art=main.art,
        richtung=main.richtung,
        basis_text=_messung_text(main.basis, main.einheit),
        ziel_text=_messung_text(main.ziel, main.einheit),
        vorhanden_von=von is not None,
        vorhanden_bis=bis is not None,
        von=v.wert if v else None,
        von_jahr=v.jahr if v else None,
        von_text=_messung_text(v, von.einheit if von else None),
        bis=b.wert if b else None,
        bis_jahr=b.jahr if b else None,
        bis_text=_messung_text(b, main.einheit),
        zielerreichung_von=von.zielerreichung if von else None,
        zielerreichung_von_text=_prozent_text(von.zielerreichung if von else None),
        zielerreichung_bis=bis.zielerreichung if bis else None,
        zielerreichung_bis_text=_prozent_text(bis.zielerreichung if bis else None),
        urteil_von=von.urteil if von else monitoring.KEINE_DATEN,
        urteil=bis.urteil if bis else monitoring.KEINE_DATEN,
        neue_werte=new_years,
    )


def _zielerreichung(old: Snapshot, new: Snapshot, order: _Order) -> list[ZielerreichungGruppe]:
    """Per Oberziel (catalogue order, then unknown goals), each indicator at both ends."""
    before: Mapping[str, Any] = old.records.get("indikator", {})
    after: Mapping[str, Any] = new.records.get("indikator", {})
    rows = [
        (record.oberziel, _indikator_ziel(ident, before.get(ident), after.get(ident)))
        for ident, record in {**before, **after}.items()
    ]
    rows.sort(key=lambda r: order.key(r[0], r[1].titel, r[1].id))
    groups: list[ZielerreichungGruppe] = []
    for goal, row in rows:
        if not groups or groups[-1].oberziel != goal:
            groups.append(ZielerreichungGruppe(goal, order.title(goal), []))
        groups[-1].indikatoren.append(row)
    return groups


def _indicators_changed(groups: list[ZielerreichungGruppe]) -> bool:
    """An indicator came, went, or had values recorded in the range."""
    return any(
        i.neue_werte
        or not (i.vorhanden_von and i.vorhanden_bis)
        or (i.von, i.von_jahr) != (i.bis, i.bis_jahr)
        for g in groups
        for i in g.indikatoren
    )
