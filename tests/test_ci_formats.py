"""validate for CI: GitHub Actions annotations in their exact form (escaped by the
runner's rules), SARIF 2.1.0 that validates against the SARIF schema, a GitLab
Code Quality report; paths relative to the repository root, also when the register is
a folder inside the repository."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from jsonschema import Draft4Validator

from ihk.errors import CODES, Location, Problem
from ihk.github import workflow_commands
from ihk.vocab import PROBLEMARTEN
from tests.conftest import DATA, Result, git
from tests.test_bad_input import overlay

SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))


def nested(minimal: Path, tmp_path: Path, *cases: str) -> Path:
    """A git repository whose register is the folder ``ihk/`` (with the bad cases laid
    over it); returns the repository's root."""
    repo = tmp_path / "stadt"
    shutil.copytree(minimal, repo / "ihk")
    for case in cases:
        overlay(case, repo / "ihk")
    git(repo, "init", "-q", "-b", "main")
    return repo


def test_github_lines_are_exactly_the_workflow_commands(
    minimal: Path, tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    repo = nested(minimal, tmp_path, "bad-enum", "stray-file", "invalid-filename")
    result = ihk("validate", "--format", "github", cwd=repo / "ihk")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=ihk/massnahmen/Tafel Belm.yaml,title=ihk::ungültiger Dateiname: die "
        "Kennung „Tafel Belm“ darf nur a–z, 0–9 und „-“ enthalten, mit Buchstabe oder Ziffer "
        "beginnen und höchstens 64 Zeichen lang sein",
        "::error file=ihk/massnahmen/farbe.yaml,line=5,col=9,title=ihk::status: ungültiger "
        "Wert „fertig“; erlaubt: in_planung, in_umsetzung, abgeschlossen, nicht_umgesetzt",
        "::warning file=ihk/massnahmen/notizen.txt,title=ihk::unerwartete Datei in "
        "massnahmen/ (wird nicht gelesen; Maßnahmen stehen in .yaml-Dateien)",
        "Register ungültig: 3 Maßnahmen (2 davon ungültig), 1 Gremium; 2 Fehler, 1 Warnung",
    ]
    # the same from the repository's root and from elsewhere: paths stay repository-relative
    again = ihk("--register", "stadt/ihk", "validate", "--format", "github", cwd=tmp_path)
    assert again.stdout == result.stdout
    strict = ihk("validate", "--format", "github", "--strict", cwd=repo / "ihk")
    assert strict.stdout.splitlines()[2].startswith("::error file=ihk/massnahmen/notizen.txt,")


def test_github_escapes_message_and_properties() -> None:
    problem = Problem(Location("a,b:c%.yaml", 3, 7), "100 % sicher:\r\nzweite, Zeile")
    assert workflow_commands([problem], lambda p: f"reg/{p}") == [
        "::error file=reg/a%2Cb%3Ac%25.yaml,line=3,col=7,title=ihk::100 %25 sicher:%0D%0Azweite, Zeile"
    ]


def test_sarif_validates_against_the_sarif_schema(
    minimal: Path, tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    repo = nested(minimal, tmp_path, "kuf-rules", "stray-file", "invalid-filename", "yaml-syntax")
    result = ihk("validate", "--format", "sarif", cwd=repo / "ihk")
    assert result.exit_code == 1
    assert result.stderr.startswith("Register ungültig:")
    log = json.loads(result.stdout)
    assert list(Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    assert rules[3]["fullDescription"]["text"] == PROBLEMARTEN["wert"][1]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"datei", "yaml", "wert", "verweis", "regel"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("ihk/")
    by_uri = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in results}
    assert "ihk/massnahmen/Tafel%20Belm.yaml" in by_uri
    assert (
        "region"
        not in by_uri["ihk/massnahmen/Tafel%20Belm.yaml"]["locations"][0]["physicalLocation"]
    )
    warning = by_uri["ihk/massnahmen/notizen.txt"]
    assert warning["level"] == "warning" and warning["ruleId"] == "datei"
    platz = [
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "ihk/massnahmen/platz.yaml"
    ]
    assert {
        "ruleId": "verweis",
        "ruleIndex": 4,
        "level": "error",
        "message": {
            "text": "Finanzierungsquelle „gemeide“ steht nicht in ihk.yaml (quellen) – meinten Sie „gemeinde“?"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": "ihk/massnahmen/platz.yaml",
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {"startLine": 10, "startColumn": 7},
                }
            }
        ],
    } in platz


def test_sarif_of_a_valid_register_has_no_results(
    example: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk("validate", "--format", "sarif", cwd=example)
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert list(Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    assert log["runs"][0]["results"] == []


def test_gitlab_code_quality_report(
    minimal: Path, tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    repo = nested(minimal, tmp_path, "bad-enum", "stray-file")
    result = ihk("validate", "--format", "gitlab", cwd=repo / "ihk")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(e["check_name"], e["severity"], e["location"]) for e in report] == [
        ("ihk/wert", "major", {"path": "ihk/massnahmen/farbe.yaml", "lines": {"begin": 5}}),
        ("ihk/datei", "minor", {"path": "ihk/massnahmen/notizen.txt", "lines": {"begin": 1}}),
    ]
    assert report[0]["description"].startswith("status: ungültiger Wert „fertig“")
    assert len({e["fingerprint"] for e in report}) == 2


def test_every_problem_of_the_corpus_has_a_class(minimal: Path, ihk: Callable[..., Result]) -> None:
    from tests.test_bad_input import CASES

    for case in CASES:
        overlay(case, minimal)
    problems = json.loads(ihk("validate", "--format", "json", cwd=minimal).stdout)["probleme"]
    assert len(problems) > 40
    assert {p["klasse"] for p in problems} <= set(CODES)
    assert set(PROBLEMARTEN) == set(CODES)
