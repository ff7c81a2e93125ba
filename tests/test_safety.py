"""Nothing lost, nothing wrong: paths, links and files a register must not trust."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git


def _state(repo: Path) -> tuple[str, str, str]:
    """HEAD, index tree and working-tree status: what must stay as it was."""
    quiet = {"GIT_OPTIONAL_LOCKS": "0"}  # reading must work while a lock is held
    return (
        git(repo, "rev-parse", "HEAD"),
        git(repo, "ls-files", "--stage", env=quiet),
        git(repo, "status", "--porcelain", "--untracked-files=all", env=quiet),
    )


def test_init_through_a_missing_folder_does_not_replace_the_register(
    example: Path, ihk: Callable[..., Result]
) -> None:
    meta = (example / "ihk.yaml").read_bytes()
    before = _state(example)
    result = ihk("init", "./nichtda/..", cwd=example)
    assert result.exit_code == 1
    assert "hier gibt es schon ein Register" in result.stderr
    assert (example / "ihk.yaml").read_bytes() == meta
    assert not (example / "nichtda").exists()
    assert _state(example) == before


def test_demo_through_a_missing_folder_does_not_touch_the_register(
    example: Path, ihk: Callable[..., Result]
) -> None:
    before = _state(example)
    tags = git(example, "tag")
    result = ihk("demo", "./nichtda/..", cwd=example)
    assert result.exit_code == 1 and "ist nicht leer" in result.stderr
    assert _state(example) == before and git(example, "tag") == tags
    assert not (example / "nichtda").exists()


def test_demo_inside_a_repository_gets_its_own(example: Path, ihk: Callable[..., Result]) -> None:
    before = _state(example)
    result = ihk("demo", "demo-reg", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "eigenes git-Repository" in result.stdout
    assert git(example / "demo-reg", "rev-parse", "--show-toplevel").strip() == str(
        (example / "demo-reg").resolve()
    )
    head, index, _ = _state(example)
    assert (head, index) == before[:2]  # the outer repository got no commit


def test_init_refuses_an_invalid_register_before_writing(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk("init", "neu", "--programm=", cwd=tmp_path)
    assert result.exit_code == 1
    assert "neu/ihk.yaml: programm: darf nicht leer sein" in result.stderr.splitlines()
    assert "nichts geschrieben" in result.stderr
    assert not (tmp_path / "neu").exists()


def test_a_failed_init_leaves_nothing_behind(
    tmp_path: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ihk.errors import GitError
    from ihk.gitrepo import GitRepo

    def fail(*args: object, **kwargs: object) -> str:
        raise GitError("git commit ist fehlgeschlagen")

    monkeypatch.setattr(GitRepo, "commit_files", fail)
    result = ihk("init", "a/b", cwd=tmp_path)
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_a_linked_record_is_not_read(example: Path, ihk: Callable[..., Result]) -> None:
    secret = example.parent / "geheim.yaml"
    secret.write_text((example / "massnahmen" / "sozialstation.yaml").read_text("utf-8"))
    (example / "massnahmen" / "fremd.yaml").symlink_to(secret)
    result = ihk("validate", cwd=example)
    assert result.exit_code == 1
    assert (
        "massnahmen/fremd.yaml: Die Datei ist eine symbolische Verknüpfung und wird nicht "
        "gelesen (im Register zählen nur echte Dateien)"
    ) in result.stdout.splitlines()
    status = ihk("status", "--format", "csv", cwd=example)
    assert "fremd" not in status.stdout
    edit = ihk("set", "fremd", "ort=X", cwd=example)
    assert edit.exit_code == 1 and "keine gewöhnliche Datei" in edit.stderr
    assert "ort" not in secret.read_text("utf-8")


def test_a_linked_record_folder_is_not_read(example: Path, ihk: Callable[..., Result]) -> None:
    outside = example.parent / "draussen"
    (example / "projekte").rename(outside)
    (example / "projekte").symlink_to(outside)
    result = ihk("validate", cwd=example)
    assert "projekte/: Der Ordner ist eine symbolische Verknüpfung" in result.stdout


def test_a_pipe_in_a_record_folder_does_not_block(
    example: Path, ihk: Callable[..., Result]
) -> None:
    os.mkfifo(example / "massnahmen" / "rohr.yaml")
    result = ihk("validate", cwd=example)
    assert "massnahmen/rohr.yaml: keine gewöhnliche Datei; wird nicht gelesen" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_one_problem(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "massnahmen" / "sozialstation.yaml"
    path.chmod(0)
    result = ihk("validate", cwd=example)
    assert "massnahmen/sozialstation.yaml: nicht lesbar: keine Berechtigung" in result.stdout
    assert "16 Maßnahmen (1 davon ungültig)" in result.stdout


def test_an_unreadable_file_is_one_problem_among_many(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # (as root, permissions do not bite: make one file fail to read instead)
    from ihk import register

    original = register._read_bytes

    def read_bytes(path: str) -> bytes:
        if path.endswith("sozialstation.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return original(path)

    monkeypatch.setattr(register, "_read_bytes", read_bytes)
    result = ihk("validate", cwd=example)
    assert result.exit_code == 1
    assert "massnahmen/sozialstation.yaml: nicht lesbar: keine Berechtigung" in result.stdout
    assert "Register ungültig: 16 Maßnahmen (1 davon ungültig), 3 Gremien, 11 Projekte" in (
        result.stdout
    )


def test_set_refuses_a_record_with_hand_edits(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "massnahmen" / "sozialstation.yaml"
    path.write_text(path.read_text("utf-8") + "beschreibung: von Hand ergänzt\n", "utf-8")
    edited = path.read_bytes()
    before = _state(example)
    result = ihk("set", "sozialstation", "status=in_umsetzung", cwd=example)
    assert result.exit_code == 1
    assert "massnahmen/sozialstation.yaml hat Änderungen, die noch nicht committet sind" in (
        result.stderr
    )
    assert "beschreibung" in result.stderr and "--no-commit" in result.stderr
    assert path.read_bytes() == edited and _state(example) == before
    # without a commit the edit is still possible
    assert (
        ihk("set", "sozialstation", "status=in_umsetzung", "--no-commit", cwd=example).exit_code
        == 0
    )


def test_set_refuses_a_partly_staged_record(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "massnahmen" / "belmer-tafel.yaml"
    path.write_text(path.read_text("utf-8") + "ort: Powe\n", encoding="utf-8")
    git(example, "add", "massnahmen/belmer-tafel.yaml")
    path.write_text(path.read_text("utf-8") + "beschreibung: ungestaged\n", encoding="utf-8")
    before = _state(example)
    result = ihk("set", "belmer-tafel", "status=in_umsetzung", cwd=example)
    assert result.exit_code == 1 and "noch nicht committet" in result.stderr
    assert _state(example) == before


def test_a_problem_that_was_already_there_is_not_blamed_on_the_change(
    example: Path, ihk: Callable[..., Result]
) -> None:
    path = example / "massnahmen" / "sozialstation.yaml"
    path.write_text(path.read_text("utf-8").replace("aufgenommen: ", "aufgenommen: 13"))
    git(example, "commit", "-qam", "kaputt")
    result = ihk("set", "sozialstation", "ort=Powe", cwd=example)
    assert result.exit_code == 1
    assert "war schon vor der Änderung ungültig" in result.stderr
    assert "Die Änderung machte" not in result.stderr
    fixed = ihk("set", "sozialstation", "aufgenommen=2002-06", cwd=example)
    assert fixed.exit_code == 0, fixed.stderr


def _fault(repo: Path, fault: str) -> None:
    if fault == "prepare-commit-msg":
        hook = repo / ".git" / "hooks" / "prepare-commit-msg"
        hook.write_text("#!/bin/sh\necho 'Hook lehnt ab' >&2\nexit 1\n")
        hook.chmod(0o755)
    elif fault == "index.lock":
        (repo / ".git" / "index.lock").write_text("")
    elif fault == "merge":
        git(repo, "checkout", "-q", "-b", "seite")
        (repo / "notiz.txt").write_text("seite\n")
        git(repo, "add", "notiz.txt")
        git(repo, "commit", "-qm", "seite")
        git(repo, "checkout", "-q", "main")
        (repo / "notiz.txt").write_text("main\n")
        git(repo, "add", "notiz.txt")
        git(repo, "commit", "-qm", "main")
        subprocess.run(["git", "merge", "seite"], cwd=repo, capture_output=True)
    elif fault == "gpgsign":
        git(repo, "config", "commit.gpgsign", "true")
        git(repo, "config", "gpg.program", "false")


@pytest.mark.parametrize("fault", ["prepare-commit-msg", "index.lock", "merge", "gpgsign"])
def test_a_failing_commit_leaves_everything_as_it_was(
    example: Path, ihk: Callable[..., Result], fault: str
) -> None:
    _fault(example, fault)
    record = example / "massnahmen" / "belmer-tafel.yaml"
    content = record.read_bytes()
    before = _state(example)
    edit = ihk("set", "belmer-tafel", "status=in_umsetzung", cwd=example)
    add = ihk("add", "gremium", "--name", "Neue AG", "--art", "arbeitsgruppe", cwd=example)
    for result in (edit, add):
        assert result.exit_code == 1, result.stdout
        assert result.stderr.startswith("Fehler: ") or "\nFehler: " in result.stderr
        assert "Traceback" not in result.stderr
    assert record.read_bytes() == content
    assert not (example / "gremien" / "neue-ag.yaml").exists()
    assert _state(example) == before


def test_init_without_a_git_identity_writes_nothing(
    tmp_path: Path, ihk: Callable[..., Result], no_git_identity: None
) -> None:
    (tmp_path / "arbeit").mkdir()
    result = ihk("init", "powe", cwd=tmp_path / "arbeit")
    assert result.exit_code == 1
    assert 'git config --global user.name "Vorname Nachname"' in result.stderr
    assert "Nichts geschrieben" in result.stderr
    assert list((tmp_path / "arbeit").iterdir()) == []


def test_a_huge_record_file_is_not_read_into_memory(
    example: Path, ihk: Callable[..., Result]
) -> None:
    with (example / "massnahmen" / "riesig.yaml").open("wb") as f:
        f.truncate(3_000_000_000)  # sparse: no disk used, but read_bytes would take 3 GB
    result = ihk("validate", cwd=example)
    assert result.exit_code == 1
    assert "massnahmen/riesig.yaml: Datei ist zu groß (3000,0 MB; höchstens 1 MB)" in (
        result.stdout.splitlines()
    )
