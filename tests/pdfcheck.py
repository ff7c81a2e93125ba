"""What a reader of a printed document would notice, checked on a PDF's glyphs.

Each function returns the problems it finds as readable lines (empty: none), so a
failing test says which page and which text. Positions are PDF points (1/72 inch);
``top`` grows downwards (pdfplumber's convention).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

MM = 72 / 25.4
#: Text may touch a border by this much (rounding of glyph boxes, kerning).
TOLERANCE = 0.6


@dataclass(frozen=True)
class Margins:
    """The page's margins in mm, as the document's @page rule sets them."""

    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True)
class Seite:
    width: float
    height: float
    chars: list[dict[str, Any]]
    #: The cells of every table pdfplumber finds on the page, as (x0, top, x1, bottom).
    cells: list[tuple[float, float, float, float]]


def read(pdf: bytes) -> list[Seite]:
    """Every page's glyphs and table cells, read once (pdfplumber takes its time)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            Seite(
                page.width,
                page.height,
                list(page.chars),
                [cell for table in page.find_tables() for cell in table.cells],
            )
            for page in doc.pages
        ]


def _text(chars: list[dict[str, Any]]) -> str:
    return "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))


def glyphs_outside(doc: list[Seite], margins: Margins) -> list[str]:
    """Glyphs outside the text area: left or right of the margins anywhere (also the
    running header and footer), or in the top or bottom margin other than as one line of
    running header or footer at least 10 mm from the paper's edge."""
    problems = []
    for number, page in enumerate(doc, 1):
        left, right = margins.left * MM, page.width - margins.right * MM
        top, bottom = margins.top * MM, page.height - margins.bottom * MM
        for c in page.chars:
            if c["text"].isspace():
                continue
            where = None
            if c["x0"] < left - TOLERANCE or c["x1"] > right + TOLERANCE:
                where = "links oder rechts neben dem Satzspiegel"
            elif c["top"] < 10 * MM or c["bottom"] > page.height - 10 * MM:
                where = "am Rand des Blatts"
            elif top - TOLERANCE < c["top"] and c["bottom"] < bottom + TOLERANCE:
                continue
            elif c["size"] > 9:  # header and footer are small type
                where = "im oberen oder unteren Rand"
            if where:
                problems.append(
                    f"Seite {number}: „{c['text']}“ bei x={c['x0']:.1f}–{c['x1']:.1f}, "
                    f"y={c['top']:.1f} {where}"
                )
    return problems


def _kerned(a: dict[str, Any], b: dict[str, Any], dx: float) -> bool:
    """Neighbours in one run of text that kerning moved together ("F.", "Ta" in DejaVu):
    their advance boxes may share up to half the narrower glyph."""
    narrower = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
    return abs(a["top"] - b["top"]) < 0.5 and dx < 0.5 * narrower


def overlapping_glyphs(doc: list[Seite]) -> list[str]:
    """Glyphs printed over each other (two boxes that share more than a sliver; kerned
    neighbours in a line excepted)."""
    problems = []
    for number, page in enumerate(doc, 1):
        chars = [c for c in page.chars if not c["text"].isspace()]
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(chars):
            for b in range(int(c["top"] // 10), int(c["bottom"] // 10) + 1):
                buckets[b].append(i)
        seen = set()
        for members in buckets.values():
            for a_i, i in enumerate(members):
                a = chars[i]
                for j in members[a_i + 1 :]:
                    b = chars[j]
                    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    if dx <= 1.0 or dy <= 1.0 or (i, j) in seen:
                        continue
                    if abs(i - j) == 1 and _kerned(a, b, dx):
                        continue
                    seen.add((i, j))
                    problems.append(
                        f"Seite {number}: „{a['text']}“ und „{b['text']}“ übereinander "
                        f"bei x={a['x0']:.1f}, y={a['top']:.1f}"
                    )
    return problems


def cells_overflowing(doc: list[Seite]) -> tuple[int, list[str]]:
    """(number of table cells found, text that sticks out of its table cell): every
    glyph whose centre lies in a cell must lie inside that cell."""
    problems = []
    found = 0
    for number, page in enumerate(doc, 1):
        chars = [c for c in page.chars if not c["text"].isspace()]
        for x0, top, x1, bottom in page.cells:
            found += 1
            for c in chars:
                cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                if not (x0 <= cx <= x1 and top <= cy <= bottom):
                    continue
                inside = (
                    c["x0"] >= x0 - TOLERANCE
                    and c["x1"] <= x1 + TOLERANCE
                    and c["top"] >= top - TOLERANCE
                    and c["bottom"] <= bottom + TOLERANCE
                )
                if not inside:
                    problems.append(
                        f"Seite {number}: „{c['text']}“ ragt aus seiner Zelle "
                        f"({x0:.1f}, {top:.1f}, {x1:.1f}, {bottom:.1f})"
                    )
    return found, problems


def headings_alone(doc: list[Seite], margins: Margins, least_size: float = 10.9) -> list[str]:
    """Headings (bold, at least ``least_size`` pt) that end a page: nothing of the body
    follows them on the same page."""
    problems = []
    for number, page in enumerate(doc, 1):
        bottom = page.height - margins.bottom * MM
        body = [c for c in page.chars if c["bottom"] <= bottom and not c["text"].isspace()]
        lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
        for c in body:
            lines[round(c["top"], 0)].append(c)

        def is_heading(chars: list[dict[str, Any]]) -> bool:
            return all("Bold" in c["fontname"] and c["size"] >= least_size for c in chars)

        tops = sorted(lines)
        for i, top in enumerate(tops):
            if not is_heading(lines[top]):
                continue
            if not any(not is_heading(lines[t]) for t in tops[i + 1 :]):
                problems.append(f"Seite {number}: „{_text(lines[top])}“ steht allein am Ende")
    return problems


def text_of(pdf: bytes) -> str:
    """The text of every page, pages separated by a form feed."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\f".join(page.extract_text() or "" for page in doc.pages)
