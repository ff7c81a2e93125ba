"""What reaches the terminal: no raw control characters (issue 7, item 7) and an output
that survives any environment — a non-UTF-8 encoding, a closed stdout, a reader that
goes away (item 14). The environment cases run the real command in a new process,
since CliRunner replaces the streams.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihk.cli.console import clean, dumps
from tests.conftest import Result, git

#: what must never reach a terminal raw (an independent copy of console's rule)
RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)

CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"


def assert_safe(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} in {text!r}"


# --- the sanitiser -------------------------------------------------------------


def test_clean_escapes_every_dangerous_character_visibly() -> None:
    assert clean("A\x1b]52;c;SGVsbG8=\x07B") == "A\\x1b]52;c;SGVsbG8=\\x07B"
    assert clean("\x00\x7f\x9b\x85") == "\\x00\\x7f\\x9b\\x85"
    assert clean("Mieter\u202egärten\u2066x\u2069\u200f") == (
        "Mieter\\u202egärten\\u2066x\\u2069\\u200f"
    )
    assert clean("über\r schrieben") == "über\\x0d schrieben"
    assert clean("\udcff") == "\\udcff"  # an undecodable byte of a file name


def test_clean_keeps_ordinary_text_newlines_tabs_and_crlf() -> None:
    text = "Beratung für Bewohner*innen\n\tTräger: „Diakonie“ – 10.000 €\r\nEnde"
    assert clean(text) is text


class _Text(str):
    pass


class _Number(int):
    pass


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # also NaN, ±Infinity, -0.0
    | st.text()
    | st.builds(_Text, st.text(max_size=3))
    | st.builds(_Number, st.integers())
)
_KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_dumps_writes_the_very_text_of_json_dumps(data: object) -> None:
    """ihk's JSON (its own encoder, for speed) is byte for byte the standard library's."""
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_dumps_leaves_what_is_not_plain_data_to_json() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": [1, {2, 3}]})
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps({"a": looped})


def test_clean_for_json_keeps_the_json_valid_and_its_values() -> None:
    data = {"titel": "A\x1b[2J\u202eB\x9b\x7f"}
    text = clean(json.dumps(data, ensure_ascii=False), json=True)
    assert_safe(text)
    assert json.loads(text) == data


# --- the commands ----------------------------------------------------------------


def _hostile_measure(root: Path) -> Path:
    """A valid measure whose title holds a clipboard write (as a YAML escape) and
    whose Träger holds a raw bidi override."""
    path = root / "massnahmen" / "boese.yaml"
    path.write_text(
        'titel: "A\\e]52;c;SGVsbG8=\\aB"\n'
        "oberziel: wohnen\n"
        "traeger:\n  - Mieter\u202everein\n"
        "finanzierung:\n  staedtebaufoerderung: nein\n"
        "status: in_planung\naufgenommen: 2005-01\n",
        encoding="utf-8",
    )
    return path


def test_show_status_and_validate_print_no_control_character(
    example: Path, ihk: Callable[..., Result]
) -> None:
    # The reader may (soon) refuse such a title; either way nothing prints it raw.
    _hostile_measure(example)
    runs = [
        ihk("show", "boese", cwd=example),
        ihk("show", "boese", "--format", "json", cwd=example),
        ihk("status", cwd=example),
        ihk("status", "--format", "markdown", cwd=example),
        ihk("status", "--format", "csv", cwd=example),
        ihk("validate", cwd=example),
        ihk("validate", "--format", "json", cwd=example),
    ]
    for run in runs:
        assert "\x1b" not in run.stdout and "\x1b" not in run.stderr
        assert_safe(run.stdout, run.stderr)
        assert "Traceback" not in run.stderr
    shown = runs[0]
    if shown.exit_code == 0:  # accepted: the title is shown, escaped
        assert "A\\x1b]52;c;SGVsbG8=\\x07B" in shown.stdout
        assert json.loads(runs[1].stdout)["daten"]["titel"] == "A" + CLIPBOARD + "B"


def test_show_yaml_escapes_the_file_and_says_so_in_its_help(
    example: Path, ihk: Callable[..., Result]
) -> None:
    path = _hostile_measure(example)
    path.write_text("# \x1b[2J\n" + path.read_text("utf-8"), encoding="utf-8")  # raw ESC
    result = ihk("show", "boese", "--format", "yaml", cwd=example)
    assert_safe(result.stdout, result.stderr)
    assert result.stdout.startswith("# \\x1b[2J\n")
    assert "  - Mieter\\u202everein\n" in result.stdout
    assert 'titel: "A\\e]52;c;SGVsbG8=\\aB"' in result.stdout  # a YAML escape is harmless
    help_text = " ".join(ihk("show", "--help", cwd=example).stdout.split())
    assert "Steuerzeichen erscheinen maskiert" in help_text


def test_log_escapes_a_hostile_commit_message(example: Path, ihk: Callable[..., Result]) -> None:
    record = example / "massnahmen" / "sozialstation.yaml"
    record.write_text(record.read_text("utf-8") + "# Nachtrag\n", encoding="utf-8")
    git(example, "commit", "-q", "-am", "Bildschirm\x1b[2J leer \u202eesrever\x07")
    git(example, "tag", "-a", "-m", "Stand \x1b]52;c;SGVsbG8=\x07", "stand-2006")
    text = ihk("log", cwd=example)
    assert text.exit_code == 0, text.stderr
    assert "\x1b" not in text.stdout
    assert_safe(text.stdout, text.stderr)
    assert "    Bildschirm\\x1b[2J leer \\u202eesrever\\x07\n" in text.stdout
    as_json = ihk("log", "--format", "json", cwd=example)
    assert_safe(as_json.stdout)
    assert json.loads(as_json.stdout)[0]["nachricht"] == (
        "Bildschirm\x1b[2J leer \u202eesrever\x07"
    )
    one = ihk("log", "sozialstation", cwd=example)
    assert "\x1b" not in one.stdout and "Bildschirm\\x1b[2J" in one.stdout


def test_fortschreibung_on_stdout_is_escaped(example: Path, ihk: Callable[..., Result]) -> None:
    git(example, "tag", "-a", "-m", "Stand", "stand-2005")
    _hostile_measure(example)
    for fmt in ("markdown", "json"):
        result = ihk("fortschreibung", "2005..", "--format", fmt, cwd=example)
        assert "\x1b" not in result.stdout
        assert_safe(result.stdout, result.stderr)
    data = json.loads(ihk("fortschreibung", "2005..", "--format", "json", cwd=example).stdout)
    if not data["ungueltige_dateien"]["bis"]:  # accepted: listed as new, escaped on screen
        new = [m["titel"] for g in data["neue_massnahmen"] for m in g["massnahmen"]]
        assert "A" + CLIPBOARD + "B" in new


def test_errors_and_usage_errors_quote_input_escaped(
    example: Path, ihk: Callable[..., Result]
) -> None:
    missing = ihk("show", "\x1b[2Jweg", cwd=example)
    assert missing.exit_code != 0
    assert "\\x1b[2Jweg" in missing.stderr and "\x1b" not in missing.stderr
    option = ihk("status", "--x\x1b[2J", cwd=example)
    assert option.exit_code == 2
    assert "Unbekannte Option: --x\\x1b[2J" in option.stderr
    assert_safe(option.stderr)
    choice = ihk("status", "--status", "\u202efertig", cwd=example)
    assert choice.exit_code == 2 and "\\u202efertig" in choice.stderr
    assert_safe(choice.stderr)


def test_set_reports_a_value_escaped(example: Path, ihk: Callable[..., Result]) -> None:
    for value in ("Powe\x1b[2J", "Powe\u202e\x9b"):
        result = ihk("set", "sozialstation", f"ort={value}", cwd=example)
        assert "\x1b" not in result.stdout + result.stderr
        assert_safe(result.stdout, result.stderr)


# --- the environment: real processes -------------------------------------------------


def ihk_process(
    root: Path, *args: str, env: dict[str, str] | None = None, shell: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m ihk --register ROOT ARGS`` in a new process; ``shell`` wraps it, e.g.
    ``'exec "$@" >&-'`` to start it with stdout closed."""
    command = [sys.executable, "-m", "ihk", "--register", str(root), *args]
    if shell is not None:
        command = ["sh", "-c", shell, "sh", *command]
    return subprocess.run(
        command, capture_output=True, env={**os.environ, **(env or {})}, timeout=60
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_without_utf8_gets_readable_stand_ins(example: Path, encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    table = ihk_process(example, "status", env=env)
    assert table.returncode == 0, table.stderr
    assert table.stderr == b""
    text = table.stdout.decode(encoding)
    assert "Stettiner" in text
    shown = ihk_process(example, "show", "sozialstation", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Tr" in shown.stdout.decode(encoding)
    missing = ihk_process(example, "show", "gibtsnicht", env=env)
    assert missing.returncode == 1
    message = missing.stderr.decode(encoding)
    assert "Traceback" not in message
    assert 'Fehler: Keinen Eintrag "gibtsnicht" gefunden' in message
    if encoding == "ascii":
        assert "16 Massnahmen: 3 in Planung | 6 in Umsetzung" in text
        assert "(weder Massnahme, Gremium, Projekt noch Indikator)" in message
    else:
        assert "16 Maßnahmen: 3 in Planung · 6 in Umsetzung" in text
        assert "(weder Maßnahme, Gremium, Projekt noch Indikator)" in message


def test_a_closed_stdout_loses_the_output_but_not_the_work(example: Path) -> None:
    closed = 'exec "$@" >&-'
    status = ihk_process(example, "status", shell=closed)
    assert status.returncode == 0
    assert status.stderr.decode() == (
        "Hinweis: Die Standardausgabe war geschlossen; die Ausgabe ist entfallen.\n"
    )
    edited = ihk_process(example, "set", "sozialstation", "ort=Powe", shell=closed)
    assert edited.returncode == 0, edited.stderr
    assert "ort = Powe" in git(example, "log", "-1", "--format=%s")
    invalid = ihk_process(example, "show", "gibtsnicht", shell='exec "$@" >&- 2>&-')
    assert invalid.returncode == 1
    no_input = ihk_process(example, "add", "massnahme", shell='exec "$@" <&-')
    assert no_input.returncode == 2
    assert "--titel fehlt (ohne Terminal kann ich nicht nachfragen)" in no_input.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [("log",), ("status",), ("status", "--format", "csv"), ("show", "sozialstation"), ("--help",)],
)
def test_a_reader_that_went_away_ends_ihk_quietly(example: Path, args: tuple[str, ...]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ihk", "--register", str(example), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: every write meets a closed pipe
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert stderr == b""


def test_a_full_disk_behind_stdout_is_a_german_error(example: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    result = ihk_process(example, "status", "--format", "csv", shell='exec "$@" >/dev/full')
    assert result.returncode == 1
    assert result.stderr.decode() == "Fehler: kein Platz mehr auf dem Datenträger\n"
