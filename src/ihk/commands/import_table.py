"""ihk import: an IHK table (a workbook or CSV) into the register, in one commit.

The file is read (``xlsx.read_sheet`` or ``csvfile.read``) and mapped (``importer``);
then every record is worked out before anything is written: a new one through the
file layout of ``add`` (``records.new_record_text``), an existing one field by field
through the edit path of ``set`` (``records.prepare_edit``: comments, key order and
untouched lines stay). Everything is checked — each record against its model with
the problem at its cell, references, and the files as they would be — and only if
every cell maps is anything written: all files at once and one commit
(``writer.write_files_and_commit``, which puts every file back if anything fails).
``--dry-run`` stops before writing. Nothing is ever deleted: records the file does not
name stay as they are.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ihk import csvfile, xlsx
from ihk.commands.records import (
    Edit,
    apply_edit,
    new_record_text,
    prepare_edit,
    similar_titles,
    slug,
    with_modeline,
)
from ihk.errors import InvalidInput, Location, Problem, UsageError
from ihk.fields import FieldChange, diff_records, record_data
from ihk.importer import Blatt, Einlesung, Eintrag, Katalog, NeuesZiel, einlesen, ist_daten
from ihk.kinds import KINDS, Kind
from ihk.models import ID_RE
from ihk.register import META_FILE, Register, SourceFile, load
from ihk.schema import SCHEMA_DIR
from ihk.validation import validate
from ihk.vocab import anzahl, feldname, os_fehler
from ihk.workspace import Workspace, check_new_id
from ihk.writer import write_files_and_commit
from ihk.yamlio import Document, Editor, decode

#: Suffixes read as workbooks and as CSV.
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
#: Required fields of a new record, as a sheet names them.
_PFLICHT = {
    "massnahme": (
        ("titel", "Maßnahmen/Projekte"),
        ("oberziel", "Oberziel"),
        ("finanzierung.staedtebaufoerderung", "Stbauf."),
        ("status", "Status"),
        ("aufgenommen", "Aufn. in Konzept"),
    ),
    "projekt": (("titel", "Titel"), ("oberziel", "Oberziel"), ("status", "Status")),
}


@dataclass(frozen=True)
class Ergebnis:
    """One record of the import and what happens to it."""

    kind: Kind
    id: str
    shown: str  # its file, as shown
    titel: str
    neu: bool
    changes: tuple[FieldChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "art": self.kind.name,
            "id": self.id,
            "pfad": self.shown,
            "titel": self.titel,
        }
        if not self.neu:
            data["aenderungen"] = [c.as_json() for c in self.changes]
        return data


@dataclass
class Imported:
    datei: str
    blatt: str | None  # the sheet read (a workbook)
    gelesen_als: str  # "Blatt „Daten“ (Daten-Layout)", "UTF-8 mit BOM, getrennt durch „;“ …"
    layout: str  # daten | tabelle
    neu: list[Ergebnis] = field(default_factory=list)
    geaendert: list[Ergebnis] = field(default_factory=list)
    unveraendert: int = 0
    neue_ziele: list[NeuesZiel] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    probelauf: bool = False
    commit: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "datei": self.datei,
            "blatt": self.blatt,
            "gelesen_als": self.gelesen_als,
            "layout": self.layout,
            "probelauf": self.probelauf,
            "neu": [e.as_json() for e in self.neu],
            "geaendert": [e.as_json() for e in self.geaendert],
            "unveraendert": self.unveraendert,
            "neue_ziele": [{"id": z.id, "titel": z.titel} for z in self.neue_ziele],
            "hinweise": self.hinweise,
            "commit": self.commit,
        }


# ----------------------------------------------------------------------- reading


def read_file(path: Path, shown: str, sheet: str | None) -> tuple[Blatt, str]:
    """The sheet to import and how it was read (German)."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InvalidInput(
            f"{shown}: eine Arbeitsmappe im alten Excel-Format (.xls); bitte in Excel als "
            "„Excel-Arbeitsmappe (.xlsx)“ speichern"
        )
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        raise UsageError(
            f"{shown}: Endung „{path.suffix}“ – ihk import liest .xlsx (Excel) und .csv"
            if path.suffix
            else f"{shown}: keine Endung – ihk import liest .xlsx (Excel) und .csv"
        )
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InvalidInput(f"{shown}: keine gewöhnliche Datei")
    except OSError as e:
        e.filename = None
        raise InvalidInput(f"{shown}: {os_fehler(e)}") from None
    if size > xlsx.MAX_FILE_BYTES:
        raise InvalidInput(
            f"{shown}: {size / 1e6:.0f} MB – Dateien über {xlsx.MAX_FILE_BYTES // 1_000_000} MB "
            "liest ihk nicht"
        )
    data = path.read_bytes()
    if suffix in XLSX_SUFFIXES:
        # the Daten layout needs no colours: read the values first, the looks if needed
        read = xlsx.read_sheet(data, shown, sheet, looks=False)
        if not ist_daten(read.rows):
            read = xlsx.read_sheet(data, shown, read.name)
        how = f"Blatt „{read.name}“"
        if len(read.names) > 1 and sheet is None:
            others = ", ".join(f"„{n}“" for n in read.names if n != read.name)
            how += f" (weitere: {others}; --sheet wählt ein anderes)"
        return Blatt(shown, read.name, read.rows), how
    if sheet is not None:
        raise UsageError(f"{shown}: eine CSV-Datei hat keine Blätter (--sheet gilt nur für .xlsx)")
    table = csvfile.read(data, shown)
    empty = xlsx.ReadCell()
    rows = [
        [xlsx.ReadCell(csvfile.unescape(v)) if v else empty for v in record]
        for record in table.rows
    ]
    return Blatt(shown, None, rows), table.how


