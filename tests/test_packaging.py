"""A plain (non-editable) install carries everything ihk needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT


def test_wheel_holds_template_and_example_register(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("ihk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ihk/templates/fortschreibung.md.j2" in names
    example = {f"ihk/beispiel/{p.relative_to(EXAMPLE).as_posix()}" for p in EXAMPLE.rglob("*.yaml")}
    assert example and example <= names
