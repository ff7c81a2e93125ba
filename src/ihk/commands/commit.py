"""ihk commit: commit what was changed by hand or with --no-commit, after checking it."""

from __future__ import annotations

from dataclasses import dataclass

from ihk.commands.records import record_changes_text
from ihk.errors import InvalidInput, Refused
from ihk.kinds import parse_relpath
from ihk.workspace import Workspace


@dataclass
class Committed:
    commit: str
    files: list[str]  # display paths
    summary: list[str]  # one German line per changed record
    warnings: list[str]


def commit_pending(ws: Workspace, message: str | None = None) -> Committed:
    """Commit every pending change of the register's files, if the register is valid."""
    with ws.locked():
        repo = ws.git
        base = repo.relpath(ws.root)
        prefix = f"{base}/" if base else ""
        paths = [p for p in repo.changed_paths(base) if p.startswith(prefix)]
        if not paths:
            raise Refused("Nichts zu committen: das Register hat keine offenen Änderungen")
        register = ws.load()
        if register.errors:
            raise InvalidInput(
                "Das Register ist ungültig; so wird nichts committet", register.errors
            )
        head = {f.path: f.sha for f in repo.tree("HEAD", base)} if repo.has_head() else {}
        old = repo.read_blobs(head[p] for p in paths if p in head)
        summary = []
        for path in paths:
            rel = path[len(prefix) :]
            parsed = parse_relpath(rel)
            if parsed is None:
                continue
            kind, ident = parsed
            before = old.get(head.get(path, ""))
            now = ws.root / rel
            after = now.read_bytes() if now.exists() else None
            summary.append(f"{kind.label} {ident}: {record_changes_text(kind, before, after)}")
        text = message or (
            "Register: " + "; ".join(summary)
            if summary
            else f"Register: {len(paths)} Datei{'en' if len(paths) > 1 else ''} geändert"
        )
        sha = repo.commit_files([repo.root / p for p in paths], text)
        return Committed(sha, [ws.display(p[len(prefix) :]) for p in paths], summary, repo.warnings)