# ------------------------------------------------------------------- the new data


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _remove(data: dict[str, Any], dotted: str) -> None:
    *parents, leaf = dotted.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(leaf, None)


def _pruned(data: Any) -> Any:
    """Without empty maps and lists (a plan year whose amounts were all removed)."""
    if isinstance(data, dict):
        kept = {k: _pruned(v) for k, v in data.items()}
        return {k: v for k, v in kept.items() if v not in ({}, [], None)}
    return data


def _merged(base: dict[str, Any], eintrag: Eintrag) -> dict[str, Any]:
    """``base`` (the record now, or nothing) with what the sheet says."""
    data = copy.deepcopy(base)
    for path in sorted(eintrag.gesetzt):
        if path in eintrag.werte:
            _set(data, path, eintrag.werte[path])
        elif base:
            _remove(data, path)
    for path, items in eintrag.zusaetze.items():
        current = list(_get(data, path) or [])
        current += [i for i in items if i not in current]
        _set(data, path, current)
    if eintrag.neue_nachtraege:
        notes = list(data.get("nachtraege") or [])
        notes += [n for n in eintrag.neue_nachtraege if n not in notes]
        data["nachtraege"] = notes
    return dict(_pruned(data))


# ------------------------------------------------------------------------- edits


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b) and not isinstance(b, bool)
    return bool(a == b) and type(a) is type(b)


