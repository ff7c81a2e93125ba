"""The only module that talks to git (through GitPython driving git's plumbing).

Everything a user types that reaches git goes after ``--end-of-options`` or ``--``,
so a revision like ``--output=x`` can never be read as an option.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ihk.errors import GitError, UsageError

_NULL_SHA = "0" * 40


@dataclass(frozen=True)
class Commit:
    sha: str
    parent: str | None
    author: str
    date: _dt.datetime  # committer date, with the committer's offset
    message: str


@dataclass(frozen=True)
class TreeFile:
    path: str  # relative to the repository root
    sha: str


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D (renames come as D + A)
    path: str
    old_sha: str | None
    new_sha: str | None


def _git_error(e: Any, what: str) -> GitError:
    detail = (getattr(e, "stderr", "") or "").strip().replace("stderr: ", "").strip("' \n")
    return GitError(f"{what}: {detail}" if detail else what)


class GitRepo:
    def __init__(self, repo: Any) -> None:
        self._repo = repo
        self.root = Path(repo.working_tree_dir)
        self.git = repo.git

    # -- finding and creating -------------------------------------------------

    @classmethod
    def discover(cls, path: Path) -> GitRepo | None:
        import git

        try:
            return cls(git.Repo(path, search_parent_directories=True))
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None

    @classmethod
    def require(cls, path: Path) -> GitRepo:
        repo = cls.discover(path)
        if repo is None:
            raise UsageError(f"{path}: das Register liegt nicht in einem git-Repository")
        return repo

    @classmethod
    def init(cls, path: Path) -> GitRepo:
        import git

        try:
            return cls(git.Repo.init(path, initial_branch="main"))
        except git.GitCommandError as e:
            raise _git_error(e, "git init ist fehlgeschlagen") from None

    def relpath(self, path: Path) -> str:
        """Path relative to the repository root, "/"-separated ("" for the root)."""
        rel = os.path.relpath(path.resolve(), self.root.resolve())
        return "" if rel == "." else rel.replace(os.sep, "/")

    # -- writing ----------------------------------------------------------------

    def use_identity(self, name: str, email: str) -> None:
        """Make every later git call of this object author and commit as ``name``."""
        self.git.update_environment(
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email,
        )

    def identity_missing(self) -> bool:
        import git

        try:
            self.git.var("GIT_COMMITTER_IDENT")
            self.git.var("GIT_AUTHOR_IDENT")
        except git.GitCommandError:
            return True
        return False

    def commit_paths(self, paths: Iterable[Path], message: str, date: str | None = None) -> str:
        """Commit exactly ``paths`` (as they are in the working tree) and nothing else.

        ``git commit --only`` leaves whatever else the user has staged untouched.
        """
        import git

        rels = [self.relpath(p) for p in paths]
        env = {}
        if date:
            env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        try:
            existing = [r for r in rels if (self.root / r).exists()]
            if existing:
                self.git.add("--", *existing)
            self.git.commit("--only", "--no-verify", "-q", "-m", message, "--", *rels, env=env)
        except git.GitCommandError as e:
            raise _git_error(e, "git commit ist fehlgeschlagen") from None
        return str(self.git.rev_parse("HEAD"))

    def unstage(self, paths: Iterable[Path]) -> None:
        import git

        with contextlib.suppress(git.GitCommandError):  # best effort during a rollback
            self.git.rm(
                "--cached", "-q", "--ignore-unmatch", "--", *[self.relpath(p) for p in paths]
            )

    def has_head(self) -> bool:
        return self.resolve("HEAD") is not None

    def is_dirty(self, rel: str) -> bool:
        out = self.git.status("--porcelain", "--untracked-files=all", "--", rel or ".")
        return bool(out.strip())

    def tag_exists(self, name: str) -> bool:
        return self.resolve(f"refs/tags/{name}") is not None

    def create_tag(self, name: str, message: str, date: str | None = None) -> None:
        import git

        env = {"GIT_COMMITTER_DATE": date} if date else {}
        try:
            self.git.tag("-a", "-m", message, "--", name, "HEAD", env=env)
        except git.GitCommandError as e:
            raise _git_error(e, f"Tag {name} konnte nicht angelegt werden") from None

    # -- reading ----------------------------------------------------------------

    def resolve(self, rev: str) -> str | None:
        """The commit a revision names, or None."""
        import git

        try:
            return str(
                self.git.rev_parse("--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
            )
        except git.GitCommandError:
            return None

    def last_commit_on_or_before(self, day: str) -> Commit | None:
        """Newest first-parent commit of HEAD made on or before ``day`` (YYYY-MM-DD).

        The day is read in the committer's own time zone, so a commit made late on
        31 December counts for that year wherever the command runs.
        """
        import git

        try:
            out = self.git.log("--first-parent", "--format=%H %cI", "HEAD")
        except git.GitCommandError:
            return None
        for line in out.splitlines():
            sha, date = line.split(" ", 1)
            if date[:10] <= day:
                return self.commit(sha)
        return None

    def commit(self, sha: str) -> Commit:
        out = self.git.show("-s", "--format=%H%x00%P%x00%an%x00%cI%x00%B", sha)
        return _parse_commit(out)

    def log(self, rel: str) -> list[Commit]:
        import git

        try:
            out = self.git.log("--format=%H%x00%P%x00%an%x00%cI%x00%B%x1e", "--", rel or ".")
        except git.GitCommandError as e:
            if not self.has_head():
                return []
            raise _git_error(e, "git log ist fehlgeschlagen") from None
        return [_parse_commit(chunk.strip("\n")) for chunk in out.split("\x1e") if chunk.strip()]

    def tags_at(self) -> dict[str, list[str]]:
        """Commit sha -> names of the tags that point at it."""
        out = self.git.for_each_ref(
            "--format=%(*objectname) %(objectname) %(refname:short)", "refs/tags"
        )
        result: dict[str, list[str]] = {}
        for line in out.splitlines():
            peeled, sha, name = line.split(" ", 2)
            result.setdefault(peeled or sha, []).append(name)
        return result

    def tree(self, rev: str, rel: str) -> list[TreeFile]:
        """Every file below ``rel`` at ``rev`` with its blob id."""
        out = self.git.ls_tree("-r", "-z", "--full-tree", rev, "--", rel or ".")
        files = []
        for item in out.split("\x00"):
            if not item:
                continue
            meta, path = item.split("\t", 1)
            _, kind, sha = meta.split()
            if kind == "blob":
                files.append(TreeFile(path, sha))
        return files

    def changes(self, old: str | None, new: str, rel: str) -> list[Change]:
        """Files below ``rel`` that differ between two commits (old None: the empty tree)."""
        args = ["-r", "-z", "--no-renames", "--no-commit-id"]
        if old is None:
            args += ["--root", new]
        else:
            args += [old, new]
        out = self.git.diff_tree(*args, "--", rel or ".")
        return _parse_raw(out)

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Contents of many blobs from one ``git cat-file --batch`` run.

        All ids go in at once and the answers are read in one stream: about ten times
        faster than a request/answer round trip per blob.
        """
        import subprocess

        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        run = subprocess.run(
            [self.git.GIT_PYTHON_GIT_EXECUTABLE or "git", "cat-file", "--batch"],
            cwd=self.root,
            input="".join(f"{sha}\n" for sha in wanted).encode(),
            capture_output=True,
            check=False,
        )
        if run.returncode != 0:
            raise GitError(
                f"git cat-file ist fehlgeschlagen: {run.stderr.decode(errors='replace').strip()}"
            )
        out, pos, result = run.stdout, 0, {}
        for sha in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) != 3:
                raise GitError(f"git kennt das Objekt {sha} nicht")
            size = int(header[2])
            result[sha] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        return result


def blob_sha(data: bytes) -> str:
    """The id git gives a blob with these bytes (to compare the working tree cheaply)."""
    import hashlib

    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def _parse_commit(out: str) -> Commit:
    sha, parents, author, date, message = out.split("\x00", 4)
    parent = parents.split()[0] if parents.strip() else None
    return Commit(sha, parent, author, _dt.datetime.fromisoformat(date), message.strip())


def _parse_raw(out: str) -> list[Change]:
    parts = iter(out.split("\x00"))
    changes = []
    for meta in parts:
        if not meta.startswith(":"):
            continue
        path = next(parts)
        _, _, old_sha, new_sha, status = meta[1:].split()
        changes.append(
            Change(
                status[0],
                path,
                None if old_sha == _NULL_SHA else old_sha,
                None if new_sha == _NULL_SHA else new_sha,
            )
        )
    return changes
