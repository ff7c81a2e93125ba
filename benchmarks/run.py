"""Time ihk on large synthetic registers, each command in a fresh process.

    make bench                        # 1,000 and 10,000 measures
    IHK_BENCH_100K=1 make bench       # also 100,000 (takes a while to generate)
    .venv/bin/python benchmarks/run.py --sizes 1000 --repeat 5

For every size: a register with a history of ``--commits`` commits (plus the first,
which adds every file), the Stände 2005 and 2006 (20 % of the measures changed, 2 %
new, 1 % removed) and a commit without any change. Each command runs ``--repeat``
times; the table shows the median wall time and the peak memory (maximum resident
set) of the process. "warm" means the cache of parsed records is filled (by an earlier
run); "kalt" runs with ``IHK_NO_CACHE=1``. In the same run, on the same files: the
peer (check-jsonschema with the model's JSON schema, installed into a scratch venv)
and floors (``git log``, ``git diff-tree``, a bare libyaml loop over every file).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, measure
from history import add_history

HERE = Path(__file__).resolve().parent
WORK = HERE.parent / "bench-data"
PYTHON = sys.executable
IHK = [PYTHON, "-m", "ihk"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Benchmark",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Benchmark",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
COLD = {"IHK_NO_CACHE": "1"}
#: Raised when the generated registers change, so that old ones are generated anew.
GENERATION = 2

#: A bare libyaml loop over every register file: the floor of reading them at all.
YAML_FLOOR = """
import os, sys, yaml
loader = yaml.CSafeLoader
for folder in ("massnahmen", "gremien", "projekte", "indikatoren"):
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as f:
                yaml.load(f.read(), Loader=loader)
"""


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    code: int


@dataclass
class Table:
    sizes: list[int]
    rows: dict[str, dict[int, Measured]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, size: int, value: Measured | None) -> None:
        if value is not None:
            self.rows.setdefault(name, {})[size] = value

    def get(self, name: str, size: int) -> Measured | None:
        return self.rows.get(name, {}).get(size)

    def markdown(self) -> str:
        head = "| | " + " | ".join(f"{s:,}".replace(",", ".") for s in self.sizes) + " |"
        lines = [head, "|---" * (len(self.sizes) + 1) + "|"]
        for name, by_size in self.rows.items():
            cells = []
            for size in self.sizes:
                m = by_size.get(size)
                if m is None:
                    cells.append("–")
                else:
                    flag = "" if m.code in (0, 1) else f" (Code {m.code})"
                    cells.append(f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{flag}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


#: GNU time reports the peak memory of exactly the command (``wait4`` of a child of
#: this process would count the pages it shares with the forked benchmark itself).
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run_once(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """One process: wall time, exit code and its peak memory (maximum resident set)."""
    full_env = {**os.environ, **GIT_ENV, **(env or {})}
    report = WORK / ".rusage"
    wrapped = [GNU_TIME, "-q", "-f", "%x %M", "-o", str(report), *args] if GNU_TIME else args
    start = time.perf_counter()
    proc = subprocess.Popen(
        wrapped, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    peak_kb = usage.ru_maxrss
    if GNU_TIME:
        fields = report.read_text().split()
        code, peak_kb = int(fields[-2]), int(fields[-1])
    return Measured(seconds, peak_kb / 1024, code)


def timed(
    args: list[str],
    cwd: Path,
    repeat: int,
    env: dict[str, str] | None = None,
    before: Callable[[int], None] | None = None,
) -> Measured:
    """The median of ``repeat`` runs (``before(i)`` runs untimed before each)."""
    runs = []
    for i in range(repeat):
        if before is not None:
            before(i)
        runs.append(run_once(args, cwd, env))
    codes = {r.code for r in runs}
    return Measured(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        codes.pop() if len(codes) == 1 else -1,
    )


def git(cwd: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, env=env, capture_output=True, text=True
    ).stdout


def change_year(root: Path, count: int) -> None:
    """A year of Fortschreibung: 20 % of the measures changed, 2 % new, 1 % removed."""
    rng = random.Random(2)
    files = sorted((root / "massnahmen").glob("*.yaml"))
    picked = rng.sample(files, count * 21 // 100)
    changed, removed = picked[: count * 20 // 100], picked[count * 20 // 100 :]
    for path in changed:
        text = path.read_text("utf-8")
        for old, new in (("in_planung", "in_umsetzung"), ("in_umsetzung", "abgeschlossen")):
            if f"status: {old}" in text:
                text = text.replace(f"status: {old}", f"status: {new}")
                break
        else:
            text = text.replace("  - Gemeinde\n", "  - Gemeinde\n  - Stiftung Bürgersinn\n")
        if "\nort: " in text:
            head, _, rest = text.partition("\nort: ")
            text = head + "\nort: im Quartier\n" + rest.partition("\n")[2]
        else:
            text += "ort: im Quartier\n"
        path.write_text(text, encoding="utf-8")
    for path in removed:
        path.unlink()
    for i in range(count * 2 // 100):
        new = root / "massnahmen" / f"stand-2006-{i:05d}.yaml"
        new.write_text(measure(rng, count + 10_000 + i, "in_planung"), encoding="utf-8")


def build(size: int, commits: int) -> Path:
    """The register of ``size`` measures with its history; reused when it exists."""
    root = WORK / f"register-{size}"
    stamp = root / ".git" / f"bench-{commits}-{GENERATION}"
    if stamp.exists():
        return root
    started = time.perf_counter()
    generate(root, size, indicators=size // 20)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Register angelegt", date="2005-01-01T08:00:00")
    add_history(root, commits, size)
    git(root, "tag", "stand-2005")
    git(root, "commit", "-q", "--allow-empty", "-m", "Ohne Änderung", date="2006-03-01T12:00:00")
    git(root, "tag", "ohne-aenderung")
    change_year(root, size)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Stand 2006", date="2006-12-15T12:00:00")
    git(root, "tag", "stand-2006")
    stamp.touch()
    print(f"  (Register mit {size} Maßnahmen erzeugt: {time.perf_counter() - started:.0f} s)")
    return root


def peer_venv() -> Path | None:
    """check-jsonschema in a scratch venv under bench-data/ (not a project dependency)."""
    venv = WORK / "peer-venv"
    tool = venv / "bin" / "check-jsonschema"
    if tool.exists():
        return tool
    try:
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "check-jsonschema"], check=True
        )
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"  (check-jsonschema nicht installierbar: {e})")
        return None
    return tool


def measure_schema(root: Path) -> Path:
    """The JSON schema of a measure: ``ihk schema`` where it exists, else the model's."""
    target = root.parent / "massnahme.schema.json"
    out = subprocess.run(
        [*IHK, "schema", str(root.parent / "schema")], cwd=root, capture_output=True
    )
    made = sorted((root.parent / "schema").glob("*massnahme*.json"))
    if out.returncode == 0 and made:
        shutil.copyfile(made[0], target)
        return target
    from ihk.models import Massnahme

    target.write_text(json.dumps(Massnahme.model_json_schema()), encoding="utf-8")
    return target


