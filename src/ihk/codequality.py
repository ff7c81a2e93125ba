"""``validate --format gitlab``: the problems as a GitLab Code Quality report.

A JSON list in the subset of the Code Climate format that GitLab reads
(``artifacts: reports: codequality``): description (the German message), check_name
(the class of problem), a fingerprint that identifies the problem, severity, and the
file relative to the repository root with its line. GitLab shows them in the merge
request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from ihk.errors import Problem


def report(
    problems: Iterable[Problem], path: Callable[[str], str], strict: bool = False
) -> list[dict[str, Any]]:
    entries = []
    for problem in problems:
        where = problem.location
        shown = path(where.path)
        key = f"{shown}\0{where.line}\0{where.col}\0{problem.code}\0{problem.message}"
        entries.append(
            {
                "description": problem.message,
                "check_name": f"ihk/{problem.code or 'validate'}",
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "severity": "minor" if problem.warning and not strict else "major",
                "location": {"path": shown, "lines": {"begin": max(where.line, 1)}},
            }
        )
    return entries
