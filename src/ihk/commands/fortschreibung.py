"""ihk fortschreibung and ihk stand."""

from __future__ import annotations

from pathlib import Path

from ihk.errors import InvalidInput, Refused
from ihk.fortschreibung import Fortschreibung
from ihk.workspace import Workspace


def fortschreibung_data(ws: Workspace, spec: str) -> Fortschreibung:
    from ihk import fortschreibung
    from ihk.snapshot import load_pair, resolve_range

    repo = ws.git
    old, new = resolve_range(repo, spec)
    before, after = load_pair(repo, ws.root, old, new)
    return fortschreibung.build(before, after)


def fortschreibung_markdown(ws: Workspace, data: Fortschreibung, template: Path | None) -> str:
    from ihk.render import choose_template, render

    name, text = choose_template(ws.root, template)
    return render(text, name, data.context())


def tag_stand(ws: Workspace, year: str, message: str | None = None) -> str:
    """Tag HEAD as stand-YEAR: the Fortschreibung the council adopted."""
    if not (len(year) == 4 and year.isdigit()):
        raise InvalidInput(f"„{year}“ ist kein Jahr (vierstellig, z. B. 2006)")
    repo = ws.git
    name = f"stand-{year}"
    if repo.tag_exists(name):
        raise Refused(f"Den Stand {year} gibt es schon (Tag {name}); nichts geändert")
    register = ws.load()
    if register.errors:
        raise Refused(
            f"Das Register ist ungültig ({len(register.errors)} Fehler); so wird kein Stand festgehalten",
            register.errors,
        )
    if repo.is_dirty(repo.relpath(ws.root)):
        raise Refused(
            "Im Register gibt es nicht committete Änderungen; bitte erst committen (oder verwerfen)"
        )
    if not repo.has_head():
        raise Refused("Das Repository hat noch keinen Commit")
    gebiet = register.meta.gebiet if register.meta else ""
    repo.create_tag(name, message or f"IHK {gebiet}: Stand {year} (Fortschreibung)")
    sha = repo.resolve("HEAD")
    return sha or ""
