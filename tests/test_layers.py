"""The layer check of `make lint` (tests/check_layers.py) must catch a breach."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.check_layers import SRC, check


@pytest.fixture
def src(tmp_path: Path) -> Path:
    copy = tmp_path / "ihk"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def plant(path: Path, line: str) -> None:
    path.write_text(path.read_text("utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_project_holds_its_layers() -> None:
    assert check(SRC) == []


def test_an_upward_import_fails(src: Path) -> None:
    plant(src / "register.py", "from ihk.commands import records")
    problems = check(src)
    assert problems == [
        f"{src / 'register.py'}: register imports {target}, which is not below it in LAYERS"
        for target in ("commands", "commands.records")
    ]


def test_an_import_inside_a_function_counts(src: Path) -> None:
    plant(src / "models.py", "def f():\n    import ihk.cli.main")
    assert any("models imports cli.main" in p for p in check(src))


def test_a_cycle_within_a_layer_fails(src: Path) -> None:
    # checks sits below register: register may import checks, never the other way
    plant(src / "checks.py", "from ihk.register import load")
    assert any("checks imports register" in p for p in check(src))


def test_an_outside_library_belongs_to_its_wrapper(src: Path) -> None:
    plant(src / "register.py", "import typer")
    assert any("register.py: imports typer" in p for p in check(src))


def test_a_new_module_needs_a_place(src: Path) -> None:
    (src / "neu.py").write_text("x = 1\n", encoding="utf-8")
    assert any("module neu has no place in LAYERS" in p for p in check(src))
