"""Finding a register and loading it — from the working tree or from any set of files.

``load`` is pure: file contents in, records and problems out. Where the bytes come from
(the working tree, a git revision) is the caller's business.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ihk.checks import check_references
from ihk.errors import DATEI, YAML, Location, Problem, RegisterNotFound
from ihk.kinds import BY_FOLDER, KINDS, Entry, Kind
from ihk.models import ID_RE, IhkMeta
from ihk.validation import validate
from ihk.vocab import os_fehler
from ihk.yamlio import MAX_FILE_BYTES, Document, YamlProblems, decode, parse, too_large

META_FILE = "ihk.yaml"


@dataclass(frozen=True)
class SourceFile:
    relpath: str  # relative to the register root, "/"-separated
    data: bytes
    #: Why the file could not be read (German), e.g. a symbolic link; then no data.
    unreadable: str | None = None


@dataclass
class Register:
    meta: IhkMeta | None = None
    meta_doc: Document | None = None
    entries: dict[str, dict[str, Entry]] = field(
        default_factory=lambda: {name: {} for name in KINDS}
    )
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # relpath -> display path

    def of(self, kind: str) -> dict[str, Entry]:
        return self.entries[kind]

    def counts(self) -> dict[str, int]:
        """Valid records per kind."""
        return {kind: len(entries) for kind, entries in self.entries.items()}

    def broken_ids(self, kind: Kind) -> set[str]:
        """Ids of this kind's files that exist but could not be read as records."""
        prefix = kind.folder + "/"
        return {
            rel[len(prefix) :].rsplit(".", 1)[0] for rel in self.broken if rel.startswith(prefix)
        }

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def find_root(explicit: str | None, cwd: Path | None = None) -> Path:
    """SPEC §1: --register > IHK_REGISTER > nearest ihk.yaml upwards > ./register/."""
    chosen = explicit or os.environ.get("IHK_REGISTER") or None
    if chosen:
        root = Path(chosen)
        if not (root / META_FILE).is_file():
            raise RegisterNotFound(f"{chosen}: kein Register (keine {META_FILE} gefunden)")
        return root
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / META_FILE).is_file():
            return _relative(folder, here)
    if (here / "register" / META_FILE).is_file():
        return _relative(here / "register", here)
    raise RegisterNotFound(
        f"Kein Register gefunden: weder hier noch darüber liegt eine {META_FILE}"
    )


def _relative(folder: Path, here: Path) -> Path:
    try:
        return Path(os.path.relpath(folder, here))
    except ValueError:  # pragma: no cover - other drive on Windows
        return folder


def display_prefix(root: Path) -> Callable[[str], str]:
    """How a register file is named in messages: relative to the working directory."""
    try:
        prefix = os.path.relpath(root)
    except ValueError:  # pragma: no cover
        prefix = str(root)
    if prefix == ".":
        return lambda rel: rel
    return lambda rel: f"{prefix}/{rel}"


def read_worktree(root: Path) -> list[SourceFile]:
    """Every file of the register in the working tree, as it is on disk.

    Only regular files are read: a symbolic link could reach outside the register,
    and a pipe or device could block; each is a SourceFile that says why it was not
    read, so that it becomes a problem instead of data.
    """
    files: list[SourceFile] = []
    if os.path.lexists(root / META_FILE):
        files.append(_read(root / META_FILE, META_FILE))
    for folder in BY_FOLDER:
        base = root / folder
        if base.is_symlink():
            files.append(SourceFile(folder + "/", b"", _LINK.format(what="Der Ordner")))
            continue
        if not base.is_dir():
            continue
        for item in sorted(os.scandir(base), key=lambda d: d.name):
            rel = f"{folder}/{item.name}"
            if item.is_dir(follow_symlinks=False):
                files.append(SourceFile(rel + "/", b""))
            else:
                files.append(_read(Path(item.path), rel))
    return files


_LINK = (
    "{what} ist eine symbolische Verknüpfung und wird nicht gelesen "
    "(im Register zählen nur echte Dateien)"
)


