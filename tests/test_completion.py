"""Shell completion: commands, options, and the ids and goals of the register at hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ihk.cli import completion
from tests.conftest import Result


def ctx_for(register: Path | str | None) -> Any:
    meta = {completion.REGISTER_KEY: str(register)} if register is not None else {}
    return SimpleNamespace(meta=meta)


def values(suggestions: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in suggestions]


def test_record_ids_of_the_register(example: Path) -> None:
    ctx = ctx_for(example)
    assert values(completion.records(ctx, "so")) == ["soziales-kaufhaus", "sozialstation"]
    assert values(completion.records(ctx, "massnahme/so")) == ["massnahme/sozialstation"]
    assert values(completion.records(ctx, "projekt/so")) == ["projekt/soziales-kaufhaus"]
    assert values(completion.records(ctx, "verein/x")) == []
    assert values(completion.committees(ctx, "")) == ["rat", "sanierungsbeirat", "sanierungsforum"]
    assert values(completion.projects(ctx, "b")) == ["begegnungsfest", "buehne-frei"]
    assert values(completion.measures(ctx, "st")) == ["stadtteilbuero", "stettiner-platz",
                                                      "stettiner-strasse"]  # fmt: skip
    assert len(completion.records(ctx, "")) == 16 + 3 + 11 + 5


def test_goals_in_catalogue_order_with_their_titles(example: Path) -> None:
    goals = completion.goals(ctx_for(example), "")
    assert values(goals)[:3] == ["wohnen", "verknuepfung", "verkehr"]
    assert ("kinder-jugend", "Verbesserung der Lebenssituation für Kinder und Jugendliche") in goals
    assert values(completion.goals(ctx_for(example), "K")) == ["kinder-jugend"]


def test_fixed_choices() -> None:
    assert values(completion.states("in")) == ["in_planung", "in_umsetzung"]
    assert completion.states("ab") == [("abgeschlossen", "abgeschlossen und umgesetzt")]
    assert values(completion.committee_types("a")) == ["ausschuss", "arbeitsgruppe"]
    assert {"measure", "project", "all"} <= set(values(completion.status_kinds("")))


def test_completion_never_raises(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "leer"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for ctx in (ctx_for(None), ctx_for(empty), ctx_for(tmp_path / "gibtsnicht"), None):
        assert completion.records(ctx, "") == []
        assert completion.goals(ctx, "") == []
    (example / "ihk.yaml").write_text("ziele: [\n", encoding="utf-8")
    assert completion.goals(ctx_for(example), "") == []
    (example / "ihk.yaml").write_text("ziele: 5\n", encoding="utf-8")
    assert completion.goals(ctx_for(example), "") == []
    (example / "massnahmen" / "x\x1b[31m.yaml").write_text("titel: x\n", encoding="utf-8")
    assert all("\x1b" not in v for v in values(completion.records(ctx_for(example), "")))

    def broken(*args: object) -> list[str]:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("ihk.cli.lookup.ids", broken)
    assert completion.records(ctx_for(example), "") == []


def complete(
    cwd: Path, words: str, cword: int | None = None, style: str = "complete_bash", **env: str
) -> subprocess.CompletedProcess[str]:
    parts = words.split(" ")
    full = {
        **os.environ,
        "_IHK_COMPLETE": style,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1 if cword is None else cword),
        "_TYPER_COMPLETE_ARGS": words,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "ihk"], cwd=cwd, env=full, capture_output=True, text=True
    )


def test_bash_completion_end_to_end(example: Path, tmp_path: Path) -> None:
    ids = complete(example, "ihk show sozi")
    assert ids.returncode == 0, ids.stderr
    assert ids.stdout.split() == ["soziales-kaufhaus", "sozialstation"]
    # click's own style of the variable works too
    assert complete(example, "ihk st", style="bash_complete").stdout.split() == ["status", "stand"]
    options = complete(example, "ihk status --").stdout.split()
    assert {"--oberziel", "--status", "--kind", "--format", "--register", "--help"} <= set(options)
    goal = complete(example, "ihk add massnahme --oberziel kin").stdout.split()
    assert goal == ["kinder-jugend"]
    assert complete(example, "ihk sitzung sanierungs").stdout.split() == [
        "sanierungsbeirat",
        "sanierungsforum",
    ]
    assert complete(example, "ihk meilenstein ko").stdout.split() == ["konfliktlotsen"]
    # the register named after the command, from elsewhere; the later --register wins
    elsewhere = tmp_path / "woanders"
    elsewhere.mkdir()
    after = complete(elsewhere, f"ihk log --register {example} stettiner-")
    assert after.stdout.split() == ["stettiner-platz", "stettiner-strasse"]
    later = complete(elsewhere, f"ihk --register {elsewhere} rm --register {example} buerger")
    assert later.stdout.split() == ["buergerhaus"]
    nothing = complete(elsewhere, "ihk show sozi")
    assert nothing.returncode == 0 and nothing.stdout.strip() == "" and nothing.stderr == ""


def test_zsh_and_fish_show_the_goal_titles(example: Path) -> None:
    zsh = complete(example, "ihk status --oberziel kin", style="complete_zsh")
    assert zsh.stdout.strip() == (
        '_arguments \'*: :(("kinder-jugend":"Verbesserung der Lebenssituation für Kinder '
        "und Jugendliche\"))'"
    )
    fish = complete(
        example,
        "ihk status --status ",
        style="complete_fish",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    assert "in_umsetzung\tin der aktiven Umsetzungs-/Durchführungsphase" in fish.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_script_completes_in_a_real_bash(example: Path) -> None:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "ihk").exists():
        pytest.skip("ihk is not installed next to this Python")
    script = (
        "source <(ihk --show-completion bash)\n"
        "COMP_WORDS=(ihk set sozi); COMP_CWORD=2\n"
        "_ihk_completion ihk\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(
        ["bash", "--norc", "-c", script], cwd=example, env=env, capture_output=True, text=True
    )
    assert run.stdout.split() == ["soziales-kaufhaus", "sozialstation"], run.stderr


def test_show_and_install_in_german(tmp_path: Path, ihk: Callable[..., Result]) -> None:
    shown = ihk("--show-completion", "bash", cwd=tmp_path)
    assert shown.exit_code == 0
    assert "_IHK_COMPLETE=complete_bash" in shown.stdout
    assert "complete -o default -F _ihk_completion ihk" in shown.stdout
    for shell in ("zsh", "fish"):
        assert (
            "_IHK_COMPLETE=complete_" + shell
            in ihk("--show-completion", shell, cwd=tmp_path).stdout
        )
    wrong = ihk("--show-completion", "tcsh", cwd=tmp_path)
    assert wrong.exit_code == 2 and "erlaubt: bash, zsh, fish" in wrong.stderr
    installed = ihk("--install-completion", "bash", cwd=tmp_path)
    assert installed.exit_code == 0, installed.stderr
    assert installed.stdout.startswith("Vervollständigung für bash eingerichtet: ")
    home = Path(os.environ["HOME"])
    assert "_IHK_COMPLETE" in (home / ".bash_completions" / "ihk.sh").read_text()
    assert "ihk.sh" in (home / ".bashrc").read_text()
    help_text = ihk("--help", cwd=tmp_path).stdout
    assert "--install-completion SHELL  Tab-Vervollständigung" in help_text
