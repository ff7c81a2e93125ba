"""Finding a register and loading it — from the working tree or from any set of files.

``load`` is pure: file contents in, records and problems out. Where the bytes come from
(the working tree, a git revision) is the caller's business.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from ihk import Process
from ihk.cache import Cache, Parsed, blob_sha, pack, unpack
from ihk.checks import check_references, facts_of
from ihk.errors import DATEI, YAML, InvalidInput, Location, Problem, RegisterNotFound
from ihk.kinds import BY_FOLDER, KINDS, Entry, Facts, Kind, Summary, summary_of
from ihk.models import ID_RE, IhkMeta
from ihk.validation import validate
from ihk.vocab import os_fehler
from ihk.yamlio import MAX_FILE_BYTES, Document, YamlProblems, decode, parse, too_large

META_FILE = "ihk.yaml"


class SourceFile(NamedTuple):
    """One file of a register, as read (a NamedTuple: a register has many of them)."""

    relpath: str  # relative to the register root, "/"-separated
    #: The bytes; None when they were not read because the cache knows ``blob``
    #: (``fetch`` reads them if they are needed after all).
    data: bytes | None
    #: Why the file could not be read (German), e.g. a symbolic link; then no data.
    unreadable: str | None = None
    #: git's blob id of the bytes, when known (from a tree, or hashed when read).
    blob: str | None = None
    fetch: Callable[[], bytes] | None = None

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.fetch is None:
            raise ValueError(f"{self.relpath}: no content and no way to read it")
        return self.fetch()


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


def read_worktree(root: Path, cache: Cache | None = None) -> list[SourceFile]:
    """Every file of the register in the working tree, as it is on disk.

    Only regular files are read: a symbolic link could reach outside the register,
    and a pipe or device could block; each is a SourceFile that says why it was not
    read, so that it becomes a problem instead of data. With a ``cache``, a file whose
    stat shows it unchanged is not read at all (its blob id is known); every file read
    is hashed like git does, and the cache learns what it holds.
    """
    return list(iter_worktree(root, cache))


def iter_worktree(root: Path, cache: Cache | None = None) -> Iterator[SourceFile]:
    """``read_worktree`` one file at a time (so that a file's bytes can go once it is
    parsed)."""
    meta = root / META_FILE
    if os.path.lexists(meta):
        yield _read(str(meta), META_FILE, cache)
    for folder in BY_FOLDER:
        base = root / folder
        if base.is_symlink():
            yield SourceFile(folder + "/", b"", _LINK.format(what="Der Ordner"))
            continue
        if not base.is_dir():
            continue
        for item in sorted(os.scandir(base), key=lambda d: d.name):
            rel = f"{folder}/{item.name}"
            if item.is_dir(follow_symlinks=False):
                yield SourceFile(rel + "/", b"")
            else:
                yield _read(item.path, rel, cache)


_LINK = (
    "{what} ist eine symbolische Verknüpfung und wird nicht gelesen "
    "(im Register zählen nur echte Dateien)"
)


def _read(path: str, rel: str, cache: Cache | None = None) -> SourceFile:
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return SourceFile(rel, b"", _LINK.format(what="Die Datei"))
        if not stat.S_ISREG(st.st_mode):
            return SourceFile(rel, b"", "keine gewöhnliche Datei; wird nicht gelesen")
        if st.st_size > MAX_FILE_BYTES:  # never read gigabytes into memory
            return SourceFile(rel, b"", too_large(st.st_size))
        fetch = partial(_reread, path)
        if cache is not None:
            known = cache.blob_of(rel, st)
            if known is not None:
                return SourceFile(rel, None, blob=known, fetch=fetch)
        data = _read_bytes(path)
        if cache is None:
            return SourceFile(rel, data, fetch=fetch)
        blob = blob_sha(data)
        cache.saw(rel, st, blob)
        return SourceFile(rel, data, blob=blob, fetch=fetch)
    except OSError as e:
        e.filename = None  # the position already names the file
        return SourceFile(rel, b"", f"nicht lesbar: {os_fehler(e)}")


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _reread(path: str) -> bytes:
    """A file's bytes once more (for positions); empty if it is gone meanwhile."""
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return b""


