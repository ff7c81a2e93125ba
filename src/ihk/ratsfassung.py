"""The council's version of a report: a ``dokument.Dokument`` in the reader's words.

Pure: the typed report in, the document out. Council members read titles and names,
not ids (``kennungen=True`` adds the ids in small type, for staff), German dates, the
Stände by their names ("Stand 2005", "aktueller Stand") and git's revisions only in the
colophon, shortened. The section headings are those of the Markdown document
(SPEC §4), so people find the same sections in every format.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from ihk.dokument import (
    Absatz,
    Angaben,
    Block,
    Dokument,
    Lauf,
    Legende,
    Liste,
    Spalte,
    SpaltenArt,
    Tabelle,
    Tabellenzeile,
    Ueberschrift,
    Zeile,
    Zelle,
    zeile,
)
from ihk.fortschreibung import (
    Feldaenderung,
    Fortschreibung,
    KufPosten,
    KufSumme,
    KufZeile,
    StandInfo,
)
from ihk.tabelle import IhkTabelle
from ihk.vocab import LEGENDE, STATES, STATUS, euro, monat_text, status_kurz

#: Why a measure is no longer pursued, by ``NichtWeiterVerfolgt.grund``.
_GRUND = {
    "nicht_umgesetzt": "war geplant, nicht umgesetzt",
    "entfernt": "aus dem Konzept gestrichen",
    "wieder_entfernt": "in diesem Zeitraum aufgenommen und wieder gestrichen",
}


def farben() -> tuple[tuple[str, str, str], ...]:
    """Each state's legend colours in print: text and a light fill (``#RRGGBB``)."""
    return tuple((s, f"#{STATUS[s].schrift}", f"#{STATUS[s].fuellung}") for s in STATES)


def legende() -> Legende:
    """The legend in the IHK's own order (Grün, Blau, Rot, Schwarz)."""
    return Legende(tuple((s, STATUS[s].farbe, STATUS[s].legende) for s in LEGENDE))


def stand_lang(stand: StandInfo) -> str:
    """ "Stand 2005 (8. Dezember 2005)", "aktueller Stand (Entwurf, 7. März 2026)",
    "Stand vom 3. März 2006"."""
    if stand.anzeige.endswith(stand.datum_text):
        return stand.anzeige
    draft = "Entwurf, " if stand.entwurf else ""
    return f"{stand.anzeige} ({draft}{stand.datum_text})"


class _Worte:
    """Building blocks of lines, with or without ids."""

    def __init__(self, kennungen: bool) -> None:
        self.kennungen = kennungen

    def benannt(self, titel: str, ident: str, *, fett: bool = False) -> Zeile:
        """A record by its title; with ``kennungen`` its id follows in small type."""
        name = Lauf(titel, "fett" if fett else "")
        if not self.kennungen:
            return (name,)
        return (name, Lauf(" ("), Lauf(ident, "kennung"), Lauf(")"))


def _status(state: str, text: str | None = None) -> Lauf:
    return Lauf(text if text is not None else status_kurz(state), status=state)


def _zeile(*cells: Zelle | Zeile | str, art: str = "") -> Tabellenzeile:
    """A table row; a cell given as one line or a string is a cell of one line."""
    shaped: list[Zelle] = []
    for cell in cells:
        if isinstance(cell, str):
            shaped.append((zeile(cell),))
        elif cell and isinstance(cell[0], Lauf):
            shaped.append((cell,))
        else:
            shaped.append(cast(Zelle, cell))
    return Tabellenzeile(tuple(shaped), art=cast(Any, art))


def _h(level: int, text: str | Zeile) -> Ueberschrift:
    return Ueberschrift(level, zeile(text) if isinstance(text, str) else text)


def _einleitung(text: str) -> Absatz:
    return Absatz(zeile(text), "einleitung")


def _fest(text: str) -> str:
    """An amount or date kept on one line: "10.000 €", "Plan 2006"."""
    return text.replace(" €", "\u00a0€").replace("Plan ", "Plan\u00a0")


def _euro(value: float) -> str:
    return _fest(euro(value))


