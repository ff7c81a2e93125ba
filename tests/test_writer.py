from __future__ import annotations

import os
from pathlib import Path

import pytest

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


def test_a_folder_that_takes_no_file_is_named_as_the_user_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error names the file asked for, not the temporary file next to it."""
    import errno
    import tempfile

    def refuse(*_: object, **kwargs: object) -> tuple[int, str]:
        name = f"{kwargs['dir']}/{kwargs['prefix']}x1y2.tmp"
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as caught:
        atomic_write(tmp_path / "bericht.pdf", b"%PDF")
    assert caught.value.filename == str(tmp_path / "bericht.pdf")
