"""The only module that talks to git.

ihk runs git's own commands in child processes and reads their exact output:
``rev-parse``, ``ls-tree -z``, ``diff-tree -z``, ``log --format=%H`` and one
``cat-file --batch`` run for many objects (commits are parsed from their raw bytes,
so no message content can confuse the parser). Rules that hold for every call:

- Anything a user types reaches git after ``--end-of-options`` or ``--``.
- Paths are literal (``GIT_LITERAL_PATHSPECS=1``): a folder named ``reg*`` or
  ``:(glob)x`` means exactly that folder.
- Reading never takes git's optional locks (``GIT_OPTIONAL_LOCKS=0``), so ihk never
  makes a concurrent ``git commit`` of the user fail.
- git's messages are read in the C locale; every failure becomes a German ``IhkError``
  (git's own words are appended as "git meldet: …").

Commits go through :meth:`GitRepo.commit_files`: built in a temporary index, committed
by the real ``git commit`` (hooks and signing apply), and only then is the user's index
updated for exactly the committed paths.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as _dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ihk.errors import GitError, Refused, UsageError

_GIT = "git"
_HEX = re.compile(r"[0-9a-f]{4,64}")
_UTC = _dt.UTC

#: What each marker file in the git dir means, and how the user gets out of it.
_IN_PROGRESS = (
    ("MERGE_HEAD", "eine Zusammenführung (merge)", "git commit", "git merge --abort"),
    (
        "CHERRY_PICK_HEAD",
        "ein cherry-pick",
        "git cherry-pick --continue",
        "git cherry-pick --abort",
    ),
    ("REVERT_HEAD", "ein revert", "git revert --continue", "git revert --abort"),
    ("rebase-merge", "ein rebase", "git rebase --continue", "git rebase --abort"),
    ("rebase-apply", "ein rebase", "git rebase --continue", "git rebase --abort"),
    ("BISECT_LOG", "eine Fehlersuche mit git bisect", "", "git bisect reset"),
)


@dataclass(frozen=True)
class Commit:
    sha: str
    parent: str | None
    author: str
    date: _dt.datetime  # committer date, with the committer's offset (UTC if unusable)
    message: str


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    date: _dt.datetime  # the tagger's date for an annotated tag, else the commit's
    message: str
    annotated: bool


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


# -- running git ----------------------------------------------------------------


def _env(extra: Mapping[str, str] | None = None, *, for_user_code: bool = False) -> dict[str, str]:
    """The environment of a git call.

    ``for_user_code``: the call runs the user's hooks or gpg (``git commit``); they get
    the user's own environment (locale, pathspec settings), not ihk's reading settings.
    """
    env = dict(os.environ)
    if not for_user_code:
        for name in ("GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"):
            env.pop(name, None)  # git refuses to combine them with literal pathspecs
        env.update(LC_ALL="C", LANGUAGE="C", GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
    if extra:
        env.update(extra)
    return env


def _run(
    args: Iterable[str],
    cwd: Path | None,
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    for_user_code: bool = False,
) -> subprocess.CompletedProcess[bytes]:
    argv = [_GIT, *args]
    if any("\x00" in a for a in argv):
        raise UsageError("Eine Angabe enthält ein NUL-Zeichen; das kann git nicht verarbeiten")
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            env=_env(env, for_user_code=for_user_code),
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        if cwd is not None and not Path(cwd).is_dir():
            raise GitError(f"Der Ordner {cwd} existiert nicht (mehr)") from None
        raise GitError(
            "git ist nicht installiert oder nicht im PATH; bitte git installieren "
            "(https://git-scm.com) und es erneut versuchen"
        ) from None
    except OSError as e:
        raise GitError(f"git konnte nicht gestartet werden: {e.strerror or e}") from None


def _detail(run: subprocess.CompletedProcess[bytes]) -> str:
    text = (
        run.stderr.decode("utf-8", "replace").strip()
        or run.stdout.decode("utf-8", "replace").strip()
    )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    detail = " / ".join(lines[-6:])
    return detail[:600]


def _failed(what: str, run: subprocess.CompletedProcess[bytes]) -> GitError:
    detail = _detail(run)
    return GitError(f"{what} (git meldet: {detail})" if detail else what)


def _text(data: bytes) -> str:
    """git output (paths, ref names) as str; undecodable bytes survive a round trip."""
    return data.decode("utf-8", "surrogateescape")


class GitRepo:
    """A git repository with a work tree, found from a folder inside it."""

    def __init__(self, root: Path, worktree_git_dir: Path, common_dir: Path, index: Path):
        self.root = root  # top of the work tree
        self.worktree_git_dir = worktree_git_dir  # HEAD, index, MERGE_HEAD, ... of this worktree
        self.git_dir = common_dir  # refs, objects, ihk.lock: shared by all worktrees
        self._index = index  # the user's index (honours GIT_INDEX_FILE)
        self._identity: dict[str, str] = {}
        #: German notes on problems after a commit succeeded (for the caller to show)
        self.warnings: list[str] = []

    # -- finding and creating -------------------------------------------------

    @classmethod
    def discover(cls, path: Path) -> GitRepo | None:
        """The repository whose work tree holds ``path``; None if there is none.

        Raises ``GitError`` (German) when there is a repository that cannot be used:
        a bare one, one git does not trust ("dubious ownership"), a broken one, or no
        git at all.
        """
        path = Path(path)
        if not path.exists():
            return None
        start = path if path.is_dir() else path.parent
        run = _run(
            [
                "rev-parse",
                "--is-inside-work-tree",
                "--is-bare-repository",
                "--absolute-git-dir",
                "--git-common-dir",
            ],
            start,
        )
        if run.returncode != 0:
            err = run.stderr.decode("utf-8", "replace")
            if "dubious ownership" in err:
                where = re.search(r"repository at '(.*)'", err)
                folder = where.group(1) if where else str(start)
                raise GitError(
                    f"git vertraut dem Repository {folder} nicht, weil es einem anderen "
                    "Benutzer gehört („dubious ownership“). Wenn Sie ihm vertrauen, "
                    "tragen Sie es einmal als sicher ein:\n"
                    f"  git config --global --add safe.directory {folder}"
                )
            if "not a git repository" in err:
                return None
            raise _failed(f"git kann das Repository bei {start} nicht öffnen", run)
        answer = _text(run.stdout).splitlines()
        if len(answer) != 4:
            raise _failed(f"git beschreibt das Repository bei {start} unverständlich", run)
        inside, bare, git_dir, common = answer
        if bare == "true":
            raise GitError(
                f"{path} liegt in einem git-Repository ohne Arbeitsverzeichnis (bare: "
                f"{git_dir}). Ein Register braucht ein normales Repository: bitte mit "
                f"„git clone {git_dir} ORDNER“ eines anlegen und dort arbeiten."
            )
        if inside != "true":
            raise GitError(
                f"{path} liegt im Verwaltungsordner {git_dir} von git, nicht im "
                "Arbeitsverzeichnis; bitte einen Ordner außerhalb davon angeben."
            )
        run = _run(["rev-parse", "--show-toplevel", "--git-path", "index"], start)
        answer = _text(run.stdout).splitlines()
        if run.returncode != 0 or len(answer) != 2:
            raise _failed(f"git kann das Repository bei {start} nicht öffnen", run)
        top, index = answer
        return cls(
            Path(top),
            Path(git_dir),
            Path(os.path.abspath(start / common)),
            Path(os.path.abspath(start / index)),
        )

    @classmethod
    def require(cls, path: Path) -> GitRepo:
        repo = cls.discover(path)
        if repo is None:
            raise UsageError(f"{path}: das Register liegt nicht in einem git-Repository")
        return repo

    @classmethod
    def init(cls, path: Path) -> GitRepo:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        run = _run(["init", "-q", "--initial-branch=main"], path)
        if run.returncode != 0:
            raise _failed("git init ist fehlgeschlagen", run)
        repo = cls.discover(path)
        if repo is None:
            raise GitError(f"git init hat in {path} kein Repository angelegt")
        return repo

    def relpath(self, path: Path) -> str:
        """Path relative to the repository root, "/"-separated ("" for the root)."""
        rel = os.path.relpath(Path(path).resolve(), self.root.resolve())
        return "" if rel == "." else rel.replace(os.sep, "/")

    def lock(self, timeout: float = 10.0) -> contextlib.AbstractContextManager[None]:
        """The register lock of this repository (see ``ihk.lock``)."""
        from ihk.lock import register_lock

        return register_lock(self.git_dir, timeout=timeout)

    def _git(
        self,
        *args: str,
        what: str,
        env: Mapping[str, str] | None = None,
        input: bytes | None = None,
    ) -> bytes:
        """Run git in the work tree; its output, or a German GitError naming ``what``."""
        run = _run(args, self.root, env={**self._identity, **(env or {})}, input=input)
        if run.returncode != 0:
            raise _failed(what, run)
        return run.stdout

    # -- writing ----------------------------------------------------------------

    def use_identity(self, name: str, email: str) -> None:
        """Make every later git call of this object author and commit as ``name``."""
        self._identity = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }

    def identity_missing(self) -> bool:
        return identity_missing(self.root, self._identity)

    def check_can_commit(self) -> None:
        """Refuse (German ``Refused``) when a commit now could not be made cleanly.

        Run it before writing anything. Refused: a merge, cherry-pick, revert, rebase,
        ``git am`` or bisect in progress (ihk's commit would mix with it); a detached
        HEAD (the commit would belong to no branch and be lost at the next switch); a
        lock file of git (another git is running, or a crashed one left it); no git
        identity.
        """
        gd = self.worktree_git_dir
        for marker, what, go_on, abort in _IN_PROGRESS:
            if marker == "rebase-apply" and (gd / marker / "applying").exists():
                what, go_on, abort = "git am", "git am --continue", "git am --abort"
            if (gd / marker).exists():
                finish = f"abschließen ({go_on}) oder " if go_on else ""
                raise Refused(
                    f"Im Repository läuft gerade {what} ({gd / marker} existiert); "
                    "ihk committet dann nicht, damit sich nichts vermischt. Bitte erst "
                    f"{finish}abbrechen ({abort}), dann erneut versuchen. Nichts geändert."
                )
        branch = self._branch()
        if branch is None:
            raise Refused(
                "HEAD steht auf keinem Zweig (detached HEAD); ein Commit gehörte zu keinem "
                "Zweig und ginge beim nächsten Wechsel leicht verloren. Bitte erst auf einen "
                "Zweig wechseln („git switch ZWEIG“) oder einen anlegen "
                "(„git switch -c NEUER-ZWEIG“). Nichts geändert."
            )
        for lock in self._lock_files(branch):
            if lock.exists():
                raise Refused(_lock_message(lock))
        if self.identity_missing():
            raise Refused(NO_IDENTITY)

    def _branch(self) -> str | None:
        """The ref HEAD points to (refs/heads/…), also before the first commit; None if
        HEAD is detached."""
        run = _run(["symbolic-ref", "-q", "HEAD"], self.root)
        if run.returncode == 1:
            return None
        if run.returncode != 0:
            raise _failed("git kann HEAD nicht lesen", run)
        return _text(run.stdout).strip()

    def _lock_files(self, branch: str) -> list[Path]:
        return [
            self._index.with_name(self._index.name + ".lock"),
            self.worktree_git_dir / "HEAD.lock",
            self.git_dir / f"{branch}.lock",
        ]

    def commit_files(self, paths: Iterable[Path], message: str, *, date: str | None = None) -> str:
        """Commit exactly ``paths`` as they are in the work tree, and nothing else.

        A path missing from the work tree is committed as a deletion. Returns the new
        commit's sha.

        The commit is built in a temporary index (HEAD's tree plus these paths) and made
        by the real ``git commit``, so the user's hooks (pre-commit, prepare-commit-msg,
        commit-msg, reference-transaction, post-commit) and ``commit.gpgsign`` apply as
        for any commit in this repository: administrations use them to enforce their
        rules, and a commit that bypassed them would be one they never allowed. When
        they refuse, the commit fails cleanly. Meanwhile ihk holds the user's
        ``index.lock`` (as ``git commit --only`` does), so no other git changes the
        index or commits in between. Only after the commit succeeded are the user's
        index entries for exactly these paths set to the committed content; everything
        else the user staged or not stays as it was.

        On failure HEAD and the user's index are unchanged, and a German ``GitError``
        or ``Refused`` is raised; restoring the work-tree file is the caller's job.
        Once the commit exists nothing is raised any more (the caller must not undo
        the file then); a problem after it is added to ``warnings``.
        """
        rels = list(dict.fromkeys(self._inside(p) for p in paths))
        if not rels:
            raise UsageError("Nichts zu committen: keine Datei angegeben")
        self.check_can_commit()
        self._sweep_temporary_indexes()
        with self._holding_index_lock():
            old = self.resolve("HEAD")
            fd, name = tempfile.mkstemp(prefix="ihk-index-", dir=self.worktree_git_dir)
            os.close(fd)
            temp = Path(name)
            temp.unlink()  # git wants to create the index file itself
            try:
                env = {"GIT_INDEX_FILE": str(temp)}
                if old:
                    self._git("read-tree", old, what="git kann HEAD nicht lesen", env=env)
                else:
                    self._git(
                        "read-tree", "--empty", what="git read-tree ist fehlgeschlagen", env=env
                    )
                self._git(
                    "update-index", "--add", "--remove", "--", *rels,
                    what="git kann die Datei nicht aufnehmen", env=env,
                )  # fmt: skip
                if not self._differs(old, env):
                    raise Refused(
                        f"Nichts zu committen: {', '.join(rels)} ist schon so im letzten "
                        "Commit. Nichts geändert."
                    )
                new = self._commit(old, env, message, date, rels)
                self._sync_index_after_commit(new, rels)
                return new
            finally:
                for leftover in (temp, temp.with_name(temp.name + ".lock")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()

    def commit_paths(self, paths: Iterable[Path], message: str, date: str | None = None) -> str:
        """Same as :meth:`commit_files` (kept for existing callers)."""
        return self.commit_files(paths, message, date=date)

    def unstage(self, paths: Iterable[Path]) -> None:
        """Remove ``paths`` from the user's index (best effort).

        Not needed after a failed :meth:`commit_files`, which never touches the index.
        """
        with contextlib.suppress(GitError):
            self._git(
                "rm", "--cached", "-q", "--ignore-unmatch", "--",
                *[self.relpath(p) for p in paths], what="git rm",
            )  # fmt: skip

    def _inside(self, path: Path) -> str:
        rel = self.relpath(path)
        if not rel or rel == ".." or rel.startswith("../"):
            raise UsageError(f"{path} liegt nicht im git-Repository {self.root}")
        return rel

    @contextlib.contextmanager
    def _holding_index_lock(self) -> Iterator[None]:
        lock = self._index.with_name(self._index.name + ".lock")
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise Refused(_lock_message(lock)) from None
        except OSError as e:
            raise GitError(
                f"Die Sperrdatei {lock} lässt sich nicht anlegen ({e.strerror}); bitte "
                "prüfen, ob Sie in diesem git-Repository schreiben dürfen. Nichts geändert."
            ) from None
        os.close(fd)
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()

    def _sweep_temporary_indexes(self) -> None:
        """Remove temporary indexes left by an ihk that was killed (older than an hour)."""
        cutoff = time.time() - 3600
        for leftover in self.worktree_git_dir.glob("ihk-index-*"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    def _differs(self, old: str | None, env: Mapping[str, str]) -> bool:
        if old is None:
            return bool(self._git("ls-files", "-z", what="git ls-files", env=env))
        run = _run(
            ["diff-index", "--cached", "--quiet", old, "--"],
            self.root,
            env={**self._identity, **env},
        )
        if run.returncode not in (0, 1):
            raise _failed("git kann den Index nicht mit HEAD vergleichen", run)
        return run.returncode == 1

    def _commit(
        self,
        old: str | None,
        env: Mapping[str, str],
        message: str,
        date: str | None,
        rels: list[str],
    ) -> str:
        dates = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
        full_env = {**self._identity, **dates, **env}
        try:
            run = _run(["commit", "-q", "-m", message], self.root, env=full_env, for_user_code=True)
        except BaseException:
            # Interrupted (Ctrl-C): if git got as far as moving HEAD, the commit exists;
            # keep the user's index in step with it before giving up.
            new = self._new_head(old)
            if new:
                with contextlib.suppress(Exception):
                    self._sync_index(new, rels)
            raise
        new = self._new_head(old)
        if new:  # also if git reported a failure after it had committed: the commit stands
            return new
        for lock in self._lock_files(self._branch() or "HEAD")[1:]:  # [0] is ours
            if lock.exists():
                raise GitError(_lock_message(lock))
        reasons = (
            "Die Commit-Nachricht ist leer."
            if not message.strip()
            else "Meist hat ein git-Hook (z. B. pre-commit oder commit-msg) abgelehnt oder "
            "die Signatur (commit.gpgsign) ist fehlgeschlagen."
        )
        raise _failed(
            f"git hat den Commit abgelehnt; nichts wurde committet, HEAD und Index sind "
            f"unverändert. {reasons}",
            run,
        )

    def _new_head(self, old: str | None) -> str | None:
        """HEAD if it is a new commit on top of ``old``, else None."""
        head = self.resolve("HEAD")
        if head is None or head == old:
            return None
        parent = self.resolve(f"{head}^")
        return head if parent == old else None

    def _sync_index_after_commit(self, commit: str, rels: list[str]) -> None:
        """Like ``_sync_index``, but never raises: the commit exists, so a caller must not
        undo the file. A problem is kept in ``warnings`` with what to do."""
        try:
            self._sync_index(commit, rels)
        except (GitError, OSError) as e:
            detail = e.message if isinstance(e, GitError) else str(e)
            self.warnings.append(
                f"Commit {commit[:10]} ist gemacht, aber git konnte den Index für "
                f"{', '.join(rels)} nicht nachführen ({detail}). Bitte "
                f"„git reset -q -- {' '.join(rels)}“ ausführen, sonst sieht git diese "
                "Dateien als geändert an."
            )

    def _sync_index(self, commit: str, rels: list[str]) -> None:
        """Set the user's index entries of ``rels`` to ``commit``'s, leave all others.

        We hold ``index.lock``, so the new index is built in a copy and renamed over the
        real one, as git itself writes its index.
        """
        fd, name = tempfile.mkstemp(prefix="ihk-index-", dir=self.worktree_git_dir)
        os.close(fd)
        copy = Path(name)
        try:
            if self._index.exists():
                shutil.copyfile(self._index, copy)
                os.chmod(copy, self._index.stat().st_mode & 0o7777)
            else:
                copy.unlink()
            self._git(
                "reset", "-q", commit, "--", *rels,
                what="Der Commit ist gemacht, aber git konnte den Index nicht nachführen",
                env={"GIT_INDEX_FILE": str(copy)},
            )  # fmt: skip
            os.replace(copy, self._index)
        finally:
            for leftover in (copy, copy.with_name(copy.name + ".lock")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def has_head(self) -> bool:
        return self.resolve("HEAD") is not None

    def is_dirty(self, rel: str) -> bool:
        return bool(self.changed_paths(rel))

    def changed_paths(self, rel: str) -> list[str]:
        """Paths below ``rel`` (repository-relative) that differ from HEAD in the index
        or the working tree, untracked files included; renames as both paths."""
        out = self._git(
            "status", "--porcelain", "-z", "--untracked-files=all", "--no-renames",
            "--", rel or ".",
            what="git status ist fehlgeschlagen",
        )  # fmt: skip
        return [_text(item[3:]) for item in out.split(b"\x00") if len(item) > 3]

    def tag_exists(self, name: str) -> bool:
        return self.resolve(f"refs/tags/{name}") is not None

    def create_tag(
        self, name: str, message: str, date: str | None = None, *, move: bool = False
    ) -> None:
        """An annotated tag on HEAD (``move``: replace an existing one of that name)."""
        env = {"GIT_COMMITTER_DATE": date} if date else {}
        run = _run(
            ["tag", "-a", *(["-f"] if move else []), "-m", message, "--", name, "HEAD"],
            self.root,
            env={**self._identity, **env},
            for_user_code=True,  # signing (tag.gpgSign) and hooks are the user's
        )
        if run.returncode != 0:
            raise _failed(f"Der Tag {name} konnte nicht angelegt werden", run)

    # -- reading ----------------------------------------------------------------

    def resolve(self, rev: str) -> str | None:
        """The commit a revision names, or None if it names none."""
        run = _run(
            ["rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}"], self.root
        )
        if run.returncode == 0:
            return _text(run.stdout).strip()
        if run.returncode == 1:  # --verify -q: no such revision
            return None
        raise _failed(f"git kann „{rev}“ nicht auflösen", run)

    def last_commit_on_or_before(self, day: str) -> Commit | None:
        """Newest first-parent commit of HEAD made on or before ``day`` (YYYY-MM-DD).

        The day is read in the committer's own time zone, so a commit made late on
        31 December counts for that year wherever the command runs.
        """
        if not self.has_head():
            return None
        out = self._git(
            "log", "--first-parent", "--date=raw", "--format=%H %cd", "HEAD",
            what="git log ist fehlgeschlagen",
        )  # fmt: skip
        for line in _text(out).splitlines():
            sha, _, raw = line.partition(" ")
            seconds, _, offset = raw.partition(" ")
            if _date(seconds, offset).date().isoformat() <= day:
                return self.commit(sha)
        return None

    def commit(self, sha: str) -> Commit:
        if not _HEX.fullmatch(sha):
            found = self.resolve(sha)
            if found is None:
                raise GitError(f"„{sha}“ ist kein Commit in diesem Repository")
            sha = found
        return self._commits([sha])[0]

    def log(
        self,
        rel: str,
        *,
        since: str | None = None,
        until: str | None = None,
        max_count: int | None = None,
    ) -> list[Commit]:
        """Commits of HEAD that touched ``rel`` ("" for all), newest first; ``since`` and
        ``until`` are dates git understands (``@UNIXZEIT``)."""
        if not self.has_head():
            return []
        limits = _log_limits(since, until, max_count)
        out = self._git(
            *_NO_FOLLOW, "log", "--format=%H", *limits, "--", rel or ".",
            what="git log ist fehlgeschlagen",
        )  # fmt: skip
        return self._commits(_text(out).split())

    def log_changes(
        self,
        rel: str,
        *,
        since: str | None = None,
        until: str | None = None,
        max_count: int | None = None,
    ) -> list[tuple[Commit, list[Change]]]:
        """The commits of :meth:`log`, each with the files below ``rel`` it changed
        (against its first parent, as :meth:`changes` gives them), from one
        ``git log --raw`` run; the commits themselves come from one ``cat-file`` run.
        A merge's changes are asked of ``diff-tree`` (``git log`` shows none for it)."""
        if not self.has_head():
            return []
        limits = _log_limits(since, until, max_count)
        out = self._git(
            "-c", "log.showRoot=true", *_NO_FOLLOW, "log", "--format=%x01%H %P", "--raw", "-z",
            "--no-abbrev", "--no-renames", "--no-color", "--no-show-signature", *limits,
            "--", rel or ".",
            what="git log ist fehlgeschlagen",
        )  # fmt: skip
        found: list[tuple[str, list[str], list[Change]]] = []
        parts = iter(_text(out).split("\x00"))
        for part in parts:
            token = part.lstrip("\n")
            if token.startswith("\x01"):
                sha, *parents = token[1:].split()
                found.append((sha, parents, []))
            elif token.startswith(":") and found:
                found[-1][2].append(_change(token, next(parts, "")))
        commits = {c.sha: c for c in self._commits([sha for sha, _, _ in found])}
        result = []
        for sha, parents, changes in found:
            if len(parents) > 1:
                changes = self.changes(parents[0], sha, rel)
            result.append((commits[sha], changes))
        return result

    def _commits(self, shas: list[str]) -> list[Commit]:
        objects = self._cat(shas)
        result = []
        for sha in shas:
            kind, data = objects[sha]
            if kind != "commit":
                raise GitError(f"{sha} ist kein Commit, sondern ein {kind}")
            result.append(_parse_commit(sha, data))
        return result

    def tags_at(self) -> dict[str, list[str]]:
        """Commit sha -> names of the tags that point at it."""
        out = self._git(
            "for-each-ref", "--format=%(*objectname) %(objectname) %(refname:lstrip=2)",
            "refs/tags", what="git kann die Tags nicht lesen",
        )  # fmt: skip
        result: dict[str, list[str]] = {}
        for line in _text(out).splitlines():
            peeled, sha, name = line.split(" ", 2)
            result.setdefault(peeled or sha, []).append(name)
        return result

    def tags(self, prefix: str) -> list[Tag]:
        """Tags whose name starts with ``prefix``, with commit, date and message."""
        out = self._git(
            "for-each-ref",
            "--format=%(refname:lstrip=2)%00%(*objectname)%00%(objectname)%00"
            "%(taggerdate:unix) %(taggerdate:format:%z)%00%(creatordate:unix) "
            "%(creatordate:format:%z)%00%(contents:subject)%00%(objecttype)",
            f"refs/tags/{prefix}*",
            what="git kann die Tags nicht lesen",
        )
        result = []
        for line in _text(out).splitlines():
            name, peeled, sha, tagged, created, subject, kind = line.split("\x00")
            when = tagged if tagged.strip() else created
            seconds, _, offset = when.partition(" ")
            result.append(
                Tag(name, peeled or sha, _date(seconds, offset or "+0000"), subject, kind == "tag")
            )
        return result

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether commit ``older`` is ``newer`` or one of its ancestors."""
        run = _run(["merge-base", "--is-ancestor", older, newer], self.root)
        if run.returncode not in (0, 1):
            raise _failed("git kann die Reihenfolge der Commits nicht bestimmen", run)
        return run.returncode == 0

    def first_commit(self, rel: str) -> Commit | None:
        """The oldest commit of HEAD that touched ``rel``."""
        if not self.has_head():
            return None
        out = self._git(
            "log", "--reverse", "--format=%H", "--", rel or ".", what="git log ist fehlgeschlagen"
        )
        shas = _text(out).split()
        return self._commits(shas[:1])[0] if shas else None

    def tree(self, rev: str, rel: str) -> list[TreeFile]:
        """Every file below ``rel`` at ``rev`` with its blob id."""
        out = self._git(
            "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev, "--", rel or ".",
            what=f"git kann den Stand {rev} nicht lesen",
        )  # fmt: skip
        files = []
        for item in _text(out).split("\x00"):
            if not item:
                continue
            meta, path = item.split("\t", 1)
            _, kind, sha = meta.split()
            if kind == "blob":
                files.append(TreeFile(path, sha))
        return files

    def changes(self, old: str | None, new: str, rel: str) -> list[Change]:
        """Files below ``rel`` that differ between two commits (old None: the empty tree)."""
        args = ["diff-tree", "-r", "-z", "--no-renames", "--no-commit-id"]
        if old is None:
            args += ["--root", "--end-of-options", new]
        else:
            args += ["--end-of-options", old, new]
        out = self._git(*args, "--", rel or ".", what="git kann die Änderungen nicht lesen")
        return _parse_raw(_text(out))

    def deleted_between(self, old: str, new: str, rel: str) -> list[Change]:
        """Files below ``rel`` deleted by a commit after ``old`` up to ``new``, newest
        deletion first, each with the blob it had before (``old_sha``)."""
        out = self._git(
            "log", "--format=", "--raw", "-z", "--no-renames", "--diff-filter=D",
            "--end-of-options", f"{old}..{new}", "--", rel or ".",
            what="git kann die Geschichte nicht lesen",
        )  # fmt: skip
        return _parse_raw(_text(out))

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Contents of many blobs from one ``git cat-file --batch`` run.

        All ids go in at once and the answers are read in one stream: about ten times
        faster than a request/answer round trip per blob.
        """
        return {sha: data for sha, (_, data) in self._cat(shas).items()}

    def _cat(self, shas: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """Type and raw content of many objects, from one ``cat-file --batch`` run.

        Every answer states its length, so no content can be mistaken for structure.
        """
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        for sha in wanted:
            if not _HEX.fullmatch(sha):
                raise GitError(f"„{sha}“ ist keine Objekt-Kennung von git")
        out = self._git(
            "cat-file", "--batch",
            what="git kann seine Objekte nicht lesen (git cat-file)",
            input="".join(f"{sha}\n" for sha in wanted).encode(),
        )  # fmt: skip
        pos, result = 0, {}
        for sha in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) != 3:
                raise GitError(f"git kennt das Objekt {sha} nicht (Repository beschädigt?)")
            size = int(header[2])
            result[sha] = (header[1].decode("ascii", "replace"), out[end + 1 : end + 1 + size])
            pos = end + 1 + size + 1
        return result


#: A user's ``log.follow = true`` makes ``git log -- FILE`` follow the file back through
#: renames: its history would show commits of another record (another id).
_NO_FOLLOW = ("-c", "log.follow=false")

NO_IDENTITY = (
    "git kennt Ihren Namen nicht, ohne ihn gibt es keinen Commit. Bitte einmal "
    "einrichten:\n"
    '  git config --global user.name "Vorname Nachname"\n'
    '  git config --global user.email "name@example.org"'
)


def top_folder(path: Path) -> Path | None:
    """The top folder of the work tree holding ``path``: the nearest folder at or above
    it (links resolved) with a ``.git`` entry; None outside any. Asks no git, so it
    also works where git distrusts a checkout owned by another user (CI containers)."""
    here = Path(path).resolve()
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def identity_missing(where: Path, identity: Mapping[str, str] | None = None) -> bool:
    """Whether git lacks a name or e-mail for commits made in ``where`` (any folder)."""
    for var in ("GIT_COMMITTER_IDENT", "GIT_AUTHOR_IDENT"):
        if _run(["var", var], where, env=identity or {}).returncode != 0:
            return True
    return False


def _lock_message(lock: Path) -> str:
    return (
        f"Die Sperrdatei {lock} von git existiert: entweder arbeitet gerade ein anderes "
        "git-Programm in diesem Repository, oder ein abgebrochenes hat sie zurückgelassen. "
        "Bitte warten und erneut versuchen; läuft sicher kein git mehr, die Datei löschen. "
        "Nichts geändert."
    )


def _parse_commit(sha: str, raw: bytes) -> Commit:
    """A commit from its raw object: headers, a blank line, the message."""
    head, _, body = raw.partition(b"\n\n")
    parent: str | None = None
    author = committer = b""
    encoding = "utf-8"
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"parent" and parent is None:
            parent = value.decode("ascii", "replace")
        elif key == b"author" and not author:
            author = value
        elif key == b"committer" and not committer:
            committer = value
        elif key == b"encoding":
            encoding = value.decode("ascii", "replace")
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        codec = "utf-8"
    name = author[: author.find(b"<")] if b"<" in author else author
    when = committer[committer.rfind(b">") + 1 :].split()
    seconds, offset = [*when, b"", b""][:2]
    return Commit(
        sha,
        parent,
        name.decode(codec, "replace").strip(),
        _date(seconds.decode("ascii", "replace"), offset.decode("ascii", "replace")),
        body.decode(codec, "replace").strip(" \t\r\n"),
    )


def _date(seconds: str, offset: str) -> _dt.datetime:
    """A git timestamp with its offset; UTC when the offset is impossible (``+9959``),
    the nearest representable moment when the time is out of range."""
    tz: _dt.tzinfo = _UTC
    match = re.fullmatch(r"([+-])([0-9]{2})([0-9]{2})", offset)
    if match:
        minutes = int(match[2]) * 60 + int(match[3])
        if minutes < 24 * 60:
            tz = _dt.timezone(_dt.timedelta(minutes=-minutes if match[1] == "-" else minutes))
    try:
        stamp = int(seconds)
    except ValueError:
        stamp = 0
    try:
        return _dt.datetime.fromtimestamp(stamp, tz)
    except (OverflowError, OSError, ValueError):
        edge = _dt.datetime.max if stamp > 0 else _dt.datetime.min
        return edge.replace(tzinfo=_UTC)


def _parse_raw(out: str) -> list[Change]:
    parts = iter(out.split("\x00"))
    return [_change(meta, next(parts)) for meta in parts if meta.startswith(":")]


def _log_limits(since: str | None, until: str | None, max_count: int | None) -> list[str]:
    """``git log``'s options for :meth:`GitRepo.log` and :meth:`GitRepo.log_changes`."""
    limits = [f"--since={since}"] if since else []
    limits += [f"--until={until}"] if until else []
    return limits + ([f"--max-count={max_count}"] if max_count is not None else [])


def _change(meta: str, path: str) -> Change:
    """One line of git's raw diff format (``:100644 100644 OLD NEW M``) and its path."""
    _, _, old_sha, new_sha, status = meta[1:].split()
    return Change(
        status[0],
        path,
        None if not old_sha.strip("0") else old_sha,
        None if not new_sha.strip("0") else new_sha,
    )
