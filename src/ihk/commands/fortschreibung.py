"""ihk fortschreibung and ihk stand."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from ihk.commands.dokument import Datei
from ihk.errors import InvalidInput, Refused, StandExists
from ihk.fortschreibung import Fortschreibung
from ihk.gitrepo import GitRepo, Tag
from ihk.kinds import KINDS, parse_relpath
from ihk.models import Massnahme
from ihk.snapshot import Snapshot
from ihk.validation import validate
from ihk.vocab import monat_text
from ihk.workspace import Workspace
from ihk.yamlio import YamlProblems, decode, parse


def fortschreibung_data(ws: Workspace, spec: str, rueckwaerts: bool = False) -> Fortschreibung:
    """The Fortschreibung VON..BIS; a range that runs backwards only with ``rueckwaerts``."""
    from ihk import fortschreibung
    from ihk.snapshot import load_pair, resolve_range

    repo = ws.git
    old, new = resolve_range(repo, spec, allow_reverse=rueckwaerts)
    base = repo.relpath(ws.root)
    if new.sha is None:
        new = dataclasses.replace(new, uncommitted=repo.is_dirty(base))
    before, after = load_pair(repo, ws.root, old, new, ws.cache())
    return fortschreibung.build(before, after, _gone_between(repo, base, before, after))


def _gone_between(repo: GitRepo, base: str, old: Snapshot, new: Snapshot) -> dict[str, Massnahme]:
    """Measures added and deleted again between the two Stände: in neither snapshot,
    but in the history between them (their last version before the deletion)."""
    if old.stand.sha is None or not repo.has_head():
        return {}
    kind = KINDS["massnahme"]
    prefix = f"{base}/" if base else ""
    end = new.stand.sha or "HEAD"
    known = set(old.measure_states) | set(new.measure_states)
    known |= old.broken_ids["massnahme"] | new.broken_ids["massnahme"]
    last: dict[str, str] = {}
    for change in repo.deleted_between(old.stand.sha, end, prefix + kind.folder):
        parsed = parse_relpath(change.path[len(prefix) :])
        if parsed and parsed[1] not in known and change.old_sha:
            last.setdefault(parsed[1], change.old_sha)  # newest deletion first
    blobs = repo.read_blobs(last.values())
    gone = {}
    for ident, sha in last.items():
        try:
            doc = parse(decode(blobs[sha], ident), ident)
        except YamlProblems:
            continue
        record, _ = validate(kind.model, doc, ident)
        if record is not None:
            gone[ident] = record
    return gone


def fortschreibung_markdown(ws: Workspace, data: Fortschreibung, template: Path | None) -> str:
    from ihk.render import choose_template, render

    name, text = choose_template(ws.root, template)
    return render(text, name, data.context())


def fortschreibung_dokument(
    ws: Workspace, data: Fortschreibung, fmt: str, template: Path | None, kennungen: bool
) -> Datei:
    """The Fortschreibung for the council as HTML, PDF or Word (``commands.dokument``)."""
    from ihk import ratsfassung
    from ihk.commands.dokument import schreiben

    document = ratsfassung.fortschreibung(data, kennungen=kennungen)
    return schreiben(ws.root, document, data.context(), fmt, template, kennungen=kennungen)


_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Gesetzt:
    """A Stand that was set (or moved)."""

    year: str
    commit: str
    moved_from: str | None = None  # the commit it was on before --verschieben


def staende(ws: Workspace) -> list[Tag]:
    """Every Stand of the register (tags stand-JJJJ), oldest first."""
    tags = [t for t in ws.git.tags("stand-") if _YEAR.fullmatch(t.name[len("stand-") :])]
    return sorted(tags, key=lambda t: t.name)


def tag_stand(
    ws: Workspace,
    year: str,
    message: str | None = None,
    *,
    move: bool = False,
) -> Gesetzt:
    """Tag HEAD as stand-YEAR: the Fortschreibung the council adopted.

    Refused for a year in the future or before the register's first commit, for an
    invalid register, uncommitted changes, and (unless ``move``) an existing Stand.
    """
    if not _YEAR.fullmatch(year):
        raise InvalidInput(f"„{year}“ ist kein Jahr (vier Ziffern, z. B. 2006)")
    this_year = _dt.date.today().year
    if int(year) > this_year:
        raise InvalidInput(f"Das Jahr {year} liegt in der Zukunft (jetzt: {this_year})")
    repo = ws.git
    with ws.locked():
        first = repo.first_commit(repo.relpath(ws.root))
        if first is None:
            raise Refused("Das Register hat noch keinen Commit; so gibt es keinen Stand")
        if int(year) < first.date.year:
            raise InvalidInput(
                f"Das Jahr {year} liegt vor dem ersten Commit des Registers "
                f"({monat_text(first.date.date().isoformat())})"
            )
        name = f"stand-{year}"
        existing = next((t for t in repo.tags(name) if t.name == name), None)
        if existing and not move:
            raise StandExists(
                f"Den Stand {year} gibt es schon (Tag {name} auf {existing.commit[:10]}, "
                f"{monat_text(existing.date.date().isoformat())}); nichts geändert"
            )
        if move and existing is None:
            raise Refused(f"Den Stand {year} gibt es noch nicht; nichts zu verschieben")
        register = ws.load()
        if register.errors:
            raise Refused(
                f"Das Register ist ungültig ({len(register.errors)} Fehler); "
                "so wird kein Stand festgehalten",
                register.errors,
            )
        if repo.is_dirty(repo.relpath(ws.root)):
            raise Refused(
                "Im Register gibt es nicht committete Änderungen; "
                "bitte erst committen (oder verwerfen)"
            )
        gebiet = register.meta.gebiet if register.meta else ""
        repo.create_tag(name, message or f"IHK {gebiet}: Stand {year} (Fortschreibung)", move=move)
        return Gesetzt(year, repo.resolve("HEAD") or "", existing.commit if existing else None)
