from __future__ import annotations

import os
from pathlib import Path

from ihk.writer import atomic_write


def test_atomic_write_replaces_a_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("alt\n")
    target.chmod(0o640)
    atomic_write(target, "neu\n")
    assert target.read_text() == "neu\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left


def test_atomic_write_into_a_pipe_leaves_the_pipe_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "rohr"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, "Fortschreibung\n")
        assert os.read(reader, 100) == b"Fortschreibung\n"
    finally:
        os.close(reader)
    assert not fifo.is_file()
