"""Putting user text into Markdown (CommonMark with GFM tables) without changing its meaning.

Whatever a user typed — a title, a Träger, a Nachtrag, a Beschluss — must appear in the
document exactly as written and must never change the document's structure: no
headings, lists, quotes, code, links, HTML or emphasis that the user did not mean as
plain text, and no line breaks that start a new block.

- ``text`` is for running text anywhere in a line (also in a table cell): line breaks
  and other whitespace runs fold to one space, control characters become U+FFFD, and
  every character Markdown could read as syntax is backslash-escaped.
- ``cell`` is the same (kept as the name for table cells; ``text`` already escapes ``|``).
- ``code`` is for identifiers and paths shown as inline code: a code span whose fence is
  longer than any backtick run inside, so the content cannot end it early.

Backslash escapes render as the character itself, so a parsed document shows the text
unchanged: ``Bewohner*innen`` becomes ``Bewohner\\*innen`` in the source and
``Bewohner*innen`` on the page.
"""

from __future__ import annotations

import re

#: Characters that are syntax somewhere in a line: emphasis and strikethrough, code spans,
#: links and images, raw HTML and autolinks, block quotes, ATX heading closers, table
#: pipes and the escape character itself. All of them are ASCII punctuation, so a
#: backslash before them is always a valid escape that renders as the character.
_INLINE = re.compile(r"[\\`*_~\[\]<>|#]")
#: An entity or numeric character reference (``&amp;``, ``&#42;``) would render as the
#: character it names; escaping the ampersand keeps the text as written.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What starts a block when a value begins a line: a bullet (``-``, ``+``), a thematic
#: break or setext underline (``---``, ``===``), an ordered list marker (``1.``, ``1)``,
#: followed by a space or the end, so ``400.000`` stays as it is). ``#``, ``>``, ``*``,
#: backticks, ``~``, ``<`` and ``|`` are escaped everywhere already.
_LEADING = re.compile(r"^(?:([-+=])|([0-9]{1,9})([.)])(?=\s|$))")
#: Line breaks in every sense Python or Markdown knows (``str.splitlines`` also splits at
#: \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029), tabs and spaces: folded to one space.
_BREAKS = re.compile(r"[ \t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
#: Control characters left after folding: never meaningful in a document, possibly
#: harmful on a terminal (escape sequences). Shown as the replacement character.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: Anything in a string that ``text`` would change (most titles have none of it).
_WORK = re.compile(
    r"[\\`*_~\[\]<>|#&\x00-\x1f\x7f-\x9f\u2028\u2029]|\s\s|^[\s\-+=]|^[0-9]{1,9}[.)]|\s$"
)


def fold(value: object) -> str:
    """One line of plain text: whitespace runs and line breaks become one space."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    return _CONTROL.sub("\ufffd", text).strip()


def text(value: object) -> str:
    """Escape user text for any inline position in a Markdown document (also table cells)."""
    if isinstance(value, str) and not _WORK.search(value):
        return value
    return _escape(value)


def _escape(value: object) -> str:
    folded = fold(value)
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\g<0>", folded))
    return _LEADING.sub(_escape_leading, escaped, count=1)


def _escape_leading(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def cell(value: object) -> str:
    """Text that is safe inside a GFM table cell: the same as ``text``."""
    return text(value)


def code(value: object) -> str:
    """Inline code showing ``value`` literally (ids, paths, revisions).

    The fence is one backtick longer than the longest run inside; a space pads content
    that starts or ends with a backtick. Inside a code span nothing else is syntax. Not
    for table cells if the value may contain ``|`` (ids never do).
    """
    content = fold(value)
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "
    return f"{fence}{content}{fence}"
