"""The IHK table as Markdown (CommonMark with GFM tables): a heading per Oberziel with
its table, each Nachtrag as a row of its own under its measure. Colours cannot show in
Markdown; the column "Stand" says the state in words, so no legend is needed. Every
value passes ``markdown.text``, so it reads exactly as typed."""

from __future__ import annotations

from ihk.daten import DatenTabelle
from ihk.markdown import text
from ihk.tabelle import IhkTabelle


def render(tabelle: IhkTabelle, daten: DatenTabelle) -> str:
    lines = [f"# {text(tabelle.titel)}", ""]
    lines += [text(f"{tabelle.gemeinde} · {tabelle.programm}"), ""]
    head = "| " + " | ".join(text(s.titel) for s in tabelle.spalten) + " |"
    rule = "|" + "".join("---:|" if s.schluessel == "kosten" else "---|" for s in tabelle.spalten)
    empty = " |" * (len(tabelle.spalten) - 1)
    for gruppe in tabelle.gruppen:
        lines += [f"## {text(gruppe.ueberschrift)}", "", head, rule]
        for zeile in gruppe.zeilen:
            lines.append("| " + " | ".join(text(c) for c in zeile.zellen()) + " |")
            for nachtrag in zeile.nachtraege:
                lines.append(
                    f"| ↳ *Nachtrag {text(nachtrag.stand.text)}:* {text(nachtrag.text)} |{empty}"
                )
        lines.append("")
    if not tabelle.gruppen:
        lines += ["Keine Maßnahmen.", ""]
    return "\n".join(lines)
