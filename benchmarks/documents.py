"""Time the documents for the council, cold (a fresh process per run).

    .venv/bin/python benchmarks/documents.py [--size 1000] [--repeat 3]

The demo's Fortschreibung 2005..2006 and the IHK table of a synthetic register of
``--size`` measures, each as HTML, PDF and Word; one line per measurement (the median of
``--repeat`` runs) with the number of PDF pages. WeasyPrint's layout dominates the PDF.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import IHK, WORK, git


def timed(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)}: {done.stderr}")
    return statistics.median(times)


def pages(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        return ""
    return f", {len(PdfReader(path).pages)} Seiten"


def measure(label: str, command: list[str], target: Path, repeat: int) -> None:
    """Time ``command``, which writes ``target``."""
    seconds = timed(command, repeat)
    extra = pages(target) if target.suffix == ".pdf" else ""
    size = target.stat().st_size // 1024
    print(f"  {label} {target.suffix}: {seconds:.2f} s ({size} KB{extra})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out = WORK / "dokumente"
    out.mkdir(parents=True, exist_ok=True)

    demo = out / "belm-powe"
    if not demo.exists():
        subprocess.run([*IHK, "demo", str(demo)], check=True, stdout=subprocess.DEVNULL)
    print("Demo-Register Belm-Powe, Fortschreibung 2005..2006:")
    for suffix in (".md", ".html", ".pdf", ".docx"):
        target = out / f"fortschreibung{suffix}"
        cmd = [*IHK, "--register", str(demo), "fortschreibung", "2005..2006", "-o", str(target)]
        measure("ihk fortschreibung", cmd, target, args.repeat)

    root = out / f"register-{args.size}"
    generate(root, args.size)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Stand 2006", date="2006-12-15T12:00:00")
    print(f"IHK-Tabelle von {args.size} Maßnahmen:")
    for suffix in (".xlsx", ".html", ".pdf", ".docx"):
        target = out / f"ihk-{args.size}{suffix}"
        cmd = [*IHK, "--register", str(root), "export", str(target)]
        measure("ihk export", cmd, target, args.repeat)


if __name__ == "__main__":
    main()
