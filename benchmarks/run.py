"""Time ihk on large synthetic registers, cold (a fresh process per run).

    make bench            # or: .venv/bin/python benchmarks/run.py [--sizes 1000 10000]

Prints one line per measurement; the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, measure

HERE = Path(__file__).resolve().parent
WORK = HERE.parent / "bench-data"
IHK = [sys.executable, "-m", "ihk"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Benchmark",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Benchmark",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def timed(args: list[str], cwd: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL)


def second_commit(root: Path, count: int) -> None:
    """Change 5 %, add 2 %, remove 1 % of the measures, as a year of Fortschreibung would."""
    rng = random.Random(2)
    files = sorted((root / "massnahmen").glob("*.yaml"))
    picked = rng.sample(files, count * 8 // 100)
    changed, removed = picked[: count * 5 // 100], picked[count * 5 // 100 :]
    for path in changed:
        text = path.read_text("utf-8")
        for old, new in (("in_planung", "in_umsetzung"), ("in_umsetzung", "abgeschlossen")):
            if f"status: {old}" in text:
                text = text.replace(f"status: {old}", f"status: {new}")
                break
        else:
            text = text.replace("  - Gemeinde\n", "  - Gemeinde\n  - Stiftung Bürgersinn\n")
        path.write_text(text + "ort: im Quartier\n", encoding="utf-8")
    for path in removed[: count // 100]:
        path.unlink()
    for i in range(count * 2 // 100):
        new = root / "massnahmen" / f"neu-{i:05d}.yaml"
        new.write_text(measure(rng, count + i, "in_planung"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"ihk --help: {timed([*IHK, '--help'], HERE, args.repeat):.3f} s")
    for size in args.sizes:
        root = WORK / f"register-{size}"
        generate(root, size, indicators=size // 20)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Stand 2005", date="2005-12-15T12:00:00")
        print(
            f"{size} Maßnahmen (80 % mit Plan über 5 Jahre aus 3 Quellen), "
            f"{size // 20} Indikatoren mit je 10 Werten:"
        )
        times = {}
        for name, cmd in (
            ("validate", ["validate"]),
            ("status (Tabelle)", ["status"]),
            ("status --format json", ["status", "--format", "json"]),
            ("status --format csv", ["status", "--format", "csv"]),
            ("finanzen (Tabelle)", ["finanzen"]),
            ("finanzen --format json", ["finanzen", "--format", "json"]),
            ("finanzen --format csv", ["finanzen", "--format", "csv"]),
            ("finanzen -o kuf.xlsx", ["finanzen", "-o", str(root.parent / f"kuf-{size}.xlsx")]),
            ("monitoring", ["monitoring"]),
            ("monitoring --format json", ["monitoring", "--format", "json"]),
            (
                "monitoring --diagramme",
                ["monitoring", "--diagramme", str(root.parent / f"diagramme-{size}")],
            ),
        ):
            times[name] = timed([*IHK, *cmd], root, args.repeat)
            print(f"  ihk {name}: {times[name]:.3f} s")
        for name in ("finanzen (Tabelle)", "monitoring"):
            print(f"  {name} / validate: {times[name] / times['validate']:.2f}×")
        fortschreibung = HERE.parent / "src" / "ihk" / "fortschreibung.py"
        if fortschreibung.exists():
            second_commit(root, size)
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "Stand 2006", date="2006-12-15T12:00:00")
            cmd = [
                *IHK,
                "fortschreibung",
                "2005..2006",
                "-o",
                str(root.parent / f"fortschreibung-{size}.md"),
            ]
            print(
                f"  ihk fortschreibung 2005..2006 (5 % geändert, 2 % neu, 1 % entfernt): "
                f"{timed(cmd, root, args.repeat):.3f} s"
            )
            # HEAD is Stand 2006 now: the register of 2005 comes from git objects
            for name, cmd in (
                ("status --stand 2005", ["status", "--stand", "2005"]),
                (
                    "status --stand 2005 --format csv",
                    ["status", "--stand", "2005", "--format", "csv"],
                ),
                ("finanzen --stand 2005", ["finanzen", "--stand", "2005"]),
            ):
                print(f"  ihk {name}: {timed([*IHK, *cmd], root, args.repeat):.3f} s")


if __name__ == "__main__":
    main()
