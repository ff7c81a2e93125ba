"""GitRepo against real repositories: safe commits, faults, odd commits and environments."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ihk.errors import GitError, IhkError, Refused, UsageError
from ihk.gitrepo import GitRepo
from tests.conftest import Result, git

# -- a repository with work in progress ------------------------------------------


@dataclass(frozen=True)
class State:
    head: str
    index: str  # every index entry: mode, blob, stage, path
    unstaged: str  # the work tree against the index
    files: dict[str, bytes]


def state(repo: Path) -> State:
    files = {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts
    }
    return State(
        git(repo, "rev-parse", "HEAD").strip(),
        git(repo, "ls-files", "-s"),
        git(repo, "diff"),
        files,
    )


@pytest.fixture
def busy(tmp_path: Path) -> Path:
    """A register in ``reg/`` with one record, and the user's own work in progress:
    ``notiz.txt`` staged, ``teil.txt`` partly staged."""
    repo = tmp_path / "repo"
    (repo / "reg" / "massnahmen").mkdir(parents=True)
    (repo / "reg" / "massnahmen" / "tafel.yaml").write_text("titel: Tafel\n")
    (repo / "teil.txt").write_text("eins\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Anfang")
    (repo / "notiz.txt").write_text("gestaged\n")
    git(repo, "add", "notiz.txt")
    (repo / "teil.txt").write_text("eins\nzwei\n")
    git(repo, "add", "teil.txt")
    (repo / "teil.txt").write_text("eins\nzwei\ndrei\n")
    return repo


def record(repo: Path) -> Path:
    return repo / "reg" / "massnahmen" / "tafel.yaml"


def hook(repo: Path, name: str, body: str) -> None:
    path = repo / ".git" / "hooks" / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def failing_commit(repo: Path) -> IhkError:
    """Edit the record, let commit_paths fail, restore the file as the caller does."""
    path = record(repo)
    before = path.read_bytes()
    path.write_text("titel: Tafel\nstatus: abgeschlossen\n")
    with pytest.raises(IhkError) as caught:
        GitRepo.require(repo).commit_paths([path], "Maßnahme tafel geändert")
    path.write_bytes(before)
    return caught.value


# -- faults: HEAD, index and the user's work stay exactly as they were -------------


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda r: hook(r, "pre-commit", "exit 1"), "abgelehnt"),
        (lambda r: hook(r, "prepare-commit-msg", "exit 1"), "abgelehnt"),
        (lambda r: hook(r, "commit-msg", "echo 'Ticketnummer fehlt' >&2; exit 1"), "Ticketnummer"),
        (
            lambda r: hook(r, "reference-transaction", '[ "$1" = prepared ] && exit 1; exit 0'),
            "abgelehnt",
        ),
        (
            lambda r: (
                git(r, "config", "commit.gpgsign", "true"),
                git(r, "config", "gpg.program", "false"),
            ),
            "Signatur",
        ),
    ],
    ids=["pre-commit", "prepare-commit-msg", "commit-msg", "reference-transaction", "gpgsign"],
)
def test_a_refused_commit_leaves_head_index_and_work_as_they_were(
    busy: Path, setup: object, expected: str
) -> None:
    setup(busy)  # type: ignore[operator]
    before = state(busy)
    error = failing_commit(busy)
    assert state(busy) == before
    assert isinstance(error, GitError)
    assert "nichts wurde committet" in error.message
    assert expected in error.message


def test_an_empty_message_is_refused_cleanly(busy: Path) -> None:
    before = state(busy)
    path = record(busy)
    path.write_text("titel: Tafel\nstatus: abgeschlossen\n")
    with pytest.raises(GitError, match="Commit-Nachricht ist leer"):
        GitRepo.require(busy).commit_paths([path], "")
    path.write_text("titel: Tafel\n")
    assert state(busy) == before


def test_the_issue_repro_set_with_an_empty_message(
    example: Path, ihk: Callable[..., Result]
) -> None:
    (example / "notiz.txt").write_text("gestaged\n")
    git(example, "add", "notiz.txt")
    before = state(example)
    result = ihk("set", "belmer-tafel", "status=in_umsetzung", "-m", "", cwd=example)
    assert state(example) == before  # the rejected edit was left staged before
    assert result.exit_code == 1
    assert "Commit-Nachricht ist leer" in result.stderr


@pytest.mark.parametrize("lock", ["index.lock", "HEAD.lock", "refs/heads/main.lock"])
def test_a_left_over_git_lock_is_refused_with_what_to_do(busy: Path, lock: str) -> None:
    (busy / ".git" / lock).write_text("")
    before = state(busy)
    repo = GitRepo.require(busy)
    with pytest.raises(Refused) as caught:
        repo.check_can_commit()
    assert f".git/{lock}" in caught.value.message
    assert "löschen" in caught.value.message
    error = failing_commit(busy)
    assert isinstance(error, Refused)
    assert (busy / ".git" / lock).exists()  # someone else's lock is never removed
    assert state(busy) == before


def test_a_lock_appearing_during_the_commit_is_named(busy: Path) -> None:
    # A reference lock taken between our check and git's ref update (a concurrent git).
    hook(busy, "pre-commit", "touch .git/refs/heads/main.lock")
    before = state(busy)
    error = failing_commit(busy)
    assert isinstance(error, GitError)
    assert ".git/refs/heads/main.lock" in error.message
    (busy / ".git" / "refs" / "heads" / "main.lock").unlink()
    assert state(busy) == before


def test_a_merge_in_progress_is_refused(busy: Path) -> None:
    git(busy, "stash", "-q")
    git(busy, "switch", "-q", "-c", "seite")
    (busy / "seite.txt").write_text("seite\n")
    git(busy, "add", "seite.txt")
    git(busy, "commit", "-q", "-m", "Seite")
    git(busy, "switch", "-q", "main")
    git(busy, "merge", "-q", "--no-ff", "--no-commit", "seite")
    before = state(busy)
    error = failing_commit(busy)
    assert isinstance(error, Refused)
    assert "merge" in error.message
    assert "git merge --abort" in error.message
    assert state(busy) == before


@pytest.mark.parametrize(
    ("marker", "advice"),
    [
        ("CHERRY_PICK_HEAD", "git cherry-pick --abort"),
        ("REVERT_HEAD", "git revert --abort"),
        ("rebase-merge", "git rebase --abort"),
        ("rebase-apply", "git rebase --abort"),
        ("BISECT_LOG", "git bisect reset"),
    ],
)
def test_other_operations_in_progress_are_refused(busy: Path, marker: str, advice: str) -> None:
    target = busy / ".git" / marker
    if marker.startswith("rebase"):
        target.mkdir()
    else:
        target.write_text(git(busy, "rev-parse", "HEAD"))
    with pytest.raises(Refused, match=advice):
        GitRepo.require(busy).check_can_commit()


def test_git_am_in_progress_is_named_as_such(busy: Path) -> None:
    (busy / ".git" / "rebase-apply").mkdir()
    (busy / ".git" / "rebase-apply" / "applying").write_text("")
    with pytest.raises(Refused, match="git am --abort"):
        GitRepo.require(busy).check_can_commit()


def test_a_detached_head_is_refused(busy: Path) -> None:
    git(busy, "switch", "-q", "--detach")
    with pytest.raises(Refused, match="git switch"):
        GitRepo.require(busy).check_can_commit()


def test_a_missing_identity_is_refused_with_the_commands(
    busy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    git(busy, "config", "user.useConfigOnly", "true")
    before = state(busy)
    with pytest.raises(Refused) as caught:
        GitRepo.require(busy).check_can_commit()
    assert 'git config --global user.name "' in caught.value.message
    assert 'git config --global user.email "' in caught.value.message
    assert isinstance(failing_commit(busy), Refused)
    assert state(busy) == before


def test_nothing_to_commit_is_refused(busy: Path) -> None:
    before = state(busy)
    with pytest.raises(Refused, match="Nichts zu committen"):
        GitRepo.require(busy).commit_paths([record(busy)], "nichts")
    assert state(busy) == before


def test_a_path_outside_the_repository_is_refused(busy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "draussen.yaml"
    outside.write_text("x: 1\n")
    with pytest.raises(UsageError, match="nicht im git-Repository"):
        GitRepo.require(busy).commit_paths([outside], "draußen")


# -- success: exactly the given paths, the rest of the user's work untouched --------


def committed(repo: Path) -> list[str]:
    return git(repo, "show", "--name-only", "--format=", "HEAD").split()


def test_only_the_record_is_committed_and_other_work_stays_as_it_was(busy: Path) -> None:
    before = state(busy)
    path = record(busy)
    path.write_text("titel: Tafel\nstatus: abgeschlossen\n")
    sha = GitRepo.require(busy).commit_paths([path], "Maßnahme tafel geändert")
    assert sha == git(busy, "rev-parse", "HEAD").strip()
    assert git(busy, "rev-parse", "HEAD^").strip() == before.head
    assert committed(busy) == ["reg/massnahmen/tafel.yaml"]
    assert git(busy, "show", "HEAD:reg/massnahmen/tafel.yaml") == path.read_text()
    # the index holds the committed record, and the user's entries unchanged
    entries = {line.split("\t")[1]: line for line in git(busy, "ls-files", "-s").splitlines()}
    old = {line.split("\t")[1]: line for line in before.index.splitlines()}
    assert entries["notiz.txt"] == old["notiz.txt"]
    assert entries["teil.txt"] == old["teil.txt"]  # still partly staged
    assert git(busy, "diff", "--cached", "--name-only").split() == ["notiz.txt", "teil.txt"]
    assert git(busy, "diff", "--name-only").split() == ["teil.txt"]
    assert git(busy, "status", "--porcelain", "--", "reg") == ""
    assert not list((busy / ".git").glob("ihk-index-*"))
    assert not (busy / ".git" / "index.lock").exists()


def test_a_new_file_and_a_changed_file_in_one_commit(busy: Path) -> None:
    new = busy / "reg" / "massnahmen" / "neu.yaml"
    new.write_text("titel: Neu\n")
    record(busy).write_text("titel: Tafel\nstatus: abgeschlossen\n")
    GitRepo.require(busy).commit_paths([new, record(busy)], "zwei")
    assert sorted(committed(busy)) == ["reg/massnahmen/neu.yaml", "reg/massnahmen/tafel.yaml"]
    assert git(busy, "status", "--porcelain", "--", "reg") == ""
    assert git(busy, "diff", "--cached", "--name-only").split() == ["notiz.txt", "teil.txt"]


def test_a_missing_file_is_committed_as_a_deletion(busy: Path) -> None:
    record(busy).unlink()
    GitRepo.require(busy).commit_paths([record(busy)], "entfernt")
    assert git(busy, "show", "--name-status", "--format=", "HEAD").split() == [
        "D",
        "reg/massnahmen/tafel.yaml",
    ]
    assert "tafel.yaml" not in git(busy, "ls-files")
    assert git(busy, "diff", "--cached", "--name-only").split() == ["notiz.txt", "teil.txt"]


def test_the_first_commit_of_a_repository(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "neu" / "reg")
    assert not repo.has_head()
    (repo.root / "fremd.txt").write_text("gestaged\n")
    git(repo.root, "add", "fremd.txt")
    (repo.root / "ihk.yaml").write_text("gebiet: X\n")
    repo.check_can_commit()
    sha = repo.commit_paths([repo.root / "ihk.yaml"], "IHK-Register angelegt")
    assert repo.has_head()
    assert repo.commit(sha).parent is None
    assert committed(repo.root) == ["ihk.yaml"]
    assert git(repo.root, "diff", "--cached", "--name-only").split() == ["fremd.txt"]


def test_a_register_in_a_sub_folder_found_from_below(busy: Path) -> None:
    repo = GitRepo.require(busy / "reg" / "massnahmen")
    assert repo.root == busy.resolve()
    assert repo.relpath(busy / "reg") == "reg"
    record(busy).write_text("titel: Tafel 2\n")
    repo.commit_paths([record(busy)], "unten")
    assert committed(busy) == ["reg/massnahmen/tafel.yaml"]


def test_hooks_run_and_shape_the_commit(busy: Path) -> None:
    hook(busy, "commit-msg", 'echo "Geprüft-von: Amt" >> "$1"')
    hook(busy, "post-commit", "touch .git/post-commit-lief")
    record(busy).write_text("titel: Tafel 2\n")
    GitRepo.require(busy).commit_paths([record(busy)], "mit Hooks")
    assert git(busy, "log", "-1", "--format=%B").strip() == "mit Hooks\nGeprüft-von: Amt"
    assert (busy / ".git" / "post-commit-lief").exists()


def test_hooks_see_the_users_pathspec_settings(busy: Path) -> None:
    # ihk reads with literal pathspecs; a hook's own `git diff -- '*.yaml'` must glob.
    hook(busy, "pre-commit", "git diff --cached --name-only -- '*.yaml' > .git/hook-sah")
    record(busy).write_text("titel: Tafel 2\n")
    GitRepo.require(busy).commit_paths([record(busy)], "glob")
    assert (busy / ".git" / "hook-sah").read_text().split() == ["reg/massnahmen/tafel.yaml"]


def test_date_and_identity(busy: Path) -> None:
    repo = GitRepo.require(busy)
    repo.use_identity("Quartiermanagement Powe", "qm@powe.example")
    record(busy).write_text("titel: Tafel 2\n")
    sha = repo.commit_paths([record(busy)], "datiert", date="2005-12-31T23:30:00+01:00")
    commit = repo.commit(sha)
    assert commit.author == "Quartiermanagement Powe"
    assert commit.date.isoformat() == "2005-12-31T23:30:00+01:00"
    assert repo.last_commit_on_or_before("2005-12-31") == commit
    assert repo.last_commit_on_or_before("2005-12-30") is None


def test_a_linked_worktree(busy: Path, tmp_path: Path) -> None:
    git(busy, "worktree", "add", "-q", str(tmp_path / "zweit"), "-b", "zweit")
    repo = GitRepo.require(tmp_path / "zweit" / "reg")
    assert repo.git_dir == (busy / ".git").resolve()
    assert repo.worktree_git_dir != repo.git_dir
    path = tmp_path / "zweit" / "reg" / "massnahmen" / "tafel.yaml"
    path.write_text("titel: Zweit\n")
    repo.commit_paths([path], "im Worktree")
    assert git(busy, "show", "zweit:reg/massnahmen/tafel.yaml") == "titel: Zweit\n"
    assert git(tmp_path / "zweit", "status", "--porcelain") == ""
    assert git(busy, "rev-parse", "main").strip() == state(busy).head  # main untouched


def test_after_the_commit_nothing_is_raised_any_more(
    busy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise GitError("Platte voll")

    monkeypatch.setattr(GitRepo, "_sync_index", broken)
    repo = GitRepo.require(busy)
    record(busy).write_text("titel: Tafel 2\n")
    sha = repo.commit_paths([record(busy)], "trotzdem")
    assert sha == git(busy, "rev-parse", "HEAD").strip()
    assert len(repo.warnings) == 1
    assert "git reset -q -- reg/massnahmen/tafel.yaml" in repo.warnings[0]
    assert not (busy / ".git" / "index.lock").exists()


def test_interrupted_after_git_committed_keeps_the_index_in_step(
    busy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ihk.gitrepo

    real = ihk.gitrepo._run

    def interrupted(args: list[str], *rest: object, **kw: object) -> object:
        result = real(args, *rest, **kw)  # type: ignore[arg-type]
        if args[0] == "commit":
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(ihk.gitrepo, "_run", interrupted)
    before = state(busy)
    record(busy).write_text("titel: Tafel 2\n")
    with pytest.raises(KeyboardInterrupt):
        GitRepo.require(busy).commit_paths([record(busy)], "unterbrochen")
    assert git(busy, "rev-parse", "HEAD^").strip() == before.head
    assert git(busy, "status", "--porcelain", "--", "reg") == ""
    assert git(busy, "diff", "--cached", "--name-only").split() == ["notiz.txt", "teil.txt"]
    assert not (busy / ".git" / "index.lock").exists()


# -- literal paths ----------------------------------------------------------------


def test_paths_are_literal_never_patterns(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for folder in ("reg*", "regB", ":(glob)reg"):
        (root / folder).mkdir(parents=True)
        (root / folder / "ihk.yaml").write_text(f"gebiet: {folder}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "alle")
    (root / "regB" / "ihk.yaml").write_text("gebiet: B geändert\n")
    git(root, "commit", "-q", "-am", "nur B")
    (root / "regB" / "ihk.yaml").write_text("gebiet: B noch einmal\n")  # unstaged work
    repo = GitRepo.require(root / "reg*")
    star = root / "reg*" / "ihk.yaml"
    star.write_text("gebiet: Stern\n")
    repo.commit_paths([star], "Stern")
    assert committed(root) == ["reg*/ihk.yaml"]
    assert git(root, "diff", "--cached", "--name-only") == ""
    assert git(root, "diff", "--name-only").split() == ["regB/ihk.yaml"]
    assert [c.message for c in repo.log("reg*")] == ["Stern", "alle"]
    assert [f.path for f in repo.tree("HEAD", "reg*")] == ["reg*/ihk.yaml"]
    assert not repo.is_dirty("reg*")
    glob = root / ":(glob)reg" / "ihk.yaml"
    glob.write_text("gebiet: magisch\n")
    repo.commit_paths([glob], "magisch")
    assert committed(root) == [":(glob)reg/ihk.yaml"]
    assert [c.message for c in repo.log(":(glob)reg")] == ["magisch", "alle"]


# -- reading commits whose content would confuse a text parser --------------------


def test_log_reads_odd_messages(busy: Path) -> None:
    def commit(*args: str) -> None:
        record(busy).write_text(record(busy).read_text() + "x\n")
        git(busy, "commit", "-q", "--allow-empty-message", *args, "--", "reg")

    commit("-m", "")
    commit("-m", "vor\x1enach\x1e")
    commit("-m", "Zeile 1\n\n\x01\x1f Ende")
    raw = busy / "nachricht"
    raw.write_bytes("Straße\n".encode("latin-1"))
    git(
        busy,
        "-c",
        "i18n.commitEncoding=ISO-8859-1",
        "commit",
        "-q",
        "--allow-empty",
        "-F",
        str(raw),
    )
    repo = GitRepo.require(busy)
    messages = [c.message for c in repo.log("reg")]
    assert messages == ["Zeile 1\n\n\x01\x1f Ende", "vor\x1enach\x1e", "", "Anfang"]
    assert repo.commit("HEAD").message == "Straße"
    # bytes no encoding can read, an unknown encoding, a NUL: written by other tools
    sha = make_commit(busy, "1104580800 +0100", b"kaputt \xff\xfe\x00 Ende\n", b"encoding murks\n")
    assert repo.commit(sha).message == "kaputt \ufffd\ufffd\x00 Ende"
    assert repo.commit(sha).author == "Fremdes Werkzeug"


def make_commit(
    repo: Path, committer_date: str, message: bytes = b"von au\xc3\x9fen\n", extra: bytes = b""
) -> str:
    """A commit object written directly, with content git itself would refuse."""
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    parent = git(repo, "rev-parse", "HEAD").strip()
    body = (
        (
            f"tree {tree}\nparent {parent}\n"
            f"author Fremdes Werkzeug <w@example.org> 1104580800 +0100\n"
            f"committer Fremdes Werkzeug <w@example.org> {committer_date}\n"
        ).encode()
        + extra
        + b"\n"
        + message
    )
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        cwd=repo, input=body, capture_output=True, check=True,
    ).stdout.decode().strip()  # fmt: skip
    git(repo, "update-ref", "HEAD", sha)
    return sha


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1104580800 +9959", "2005-01-01T12:00:00+00:00"),  # impossible offset: UTC
        ("1104580800 -0130", "2005-01-01T10:30:00-01:30"),
        ("1104580800 murks", "2005-01-01T12:00:00+00:00"),
        ("99999999999999999 +0000", "9999-12-31T23:59:59.999999+00:00"),
        ("", "1970-01-01T00:00:00+00:00"),
    ],
)
def test_odd_commit_dates_never_crash(busy: Path, date: str, expected: str) -> None:
    sha = make_commit(busy, date)
    repo = GitRepo.require(busy)
    assert repo.commit(sha).date.isoformat() == expected
    assert repo.commit("HEAD").sha == sha
    found = repo.last_commit_on_or_before("9999-12-31")
    assert found is not None
    assert found.sha == sha


# -- environments that are not a usable repository --------------------------------


def test_a_plain_folder_is_no_repository(tmp_path: Path) -> None:
    assert GitRepo.discover(tmp_path) is None
    assert GitRepo.discover(tmp_path / "gibt-es-nicht") is None
    with pytest.raises(UsageError, match="nicht in einem git-Repository"):
        GitRepo.require(tmp_path)


def test_a_bare_repository_is_named(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "ihk.git")
    (tmp_path / "ihk.git" / "reg").mkdir()
    for where in (tmp_path / "ihk.git", tmp_path / "ihk.git" / "reg"):
        with pytest.raises(GitError, match="ohne Arbeitsverzeichnis") as caught:
            GitRepo.discover(where)
        assert "git clone" in caught.value.message


def test_the_git_folder_itself_is_not_a_register(busy: Path) -> None:
    with pytest.raises(GitError, match="Verwaltungsordner"):
        GitRepo.discover(busy / ".git")


def test_dubious_ownership_says_how_to_trust(busy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    with pytest.raises(GitError) as caught:
        GitRepo.discover(busy / "reg")
    assert "anderen Benutzer" in caught.value.message
    assert f"git config --global --add safe.directory {busy}" in caught.value.message


def test_no_git_on_the_path(busy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo = GitRepo.require(busy)
    monkeypatch.setenv("PATH", str(tmp_path / "leer"))
    for call in (lambda: GitRepo.discover(busy), repo.has_head, lambda: repo.log("")):
        with pytest.raises(GitError, match="git ist nicht installiert oder nicht im PATH"):
            call()


def test_broken_objects_give_a_german_error(busy: Path) -> None:
    repo = GitRepo.require(busy)
    blob = repo.tree("HEAD", "reg")[0].sha
    obj = busy / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"kaputt")
    with pytest.raises(GitError, match="Objekt"):
        repo.read_blobs([blob])
    head_tree = git(busy, "rev-parse", "HEAD^{tree}").strip()
    tree_obj = busy / ".git" / "objects" / head_tree[:2] / head_tree[2:]
    tree_obj.chmod(0o644)
    tree_obj.write_bytes(b"kaputt")
    with pytest.raises(GitError, match="nicht lesen"):
        repo.tree("HEAD", "reg")
    with pytest.raises(GitError, match="git log ist fehlgeschlagen"):
        repo.log("reg")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_objects_give_a_german_error(busy: Path) -> None:
    repo = GitRepo.require(busy)
    objects = busy / ".git" / "objects"
    objects.chmod(0)
    try:
        with pytest.raises(GitError):
            repo.log("reg")
    finally:
        objects.chmod(0o755)


def test_user_input_reaches_git_only_as_data(busy: Path) -> None:
    repo = GitRepo.require(busy)
    for rev in ("--output=/tmp/x", "-h", "HEAD\n..HEAD", "nichts", "HEAD~99"):
        assert repo.resolve(rev) is None
    with pytest.raises(UsageError, match="NUL"):
        repo.resolve("HEAD\x00")
    with pytest.raises(GitError):
        repo.commit("--all")