def peer(root: Path, tool: Path, repeat: int) -> Measured:
    """check-jsonschema over every measure file, in chunks that fit a command line."""
    schema = measure_schema(root)
    names = sorted(os.listdir(root / "massnahmen"))
    total = Measured(0.0, 0.0, 0)
    for start in range(0, len(names), 20_000):
        chunk = [f"massnahmen/{n}" for n in names[start : start + 20_000]]
        part = timed([str(tool), "--schemafile", str(schema), *chunk], root, repeat)
        total = Measured(
            total.seconds + part.seconds,
            max(total.peak_mb, part.peak_mb),
            max(total.code, part.code),
        )
    return total


def cache_dir(root: Path) -> Path:
    return root / ".git" / "ihk-cache"


def drop_cache(root: Path) -> Callable[[int], None]:
    return lambda _: shutil.rmtree(cache_dir(root), ignore_errors=True)


def bench_size(table: Table, size: int, args: argparse.Namespace, tool: Path | None) -> None:
    root = build(size, args.commits)
    repeat = args.repeat
    out = root.parent

    def ihk(name: str, *cmd: str, env: dict[str, str] | None = None, **kw: object) -> None:
        m = timed([*IHK, *cmd], root, repeat, env, **kw)  # type: ignore[arg-type]
        table.add(name, size, m)
        print(f"  {name}: {m.seconds:.3f} s, {m.peak_mb:.0f} MB", flush=True)

    def floor(name: str, cmd: list[str]) -> None:
        m = timed(cmd, root, repeat)
        table.add(name, size, m)
        print(f"  {name}: {m.seconds:.3f} s, {m.peak_mb:.0f} MB", flush=True)

    print(f"{size} Maßnahmen, {size // 20} Indikatoren, {args.commits + 3} Commits:", flush=True)
    ihk("validate, kalt (IHK_NO_CACHE=1)", "validate", env=COLD)
    ihk("validate, erster Lauf (legt den Cache an)", "validate", before=drop_cache(root))
    ihk("validate, warm", "validate")
    floor("Boden: libyaml-Schleife (CSafeLoader)", [PYTHON, "-c", YAML_FLOOR])
    if tool is not None:
        m = peer(root, tool, repeat)
        table.add("Peer: check-jsonschema (Maßnahmen)", size, m)
        print(f"  check-jsonschema: {m.seconds:.3f} s, {m.peak_mb:.0f} MB", flush=True)
    ihk("status (Tabelle), kalt", "status", env=COLD)
    ihk("status (Tabelle), warm", "status")
    ihk("status --format json", "status", "--format", "json")
    ihk("status --format csv", "status", "--format", "csv")
    ihk("finanzen (Tabelle)", "finanzen")
    ihk("finanzen --format json", "finanzen", "--format", "json")
    ihk("finanzen -o kuf.xlsx", "finanzen", "-o", str(out / f"kuf-{size}.xlsx"))
    ihk("monitoring", "monitoring")
    ihk("monitoring --format json", "monitoring", "--format", "json")
    if size <= 1000:
        diagrams = str(out / f"diagramme-{size}")
        ihk("monitoring --diagramme", "monitoring", "--diagramme", diagrams)
    ihk("status --stand 2005", "status", "--stand", "2005")
    ihk("finanzen --stand 2005", "finanzen", "--stand", "2005")
    md = str(out / f"fortschreibung-{size}.md")
    ihk("fortschreibung, 0 % geändert, kalt", "fortschreibung", "stand-2005..ohne-aenderung",
        "-o", md, env=COLD)  # fmt: skip
    ihk("fortschreibung, 0 % geändert, warm", "fortschreibung", "stand-2005..ohne-aenderung",
        "-o", md)  # fmt: skip
    ihk("fortschreibung, 20 % geändert, kalt", "fortschreibung", "2005..2006", "-o", md, env=COLD)
    ihk("fortschreibung, 20 % geändert, warm", "fortschreibung", "2005..2006", "-o", md)
    floor("Boden: git diff-tree 2005..2006", ["git", "diff-tree", "-r", "stand-2005", "stand-2006"])
    ident = _touched_id(root)
    ihk("log -n 500", "log", "-n", "500")
    ihk(f"log ({args.commits + 3} Commits), kalt", "log", env=COLD)
    ihk(f"log ({args.commits + 3} Commits), warm", "log")
    ihk("log --format json", "log", "--format", "json")
    ihk("log --seit 2006", "log", "--seit", "2006")
    ihk("log ID", "log", ident)
    floor("Boden: git log --name-status -n 500", ["git", "log", "--name-status", "-n", "500"])
    floor("Boden: git log --name-status", ["git", "log", "--name-status"])
    floor("Boden: git log -- DATEI", ["git", "log", "--", f"massnahmen/{ident}.yaml"])
    _writes(table, size, root, repeat)


