"""The Fortschreibung's section "Zielerreichung": indicators at VON and at BIS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Result, git


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for g in data["zielerreichung"] for i in g["indikatoren"]}


def test_the_demos_zielerreichung_2005_2006(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    data = json.loads(ihk("fortschreibung", "2005..2006", "--format", "json", cwd=demo_repo).stdout)
    # catalogue order of the goals
    assert [g["oberziel"] for g in data["zielerreichung"]] == [
        "kinder-jugend",
        "image",
        "qualifizierung",
        "beteiligung",
    ]
    rows = _rows(data)
    u25 = rows["arbeitslose-u25"]
    assert (u25["von"], u25["von_jahr"], u25["bis"], u25["bis_jahr"]) == (71, 2005, 62, 2006)
    assert round(u25["zielerreichung_von"], 1) == -13.0  # (71 - 68) / (45 - 68)
    assert round(u25["zielerreichung_bis"], 1) == 26.1
    assert (u25["urteil_von"], u25["urteil"]) == ("verfehlt Richtung", "auf Kurs")
    assert (u25["von_text"], u25["zielerreichung_von_text"]) == ("71 Personen (2005)", "-13 %")
    assert u25["neue_werte"] == [2006]
    # the 2005 value of "Rund um Gesund" came in January 2006
    kids = rows["kinder-rund-um-gesund"]
    assert (kids["von"], kids["von_text"], kids["urteil_von"]) == (None, "–", "keine Daten")
    assert kids["neue_werte"] == [2005, 2006]
    assert rows["transferleistungen"]["bis_text"] == "29,1 % (2006)"


def test_the_section_reuses_monitoring(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    from ihk.monitoring import indikator_stand
    from ihk.register import load_worktree

    data = json.loads(ihk("fortschreibung", "2005..2006", "--format", "json", cwd=demo_repo).stdout)
    register = load_worktree(demo_repo)  # the demo's final state is Stand 2006
    for ident, row in _rows(data).items():
        stand = indikator_stand(ident, register.entries["indikator"][ident].record)
        assert row["zielerreichung_bis"] == stand.zielerreichung
        assert row["urteil"] == stand.urteil


def test_no_indicators_no_section(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    # Stand 2001 has none, Stand 2002 the first three
    early = json.loads(
        ihk("fortschreibung", "2001..2002", "--format", "json", cwd=demo_repo).stdout
    )
    rows = _rows(early)
    assert sorted(rows) == [
        "aktive-im-sanierungsforum",
        "arbeitslose-u25",
        "besucher-begegnungsfest",
        "transferleistungen",
    ]
    assert all(not r["vorhanden_von"] for r in rows.values())
    text = ihk("fortschreibung", "2001..2002", cwd=demo_repo).stdout
    assert "| neu |" in text


def _commit(root: Path, when: str, message: str) -> None:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(root, "add", "-A", env=env)
    git(root, "commit", "-q", "-m", message, env=env)


def test_only_values_changed(minimal: Path, ihk: Callable[..., Result]) -> None:
    git(minimal, "init", "-q", "-b", "main")
    _commit(minimal, "2004-12-10T12:00:00+01:00", "Stand 2004")
    (minimal / "massnahmen" / "tafel.yaml").write_text(
        (minimal / "massnahmen" / "tafel.yaml").read_text("utf-8") + "ort: Powe\n", "utf-8"
    )
    _commit(minimal, "2005-01-10T12:00:00+01:00", "Ort")
    (minimal / "indikatoren").mkdir()
    (minimal / "indikatoren" / "quote.yaml").write_text(
        "titel: Quote *sozial* | gesamt\neinheit: '%'\nart: kontext\noberziel: beteiligung\n"
        "richtung: sinken\nbasis: {jahr: 2001, wert: 24.5}\nziel: {jahr: 2010, wert: 18}\n"
        "werte:\n  - {jahr: 2004, wert: 23}\n",
        encoding="utf-8",
    )
    _commit(minimal, "2005-03-01T12:00:00+01:00", "Indikator")
    (minimal / "indikatoren" / "quote.yaml").write_text(
        (minimal / "indikatoren" / "quote.yaml").read_text("utf-8")
        + "  - {jahr: 2005, wert: 21.25}\n",
        encoding="utf-8",
    )
    _commit(minimal, "2005-06-01T12:00:00+01:00", "Wert 2005")

    # no indicator at either end: no section
    data = json.loads(
        ihk("fortschreibung", "HEAD~3..HEAD~2", "--format", "json", cwd=minimal).stdout
    )
    assert data["zielerreichung"] == []
    assert "## Zielerreichung" not in ihk("fortschreibung", "HEAD~3..HEAD~2", cwd=minimal).stdout

    # only a value was recorded: that is a change
    data = json.loads(ihk("fortschreibung", "HEAD~1..HEAD", "--format", "json", cwd=minimal).stdout)
    assert data["keine_aenderungen"] is False
    (row,) = _rows(data).values()
    assert (row["von_text"], row["bis_text"]) == ("23 % (2004)", "21,25 % (2005)")
    assert (row["zielerreichung_von_text"], row["zielerreichung_bis_text"]) == ("23 %", "50 %")
    assert row["neue_werte"] == [2005]
    text = ihk("fortschreibung", "HEAD~1..HEAD", cwd=minimal).stdout
    assert "nichts geändert" not in text
    assert "| Quote \\*sozial\\* \\| gesamt (`quote`) | 24,5 % (2001) |" in text
    assert "| 23 % → 50 % | auf Kurs | 2005 |" in text
