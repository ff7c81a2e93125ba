"""rm, mv, sitzung, meilenstein and commit: one commit each, references kept whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result, git


def _files_of_head(repo: Path) -> list[str]:
    return git(repo, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")


def test_rm_refuses_while_others_refer(example: Path, ihk: Callable[..., Result]) -> None:
    head = git(example, "rev-parse", "HEAD")
    result = ihk("rm", "sanierungsforum", cwd=example)
    assert result.exit_code == 1
    assert "Gremium „sanierungsforum“ wird noch genannt: massnahmen/buergerhaus.yaml" in (
        result.stderr
    )
    assert "massnahmen/stettiner-platz.yaml (gremien.1)" in result.stderr
    assert (example / "gremien" / "sanierungsforum.yaml").exists()
    assert git(example, "rev-parse", "HEAD") == head


def test_rm_with_references_is_one_commit(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("rm", "sanierungsforum", "--auch-verweise", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert not (example / "gremien" / "sanierungsforum.yaml").exists()
    assert "sanierungsforum" not in (example / "massnahmen" / "buergerhaus.yaml").read_text()
    assert sorted(_files_of_head(example)) == sorted(
        [
            "D\tgremien/sanierungsforum.yaml",
            "M\tmassnahmen/buergerhaus.yaml",
            "M\tmassnahmen/stettiner-platz.yaml",
            "M\tmassnahmen/verfuegungsfonds.yaml",
            "",
        ]
    )
    assert git(example, "log", "-1", "--format=%s").startswith("Gremium sanierungsforum entfernt: ")
    assert ihk("validate", cwd=example).exit_code == 0
    assert git(example, "status", "--porcelain") == ""


def test_rm_of_an_unreferenced_record(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("rm", "projekt/konfliktlotsen", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert _files_of_head(example) == ["D\tprojekte/konfliktlotsen.yaml", ""]


def test_mv_renames_the_record_and_every_reference(
    example: Path, ihk: Callable[..., Result]
) -> None:
    before = (example / "massnahmen" / "quartiersfeste.yaml").read_bytes()
    result = ihk("mv", "quartiersfeste", "stadtteilfeste", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "Verweis angepasst: projekte/begegnungsfest.yaml (massnahmen.0)" in result.stdout
    assert (example / "massnahmen" / "stadtteilfeste.yaml").read_bytes() == before
    assert "  - stadtteilfeste\n" in (example / "projekte" / "begegnungsfest.yaml").read_text()
    assert ihk("validate", cwd=example).exit_code == 0
    assert "Verweis angepasst: indikatoren/besucher-begegnungsfest.yaml (massnahmen.0)" in (
        result.stdout
    )
    # deleted, added, the project, the indicator; one commit
    assert len(_files_of_head(example)) == 5
    taken = ihk("mv", "stadtteilfeste", "buergerhaus", cwd=example)
    assert taken.exit_code == 1 and "gibt es schon" in taken.stderr


def test_sitzung_records_a_meeting_with_its_decisions(
    example: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk(
        "sitzung", "sanierungsbeirat", "--datum", "2007-03-14", "--titel", "Frühjahrssitzung",
        "--beschluss", "Mietergärten werden nicht weiter verfolgt", "--massnahme", "mietergaerten",
        cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (example / "gremien" / "sanierungsbeirat.yaml").read_text("utf-8")
    assert text.endswith(
        "  - datum: 2007-03-14\n"
        "    titel: Frühjahrssitzung\n"
        "    beschluesse:\n"
        "      - text: Mietergärten werden nicht weiter verfolgt\n"
        "        massnahmen:\n"
        "          - mietergaerten\n"
    )
    assert git(example, "log", "-1", "--format=%s") == (
        "Gremium sanierungsbeirat: Sitzung am 14. März 2007\n"
    )
    unknown = ihk(
        "sitzung", "rat", "--datum", "2007-03-14", "--beschluss", "x",
        "--massnahme", "gibtsnicht", cwd=example,
    )  # fmt: skip
    assert unknown.exit_code == 1 and "Maßnahme „gibtsnicht“ gibt es nicht" in unknown.stderr
    wrong = ihk("sitzung", "buergerhaus", "--datum", "2007-03-14", cwd=example)
    assert wrong.exit_code == 1 and "gemeint ist ein Gremium" in wrong.stderr


def test_meilenstein_new_and_reached(example: Path, ihk: Callable[..., Result]) -> None:
    path = example / "projekte" / "konfliktlotsen.yaml"
    reached = ihk("meilenstein", "konfliktlotsen", "2", "--erreicht", cwd=example)
    assert reached.exit_code == 0, reached.stderr
    assert "    text: Sprechstunde im Stadtteilbüro\n    erreicht: true\n" in path.read_text()
    new = ihk(
        "meilenstein", "konfliktlotsen", "--datum", "2008-01", "--text", "Zehn Lotsen", cwd=example
    )
    assert new.exit_code == 0, new.stderr
    assert path.read_text().endswith("  - datum: 2008-01\n    text: Zehn Lotsen\n")
    missing = ihk("meilenstein", "konfliktlotsen", "9", "--erreicht", cwd=example)
    assert missing.exit_code == 1


def test_commit_after_no_commit_and_hand_edits(example: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("set", "belmer-tafel", "ort=Powe", "--no-commit", cwd=example).exit_code == 0
    (example / "gremien" / "ag.yaml").write_text("name: AG Spielplatz\nart: arbeitsgruppe\n")
    (example / "notiz.txt").write_text("nicht im Register? doch: im Registerordner\n")
    result = ihk("commit", cwd=example)
    assert result.exit_code == 0, result.stderr
    subject = git(example, "log", "-1", "--format=%s")
    assert "Maßnahme belmer-tafel: ort = Powe" in subject and "Gremium ag: neu" in subject
    assert git(example, "status", "--porcelain") == ""
    nothing = ihk("commit", cwd=example)
    assert nothing.exit_code == 1 and "Nichts zu committen" in nothing.stderr


def test_commit_refuses_an_invalid_register(example: Path, ihk: Callable[..., Result]) -> None:
    (example / "gremien" / "ag.yaml").write_text("name: AG\nart: verein\n")
    head = git(example, "rev-parse", "HEAD")
    result = ihk("commit", cwd=example)
    assert result.exit_code == 1 and "gremien/ag.yaml:2:6" in result.stderr
    assert git(example, "rev-parse", "HEAD") == head


def test_log_of_a_removed_record_and_limits(example: Path, ihk: Callable[..., Result]) -> None:
    import json

    assert ihk("set", "konfliktlotsen", "status=abgeschlossen", cwd=example).exit_code == 0
    assert ihk("rm", "konfliktlotsen", cwd=example).exit_code == 0
    log = json.loads(ihk("log", "konfliktlotsen", "--format", "json", cwd=example).stdout)
    assert [e["aenderungen"][0]["aktion"] for e in log] == ["entfernt", "geändert", "neu"]
    assert len(json.loads(ihk("log", "-n", "2", "--format", "json", cwd=example).stdout)) == 2
    future = json.loads(ihk("log", "--seit", "2999", "--format", "json", cwd=example).stdout)
    assert future == []
    bad = ihk("log", "--seit", "gestern", cwd=example)
    assert bad.exit_code == 2 and "SEIT „gestern“: Datum als JJJJ, JJJJ-MM oder JJJJ-MM-TT" in (
        bad.stderr
    )
    never = ihk("log", "gibtsnicht", cwd=example)
    assert never.exit_code == 1 and "Keinen Eintrag „gibtsnicht“" in never.stderr


def test_a_likely_duplicate_is_refused_unless_wanted(
    example: Path, ihk: Callable[..., Result]
) -> None:
    args = ["add", "massnahme", "--titel", "Einrichtung einer Belmer Tafel", "--oberziel",
            "nachbarschaften", "--keine-stbauf", "--id", "tafel-zwei"]  # fmt: skip
    result = ihk(*args, cwd=example)
    assert result.exit_code == 1
    assert (
        "ähnelt dem Vorhandenen: belmer-tafel („Einrichtung einer Belmer Tafel "
        "(Außenstelle der Osnabrücker Tafel)“)"
    ) in result.stderr
    assert "--trotzdem" in result.stderr
    assert ihk(*args, "--trotzdem", cwd=example).exit_code == 0
    unrelated = ihk("add", "gremium", "--name", "Lenkungsrunde Wohnen", "--art", "sonstiges",
                    cwd=example)  # fmt: skip
    assert unrelated.exit_code == 0, unrelated.stderr


def test_log_does_not_repeat_its_own_message(example: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("set", "belmer-tafel", "ort=Powe", cwd=example).exit_code == 0
    assert (
        ihk("set", "belmer-tafel", "ort=Belm", "-m", "Ort korrigiert", cwd=example).exit_code == 0
    )
    text = ihk("log", "belmer-tafel", "-n", "2", cwd=example).stdout
    first, second = text.split("\n\n")
    assert first.splitlines()[1:] == [
        "    Ort korrigiert",
        "    Maßnahme belmer-tafel: geändert",
        "      ort Powe → Belm",
    ]
    assert second.splitlines()[1:] == ["    Maßnahme belmer-tafel: ort = Powe"]
