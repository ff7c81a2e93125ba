"""The README tells the truth: every command of `ihk --help`, the glossary of the
vocabulary, the demo's Fortschreibung, and the tour ("Ein Rundgang") replayed word for
word in a fresh folder with exactly the output the README shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, Result

README = ROOT / "README.md"

#: The tour's commits carry this date and author, so their ids are the README's.
TOUR_ENV = {
    "GIT_AUTHOR_NAME": "Quartiermanagement",
    "GIT_COMMITTER_NAME": "Quartiermanagement",
    "GIT_AUTHOR_EMAIL": "qm@belm.example",
    "GIT_COMMITTER_EMAIL": "qm@belm.example",
    "GIT_AUTHOR_DATE": "2026-11-27T10:00:00+01:00",
    "GIT_COMMITTER_DATE": "2026-11-27T10:00:00+01:00",
}
_MARK = "@@ihk-readme-step@@"


def section(text: str, heading: str) -> str:
    """The text of the level-2 section ``## heading`` up to the next one; headings
    inside fenced code (the example documents) do not count."""
    lines = text.splitlines(keepends=True)
    fence = ""
    found: list[str] = []
    inside = False
    for line in lines:
        if fence:
            fence = "" if line.strip() == fence else fence
        elif line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
        elif line.startswith("## "):
            inside = line.rstrip("\n") == f"## {heading}"
        if inside:
            found.append(line)
    assert found, f"Abschnitt „{heading}“ fehlt"
    return "".join(found)


def tour_steps(text: str) -> list[tuple[str, str]]:
    """(command, shown output) of every ``$ `` line in the tour's console blocks; a
    command goes on after a trailing backslash and through its here-document."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", section(text, "Ein Rundgang"), re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            assert lines[i].startswith("$ "), f"keine Befehlszeile: {lines[i]!r}"
            command = [lines[i][2:]]
            i += 1
            while command[-1].endswith("\\"):
                command.append(lines[i])
                i += 1
            end = re.search(r"<<'(\w+)'", command[0])
            if end:
                while lines[i] != end.group(1):
                    command.append(lines[i])
                    i += 1
                command.append(lines[i])
                i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            steps.append(("\n".join(command), "\n".join(output)))
    return steps


def run_tour(steps: list[tuple[str, str]], folder: Path) -> list[str]:
    """What each command prints (stdout and stderr), run one after the other in one
    shell in ``folder`` with the ``ihk`` of this Python on the PATH."""
    script = "".join(f"echo {_MARK}\n{{ {command}\n}} 2>&1\n" for command, _ in steps)
    env = {
        **os.environ,
        **TOUR_ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("IHK_REGISTER", None)
    done = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    parts = done.stdout.split(_MARK + "\n")
    assert parts[0] == "" and len(parts) == len(steps) + 1, done.stderr
    return [p.rstrip("\n") for p in parts[1:]]


def test_the_tour_prints_what_the_readme_shows(tmp_path: Path) -> None:
    if not (Path(sys.executable).parent / "ihk").exists():
        pytest.skip("ihk ist nicht neben diesem Python installiert (make test installiert es)")
    steps = tour_steps(README.read_text("utf-8"))
    assert len(steps) > 20
    for (command, shown), printed in zip(steps, run_tour(steps, tmp_path), strict=True):
        assert printed == shown, f"$ {command}"


def test_every_command_is_in_the_readme(ihk: Callable[..., Result], tmp_path: Path) -> None:
    help_text = ihk("--help", cwd=tmp_path).stdout
    listed = help_text[help_text.index("Befehle:") :].splitlines()[1:]
    commands = [line.split()[0] for line in listed if line.startswith("  ") and line.split()]
    assert "fortschreibung" in commands and "sitzung" in commands
    text = README.read_text("utf-8")
    table = section(text, "Ein Rundgang")
    missing = [c for c in commands if f"`ihk {c}" not in text]
    assert missing == []
    not_in_table = [c for c in commands if f"| `ihk {c}" not in table]
    assert not_in_table == []


def test_the_glossary_is_the_vocabularys() -> None:
    from ihk.vocab import GLOSSAR

    entries = re.findall(
        r"^- \*\*(.+?)\*\*: (.+)$", section(README.read_text("utf-8"), "Glossar"), re.M
    )
    assert dict(entries) == GLOSSAR
    assert [term for term, _ in entries] == list(GLOSSAR)


def test_the_readme_shows_the_demos_fortschreibung() -> None:
    # the golden file is what `make demo` writes (tests/test_fortschreibung.py checks it)
    golden = (DATA / "golden" / "fortschreibung-2005-2006.md").read_text("utf-8")
    text = README.read_text("utf-8")
    assert f"````markdown\n{golden}````\n" in section(text, "Die Fortschreibung")
    kuf = golden[golden.index("## Kosten und Finanzierung") : golden.index("\n---\n")]
    assert f"````markdown\n{kuf}````\n" in section(text, "Kosten und Finanzierung")


def test_the_english_summary_comes_first() -> None:
    lines = README.read_text("utf-8").splitlines()
    assert lines[0].startswith("# ihk")
    assert lines[2].startswith("*ihk keeps the Integriertes Handlungskonzept")
    assert lines[3].endswith("writes the yearly Fortschreibung.*")
