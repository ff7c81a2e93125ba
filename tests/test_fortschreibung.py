"""ihk fortschreibung, stand and demo on registers with backdated git history."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, Result, git


def test_demo_document_matches_the_golden_file(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("fortschreibung", "2005..2006", cwd=demo_repo)
    assert result.exit_code == 0, result.stderr
    golden = (DATA / "golden" / "fortschreibung-2005-2006.md").read_text("utf-8")
    assert result.stdout == golden


def test_document_is_commonmark_with_sound_tables(
    demo_repo: Path, ihk: Callable[..., Result]
) -> None:
    from markdown_it import MarkdownIt

    text = ihk("fortschreibung", "2001..2006", cwd=demo_repo).stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert headings == [
        "Bilanz",
        "Neue Maßnahmen",
        "Statusänderungen",
        "Nicht weiter verfolgt",
        "Geänderte Maßnahmen",
        "Neue Nachträge",
        "Gremien",
        "Projekte",
        "Zielerreichung",
        "Kosten und Finanzierung",
    ]
    _assert_tables_are_rectangular(tokens)


def _assert_tables_are_rectangular(tokens: list) -> None:  # type: ignore[type-arg]
    tables = 0
    header_cells = row_cells = 0
    in_head = False
    for token in tokens:
        if token.type == "table_open":
            tables += 1
        elif token.type == "thead_open":
            in_head, header_cells = True, 0
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row_cells = 0
        elif token.type in ("th_open", "td_open"):
            row_cells += 1
            if in_head:
                header_cells += 1
        elif token.type == "tr_close" and not in_head:
            assert row_cells == header_cells
    assert tables > 0


def test_json_is_the_data_the_template_gets(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    data = json.loads(ihk("fortschreibung", "2005..2006", "--format", "json", cwd=demo_repo).stdout)
    assert data["von"]["tag"] == "stand-2005" and data["bis"]["bezeichnung"] == "Stand 2006"
    assert [m["id"] for m in data["statusaenderungen"]] == ["stettiner-platz"]
    assert [m["id"] for m in data["nicht_weiter_verfolgt"]] == ["mietergaerten"]
    assert data["bilanz"]["gesamt"]["summe_bis"] == 16
    assert [s["datum"] for s in data["gremien"]["sitzungen"]] == ["2006-10-10", "2006-12-14"]
    assert [p["id"] for p in data["projekte"]["abgeschlossen"]] == [
        "sportlicher-einsatz",
        "auf-neuen-wegen-wandern",
    ]


def test_demo_ends_with_the_example_registers_data(demo_repo: Path) -> None:
    from ihk.fields import record_data
    from ihk.register import load_worktree
    from tests.conftest import EXAMPLE

    demo, example = load_worktree(demo_repo), load_worktree(EXAMPLE)
    assert demo.problems == [] and example.problems == []
    assert demo.meta == example.meta
    for kind, entries in example.entries.items():
        assert sorted(demo.entries[kind]) == sorted(entries)
        for ident, entry in entries.items():
            assert record_data(demo.entries[kind][ident].record) == record_data(entry.record), ident
    tags = git(demo_repo, "tag").split()
    assert tags == [f"stand-{y}" for y in range(2001, 2007)]
    authors = set(git(demo_repo, "log", "--format=%an").splitlines())
    assert authors == {"Quartiermanagement Belm-Powe"}


def test_demo_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, ihk: Callable[..., Result]
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notiz.txt").write_text("x")
    result = ihk("demo", "x", cwd=tmp_path)
    assert result.exit_code == 1 and "nicht leer" in result.stderr


# --------------------------------------------------------------- small histories


class History:
    """A register in git whose commits carry the dates we give them."""

    def __init__(self, root: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch):
        self.root, self.ihk, self.monkeypatch = root, ihk, monkeypatch

    def at(self, when: str) -> History:
        for who in ("AUTHOR", "COMMITTER"):
            self.monkeypatch.setenv(f"GIT_{who}_DATE", when)
        return self

    def run(self, *args: str) -> Result:
        result = self.ihk(*args, cwd=self.root)
        assert result.exit_code == 0, result.stderr
        return result

    def doc(self, spec: str, *extra: str) -> str:
        return self.run("fortschreibung", spec, *extra).stdout


@pytest.fixture
def history(minimal: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> History:
    h = History(minimal, ihk, monkeypatch).at("2004-12-10T12:00:00+01:00")
    git(minimal, "init", "-q", "-b", "main")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "Stand 2004")
    return h


def test_year_takes_the_last_commit_of_that_year_by_the_committers_day(history: History) -> None:
    history.at("2005-06-01T12:00:00+02:00").run("set", "tafel", "ort=Powe")
    history.at("2005-12-31T23:30:00+01:00").run("set", "tafel", "ort=Belm")  # 22:30 UTC
    history.at("2006-01-01T00:10:00+01:00").run(
        "set", "tafel", "ort=Osnabrück"
    )  # still 2005 in UTC
    data = json.loads(history.doc("2004..2005", "--format", "json"))
    assert data["bis"]["datum"] == "2005-12-31"
    changes = data["geaenderte_massnahmen"][0]["aenderungen"]
    assert changes == [
        {"feld": "ort", "feld_text": "Ort", "alt": "–", "neu": "Belm", "hinzu": [], "entfernt": [],
         "alt_text": "–", "neu_text": "Belm", "hinzu_text": [], "entfernt_text": []}
    ]  # fmt: skip


def test_a_stand_tag_wins_over_the_date(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run("set", "tafel", "ort=Powe")
    history.run("stand", "2005")
    history.at("2005-11-01T12:00:00+01:00").run("set", "tafel", "ort=Belm")
    data = json.loads(history.doc("2004..2005", "--format", "json"))
    assert data["bis"]["tag"] == "stand-2005"
    assert data["geaenderte_massnahmen"][0]["aenderungen"][0]["neu"] == "Powe"


def test_a_year_before_the_first_commit_names_the_side(history: History) -> None:
    result = history.ihk("fortschreibung", "1999..2004", cwd=history.root)
    assert result.exit_code == 1
    assert "VON 1999: weder ein Tag stand-1999 noch ein Commit bis zum 31.12.1999" in result.stderr
    nothing = history.ihk("fortschreibung", "2004..gibtsnicht", cwd=history.root)
    assert nothing.exit_code == 1 and "BIS „gibtsnicht“: keine Revision" in nothing.stderr
    option = history.ihk("fortschreibung", "--output=x..HEAD", cwd=history.root)
    assert option.exit_code == 2 and "Argument VON..BIS fehlt" in option.stderr
    assert not (history.root / "x..HEAD").exists()
    sneaky = history.ihk("fortschreibung", "2004..--all", cwd=history.root)
    assert sneaky.exit_code == 1 and "keine Revision" in sneaky.stderr
    usage = history.ihk("fortschreibung", "2004", cwd=history.root)
    assert usage.exit_code == 2 and "VON..BIS" in usage.stderr


def test_the_working_tree_as_bis(history: History) -> None:
    history.run("set", "tafel", "status=nicht_umgesetzt", "--note", "Räume fehlen", "--no-commit")
    data = json.loads(history.doc("2004..", "--format", "json"))
    assert data["bis"]["arbeitsstand"] is True and data["bis"]["revision"] is None
    assert data["nicht_weiter_verfolgt"][0]["nachtrag"] == "Räume fehlen"
    assert "aktueller Stand (mit noch nicht committeten Änderungen)" in history.doc("2004..")


def test_renamed_and_deleted_files(history: History) -> None:
    git(history.root, "mv", "massnahmen/tafel.yaml", "massnahmen/belmer-tafel.yaml")
    history.at("2005-05-05T12:00:00+02:00")
    git(history.root, "commit", "-q", "-m", "umbenannt")
    data = json.loads(history.doc("2004..2005", "--format", "json"))
    assert [m["id"] for m in data["nicht_weiter_verfolgt"]] == ["tafel"]
    assert data["nicht_weiter_verfolgt"][0]["grund"] == "entfernt"
    assert [m["id"] for g in data["neue_massnahmen"] for m in g["massnahmen"]] == ["belmer-tafel"]
    assert "aus dem Konzept gestrichen" in history.doc("2004..2005")


def test_an_invalid_old_revision_still_diffs(history: History) -> None:
    (history.root / "massnahmen" / "kaputt.yaml").write_text("titel: [\n", encoding="utf-8")
    history.at("2005-02-01T12:00:00+01:00")
    git(history.root, "add", "-A")
    git(history.root, "commit", "-q", "-m", "kaputt")
    (history.root / "massnahmen" / "kaputt.yaml").write_text(
        "titel: Repariert\noberziel: beteiligung\nfinanzierung:\n  staedtebaufoerderung: ja\n"
        "status: in_planung\naufgenommen: 2005-02\n",
        encoding="utf-8",
    )
    history.at("2006-02-01T12:00:00+01:00")
    git(history.root, "commit", "-q", "-am", "repariert")
    doc = history.doc("2005..2006")
    assert "## Hinweis: ungültige Dateien" in doc
    sha = git(history.root, "rev-parse", "--short=10", "HEAD~1").strip()
    assert f"- `{sha}:massnahmen/kaputt.yaml`" in doc.splitlines()
    assert "Repariert" in doc


def test_cells_are_escaped_and_output_is_stable(history: History) -> None:
    history.at("2005-02-01T12:00:00+01:00").run(
        "add",
        "measure",
        "--id",
        "rohr",
        "--titel",
        "Rohr | Leitung",
        "--oberziel",
        "beteiligung",
        "--stbauf",
        "--traeger",
        "A|B",
        "--aufgenommen",
        "2005-02",
    )
    first = history.doc("2004..2005")
    assert "| Rohr \\| Leitung (`rohr`) | A\\|B |" in first
    assert history.doc("2004..2005") == first
    from markdown_it import MarkdownIt

    _assert_tables_are_rectangular(MarkdownIt("commonmark").enable("table").parse(first))


def test_templates_can_be_overridden_and_are_sandboxed(history: History, tmp_path: Path) -> None:
    (history.root / "templates").mkdir()
    (history.root / "templates" / "fortschreibung.md.j2").write_text(
        "Eigene Vorlage für {{ gebiet }}: {{ bilanz.gesamt.summe_bis }} Maßnahmen\n",
        encoding="utf-8",
    )
    assert history.doc("2004..") == "Eigene Vorlage für Testgebiet: 1 Maßnahmen\n"
    explicit = tmp_path / "mein.md.j2"
    explicit.write_text("{{ von.bezeichnung }}\n", encoding="utf-8")
    assert history.doc("2004..", "--template", str(explicit)) == "Stand Ende 2004\n"
    explicit.write_text("{{ gebiet.__class__.__mro__ }}\n", encoding="utf-8")
    unsafe = history.ihk("fortschreibung", "2004..", "--template", str(explicit), cwd=history.root)
    assert unsafe.exit_code == 1 and "Fehler in der Vorlage" in unsafe.stderr
    explicit.write_text("{{ gibtsnicht }}\n", encoding="utf-8")
    undefined = history.ihk(
        "fortschreibung", "2004..", "--template", str(explicit), cwd=history.root
    )
    assert undefined.exit_code == 1 and "gibtsnicht" in undefined.stderr


def test_output_file_is_written(history: History) -> None:
    history.run("fortschreibung", "2004..", "-o", "bericht.md")
    assert (history.root / "bericht.md").read_text("utf-8").startswith("# Fortschreibung")


def test_stand_tags_and_refuses(history: History) -> None:
    root = history.root
    assert "Tag stand-2004" in history.run("stand", "2004").stdout
    assert git(root, "cat-file", "-t", "stand-2004").strip() == "tag"
    again = history.ihk("stand", "2004", cwd=root)
    assert again.exit_code == 1 and "gibt es schon" in again.stderr
    (root / "massnahmen" / "neu.yaml").write_text("titel: x\n", encoding="utf-8")
    invalid = history.ihk("stand", "2005", cwd=root)
    assert invalid.exit_code == 1 and "ungültig" in invalid.stderr
    (root / "massnahmen" / "neu.yaml").unlink()
    (root / "massnahmen" / "tafel.yaml").write_text(
        (root / "massnahmen" / "tafel.yaml").read_text("utf-8") + "ort: Powe\n", encoding="utf-8"
    )
    dirty = history.ihk("stand", "2005", cwd=root)
    assert dirty.exit_code == 1 and "nicht committete" in dirty.stderr
    assert git(root, "tag").split() == ["stand-2004"]


def test_example_register_has_one_copy_inside_the_package() -> None:
    # `register/` and `templates/` are links into the package, so the demo (which reads
    # the package's files) and the README's examples can never drift apart.
    from ihk.commands.demo import example_text
    from tests.conftest import ROOT

    package = ROOT / "src" / "ihk"
    assert (ROOT / "register").is_symlink() and (ROOT / "templates").is_symlink()
    assert (ROOT / "register").resolve() == (package / "beispiel").resolve()
    assert (ROOT / "templates").resolve() == (package / "templates").resolve()
    for path in (package / "beispiel").rglob("*.yaml"):
        rel = path.relative_to(package / "beispiel").as_posix()
        assert example_text(rel) == path.read_text("utf-8")


@pytest.mark.parametrize("spec", ["2001..2003", "2003..2006", "2005..2006", "2002..2002"])
def test_reading_only_what_changed_gives_the_full_answer(demo_repo: Path, spec: str) -> None:
    # load_pair parses only changed files and line-scans the rest; a full load of both
    # revisions must produce the very same Fortschreibung.
    from ihk import fortschreibung
    from ihk.gitrepo import GitRepo
    from ihk.register import SourceFile, load
    from ihk.snapshot import load_pair, resolve_range, snapshot_of

    repo = GitRepo.require(demo_repo)
    old, new = resolve_range(repo, spec)

    def full(stand):  # type: ignore[no-untyped-def]
        files = repo.tree(stand.sha, "")
        blobs = repo.read_blobs(f.sha for f in files)
        register = load(
            [SourceFile(f.path, blobs[f.sha]) for f in files], lambda r: f"{stand.name}:{r}"
        )
        return snapshot_of(register, stand)

    fast = fortschreibung.build(*load_pair(repo, demo_repo, old, new))
    assert fast == fortschreibung.build(full(old), full(new))


# --------------------------------------------------------------- user text in the document


def _tokens(document: str) -> list:  # type: ignore[type-arg]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(document)


def _inline_texts(tokens: list) -> list[str]:  # type: ignore[type-arg]
    return [
        "".join(c.content for c in t.children or [] if c.type in ("text", "code_inline"))
        for t in tokens
        if t.type == "inline"
    ]


def test_user_text_is_shown_as_written(history: History) -> None:
    def add(ident: str, titel: str) -> None:
        history.run(
            "add", "measure", "--id", ident, "--titel", titel, "--oberziel", "beteiligung",
            "--stbauf", "--traeger", "Träger_innen & <Partner>", "--aufgenommen", "2005-02",
        )  # fmt: skip

    history.at("2005-02-01T12:00:00+01:00")
    add("beratung", "Beratung für Bewohner*innen")
    add("skript", "<script>alert(1)</script>")
    history.run("set", "tafel", "--note", "Erste Zeile\n## Beschluss des Rates\n- kein Punkt")
    document = history.doc("2004..2005")
    assert "| Beratung für Bewohner\\*innen (`beratung`) |" in document
    tokens = _tokens(document)
    texts = _inline_texts(tokens)
    assert "Beratung für Bewohner*innen (beratung)" in texts
    assert "<script>alert(1)</script> (skript)" in texts
    assert texts.count("Träger_innen & <Partner>") == 2
    assert not [t for t in tokens if t.type.startswith("html")]
    assert not [t for t in tokens if t.type in ("em_open", "link_open", "blockquote_open")]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Fortschreibung des Integrierten Handlungskonzepts – Testgebiet",
        "Bilanz",
        "Neue Maßnahmen",
        "Oberziel: Beteiligung",
        "Neue Nachträge",
    ]
    note = next(t for t in texts if t.startswith("Tafel (tafel), Nachtrag"))
    assert note.endswith(": Erste Zeile ## Beschluss des Rates - kein Punkt")
    _assert_tables_are_rectangular(tokens)


# --------------------------------------------------------------- templates of a register


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolische Links")
def test_a_committed_template_symlink_is_refused(history: History, tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("Passwort: hunter2\n", encoding="utf-8")
    (history.root / "templates").mkdir()
    (history.root / "templates" / "fortschreibung.md.j2").symlink_to(secret)
    git(history.root, "add", "-A")
    git(history.root, "commit", "-q", "-m", "Vorlage")
    result = history.ihk("fortschreibung", "2004..", cwd=history.root)
    assert result.exit_code == 1
    assert "templates/fortschreibung.md.j2: die Vorlage ist ein symbolischer Link" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    # chosen on the command line, a link is the user's own choice
    own = history.ihk(
        "fortschreibung", "2004..", "--template", str(history.root / "templates" / "x"),
        cwd=history.root,
    )  # fmt: skip
    assert own.exit_code == 1 and "Vorlage nicht gefunden" in own.stderr


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}"
            "{% endfor %}",
            "Die Vorlage templates/fortschreibung.md.j2 bricht ab (Zeile 2): range() liefert "
            "höchstens 10.000 Zahlen",
        ),
        ("{{ 1/0 }}", "templates/fortschreibung.md.j2:2: Fehler in der Vorlage: Division durch"),
        ("{% include 'kopf.j2' %}", "templates/fortschreibung.md.j2:2: Fehler in der Vorlage: "),
        ("{{ 5 | join }}", "templates/fortschreibung.md.j2:2: Fehler in der Vorlage: Wert vom"),
    ],
)
def test_template_mistakes_are_the_authors(history: History, template: str, expected: str) -> None:
    import time

    (history.root / "templates").mkdir()
    (history.root / "templates" / "fortschreibung.md.j2").write_text(
        "# {{ gebiet | text }}\n" + template + "\n", encoding="utf-8"
    )
    start = time.monotonic()
    result = history.ihk("fortschreibung", "2004..", cwd=history.root)
    assert time.monotonic() - start < 15
    assert result.exit_code == 1
    assert f"Fehler: {expected}" in result.stderr
    assert "Fehler in ihk" not in result.stderr and "Unerwarteter" not in result.stderr


# --------------------------------------------------------------- reading a Stand


def test_a_stand_counts_the_same_whatever_the_other_end(history: History) -> None:
    # An invalid measure file that does not change from 2005 to 2006; its status line
    # looks fine. It is invalid at every end and counted at none.
    (history.root / "massnahmen" / "kaputt.yaml").write_text(
        "titl: Tippfehler\noberziel: beteiligung\nfinanzierung:\n  staedtebaufoerderung: ja\n"
        "status: in_planung\naufgenommen: 2005-02\n",
        encoding="utf-8",
    )
    history.at("2005-02-01T12:00:00+01:00")
    git(history.root, "add", "-A")
    git(history.root, "commit", "-q", "-m", "kaputt")
    history.at("2006-02-01T12:00:00+01:00").run("set", "tafel", "ort=Powe")

    def data(spec: str) -> dict:  # type: ignore[type-arg]
        return json.loads(history.doc(spec, "--format", "json"))  # type: ignore[no-any-return]

    first, second, both = data("2004..2005"), data("2005..2006"), data("2005..")
    assert first["bilanz"]["gesamt"]["summe_bis"] == 1
    assert second["bilanz"]["gesamt"]["summe_von"] == 1
    assert second["bilanz"]["gesamt"]["summe_bis"] == both["bilanz"]["gesamt"]["summe_bis"] == 1
    assert first["ungueltige_dateien"]["bis"] == ["2005:massnahmen/kaputt.yaml"] or (
        first["ungueltige_dateien"]["bis"][0].endswith(":massnahmen/kaputt.yaml")
    )
    assert [p.split(":", 1)[1] for p in second["ungueltige_dateien"]["von"]] == [
        "massnahmen/kaputt.yaml"
    ]
    assert [p.split(":", 1)[1] for p in second["ungueltige_dateien"]["bis"]] == [
        "massnahmen/kaputt.yaml"
    ]
    assert both["ungueltige_dateien"]["bis"] == ["Arbeitsstand:massnahmen/kaputt.yaml"]

    from ihk.gitrepo import GitRepo
    from ihk.snapshot import load_pair, resolve_range

    repo = GitRepo.require(history.root)
    old, new = load_pair(repo, history.root, *resolve_range(repo, "2004..2005"))
    assert old.broken_ids["massnahme"] == set() and new.broken_ids["massnahme"] == {"kaputt"}


def test_each_file_is_read_and_parsed_once(
    demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ihk.register
    from ihk.gitrepo import GitRepo
    from ihk.snapshot import load_pair, resolve_range

    parsed: list[str] = []
    reads: list[list[str]] = []
    real_parse, real_read = ihk.register.parse, GitRepo.read_blobs

    def parse(text: str, shown: str):  # type: ignore[no-untyped-def]
        parsed.append(shown)
        return real_parse(text, shown)

    def read_blobs(self: GitRepo, shas):  # type: ignore[no-untyped-def]
        reads.append(list(shas))
        return real_read(self, reads[-1])

    monkeypatch.setattr(ihk.register, "parse", parse)
    monkeypatch.setattr(GitRepo, "read_blobs", read_blobs)
    repo = GitRepo.require(demo_repo)
    old, new = resolve_range(repo, "2005..2006")
    load_pair(repo, demo_repo, old, new)
    old_tree = {f.path: f.sha for f in repo.tree(old.sha or "", "")}
    new_tree = {f.path: f.sha for f in repo.tree(new.sha or "", "")}
    distinct = set(old_tree.items()) | set(new_tree.items())
    register_files = {p for p, _ in distinct if p == "ihk.yaml" or "/" in p}
    assert len(reads) == 1 and len(reads[0]) == len(set(reads[0]))
    assert sorted(parsed) == sorted(p for p, _ in distinct if p in register_files)
    assert len(parsed) < len(old_tree) + len(new_tree)  # unchanged files once, not twice


# --------------------------------------------------------------- ranges


def _two_years(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run("set", "tafel", "ort=Powe")
    history.at("2006-03-01T12:00:00+01:00").run("set", "tafel", "ort=Belm")


def test_a_reversed_range_is_refused(history: History) -> None:
    from ihk.gitrepo import GitRepo
    from ihk.snapshot import resolve_range

    _two_years(history)
    result = history.ihk("fortschreibung", "2006..2005", cwd=history.root)
    assert result.exit_code == 1 and result.stdout == ""
    assert "Fehler: VON 2006 liegt nach BIS 2005 (01.03.2006 12:00 nach 01.03.2005 12:00)" in (
        result.stderr
    )
    assert "also 2005..2006" in result.stderr
    back = history.ihk("fortschreibung", "HEAD..HEAD~1", cwd=history.root)
    assert back.exit_code == 1 and "VON HEAD liegt nach BIS HEAD~1" in back.stderr
    for fine in ("2005..2006", "2006..2006", "2006..", "HEAD~1..HEAD"):
        history.run("fortschreibung", fine)
    old, new = resolve_range(GitRepo.require(history.root), "2006..2005", allow_reverse=True)
    assert (old.label, new.label) == ("2006", "2005")


def test_diverged_lines_are_ordered_by_commit_time(history: History) -> None:
    from ihk.gitrepo import GitRepo
    from ihk.snapshot import resolve_range

    git(history.root, "checkout", "-q", "-b", "seitenlinie")
    history.at("2005-06-01T12:00:00+02:00").run("set", "tafel", "ort=Seite")
    git(history.root, "checkout", "-q", "main")
    history.at("2005-09-01T12:00:00+02:00").run("set", "tafel", "ort=Haupt")
    repo = GitRepo.require(history.root)
    resolve_range(repo, "seitenlinie..main")
    with pytest.raises(Exception, match="VON main liegt nach BIS seitenlinie"):
        resolve_range(repo, "main..seitenlinie")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("２００５..２００６", "VON „２００５“: ein Jahr bitte mit den Ziffern 0–9 schreiben"),
        ("2005..２００６", "BIS „２００６“: ein Jahr bitte mit den Ziffern 0–9 schreiben"),
        ("2005\n..2006", "VON „2005\\n“: enthält Leer- oder Steuerzeichen"),
        ("2005..2006\n", "BIS „2006\\n“: enthält Leer- oder Steuerzeichen"),
        (" 2005..2006", "VON „ 2005“: enthält Leer- oder Steuerzeichen"),
        ("2005..\t2006", "BIS „\\t2006“: enthält Leer- oder Steuerzeichen"),
        ("2005..20\x1b[2J06", "BIS „20\\x1b[2J06“: enthält Leer- oder Steuerzeichen"),
    ],
)
def test_range_ends_are_plain(history: History, spec: str, message: str) -> None:
    _two_years(history)
    result = history.ihk("fortschreibung", spec, cwd=history.root)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr
    assert "\x1b" not in result.stderr


def test_a_measure_broken_since_von_is_not_struck_off(history: History) -> None:
    history.run("stand", "2004")
    (history.root / "massnahmen" / "tafel.yaml").write_text("titel: [\n", encoding="utf-8")
    history.at("2005-03-01T12:00:00+01:00")
    git(history.root, "commit", "-qam", "kaputt")
    data = json.loads(history.doc("2004..2005", "--format", "json"))
    assert data["nicht_weiter_verfolgt"] == []
    sha = git(history.root, "rev-parse", "--short=10", "HEAD").strip()
    assert data["ungueltige_dateien"]["bis"] == [f"{sha}:massnahmen/tafel.yaml"]


def test_a_backwards_range_only_when_asked(history: History) -> None:
    history.at("2005-03-01T12:00:00+01:00").run("set", "tafel", "ort=Powe")
    backwards = history.ihk("fortschreibung", "2005..2004", cwd=history.root)
    assert backwards.exit_code == 1 and "--rueckwaerts" in backwards.stderr
    asked = history.run("fortschreibung", "2005..2004", "--rueckwaerts")
    assert "Powe" in asked.stdout


def test_open_end_on_a_clean_tree_is_the_current_stand(history: History) -> None:
    doc = history.doc("2004..")
    assert "- **Bis:** aktueller Stand (" in doc and "committet" not in doc
    assert "hat sich am Integrierten Handlungskonzept nichts geändert." in doc.replace("\n", " ")
    data = json.loads(history.doc("2004..", "--format", "json"))
    assert data["keine_aenderungen"] is True


def test_a_measure_added_and_given_up_within_the_range(history: History) -> None:
    history.at("2005-02-01T12:00:00+01:00").run(
        "add", "massnahme", "--titel", "Sprachcafé", "--oberziel", "beteiligung",
        "--keine-stbauf", "--status", "nicht_umgesetzt", "--aufgenommen", "2005-02",
    )  # fmt: skip
    history.at("2005-03-01T12:00:00+01:00").run(
        "add", "massnahme", "--titel", "Nähkurs", "--oberziel", "beteiligung",
        "--keine-stbauf", "--aufgenommen", "2005-03",
    )  # fmt: skip
    history.at("2005-04-01T12:00:00+01:00").run("rm", "naehkurs")
    data = json.loads(history.doc("2004..2005", "--format", "json"))
    dropped = {m["id"]: m["grund"] for m in data["nicht_weiter_verfolgt"]}
    assert dropped == {"sprachcafe": "nicht_umgesetzt", "naehkurs": "wieder_entfernt"}
    assert data["keine_aenderungen"] is False
    assert "in diesem Zeitraum aufgenommen und wieder gestrichen" in history.doc("2004..2005")


# --------------------------------------------------------------- the demo's KuF


def test_every_commit_of_the_demo_is_valid_without_warnings(demo_repo: Path) -> None:
    # the story's intermediate states too: plan years inside the period, plan sum = cost
    import datetime as dt

    from ihk.gitrepo import GitRepo
    from ihk.snapshot import Stand, load_at

    repo = GitRepo.require(demo_repo)
    shas = git(demo_repo, "rev-list", "HEAD").split()
    assert len(shas) > 60
    for sha in shas:
        register = load_at(repo, demo_repo, Stand(sha, sha, None, dt.date(2006, 12, 31)))
        assert register.problems == [], (sha, [p.message for p in register.problems])


def test_the_demos_kuf_update_2005_2006(demo_repo: Path, ihk: Callable[..., Result]) -> None:
    data = json.loads(ihk("fortschreibung", "2005..2006", "--format", "json", cwd=demo_repo).stdout)
    kuf = data["kosten_und_finanzierung"]
    changed = {p["id"]: (p["alt"], p["neu"]) for p in kuf["geaendert"]}
    assert changed["stettiner-platz"] == (400000, 480000)  # final account, 2005 slice raised
    assert changed["mietergaerten"] == (20000, None)  # given up, plan struck
    assert changed["stettiner-strasse"] == (350000, 350000)  # moved to 2008/2009
    assert changed["konfliktlotsen"] == (None, 9500)  # LOS plan when it started
    assert sum(p["differenz"] for p in kuf["geaendert"]) == kuf["gesamt"]["differenz"]
    assert "buergerhaus" not in changed  # dropped in 2003
    early = json.loads(
        ihk("fortschreibung", "2002..2003", "--format", "json", cwd=demo_repo).stdout
    )
    buergerhaus = next(
        p for p in early["kosten_und_finanzierung"]["geaendert"] if p["id"] == "buergerhaus"
    )
    assert (buergerhaus["alt"], buergerhaus["neu"], buergerhaus["ist_neu"]) == (
        1230000,
        30000,
        30000,
    )
