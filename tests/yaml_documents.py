"""A hypothesis strategy for YAML documents as people (and other tools) write them.

It mixes what registers contain with what trips YAML readers up: every spelling of
numbers, booleans and nulls, the three quoting styles with escapes, block scalars,
multi-line plain text, flow collections, comments, tabs in odd places, explicit tags,
anchors, directives, document markers and all kinds of line endings.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = ["Tafel", "Gemeinde", "in_planung", "ja", "nein", "Belm-Powe", "Straße", "ü", "a b"]
SCALARS = [
    "+12",
    "-5",
    "0",
    "007",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1e3",
    "1E-3",
    ".5",
    "-.5",
    "+.5e3",
    "1.",
    "1.50",
    ".inf",
    "-.Inf",
    ".NaN",
    "2002-01",
    "2002-01-15",
    "2002-01-15 10:00:00",
    "12:30",
    "1:30:00",
    "=",
    "<<",
    "~",
    "null",
    "Null",
    "TRUE",
    "True",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "",
    "-",
    "?x",
    "a: b",
    "a #b",
    "a#b",
    "%x",
    "@x",
    "`x",
    "!x",
    "&x",
    "*x",
    "|x",
    ">x",
    "[x",
    "{x",
    "x]",
    "x}",
    "x,y",
    "'x",
    '"x',
    "x'",
    "C:\\temp",
    "ä\u00a0ö",
    "\u200b",
    "x\u2028y",
]
ESCAPES = [
    "\\t",
    "\\n",
    "\\\\",
    '\\"',
    "\\/",
    "\\ ",
    "\\_",
    "\\x41",
    "\\u00e4",
    "\\U0001F600",
    "\\e",
    "\\0",
    "\\r",
    "\\N",
    "\\L",
    "\\P",
    "\\a",
    "\\u202e",
    "\\x7f",
    "\\x85",
    "\\q",
]
TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!binary",
    "!!timestamp",
    "!!map",
    "!!seq",
    "!",
    "!foo",
    "!<tag:yaml.org,2002:str>",
]
SEPARATORS = [": "] * 12 + [":  ", ":\t", ": \t", ":\t "]
TAB = "\t"
ENDINGS = ["\n", "\n", "\n", "\r\n", "\r"]
COMMENTS = [""] * 6 + ["  # Kommentar", " #x", "  #\tTab im Kommentar", "\t# Tab"]

words = st.sampled_from(WORDS)
plain = st.one_of(words, st.sampled_from(SCALARS))


@st.composite
def double_quoted(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(st.one_of(words, words, st.sampled_from(ESCAPES), st.just("\t")), max_size=4)
    )
    return '"' + "".join(parts) + '"'


@st.composite
def single_quoted(draw: st.DrawFn) -> str:
    text = draw(st.one_of(words, st.sampled_from(SCALARS)))
    return "'" + text.replace("'", "''") + "'"


@st.composite
def flow(draw: st.DrawFn, depth: int = 0) -> str:
    items = draw(st.lists(st.one_of(plain, double_quoted(), single_quoted()), max_size=3))
    items = [i for i in items if (i and not any(c in i for c in ",[]{}#:")) or i[:1] in "\"'"]
    if depth < 2 and draw(st.booleans()):
        items.append(draw(flow(depth + 1)))
    sep = draw(st.sampled_from([", ", ",", ",\t", " , "]))
    if draw(st.booleans()):
        return "[" + sep.join(items) + "]"
    keys = draw(st.lists(words, min_size=len(items), max_size=len(items), unique=True))
    return "{" + sep.join(f"{k}: {v}" for k, v in zip(keys, items, strict=True)) + "}"


@st.composite
def inline_value(draw: st.DrawFn, hostile: bool = True) -> str:
    value = draw(st.one_of(plain, plain, double_quoted(), single_quoted(), flow()))
    if not hostile:
        return value
    if draw(st.integers(0, 9)) == 0:
        value = draw(st.sampled_from(TAGS)) + " " + value
    if draw(st.integers(0, 19)) == 0:
        value = "&anker " + value
    tail = draw(st.sampled_from(["", "", "", "", "", " ", "  ", "\t"]))
    return value + tail


@st.composite
def block(draw: st.DrawFn, indent: int, depth: int, hostile: bool = True) -> list[str]:
    """Lines (without endings) of a block mapping or sequence at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    if depth < 3 and draw(st.integers(0, 4)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            marker = draw(st.sampled_from(["- "] * 8 + ["-\t"] * hostile))
            lines.append(pad + marker + draw(inline_value(hostile)))
        return lines
    keys = draw(
        st.lists(
            st.one_of(words, st.sampled_from(["1", "true", "~", '"x y"', "'q'", "<<"])),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    for key in keys:
        if hostile and draw(st.integers(0, 29)) == 0:
            key = draw(st.sampled_from(TAGS)) + " " + key
        kind = draw(st.integers(0, 9))
        sep = draw(st.sampled_from(SEPARATORS)) if hostile else ": "
        comment = draw(st.sampled_from(COMMENTS if hostile else COMMENTS[:-1]))
        if kind == 0 and depth < 3:
            lines.append(f"{pad}{key}:{comment}")
            lines.extend(draw(block(indent + 2, depth + 1, hostile)))
        elif kind == 1 and depth < 3:
            lines.append(f"{pad}{key}:{comment}")
            seq_pad = pad + draw(st.sampled_from(["", "  "]))
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{seq_pad}- {draw(inline_value())}")
        elif kind == 2:
            indicator = draw(st.sampled_from(["|", ">", "|-", ">+", "|2"]))
            lines.append(f"{pad}{key}: {indicator}{comment}")
            for _ in range(draw(st.integers(1, 3))):
                text = draw(st.one_of(words, st.sampled_from(SCALARS), st.just("")))
                lead = draw(st.sampled_from(["", "", "", " ", TAB][: 5 if hostile else 4]))
                lines.append(f"{pad}  {lead}{text}".rstrip(" "))
        elif kind == 3:
            lines.append(f"{pad}{key}{sep}{draw(words)}")
            lead = draw(st.sampled_from(["", "", "", "", TAB][: 5 if hostile else 4]))
            lines.append(f"{pad}  {lead}{draw(words)}")
        else:
            lines.append(f"{pad}{key}{sep}{draw(inline_value(hostile))}{comment}")
        if draw(st.integers(0, 4)) == 0:
            lines.append(
                draw(st.sampled_from(["", "# Kommentar", pad + "# eingerückt", "\t", " "]))
            )
    return lines


@st.composite
def documents(draw: st.DrawFn, hostile: bool = True) -> str:
    """A document; with ``hostile`` also with tags, directives, tabs and odd keys."""
    lines = draw(block(0, 0, hostile))
    heads = ["", "", "", "# Kopf", "---", "\ufeff"]
    if hostile:
        heads += ["%YAML 1.1\n---", "%YAML 1.2\n---", "%TAG !e! tag:x.org,2000:\n---", "--- !!map"]
    head = draw(st.sampled_from(heads))
    if head:
        lines = head.split("\n") + lines
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from(["...", "# Ende", "", "---"])))
    endings = draw(st.lists(st.sampled_from(ENDINGS), min_size=len(lines), max_size=len(lines)))
    if draw(st.booleans()):
        endings = [endings[0]] * len(lines)
    text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    if draw(st.integers(0, 4)) == 0:
        text = text.rstrip("\r\n")
    return text
