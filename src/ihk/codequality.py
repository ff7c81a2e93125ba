"""``validate --format gitlab``: the problems as a GitLab Code Quality report.

A JSON list in the subset of the Code Climate format that GitLab reads
(``artifacts: reports: codequality``): description (the German message), check_name
(the class of problem), a fingerprint that identifies the problem, severity, and the
file relative to the repository root with its line. GitLab shows them in the merge
request, and tells new problems from old ones by the fingerprint: it is made of the
file, the class and the message, not the line, so a line added above an old problem
does not make it new; the same problem twice in a file is told apart by its count.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ihk.errors import Problem


def report(
    problems: Iterable[Problem], path: Callable[[str], str], strict: bool = False
) -> list[dict[str, Any]]:
    entries = []
    seen: Counter[str] = Counter()
    for problem in problems:
        where = problem.location
        shown = path(where.path)
        what = f"{shown}\0{problem.code}\0{problem.message}"
        seen[what] += 1
        key = f"{what}\0{seen[what]}"
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