def _touched_id(root: Path) -> str:
    """A measure that the history changed several times (what ``log ID`` is for)."""
    out = git(root, "log", "--format=", "--name-only", "-n", "300", "--", "massnahmen")
    counts: dict[str, int] = {}
    for line in out.split():
        if (root / line).exists():
            counts[line] = counts.get(line, 0) + 1
    best = max(sorted(counts), key=lambda p: counts[p])
    return Path(best).stem


def _writes(table: Table, size: int, root: Path, repeat: int) -> None:
    """``set`` and ``add``, each run with its commit; afterwards the register is put
    back to the Stand 2006 (the commits stay unreachable, as after any reset)."""
    ident = sorted(os.listdir(root / "massnahmen"))[0][: -len(".yaml")]
    text = (root / "massnahmen" / f"{ident}.yaml").read_text("utf-8")
    states = ("in_umsetzung", "abgeschlossen")
    if "status: in_umsetzung" in text:
        states = states[::-1]
    runs = [run_once([*IHK, "set", ident, f"status={states[i % 2]}"], root) for i in range(repeat)]
    _add_runs(table, "set (mit Commit)", size, runs)
    runs = []
    for i in range(repeat):
        title = f"Neue Maßnahme Nummer {random.Random(i).randint(0, 10**9)} im Quartier"
        cmd = ["add", "massnahme", "--titel", title, "--oberziel", "wohnen", "--stbauf"]
        cmd += ["--trotzdem"]
        runs.append(run_once([*IHK, *cmd], root))
    _add_runs(table, "add (mit Commit)", size, runs)
    git(root, "reset", "-q", "--hard", "stand-2006")


def _add_runs(table: Table, name: str, size: int, runs: list[Measured]) -> None:
    codes = {r.code for r in runs}
    m = Measured(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        codes.pop() if len(codes) == 1 else -1,
    )
    table.add(name, size, m)
    print(f"  {name}: {m.seconds:.3f} s, {m.peak_mb:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    default = [1000, 10000] + ([100000] if os.environ.get("IHK_BENCH_100K") else [])
    parser.add_argument("--sizes", type=int, nargs="+", default=default)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--no-peer", action="store_true", help="check-jsonschema auslassen")
    parser.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON hierhin")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    table = Table(args.sizes)
    help_time = timed([*IHK, "--help"], HERE, args.repeat)
    print(f"ihk --help: {help_time.seconds:.3f} s", flush=True)
    tool = None if args.no_peer else peer_venv()
    for size in args.sizes:
        bench_size(table, size, args, tool)
    print()
    print(f"ihk --help: {help_time.seconds:.2f} s; Mediane aus {args.repeat} Läufen")
    print(table.markdown())
    if args.json:
        args.json.write_text(
            json.dumps(
                {n: {str(s): vars(m) for s, m in r.items()} for n, r in table.rows.items()},
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