def _plain(value: Any) -> Any:
    """A value as a file should hold it: whole numbers without ".0"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def edits_between(old: dict[str, Any], new: dict[str, Any], at: tuple[str, ...] = ()) -> list[Edit]:
    """The edits (as ``set`` makes them) that turn ``old`` into ``new``, field by field:
    changed values set, missing ones removed, lists changed item by item where the
    order allows (so comments on the other items stay), else set whole."""
    edits: list[Edit] = []
    for key in old:
        if key not in new:
            edits.append(("del", (*at, key), None))
    for key, value in new.items():
        path = (*at, key)
        if key not in old:
            edits.append(("=", path, _plain(value)))
            continue
        before = old[key]
        if isinstance(before, dict) and isinstance(value, dict):
            edits += edits_between(before, value, path)
        elif isinstance(before, list) and isinstance(value, list):
            edits += _list_edits(before, value, path)
        elif not _same(before, value):
            edits.append(("=", path, _plain(value)))
    return edits


def _list_edits(old: list[Any], new: list[Any], path: tuple[str, ...]) -> list[Edit]:
    if old == new:
        return []
    plain_items = not any(isinstance(i, dict | list) for i in old + new)
    unique = len(old) == len(set(map(repr, old))) and len(new) == len(set(map(repr, new)))
    kept = [i for i in old if i in new]
    removed = [i for i in old if i not in new]
    if unique and new[: len(kept)] == kept and (plain_items or not removed):
        return [("-=", path, _plain(i)) for i in removed] + [
            ("+=", path, _plain(i)) for i in new[len(kept) :]
        ]
    return [("=", path, _plain(new))]


# ------------------------------------------------------------------------ the run


@dataclass
class _Plan:
    writes: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    neu: list[Ergebnis] = field(default_factory=list)
    geaendert: list[Ergebnis] = field(default_factory=list)
    unveraendert: int = 0
    #: relpath -> the record's title cell (to place a problem found in the file)
    orte: dict[str, Location] = field(default_factory=dict)


def _cell_problems(
    eintrag: Eintrag, blatt: Blatt, data: dict[str, Any], kind: Kind, neu: bool
) -> tuple[Any, list[Problem]]:
    """The record validated against its model, each problem at the cell it came from."""
    problems = []
    if neu:
        for path, label in _PFLICHT[kind.name]:
            if _get(data, path) is None:
                message = f"{feldname(path)} fehlt – für eine neue {kind.label} nötig"
                if path not in eintrag.spalten:
                    message += f" (die Tabelle hat keine Spalte „{label}“)"
                problems.append(Problem(eintrag.ort(path, blatt), message))
        if problems:
            return None, problems
    record, found = validate(kind.model, Document(data), blatt.datei)
    if not found:
        return record, []
    # the messages again, each at its cell (positions are made only when needed)
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {
        tuple(dotted.split(".")): (eintrag.zeile, col) for dotted, col in eintrag.spalten.items()
    }
    record, found = validate(kind.model, Document(data, None, {}, positions), blatt.datei)
    for problem in found:
        loc = problem.location
        if (loc.line, loc.col) == (1, 1) and eintrag.zeile != 1:
            where = eintrag.titel_ort
        else:
            where = blatt.ort(loc.line, loc.col)
        problems.append(Problem(where, problem.message, problem.warning))
    return record, problems


def _references(
    eintrag: Eintrag,
    blatt: Blatt,
    data: dict[str, Any],
    kind: Kind,
    register: Register,
    new_measures: set[str],
) -> list[Problem]:
    problems = []
    meta = register.meta
    quellen = set(meta.quellen) if meta else set()
    fin = data.get("finanzierung") or {}
    for block in ("plan", "ist"):
        for jahr, amounts in (fin.get(block) or {}).items():
            for quelle in amounts:
                if quelle not in quellen:
                    where = eintrag.ort(f"finanzierung.{block}.{jahr}.{quelle}", blatt)
                    problems.append(
                        Problem(
                            where,
                            f"Quelle „{quelle}“ steht nicht in den Finanzierungsquellen "
                            f"(ihk.yaml: quellen: {', '.join(quellen)})",
                        )
                    )
    gremien = set(register.of("gremium")) | register.broken_ids(KINDS["gremium"])
    for ident in data.get("gremien") or []:
        if ident not in gremien:
            where = eintrag.ort("gremien", blatt)
            problems.append(Problem(where, f"Gremium „{ident}“ gibt es nicht (gremien/)"))
    if kind.name == "projekt":
        measures = set(register.of("massnahme")) | new_measures
        for ident in data.get("massnahmen") or []:
            if ident not in measures:
                where = eintrag.ort("massnahmen", blatt)
                problems.append(Problem(where, f"Maßnahme „{ident}“ gibt es nicht"))
    return problems


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def _identify(
    gelesen: Einlesung,
    blatt: Blatt,
    register: Register,
    plan: _Plan,
    trotzdem: bool,
    hinweise: list[str],
) -> list[tuple[Eintrag, Kind, str]]:
    """Each record's kind and id: the sheet's Kennung, else the existing record with the
    same title, else a slug of the title. A new title very close to an existing one is
    refused (as by ``add``) unless ``trotzdem``. A row of a hand-made table that is an
    existing project's title is left alone (such a table holds measures)."""
    eintraege = gelesen.eintraege
    found: list[tuple[Eintrag, Kind, str]] = []
    seen: dict[tuple[str, str], int] = {}
    titles = {
        name: {i: e.title for i, e in register.of(name).items()}
        for name in ("massnahme", "projekt")
    }
    by_title = {name: {_norm(t): i for i, t in ts.items()} for name, ts in titles.items()}
    for eintrag in eintraege:
        kind = KINDS[eintrag.art]
        where = eintrag.titel_ort
        ident = eintrag.kennung
        if ident is not None and not ID_RE.fullmatch(ident):
            plan.problems.append(
                Problem(
                    eintrag.ort("kennung", blatt),
                    f"ungültige Kennung „{ident}“ (erlaubt: a–z, 0–9 und „-“, am "
                    "Anfang ein Buchstabe oder eine Ziffer, höchstens 64 Zeichen)",
                )
            )
            continue
        existing = register.of(kind.name)
        if ident is None and eintrag.titel:
            ident = by_title[kind.name].get(_norm(eintrag.titel))
            project = by_title["projekt"].get(_norm(eintrag.titel))
            if ident is None and gelesen.layout == "tabelle" and project is not None:
                hinweise.append(
                    f"Zeile {eintrag.zeile}: „{eintrag.titel}“ ist das Projekt {project}; "
                    "Projekte übernimmt ihk nur aus dem Blatt „Daten“"
                )
                continue
            if ident is None:
                ident = slug(eintrag.titel)
                if not ident:
                    plan.problems.append(
                        Problem(
                            where,
                            f"Aus „{eintrag.titel}“ lässt sich keine Kennung bilden; "
                            "bitte eine Spalte „Kennung“ angeben",
                        )
                    )
                    continue
                if ident in existing:
                    other = existing[ident].title
                    plan.problems.append(
                        Problem(
                            where,
                            f"die Kennung „{ident}“ hat schon {kind.label} „{other}“; "
                            "ist es dieselbe, bitte den Titel angleichen, sonst eine Spalte "
                            "„Kennung“ mit einer anderen Kennung angeben",
                        )
                    )
                    continue
                close = [] if trotzdem else similar_titles(eintrag.titel, titles[kind.name])
                if close:
                    listed = ", ".join(f"{i} („{t}“)" for i, t in close[:3])
                    plan.problems.append(
                        Problem(
                            where,
                            f"ähnelt dem Vorhandenen: {listed} – dieselbe "
                            f"{kind.label}? Dann die Kennung in eine Spalte „Kennung“; "
                            "sonst mit --trotzdem neu anlegen",
                        )
                    )
                    continue
        if ident is None:
            continue  # no title: already a problem of its cell
        reserved = None if ident in existing else check_new_id(ident)
        if reserved:
            if eintrag.kennung:
                plan.problems.append(Problem(eintrag.ort("kennung", blatt), reserved))
            else:
                plan.problems.append(Problem(where, f"{reserved} in einer Spalte „Kennung“"))
            continue
        if ident in register.broken_ids(kind):
            plan.problems.append(
                Problem(
                    where,
                    f"{kind.relpath(ident)} ist ungültig; bitte erst die Datei "
                    "reparieren („ihk validate“ zeigt, was fehlt)",
                )
            )
            continue
        key = (kind.name, ident)
        if key in seen:
            if eintrag.kennung:
                said = (
                    f"die Kennung „{ident}“ steht schon in Zeile {seen[key]}; jede Kennung "
                    "nur einmal"
                )
            else:
                said = (
                    f"ergibt dieselbe {kind.label} „{ident}“ wie Zeile {seen[key]}; steht sie "
                    "doppelt da, bitte eine Zeile löschen, sonst eine Spalte „Kennung“ mit "
                    "verschiedenen Kennungen angeben"
                )
            plan.problems.append(
                Problem(eintrag.ort("kennung", blatt) if eintrag.kennung else where, said)
            )
            continue
        seen[key] = eintrag.zeile
        found.append((eintrag, kind, ident))
    return found


