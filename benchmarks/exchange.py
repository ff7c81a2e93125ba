"""Time ihk export and ihk import on synthetic registers, cold (a fresh process per run).

    .venv/bin/python benchmarks/exchange.py [--sizes 1000 10000] [--repeat 3] [--profile]

For each size: ``validate`` (the yardstick: CSV export should stay within 1.5× of it)
and ``export`` as XLSX and CSV, both without and with ihk's cache of parsed files, ``import`` of both back into the same register (the round
trip: nothing changes, no commit), and ``import`` of both into an empty register with the
same goal catalogue (every record new: N files written and one commit). ``--profile``
adds the ten most expensive functions of the CSV import into the empty register.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import GIT_ENV, IHK, WORK


def run(args: list[str], cwd: Path, cold: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its git children); ``cold``:
    without ihk's cache of parsed files."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**_env(), "IHK_NO_CACHE": "1"} if cold else _env()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def timed(args: list[str], cwd: Path, repeat: int, cold: bool = False) -> tuple[float, float]:
    runs = [run(args, cwd, cold) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def line(size: int, what: str, times: tuple[float, float], extra: str = "") -> None:
    wall, cpu = times
    print(f"{size:>6} Maßnahmen  {what:<28} {wall:6.2f} s  (CPU {cpu:6.2f} s){extra}")


def _env() -> dict[str, str]:
    return {**os.environ, **GIT_ENV}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, env=_env(), stdout=subprocess.DEVNULL)


def repository(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Register")


def empty_copy(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(source / "ihk.yaml", target / "ihk.yaml")
    repository(target)
    return target


def profile_import(table: Path, root: Path) -> str:
    from ihk.commands.import_table import import_table
    from ihk.workspace import Workspace

    os.environ.update(GIT_ENV)
    profiler = cProfile.Profile()
    profiler.enable()
    import_table(Workspace(root), table)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        root = WORK / f"exchange-{size}"
        generate(root, size)
        repository(root)
        out = WORK / f"exchange-{size}-out"
        out.mkdir(parents=True, exist_ok=True)
        # like with like: cold (no cache) against a cold validate, warm against warm
        for cold, state in ((True, "kalt"), (False, "warm")):
            run([*IHK, "validate"], root)  # fills the cache (the cold runs ignore it)
            validate = timed([*IHK, "validate"], root, args.repeat, cold)
            line(size, f"validate, {state}", validate)
            for suffix in ("xlsx", "csv"):
                table = out / f"ihk.{suffix}"
                took = timed([*IHK, "export", str(table)], root, args.repeat, cold)
                ratio = f"  {took[1] / validate[1]:.2f}× validate, {state} (CPU)"
                line(size, f"export .{suffix}, {state}", took, ratio)
        for suffix in ("xlsx", "csv"):
            table = out / f"ihk.{suffix}"
            took = timed([*IHK, "import", str(table)], root, args.repeat)
            line(size, f"import .{suffix} (unverändert)", took)
        for suffix in ("xlsx", "csv"):
            target = empty_copy(root, out / f"leer-{suffix}")
            took = run([*IHK, "import", str(out / f"ihk.{suffix}")], target)
            files = len(list((target / "massnahmen").glob("*.yaml")))
            line(size, f"import .{suffix} (alle neu)", took, f"  {files} Dateien, ein Commit")
        if args.profile:
            target = empty_copy(root, out / "leer-profil")
            print(profile_import(out / "ihk.csv", target))


if __name__ == "__main__":
    main()
