"""ihk demo: the example register replayed as Belm-Powe's dated history, Dez 2001 – Dez 2006.

Every record enters the history in an earlier state derived from the example file and
reaches its final state through the same write/validate/commit code as `ihk add` and
`ihk set`. At the end the register holds the same data as the example register.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ihk.commands.records import Edit, create_record, edit_record
from ihk.errors import Refused
from ihk.kinds import kind_named
from ihk.register import META_FILE
from ihk.workspace import Workspace
from ihk.writer import atomic_write
from ihk.yamlio import Editor, parse

AUTHOR = ("Quartiermanagement Belm-Powe", "quartiermanagement@belm.example")

# Each step is ("meta",), ("tag", YEAR), or (OP, "kind/id", SPEC):
# - ("add", …, {field: earlier value}): how a record first entered the IHK; a value of
#   None leaves the field out, "-field": value leaves out a list item that came later.
# - ("set", …, ["field", "+field:i", "-field"]): a later change to the final value of a
#   field, appending the final list item i, or removing a field the final file lacks;
#   ({field: value}): an intermediate value (None removes the field).
#
# Kosten und Finanzierung (amounts in the example files, illustrative): the Bürgerhaus
# enters with a plan of 1.23 million and keeps only its planning costs when it is dropped
# (Dec 2003); what was spent (`ist`) is added when a measure or project is finished. The
# Fortschreibung 2005..2006 shows a real KuF update: the Stettiner Platz's final account
# raises its 2005 slice (400,000 → 480,000 €), the Stadtteilbüro gets a 2007 slice, the
# Stettiner Straße's plan moves from 2006/2007 to 2008/2009, the Mietergärten lose their
# plan when they are given up, the Konfliktlotsen get their LOS plan when they start, and
# three new entries bring plans for 2007.
#
# Indikatoren (values illustrative): each enters without values; a year's value is
# recorded in that December, before the year's Stand. The 2005 value of "Rund um Gesund"
# comes with the project's report in January 2006, so at Stand 2005 it has no data; the
# under-25s' unemployment is above its basis at Stand 2005 and on course at Stand 2006.
STORY: list[tuple[str, list[tuple[Any, ...]]]] = [
    ("2001-12-14", [
        ("meta",),
        ("add", "gremium/rat", {"sitzungen": None}),
        ("add", "massnahme/buergerhaus", {
            "status": "in_planung", "nachtraege": None, "-gremien": "sanierungsforum",
            "finanzierung.plan.2003": {"stbauf": 350000, "gemeinde": 150000},
            "finanzierung.plan.2004": {"stbauf": 490000, "gemeinde": 210000},
            "finanzierung.ist": None,
        }),
        ("add", "massnahme/sozialstation", {
            "status": "in_planung", "zeitraum": None, "gremien": None, "finanzierung.ist": None,
        }),
        ("add", "massnahme/hauswirtschaftliche-soforthilfe",
         {"status": "in_planung", "-weitere_ziele": "kinder-jugend"}),
        ("add", "massnahme/belmer-tafel", {"status": "in_planung", "finanzierung.ist": None}),
        ("add", "massnahme/servicebuero-nachbarschaftshilfe", {
            "status": "in_planung", "nachtraege": None, "-traeger": "Belmer Integrationsclub",
            "-weitere_ziele": "verknuepfung", "-finanzierung.sonstige": "LOS",
            "finanzierung.plan.2004.esf": None,
        }),
        ("add", "massnahme/stadtteilbuero", {
            "status": "in_planung", "zeitraum": None, "ort": None,
            "finanzierung.plan.2007": None,
        }),
        ("add", "massnahme/stettiner-platz", {
            "status": "in_planung", "zeitraum": None, "finanzierung.kosten_eur": 400000,
            "finanzierung.plan.2005.stbauf": 35000, "finanzierung.plan.2005.gemeinde": 15000,
            "finanzierung.ist": None, "nachtraege": None, "-gremien": "sanierungsforum",
        }),
        ("tag", "2001"),
    ]),
    ("2002-01-20", [("add", "gremium/sanierungsbeirat", {"sitzungen": None})]),
    ("2002-03-20", [("add", "gremium/sanierungsforum", {"sitzungen": None})]),
    ("2002-04-26", [("set", "gremium/rat", ["+sitzungen:0"])]),
    ("2002-05-08", [("set", "gremium/sanierungsbeirat", ["+sitzungen:0"])]),
    ("2002-06-20", [
        ("add", "projekt/begegnungsfest", {"massnahmen": None}),
        ("add", "indikator/transferleistungen",
         {"werte": None, "-massnahmen": "arbeits-und-integrationsnetzwerk"}),
        ("add", "indikator/arbeitslose-u25",
         {"werte": None, "-massnahmen": "arbeits-und-integrationsnetzwerk"}),
        ("add", "indikator/aktive-im-sanierungsforum", {"werte": None}),
        ("set", "massnahme/stadtteilbuero", {"status": "in_umsetzung", "zeitraum.von": "2002-01"}),
    ]),
    ("2002-09-10", [
        ("set", "massnahme/sozialstation", {"status": "in_umsetzung", "zeitraum.von": "2002-06"}),
        ("set", "massnahme/sozialstation", ["+gremien:0"]),
        ("set", "massnahme/belmer-tafel", {"status": "in_umsetzung"}),
        ("set", "massnahme/hauswirtschaftliche-soforthilfe", ["status"]),
    ]),
    ("2002-12-12", [
        ("add", "massnahme/jugendtreff",
         {"status": "in_planung", "zeitraum": None, "finanzierung.ist": None}),
        ("add", "massnahme/schulhof", {"status": "in_umsetzung"}),
        ("add", "massnahme/quartiersfeste", {}),
        ("set", "projekt/begegnungsfest", ["+massnahmen:0"]),
        ("add", "indikator/besucher-begegnungsfest", {"werte": None}),
        ("set", "indikator/transferleistungen", ["+werte:0"]),
        ("set", "indikator/arbeitslose-u25", ["+werte:0"]),
        ("set", "indikator/aktive-im-sanierungsforum", ["+werte:0"]),
        ("tag", "2002"),
    ]),
    ("2003-03-15", [
        ("add", "projekt/planen-am-modell",
         {"status": "in_umsetzung", "laufzeit.bis": None, "finanzierung.ist": None}),
    ]),
    ("2003-05-14", [
        ("set", "gremium/sanierungsforum", ["+sitzungen:0"]),
        ("set", "massnahme/stettiner-platz", ["+gremien:1"]),
        ("set", "massnahme/buergerhaus", ["+gremien:1"]),
    ]),
    ("2003-06-30", [
        ("set", "projekt/planen-am-modell", ["status", "laufzeit.bis", "finanzierung.ist"]),
        ("set", "massnahme/stettiner-platz", {"status": "in_umsetzung", "zeitraum.von": "2003-04"}),
        ("set", "massnahme/schulhof", ["status"]),
    ]),
    ("2003-09-15", [
        ("set", "massnahme/jugendtreff", {"status": "in_umsetzung", "zeitraum.von": "2003-09"}),
    ]),
    ("2003-12-11", [
        ("set", "massnahme/buergerhaus", [
            "status", "+nachtraege:0",
            "-finanzierung.plan.2003", "-finanzierung.plan.2004", "finanzierung.ist",
        ]),
        ("set", "massnahme/servicebuero-nachbarschaftshilfe", [
            "status",
            "+traeger:3", "+weitere_ziele:1", "+finanzierung.sonstige:1", "+nachtraege:0",
            "finanzierung.plan.2004.esf",
        ]),
        ("set", "massnahme/belmer-tafel", ["status", "finanzierung.ist"]),
        ("add", "massnahme/arbeits-und-integrationsnetzwerk", {"status": "in_planung"}),
        ("set", "indikator/transferleistungen", ["+massnahmen:0", "+werte:1"]),
        ("set", "indikator/arbeitslose-u25", ["+massnahmen:0", "+werte:1"]),
        ("set", "indikator/aktive-im-sanierungsforum", ["+werte:1"]),
        ("set", "indikator/besucher-begegnungsfest", ["+werte:0"]),
        ("tag", "2003"),
    ]),
    ("2004-01-15", [
        ("add", "projekt/buehne-frei",
         {"status": "in_umsetzung", "laufzeit.bis": None, "finanzierung.ist": None}),
    ]),
    ("2004-02-20", [("set", "gremium/rat", ["+sitzungen:1"])]),
    ("2004-03-10", [
        ("add", "projekt/vertrauen-gewinnen",
         {"status": "in_umsetzung", "laufzeit.bis": None, "finanzierung.ist": None}),
    ]),
    ("2004-04-05", [
        ("set", "massnahme/sozialstation", ["status", "zeitraum.bis", "finanzierung.ist"]),
    ]),
    ("2004-06-15", [
        ("add", "projekt/migrantenmuetternetzwerk", {}),
        ("set", "massnahme/arbeits-und-integrationsnetzwerk", ["status"]),
    ]),
    ("2004-12-09", [
        ("add", "massnahme/stettiner-strasse", {
            "-traeger": "Sanierungsträger", "nachtraege": None,
            "finanzierung.plan.2006": {"stbauf": 140000, "gemeinde": 60000},
            "finanzierung.plan.2007": {"stbauf": 105000, "gemeinde": 45000},
            "finanzierung.plan.2008": None, "finanzierung.plan.2009": None,
        }),
        ("add", "massnahme/gesundheitsfoerderung", {"status": "in_planung"}),
        ("add", "massnahme/mietergaerten", {
            "status": "in_planung", "nachtraege": None,
            "finanzierung.plan.2006": {"stbauf": 14000, "gemeinde": 6000},
        }),
        ("set", "projekt/buehne-frei", ["status", "laufzeit.bis", "finanzierung.ist"]),
        ("set", "indikator/transferleistungen", ["+werte:2"]),
        ("set", "indikator/arbeitslose-u25", ["+werte:2"]),
        ("set", "indikator/aktive-im-sanierungsforum", ["+werte:2"]),
        ("set", "indikator/besucher-begegnungsfest", ["+werte:1"]),
        ("tag", "2004"),
    ]),
    ("2005-01-20", [
        ("add", "projekt/auf-neuen-wegen-wandern",
         {"status": "in_umsetzung", "laufzeit.bis": None, "finanzierung.ist": None}),
    ]),
    ("2005-02-15", [
        ("add", "projekt/rund-um-gesund", {"meilensteine": None}),
        ("set", "massnahme/gesundheitsfoerderung", ["status"]),
        ("set", "projekt/vertrauen-gewinnen", ["status", "laufzeit.bis", "finanzierung.ist"]),
        ("add", "indikator/kinder-rund-um-gesund", {"werte": None}),
    ]),
    ("2005-03-10", [("add", "projekt/soziales-kaufhaus", {})]),
    ("2005-04-12", [
        ("add", "projekt/sportlicher-einsatz",
         {"status": "in_umsetzung", "laufzeit.bis": None, "finanzierung.ist": None}),
    ]),
    ("2005-06-30", [
        ("set", "projekt/rund-um-gesund", ["+meilensteine:0"]),
        ("set", "massnahme/jugendtreff", ["status", "zeitraum.bis", "finanzierung.ist"]),
    ]),
    ("2005-09-20", [
        ("add", "projekt/konfliktlotsen",
         {"status": "in_planung", "meilensteine": None, "finanzierung": None}),
    ]),
    ("2005-11-23", [("set", "gremium/sanierungsbeirat", ["+sitzungen:1"])]),
    ("2005-12-08", [
        ("set", "massnahme/stadtteilbuero", ["ort"]),
        ("set", "indikator/transferleistungen", ["+werte:3"]),
        ("set", "indikator/arbeitslose-u25", ["+werte:3"]),
        ("set", "indikator/aktive-im-sanierungsforum", ["+werte:3"]),
        ("set", "indikator/besucher-begegnungsfest", ["+werte:2"]),
        ("tag", "2005"),
    ]),
    ("2006-01-10", [
        ("set", "projekt/auf-neuen-wegen-wandern", ["status", "laufzeit.bis", "finanzierung.ist"]),
        ("set", "indikator/kinder-rund-um-gesund", ["+werte:0"]),  # the 2005 report
    ]),
    ("2006-03-20", [
        ("set", "projekt/konfliktlotsen", ["status", "+meilensteine:0", "finanzierung"]),
    ]),
    ("2006-05-20", [("set", "projekt/rund-um-gesund", ["+meilensteine:1", "+meilensteine:2"])]),
    ("2006-06-15", [("set", "massnahme/hauswirtschaftliche-soforthilfe", ["+weitere_ziele:1"])]),
    ("2006-09-01", [("set", "massnahme/stettiner-strasse", ["+traeger:1"])]),
    ("2006-10-11", [("set", "gremium/sanierungsforum", ["+sitzungen:1"])]),
    ("2006-10-31", [
        ("set", "projekt/sportlicher-einsatz", ["status", "laufzeit.bis", "finanzierung.ist"]),
        ("set", "projekt/konfliktlotsen", ["+meilensteine:1"]),
    ]),
    ("2006-12-07", [
        ("set", "massnahme/stettiner-platz", [
            "status", "zeitraum.bis", "finanzierung.kosten_eur", "finanzierung.plan.2005.stbauf",
            "finanzierung.plan.2005.gemeinde", "finanzierung.ist", "+nachtraege:0",
        ]),
        ("set", "massnahme/mietergaerten", ["status", "+nachtraege:0", "-finanzierung.plan"]),
        ("set", "massnahme/stettiner-strasse", [
            "+nachtraege:0", "finanzierung.plan.2008", "finanzierung.plan.2009",
            "-finanzierung.plan.2006", "-finanzierung.plan.2007",
        ]),
        ("set", "massnahme/stadtteilbuero", ["finanzierung.plan.2007"]),
        ("add", "massnahme/verfuegungsfonds", {}),
        ("add", "massnahme/partizipationsanalyse", {}),
        ("add", "projekt/ausbildungsplatzboerse", {}),
        ("set", "indikator/transferleistungen", ["+werte:4"]),
        ("set", "indikator/arbeitslose-u25", ["+werte:4"]),
        ("set", "indikator/aktive-im-sanierungsforum", ["+werte:4"]),
        ("set", "indikator/besucher-begegnungsfest", ["+werte:3"]),
        ("set", "indikator/kinder-rund-um-gesund", ["+werte:1"]),
    ]),
    ("2006-12-15", [("set", "gremium/rat", ["+sitzungen:2"]), ("tag", "2006")]),
]  # fmt: skip


def example_text(relpath: str) -> str:
    return resources.files("ihk").joinpath("beispiel", *relpath.split("/")).read_text("utf-8")


def _path(dotted: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


def _final(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` of the final file, as it is to be written (years plain)."""
    for part in path:
        data = data[str(part)] if isinstance(data, dict) and part not in data else data[part]
    return _years_plain(data)