def load_worktree(root: Path, cache: Cache | None = None, *, records: bool = True) -> Register:
    """The register in the working tree (with a ``cache``: which learns from it);
    ``records``: see ``load``."""
    register = load(iter_worktree(root, cache), display_prefix(root), cache=cache, records=records)
    if cache is not None:
        cache.save()
    return register


def cache_kind(rel: str) -> str | None:
    """The cache's kind of a register file: ``ihk.yaml``, a record kind, or None for a
    file that is not parsed (its name alone makes it a problem)."""
    if rel == META_FILE:
        return META_KIND
    folder, _, name = rel.partition("/")
    kind = BY_FOLDER.get(folder)
    return kind.name if kind is not None and name.endswith(".yaml") else None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a register is read.

    Everything read stays alive, so the collector's passes find nothing to free, yet
    each full pass scans the whole growing heap: about 40 % of reading 100,000 files.
    When it is switched on again, its first pass would scan all of it once more (a
    tenth of a second per 10,000 files); in a short-lived process (the installed
    command) it is frozen instead (``gc.freeze``): it lives until the process ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if Process.short_lived:
            gc.freeze()
        if was:
            gc.enable()


def load(
    sources: Iterable[SourceFile],
    display: Callable[[str], str],
    known_ids: dict[str, set[str]] | None = None,
    cache: Cache | None = None,
    *,
    records: bool = True,
) -> Register:
    """Parse and validate every file, then check references across them.

    ``known_ids`` names records that exist beyond ``sources`` (when one file is
    checked on its own before it is written). With a ``cache``, a file whose blob it
    knows is not parsed again, and every file parsed is added to it. ``records=False``
    is for a caller that wants only the problems and counts (``validate``): records are
    not kept but read again if one is asked for, so a large register fits in memory.
    """
    with collector_paused():
        return _load(sources, display, known_ids, cache, records)


def _load(
    sources: Iterable[SourceFile],
    display: Callable[[str], str],
    known_ids: dict[str, set[str]] | None,
    cache: Cache | None,
    records: bool,
) -> Register:
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
            _load_meta(register, source, shown, cache)
            continue
        folder, _, name = source.relpath.partition("/")
        kind = BY_FOLDER.get(folder)
        if kind is None or not name:
            continue
        target = _record_name(source.relpath, name, kind, shown, register)
        if target is None:
            continue
        _load_record(register, kind, target, source, shown, cache, records)
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
    for entries in register.entries.values():
        for entry in entries.values():
            entry.release(record=not records)
    return register


#: The cache's name for the kind of ``ihk.yaml``.
META_KIND = "ihk.yaml"


def _load_meta(register: Register, source: SourceFile, shown: str, cache: Cache | None) -> None:
    # the cache keeps ihk.yaml as (problems, whether it could not be parsed, data, None)
    parsed = cache.get(META_KIND, source.blob) if cache is not None and source.blob else None
    if parsed is not None:
        known, unparsed, packed, _ = parsed
        register.problems.extend(_placed(known, shown))
        if unparsed:  # a file not read, as when it is parsed (``_parse``)
            register.broken[source.relpath] = shown
        if packed is not None:
            data = unpack(packed)
            register.meta = IhkMeta.model_validate(data)
            register.meta_doc = Document(data, _text_of(source, shown))
        return
    source = _checked(source)
    before = len(register.problems)
    doc = _parse(source, shown, register)
    if doc is None:
        if cache is not None and source.blob:
            cache.put(
                META_KIND, source.blob, (_unplaced(register.problems[before:]), True, None, None)
            )
        return
    meta, problems = validate(IhkMeta, doc, shown)
    register.problems.extend(problems)
    register.meta, register.meta_doc = meta, doc
    if cache is not None and source.blob:
        cache.put(
            META_KIND,
            source.blob,
            (_unplaced(problems), None, pack(doc.data) if meta else None, None),
        )