def _betrag(value: float | None) -> str:
    return "–" if value is None else _euro(value)


def _wechsel(alt: str, neu: str) -> str:
    """ "20.000 € → –" on one line (a line may break before it, not inside)."""
    return f"{alt}\u00a0→\u00a0{neu}"


def _von_bis(von: int, bis: int) -> str:
    """A count at both ends: one number when it stayed, "1 → 0" when it changed."""
    return str(bis) if von == bis else f"{von} → {bis}"


# ------------------------------------------------------------------ the Fortschreibung


def fortschreibung(f: Fortschreibung, *, kennungen: bool = False) -> Dokument:
    """The Fortschreibung as the council reads it."""
    w = _Worte(kennungen)
    von, bis = stand_lang(f.von), stand_lang(f.bis)
    blocks: list[Block] = [
        Angaben(
            (
                ("Gebiet", zeile(", ".join(p for p in (f.gebiet, f.gemeinde) if p))),
                ("Programm", zeile(f.programm)),
                ("Von", zeile(von)),
                ("Bis", zeile(bis)),
            )
        )
    ]
    if f.keine_aenderungen:
        blocks.append(
            Absatz(
                zeile(f"Zwischen {von} und {bis} hat sich am Integrierten Handlungskonzept "
                      "nichts geändert.")
            )
        )  # fmt: skip
    blocks += _bilanz(f)
    blocks += _neue_massnahmen(f, w)
    blocks += _statusaenderungen(f, w)
    blocks += _nicht_weiter_verfolgt(f, w)
    blocks += _geaenderte_massnahmen(f, w)
    blocks += _neue_nachtraege(f, w)
    blocks += _gremien(f, w)
    blocks += _projekte(f, w)
    blocks += _zielerreichung(f, w)
    blocks += _kosten(f, w)
    blocks += _ungueltige_dateien(f)
    blocks.append(_kolophon(f))
    gebiet = f.gebiet or "–"
    title = f"Fortschreibung des Integrierten Handlungskonzepts – {gebiet}"
    return Dokument(
        art="fortschreibung",
        titel=title,
        untertitel=f"{f.von.anzeige} bis {f.bis.anzeige}",
        kopfzeile=title,
        kopfzeile_rechts="",
        fusszeile=f"Fortschreibung des IHK {gebiet} · Stand: {f.bis.datum_text}",
        querformat=False,
        bloecke=tuple(blocks),
        farben=farben(),
    )


def _bilanz(f: Fortschreibung) -> list[Block]:
    if not f.bilanz.zeilen:
        return []
    columns = (
        Spalte("Oberziel"),
        *(Spalte(status_kurz(s), "zahl", status=s) for s in STATES),
        Spalte("Summe", "zahl"),
    )
    rows = [
        _zeile(
            z.titel,
            *(_von_bis(z.von[s], z.bis[s]) for s in STATES),
            _von_bis(z.summe_von, z.summe_bis),
        )
        for z in f.bilanz.zeilen
    ]
    g = f.bilanz.gesamt
    rows.append(
        _zeile(
            "Gesamt",
            *(_von_bis(g.von[s], g.bis[s]) for s in STATES),
            _von_bis(g.summe_von, g.summe_bis),
            art="summe",
        )
    )
    return [
        _h(2, "Bilanz"),
        _einleitung(
            f"Maßnahmen je Oberziel und Umsetzungsstand, {f.von.anzeige} → {f.bis.anzeige} "
            "(eine Zahl allein: unverändert)."
        ),
        Tabelle(columns, tuple(rows)),
        legende(),
    ]


