"""SVG line charts of indicators (the only module that imports matplotlib).

matplotlib is imported inside ``indicator_svg`` with the SVG backend, so no other
command pays for it. Labels are German, numbers have decimal commas.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ihk.vocab import messwert

if TYPE_CHECKING:
    from ihk.monitoring import IndikatorStand


def indicator_svg(stand: IndikatorStand) -> str:
    """One indicator as an SVG line chart: its values, the basis marked, the target as a
    dashed line; German axis labels and number format."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure, axes = pyplot.subplots(figsize=(7, 4))
    try:
        einheit = f" ({stand.einheit})" if stand.einheit else ""
        years = [m.jahr for m in stand.werte]
        values = [m.wert for m in stand.werte]
        if years:
            axes.plot(years, values, marker="o", color="#1f4e9c", label="Messwerte")
            for year, value in zip(years, values, strict=True):
                axes.annotate(
                    messwert(value),
                    (year, value),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=8,
                )
        axes.plot(
            [stand.basis.jahr],
            [stand.basis.wert],
            marker="s",
            color="#555555",
            linestyle="none",
            label=f"Basis {stand.basis.jahr}: {messwert(stand.basis.wert)}",
        )
        axes.axhline(
            stand.ziel.wert,
            color="#2e7d32",
            linestyle="--",
            label=f"Ziel {stand.ziel.jahr}: {messwert(stand.ziel.wert)}",
        )
        axes.set_title(stand.titel, fontsize=11)
        axes.set_xlabel("Jahr")
        axes.set_ylabel(f"Wert{einheit}")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{int(x)}"))
        axes.yaxis.set_major_formatter(FuncFormatter(_german))
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize=8, loc="best")
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})  # stable output
        return out.getvalue()
    finally:
        pyplot.close(figure)


def _german(value: float, _: Any) -> str:
    return messwert(round(value, 2))