def _load_record(
    register: Register,
    kind: Kind,
    target: str,
    source: SourceFile,
    shown: str,
    cache: Cache | None,
    keep: bool = True,
) -> None:
    parsed = cache.get(kind.name, source.blob) if cache is not None and source.blob else None
    if parsed is not None and cache is not None:
        entry, problems = _cached(kind, target, source, shown, parsed, cache)
    else:
        entry, problems = _fresh(kind, target, source, shown, cache, keep)
    if entry is None:
        register.problems.extend(problems)
        register.broken[source.relpath] = shown
    else:
        register.entries[kind.name][target] = entry


def _fresh(
    kind: Kind,
    target: str,
    source: SourceFile,
    shown: str,
    cache: Cache | None,
    keep: bool = True,
) -> tuple[Entry | None, list[Problem]]:
    """Parse and validate a record file: its entry, or its problems. The cache (if any)
    learns what the file holds. Without ``keep`` the entry keeps only the record's facts;
    the record is read again if it is asked for."""
    source = _checked(source)
    try:
        doc = parse(decode(source.content(), shown), shown)
        record, problems = validate(kind.model, doc, shown)
    except YamlProblems as e:
        problems = _yaml_problems(e)
    if problems:
        _remember(cache, kind.name, source, problems)
        return None, problems
    later = _later(source)
    entry = Entry(
        kind,
        target,
        source.relpath,
        shown,
        record,
        doc,
        load=None if keep else partial(_record_again, kind, later, shown),
        locate=partial(_reparsed, later, shown),
    )
    facts = facts_of(entry)
    if cache is not None and source.blob:
        summary = summary_of(kind, record)
        packed_summary = pack(tuple(summary)) if summary is not None else None
        cache.put(kind.name, source.blob, ((), tuple(facts), pack(doc.data), packed_summary))
        if keep:
            cache.memo[(kind.name, source.blob)] = record
    if not keep:
        entry.release(record=True)
    return entry, []


def _checked(source: SourceFile) -> SourceFile:
    """A source to be parsed whose bytes were not read (the cache's index knew its blob
    from its stat) with its bytes read now, and keeping that blob only if they hold it:
    a file replaced between its stat and this read is parsed as it is now, and what it
    means is not kept in the cache under the old blob."""
    if source.data is not None or not source.blob or source.fetch is None:
        return source
    data = source.fetch()
    blob = blob_sha(data)
    if len(blob) == len(source.blob) and blob != source.blob:  # (a SHA-256 repository's
        return source._replace(data=data, blob=None)  # blob ids are not compared)
    return source._replace(data=data)


def _later(source: SourceFile) -> SourceFile:
    """The source as kept for reading it again (a position asked for after loading): from
    its file or blob, not from bytes kept for every file; bytes that cannot be read
    again are kept."""
    return source._replace(data=None) if source.fetch is not None else source


def _record_again(kind: Kind, source: SourceFile, shown: str) -> Any:
    """A record that was not kept, read again."""
    record, problems = validate(kind.model, _reparsed(source, shown), shown)
    if problems:
        raise InvalidInput(f"{shown} hat sich beim Lesen geändert; bitte erneut versuchen")
    return record


def _cached(
    kind: Kind, target: str, source: SourceFile, shown: str, parsed: Parsed, cache: Cache
) -> tuple[Entry | None, list[Problem]]:
    """A record file the cache knows: its entry (built when first used), or its problems."""
    known, facts, packed, summary = parsed
    if packed is None:
        return None, _placed(known, shown)
    entry = Entry(
        kind,
        target,
        source.relpath,
        shown,
        load=partial(_record_of, kind, packed, cache, source.blob or ""),
        locate=partial(_doc_of, packed, _text_of(_later(source), shown)),
        facts=Facts(*facts) if type(facts) is tuple and len(facts) == len(Facts._fields) else None,
        summary=partial(_summary_of, summary) if summary is not None else None,
    )
    return entry, []


