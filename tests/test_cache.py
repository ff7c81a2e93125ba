"""The cache of parsed files: it may make ihk faster, never different.

Every test compares with a run that reads every file (``--no-cache``): the same
lines, the same positions, the same exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, Result, git
from tests.test_bad_input import CASES, overlay

TAFEL = "massnahmen/tafel.yaml"


def _cache_dir(repo: Path) -> Path:
    return repo / ".git" / "ihk-cache"


def _same_with_and_without_cache(ihk: Callable[..., Result], cwd: Path, *args: str) -> Result:
    """Run ``args`` twice with the cache (filling it, then using it) and once without;
    all three must say the same."""
    first = ihk(*args, cwd=cwd)
    warm = ihk(*args, cwd=cwd)
    bare = ihk("--no-cache", *args, cwd=cwd)
    for other in (warm, bare):
        assert (other.exit_code, other.stdout, other.stderr) == (
            first.exit_code,
            first.stdout,
            first.stderr,
        ), args
    return first


@pytest.fixture
def repo(minimal: Path) -> Path:
    """The minimal register as a committed git repository."""
    git(minimal, "init", "-q", "-b", "main")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "Register")
    return minimal


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files ``register.load`` parses from now on."""
    import ihk.register

    seen: list[str] = []
    real = ihk.register.parse

    def parse(text: str, shown: str):  # type: ignore[no-untyped-def]
        seen.append(shown)
        return real(text, shown)

    monkeypatch.setattr(ihk.register, "parse", parse)
    return seen


