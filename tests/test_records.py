"""ihk add / set / show on a real git register."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, git


def changed_lines(repo: Path, rev: str = "HEAD~1") -> list[str]:
    diff = git(repo, "diff", "-U0", rev, "HEAD")
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_set_status_changes_exactly_one_line(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("set", "buergerhaus", "status=in_planung", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert changed_lines(example) == ["-status: nicht_umgesetzt", "+status: in_planung"]
    message = git(example, "log", "-1", "--format=%s")
    assert message.strip() == "Maßnahme buergerhaus: status nicht_umgesetzt → in_planung"
    files = git(example, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["massnahmen/buergerhaus.yaml"]


def test_set_keeps_comments_blocks_and_key_order(example: Path, ihk: Callable[..., Result]) -> None:
    before = (example / "massnahmen" / "buergerhaus.yaml").read_text("utf-8")
    result = ihk(
        "set",
        "massnahme/buergerhaus",
        "traeger+=Kirche",
        "finanzierung.kosten_eur=250000",
        cwd=example,
    )
    assert result.exit_code == 0, result.stderr
    after = (example / "massnahmen" / "buergerhaus.yaml").read_text("utf-8")
    assert changed_lines(example) == [
        "+  - Kirche",
        "+  kosten_eur: 250000",
    ]
    # every line that was there is still there, in the same order
    kept = [
        line for line in after.splitlines() if line not in ("  - Kirche", "  kosten_eur: 250000")
    ]
    assert kept == before.splitlines()


def test_set_golden_file(tmp_path: Path, minimal: Path, ihk: Callable[..., Result]) -> None:
    from tests.conftest import DATA

    source = DATA / "roundtrip" / "input.yaml"
    (minimal / "massnahmen" / "handarbeit.yaml").write_bytes(source.read_bytes())
    result = ihk(
        "set",
        "handarbeit",
        "status=in_umsetzung",
        "traeger-=Verein",
        "weitere_ziele+=beteiligung",
        "zeitraum.bis=2006-12",
        "ort=",
        "--note",
        "Träger wechselt",
        "--no-commit",
        cwd=minimal,
    )
    assert result.exit_code == 0, result.stderr
    expected = (DATA / "roundtrip" / "expected.yaml").read_text("utf-8")
    month = __import__("datetime").date.today().strftime("%Y-%m")
    assert (minimal / "massnahmen" / "handarbeit.yaml").read_text("utf-8") == expected.replace(
        "MONAT", month
    )


def test_other_staged_work_stays_staged(example: Path, ihk: Callable[..., Result]) -> None:
    (example / "massnahmen" / "schulhof.yaml").write_text(
        (example / "massnahmen" / "schulhof.yaml")
        .read_text("utf-8")
        .replace("abgeschlossen", "in_umsetzung"),
        encoding="utf-8",
    )
    git(example, "add", "massnahmen/schulhof.yaml")
    assert ihk("set", "sozialstation", "ort=Powe", cwd=example).exit_code == 0
    assert git(example, "show", "--name-only", "--format=", "HEAD").split() == [
        "massnahmen/sozialstation.yaml"
    ]
    assert git(example, "diff", "--cached", "--name-only").split() == ["massnahmen/schulhof.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status=fertig"], "ungültiger Wert „fertig“"),
        (["oberziel=bildung"], "Ziel „bildung“ steht nicht im Zielkatalog"),
        (["titl=Neu"], "meinten Sie „titel“?"),
        (["traeger-=Niemand"], "„Niemand“ steht nicht in traeger"),
        (["zeitraum.von=2005-01"], "liegt vor dem Beginn"),
        (["status"], "verstehe ich nicht"),
    ],
)
def test_refused_set_changes_and_commits_nothing(
    example: Path, ihk: Callable[..., Result], args: list[str], message: str
) -> None:
    path = example / "massnahmen" / "sozialstation.yaml"
    before = path.read_bytes()
    head = git(example, "rev-parse", "HEAD")
    result = ihk("set", "sozialstation", *args, cwd=example)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""


def test_ids_that_are_paths_are_refused(example: Path, ihk: Callable[..., Result]) -> None:
    for spec in ("../ihk", "massnahme/../../x", "Bürgerhaus"):
        result = ihk("set", spec, "ort=x", cwd=example)
        assert result.exit_code == 1
        assert "ungültige Kennung" in result.stderr
    assert (
        ihk(
            "add",
            "measure",
            "--id",
            "../x",
            "--titel",
            "X",
            "--oberziel",
            "wohnen",
            "--stbauf",
            cwd=example,
        ).exit_code
        == 1
    )
    assert not (example.parent / "x.yaml").exists()


def test_ambiguous_bare_id_lists_both(example: Path, ihk: Callable[..., Result]) -> None:
    (example / "projekte" / "jugendtreff.yaml").write_text(
        "titel: Jugendtreff-Projekt\noberziel: kinder-jugend\nstatus: in_planung\n",
        encoding="utf-8",
    )
    result = ihk("show", "jugendtreff", cwd=example)
    assert result.exit_code == 1
    assert "massnahme/jugendtreff und projekt/jugendtreff" in result.stderr
    assert ihk("show", "projekt/jugendtreff", cwd=example).exit_code == 0


def test_add_measure_writes_and_commits_one_file(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk(
        "add",
        "massnahme",
        "--titel",
        "Spielplatz an der Großen Straße",
        "--oberziel",
        "kinder-jugend",
        "--ziel",
        "wohnen",
        "--traeger",
        "Gemeinde",
        "--keine-stbauf",
        "--foerderung",
        "LOS",
        "--kosten",
        "15000",
        "--aufgenommen",
        "2006-12",
        cwd=example,
    )
    assert result.exit_code == 0, result.stderr
    path = example / "massnahmen" / "spielplatz-an-der-grossen-strasse.yaml"
    assert path.read_text("utf-8") == (
        "titel: Spielplatz an der Großen Straße\n"
        "oberziel: kinder-jugend\n"
        "weitere_ziele:\n  - wohnen\n"
        "traeger:\n  - Gemeinde\n"
        "finanzierung:\n  staedtebaufoerderung: false\n  sonstige:\n    - LOS\n  kosten_eur: 15000\n"
        "status: in_planung\n"
        "aufgenommen: 2006-12\n"
    )
    assert git(example, "show", "--name-only", "--format=%s", "HEAD").split("\n")[0] == (
        "Maßnahme spielplatz-an-der-grossen-strasse angelegt: Spielplatz an der Großen Straße"
    )
    assert git(example, "status", "--porcelain") == ""


def test_add_refuses_existing_id_and_invalid_result(
    example: Path, ihk: Callable[..., Result]
) -> None:
    head = git(example, "rev-parse", "HEAD")
    taken = ihk("add", "gremium", "--id", "rat", "--name", "Rat", "--art", "rat", cwd=example)
    assert taken.exit_code == 1 and "gibt es schon" in taken.stderr
    bad = ihk("add", "project", "--titel", "X", "--oberziel", "bildung", cwd=example)
    assert bad.exit_code == 1 and "Zielkatalog" in bad.stderr
    assert not (example / "projekte" / "x.yaml").exists()
    assert git(example, "rev-parse", "HEAD") == head


def test_add_without_terminal_exits_2_naming_the_option(
    example: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk("add", "measure", "--titel", "Neu", "--stbauf", cwd=example)
    assert result.exit_code == 2
    assert "--oberziel fehlt" in result.stderr


def test_add_prompts_on_a_terminal(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ihk.cli.main.interactive", lambda: True)
    result = ihk(
        "add", "committee", "--art", "arbeitsgruppe", cwd=example, input="AG Verfügungsfonds\nja\n"
    )
    assert result.exit_code == 0, result.stderr + result.stdout
    assert (example / "gremien" / "ag-verfuegungsfonds.yaml").read_text("utf-8") == (
        "name: AG Verfügungsfonds\nart: arbeitsgruppe\n"
    )


def test_show_formats(example: Path, ihk: Callable[..., Result]) -> None:
    import json

    text = ihk("show", "sozialstation", cwd=example)
    assert text.exit_code == 0
    assert "Umsetzungsstand: abgeschlossen und umgesetzt (abgeschlossen)" in text.stdout
    raw = ihk("show", "sozialstation", "--format", "yaml", cwd=example)
    assert raw.stdout == (example / "massnahmen" / "sozialstation.yaml").read_text("utf-8")
    data = json.loads(ihk("show", "gremium/rat", "--format", "json", cwd=example).stdout)
    assert data["art"] == "gremium" and data["daten"]["name"] == "Rat der Gemeinde Belm"
    missing = ihk("show", "gibtsnicht", cwd=example)
    assert missing.exit_code == 1 and "Keinen Eintrag „gibtsnicht“" in missing.stderr


def test_hand_written_layout_survives_a_status_change(
    minimal: Path, ihk: Callable[..., Result]
) -> None:
    from tests.conftest import DATA

    original = (DATA / "roundtrip" / "input.yaml").read_text("utf-8")
    path = minimal / "massnahmen" / "handarbeit.yaml"
    path.write_text(original, encoding="utf-8")
    assert (
        ihk("set", "handarbeit", "status=abgeschlossen", "--no-commit", cwd=minimal).exit_code == 0
    )
    assert path.read_text("utf-8") == original.replace(
        "status: in_planung", "status: abgeschlossen"
    )


def test_set_without_git_needs_no_commit(minimal: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("set", "tafel", "ort=Powe", cwd=minimal)
    assert result.exit_code == 2
    assert "nicht in einem git-Repository" in result.stderr
    assert "ort" not in (minimal / "massnahmen" / "tafel.yaml").read_text("utf-8")


def test_windows_line_endings_survive_a_change(minimal: Path, ihk: Callable[..., Result]) -> None:
    path = minimal / "massnahmen" / "tafel.yaml"
    original = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    assert ihk("set", "tafel", "status=in_umsetzung", "--no-commit", cwd=minimal).exit_code == 0
    assert path.read_bytes() == original.replace(b"status: abgeschlossen", b"status: in_umsetzung")


def test_add_asks_for_missing_values_in_german(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ihk.cli.main.interactive", lambda: True)
    result = ihk(
        "add", "measure", "--aufgenommen", "2006-12", cwd=example,
        input="Nachbarschaftsgarten\nnachbarschaften\n\n\nvielleicht\nja\n\n\nja\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "Bitte „ja“ oder „nein“ eingeben." in result.stderr
    text = (example / "massnahmen" / "nachbarschaftsgarten.yaml").read_text("utf-8")
    assert "staedtebaufoerderung: true" in text


def test_set_to_the_same_value_writes_and_commits_nothing(
    example: Path, ihk: Callable[..., Result]
) -> None:
    head = git(example, "rev-parse", "HEAD")
    for extra in ([], ["--no-commit"]):
        result = ihk("set", "sozialstation", "status=abgeschlossen", *extra, cwd=example)
        assert result.exit_code == 0
        assert result.stdout == "Maßnahme sozialstation: keine Änderung\n"
    assert git(example, "rev-parse", "HEAD") == head
