"""Interactive ``add`` through a real pseudo-terminal: numbered choices, answers checked
at once, Träger and Finanzierung, the file shown before „Anlegen?“, „nein“ writes nothing."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Result, git

TIMEOUT = 30.0


class Terminal:
    """``python -m ihk ARGS`` with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "COLUMNS": "100", "LINES": "40", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ihk", *args],
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.seen = ""  # everything the terminal showed, with \n for \r\n
        self.pos = 0  # how far ``expect`` has read

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: the other side is closed
            return False
        if not data:
            return False
        self.seen += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str) -> str:
        """Wait until ``text`` appears after what was expected before; returns what
        came up to and including it."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen[self.pos :]:
            left = deadline - time.monotonic()
            open_ = left > 0 and self._read(min(left, 0.5))
            if not open_ and text not in self.seen[self.pos :]:
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{self.seen}")
        end = self.seen.index(text, self.pos) + len(text)
        shown, self.pos = self.seen[self.pos : end], end
        return shown

    def answer(self, question: str, line: str) -> str:
        shown = self.expect(question)
        os.write(self.master, line.encode() + b"\n")
        return shown

    def end_of_input(self, question: str) -> None:
        self.expect(question)
        os.write(self.master, b"\x04")  # Ctrl-D

    def wait(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while self._read(0.2) and time.monotonic() < deadline:
            if self.process.poll() is not None and not select.select([self.master], [], [], 0)[0]:
                break
        code = self.process.wait(timeout=TIMEOUT)
        os.close(self.master)
        return code


@pytest.fixture
def terminal(example: Path) -> Iterator[Callable[..., Terminal]]:
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        started.append(Terminal(list(args), example))
        return started[-1]

    yield start
    for term in started:
        if term.process.poll() is None:
            term.process.kill()
            term.process.wait()


def test_a_measure_asked_for_on_a_terminal(
    example: Path, terminal: Callable[..., Terminal]
) -> None:
    head = git(example, "rev-parse", "HEAD")
    term = terminal("add", "massnahme", "--aufgenommen", "2006-12")
    # a title very close to an existing one: said at once, asked again
    term.answer("Titel der Maßnahme: ", "Einrichtung einer Belmer Tafel")
    term.expect("ähnelt dem Vorhandenen: belmer-tafel")
    term.answer("Trotzdem so anlegen? (ja/nein) ", "nein")
    term.expect("Dann bitte einen anderen Titel.")
    term.answer("Titel der Maßnahme: ", "Nachbarschaftsgarten Powe")
    # the goal catalogue, numbered, in catalogue order; wrong answers are asked again
    listed = term.expect("Oberziel (Nummer, Kennung oder Titel): ")
    assert "   1  wohnen           Wohn- und Wohnumfeldverbesserung\n" in listed
    assert listed.index("verknuepfung") < listed.index("verkehr") < listed.index("beteiligung")
    os.write(term.master, b"12\n")
    term.answer("Die Liste hat die Nummern 1 bis 8.", "Fussballplatz")
    term.answer("„Fussballplatz“ steht nicht in der Liste", "4")
    # a state by its German words
    states = term.answer("Umsetzungsstand (Nummer oder Name) [1: in_planung]: ", "in Umsetzung")
    assert "   2  in_umsetzung     in der aktiven Umsetzungs-/Durchführungsphase" in states
    term.expect("→ in_umsetzung")
    # Träger, one per line
    term.answer("  1. ", "Gemeinde")
    term.answer("  2. ", "Kleingartenverein Powe")
    term.answer("  3. ", "")
    term.answer("Städtebauförderung? (ja/nein) ", "vielleicht")
    term.answer("Bitte „ja“ oder „nein“ eingeben.", "ja")
    term.answer("Sonstige Finanzierung – einer pro Zeile, leere Zeile beendet:", "LOS")
    term.answer("  2. ", "")
    term.answer("Kosten in Euro (leer: keine): ", "12.5")
    term.answer("„12.5“: der Punkt trennt im Deutschen Tausender", "12.000")
    shown = term.expect("Anlegen? (ja/nein) ")
    expected = (
        "titel: Nachbarschaftsgarten Powe\n"
        "oberziel: nachbarschaften\n"
        "traeger:\n  - Gemeinde\n  - Kleingartenverein Powe\n"
        "finanzierung:\n  staedtebaufoerderung: true\n  sonstige:\n    - LOS\n"
        "  kosten_eur: 12000\n"
        "status: in_umsetzung\n"
        "aufgenommen: 2006-12\n"
    )
    assert "So wird massnahmen/nachbarschaftsgarten-powe.yaml angelegt:\n" in shown
    assert "".join(f"  {line}\n" for line in expected.splitlines()) in shown
    assert not (example / "massnahmen" / "nachbarschaftsgarten-powe.yaml").exists()
    os.write(term.master, b"ja\n")
    term.expect("Maßnahme nachbarschaftsgarten-powe angelegt")
    assert term.wait() == 0, term.seen
    path = example / "massnahmen" / "nachbarschaftsgarten-powe.yaml"
    assert path.read_text("utf-8") == expected
    assert git(example, "rev-parse", "HEAD~1") == head
    assert git(example, "status", "--porcelain") == ""
    assert "Traceback" not in term.seen


def test_nein_writes_nothing(example: Path, terminal: Callable[..., Terminal]) -> None:
    head = git(example, "rev-parse", "HEAD")
    term = terminal("add", "gremium")
    term.answer("Name des Gremiums: ", "Sanierungsbeirat")
    term.answer("bitte einen anderen Namen.", "Arbeitskreis Verfügungsfonds")
    listed = term.answer("Art des Gremiums (Nummer oder Name): ", "Arbeitsgruppe")
    assert "   5  arbeitsgruppe   Arbeitsgruppe\n" in listed
    shown = term.answer("Anlegen? (ja/nein) ", "nein")
    assert "So wird gremien/arbeitskreis-verfuegungsfonds.yaml angelegt:" in shown
    assert "  name: Arbeitskreis Verfügungsfonds\n  art: arbeitsgruppe\n" in shown
    term.expect("Nicht angelegt; nichts geschrieben.")
    assert term.wait() == 1
    assert not (example / "gremien" / "arbeitskreis-verfuegungsfonds.yaml").exists()
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""


def test_the_end_of_input_writes_nothing(example: Path, terminal: Callable[..., Terminal]) -> None:
    term = terminal("add", "projekt", "--titel", "Stadtteilzeitung")
    term.end_of_input("Oberziel (Nummer, Kennung oder Titel): ")
    term.expect("Fehler: Eingabe beendet; nichts geschrieben")
    assert term.wait() == 1
    assert not (example / "projekte" / "stadtteilzeitung.yaml").exists()
    assert "Traceback" not in term.seen


def test_without_a_terminal_nothing_is_asked(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk("add", "gremium", "--name", "Jugendforum", cwd=example, input="forum\n")
    assert result.exit_code == 2
    assert "--art fehlt (ohne Terminal kann ich nicht nachfragen)" in result.stderr
    assert not (example / "gremien" / "jugendforum.yaml").exists()


def test_choices_by_number_id_title_or_part(
    example: Path, ihk: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ihk.cli.prompts import _chosen

    goals = [("wohnen", "Wohnen und Wohnumfeld"), ("kinder-jugend", "Kinder und Jugendliche")]
    assert _chosen("2", goals, None, "")[0] == "kinder-jugend"
    assert _chosen("KINDER-JUGEND", goals, None, "")[0] == "kinder-jugend"
    assert _chosen("kinder und  jugendliche", goals, None, "")[0] == "kinder-jugend"
    assert _chosen("Jugend", goals, None, "")[0] == "kinder-jugend"
    assert _chosen("und", goals, None, "")[1].startswith("„und“ passt zu mehreren")
    assert _chosen("0", goals, None, "")[0] is None
    assert _chosen("２", goals, None, "")[0] is None  # only ASCII digits are numbers
    # through the CLI: a project with its goal by title, Finanzierung left out
    monkeypatch.setattr("ihk.cli.main.interactive", lambda: True)
    result = ihk(
        "add", "projekt", "--titel", "Stadtteilzeitung", cwd=example,
        input="Bürgerbeteiligung und Aktivierung\n\n\n\n\n\nja\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (example / "projekte" / "stadtteilzeitung.yaml").read_text("utf-8") == (
        "titel: Stadtteilzeitung\noberziel: beteiligung\nstatus: in_planung\n"
    )
