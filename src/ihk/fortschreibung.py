"""The Fortschreibung as data: what changed between two Stände (pure, no I/O).

The result is exactly what the template receives and what ``--format json`` prints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ihk.fields import FieldChange, diff_records, record_data
from ihk.models import STATUS_KURZ, STATUS_LEGENDE, STATUS_ORDER, Gremium, Massnahme, Projekt
from ihk.snapshot import Snapshot, Stand

MONATE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip

FELDNAMEN = {
    "titel": "Titel",
    "oberziel": "Oberziel",
    "weitere_ziele": "Weitere Ziele",
    "traeger": "Träger/Beteiligte",
    "finanzierung.staedtebaufoerderung": "Städtebauförderung",
    "finanzierung.sonstige": "Sonstige Finanzierung",
    "finanzierung.kosten_eur": "Kosten",
    "zeitraum.von": "Beginn",
    "zeitraum.bis": "Ende",
    "gremien": "Gremien",
    "ort": "Ort",
    "beschreibung": "Beschreibung",
    "aufgenommen": "Aufnahme in Konzept",
}


def monat_text(value: str | None) -> str:
    """2003-12 -> Dezember 2003; 2003-05-13 -> 13. Mai 2003."""
    if not value:
        return ""
    year, month = value[:4], int(value[5:7])
    if len(value) == 10:
        return f"{int(value[8:10])}. {MONATE[month - 1]} {year}"
    return f"{MONATE[month - 1]} {year}"


def _stand(stand: Stand) -> dict[str, Any]:
    if stand.sha is None:
        name = "Arbeitsstand (nicht committet)"
    elif stand.tag and stand.tag.startswith("stand-"):
        name = f"Stand {stand.tag[6:]}"
    elif stand.tag:
        name = f"Tag {stand.tag}"
    elif len(stand.label) == 4 and stand.label.isdigit():
        name = f"Stand Ende {stand.label}"
    else:
        name = f"Revision {stand.label}"
    return {
        "bezeichnung": name,
        "angabe": stand.label,
        "revision": stand.sha,
        "tag": stand.tag,
        "datum": stand.date.isoformat(),
        "datum_text": monat_text(stand.date.isoformat()),
        "arbeitsstand": stand.sha is None,
    }


def _money(fin: Any) -> str:
    if fin is None:
        return "–"
    parts = ["Städtebauförderung"] if fin.staedtebaufoerderung else []
    parts += list(fin.sonstige)
    text = ", ".join(parts) or "–"
    if fin.kosten_eur is not None:
        text += f" ({euro(fin.kosten_eur)})"
    return text


def euro(value: float) -> str:
    whole = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return whole.replace(",", "X").replace(".", ",").replace("X", ".") + " €"


def _value_text(field: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if field.endswith("kosten_eur"):
        return euro(value)
    if field.startswith(("zeitraum.", "laufzeit.")) or field == "aufgenommen":
        return monat_text(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return " ".join(str(value).split())


def _change(change: FieldChange) -> dict[str, Any]:
    return {
        "feld": change.field,
        "feld_text": FELDNAMEN.get(change.field, change.field),
        "alt": _value_text(change.field, change.old) if not change.is_list else None,
        "neu": _value_text(change.field, change.new) if not change.is_list else None,
        "hinzu": [str(v) for v in change.added],
        "entfernt": [str(v) for v in change.removed],
    }


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


def _latest_note(m: Massnahme) -> str | None:
    if not m.nachtraege:
        return None
    return max(m.nachtraege, key=lambda n: n.stand).text


def build(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    order = _Order(new, old)
    meta = new.meta or old.meta
    om: dict[str, Massnahme] = old.records["massnahme"]
    nm: dict[str, Massnahme] = new.records["massnahme"]

    def item(ident: str, m: Massnahme) -> dict[str, Any]:
        return {
            "id": ident,
            "titel": m.titel,
            "oberziel": m.oberziel,
            "oberziel_titel": order.title(m.oberziel),
            "status": m.status,
            "status_text": STATUS_LEGENDE[m.status],
            "traeger": list(m.traeger),
            "finanzierung": _money(m.finanzierung),
            "aufgenommen": m.aufgenommen,
            "aufgenommen_text": monat_text(m.aufgenommen),
        }

    def sort(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda i: order.key(i["oberziel"], i["titel"], i["id"]))

    # -- measures
    added = sort([item(i, m) for i, m in nm.items() if i not in om and i not in old.measure_states])
    new_groups: list[dict[str, Any]] = []
    for entry in added:
        if not new_groups or new_groups[-1]["oberziel"] != entry["oberziel"]:
            new_groups.append(
                {"oberziel": entry["oberziel"], "titel": entry["oberziel_titel"], "massnahmen": []}
            )
        new_groups[-1]["massnahmen"].append(entry)

    status_changes, dropped, changed, notes = [], [], [], []
    for ident, m in nm.items():
        before = om.get(ident)
        if before is None:
            notes += (
                [
                    {
                        **item(ident, m),
                        "stand": n.stand,
                        "stand_text": monat_text(n.stand),
                        "text": n.text,
                    }
                    for n in m.nachtraege
                ]
                if ident not in old.measure_states
                else []
            )
            continue
        if before.status != m.status:
            entry = {
                **item(ident, m),
                "alt": before.status,
                "alt_text": STATUS_KURZ[before.status],
                "neu": m.status,
                "neu_text": STATUS_KURZ[m.status],
            }
            if m.status == "nicht_umgesetzt":
                dropped.append(
                    {**item(ident, m), "grund": "nicht_umgesetzt", "nachtrag": _latest_note(m)}
                )
            else:
                status_changes.append(entry)
        fields = [c for c in diff_records(before, m) if c.field not in ("status", "nachtraege")]
        if fields:
            changed.append({**item(ident, m), "aenderungen": [_change(c) for c in fields]})
        old_notes = {(n.stand, n.text) for n in before.nachtraege}
        notes += [
            {**item(ident, m), "stand": n.stand, "stand_text": monat_text(n.stand), "text": n.text}
            for n in m.nachtraege
            if (n.stand, n.text) not in old_notes
        ]
    for ident, m in om.items():
        if ident not in nm and ident not in new.measure_states:
            dropped.append({**item(ident, m), "grund": "entfernt", "nachtrag": _latest_note(m)})

    status_changes.sort(
        key=lambda e: (e["neu"] != "abgeschlossen", *order.key(e["oberziel"], e["titel"], e["id"]))
    )
    notes.sort(key=lambda n: (n["stand"], *order.key(n["oberziel"], n["titel"], n["id"])))

    return {
        "gebiet": meta.gebiet if meta else "",
        "gemeinde": meta.gemeinde if meta else "",
        "programm": meta.programm if meta else "",
        "von": _stand(old.stand),
        "bis": _stand(new.stand),
        "status_legende": {s: STATUS_LEGENDE[s] for s in STATUS_ORDER},
        "bilanz": _bilanz(old, new, order),
        "neue_massnahmen": new_groups,
        "statusaenderungen": status_changes,
        "nicht_weiter_verfolgt": sort(dropped),
        "geaenderte_massnahmen": sort(changed),
        "neue_nachtraege": notes,
        "gremien": _committees(old, new),
        "projekte": _projects(old, new, order),
        "ungueltige_dateien": {"von": old.broken, "bis": new.broken},
    }


def _bilanz(old: Snapshot, new: Snapshot, order: _Order) -> dict[str, Any]:
    before = Counter(old.measure_states.values())
    after = Counter(new.measure_states.values())
    goals = list(order.goals) + sorted({g for g, _ in (before | after)} - set(order.goals))
    rows = []
    for goal in goals:
        von = {s: before[(goal, s)] for s in STATUS_ORDER}
        bis = {s: after[(goal, s)] for s in STATUS_ORDER}
        if sum(von.values()) or sum(bis.values()):
            rows.append(
                {
                    "oberziel": goal,
                    "titel": order.title(goal),
                    "von": von,
                    "bis": bis,
                    "summe_von": sum(von.values()),
                    "summe_bis": sum(bis.values()),
                }
            )
    total_von = {s: sum(before[(g, s)] for g in goals) for s in STATUS_ORDER}
    total_bis = {s: sum(after[(g, s)] for g in goals) for s in STATUS_ORDER}
    return {
        "zeilen": rows,
        "gesamt": {
            "von": total_von,
            "bis": total_bis,
            "summe_von": sum(total_von.values()),
            "summe_bis": sum(total_bis.values()),
        },
    }


def _committees(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    og: dict[str, Gremium] = old.records["gremium"]
    ng: dict[str, Gremium] = new.records["gremium"]

    def item(ident: str, g: Gremium) -> dict[str, Any]:
        return {
            "id": ident,
            "name": g.name,
            "art": g.art,
            "gegruendet": g.gegruendet,
            "aufgeloest": g.aufgeloest,
            "aufgeloest_text": monat_text(g.aufgeloest),
        }

    created = [item(i, g) for i, g in ng.items() if i not in og]
    dissolved = [
        item(i, g)
        for i, g in ng.items()
        if g.aufgeloest and (i not in og or og[i].aufgeloest != g.aufgeloest)
    ] + [item(i, g) for i, g in og.items() if i not in ng]
    start, end = old.stand.date.isoformat(), new.stand.date.isoformat()
    meetings = []
    for ident, g in ng.items():
        for s in g.sitzungen:
            if start < s.datum <= end:
                meetings.append(
                    {
                        "gremium": ident,
                        "name": g.name,
                        "datum": s.datum,
                        "datum_text": monat_text(s.datum),
                        "titel": s.titel,
                        "beschluesse": [
                            {
                                "text": b.text,
                                "massnahmen": list(b.massnahmen),
                                "projekte": list(b.projekte),
                            }
                            for b in s.beschluesse
                        ],
                    }
                )
    meetings.sort(key=lambda m: (m["datum"], m["name"]))

    def by_name(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda i: (i["name"].casefold(), i["id"]))

    return {"neu": by_name(created), "aufgeloest": by_name(dissolved), "sitzungen": meetings}


def _projects(old: Snapshot, new: Snapshot, order: _Order) -> dict[str, Any]:
    op: dict[str, Projekt] = old.records["projekt"]
    np_: dict[str, Projekt] = new.records["projekt"]

    def item(ident: str, p: Projekt) -> dict[str, Any]:
        return {
            "id": ident,
            "titel": p.titel,
            "oberziel": p.oberziel,
            "oberziel_titel": order.title(p.oberziel),
            "programm": p.programm,
            "status": p.status,
            "status_text": STATUS_KURZ[p.status],
            "traeger": list(p.traeger),
            "massnahmen": list(p.massnahmen),
            "laufzeit": record_data(p.laufzeit) if p.laufzeit else None,
        }

    def sort(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda i: order.key(i["oberziel"], i["titel"], i["id"]))

    created = [item(i, p) for i, p in np_.items() if i not in op]
    changes: list[dict[str, Any]] = []
    finished: list[dict[str, Any]] = []
    for ident, p in np_.items():
        before = op.get(ident)
        if before is None or before.status == p.status:
            continue
        entry = {
            **item(ident, p),
            "alt": before.status,
            "alt_text": STATUS_KURZ[before.status],
            "neu": p.status,
            "neu_text": STATUS_KURZ[p.status],
        }
        (finished if p.status == "abgeschlossen" else changes).append(entry)
    return {
        "neu": sort(created),
        "statusaenderungen": sort(changes),
        "abgeschlossen": sort(finished),
    }
