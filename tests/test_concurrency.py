"""Concurrent ihk runs on one register: every reported success is in HEAD, every
reported failure is absent, and the index equals HEAD for the register's files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import git


def _start(repo: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ihk", *args],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _pairs(repo: Path, commands: list[tuple[list[str], list[str]]]) -> list[tuple[int, str]]:
    """Run the pairs four at a time (eight processes racing); (exit code, stderr) of each."""
    results = []
    for batch in range(0, len(commands), 4):
        runs = [_start(repo, *args) for pair in commands[batch : batch + 4] for args in pair]
        for run in runs:
            _, err = run.communicate(timeout=60)
            results.append((run.returncode, err))
    return results


def _clean(repo: Path) -> None:
    assert git(repo, "diff", "--cached", "--name-only") == ""
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert not list(repo.rglob(".*.tmp"))


def test_parallel_sets_of_one_record_lose_nothing(example: Path) -> None:
    pairs = [
        (["set", "belmer-tafel", f"ort=A{i}"], ["set", "belmer-tafel", f"ort=B{i}"])
        for i in range(20)
    ]
    results = _pairs(example, pairs)
    values = [f"{side}{i}" for i in range(20) for side in "AB"]
    history = git(example, "log", "-p", "--format=%s", "--", "massnahmen/belmer-tafel.yaml")
    for value, (code, err) in zip(values, results, strict=True):
        assert code in (0, 1), err
        assert "Traceback" not in err and "Unerwarteter" not in err
        # a success is a commit that set the value; a failure left no trace in HEAD
        assert (f"+ort: {value}\n" in history) == (code == 0), (value, err)
    assert sum(code == 0 for code, _ in results) >= 20
    _clean(example)


def test_parallel_adds_of_one_id_make_one_record(example: Path) -> None:
    pairs = [
        (
            [
                "add",
                "gremium",
                "--id",
                f"ag-{i}",
                "--name",
                f"Erste {i}",
                "--art",
                "forum",
                "--trotzdem",
            ],
            [
                "add",
                "gremium",
                "--id",
                f"ag-{i}",
                "--name",
                f"Zweite {i}",
                "--art",
                "forum",
                "--trotzdem",
            ],
        )
        for i in range(20)
    ]
    results = _pairs(example, pairs)
    for i in range(20):
        (code_a, err_a), (code_b, err_b) = results[2 * i], results[2 * i + 1]
        assert sorted((code_a, code_b)) == [0, 1], (err_a, err_b)
        winner = "Erste" if code_a == 0 else "Zweite"
        loser_err = err_b if code_a == 0 else err_a
        assert "gibt es schon" in loser_err or "gerade von einem anderen" in loser_err
        committed = git(example, "show", f"HEAD:gremien/ag-{i}.yaml")
        assert f"name: {winner} {i}" in committed
    assert int(git(example, "rev-list", "--count", "HEAD")) == 21
    _clean(example)
