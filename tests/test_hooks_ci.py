"""The pre-commit hook and the CI examples that a municipality copies: valid YAML that
calls existing commands with valid options, run here against the demo register."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ihk.kinds import KINDS
from tests.conftest import ROOT, git

HOOKS = ROOT / ".pre-commit-hooks.yaml"
GITHUB = ROOT / "docs" / "ci" / "github-workflow.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"


def test_the_hook_runs_validate_on_the_registers_files() -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert hook["id"] == "ihk-validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["entry"] == "ihk validate"
    files = re.compile(hook["files"])  # pre-commit matches with re.search
    folders = re.search(r"\(([a-z|]+)\)/", hook["files"])
    assert folders and set(folders.group(1).split("|")) == {k.folder for k in KINDS.values()}
    for path in ("ihk.yaml", "ihk/ihk.yaml", ".ihk/schema/massnahme.schema.json",
                 *(f"{k.folder}/x.yaml" for k in KINDS.values()), "reg/gremien/rat.yaml",
                 "massnahmen/notiz.txt"):  # fmt: skip
        assert files.search(path), path
    for path in ("README.md", "docs/ihk.yaml.bak", "vorlagen/massnahmen.yaml", "xihk.yaml"):
        assert not files.search(path), path


def _github_scripts() -> list[str]:
    workflow = yaml.safe_load(GITHUB.read_text("utf-8"))
    (job,) = workflow["jobs"].values()
    return [s["run"] for s in job["steps"] if "run" in s and "pip install" not in s["run"]]


def _gitlab_scripts() -> list[str]:
    pipeline = yaml.safe_load(GITLAB.read_text("utf-8"))
    jobs = [v for k, v in pipeline.items() if isinstance(v, dict) and "script" in v]
    assert {j["stage"] for j in jobs} == set(pipeline["stages"])
    return ["\n".join(j["script"]) for j in jobs]


def _run_scripts(scripts: list[str], repo: Path, env: dict[str, Any]) -> list[int]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    codes = []
    for script in scripts:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=repo,
            env={**os.environ, **{k: str(v) for k, v in env.items()}, "PATH": path},
            capture_output=True,
            text=True,
        )
        assert "Traceback" not in done.stderr
        codes.append(done.returncode)
    return codes


@pytest.fixture
def demo_copy(demo_repo: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "belm-powe"
    shutil.copytree(demo_repo, repo, symlinks=True)
    return repo


def _needs_ihk() -> None:
    if not (Path(sys.executable).parent / "ihk").exists():
        pytest.skip("ihk ist nicht neben diesem Python installiert (make test installiert es)")


def test_the_github_workflow_runs_against_the_demo(demo_copy: Path) -> None:
    _needs_ihk()
    workflow = yaml.safe_load(GITHUB.read_text("utf-8"))
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads "on" as true
    scripts = _github_scripts()
    assert any("--format github" in s for s in scripts)
    assert _run_scripts(scripts, demo_copy, workflow["env"]) == [0] * len(scripts)
    sarif = json.loads((demo_copy / "ihk.sarif").read_text("utf-8"))
    assert sarif["runs"][0]["results"] == []
    document = (demo_copy / "fortschreibung" / "fortschreibung.md").read_text("utf-8")
    assert "- **Von:** Stand 2006 (15. Dezember 2006)" in document
    assert (demo_copy / "fortschreibung" / "status.md").read_text("utf-8").startswith("# IHK")


def test_the_gitlab_pipeline_runs_against_the_demo(demo_copy: Path) -> None:
    _needs_ihk()
    pipeline = yaml.safe_load(GITLAB.read_text("utf-8"))
    assert pipeline["register-pruefen"]["artifacts"]["reports"]["codequality"] == (
        "gl-code-quality-report.json"
    )
    scripts = _gitlab_scripts()
    assert _run_scripts(scripts, demo_copy, pipeline["variables"]) == [0, 0]
    assert json.loads((demo_copy / "gl-code-quality-report.json").read_text("utf-8")) == []
    assert (demo_copy / "fortschreibung" / "fortschreibung.md").is_file()
    # a broken file fails the check and lands in the report
    broken = demo_copy / "massnahmen" / "schulhof.yaml"
    broken.write_text(broken.read_text("utf-8").replace("status:", "stauts:"), "utf-8")
    assert _run_scripts(scripts[:1], demo_copy, pipeline["variables"]) == [1]
    report = json.loads((demo_copy / "gl-code-quality-report.json").read_text("utf-8"))
    assert {e["location"]["path"] for e in report} == {"massnahmen/schulhof.yaml"}


def test_a_register_without_any_stand_reports_from_its_first_commit(tmp_path: Path) -> None:
    _needs_ihk()
    subprocess.run([Path(sys.executable).parent / "ihk", "init", "neu"], cwd=tmp_path, check=True,
                   capture_output=True)  # fmt: skip
    repo = tmp_path / "neu"
    scripts = [s for s in _github_scripts() if "fortschreibung" in s]
    assert _run_scripts(scripts, repo, {}) == [0]
    assert "Fortschreibung" in (repo / "fortschreibung" / "fortschreibung.md").read_text("utf-8")


@pytest.mark.skipif(
    not os.environ.get("IHK_TEST_PRECOMMIT") or shutil.which("pre-commit") is None,
    reason="langsam (installiert ihk in eine eigene Umgebung): IHK_TEST_PRECOMMIT=1 und "
    "pre-commit im PATH",
)
def test_pre_commit_try_repo_passes_and_fails_on_a_broken_file(demo_copy: Path) -> None:
    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "try-repo", str(ROOT), "ihk-validate", "--all-files"],
            cwd=demo_copy,
            capture_output=True,
            text=True,
            timeout=900,
        )

    ok = try_repo()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    broken = demo_copy / "massnahmen" / "schulhof.yaml"
    broken.write_text(broken.read_text("utf-8").replace("status:", "stauts:"), "utf-8")
    git(demo_copy, "add", "massnahmen/schulhof.yaml")
    failed = try_repo()
    assert failed.returncode == 1
    assert "massnahmen/schulhof.yaml:" in failed.stdout and "Failed" in failed.stdout
