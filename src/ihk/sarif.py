"""``validate --format sarif``: the problems as a SARIF 2.1.0 log.

One rule per class of problem (``errors.CODES``, German names and descriptions from
``vocab.PROBLEMARTEN``), one result per problem with its German message, its file as a
URI relative to the repository root (``%SRCROOT%``) and its line and column; columns
count characters (``unicodeCodePoints``), as ihk does. GitHub code scanning and SARIF
viewers read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ihk.errors import CODES, Problem
from ihk.vocab import PROBLEMARTEN

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"


def log(
    problems: Iterable[Problem],
    path: Callable[[str], str],
    *,
    version: str,
    root: Path | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """The SARIF log (a JSON object). ``path`` maps a problem's path to one relative to
    ``root``, the repository's top folder (None outside a repository)."""
    rules = [
        {
            "id": code,
            "name": PROBLEMARTEN[code][0],
            "shortDescription": {"text": PROBLEMARTEN[code][0]},
            "fullDescription": {"text": PROBLEMARTEN[code][1]},
            "defaultConfiguration": {"level": "warning" if code == "schema" else "error"},
        }
        for code in CODES
    ]
    index = {code: i for i, code in enumerate(CODES)}
    results = []
    for problem in problems:
        where = problem.location
        location: dict[str, Any] = {
            "artifactLocation": {"uri": quote(path(where.path)), "uriBaseId": ROOT}
        }
        if where.line:
            location["region"] = {"startLine": where.line, "startColumn": max(where.col, 1)}
        result: dict[str, Any] = {
            "level": "warning" if problem.warning and not strict else "error",
            "message": {"text": problem.message},
            "locations": [{"physicalLocation": location}],
        }
        if problem.code in index:
            result = {"ruleId": problem.code, "ruleIndex": index[problem.code], **result}
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ihk",
                "version": version,
                "language": "de",
                "rules": rules,
            }
        },
        "language": "de",
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root is not None:
        run["originalUriBaseIds"] = {ROOT: {"uri": root.resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