def _plan(
    ws: Workspace,
    blatt: Blatt,
    gelesen: Einlesung,
    register: Register,
    trotzdem: bool,
    hinweise: list[str],
) -> _Plan:
    plan = _Plan()
    # a row whose cells could not be read is not checked again (one problem per cell)
    unread = {p.location.line for p in gelesen.problems}
    gelesen.eintraege = [e for e in gelesen.eintraege if e.zeile not in unread]
    records = _identify(gelesen, blatt, register, plan, trotzdem, hinweise)
    new_measures = {i for _, k, i in records if k.name == "massnahme"}
    defaults = 0
    for eintrag, kind, ident in records:
        entry = register.of(kind.name).get(ident)
        base = {} if entry is None else record_data(entry.record)
        data = _merged(base, eintrag)
        if gelesen.layout == "tabelle":
            _costs_of_the_plan(data, base)
        if entry is None and "status" not in data and eintrag.status_offen:
            data["status"] = "in_planung"
            defaults += 1
        record, problems = _cell_problems(eintrag, blatt, data, kind, entry is None)
        problems += _references(eintrag, blatt, data, kind, register, new_measures)
        errors = [p for p in problems if not p.warning]
        if errors:
            plan.problems += errors
            continue
        shown = ws.shown(kind, ident)
        plan.orte[kind.relpath(ident)] = eintrag.titel_ort
        if entry is None:
            text = with_modeline(ws, kind, new_record_text(kind, _ordered_years(data)))
            plan.writes[ws.path_of(kind, ident)] = text
            plan.neu.append(Ergebnis(kind, ident, shown, record.titel, True))
            continue
        changes = diff_records(entry.record, record)
        if not changes:
            plan.unveraendert += 1
            continue
        old = record_data(entry.record)
        prepared = prepare_edit(ws, kind, ident, edits_between(old, data))
        plan.writes[prepared.path] = prepared.text
        plan.geaendert.append(Ergebnis(kind, ident, shown, record.titel, False, tuple(changes)))
    if defaults:
        hinweise.append(
            f"{anzahl(defaults, 'neue Maßnahme', 'neue Maßnahmen')} ohne Angabe des "
            "Umsetzungsstands (keine Spalte „Status“, keine Farben): in_planung angenommen"
        )
    return plan


