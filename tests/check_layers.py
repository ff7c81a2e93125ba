"""Holds the architecture's lines: which modules may import which outside libraries,
and that nothing below the CLI imports it. Run by `make lint`."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "ihk"

#: outside library -> the only modules that may import it
OWNERS = {
    "git": {"gitrepo"},
    "gitdb": {"gitrepo"},
    "yaml": {"yamlio"},
    "ruamel": {"yamlio"},
    "typer": {"cli", "i18n"},
    "rich": {"console"},
    "jinja2": {"render"},
}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def main() -> int:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).with_suffix("").as_posix().replace("/", ".")
        for name in imports(path):
            top = name.split(".")[0]
            owners = OWNERS.get(top)
            if owners is not None and module not in owners:
                problems.append(f"{path}: imports {name}, which only {sorted(owners)} may")
            if name == "ihk.cli" and module != "__main__":
                problems.append(f"{path}: imports ihk.cli; nothing below the CLI may")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
