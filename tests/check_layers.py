"""Holds the architecture's lines. Run by `make lint`; exit 1 on any breach.

1. Layers: every module of src/ihk has a place in ``LAYERS`` (top to bottom). A module
   may import only modules placed *below* it, so the order is also the internal order
   within a layer and there can be no cycles. Every import counts, also one inside a
   function or under ``TYPE_CHECKING``.
2. Owners: an outside library is imported only by the module that wraps it.

Usage: python tests/check_layers.py [SRC_DIR]   (default: src/ihk of this checkout)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "ihk"

#: Top to bottom; each inner list is one layer of the architecture, in its internal
#: order (a module may import the ones after it, never the ones before).
LAYERS: list[list[str]] = [
    ["__main__"],
    # the command line: parses and prints
    [
        "cli",
        "cli.exchange",
        "cli.reports",
        "cli.records",
        "cli.register",
        "cli.history",
        "cli.verbs",
        "cli.monitor",
        "cli.prompts",
        "cli.main",
        "cli.options",
        "cli.completion",
        "cli.lookup",
        "cli.showtext",
        "cli.console",
        "cli.i18n",
    ],
    # one function per command: plain values in, data out
    [
        "commands",
        "commands.demo",
        "commands.monitor",
        "commands.events",
        "commands.commit",
        "commands.remove",
        "commands.import_table",
        "commands.records",
        "commands.export",
        "commands.finanzen",
        "commands.fortschreibung",
        "commands.dokument",
        "commands.history",
        "commands.init",
        "commands.status",
        "commands.validate",
        "commands.schema",
    ],
    # reports, documents, writing
    [
        "export_xlsx",
        "export_csv",
        "export_md",
        "importer",
        "daten",
        "ratsfassung",
        "tabelle",
        "fortschreibung",
        "kuf",
        "charts",
        "monitoring",
        "render",
        "xlsx",
        "pdf",
        "word",
        "github",
        "sarif",
        "codequality",
        "snapshot",
        "writer",
    ],
    # the register: finding, loading, checking
    ["workspace", "register", "checks", "validation", "schema"],
    # the model, the vocabulary and the wrappers of outside tools
    [
        "kinds",
        "models",
        "dokument",
        "vocab",
        "fields",
        "markdown",
        "csvfile",
        "yamlio",
        "gitrepo",
        "lock",
        "cache",
    ],
    ["errors", "__init__"],
]

#: outside library -> the only modules that may import it
OWNERS = {
    "subprocess": {"gitrepo"},
    "marshal": {"cache"},
    "yaml": {"yamlio"},
    "ruamel": {"yamlio"},
    "typer": {
        "cli.main",
        "cli.exchange",
        "cli.reports",
        "cli.records",
        "cli.register",
        "cli.history",
        "cli.verbs",
        "cli.monitor",
        "cli.options",
        "cli.i18n",
    },
    "click": set(),
    "rich": {"cli.console"},
    "jinja2": {"render"},
    "markupsafe": {"render"},
    "weasyprint": {"pdf"},
    "docx": {"word"},
    "matplotlib": {"charts"},
    "openpyxl": {"xlsx"},
}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from ihk.cli import main" imports the module ihk.cli.main
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def module_name(src: Path, path: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def check(src: Path) -> list[str]:
    rank = {name: i for i, name in enumerate(m for layer in LAYERS for m in layer)}
    modules = {module_name(src, p): p for p in sorted(src.rglob("*.py"))}
    problems = [
        f"{path}: module {name} has no place in LAYERS (tests/check_layers.py)"
        for name, path in modules.items()
        if name not in rank
    ]
    for name, path in modules.items():
        for imported in sorted(imports(path)):
            top = imported.split(".")[0]
            owners = OWNERS.get(top)
            if owners is not None and name not in owners:
                problems.append(f"{path}: imports {imported}, which only {sorted(owners)} may")
            if top != "ihk":
                continue
            target = imported.removeprefix("ihk").lstrip(".") or "__init__"
            if target not in modules or name not in rank or target not in rank:
                continue
            if name == target or name.startswith(target + "."):
                continue  # a module's own package, loaded anyway
            if rank[target] <= rank[name]:
                problems.append(f"{path}: {name} imports {target}, which is not below it in LAYERS")
    return problems


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else SRC
    problems = check(src)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
