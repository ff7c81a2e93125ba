"""Shell completion (bash, zsh, fish): what the register at hand offers for a word.

Each function here is an ``autocompletion`` callback of an argument or option: record
ids for ``ID`` (also ``ART/ID``), committees for ``GREMIUM``, projects for ``PROJEKT``,
the goal catalogue for ``--oberziel`` and ``--ziel`` (with the goal's title as the
description zsh and fish show), states, committee types and kinds. The register is
found as ``main.workspace`` finds it — ``--register`` before or after the command (the
later wins), then ``IHK_REGISTER``, the nearest ``ihk.yaml``, ``./register/`` — and
nothing here raises: a register that is missing or broken gives no suggestions, never
an error in the middle of a shell line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, Optional, TypeVar

from ihk.cli import lookup

#: Where ``--register`` (before or after the command) leaves its value in ``ctx.meta``,
#: which every context of one command line shares; no command runs while completing.
REGISTER_KEY = "ihk.register"

#: a suggestion: the value, or the value and a description
Suggestion = tuple[str, str]

_F = TypeVar("_F", bound=Callable[..., list[Any]])


def _quiet(function: _F) -> _F:
    """Any problem while completing gives no suggestions rather than an error."""

    @wraps(function)
    def safe(*args: Any, **kwargs: Any) -> list[Any]:
        try:
            return function(*args, **kwargs)
        except Exception:
            return []

    return safe  # type: ignore[return-value]


def register_root(ctx: Any) -> Optional[Path]:
    """The register this command line works on, or None."""
    meta = getattr(ctx, "meta", None) or {}
    return lookup.find_root(meta.get(REGISTER_KEY))


def _matching(incomplete: str, values: Iterable[Suggestion]) -> list[Suggestion]:
    wanted = incomplete.casefold()
    return [(v, h) for v, h in values if v.casefold().startswith(wanted)]


def _record_ids(ctx: Any, incomplete: str, kind: Optional[str]) -> list[Suggestion]:
    root = register_root(ctx)
    prefix, slash, rest = incomplete.partition("/")
    if slash and kind is None:  # ART/ID: the ids of that kind, with its name in front
        from ihk.kinds import is_kind_name, kind_named

        if not is_kind_name(prefix):
            return []
        found = lookup.ids(root, kind_named(prefix).name)
        return [(f"{prefix}/{i}", "") for i in found if i.startswith(rest.casefold())]
    return _matching(incomplete, ((i, "") for i in lookup.ids(root, kind)))


@_quiet
def records(ctx: Any, incomplete: str) -> list[Suggestion]:
    """Ids of all records (``ID`` of show, set, log, rm, mv)."""
    return _record_ids(ctx, incomplete, None)


@_quiet
def committees(ctx: Any, incomplete: str) -> list[Suggestion]:
    return _record_ids(ctx, incomplete, "gremium")


@_quiet
def projects(ctx: Any, incomplete: str) -> list[Suggestion]:
    return _record_ids(ctx, incomplete, "projekt")


@_quiet
def measures(ctx: Any, incomplete: str) -> list[Suggestion]:
    return _record_ids(ctx, incomplete, "massnahme")


@_quiet
def goals(ctx: Any, incomplete: str) -> list[Suggestion]:
    """The goal catalogue in its order, each with its title."""
    return _matching(incomplete, lookup.goals(register_root(ctx)))


@_quiet
def states(incomplete: str) -> list[Suggestion]:
    from ihk.vocab import STATES, STATUS

    return _matching(incomplete, ((s, STATUS[s].legende) for s in STATES))


@_quiet
def committee_types(incomplete: str) -> list[Suggestion]:
    from ihk.vocab import GREMIUM_ARTEN

    return _matching(incomplete, ((a, "") for a in GREMIUM_ARTEN))


@_quiet
def status_kinds(incomplete: str) -> list[Suggestion]:
    """What ``status --kind`` takes: the kinds in the status table, or all."""
    from ihk.commands.status import ALL
    from ihk.kinds import STATUS_KINDS

    values = [(k.english, k.plural) for k in STATUS_KINDS]
    values += [(k.name, k.plural) for k in STATUS_KINDS]
    return _matching(incomplete, [*values, (ALL, "alle")])