def _costs_of_the_plan(data: dict[str, Any], base: dict[str, Any]) -> None:
    """A table's "Kosten" that is the sum of the record's yearly plan says nothing new
    (the IHK table of ``export`` shows that sum): it is not written as ``kosten_eur``."""
    fin = data.get("finanzierung") or {}
    kosten, plan = fin.get("kosten_eur"), fin.get("plan") or {}
    if kosten is None or not plan or (base.get("finanzierung") or {}).get("kosten_eur"):
        return
    if abs(sum(sum(s.values()) for s in plan.values()) - kosten) < 0.005:
        del fin["kosten_eur"]


def _ordered_years(data: dict[str, Any]) -> dict[str, Any]:
    """Plan and spending years in order (a new file lists them ascending)."""
    fin = data.get("finanzierung")
    if isinstance(fin, dict):
        for block in ("plan", "ist"):
            if isinstance(fin.get(block), dict):
                fin[block] = {y: fin[block][y] for y in sorted(fin[block])}
    return data


def _with_goals(ws: Workspace, goals: Iterable[NeuesZiel]) -> tuple[Path, str] | None:
    """ihk.yaml with the new goals at the end of the catalogue (through the editor:
    comments and layout stay)."""
    goals = list(goals)
    if not goals:
        return None
    path = ws.root / META_FILE
    shown = ws.display(META_FILE)
    editor = Editor(decode(path.read_bytes(), shown), shown)
    for goal in goals:
        apply_edit(editor, ("=", ("ziele", goal.id), {"titel": goal.titel}))
    return path, editor.dump()


def _schemas(
    ws: Workspace, register: Register, goals: list[NeuesZiel], neu: list[Ergebnis]
) -> dict[Path, str]:
    """The editor schemas (``.ihk/schema``) that name the goal catalogue, refreshed for
    the new goals (through ``ihk schema``'s code), so that ``validate`` does not call
    them stale after the import."""
    from ihk.commands.schema import refreshed_for_goals

    assert register.meta is not None
    ziele = {g: z.titel for g, z in register.meta.ziele.items()}
    ziele |= {z.id: z.titel for z in goals}
    records: dict[str, list[str]] = {}
    for e in neu:
        records.setdefault(e.kind.name, []).append(e.id)
    return refreshed_for_goals(ws, ziele, records)


