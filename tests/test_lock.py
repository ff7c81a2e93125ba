"""The register lock between processes: wait, give up in German, survive SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ihk.errors import Refused
from ihk.gitrepo import GitRepo
from ihk.lock import LOCK_NAME, register_lock
from tests.conftest import git

HOLDER = """
import sys, time
from pathlib import Path
from ihk.lock import register_lock
with register_lock(Path(sys.argv[1]), timeout=5):
    print("gesperrt", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold(git_dir: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the lock for ``seconds``; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(git_dir), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "gesperrt"
    return proc


def test_the_second_caller_waits_then_gets_the_lock(tmp_path: Path) -> None:
    holder = hold(tmp_path, 0.6)
    start = time.monotonic()
    with register_lock(tmp_path, timeout=10):
        waited = time.monotonic() - start
    assert holder.wait(5) == 0
    assert 0.1 < waited < 5


def test_giving_up_says_so_in_german(tmp_path: Path) -> None:
    holder = hold(tmp_path, 30)
    try:
        start = time.monotonic()
        with pytest.raises(Refused) as caught, register_lock(tmp_path, timeout=0.3):
            pass
        assert 0.25 < time.monotonic() - start < 3
        message = caught.value.message
        assert message.startswith("Das Register wird gerade von einem anderen ihk-Aufruf")
        assert f"(Prozess {holder.pid})" in message
        assert "nichts geändert" in message
    finally:
        holder.kill()
        holder.wait(5)


def test_a_killed_holder_leaves_no_lock(tmp_path: Path) -> None:
    holder = hold(tmp_path, 30)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(5)
    with register_lock(tmp_path, timeout=0):  # free at once, no stale lock
        pass
    assert (tmp_path / LOCK_NAME).exists()  # the file stays; only the OS lock counts


COUNTER = """
import sys
from pathlib import Path
from ihk.lock import register_lock
counter = Path(sys.argv[1]) / "zaehler"
for _ in range(25):
    with register_lock(Path(sys.argv[1]), timeout=20):
        value = int(counter.read_text())
        counter.write_text(str(value + 1))
"""


def test_processes_take_turns(tmp_path: Path) -> None:
    (tmp_path / "zaehler").write_text("0")
    procs = [subprocess.Popen([sys.executable, "-c", COUNTER, str(tmp_path)]) for _ in range(4)]
    assert [p.wait(30) for p in procs] == [0, 0, 0, 0]
    assert (tmp_path / "zaehler").read_text() == "100"


def test_the_lock_is_released_on_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError), register_lock(tmp_path):
        raise KeyError("x")
    with register_lock(tmp_path, timeout=0):
        pass


def test_no_place_for_the_lock_file(tmp_path: Path) -> None:
    with (
        pytest.raises(Refused, match=r"Sperrdatei .* lässt sich nicht anlegen"),
        register_lock(tmp_path / "fehlt", timeout=0),
    ):
        pass


def test_the_repository_lock_lives_in_the_common_git_dir(tmp_path: Path) -> None:
    main = tmp_path / "haupt"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    git(main, "commit", "-q", "--allow-empty", "-m", "Anfang")
    git(main, "worktree", "add", "-q", str(tmp_path / "zweit"))
    first, second = GitRepo.require(main), GitRepo.require(tmp_path / "zweit")
    with first.lock():
        assert (main / ".git" / LOCK_NAME).exists()
        with pytest.raises(Refused), second.lock(timeout=0):  # one lock for all worktrees
            pass


WRITER = """
import sys
from pathlib import Path
from ihk.gitrepo import GitRepo
root, me = Path(sys.argv[1]), sys.argv[2]
repo = GitRepo.require(root)
path = root / "reg" / "liste.yaml"
for i in range(3):
    with repo.lock(timeout=20):
        repo.check_can_commit()
        path.write_text(path.read_text() + f"- {me}-{i}\\n")
        repo.commit_files([path], f"{me} {i}")
"""


def test_locked_read_write_commit_loses_nothing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "reg").mkdir(parents=True)
    (root / "reg" / "liste.yaml").write_text("eintraege:\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Anfang")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), f"p{n}"]) for n in range(6)]
    assert [p.wait(60) for p in procs] == [0] * 6
    lines = git(root, "show", "HEAD:reg/liste.yaml").splitlines()[1:]
    assert sorted(lines) == sorted(f"- p{n}-{i}" for n in range(6) for i in range(3))
    assert len(git(root, "log", "--format=%H").split()) == 19
    assert git(root, "status", "--porcelain") == ""
