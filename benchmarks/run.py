"""Time ihk on large synthetic registers, each command in a fresh process.

    make bench                        # 1,000 and 10,000 measures
    IHK_BENCH_100K=1 make bench       # also 100,000 (takes a while to generate)
    .venv/bin/python benchmarks/run.py --sizes 1000 --repeat 5
    .venv/bin/python benchmarks/run.py --baseline /tmp/ihk-main/src   # before and after

For every size: a register with a history of ``--commits`` commits (plus the first,
which adds every file), the Stände 2005 and 2006 (20 % of the measures changed, 2 %
new, 1 % removed) and a commit without any change. Each command runs ``--repeat``
times; the table shows the median wall time and the peak memory (maximum resident
set) of the process. "warm" means the cache of parsed files is filled (by an earlier
run); "kalt" runs with ``IHK_NO_CACHE=1``; "erster Lauf" starts without a cache and
fills it. In the same run, on the same files: the peer (check-jsonschema with the
JSON schema of a measure, installed into a scratch venv) and floors (``git log``,
``git diff-tree``, a bare libyaml loop over every file).

``--baseline SRC`` also times another ihk (the ``src`` folder of a checkout, e.g. of
main before a change) in the same run, alternating the two for every repetition, so
that both see the same machine: the table shows "vorher" and "nachher".
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
GENERATION = 3
AFTER, BEFORE = "nachher", "vorher"

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

    def cell(self) -> str:
        flag = "" if self.code in (0, 1) else f" (Code {self.code})"
        return f"{self.seconds:.2f} s, {self.peak_mb:.0f} MB{flag}"


@dataclass
class Table:
    sizes: list[int]
    variants: list[str]
    rows: dict[str, dict[tuple[int, str], Measured]] = field(default_factory=dict)

    def add(self, name: str, size: int, variant: str, value: Measured) -> None:
        self.rows.setdefault(name, {})[(size, variant)] = value

    def markdown(self) -> str:
        columns = [(s, v) for s in self.sizes for v in self.variants]
        names = [
            f"{s:,}".replace(",", ".") + (f" {v}" if len(self.variants) > 1 else "")
            for s, v in columns
        ]
        lines = ["| | " + " | ".join(names) + " |", "|---" * (len(columns) + 1) + "|"]
        for name, cells in self.rows.items():
            shown = [cells[c].cell() if c in cells else "–" for c in columns]
            lines.append(f"| {name} | " + " | ".join(shown) + " |")
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


def summary(runs: list[Measured]) -> Measured:
    """The median time, the highest peak, and the exit code (-1 if they differ)."""
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


class Bench:
    """The measurements of one size, into the table (both variants alternating)."""

    def __init__(self, table: Table, size: int, root: Path, args: argparse.Namespace) -> None:
        self.table, self.size, self.root, self.repeat = table, size, root, args.repeat
        self.only: list[str] = args.only or []
        # the baseline first, so that each repetition ends with this ihk's run; it reads
        # a copy of the register, so that each ihk finds its own cache there (a cache
        # written by another ihk counts as foreign and would be rebuilt on every run)
        base = {BEFORE: {"PYTHONPATH": args.baseline}} if args.baseline else {}
        self.variants: dict[str, dict[str, str]] = base | {AFTER: {}}
        self.roots = {AFTER: root} | ({BEFORE: _baseline_copy(root)} if args.baseline else {})

    def ihk(
        self,
        name: str,
        *cmd: str,
        env: dict[str, str] | None = None,
        before: Callable[[Path], None] | None = None,
    ) -> None:
        if not self.wanted(name):
            return
        runs: dict[str, list[Measured]] = {v: [] for v in self.variants}
        for _ in range(self.repeat):
            for variant, extra in self.variants.items():
                root = self.roots[variant]
                if before is not None:
                    before(root)
                runs[variant].append(run_once([*IHK, *cmd], root, {**(env or {}), **extra}))
        self._note(name, {v: summary(r) for v, r in runs.items()})

    def wanted(self, name: str) -> bool:
        return not self.only or any(part in name for part in self.only)

    def floor(self, name: str, cmd: list[str]) -> None:
        if not self.wanted(name):
            return
        runs = [run_once(cmd, self.root) for _ in range(self.repeat)]
        self._note(name, {AFTER: summary(runs)})

    def _note(self, name: str, found: dict[str, Measured]) -> None:
        for variant, m in found.items():
            self.table.add(name, self.size, variant, m)
        shown = " | ".join(f"{v}: {m.cell()}" for v, m in found.items())
        print(f"  {name}: {shown}", flush=True)


def drop_cache(root: Path) -> None:
    shutil.rmtree(root / ".git" / "ihk-cache", ignore_errors=True)


def _baseline_copy(root: Path) -> Path:
    """A copy of the register for the baseline ihk (made anew when the register is)."""
    copy = root.with_name(root.name + "-vorher")
    stamps = sorted(p.name for p in (root / ".git").glob("bench-*"))
    if sorted(p.name for p in (copy / ".git").glob("bench-*")) != stamps:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy, symlinks=True)
        drop_cache(copy)
    return copy


def bench_size(table: Table, size: int, args: argparse.Namespace, tool: Path | None) -> None:
    root = build(size, args.commits)
    out = root.parent
    bench = Bench(table, size, root, args)
    print(f"{size} Maßnahmen, {size // 20} Indikatoren, {args.commits + 3} Commits:", flush=True)
    bench.ihk("validate, kalt (IHK_NO_CACHE=1)", "validate", env=COLD)
    bench.ihk("validate, erster Lauf (legt den Cache an)", "validate", before=drop_cache)
    bench.ihk("validate, warm", "validate")
    bench.floor("Boden: libyaml-Schleife (CSafeLoader)", [PYTHON, "-c", YAML_FLOOR])
    if tool is not None and bench.wanted("Peer"):
        schema = measure_schema(root)
        names = sorted(os.listdir(root / "massnahmen"))
        chunks = [names[i : i + 20_000] for i in range(0, len(names), 20_000)]  # ARG_MAX
        runs = []
        for _ in range(args.repeat):
            parts = [
                run_once(
                    [str(tool), "--schemafile", str(schema)] + [f"massnahmen/{n}" for n in c], root
                )
                for c in chunks
            ]
            runs.append(
                Measured(
                    sum(p.seconds for p in parts),
                    max(p.peak_mb for p in parts),
                    max(p.code for p in parts),
                )
            )
        bench._note("Peer: check-jsonschema (nur Maßnahmen)", {AFTER: summary(runs)})
    bench.ihk("status (Tabelle), kalt", "status", env=COLD)
    bench.ihk("status (Tabelle), warm", "status")
    bench.ihk("status --format json", "status", "--format", "json")
    bench.ihk("status --format csv", "status", "--format", "csv")
    bench.ihk("finanzen (Tabelle)", "finanzen")
    bench.ihk("finanzen --format json", "finanzen", "--format", "json")
    bench.ihk("finanzen -o kuf.xlsx", "finanzen", "-o", str(out / f"kuf-{size}.xlsx"))
    bench.ihk("monitoring", "monitoring")
    bench.ihk("monitoring --format json", "monitoring", "--format", "json")
    if size <= 1000:  # matplotlib, 0.15 s per chart: not a matter of the register's size
        bench.ihk("monitoring --diagramme", "monitoring", "--diagramme", str(out / f"svg-{size}"))
    bench.ihk("status --stand 2005", "status", "--stand", "2005")
    bench.ihk("finanzen --stand 2005", "finanzen", "--stand", "2005")
    md = str(out / f"fortschreibung-{size}.md")
    zero = "stand-2005..ohne-aenderung"
    bench.ihk("fortschreibung, 0 % geändert, kalt", "fortschreibung", zero, "-o", md, env=COLD)
    bench.ihk("fortschreibung, 0 % geändert, warm", "fortschreibung", zero, "-o", md)
    bench.ihk("fortschreibung, 20 % geändert, kalt", "fortschreibung", "2005..2006", "-o", md,
              env=COLD)  # fmt: skip
    bench.ihk("fortschreibung, 20 % geändert, warm", "fortschreibung", "2005..2006", "-o", md)
    bench.floor(
        "Boden: git diff-tree 2005..2006", ["git", "diff-tree", "-r", "stand-2005", "stand-2006"]
    )
    ident = _touched_id(root)
    commits = args.commits + 3
    bench.ihk("log -n 500", "log", "-n", "500")
    bench.ihk(f"log ({commits} Commits), kalt", "log", env=COLD)
    bench.ihk(f"log ({commits} Commits), warm", "log")
    bench.ihk("log --format json", "log", "--format", "json")
    bench.ihk("log --seit 2006", "log", "--seit", "2006")
    bench.ihk("log ID", "log", ident)
    bench.floor("Boden: git log --name-status -n 500", ["git", "log", "--name-status", "-n", "500"])
    bench.floor("Boden: git log --name-status", ["git", "log", "--name-status"])
    bench.floor("Boden: git log -- DATEI", ["git", "log", "--", f"massnahmen/{ident}.yaml"])
    _writes(bench)


def _touched_id(root: Path) -> str:
    """A measure that the history changed several times (what ``log ID`` is for)."""
    out = git(root, "log", "--format=", "--name-only", "-n", "300", "--", "massnahmen")
    counts: dict[str, int] = {}
    for line in out.split():
        if (root / line).exists():
            counts[line] = counts.get(line, 0) + 1
    best = max(sorted(counts), key=lambda p: counts[p])
    return Path(best).stem


def _writes(bench: Bench) -> None:
    """``set`` and ``add``, each run with its commit; afterwards the register is put
    back to the Stand 2006 (the commits stay unreachable, as after any reset)."""
    root = bench.root
    if not bench.wanted("set"):
        return
    ident = sorted(os.listdir(root / "massnahmen"))[0][: -len(".yaml")]
    flip = iter(range(10**6))

    def state() -> str:
        text = (root / "massnahmen" / f"{ident}.yaml").read_text("utf-8")
        return "abgeschlossen" if "status: in_umsetzung" in text else "in_umsetzung"

    runs: dict[str, list[Measured]] = {v: [] for v in bench.variants}
    for _ in range(bench.repeat):
        for variant, extra in bench.variants.items():
            runs[variant].append(run_once([*IHK, "set", ident, f"status={state()}"], root, extra))
            title = f"Neue Maßnahme Nummer {random.Random(next(flip)).randint(0, 10**9)}"
            cmd = ["add", "massnahme", "--titel", title, "--oberziel", "wohnen", "--stbauf"]
            runs.setdefault(f"add {variant}", []).append(
                run_once([*IHK, *cmd, "--trotzdem"], root, extra)
            )
    bench._note("set (mit Commit)", {v: summary(runs[v]) for v in bench.variants})
    bench._note("add (mit Commit)", {v: summary(runs[f"add {v}"]) for v in bench.variants})
    git(root, "reset", "-q", "--hard", "stand-2006")


def main() -> None:
    parser = argparse.ArgumentParser()
    default = [1000, 10000] + ([100000] if os.environ.get("IHK_BENCH_100K") else [])
    parser.add_argument("--sizes", type=int, nargs="+", default=default)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--baseline", help="src-Ordner eines anderen ihk, zum Vergleich")
    parser.add_argument("--no-peer", action="store_true", help="check-jsonschema auslassen")
    parser.add_argument(
        "--only", nargs="+", metavar="TEXT", help="nur Messungen, deren Name TEXT enthält"
    )
    parser.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON hierhin")
    args = parser.parse_args()
    if args.baseline:
        args.baseline = str(Path(args.baseline).resolve())
    WORK.mkdir(exist_ok=True)
    table = Table(args.sizes, [BEFORE, AFTER] if args.baseline else [AFTER])
    Bench(table, args.sizes[0], HERE, args).ihk("ihk --help", "--help")
    tool = None if args.no_peer else peer_venv()
    for size in args.sizes:
        bench_size(table, size, args, tool)
    print()
    print(f"Mediane aus {args.repeat} Läufen; Spitzenspeicher (max. RSS) je Prozess")
    print(table.markdown())
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    n: {f"{s} {v}": vars(m) for (s, v), m in r.items()}
                    for n, r in table.rows.items()
                },
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