def _reparsed(source: SourceFile, shown: str) -> Document:
    """The document of a record file once more (its bytes are at hand or read again)."""
    text = _text_of(source, shown)()
    try:
        return parse(text, shown)
    except YamlProblems:  # changed on disk meanwhile: no positions to give
        return Document(None, "")


def _doc_of(packed: bytes, text: Callable[[], str]) -> Document:
    """The document of a cached record (its positions found when asked for)."""
    return Document(unpack(packed), text)


def _summary_of(packed: bytes) -> Summary:
    """A cached record's summary."""
    return Summary(*unpack(packed))


def _record_of(kind: Kind, packed: bytes, cache: Cache, blob: str) -> Any:
    """A cached record, validated again from its data; once per blob and run."""
    key = (kind.name, blob)
    record = cache.memo.get(key)
    if record is None:
        record = cache.memo[key] = kind.model.model_validate(unpack(packed))
    return record


class BlobRecords:
    """Records of git blobs (for the history): a blob the cache knows is not read at
    all, the others are read in one batch and each parsed once."""

    def __init__(self, cache: Cache, read: Callable[[list[str]], dict[str, bytes]]) -> None:
        self.cache = cache
        self._read = read

    def prepare(self, wanted: Iterable[tuple[Kind, str]]) -> None:
        """Make sure the cache knows every (kind, blob) of ``wanted``."""
        missing = sorted(
            {(k.name, b): k for k, b in wanted if not self.cache.has(k.name, b)}.items()
        )
        contents = self._read(sorted({blob for (_, blob), _ in missing}))
        for (_, blob), kind in missing:
            source = SourceFile(kind.folder, contents[blob], blob=blob)
            _fresh(kind, "", source, kind.folder, self.cache)

    def valid(self, kind: Kind, blob: str) -> bool:
        parsed = self.cache.get(kind.name, blob)
        return parsed is not None and parsed[2] is not None

    def record(self, kind: Kind, blob: str) -> Any:
        """The record the blob holds, or None if it is not a valid one."""
        parsed = self.cache.get(kind.name, blob)
        if parsed is None or parsed[2] is None:
            return None
        return _record_of(kind, parsed[2], self.cache, blob)


def _text_of(source: SourceFile, shown: str) -> Callable[[], str]:
    """The text of a file, read again when a position is asked for."""

    def text() -> str:
        try:
            return decode(source.content(), shown)
        except YamlProblems:
            return ""

    return text


#: A problem of a file as the cache keeps it: (line, col, message, warning, code).
Unplaced = tuple[int, int, str, bool, str]


def _placed(problems: Iterable[Unplaced], shown: str) -> list[Problem]:
    return [
        Problem(Location(shown, line, col), text, warning, code)
        for line, col, text, warning, code in problems
    ]


def _unplaced(problems: Iterable[Problem]) -> tuple[Unplaced, ...]:
    return tuple((p.location.line, p.location.col, p.message, p.warning, p.code) for p in problems)


def _remember(cache: Cache | None, kind: str, source: SourceFile, problems: list[Problem]) -> None:
    """Keep the problems of an invalid file (without its path)."""
    if cache is not None and source.blob:
        cache.put(kind, source.blob, (_unplaced(problems), None, None, None))


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
        return parse(decode(source.content(), shown), shown)
    except YamlProblems as e:
        register.problems.extend(_yaml_problems(e))
        register.broken[source.relpath] = shown
        return None


def _yaml_problems(e: YamlProblems) -> list[Problem]:
    return [p if p.code else replace(p, code=YAML) for p in e.problems]
