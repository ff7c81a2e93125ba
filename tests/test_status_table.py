"""The status table: ids whole, same layout in every group, nothing dropped silently."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: longer than any id of the example (which were cut at 120 columns before)
LONG_ID = "hof-und-fassadenprogramm-nordstadt-zweiter-bau"
#: the longest id there can be (64 characters)
LONGEST_ID = "umgestaltung-des-wohnumfelds-an-der-stettiner-strasse-nord-teil2"


def _ids(example: Path) -> list[str]:
    return [p.stem for p in sorted((example / "massnahmen").glob("*.yaml"))]


def _add(example: Path, ident: str) -> None:
    (example / "massnahmen" / f"{ident}.yaml").write_text(
        "titel: Wohnumfeld Nord\noberziel: wohnen\ntraeger:\n  - Gemeinde\n"
        "finanzierung:\n  staedtebaufoerderung: ja\nstatus: in_umsetzung\naufgenommen: 2005-03\n",
        encoding="utf-8",
    )


@pytest.fixture
def with_long_id(example: Path) -> Path:
    _add(example, LONG_ID)
    return example


def on_terminal(
    ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, columns: int, *args: str, cwd: Path
) -> list[str]:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = ihk("status", *args, cwd=cwd)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def _plain(lines: list[str]) -> list[str]:
    return [ANSI.sub("", line) for line in lines]


def _whole_ids(lines: list[str], ids: list[str]) -> None:
    cells = {cell.strip() for line in lines for cell in re.split(r"[│┃]", line)}
    missing = [i for i in ids if i not in cells]
    assert not missing, f"ids cut or missing: {missing}"
    assert not any("…" in line for line in lines)


def test_piped_the_table_is_complete_and_fixed_width(
    with_long_id: Path, ihk: Callable[..., Result]
) -> None:
    result = ihk("status", cwd=with_long_id)
    lines = result.stdout.splitlines()
    assert "Träger/Beteiligte" in result.stdout and "Finanzierung" in result.stdout
    assert "Belmer Integrationsclub" in result.stdout
    _whole_ids(lines, _ids(with_long_id))
    assert max(len(line) for line in lines) <= 160
    assert "ausgeblendet" not in result.stdout
    assert "\x1b" not in result.stdout and "Legende" not in result.stdout  # no colours
    assert not any(line != line.rstrip() for line in lines)  # no padded headings
    assert lines[-1].startswith("17 Maßnahmen: ")


def test_at_80_columns_ids_stay_whole_and_hidden_columns_are_named(
    with_long_id: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = on_terminal(ihk, monkeypatch, 80, cwd=with_long_id)
    lines = _plain(raw)
    assert max(len(line) for line in lines) <= 80
    _whole_ids(lines, _ids(with_long_id))
    assert "Träger/Beteiligte" not in "\n".join(lines)
    note = "Träger und Finanzierung ausgeblendet – breiteres Terminal oder --format markdown"
    assert note in lines
    legend = next(i for i, line in enumerate(lines) if line.startswith("Legende: "))
    assert "in der Planung" in lines[legend]
    assert "war geplant, nicht umgesetzt" in " ".join(lines[legend : legend + 2])
    assert "\x1b[31min der Planung" in "\n".join(raw)  # each state in its colour
    assert lines[-2] == "17 Maßnahmen: 3 in Planung · 7 in Umsetzung · 5 abgeschlossen"
    assert lines[-1] == "              2 nicht umgesetzt"


def test_at_120_columns_every_column_shows(
    with_long_id: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _plain(on_terminal(ihk, monkeypatch, 120, cwd=with_long_id))
    assert max(len(line) for line in lines) <= 120
    text = "\n".join(lines)
    assert "Träger/Beteiligte" in text and "Finanzierung" in text and "ausgeblendet" not in text
    _whole_ids(lines, _ids(with_long_id))


def test_an_id_too_long_for_the_terminal_is_folded_never_cut(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(example, LONGEST_ID)
    piped = ihk("status", cwd=example).stdout
    assert f"│ {LONGEST_ID} " in piped  # whole on one line in a pipe
    lines = _plain(on_terminal(ihk, monkeypatch, 80, cwd=example))
    assert max(len(line) for line in lines) <= 80
    cells = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    start = next(i for i, cell in enumerate(cells) if LONGEST_ID.startswith(cell) and cell)
    assert cells[start] + cells[start + 1] == LONGEST_ID


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_every_group_has_the_same_columns(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _plain(on_terminal(ihk, monkeypatch, columns, "--kind", "all", cwd=example))
    tops = {line for line in lines if line.startswith("┏")}
    assert len([line for line in lines if line.startswith("┏")]) == 7  # one per Oberziel
    assert len(tops) == 1


def test_the_start_column_says_what_it_shows(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def header(*args: str) -> str:
        lines = _plain(on_terminal(ihk, monkeypatch, 160, *args, cwd=example))
        start = next(i for i, line in enumerate(lines) if line.startswith("┏"))
        return " ".join(lines[start + 1 : start + 3])

    assert "┃ Aufnahme ┃" in header()
    assert "┃ Beginn " in header("--kind", "project")
    both = header("--kind", "all")
    assert "Aufnahme/" in both and "Beginn" in both
    assert "Seit" not in both
    markdown = ihk("status", "--format", "markdown", cwd=example).stdout
    assert "| Finanzierung | Aufnahme | Stand |" in markdown
    data = json.loads(ihk("status", "--format", "json", cwd=example).stdout)
    assert data["gruppen"][0]["eintraege"][0]["seit"] == "2004-12"  # JSON keys stay


def _states(example: Path) -> dict[str, str]:
    """id -> state of every measure of the example (read from its file)."""
    found = {}
    for path in sorted((example / "massnahmen").glob("*.yaml")):
        state = re.search(r"^status: (\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert state is not None
        found[path.stem] = state.group(1)
    return found


def test_many_rows_give_a_plain_table_in_the_states_colours(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.color import ColorSystem
    from rich.style import Style

    from ihk.vocab import STATUS

    monkeypatch.setattr("ihk.cli.console.PLAIN_ROWS", 5)
    lines = on_terminal(ihk, monkeypatch, 80, cwd=example)
    plain = _plain(lines)
    text = "\n".join(plain)
    assert "┃" not in text and "│" not in text
    assert all(len(line) <= 80 for line in plain), "wider than the terminal"
    # at 80 columns, as in the rich table: Träger and Finanzierung left out, and said so
    assert "Träger/Beteiligte" not in text and "Aufnahme" in text
    assert "Träger und Finanzierung ausgeblendet" in text
    for ident in _ids(example):
        assert re.search(rf"^{re.escape(ident)}\s", text, re.MULTILINE), ident
    assert "Oberziel: Wohn- und Wohnumfeldverbesserung" in plain
    # each row in its state's colour (vocab's style, as rich renders it), under the legend
    for ident, state in _states(example).items():
        start = Style.parse(STATUS[state].stil).render("x", color_system=ColorSystem.TRUECOLOR)
        row = next(line for line in lines if ANSI.sub("", line).startswith(ident + " "))
        assert row.startswith(start[: start.index("x")]), (ident, state, row)
    assert any(line.startswith("Legende:") for line in plain)
    assert any(line.startswith("16 Maßnahmen: ") for line in plain)
    # wide enough, every column shows
    wide = _plain(on_terminal(ihk, monkeypatch, 160, cwd=example))
    assert any("Träger/Beteiligte" in line and "Finanzierung" in line for line in wide)
    assert not any("ausgeblendet" in line for line in wide)


def test_the_plain_table_without_colours(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ihk.cli.console.PLAIN_ROWS", 5)
    piped = ihk("status", cwd=example).stdout
    assert "\x1b" not in piped and "Legende" not in piped
    assert "Träger/Beteiligte" in piped  # a pipe gets every column
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    text = ihk("status", cwd=example).stdout
    for code in re.findall(r"\x1b\[([0-9;]*)m", text):  # NO_COLOR: bold and dim, no colour
        assert all(part in ("", "0", "1", "2", "22") for part in code.split(";")), code
    assert _plain(text.splitlines()) == _plain(on_terminal(ihk, monkeypatch, 160, cwd=example))


def test_the_plain_table_is_fast() -> None:
    from ihk.cli.console import plain_status_table
    from ihk.commands.status import Group, Row, StatusReport

    rows = [
        Row(
            "massnahme",
            f"massnahme-{i:06d}",
            f"Umgestaltung des Wohnumfelds mit Spielplatz und Treffpunkt Nummer {i}",
            "wohnen",
            "in_umsetzung",
            ("Gemeinde", "Quartiermanagement", "Wohnungsbaugesellschaft"),
            True,
            ("LOS", "Land"),
            "2005-03",
        )
        for i in range(50_000)
    ]
    counts = {"in_planung": 0, "in_umsetzung": 50_000, "abgeschlossen": 0, "nicht_umgesetzt": 0}
    report = StatusReport("Test", ["massnahme"], [Group("wohnen", "Wohnen", rows)], counts)
    text = plain_status_table(report)  # about 1 s for 50,000 rows; rich needs ~25 s
    assert "massnahme-049999" in text


@pytest.mark.parametrize("width", [80, 160])
def test_the_plain_table_aligns_wide_characters(width: int) -> None:
    from rich.cells import cell_len

    from ihk.cli.console import plain_status_table
    from ihk.commands.status import Group, Row, StatusReport

    titles = [
        "Sommerfest 🎉🎉🎉 im Quartier mit Musik und Tanz für alle Generationen",
        "日本語の庭園プロジェクト 日本語の庭園プロジェクト 日本語の庭園プロジェクト",
        "Cafe\u0301 am Markt",  # a combining accent takes no column
        "Café am Markt",
    ]
    rows = [
        Row("massnahme", f"m{i}", t, "wohnen", "in_umsetzung", ("Gemeinde 🏛",), True, (), "2005-03")
        for i, t in enumerate(titles)
    ]
    counts = {"in_planung": 0, "in_umsetzung": 4, "abgeschlossen": 0, "nicht_umgesetzt": 0}
    report = StatusReport("Test", ["massnahme"], [Group("wohnen", "Wohnen", rows)], counts)
    text = plain_status_table(report, width, terminal=True)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), "wider than the terminal"
    # the month of every row starts in the same terminal column as the heading's
    head = next(line for line in lines if line.startswith("Kennung"))
    at = cell_len(head[: head.index("Aufnahme")])
    starts = [cell_len(line[: line.index("März 2005")]) for line in lines if "März 2005" in line]
    assert starts == [at] * 4
    assert "日本語の庭園プロジェクト" in text and "Cafe\u0301 am Markt" in text