def _years_plain(value: Any) -> Any:
    """Year keys of a plan ("2005") as numbers, so that they are written ``2005:``."""
    if isinstance(value, dict):
        return {
            int(k) if isinstance(k, str) and k.isdigit() else k: _years_plain(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_years_plain(v) for v in value]
    return value


@dataclass
class DemoResult:
    root: Path
    commits: int
    tags: list[str]
    #: The repository the demo's folder lies in; the demo has its own repository inside.
    enclosing: Path | None = None


def build_demo(root: Path) -> DemoResult:
    from ihk.gitrepo import GitRepo

    shown = root
    root = root.resolve()  # "neu/.." is the folder it names, not a new one
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise Refused(f"{shown} ist nicht leer; die Demo braucht einen neuen, leeren Ordner")
    outer = next((p for p in root.parents if p.exists()), None)
    enclosing = GitRepo.discover(outer) if outer else None
    existed = root.exists()
    root.mkdir(parents=True, exist_ok=True)
    try:
        commits, tags = _replay(root)
    except BaseException:
        # leave nothing half-built behind: the folder was new or empty
        shutil.rmtree(root, ignore_errors=True)
        if existed:
            root.mkdir(exist_ok=True)
        raise
    return DemoResult(root, commits, tags, enclosing.root if enclosing else None)


def _replay(root: Path) -> tuple[int, list[str]]:
    from ihk.gitrepo import GitRepo

    repo = GitRepo.init(root)  # always its own repository, never the enclosing one
    repo.use_identity(*AUTHOR)  # the story's commits are the Quartiermanagement's
    ws = Workspace(root, _git=repo)
    commits, tags = 0, []
    for day, steps in STORY:
        when = f"{day}T12:00:00+01:00"
        for step in steps:
            op = step[0]
            if op == "meta":
                atomic_write(root / META_FILE, example_text(META_FILE))
                repo.commit_paths(
                    [root / META_FILE], "IHK-Register angelegt: Belm-Powe (Belm)", date=when
                )
            elif op == "tag":
                repo.create_tag(
                    f"stand-{step[1]}",
                    f"IHK Belm-Powe: Stand {step[1]} (Fortschreibung)",
                    date=when,
                )
                tags.append(f"stand-{step[1]}")
                continue
            else:
                _record_step(ws, op, step[1], step[2], when)
            commits += 1
    return commits, tags


def _record_step(ws: Workspace, op: str, ref: str, spec: Any, when: str) -> None:
    kind_name, ident = ref.split("/")
    kind = kind_named(kind_name)
    rel = kind.relpath(ident)
    final_text = example_text(rel)
    final = parse(final_text, rel).data
    if op == "add":
        editor = Editor(final_text)
        for key, value in spec.items():
            if key.startswith("-"):
                editor.remove_item(_path(key[1:]), value)
            elif value is None:
                editor.remove(_path(key))
            else:
                editor.set(_path(key), value)
        create_record(ws, kind, ident, editor.dump(), date=when)
        return
    edits: list[Edit] = []
    if isinstance(spec, dict):
        edits = [("=" if v is not None else "del", _path(k), v) for k, v in spec.items()]
    else:
        for item in spec:
            if item.startswith("-"):
                edits.append(("del", _path(item[1:]), None))
            elif item.startswith("+"):
                field, index = item[1:].split(":")
                edits.append(("+=", _path(field), _final(final, (*_path(field), int(index)))))
            else:
                edits.append(("=", _path(item), _final(final, _path(item))))
    edit_record(ws, kind, ident, edits, date=when)
