"""The IHK table as typed data: the seed's layout, in catalogue order, with Nachträge and
the legend, from the working tree or from a Stand."""

from __future__ import annotations

from pathlib import Path

from ihk.fortschreibung import stand_info
from ihk.kinds import KINDS
from ihk.register import load_worktree
from ihk.snapshot import load_at, resolve_end
from ihk.tabelle import SPALTEN, Monat, ihk_tabelle
from ihk.vocab import monat_abgekuerzt
from tests.conftest import EXAMPLE

MASSNAHME, PROJEKT = KINDS["massnahme"], KINDS["projekt"]


def test_groups_follow_the_catalogue_with_the_seeds_columns() -> None:
    table = ihk_tabelle(load_worktree(EXAMPLE), [MASSNAHME])
    assert table.titel == "Integriertes Handlungskonzept Belm-Powe"
    assert [s.titel for s in SPALTEN] == [
        "Maßnahmen/Projekte", "Weitere Ziele", "Ausführende Träger/Beteiligte", "Stbauf.",
        "Sonst. F.", "Kosten", "Aufn. in Konzept", "Stand",
    ]  # fmt: skip
    # the catalogue's order; "Verknüpfung" has no measure, so no heading
    assert [g.oberziel.id for g in table.gruppen] == [
        "wohnen", "verkehr", "nachbarschaften", "kinder-jugend", "image", "qualifizierung",
        "beteiligung",
    ]  # fmt: skip
    group = table.gruppen[2]
    assert group.ueberschrift == (
        "Oberziel: Unterstützung und Ausbau von Nachbarschaften und sozialen Netzen"
    )
    assert [z.id for z in group.zeilen] == [
        "sozialstation",
        "belmer-tafel",
        "buergerhaus",
        "hauswirtschaftliche-soforthilfe",
        "servicebuero-nachbarschaftshilfe",
    ]  # fmt: skip  (by title: "Aufbau …", "Einrichtung einer Belmer …", "Errichtung …")
    assert table.anzahl == 16 == len(list(table.zeilen))


def test_a_row_keeps_ids_and_titles_and_says_it_in_german() -> None:
    table = ihk_tabelle(load_worktree(EXAMPLE), [MASSNAHME])
    row = next(z for z in table.zeilen if z.id == "buergerhaus")
    assert [z.id for z in row.weitere_ziele] == ["qualifizierung", "kinder-jugend", "beteiligung"]
    assert row.weitere_ziele[0].titel == "Qualifizierung und Beschäftigung"
    assert row.status == "nicht_umgesetzt" and row.stbauf
    assert row.aufgenommen == Monat("2001-12", "Dez. 2001")
    # the KuF's total: the plan that is left after the Bürgerhaus was dropped
    assert row.kosten == 30000
    assert row.zellen() == (
        "Errichtung eines Bürgerhauses mit Stadtteilbüro, Sozialberatungsstelle, "
        "Veranstaltungsräumen und Kindergarten",
        "Qualifizierung und Beschäftigung; Verbesserung der Lebenssituation für Kinder und "
        "Jugendliche; Bürgerbeteiligung und Aktivierung",
        "Arbeitsamt, Architekt, Bewohner, soziale Einrichtungen, Gemeinde, Landkreis",
        "Ja",
        "Arbeitsamt, Landkreis, sonstige Förderprogramme",
        "30.000 €",
        "Dez. 2001",
        "nicht umgesetzt",
    )
    (nachtrag,) = row.nachtraege
    assert nachtrag.stand == Monat("2003-12", "Dez. 2003")
    assert nachtrag.zeile.startswith("Nachtrag Dez. 2003: Das Bürgerhaus wird vorerst nicht")
    fest = next(z for z in table.zeilen if z.id == "quartiersfeste")  # no costs stated
    assert fest.zelle("stbauf") == "–" and fest.kosten is None and fest.zelle("kosten") == ""
    assert fest.nachtraege == ()


def test_projects_show_their_start_and_come_after_the_measures() -> None:
    table = ihk_tabelle(load_worktree(EXAMPLE), [MASSNAHME, PROJEKT])
    wohnen = table.gruppen[0]
    assert [(z.art, z.id) for z in wohnen.zeilen] == [
        ("massnahme", "mietergaerten"),
        ("massnahme", "stettiner-platz"),
        ("projekt", "sportlicher-einsatz"),
    ]
    project = wohnen.zeilen[2]
    assert project.aufgenommen == Monat("2005-04", "Apr. 2005")  # laufzeit.von
    assert project.weitere_ziele == () and project.nachtraege == ()


def test_the_legend_in_the_documents_order() -> None:
    table = ihk_tabelle(load_worktree(EXAMPLE), [MASSNAHME])
    assert [e.zeile for e in table.legende] == [
        "Grün = abgeschlossen und umgesetzt",
        "Blau = in der aktiven Umsetzungs-/Durchführungsphase",
        "Rot = in der Planung",
        "Schwarz = war geplant, nicht umgesetzt",
    ]
    assert [e.status for e in table.legende] == [
        "abgeschlossen", "in_umsetzung", "in_planung", "nicht_umgesetzt",
    ]  # fmt: skip


def test_a_stand_from_git(demo_repo: Path) -> None:
    from ihk.gitrepo import GitRepo

    repo = GitRepo.require(demo_repo)
    stand = resolve_end(repo, "2002", "STAND")
    table = ihk_tabelle(load_at(repo, demo_repo, stand), [MASSNAHME], stand_info(stand))
    assert table.titel.startswith("Integriertes Handlungskonzept Belm-Powe – Stand 2002 (")
    ids = {z.id for z in table.zeilen}
    assert "buergerhaus" in ids and "verfuegungsfonds" not in ids  # added in 2006
    assert next(z for z in table.zeilen if z.id == "buergerhaus").nachtraege == ()


def test_a_goal_missing_from_the_catalogue_comes_last(minimal: Path) -> None:
    (minimal / "massnahmen" / "x.yaml").write_text(
        "titel: X\noberziel: weg\nfinanzierung:\n  staedtebaufoerderung: ja\n"
        "status: in_planung\naufgenommen: 2002-05\n",
        encoding="utf-8",
    )
    table = ihk_tabelle(load_worktree(minimal), [MASSNAHME])
    assert [g.ueberschrift for g in table.gruppen] == [
        "Oberziel: Nachbarschaften",
        "Oberziel: (unbekanntes Oberziel „weg“)",
    ]
    assert table.gruppen[1].zeilen[0].zelle("aufgenommen") == "Mai 2002"


def test_months_as_the_table_writes_them() -> None:
    assert monat_abgekuerzt("2003-12") == "Dez. 2003"
    assert monat_abgekuerzt("2003-03") == "März 2003"  # not cut: no dot
    assert monat_abgekuerzt("2003-06") == "Juni 2003"
    assert monat_abgekuerzt("2003-09") == "Sep. 2003"