def _neue_massnahmen(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.neue_massnahmen:
        return []
    blocks: list[Block] = [_h(2, "Neue Maßnahmen")]
    columns = (
        Spalte("Maßnahme"),
        Spalte("Träger/Beteiligte"),
        Spalte("Finanzierung"),
        Spalte("Aufnahme", "kurz"),
        Spalte("Stand", "kurz"),
    )
    for gruppe in f.neue_massnahmen:
        rows = tuple(
            _zeile(
                w.benannt(m.titel, m.id),
                ", ".join(m.traeger) or "–",
                _fest(m.finanzierung),
                m.aufgenommen_text,
                (_status(m.status),),
            )
            for m in gruppe.massnahmen
        )
        blocks += [_h(3, f"Oberziel: {gruppe.titel}"), Tabelle(columns, rows)]
    return blocks


def _statusaenderungen(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.statusaenderungen:
        return []
    columns = (Spalte("Maßnahme"), Spalte("Oberziel"), Spalte("Bisher", "kurz"),
               Spalte("Jetzt", "kurz"))  # fmt: skip
    rows = tuple(
        _zeile(
            w.benannt(m.titel, m.id),
            m.oberziel_titel,
            (_status(m.alt),),
            (_status(m.neu),),
        )
        for m in f.statusaenderungen
    )
    return [_h(2, "Statusänderungen"), Tabelle(columns, rows)]


def _nicht_weiter_verfolgt(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.nicht_weiter_verfolgt:
        return []
    items = []
    for m in f.nicht_weiter_verfolgt:
        line = [*w.benannt(m.titel, m.id, fett=True), Lauf(f" ({m.oberziel_titel}) – ")]
        line.append(_status("nicht_umgesetzt", _GRUND.get(m.grund, m.grund)))
        if m.nachtrag:
            line.append(Lauf(f": {m.nachtrag}"))
        items.append(tuple(line))
    return [_h(2, "Nicht weiter verfolgt"), Liste(tuple(items))]


def _aenderung(a: Feldaenderung) -> Zeile:
    if a.hinzu_text or a.entfernt_text:
        parts = []
        if a.hinzu_text:
            parts.append("neu " + ", ".join(a.hinzu_text))
        if a.entfernt_text:
            parts.append("entfällt " + ", ".join(a.entfernt_text))
        return zeile(f"{a.feld_text}: " + "; ".join(parts))
    return zeile(f"{a.feld_text}: {a.alt_text} → {a.neu_text}")


def _geaenderte_massnahmen(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.geaenderte_massnahmen:
        return []
    rows = tuple(
        _zeile(w.benannt(m.titel, m.id), tuple(_aenderung(a) for a in m.aenderungen))
        for m in f.geaenderte_massnahmen
    )
    return [
        _h(2, "Geänderte Maßnahmen"),
        Tabelle((Spalte("Maßnahme"), Spalte("Änderungen")), rows),
    ]


def _neue_nachtraege(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.neue_nachtraege:
        return []
    items = tuple(
        (*w.benannt(n.titel, n.id, fett=True), Lauf(f", Nachtrag {n.stand_text}: {n.text}"))
        for n in f.neue_nachtraege
    )
    return [_h(2, "Neue Nachträge"), Liste(items)]


def _gremien(f: Fortschreibung, w: _Worte) -> list[Block]:
    g = f.gremien
    if not (g.neu or g.aufgeloest or g.sitzungen):
        return []
    blocks: list[Block] = [_h(2, "Gremien")]
    items: list[Zeile] = []
    for gr in g.neu:
        since = f", gegründet {gr.gegruendet_text}" if gr.gegruendet else ""
        items.append((Lauf("Neu: "), *w.benannt(gr.name, gr.id, fett=True),
                      Lauf(f" ({gr.art_text}){since}")))  # fmt: skip
    for gr in g.aufgeloest:
        when = f", {gr.aufgeloest_text}" if gr.aufgeloest else ""
        items.append((Lauf("Aufgelöst: "), *w.benannt(gr.name, gr.id, fett=True),
                      Lauf(f" ({gr.art_text}){when}")))  # fmt: skip
    if items:
        blocks.append(Liste(tuple(items)))
    for s in g.sitzungen:
        title = f"{s.name}, {s.datum_text}" + (f": {s.titel}" if s.titel else "")
        decisions: list[Zeile] = []
        for b in s.beschluesse:
            line = [Lauf(b.text)]
            if b.verweise:
                line.append(Lauf(" – betrifft: ", "leise"))
                for i, v in enumerate(b.verweise):
                    if i:
                        line.append(Lauf("; ", "leise"))
                    line += [Lauf(x.text, "leise" if x.art == "" else x.art, x.status)
                             for x in w.benannt(v.titel, v.id)]  # fmt: skip
            decisions.append(tuple(line))
        blocks += [
            _h(3, title),
            Liste(tuple(decisions) or (zeile("Keine Beschlüsse verzeichnet."),)),
        ]
    return blocks


def _projekte(f: Fortschreibung, w: _Worte) -> list[Block]:
    p = f.projekte
    if not (p.neu or p.statusaenderungen or p.abgeschlossen):
        return []
    blocks: list[Block] = [_h(2, "Projekte")]
    if p.neu:
        columns = (Spalte("Projekt"), Spalte("Oberziel"), Spalte("Programm"),
                   Spalte("Träger"), Spalte("Stand", "kurz"))  # fmt: skip
        rows = tuple(
            _zeile(
                w.benannt(x.titel, x.id),
                x.oberziel_titel,
                x.programm or "–",
                ", ".join(x.traeger) or "–",
                (_status(x.status),),
            )
            for x in p.neu
        )
        blocks += [_h(3, "Neue Projekte"), Tabelle(columns, rows)]
    if p.statusaenderungen:
        changes = tuple(
            _zeile(w.benannt(x.titel, x.id), (_status(x.alt),), (_status(x.neu),))
            for x in p.statusaenderungen
        )
        blocks += [
            _h(3, "Statusänderungen"),
            Tabelle((Spalte("Projekt"), Spalte("Bisher", "kurz"), Spalte("Jetzt", "kurz")),
                    changes),
        ]  # fmt: skip
    if p.abgeschlossen:
        items = tuple(
            (*w.benannt(x.titel, x.id, fett=True),
             *((Lauf(f", {x.programm}"),) if x.programm else ()))
            for x in p.abgeschlossen
        )  # fmt: skip
        blocks += [_h(3, "Abgeschlossen"), Liste(items)]
    return blocks


def _zielerreichung(f: Fortschreibung, w: _Worte) -> list[Block]:
    if not f.zielerreichung:
        return []
    blocks: list[Block] = [
        _h(2, "Zielerreichung"),
        _einleitung(
            "Indikatoren je Oberziel: der zuletzt bekannte Wert und die Zielerreichung (wie "
            "weit der Wert vom Basiswert zum Zielwert gekommen ist), "
            f"{f.von.anzeige} → {f.bis.anzeige}; das Urteil gilt für {f.bis.anzeige}."
        ),
    ]
    columns = (
        Spalte("Indikator"),
        Spalte("Basis", "wert"),
        Spalte("Ziel", "wert"),
        Spalte(f.von.anzeige, "wert"),
        Spalte(f.bis.anzeige, "wert"),
        Spalte("Zielerreichung", "zahl"),
        Spalte("Urteil", "kurz"),
        Spalte("Neue Werte", "wert"),
    )
    for gruppe in f.zielerreichung:
        rows = tuple(
            _zeile(
                w.benannt(i.titel, i.id),
                i.basis_text,
                i.ziel_text,
                i.von_text if i.vorhanden_von else "neu",
                i.bis_text if i.vorhanden_bis else "gestrichen",
                f"{i.zielerreichung_von_text} → {i.zielerreichung_bis_text}",
                i.urteil if i.vorhanden_bis else "–",
                ", ".join(str(y) for y in i.neue_werte) or "–",
            )
            for i in gruppe.indikatoren
        )
        blocks += [_h(3, f"Oberziel: {gruppe.titel}"), Tabelle(columns, rows)]
    return blocks


def _einzelheiten(p: KufPosten) -> Zelle:
    """What changed in a record's costs and financing, one line each."""
    ist = p.ist_alt != p.ist_neu
    gruppe = p.aktion == "geändert" and p.kostengruppe_alt != p.kostengruppe_neu
    lines: list[str] = []
    if p.aktion == "neu":
        lines.append("neu")
    elif p.aktion == "entfernt":
        lines.append("gestrichen")
    for j in p.plan:
        if j.nur_quellen:
            lines.append(f"Plan {j.jahr}: andere Quellen ({_betrag(j.neu)})")
        else:
            lines.append(f"Plan {j.jahr}: {_wechsel(_betrag(j.alt), _betrag(j.neu))}")
    if ist:
        lines.append(f"abgerechnet: {_wechsel(_betrag(p.ist_alt), _betrag(p.ist_neu))}")
    if gruppe:
        lines.append(f"Kostengruppe: {p.kostengruppe_alt_text} → {p.kostengruppe_neu_text}")
    if not (p.plan or ist or gruppe or p.aktion != "geändert"):
        lines.append("Kosten ohne Jahresplan")
    return tuple(zeile(line) for line in lines)


def _summen(rows: Iterable[KufZeile], extra: Iterable[tuple[str, KufSumme]], total: KufSumme,
            ) -> tuple[Tabellenzeile, ...]:  # fmt: skip
    def row(title: str, s: KufSumme, art: str = "") -> Tabellenzeile:
        return _zeile(title, _euro(s.von), _euro(s.bis), _fest(s.differenz_text), art=art)

    shaped = [row(r.titel, r) for r in rows] + [row(t, s) for t, s in extra]
    shaped.append(row("Summe", total, "summe"))
    return tuple(shaped)


def _kosten(f: Fortschreibung, w: _Worte) -> list[Block]:
    k = f.kosten_und_finanzierung
    if k is None:
        return []

    def columns(first: str) -> tuple[Spalte, ...]:
        return (Spalte(first), Spalte(f.von.anzeige, "zahl"), Spalte(f.bis.anzeige, "zahl"),
                Spalte("Veränderung", "zahl"))  # fmt: skip

    ohne = [("ohne Jahresplan (geschätzte Gesamtkosten)", k.ohne_jahresplan)]
    blocks: list[Block] = [
        _h(2, "Kosten und Finanzierung"),
        _einleitung(
            "Geschätzte Kosten der Maßnahmen und Projekte und ihre Finanzierung (Summe aller "
            "Jahresscheiben des Plans; ohne Jahresplan die geschätzten Gesamtkosten), "
            f"{f.von.anzeige} → {f.bis.anzeige}."
        ),
        _h(3, "Finanzierung nach Quellen"),
        Tabelle(
            columns("Quelle"),
            _summen(k.quellen, [(t, s) for t, s in ohne if s is not None], k.gesamt),
        ),
        _h(3, "Kosten nach Kostengruppen"),
        Tabelle(columns("Kostengruppe"), _summen(k.kostengruppen, [], k.gesamt)),
    ]
    a = k.abgerechnet
    if a.von or a.bis:
        blocks.append(
            Absatz(
                zeile(f"Abgerechnet (Ausgaben aller Jahre): {_euro(a.von)} → {_euro(a.bis)} "
                      f"({_fest(a.differenz_text)}).")
            )
        )  # fmt: skip
    if k.geaendert:
        rows = tuple(
            _zeile(
                (Lauf(f"{p.art_text}: "), *w.benannt(p.titel, p.id)),
                _betrag(p.alt),
                _betrag(p.neu),
                _fest(p.differenz_text),
                _einzelheiten(p),
            )
            for p in k.geaendert
        )
        blocks += [
            _h(3, "Geänderte Kosten und Finanzierung"),
            Tabelle(
                (Spalte("Maßnahme/Projekt"), Spalte("Bisher", "zahl"), Spalte("Jetzt", "zahl"),
                 Spalte("Veränderung", "zahl"), Spalte("Änderungen")),
                rows,
            ),
        ]  # fmt: skip
    return blocks


def _ungueltige_dateien(f: Fortschreibung) -> list[Block]:
    u = f.ungueltige_dateien
    if not (u.von or u.bis):
        return []
    items = []
    for stand, files in ((f.von, u.von), (f.bis, u.bis)):
        for name in files:
            # "stand-2005:massnahmen/x.yaml": a git ref never holds a colon
            path = name.split(":", 1)[1] if ":" in name else name
            items.append(zeile(f"{path} ({stand.anzeige})"))
    return [
        _h(2, "Hinweis: ungültige Dateien"),
        Absatz(
            zeile("Diese Dateien des Registers ließen sich nicht lesen und fehlen in der "
                  "Auswertung:"),
            "hinweis",
        ),
        Liste(tuple(items)),
    ]  # fmt: skip


def _kolophon(f: Fortschreibung) -> Absatz:
    def source(s: StandInfo) -> str:
        revision = f", Revision {s.revision_kurz}" if s.revision_kurz else ""
        return f"{stand_lang(s)}{revision}"

    return Absatz(zeile(f"Erstellt mit ihk aus {source(f.von)} und {source(f.bis)}."), "kolophon")


# ------------------------------------------------------------------ the IHK table

#: How each column of the IHK table is set (by ``tabelle.Spalte.schluessel``).
_TABELLE_SPALTEN: dict[str, SpaltenArt] = {
    "titel": "text",
    "weitere_ziele": "text",
    "traeger": "text",
    "stbauf": "kurz",
    "sonstige": "text",
    "kosten": "zahl",
    "aufgenommen": "kurz",
    "status": "kurz",
}


def ihk_tabelle(t: IhkTabelle, *, heute: date, kennungen: bool = False) -> Dokument:
    """The IHK table as the council reads it (A4 landscape, the seed's layout): a heading
    row per Oberziel, a row per measure in its legend colour, each Nachtrag in a row of
    its own under it, the legend at the end; "Stand: <date>" on every page (the Stand's
    date, ``heute`` for the working tree)."""
    w = _Worte(kennungen)
    keys = [s.schluessel for s in t.spalten]
    columns = tuple(Spalte(s.titel, _TABELLE_SPALTEN.get(s.schluessel, "text")) for s in t.spalten)
    n = len(columns)
    dated = "aufgenommen" in keys and keys.index("aufgenommen") < n - 1
    rows: list[Tabellenzeile] = []
    for gruppe in t.gruppen:
        rows.append(Tabellenzeile(((zeile(gruppe.ueberschrift),),), art="gruppe", spannen=(n,)))
        for z in gruppe.zeilen:
            cells: list[Zelle] = []
            for key in keys:
                if key == "titel":
                    cells.append((w.benannt(z.titel, z.id),))
                else:
                    cells.append((zeile(_fest(z.zelle(key))),))
            rows.append(Tabellenzeile(tuple(cells), status=z.status))
            for note in z.nachtraege:
                if dated:  # the note under the measure, its month under "Aufn. in Konzept"
                    at = keys.index("aufgenommen")
                    after = n - at - 1
                    rows.append(
                        Tabellenzeile(
                            ((zeile(note.text),), (zeile(f"Nachtrag {note.stand.text}"),),
                             *(((),) * after)),
                            art="nachtrag",
                            status=z.status,
                            spannen=(at, 1, *((1,) * after)),
                        )
                    )  # fmt: skip
                else:
                    rows.append(
                        Tabellenzeile(
                            ((zeile(note.zeile),),), art="nachtrag", status=z.status, spannen=(n,)
                        )
                    )
    blocks: list[Block] = []
    if rows:
        blocks.append(Tabelle(columns, tuple(rows)))
    else:
        blocks.append(Absatz(zeile("Das Register enthält noch keine Einträge."), "hinweis"))
    blocks.append(legende())
    when = t.stand.datum_text if t.stand is not None else monat_text(heute.isoformat())
    area = t.gebiet or "–"
    title = f"Integriertes Handlungskonzept {area}"
    shown = stand_lang(t.stand) if t.stand is not None else f"aktueller Stand ({when})"
    place = ", ".join(p for p in (t.gemeinde, t.programm) if p)
    return Dokument(
        art="ihk-tabelle",
        titel=title,
        untertitel=" · ".join(p for p in (place, shown) if p),
        kopfzeile=title,
        kopfzeile_rechts=f"Stand: {when}",
        fusszeile=" · ".join(p for p in (f"IHK {area}", place) if p),
        querformat=True,
        bloecke=tuple(blocks),
        farben=farben(),
        kopf_auf_erster_seite=True,
    )
