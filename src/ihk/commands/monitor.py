"""ihk monitoring: the Zielerreichung of the register (now or at a Stand)."""

from __future__ import annotations

from ihk.commands.status import goal_named, register_at
from ihk.monitoring import Monitoring, monitoring
from ihk.register import Register
from ihk.workspace import Workspace


def monitoring_report(
    ws: Workspace, stand: str | None = None, oberziel: str | None = None
) -> tuple[Monitoring, Register]:
    """The monitoring data and the register it was built from (for its problems)."""
    register, at = register_at(ws, stand)
    goal = goal_named(register, oberziel) if oberziel is not None else None
    # of a measure, only its goal and state count: its summary has them (no record built)
    records = {
        "massnahme": {i: e.summary for i, e in register.of("massnahme").items()},
        "indikator": {i: e.record for i, e in register.of("indikator").items()},
    }
    goals = [(g, z.titel) for g, z in register.meta.ziele.items()] if register.meta else []
    gebiet = register.meta.gebiet if register.meta else ""
    return monitoring(records, goals, gebiet, goal, at), register