def _read(path: Path, rel: str) -> SourceFile:
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            return SourceFile(rel, b"", _LINK.format(what="Die Datei"))
        if not stat.S_ISREG(mode):
            return SourceFile(rel, b"", "keine gewöhnliche Datei; wird nicht gelesen")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # never read gigabytes into memory
            return SourceFile(rel, b"", too_large(size))
        return SourceFile(rel, path.read_bytes())
    except OSError as e:
        e.filename = None  # the position already names the file
        return SourceFile(rel, b"", f"nicht lesbar: {os_fehler(e)}")


def load_worktree(root: Path) -> Register:
    return load(read_worktree(root), display_prefix(root))


def load(
    sources: Iterable[SourceFile],
    display: Callable[[str], str],
    known_ids: dict[str, set[str]] | None = None,
) -> Register:
    """Parse and validate every file, then check references across them.

    ``known_ids`` names records that exist beyond ``sources`` (when one file is
    checked on its own before it is written).
    """
    register = Register()
    seen_meta = False
    for source in sources:
        shown = display(source.relpath)
        if source.unreadable is not None:
            register.problems.append(Problem(Location(shown), source.unreadable, code=DATEI))
            if source.relpath == META_FILE:
                seen_meta = True
            elif not source.relpath.endswith("/"):
                register.broken[source.relpath] = shown
            continue
        if source.relpath == META_FILE:
            seen_meta = True
            doc = _parse(source, shown, register)
            if doc is not None:
                meta, problems = validate(IhkMeta, doc, shown)
                register.problems.extend(problems)
                register.meta, register.meta_doc = meta, doc
            continue
        folder, _, name = source.relpath.partition("/")
        kind = BY_FOLDER.get(folder)
        if kind is None or not name:
            continue
        target = _record_name(source.relpath, name, kind, shown, register)
        if target is None:
            continue
        doc = _parse(source, shown, register)
        if doc is None:
            continue
        record, problems = validate(kind.model, doc, shown)
        if problems:
            register.problems.extend(problems)
            register.broken[source.relpath] = shown
            continue
        register.entries[kind.name][target] = Entry(
            kind, target, source.relpath, shown, record, doc
        )
    if not seen_meta:
        register.problems.append(
            Problem(
                Location(display(META_FILE)),
                f"{META_FILE} fehlt: ohne sie ist es kein Register",
                code=DATEI,
            )
        )
    ids = {
        kind.name: set(register.entries[kind.name])
        | register.broken_ids(kind)
        | (known_ids or {}).get(kind.name, set())
        for kind in KINDS.values()
    }
    goals = register.meta.ziele if register.meta else None
    quellen = register.meta.quellen if register.meta else None
    register.problems.extend(check_references(register.entries, goals, ids, quellen))
    register.problems.sort()
    return register


def _record_name(rel: str, name: str, kind: Kind, shown: str, register: Register) -> str | None:
    if name.startswith("."):
        return None  # .gitkeep and friends
    if name.endswith("/"):
        register.problems.append(
            Problem(
                Location(shown),
                f"Unterordner in {kind.folder}/ werden nicht gelesen",
                warning=True,
                code=DATEI,
            )
        )
        return None
    stem, dot, ext = name.rpartition(".")
    if not dot or ext not in ("yaml", "yml"):
        register.problems.append(
            Problem(
                Location(shown),
                f"unerwartete Datei in {kind.folder}/ (wird nicht gelesen; "
                f"{kind.plural} stehen in .yaml-Dateien)",
                warning=True,
                code=DATEI,
            )
        )
        return None
    if ext == "yml":
        register.problems.append(
            Problem(
                Location(shown),
                f"Endung „.yml“ wird nicht gelesen; bitte in „{stem}.yaml“ umbenennen",
                code=DATEI,
            )
        )
        register.broken[rel] = shown
        return None
    if not ID_RE.fullmatch(stem):
        register.problems.append(
            Problem(
                Location(shown),
                f"ungültiger Dateiname: die Kennung „{stem}“ darf nur a–z, 0–9 und „-“ enthalten, "
                "mit Buchstabe oder Ziffer beginnen und höchstens 64 Zeichen lang sein",
                code=DATEI,
            )
        )
        register.broken[rel] = shown
        return None
    return stem


def _parse(source: SourceFile, shown: str, register: Register) -> Document | None:
    try:
        return parse(decode(source.data, shown), shown)
    except YamlProblems as e:
        register.problems.extend(p if p.code else replace(p, code=YAML) for p in e.problems)
        register.broken[source.relpath] = shown
        return None
