from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "register"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def pinned_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs git with a fixed identity and no user or system config."""
    home = tmp_path_factory.mktemp("home")
    config = home / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Quartiermanagement Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "qm@example.org")
    monkeypatch.delenv("IHK_REGISTER", raising=False)
    monkeypatch.delenv("IHK_DEBUG", raising=False)
    monkeypatch.delenv("IHK_NO_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # the cache of a register outside git


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=full_env
    ).stdout


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None


@pytest.fixture
def ihk(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI in-process from a given working directory."""
    from ihk.cli import app

    def run(*args: str, cwd: Path, input: str | None = None) -> Result:
        monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, list(args), input=input)
        return Result(result.exit_code, result.stdout, result.stderr, result.exception)

    return run


@pytest.fixture
def example(tmp_path: Path) -> Iterator[Path]:
    """A git repository holding a copy of the example register, committed."""
    repo = tmp_path / "ihk-belm"
    shutil.copytree(EXAMPLE, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Beispielregister")
    yield repo


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A register with two goals and one valid measure; not a git repository."""
    root = tmp_path / "reg"
    (root / "massnahmen").mkdir(parents=True)
    (root / "gremien").mkdir()
    (root / "projekte").mkdir()
    (root / "ihk.yaml").write_text(
        "gebiet: Testgebiet\ngemeinde: Teststadt\nprogramm: Soziale Stadt\n"
        "ziele:\n  nachbarschaften:\n    titel: Nachbarschaften\n"
        "  beteiligung:\n    titel: Beteiligung\n",
        encoding="utf-8",
    )
    (root / "massnahmen" / "tafel.yaml").write_text(
        "titel: Tafel\noberziel: nachbarschaften\nfinanzierung:\n  staedtebaufoerderung: nein\n"
        "status: abgeschlossen\naufgenommen: 2001-12\n",
        encoding="utf-8",
    )
    (root / "gremien" / "rat.yaml").write_text("name: Rat\nart: rat\n", encoding="utf-8")
    return root


@pytest.fixture
def no_git_identity(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """git knows no name: no identity in the environment, none to guess from the host."""
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    config = tmp_path_factory.mktemp("leer") / "gitconfig"
    config.write_text("[user]\n\tuseConfigOnly = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


@pytest.fixture(scope="session")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo register, built once for the whole run (read-only for the tests using it)."""
    from ihk.commands.demo import build_demo

    root = tmp_path_factory.mktemp("demo") / "belm-powe"
    env = {k: os.environ.get(k) for k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")}
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
    try:
        build_demo(root)
    finally:
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield root