def _check_files(ws: Workspace, plan: _Plan, register: Register) -> None:
    """The files as they would be, read and checked like ``validate`` does (a guard: the
    rows were checked already); a problem is shown at its row."""
    root = ws.root.resolve()
    sources = []
    meta = ws.root / META_FILE
    rels: dict[Path, str] = {}
    for path in plan.writes:
        rels[path] = os.path.relpath(path.resolve(), root).replace(os.sep, "/")
    meta_text = next((t for p, t in plan.writes.items() if rels[p] == META_FILE), None)
    sources.append(
        SourceFile(META_FILE, (meta_text or "").encode() if meta_text else meta.read_bytes())
    )
    for path, text in plan.writes.items():
        if rels[path] != META_FILE:
            sources.append(SourceFile(rels[path], text.encode("utf-8")))
    known = ws.listed_ids()
    for path in plan.writes:
        rel = rels[path]
        folder, _, name = rel.partition("/")
        for kind in KINDS.values():
            if kind.folder == folder:
                known[kind.name].add(name.removesuffix(".yaml"))
    checked = load(sources, ws.display, known_ids=known)
    shown_to_rel = {ws.display(r): r for r in rels.values()}
    for problem in checked.errors:
        found = shown_to_rel.get(problem.location.path, "")
        where = plan.orte.get(found, problem.location)
        plan.problems.append(Problem(where, problem.message))


def import_table(
    ws: Workspace,
    path: Path,
    *,
    sheet: str | None = None,
    dry_run: bool = False,
    neue_ziele: bool = False,
    trotzdem: bool = False,
    commit: bool = True,
    message: str | None = None,
) -> Imported:
    """Read ``path`` and bring its records into the register (see the module)."""
    shown = str(path)
    blatt, how = read_file(path, shown, sheet)
    with ws.locked():  # read, decide and write as one step
        register = ws.load()
        if register.meta is None:
            raise InvalidInput(
                f"{ws.display(META_FILE)} ist ungültig; bitte erst reparieren",
                [p for p in register.errors if p.location.path == ws.display(META_FILE)],
            )
        katalog = Katalog(
            {g: z.titel for g, z in register.meta.ziele.items()},
            frozenset(register.of("gremium")),
            frozenset(register.of("massnahme")),
        )
        gelesen = einlesen(blatt, katalog, neue_ziele=neue_ziele, slug=slug)
        layout = "Daten-Layout" if gelesen.layout == "daten" else "Tabelle wie von Hand"
        result = Imported(shown, blatt.name, f"{how}, {layout}", gelesen.layout)
        result.hinweise = list(gelesen.hinweise)
        plan = _plan(ws, blatt, gelesen, register, trotzdem, result.hinweise)
        problems = gelesen.problems + plan.problems
        goals = _with_goals(ws, gelesen.neue_ziele) if not problems else None
        if goals is not None:
            plan.writes[goals[0]] = goals[1]
        if not problems and plan.writes:
            _check_files(ws, plan, register)
            problems = plan.problems
        if goals is not None and not problems:
            schemas = _schemas(ws, register, gelesen.neue_ziele, plan.neu)
            if schemas:
                plan.writes.update(schemas)
                result.hinweise.append(
                    f"Schemas für Editoren ({SCHEMA_DIR}) mit den neuen Zielen "
                    + ("würden aufgefrischt" if dry_run else "aufgefrischt")
                )
        if problems:
            raise InvalidInput(
                f"{anzahl(len(problems), 'Zelle', 'Zellen')} nicht übernommen; nichts geschrieben",
                problems,
            )
        for kind in {e.kind.name: e.kind for e in plan.neu}.values():
            ws.check_folder(kind)  # a linked folder: the files would land outside
        result.neu, result.geaendert = plan.neu, plan.geaendert
        result.unveraendert = plan.unveraendert
        result.neue_ziele = gelesen.neue_ziele
        result.probelauf = dry_run
        if dry_run or not plan.writes:
            return result
        text = message or _message(path, blatt, result)
        repo = ws.git if commit else None
        result.commit = write_files_and_commit(repo, plan.writes, text)
        result.warnings = repo.warnings if repo else []
        return result


def _message(path: Path, blatt: Blatt, result: Imported) -> str:
    parts = []
    for kind in (KINDS["massnahme"], KINDS["projekt"]):
        new = sum(1 for e in result.neu if e.kind is kind)
        changed = sum(1 for e in result.geaendert if e.kind is kind)
        if new:
            parts.append(f"{anzahl(new, kind.label, kind.plural)} neu")
        if changed:
            parts.append(f"{anzahl(changed, kind.label, kind.plural)} geändert")
    if result.neue_ziele:
        parts.append(anzahl(len(result.neue_ziele), "neues Ziel", "neue Ziele"))
    where = f"{path.name}, Blatt „{blatt.name}“" if blatt.name else path.name
    return f"Import aus {where}: " + ", ".join(parts)
