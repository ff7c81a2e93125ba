"""The kind registry: everything ihk knows about a kind of record, declared once.

A kind is its folder, its model, its German labels, the names users may call it by,
the references its records make, and how it appears in status tables. Every other
module reads this registry; adding a kind means a model, one entry in ``KINDS`` and
its views (see docs/design.md, "Adding a kind").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel

from ihk.errors import UsageError
from ihk.models import ID_RE, FieldPath, Gremium, Indikator, Massnahme, Projekt
from ihk.yamlio import Document

#: The goal catalogue in ihk.yaml, as a reference target.
GOAL = "ziel"
#: The source catalogue (Finanzierungsquellen) in ihk.yaml, as a reference target.
SOURCE = "quelle"
#: A path step that stands for every item of a list (or every value of a map).
EACH = "*"
#: A last path step: the keys of a map are the ids (``plan: {2025: {stbauf: …}}``).
KEYS = "<key>"


@dataclass(frozen=True)
class Reference:
    """Ids at ``path`` (``EACH`` for every list item) must name a ``target``: a kind or GOAL."""

    path: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class Kind:
    name: str  # canonical German id: massnahme, gremium, projekt
    english: str  # measure, committee, project
    folder: str
    model: type[BaseModel]
    label: str  # "Maßnahme"
    plural: str  # "Maßnahmen"
    title_field: str  # "titel" or "name"
    aliases: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    #: Listed in status tables, grouped by Oberziel (needs ``oberziel`` and ``status``).
    in_status: bool = False
    #: Field shown as the start of a row in status tables (dotted).
    start_field: str | None = None
    _names: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def field_order(self) -> tuple[str, ...]:
        """Key order of new files: the model's field order."""
        return tuple(self.model.model_fields)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name users may call the kind by, canonical first."""
        return (self.name, self.english, *self.aliases)

    def relpath(self, ident: str) -> str:
        """Where a record lives, relative to the register root."""
        return f"{self.folder}/{ident}.yaml"

    def title(self, record: Any) -> str:
        return str(getattr(record, self.title_field))

    def references_in(self, record: Any) -> Iterator[tuple[FieldPath, str, str]]:
        """(path, target, id) of every id this record refers to; for ids that are map
        keys (``KEYS``), the path ends at the key."""
        for ref in self.references:
            for path, value in _walk(record, ref.path, ()):
                if isinstance(value, str):
                    yield path, ref.target, value


def _walk(node: Any, steps: tuple[str, ...], at: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if not steps:
        yield at, node
        return
    step, rest = steps[0], steps[1:]
    if step == KEYS:
        for key in node or {}:
            yield (*at, key), key
    elif step == EACH and isinstance(node, dict):
        for key, item in node.items():
            yield from _walk(item, rest, (*at, key))
    elif step == EACH:
        for i, item in enumerate(node or ()):
            yield from _walk(item, rest, (*at, i))
    else:
        child = getattr(node, step, None)
        if child is not None:
            yield from _walk(child, rest, (*at, step))


#: Plan and spending name their sources as keys: finanzierung.plan.JAHR.QUELLE.
_MONEY = (
    Reference(("finanzierung", "plan", EACH, KEYS), SOURCE),
    Reference(("finanzierung", "ist", EACH, KEYS), SOURCE),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "massnahme",
            "measure",
            "massnahmen",
            Massnahme,
            "Maßnahme",
            "Maßnahmen",
            "titel",
            aliases=("maßnahme", "massnahmen", "maßnahmen", "measures"),
            references=(
                Reference(("oberziel",), GOAL),
                Reference(("weitere_ziele", EACH), GOAL),
                Reference(("gremien", EACH), "gremium"),
                *_MONEY,
            ),
            in_status=True,
            start_field="aufgenommen",
        ),
        Kind(
            "gremium",
            "committee",
            "gremien",
            Gremium,
            "Gremium",
            "Gremien",
            "name",
            aliases=("gremien", "committees"),
            references=(
                Reference(
                    ("sitzungen", EACH, "beschluesse", EACH, "massnahmen", EACH), "massnahme"
                ),
                Reference(("sitzungen", EACH, "beschluesse", EACH, "projekte", EACH), "projekt"),
            ),
        ),
        Kind(
            "projekt",
            "project",
            "projekte",
            Projekt,
            "Projekt",
            "Projekte",
            "titel",
            aliases=("projekte", "projects"),
            references=(
                Reference(("oberziel",), GOAL),
                Reference(("massnahmen", EACH), "massnahme"),
                *_MONEY,
            ),
            in_status=True,
            start_field="laufzeit.von",
        ),
        Kind(
            "indikator",
            "indicator",
            "indikatoren",
            Indikator,
            "Indikator",
            "Indikatoren",
            "titel",
            aliases=("indikatoren", "indicators"),
            references=(
                Reference(("oberziel",), GOAL),
                Reference(("massnahmen", EACH), "massnahme"),
            ),
        ),
    )
}
BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}
_BY_NAME: dict[str, Kind] = {name: k for k in KINDS.values() for name in k.names}

#: Kinds whose records appear in status tables.
STATUS_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS.values() if k.in_status)


def kind_named(name: str) -> Kind:
    """A kind by any of its names (case-insensitive)."""
    kind = _BY_NAME.get(name.strip().lower())
    if kind is None:
        raise UsageError(f"unbekannte Art „{name}“; erlaubt: {kind_choices()}")
    return kind


def is_kind_name(name: str) -> bool:
    return name.strip().lower() in _BY_NAME


def kind_choices() -> str:
    """ "measure|committee|project (massnahme|gremium|projekt)" from the registry."""
    english = "|".join(k.english for k in KINDS.values())
    german = "|".join(k.name for k in KINDS.values())
    return f"{english} ({german})"


def parse_relpath(rel: str) -> tuple[Kind, str] | None:
    """``massnahmen/x.yaml`` -> (Massnahme, "x"); None for anything else."""
    folder, _, name = rel.partition("/")
    kind = BY_FOLDER.get(folder)
    if kind is None or "/" in name or not name.endswith(".yaml"):
        return None
    ident = name[: -len(".yaml")]
    return (kind, ident) if ID_RE.fullmatch(ident) else None


class Facts(NamedTuple):
    """What the reference rules need of one valid record; it depends on the file alone,
    so the cache keeps it and a warm run checks references without building the record.

    ``names``: every (target, id) the record refers to; ``unfunded``: the plan sources of
    a record without Städtebauförderung; ``own``: the record's own problems (its
    ``hinweise``) as (line, col, message, warning); ``state``: (oberziel, status) of a
    kind listed in status tables, else None.
    """

    names: tuple[tuple[str, str], ...] = ()
    unfunded: tuple[str, ...] = ()
    own: tuple[tuple[int, int, str, bool], ...] = ()
    state: tuple[str, str] | None = None


class Summary(NamedTuple):
    """What the reports read of a record of a kind listed in status tables: its row in
    ``status``, its Posten in the KuF (``finanzen``, the Fortschreibung). A pure function
    of the record (``summary_of``) in plain values, so the cache keeps it with the file
    and a warm report builds no record.

    ``seit``: the kind's ``start_field``; ``beginn``: ``zeitraum.von`` or ``laufzeit.von``;
    ``plan``/``ist``: YEAR -> SOURCE -> amount, None if the record has no ``finanzierung``.
    """

    titel: str
    oberziel: str
    status: str
    traeger: tuple[str, ...]
    staedtebaufoerderung: bool
    sonstige: tuple[str, ...]
    seit: str | None
    beginn: str | None
    kosten: float | None
    kostengruppe: str | None
    plan: dict[str, dict[str, float]] | None
    ist: dict[str, dict[str, float]] | None


def dotted(record: Any, path: str | None) -> Any:
    """The value at a dotted field path (``laufzeit.von``); None where a part is missing."""
    value = record
    for part in path.split(".") if path else ():
        value = getattr(value, part, None)
    return value


def summary_of(kind: Kind, record: Any) -> Summary | None:
    """The ``Summary`` of a record; None for a kind that is not listed in status tables."""
    if not kind.in_status:
        return None
    fin = getattr(record, "finanzierung", None)
    return Summary(
        titel=kind.title(record),
        oberziel=record.oberziel,
        status=record.status,
        traeger=tuple(record.traeger),
        staedtebaufoerderung=bool(fin and fin.staedtebaufoerderung),
        sonstige=tuple(fin.sonstige) if fin else (),
        seit=dotted(record, kind.start_field),
        beginn=dotted(record, "zeitraum.von") or dotted(record, "laufzeit.von"),
        kosten=fin.kosten_eur if fin else None,
        kostengruppe=fin.kostengruppe if fin else None,
        plan={year: dict(sources) for year, sources in fin.plan.items()} if fin else None,
        ist={year: dict(sources) for year, sources in fin.ist.items()} if fin else None,
    )


class Entry:
    """One loaded, schema-valid record and where it came from.

    A record the cache knows is built (validated again from its cached data) when it is
    first asked for, and its document (the positions) is read again only if a problem
    needs a position.
    """

    __slots__ = (
        "_doc",
        "_load",
        "_locate",
        "_record",
        "_summary",
        "display",
        "facts",
        "id",
        "kind",
        "relpath",
    )

    def __init__(
        self,
        kind: Kind,
        id: str,
        relpath: str,
        display: str,  # path as shown in messages
        record: Any = None,
        doc: Document | None = None,
        *,
        load: Callable[[], Any] | None = None,
        locate: Callable[[], Document] | None = None,
        facts: Facts | None = None,
        summary: Callable[[], Summary] | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.relpath = relpath
        self.display = display
        self._record = record
        self._doc = doc
        self._load = load  # builds the record (a cached one)
        self._locate = locate  # reads the document again (a cached one)
        self.facts = facts
        #: the summary, or how to read it from the cache (None: not made yet)
        self._summary: Summary | Callable[[], Summary] | None = summary

    @property
    def record(self) -> Any:
        if self._record is None and self._load is not None:
            self._record = self._load()
        return self._record

    @property
    def doc(self) -> Document:
        if self._doc is None and self._locate is not None:
            self._doc = self._locate()
        assert self._doc is not None
        return self._doc

    def release(self, *, record: bool = False) -> None:
        """Let go of the document (and with ``record``, the record) if it can be read
        again when asked for: after loading, positions are rarely needed, and a document
        holds all of a file's values."""
        if self._locate is not None:
            self._doc = None
        if record and self._load is not None:
            self._record = None

    @property
    def title(self) -> str:
        return self.kind.title(self.record)

    @property
    def summary(self) -> Summary | None:
        """The record's ``Summary`` (from the cache, without building the record, if it
        knows the file); made once, shared by every caller (who must not change it)."""
        if not self.kind.in_status:
            return None
        if self._summary is None:
            self._summary = summary_of(self.kind, self.record)
        elif callable(self._summary):
            self._summary = self._summary()
        return self._summary

    def __repr__(self) -> str:
        return f"Entry({self.kind.name}/{self.id}, {self.relpath})"
