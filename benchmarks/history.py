"""A long synthetic history for a generated register (for ``ihk log`` and the Fortschreibung).

The commits are written with ``git fast-import`` (thousands of commits in seconds); each
one changes what a year of work changes in a few records: a state, a note, a title, a
measured value, now and then a new record or a removed one.
"""

from __future__ import annotations

import itertools
import random
import subprocess
from pathlib import Path

from generate import measure

NAME = "Benchmark <bench@example.org>"
#: 2005-01-01 00:00 UTC: the history's commits are spread over the year 2005.
START = 1104537600
YEAR = 365 * 24 * 3600
STATES = ("in_planung", "in_umsetzung", "abgeschlossen")


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _step(
    rng: random.Random, files: dict[str, str], number: int, count: int
) -> dict[str, str | None]:
    """What commit ``number`` does: path -> new text (None: removed)."""
    measures = [p for p in files if p.startswith("massnahmen/")]
    done: dict[str, str | None] = {}
    roll = rng.random()
    if roll < 0.03:
        path = f"massnahmen/neu-{number:05d}.yaml"
        done[path] = measure(rng, count + number, "in_planung")
        return done
    if roll < 0.04 and measures:
        done[rng.choice(measures)] = None
        return done
    for path in rng.sample(measures, min(len(measures), rng.randint(1, 3))):
        text = files[path]
        what = rng.random()
        if what < 0.4:
            for old, new in itertools.pairwise(STATES):
                if f"status: {old}\n" in text:
                    text = text.replace(f"status: {old}\n", f"status: {new}\n")
                    break
            else:
                text += f"ort: Bauabschnitt {number}\n" if "\nort:" not in text else ""
        elif what < 0.7 and "\nnachtraege:\n" not in text:
            text = text.replace(
                "\nbeschreibung:",
                f"\nnachtraege:\n  - stand: 2005-{number % 12 + 1:02d}\n"
                f"    text: Abgestimmt im Sanierungsforum (Sitzung {number}).\nbeschreibung:",
            )
        else:
            first, _, rest = text.partition("\ntitel: ")
            title, _, after = rest.partition("\n")
            text = f"{first}\ntitel: {title.split(' – ')[0]} – Fassung {number}\n{after}"
        done[path] = text
    indicators = [p for p in files if p.startswith("indikatoren/")]
    if indicators and rng.random() < 0.2:
        path = rng.choice(indicators)
        year = 2002 + files[path].count("\n  - {jahr: ")  # the year after the last value
        done[path] = files[path] + f"  - {{jahr: {year}, wert: {rng.randint(5, 50)}}}\n"
    return done


def add_history(root: Path, commits: int, count: int, seed: int = 3) -> None:
    """Append ``commits`` commits to the register's repository (branch main), spread over
    2005, and check the result out into the working tree."""
    rng = random.Random(seed)
    files = {
        f"{folder}/{p.name}": p.read_text("utf-8")
        for folder in ("massnahmen", "indikatoren")
        if (root / folder).is_dir()
        for p in sorted((root / folder).iterdir())
    }
    stream = bytearray()
    for number in range(1, commits + 1):
        when = START + YEAR * number // (commits + 1)
        changes = _step(rng, files, number, count)
        stream += b"commit refs/heads/main\n"
        stream += f"committer {NAME} {when} +0100\n".encode()
        stream += _data(f"Fortschreibung der Maßnahmen, Schritt {number}")
        if number == 1:
            stream += b"from refs/heads/main^0\n"
        for path, text in changes.items():
            if text is None:
                stream += f"D {path}\n".encode()
                files.pop(path, None)
            else:
                stream += f"M 100644 inline {path}\n".encode() + _data(text)
                files[path] = text
        stream += b"\n"
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=root,
        input=bytes(stream) + b"done\n",
        check=True,
    )
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)
