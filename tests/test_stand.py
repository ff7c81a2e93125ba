"""ihk stand: years that make sense, moving a Stand, listing them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git


@pytest.fixture
def dated(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", "2004-12-10T12:00:00+01:00")
    git(minimal, "init", "-q", "-b", "main")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "Stand 2004")
    return minimal


def test_years_in_the_future_or_before_the_register_are_refused(
    dated: Path, ihk: Callable[..., Result]
) -> None:
    future = ihk("stand", "2206", cwd=dated)
    assert future.exit_code == 1 and "Das Jahr 2206 liegt in der Zukunft" in future.stderr
    early = ihk("stand", "1990", cwd=dated)
    assert early.exit_code == 1
    assert "liegt vor dem ersten Commit des Registers (10. Dezember 2004)" in early.stderr
    odd = ihk("stand", "¹²³⁴", cwd=dated)
    assert odd.exit_code == 1 and "kein Jahr" in odd.stderr
    assert git(dated, "tag") == ""


def test_moving_a_stand_needs_a_confirmation(
    dated: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ihk("stand", "2004", cwd=dated).exit_code == 0
    first = git(dated, "rev-parse", "stand-2004^{commit}")
    again = ihk("stand", "2004", cwd=dated)
    assert "verschieben mit: ihk stand 2004 --verschieben" in again.stderr
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2004-12-20T12:00:00+01:00")
    git(dated, "commit", "-q", "--allow-empty", "-m", "Nachtrag zum Beschluss")
    asked = ihk("stand", "2004", "--verschieben", cwd=dated)
    assert asked.exit_code == 2 and "im Terminal bestätigen oder --ja" in asked.stderr
    assert git(dated, "rev-parse", "stand-2004^{commit}") == first
    monkeypatch.setattr("ihk.cli.main.interactive", lambda: True)
    declined = ihk("stand", "2004", "--verschieben", cwd=dated, input="nein\n")
    assert declined.exit_code == 1 and git(dated, "rev-parse", "stand-2004^{commit}") == first
    moved = ihk("stand", "2004", "--verschieben", cwd=dated, input="ja\n")
    assert moved.exit_code == 0, moved.stderr
    assert f"von {first[:10]} auf" in moved.stdout
    assert git(dated, "rev-parse", "stand-2004^{commit}") == git(dated, "rev-parse", "HEAD")
    nothing = ihk("stand", "2005", "--verschieben", "--ja", cwd=dated)
    assert nothing.exit_code == 1 and "gibt es noch nicht" in nothing.stderr


def test_list_of_staende(dated: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("stand", "--liste", cwd=dated).stdout == (
        "Noch kein Stand festgehalten (ihk stand JAHR).\n"
    )
    assert ihk("stand", "2004", "-m", "Ratsbeschluss vom 9.12.", cwd=dated).exit_code == 0
    sha = git(dated, "rev-parse", "HEAD").strip()
    listed = ihk("stand", "--liste", cwd=dated).stdout
    assert listed == f"Stand 2004  10. Dezember 2004  {sha[:10]}  Ratsbeschluss vom 9.12.\n"
    data = json.loads(ihk("stand", "--liste", "--format", "json", cwd=dated).stdout)
    assert data == [
        {
            "jahr": "2004",
            "tag": "stand-2004",
            "commit": sha,
            "datum": "2004-12-10T12:00:00+01:00",
            "nachricht": "Ratsbeschluss vom 9.12.",
        }
    ]


def test_a_stands_date_is_the_day_it_was_set(
    dated: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the commit is of 10 Dec 2004; the council adopts Stand 2004 on 20 Dec 2004, and a
    # meeting of 15 Dec (before the decision) is recorded only afterwards
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2004-12-20T12:00:00+01:00")
    assert ihk("stand", "2004", cwd=dated).exit_code == 0
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", "2005-02-01T12:00:00+01:00")
    assert ihk("sitzung", "rat", "--datum", "2004-12-15", cwd=dated).exit_code == 0
    assert ihk("sitzung", "rat", "--datum", "2005-01-20", cwd=dated).exit_code == 0
    data = json.loads(ihk("fortschreibung", "2004..2005", "--format", "json", cwd=dated).stdout)
    assert data["von"]["datum"] == "2004-12-20"
    assert [s["datum"] for s in data["gremien"]["sitzungen"]] == ["2005-01-20"]


def test_status_as_it_stood_at_a_stand(
    dated: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ihk("stand", "2004", cwd=dated).exit_code == 0
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", "2005-03-01T12:00:00+01:00")
    assert ihk("set", "tafel", "status=nicht_umgesetzt", cwd=dated).exit_code == 0
    tafel = (dated / "massnahmen" / "tafel.yaml").read_bytes()
    then = json.loads(ihk("status", "--stand", "2004", "--format", "json", cwd=dated).stdout)
    assert then["summen"]["abgeschlossen"] == 1 and then["summen"]["nicht_umgesetzt"] == 0
    assert then["stand"]["bezeichnung"] == "Stand 2004"
    now = json.loads(ihk("status", "--format", "json", cwd=dated).stdout)
    assert now["summen"]["nicht_umgesetzt"] == 1 and now["stand"] is None
    markdown = ihk("status", "--stand", "2004", "--format", "markdown", cwd=dated).stdout
    assert markdown.startswith("# IHK Testgebiet – Stand 2004 (10. Dezember 2004)\n")
    # the working tree is untouched
    assert (dated / "massnahmen" / "tafel.yaml").read_bytes() == tafel
    assert git(dated, "status", "--porcelain") == ""
    missing = ihk("status", "--stand", "1999", cwd=dated)
    assert missing.exit_code == 1 and "STAND 1999" in missing.stderr
