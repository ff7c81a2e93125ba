"""Documents for the council at their limits: hostile register text, very long names and
words, ids in narrow columns, page breaks in the IHK table, and the command line's
edges (a suffix that contradicts --format, a template WeasyPrint cannot lay out).

Each PDF is made once per test run (WeasyPrint takes seconds).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

#: A word of 200 characters that no dictionary hyphenates, and a long web address.
LANG = "Donaudampfschifffahrts" * 9 + "xy"
URL = "https://example.org/" + "a/b-c_d.e?f=g&h=" * 6 + "ende"
GEBIET = "Gebiet " + "Langername" * 20 + " am Fluss"
TITEL = "Fortschreibung des Integrierten Handlungskonzepts – " + GEBIET


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize(
    "args",
    [("fortschreibung", "2005..2006", "-o", "{}/f.docx", "--format", "pdf"),
     ("export", "{}/t.docx", "--format", "pdf"),
     ("fortschreibung", "2005..2006", "-o", "{}/f.md", "--format", "html")],
)  # fmt: skip
def test_a_suffix_that_contradicts_format_is_refused(
    demo_repo: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    from ihk.cli import app

    argv = [a.format(tmp_path) for a in args]
    result = CliRunner().invoke(app, ["--register", str(demo_repo), *argv])
    assert result.exit_code == 2
    assert "passt nicht zu --format" in result.stderr
    assert list(tmp_path.iterdir()) == []
