"""ihk validate: every file and every reference, the verdict and its summary."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ihk.errors import Problem
from ihk.kinds import KINDS
from ihk.register import Register
from ihk.vocab import anzahl
from ihk.workspace import Workspace


@dataclass(frozen=True)
class Validation:
    problems: list[Problem]
    counts: dict[str, int]  # valid records per kind
    strict: bool
    broken: dict[str, int] = field(default_factory=dict)  # files per kind not readable

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if not p.warning)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.warning)

    @property
    def ok(self) -> bool:
        """No errors, and with ``strict`` no warnings either."""
        return self.errors == 0 and not (self.strict and self.warnings)

    def summary(self) -> str:
        """ "Register gültig: 16 Maßnahmen, 3 Gremien; 0 Fehler, 0 Warnungen"."""
        kinds = []
        for name, kind in KINDS.items():
            valid, broken = self.counts.get(name, 0), self.broken.get(name, 0)
            if valid + broken:
                text = anzahl(valid + broken, kind.label, kind.plural)
                kinds.append(text + (f" ({broken} davon ungültig)" if broken else ""))
        records = ", ".join(kinds) or "keine Einträge"
        verdict = "Register gültig" if self.ok else "Register ungültig"
        if self.strict and self.errors == 0 and self.warnings:
            verdict += " (streng: Warnungen zählen als Fehler)"
        return (
            f"{verdict}: {records}; {self.errors} Fehler, "
            f"{anzahl(self.warnings, 'Warnung', 'Warnungen')}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "gueltig": self.ok,
            "fehler": self.errors,
            "warnungen": self.warnings,
            "eintraege": self.counts,
            "ungueltige_dateien": self.broken,
            "probleme": [
                {
                    "pfad": p.location.path,
                    "zeile": p.location.line,
                    "spalte": p.location.col,
                    "meldung": p.message,
                    "warnung": p.warning,
                    "klasse": p.code,
                }
                for p in self.problems
            ],
        }


def check(register: Register, strict: bool = False) -> Validation:
    broken = {kind.name: len(register.broken_ids(kind)) for kind in KINDS.values()}
    return Validation(register.problems, register.counts(), strict, broken)


def validate_register(ws: Workspace, strict: bool = False) -> Validation:
    """Every file and reference, and the register's editor schemas (if it keeps them)."""
    from ihk.commands.schema import schema_problems

    register = ws.load(records=False)  # problems and counts only: a lean reading
    result = check(register, strict)
    extra = schema_problems(ws.root, register, ws.display)
    return replace(result, problems=sorted(result.problems + extra)) if extra else result


def repo_paths(ws: Workspace) -> tuple[Callable[[str], str], Path]:
    """How CI reports name a problem's file, and the folder the names are relative to:
    the repository's top folder (the register may be a folder inside it). Outside a
    repository, paths stay as ``validate`` shows them, relative to the working directory."""
    from ihk.gitrepo import top_folder

    top = top_folder(ws.root)
    if top is None:
        return (lambda shown: shown), Path.cwd()
    prefix = os.path.relpath(ws.root.resolve(), top).replace(os.sep, "/")

    def path(shown: str) -> str:
        rel = os.path.relpath(shown, ws.root).replace(os.sep, "/")
        return rel if prefix == "." else f"{prefix}/{rel}"

    return path, top
