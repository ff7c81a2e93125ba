"""Small helpers for Markdown output (GFM tables)."""

from __future__ import annotations


def cell(value: object) -> str:
    """Text that is safe inside a GFM table cell: no line breaks, no bare pipes."""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")