def test_a_warm_run_parses_nothing_and_says_the_same(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files written within the last seconds are read again on the next run (their stat
    # may not show a change made within the same clock tick); here, trust every stat.
    monkeypatch.setattr("ihk.cache.RACY_NS", -(10**19))
    first = ihk("validate", cwd=repo)
    assert first.exit_code == 0
    assert {p.name[:6] for p in _cache_dir(repo).iterdir()} == {"blobs-", "index-"}
    parsed = _parses(monkeypatch)
    again = ihk("validate", cwd=repo)
    assert parsed == []
    assert again.stdout == first.stdout
    assert git(repo, "status", "--porcelain", "--ignored") == ""  # nothing in the work tree


def test_a_changed_file_is_read_again(repo: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("validate", cwd=repo).exit_code == 0
    text = (repo / TAFEL).read_text("utf-8")
    (repo / TAFEL).write_text(text.replace("status: abgeschlossen", "status: fertig"), "utf-8")
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert result.exit_code == 1
    assert "massnahmen/tafel.yaml:5:9: status: ungültiger Wert „fertig“" in result.stdout


@pytest.mark.parametrize("trust_stat", [False, True], ids=["racy", "stat-trusted"])
def test_an_edit_that_keeps_size_and_mtime_is_seen(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, trust_stat: bool
) -> None:
    # Within one second, with the same size and the mtime put back exactly: the stat
    # that the cache compares differs only in its ctime (which utime cannot set); a
    # file read within the racy window is read again anyway and its hash decides.
    if trust_stat:
        monkeypatch.setattr("ihk.cache.RACY_NS", -(10**19))
    path = repo / TAFEL
    before = path.stat()
    assert ihk("validate", cwd=repo).stdout.startswith("Register gültig")
    text = path.read_text("utf-8")
    edited = text.replace("status: abgeschlossen", "status: abgeschlosse_")
    assert len(edited) == len(text)
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert "massnahmen/tafel.yaml:5:9: status: ungültiger Wert „abgeschlosse_“" in result.stdout


def test_a_changed_plan_is_summed_anew(repo: Path, ihk: Callable[..., Result]) -> None:
    """The cache keeps what the reports read of a record (its row, its money): a plan
    changed with the goal left as it was shows in every report, warm as without cache."""
    path = repo / TAFEL
    text = path.read_text("utf-8").replace(
        "  staedtebaufoerderung: nein\n",
        "  staedtebaufoerderung: nein\n  plan:\n    '2002':\n      gemeinde: 1000\n",
    )
    path.write_text(text, "utf-8")
    git(repo, "commit", "-qam", "Plan")
    old = git(repo, "rev-parse", "HEAD").strip()
    reports = [("finanzen", "--format", "json"), ("status", "--format", "json")]
    for args in reports:
        _same_with_and_without_cache(ihk, repo, *args)
    path.write_text(text.replace("gemeinde: 1000", "gemeinde: 2500"), "utf-8")
    git(repo, "commit", "-qam", "Mehr Geld")
    money = json.loads(_same_with_and_without_cache(ihk, repo, *reports[0]).stdout)
    assert money["kosten"]["summe"]["summe"] == 2500
    status = json.loads(_same_with_and_without_cache(ihk, repo, *reports[1]).stdout)
    assert status["gruppen"][0]["oberziel"] == "nachbarschaften"
    update = _same_with_and_without_cache(
        ihk, repo, "fortschreibung", f"{old}..", "--format", "json"
    )
    kuf = json.loads(update.stdout)["kosten_und_finanzierung"]
    assert (kuf["gesamt"]["von"], kuf["gesamt"]["bis"]) == (1000, 2500)
    assert [p["id"] for p in kuf["geaendert"]] == ["tafel"]


def test_a_range_without_change_builds_no_measure(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Fortschreibung reads an unchanged measure's state and money from the cache:
    its record is not built (validated again) at either end."""
    from ihk import register as loading

    git(repo, "tag", "stand-2005")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Nichts")
    first = ihk("fortschreibung", "2005..", "--format", "json", cwd=repo)
    assert first.exit_code == 0, first.stderr
    built: list[str] = []
    real = loading._record_of

    def record_of(kind, packed, cache, blob):  # type: ignore[no-untyped-def]
        built.append(kind.name)
        return real(kind, packed, cache, blob)

    monkeypatch.setattr(loading, "_record_of", record_of)
    warm = ihk("fortschreibung", "2005..", "--format", "json", cwd=repo)
    assert warm.stdout == first.stdout
    assert json.loads(warm.stdout)["bilanz"]["gesamt"]["summe_bis"] == 1
    assert "massnahme" not in built


@pytest.mark.parametrize("lost", [False, True], ids=["kept", "entries-lost"])
def test_uncommitted_files_the_index_knows_are_read_from_the_working_tree(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, lost: bool
) -> None:
    # The stat index knows the blobs of uncommitted files, which git does not have: a
    # note beside the records (never parsed) and an edited record whose parsed entry is
    # gone (a damaged or pruned shard). Neither may be asked of git.
    monkeypatch.setattr("ihk.cache.RACY_NS", -(10**19))
    git(repo, "tag", "stand-2005")
    (repo / "massnahmen" / "notiz.txt").write_text("Notiz\n", "utf-8")
    text = (repo / TAFEL).read_text("utf-8")
    (repo / TAFEL).write_text(text.replace("abgeschlossen", "in_umsetzung"), "utf-8")
    assert ihk("validate", cwd=repo).exit_code == 0
    if lost:
        for shard in _cache_dir(repo).glob("blobs-*"):
            shard.unlink()
    result = _same_with_and_without_cache(ihk, repo, "fortschreibung", "2005..", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["bilanz"]["gesamt"]["summe_bis"] == 1


def test_a_deleted_file_and_its_references(repo: Path, ihk: Callable[..., Result]) -> None:
    (repo / "massnahmen" / "fest.yaml").write_text(
        "titel: Fest\noberziel: beteiligung\nfinanzierung:\n  staedtebaufoerderung: nein\n"
        "status: in_planung\naufgenommen: 2002-01\ngremien:\n  - rat\n",
        "utf-8",
    )
    assert ihk("validate", cwd=repo).exit_code == 0
    (repo / "gremien" / "rat.yaml").unlink()
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert result.stdout.splitlines() == [
        "massnahmen/fest.yaml:8:5: Gremium „rat“ gibt es nicht",
        "Register ungültig: 2 Maßnahmen; 1 Fehler, 0 Warnungen",
    ]


def test_a_renamed_file_is_its_new_id(repo: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("status", "--format", "json", cwd=repo).exit_code == 0
    (repo / TAFEL).rename(repo / "massnahmen" / "belmer-tafel.yaml")
    result = _same_with_and_without_cache(ihk, repo, "status", "--format", "json")
    ids = [e["id"] for g in json.loads(result.stdout)["gruppen"] for e in g["eintraege"]]
    assert ids == ["belmer-tafel"]


def test_a_catalogue_change_is_checked_against_cached_records(
    repo: Path, ihk: Callable[..., Result]
) -> None:
    assert ihk("validate", cwd=repo).exit_code == 0
    meta = repo / "ihk.yaml"
    text = meta.read_text("utf-8")
    meta.write_text(text.replace("nachbarschaften:", "netze:", 1), "utf-8")
    result = _same_with_and_without_cache(ihk, repo, "validate", "--format", "json")
    problems = json.loads(result.stdout)["probleme"]
    assert [(p["pfad"], p["zeile"], p["spalte"]) for p in problems] == [(TAFEL, 2, 11)]
    assert problems[0]["meldung"].startswith("Ziel „nachbarschaften“ steht nicht im Zielkatalog")
    # and a source catalogue that now makes a cached plan wrong
    stbauf = "quellen:\n  stbauf:\n    titel: StBauF\n"
    meta.write_text(text + stbauf + "    staedtebaufoerderung: ja\n", "utf-8")
    tafel = (repo / TAFEL).read_text("utf-8")
    plan = "finanzierung:\n  plan:\n    2003:\n      stbauf: 100\n"
    (repo / TAFEL).write_text(tafel.replace("finanzierung:\n", plan), "utf-8")
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert result.stdout.startswith(f"{TAFEL}:6:7: Plan 2003 sieht Geld aus „stbauf“")
    meta.write_text(text + stbauf, "utf-8")  # no longer Städtebauförderung
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("broken", ["name: [offen\n", "zahl: 7\n"], ids=["yaml", "schema"])
def test_a_broken_catalogue_counts_alike_from_the_cache(
    repo: Path, ihk: Callable[..., Result], broken: str
) -> None:
    # an ihk.yaml that is not YAML is a file not read, in every report and every run
    meta = repo / "ihk.yaml"
    meta.write_text(meta.read_text("utf-8") + broken, "utf-8")
    result = _same_with_and_without_cache(ihk, repo, "status")
    assert result.exit_code == 1
    not_read = "(1 Datei nicht gelesen)" in result.stderr
    assert not_read == broken.startswith("name:"), result.stderr


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "foreign"])
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    first = ihk("validate", "--format", "json", cwd=repo)
    files = sorted(_cache_dir(repo).iterdir())
    assert files
    for path in files:
        raw = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(os.urandom(len(raw)))
        elif damage == "truncated":
            path.write_bytes(raw[: len(raw) // 2])
        elif damage == "flipped":
            path.write_bytes(raw[:-3] + bytes([raw[-3] ^ 0x40]) + raw[-2:])
        elif damage == "empty":
            path.write_bytes(b"")
    if damage == "foreign":  # another ihk (version or code) wrote it
        monkeypatch.setattr("ihk.cache._FINGERPRINT", b"\x00" * 20)
    parsed = _parses(monkeypatch)
    again = ihk("validate", "--format", "json", cwd=repo)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert sorted(parsed) == ["gremien/rat.yaml", "ihk.yaml", TAFEL]  # read afresh
    from ihk.cache import Cache

    cache = Cache.open(repo)
    assert cache is not None and cache.get("massnahme", git(repo, "hash-object", TAFEL).strip())


def test_a_cache_that_cannot_be_written_fails_nothing(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(self: object, path: Path, payload: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ihk.cache.Cache._write", full)
    result = ihk("validate", cwd=repo)
    assert (result.exit_code, result.stderr) == (0, "")
    (_cache_dir(repo)).rmdir()
    _cache_dir(repo).write_text("kein Ordner")  # the cache's place is taken
    monkeypatch.undo()
    assert ihk("status", cwd=repo).exit_code == 0


def test_no_cache_reads_and_writes_none(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ihk("validate", "--no-cache", cwd=repo).exit_code == 0
    assert not _cache_dir(repo).exists()
    monkeypatch.setenv("IHK_NO_CACHE", "1")
    assert ihk("status", cwd=repo).exit_code == 0
    assert not _cache_dir(repo).exists()
    monkeypatch.setenv("IHK_NO_CACHE", "0")
    assert ihk("status", cwd=repo).exit_code == 0
    assert _cache_dir(repo).is_dir()


def test_outside_git_the_user_cache_folder_is_used(
    minimal: Path, ihk: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _same_with_and_without_cache(ihk, minimal, "validate")
    assert any((tmp_path / "xdg" / "ihk").glob("index-*"))
    assert sorted(p.name for p in minimal.rglob("*") if "ihk-cache" in str(p)) == []


def test_concurrent_runs_leave_a_sound_cache(repo: Path) -> None:
    for i in range(30):
        (repo / "massnahmen" / f"m-{i:02d}.yaml").write_text(
            f"titel: Maßnahme {i}\noberziel: nachbarschaften\nfinanzierung:\n"
            "  staedtebaufoerderung: nein\nstatus: in_planung\naufgenommen: 2002-01\n",
            "utf-8",
        )
    command = [sys.executable, "-m", "ihk", "validate", "--format", "json"]
    runs = [
        subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    outputs = {run.communicate()[0] for run in runs}
    assert len(outputs) == 1
    warm = subprocess.run(command, cwd=repo, capture_output=True, check=False)
    bare = subprocess.run([*command, "--no-cache"], cwd=repo, capture_output=True, check=False)
    assert warm.stdout == bare.stdout == outputs.pop()
    assert not list(_cache_dir(repo).glob(".tmp-*"))


# ------------------------------------------------------------ the same reports


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_alike_from_the_cache(
    case: str, minimal: Path, ihk: Callable[..., Result]
) -> None:
    overlay(case, minimal)
    expected = (DATA / "bad" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = _same_with_and_without_cache(ihk, minimal, "validate")
    assert result.stdout.splitlines() == expected
    _same_with_and_without_cache(ihk, minimal, "validate", "--format", "json")


REPORTS = [
    ("validate",),
    ("validate", "--format", "json"),
    ("status",),
    ("status", "--kind", "all", "--format", "json"),
    ("status", "--stand", "2004", "--format", "csv"),
    ("finanzen", "--format", "json"),
    ("finanzen", "--stand", "2003"),
    ("monitoring", "--format", "json"),
    ("fortschreibung", "2005..2006", "--format", "json"),
    ("fortschreibung", "2005..2006"),
    ("fortschreibung", "2003..2005", "--format", "json"),
    ("fortschreibung", "2003..2005"),
    ("fortschreibung", "2001..", "--format", "json"),
    ("fortschreibung", "2006.."),
    ("log", "--format", "json"),
    ("log", "sozialstation"),
]


@pytest.fixture(scope="module")
def demo_copy(demo_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo register, with one uncommitted edit (the working tree as BIS)."""
    root = tmp_path_factory.mktemp("demo-cache") / "belm-powe"
    shutil.copytree(demo_repo, root, symlinks=True)
    shutil.rmtree(root / ".git" / "ihk-cache", ignore_errors=True)
    path = root / "massnahmen" / "jugendtreff.yaml"
    path.write_text(path.read_text("utf-8").replace("in_planung", "in_umsetzung"), "utf-8")
    return root


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_every_report_is_the_same_with_and_without_the_cache(
    args: tuple[str, ...], demo_copy: Path, ihk: Callable[..., Result]
) -> None:
    result = _same_with_and_without_cache(ihk, demo_copy, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout


def test_log_reads_history_in_one_pass_as_commit_by_commit(demo_repo: Path) -> None:
    from ihk.commands.history import history, record_changes
    from ihk.workspace import Workspace

    ws = Workspace(demo_repo, use_cache=False)
    repo = ws.git
    entries = history(ws)
    assert len(entries) > 70
    assert [e.commit for e in entries] == repo.log("")
    for entry in entries:
        assert entry.changes == record_changes(repo, entry.commit.parent, entry.commit.sha, "")
    one = history(ws, "sozialstation", anzahl=3)
    assert [e.commit for e in one] == repo.log("massnahmen/sozialstation.yaml", max_count=3)
    for entry in one:
        changes = record_changes(repo, entry.commit.parent, entry.commit.sha, "")
        assert entry.changes == [c for c in changes if c.id == "sozialstation"]
        assert entry.changes


def test_log_in_one_pass_knows_merges_and_the_first_commit(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ihk.commands.history import history, record_changes
    from ihk.workspace import Workspace

    # a user's git that hides the first commit's files must not hide the new records
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(config.read_text() + "[log]\n\tshowRoot = false\n")
    git(repo, "checkout", "-q", "-b", "seite")
    (repo / "gremien" / "forum.yaml").write_text("name: Forum\nart: forum\n", "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Forum")
    git(repo, "checkout", "-q", "main")
    path = repo / TAFEL
    path.write_text(path.read_text("utf-8").replace("abgeschlossen", "in_umsetzung"), "utf-8")
    git(repo, "commit", "-q", "-am", "Tafel")
    git(repo, "merge", "-q", "--no-ff", "-m", "Zusammengeführt", "seite")
    ws = Workspace(repo)
    entries = history(ws)
    assert [e.commit.message for e in entries] == ["Zusammengeführt", "Tafel", "Forum", "Register"]
    for entry in entries:
        expected = record_changes(ws.git, entry.commit.parent, entry.commit.sha, "")
        assert entry.changes == expected
    merge, _, _, first = entries
    assert [(c.id, c.action) for c in merge.changes] == [("forum", "neu")]
    assert [(c.id, c.action) for c in first.changes] == [("rat", "neu"), ("tafel", "neu")]


def test_log_of_one_record_ignores_a_users_log_follow(repo: Path) -> None:
    from ihk.commands.history import history, record_changes
    from ihk.workspace import Workspace

    # "log.follow = true" would follow the file back through its rename to another id
    # and show the rename itself with no change
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(config.read_text() + "[log]\n\tfollow = true\n")
    git(repo, "mv", TAFEL, "massnahmen/belmer-tafel.yaml")
    git(repo, "commit", "-q", "-m", "Umbenannt")
    ws = Workspace(repo)
    [entry] = history(ws, "belmer-tafel")
    assert entry.commit.message == "Umbenannt"
    assert [(c.id, c.action) for c in entry.changes] == [("belmer-tafel", "neu")]
    expected = record_changes(ws.git, entry.commit.parent, entry.commit.sha, "")
    assert entry.changes == [c for c in expected if c.id == "belmer-tafel"]


def test_a_file_replaced_between_its_stat_and_its_read_is_not_cached_as_the_old(
    repo: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index knows which blob tafel.yaml holds (its stat is trusted), the store has
    # lost what that blob means; another process replaces the file after ihk took its
    # stat and before it reads it. What ihk read then must not be kept as the meaning of
    # the old blob: once the old text is back, it is valid again.
    from ihk import register as reading

    monkeypatch.setattr("ihk.cache.RACY_NS", -(10**19))
    path = repo / TAFEL
    text = path.read_text("utf-8")
    assert ihk("validate", cwd=repo).stdout.startswith("Register gültig")
    for shard in _cache_dir(repo).glob("blobs-*"):
        shard.unlink()
    real = reading._reread

    def replaced_meanwhile(name: str) -> bytes:
        if name.endswith("tafel.yaml"):
            path.write_text(text.replace("status: abgeschlossen", "status: abgeschlosse_"))
        return real(name)

    monkeypatch.setattr(reading, "_reread", replaced_meanwhile)
    assert "abgeschlosse_" in ihk("validate", cwd=repo).stdout
    monkeypatch.setattr(reading, "_reread", real)
    path.write_text(text, "utf-8")
    result = _same_with_and_without_cache(ihk, repo, "validate")
    assert result.stdout.startswith("Register gültig")
