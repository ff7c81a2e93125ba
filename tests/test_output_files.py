"""``-o DATEI`` follows the user's intent (issue 7, item 18): through a link to its
target, never over a write-protected file, never with wider permissions, and it says
when it makes a folder. Also ``show --format yaml -o``: the exact bytes of the file.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ihk.cli.console import write_output
from ihk.errors import Refused
from ihk.writer import atomic_write
from tests.conftest import Result, git


@pytest.fixture
def tagged(example: Path) -> Path:
    git(example, "tag", "-a", "-m", "Stand", "stand-2006")
    return example


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def fortschreibung(ihk: Callable[..., Result], root: Path, target: str) -> Result:
    return ihk("fortschreibung", "2006..", "-o", target, cwd=root)


def test_a_link_is_written_through_and_stays_a_link(
    tagged: Path, ihk: Callable[..., Result], tmp_path: Path
) -> None:
    real = tmp_path / "ablage" / "fortschreibung.md"
    real.parent.mkdir()
    real.write_text("alt\n")
    (tagged / "aktuell.md").symlink_to(real)
    result = fortschreibung(ihk, tagged, "aktuell.md")
    assert result.exit_code == 0, result.stderr
    assert (tagged / "aktuell.md").is_symlink()
    assert os.readlink(tagged / "aktuell.md") == str(real)
    assert real.read_text("utf-8").startswith("# Fortschreibung")
    assert result.stderr == "Fortschreibung geschrieben: aktuell.md\n"
    assert [p.name for p in real.parent.iterdir()] == ["fortschreibung.md"]  # no temp file


def test_a_dangling_link_gets_its_target_created(
    tagged: Path, ihk: Callable[..., Result], tmp_path: Path
) -> None:
    real = tmp_path / "neu" / "fortschreibung.md"
    (tagged / "aktuell.md").symlink_to(real)
    result = fortschreibung(ihk, tagged, "aktuell.md")
    assert result.exit_code == 0, result.stderr
    assert (tagged / "aktuell.md").is_symlink()
    assert real.read_text("utf-8").startswith("# Fortschreibung")
    assert f"Ordner angelegt: {real.parent}\n" in result.stderr


def test_a_link_in_a_circle_is_refused(tagged: Path, ihk: Callable[..., Result]) -> None:
    (tagged / "a.md").symlink_to(tagged / "b.md")
    (tagged / "b.md").symlink_to(tagged / "a.md")
    result = fortschreibung(ihk, tagged, "a.md")
    assert result.exit_code == 1
    assert result.stderr == "Fehler: a.md: die Verknüpfung zeigt im Kreis; nichts geschrieben\n"


def test_a_write_protected_file_is_not_replaced(tagged: Path, ihk: Callable[..., Result]) -> None:
    # Also as root (where access() allows everything): the mode says read-only.
    target = tagged / "beschlossen.md"
    target.write_text("vom Rat beschlossen\n")
    target.chmod(0o444)
    result = fortschreibung(ihk, tagged, "beschlossen.md")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Fehler: beschlossen.md ist schreibgeschützt; nichts geschrieben"
    )
    assert target.read_text() == "vom Rat beschlossen\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert sorted(p.name for p in tagged.iterdir() if p.name.startswith(".beschlossen")) == []


def test_a_link_to_a_write_protected_file_is_refused(
    tagged: Path, ihk: Callable[..., Result], tmp_path: Path
) -> None:
    real = tmp_path / "beschlossen.md"
    real.write_text("vom Rat beschlossen\n")
    real.chmod(0o444)
    (tagged / "aktuell.md").symlink_to(real)
    result = fortschreibung(ihk, tagged, "aktuell.md")
    assert result.exit_code == 1 and "schreibgeschützt" in result.stderr
    assert real.read_text() == "vom Rat beschlossen\n"


def test_missing_folders_are_created_and_named(tagged: Path, ihk: Callable[..., Result]) -> None:
    result = fortschreibung(ihk, tagged, "berichte/2006/fortschreibung.md")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Ordner angelegt: berichte/2006\n"
        "Fortschreibung geschrieben: berichte/2006/fortschreibung.md\n"
    )
    assert (tagged / "berichte" / "2006" / "fortschreibung.md").is_file()
    again = fortschreibung(ihk, tagged, "berichte/2006/fortschreibung.md")
    assert "Ordner angelegt" not in again.stderr


def test_a_path_through_a_missing_folder_and_back_makes_no_folder(
    tagged: Path, ihk: Callable[..., Result]
) -> None:
    result = fortschreibung(ihk, tagged, "nichtda/../fortschreibung.md")
    assert result.exit_code == 0, result.stderr
    assert not (tagged / "nichtda").exists()
    assert (tagged / "fortschreibung.md").is_file()


def test_modes_are_kept_or_follow_the_umask(
    tagged: Path, ihk: Callable[..., Result], umask_022: None
) -> None:
    existing = tagged / "privat.md"
    existing.write_text("alt\n")
    existing.chmod(0o600)
    assert fortschreibung(ihk, tagged, "privat.md").exit_code == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert existing.read_text("utf-8").startswith("# Fortschreibung")
    assert fortschreibung(ihk, tagged, "neu.md").exit_code == 0
    assert stat.S_IMODE((tagged / "neu.md").stat().st_mode) == 0o644


def test_a_pipe_is_written_into(tagged: Path, ihk: Callable[..., Result]) -> None:
    fifo = tagged / "rohr"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    result = fortschreibung(ihk, tagged, "rohr")
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert received and received[0].startswith(b"# Fortschreibung")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_show_yaml_into_a_file_keeps_the_exact_bytes(
    example: Path, ihk: Callable[..., Result]
) -> None:
    raw = (
        b"\xef\xbb\xbf# \x1b[2J Kommentar\r\ntitel: Tafel \xe2\x80\xae\r\noberziel: wohnen\r\n"
        b"finanzierung:\r\n  staedtebaufoerderung: nein\r\nstatus: in_planung\r\n"
        b"aufgenommen: 2005-01\r\n"
    )
    (example / "massnahmen" / "roh.yaml").write_bytes(raw)
    result = ihk("show", "roh", "--format", "yaml", "-o", "kopie/roh.yaml", cwd=example)
    assert (example / "kopie" / "roh.yaml").read_bytes() == raw
    assert "Ordner angelegt: kopie\n" in result.stderr
    assert "Maßnahme roh geschrieben: kopie/roh.yaml\n" in result.stderr
    assert result.stdout == ""
    text = ihk("show", "sozialstation", "-o", "sozialstation.txt", cwd=example)
    assert text.exit_code == 0, text.stderr
    assert (
        (example / "sozialstation.txt")
        .read_text("utf-8")
        .startswith("Maßnahme sozialstation\n  Titel: ")
    )


# --- the helper and atomic_write directly ----------------------------------------------


def test_write_output_returns_its_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_output(Path("a/b/c.md"), "x") == ["Ordner angelegt: a/b"]
    assert write_output(Path("a/b/c.md"), b"y") == []
    assert (tmp_path / "a" / "b" / "c.md").read_bytes() == b"y"
    outside = tmp_path.parent / f"{tmp_path.name}-aussen"
    assert write_output(outside / "d.md", "x") == [f"Ordner angelegt: {outside}"]
    (tmp_path / "fest.md").write_text("fest")
    (tmp_path / "fest.md").chmod(0o400)
    with pytest.raises(Refused):
        write_output(Path("fest.md"), "neu")


def test_atomic_write_keeps_owner_and_group_and_never_widens(tmp_path: Path) -> None:
    target = tmp_path / "geteilt.md"
    target.write_text("alt\n")
    target.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(target, 4321, 4321)
    before = target.stat()
    atomic_write(target, "neu\n")
    after = target.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert target.read_text() == "neu\n"


def test_a_dash_is_standard_output_never_a_file_named_dash(
    example: Path, ihk: Callable[..., Result]
) -> None:
    """`-o -` and `ihk export -` write to standard output what the file would hold; the
    confirmation goes to stderr; no file "-" appears."""
    assert ihk("export", "../tabelle.csv", cwd=example).exit_code == 0
    piped = ihk("export", "-", "--format", "csv", cwd=example)
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout.encode() == (example.parent / "tabelle.csv").read_bytes()
    assert piped.stderr.startswith("IHK-Tabelle geschrieben: auf die Standardausgabe – ")
    unnamed = ihk("export", "-", cwd=example)
    assert unnamed.exit_code == 2 and "bitte das Format mit --format angeben" in unnamed.stderr
    plain = ihk("finanzen", cwd=example)
    dashed = ihk("finanzen", "-o", "-", cwd=example)
    assert dashed.exit_code == 0 and dashed.stdout == plain.stdout
    assert not (example / "-").exists() and git(example, "status", "--porcelain") == ""


def test_export_into_a_pipe_is_the_files_bytes_whatever_the_locale(example: Path) -> None:
    import subprocess
    import sys

    target = example.parent / "t.csv"
    command = [sys.executable, "-m", "ihk", "--register", str(example), "export"]
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    assert subprocess.run([*command, str(target)], env=env, timeout=120).returncode == 0
    piped = subprocess.run([*command, "-", "--format", "csv"], capture_output=True, env=env,
                           timeout=120)  # fmt: skip
    assert piped.returncode == 0 and piped.stdout == target.read_bytes()


def test_export_to_a_terminal_refuses_a_binary_format(example: Path) -> None:
    import pty
    import subprocess
    import sys

    main, other = pty.openpty()
    run = subprocess.run(
        [sys.executable, "-m", "ihk", "--register", str(example), "export", "-", "--format",
         "xlsx"],
        stdout=other, stderr=subprocess.PIPE, timeout=120, cwd=example,
    )  # fmt: skip
    os.close(other)
    os.close(main)
    assert run.returncode == 2
    assert run.stderr.decode() == (
        "Fehler: Excel (XLSX) ist ein Binärformat und gehört nicht aufs Terminal: eine Datei "
        "(ihk export DATEI.xlsx) angeben (oder in eine Datei oder ein Programm umleiten)\n"
    )
    assert not (example / "-").exists()


def test_an_output_never_replaces_a_file_of_the_register(
    example: Path, ihk: Callable[..., Result]
) -> None:
    """`ihk export ihk.yaml --format md` replaced the catalogue (with any hand edits not
    committed yet); `-o massnahmen/x.yaml` a record; nothing goes into .git either."""
    meta = example / "ihk.yaml"
    meta.write_text(meta.read_text("utf-8") + "# noch nicht committet\n", "utf-8")

    def tree() -> dict[Path, bytes]:
        return {
            p: p.read_bytes() for p in example.rglob("*") if p.is_file() and ".git" not in p.parts
        }

    before = tree()
    record = next((example / "massnahmen").glob("*.yaml")).relative_to(example).as_posix()
    for args in (
        ("export", "ihk.yaml", "--format", "md"),
        ("fortschreibung", "HEAD..", "-o", record),
        ("finanzen", "-o", "ihk.yaml", "--format", "csv"),
        ("export", ".git/tabelle.csv"),
        ("export", ".ihk/tabelle.csv"),
    ):
        result = ihk(*args, cwd=example)
        assert result.exit_code == 1, args
        assert "nichts geschrieben – bitte eine andere Datei angeben" in result.stderr, args
    assert tree() == before and not (example / ".git" / "tabelle.csv").exists()
    assert not (example / ".ihk").exists()
    assert ihk("export", "../tabelle.csv", cwd=example).exit_code == 0  # elsewhere: fine
    copy = ihk("show", record.split("/")[1][:-5], "--format", "yaml", "-o", "massnahmen/k.yaml",
               cwd=example)  # fmt: skip
    assert copy.exit_code == 0  # a new file, even in a record folder, replaces nothing
