"""The IHK table as CSV: the "Daten" layout (one row per record, every field), in the
one CSV dialect of ihk (``csvfile``: ``;``, UTF-8 with BOM, formulas disarmed). Amounts
are plain numbers with a decimal comma, which a German Excel reads as numbers and
``ihk import`` reads back exactly."""

from __future__ import annotations

from ihk import csvfile
from ihk.daten import DatenTabelle, Wert
from ihk.tabelle import IhkTabelle


def _cell(value: Wert) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csvfile.escape(value)
    return csvfile.zahl(value)


def render(tabelle: IhkTabelle, daten: DatenTabelle) -> str:
    rows = [list(daten.kopf)]
    rows += [[_cell(v) for v in zeile] for zeile in daten.zeilen]
    return csvfile.write(rows)
