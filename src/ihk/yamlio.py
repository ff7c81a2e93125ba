"""YAML in and out; the only module that imports a YAML library.

Reading (``parse``) composes the document with libyaml (PyYAML's C parser: about three
times faster than ruamel's C loader) into a node tree that carries line/column marks,
then builds plain Python values with YAML 1.2 *core* semantics ourselves — only
``true``/``false`` are booleans, ``no``/``ja`` stay text — and records the position of
every key and value.

One file has one meaning. The reader refuses what the two libraries could read
differently, each as a German problem at its position: explicit tags (``!!str 1000``),
``%YAML``/``%TAG`` directives, tabs between the parts of a line, keys that are not text,
control and text-direction characters, numbers too long to convert, nesting deeper than
``MAX_DEPTH`` and files larger than ``MAX_FILE_BYTES``. Editing (``Editor``) uses
ruamel's round-trip mode, the only thing that keeps comments and layout; whatever it
writes is read back through ``parse`` before it is accepted.

Cheap checks run first over the whole text (one compiled ``search`` each); per-scalar
checks run only when one of them hits, so the common file pays next to nothing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ihk.errors import InvalidInput, Location, Problem

Path = tuple[str | int, ...]

#: Larger record files are refused before any parsing (a register file is a few KB).
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of lists and mappings (a register needs fewer than ten levels).
MAX_DEPTH = 50
#: Longest number a plain scalar may spell (Python refuses > 4,300 digits for ``int``).
MAX_NUMBER_CHARS = 100

_CONFLICT_RE = re.compile(r"(?:\A|(?<=[\r\n]))(<{7}|={7}|>{7})(?= |\r|\n|\Z)")
#: Characters refused anywhere in a file: C0 controls but TAB, LF and CR, DEL, C1
#: controls (including NEL), line/paragraph separators, text-direction overrides and
#: isolates, a byte-order mark after the start, non-characters and lone surrogates.
_RAW_BAD_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
#: Characters refused in any key or value (after escapes): the same, but CR as well;
#: TAB and LF are text.
_VALUE_BAD_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
#: A double-quoted escape that can produce one of them.
_ESCAPE_RE = re.compile(r"\\[0abvfreNLPxuU]")
#: A line that may be a directive (confirmed from the event stream).
_DIRECTIVE_RE = re.compile(r"(?:\A|(?<=[\r\n]))%")
#: A bare ``!`` (the non-specific tag) where a node may start (confirmed from events).
_BARE_TAG_RE = re.compile(r"(?:^|[\s\[{,:?])!(?:[\s\]},]|$)", re.MULTILINE)
_BREAK_RE = re.compile(r"\r\n?|\n")

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER_STARTS = frozenset("-+.0123456789")
_NUMBER_RE = re.compile(  # ASCII digits only (``int()`` and ``float()`` take any digits)
    r"(?P<int>[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
)

_TEXT_STARTS = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZäöüÄÖÜß„\"'(«")


class NumberTooLong(InvalidInput):
    """A plain scalar spells a number longer than ``MAX_NUMBER_CHARS``."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"Zahl mit zu vielen Stellen ({len(text)} Zeichen; höchstens {MAX_NUMBER_CHARS}); "
            "als Text bitte in Anführungszeichen setzen"
        )


def plain_kind(text: str) -> str:
    """What a plain scalar is under the YAML 1.2 core schema: str, int, float, bool, null."""
    if text in _NULL:
        return "null"
    if text in _BOOL:
        return "bool"
    if text[0] in _NUMBER_STARTS:
        number = _NUMBER_RE.fullmatch(text)
        if number:
            return number.lastgroup or "str"
    return "str"


def resolve_plain(text: str) -> Any:
    """Value of a plain (unquoted) scalar under the YAML 1.2 core schema.

    Raises ``NumberTooLong`` (an ``InvalidInput``) for a number of more than
    ``MAX_NUMBER_CHARS`` characters.
    """
    if text and text[0] in _TEXT_STARTS:  # fast path: most values are words
        return text
    kind = plain_kind(text)
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOL[text]
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLong(text)
    if kind == "int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if text[-1] in "nNfF":  # .nan, .inf, -.Inf, ...
        if text[-2] in "aA":
            return math.nan
        return -math.inf if text.startswith("-") else math.inf
    return float(text)


@dataclass
class Document:
    """A parsed file: its data and where each key and value stands (1-based)."""

    data: Any
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the key (or value) at ``path``, else of its nearest ancestor."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path) - 1, -1, -1):
            prefix = path[:cut]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file as it is, a leading BOM included (``parse`` skips it, the
    ``Editor`` keeps it); anything else is a problem at the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblems([_too_large(path, len(data))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8").removeprefix("\ufeff")
        raise YamlProblems(
            [
                Problem(
                    Location(path, *_line_col(before, len(before))),
                    f"Die Datei ist nicht UTF-8-kodiert (Byte 0x{data[e.start]:02X}); "
                    "bitte als UTF-8 speichern",
                )
            ]
        ) from None


def _too_large(path: str, size: int) -> Problem:
    limit = MAX_FILE_BYTES / 1_000_000
    shown = f"{size / 1_000_000:.1f}"
    if float(shown) <= limit:  # 1,000,001 bytes is not "1.0 MB"
        shown = f"{size / 1_000_000:.6f}".rstrip("0")
    return Problem(
        Location(path, 1, 1),
        f"Datei ist zu groß ({shown.replace('.', ',')} MB; höchstens {limit:g} MB)",
    )


def _size_problem(text: str, path: str) -> Problem | None:
    """Size of ``text`` in UTF-8 over the limit; encodes only when it could be."""
    if len(text) <= MAX_FILE_BYTES // 4:
        return None
    size = len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "replace"))
    return _too_large(path, size) if size > MAX_FILE_BYTES else None


def parse(text: str, path: str) -> Document:
    """Parse one YAML document into plain values with positions, or raise YamlProblems."""
    if text.startswith("\ufeff"):
        text = text[1:]
    too_large = _size_problem(text, path)
    if too_large:
        raise YamlProblems([too_large])
    has_marks = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    conflict = _CONFLICT_RE.search(text) if has_marks else None
    if conflict:
        raise YamlProblems(
            [
                Problem(
                    Location(path, *_line_col(text, conflict.start())),
                    f"ungelöster git-Konflikt (Konfliktmarke „{conflict.group(1)}“); "
                    "bitte den Konflikt auflösen",
                )
            ]
        )
    if _RAW_BAD_RE.search(text):
        raise YamlProblems(_raw_character_problems(text, path))
    import yaml

    loader_cls = _loader()
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as e:
        raise YamlProblems([_syntax_problem(e, text, path)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - the checks above pre-empt reader errors
        position = getattr(e, "position", None)
        line, col = _line_col(text, position) if isinstance(position, int) else (1, 1)
        raise YamlProblems([Problem(Location(path, line, col), "unlesbares YAML")]) from None
    if node is None:
        raise YamlProblems([Problem(Location(path, 1, 1), "Die Datei ist leer")])
    doc = Document(data=None)
    builder = _Builder(
        doc, path, text, controls="\\" in text and bool(_ESCAPE_RE.search(text)), spans="\t" in text
    )
    doc.data = builder.build(node, (), 1)
    problems = builder.problems
    if builder.spans is not None:
        problems.extend(_tab_problems(text, path, builder.spans))
    if (
        builder.alias
        or (text.startswith("%") or "\n%" in text or "\r%" in text)
        or ("!" in text and _BARE_TAG_RE.search(text))
    ):
        problems.extend(_event_problems(text, path, loader_cls))
    if problems:
        raise YamlProblems(problems)
    return doc


# Tags our resolver gives untagged nodes. They contain spaces, so no explicit tag (even
# a verbatim ``!<…>``) can spell them; any other tag on a node was written in the file.
_SCALAR = "ihk plain scalar"
_SEQ = "ihk plain sequence"
_MAP = "ihk plain mapping"
_TAGS = {"scalar": _SCALAR, "sequence": _SEQ, "mapping": _MAP}
_LOADER: Any = None


def _loader() -> Any:
    """libyaml's parser and composer without PyYAML's YAML 1.1 tag resolver.

    The resolver would be called back in Python for every scalar (a third of the
    parse time) only to guess YAML 1.1 types that ``resolve_plain`` replaces anyway.
    """
    global _LOADER
    if _LOADER is None:
        try:
            from yaml.cyaml import CParser  # type: ignore[attr-defined]

            base: Any = CParser
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            import yaml

            base = yaml.SafeLoader

        class _Loader(base):  # type: ignore[misc]
            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                return _TAGS[kind.id]

            def descend_resolver(self, parent: Any, index: Any) -> None:
                pass

            def ascend_resolver(self) -> None:
                pass

        _LOADER = _Loader
    return _LOADER


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting CRLF, CR and LF as breaks."""
    line, start = 1, 0
    for match in _BREAK_RE.finditer(text, 0, index):
        line += 1
        start = match.end()
    return line, index - start + 1


_CHAR_NAMES = {
    "\x00": "Nullzeichen",
    "\x1b": "Escape",
    "\r": "Wagenrücklauf",
    "\x85": "Zeilenumbruch NEL",
    "\u2028": "Zeilentrenner",
    "\u2029": "Absatztrenner",
    "\ufeff": "Byte-Order-Mark",
}


def _describe_char(char: str) -> str:
    code = ord(char)
    name = _CHAR_NAMES.get(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        name = "Textrichtung"
    kind = "Zeichen" if char in "\u2028\u2029\ufeff" or code >= 0xD800 else "Steuerzeichen"
    return f"{kind} U+{code:04X}" + (f" ({name})" if name else "")


def _raw_character_problems(text: str, path: str) -> list[Problem]:
    problems: list[Problem] = []
    lines: set[int] = set()
    for match in _RAW_BAD_RE.finditer(text):
        line, col = _line_col(text, match.start())
        if line in lines:
            continue  # one per line is enough to find them
        lines.add(line)
        problems.append(
            Problem(
                Location(path, line, col),
                f"{_describe_char(match.group())} in der Datei ist nicht erlaubt; bitte entfernen",
            )
        )
        if len(problems) == 20:
            break
    return problems


def _tab_problems(text: str, path: str, spans: list[tuple[int, int, bool]]) -> list[Problem]:
    """Tabs outside quoted and block scalars and comments.

    libyaml takes such a tab for a space; ruamel stops at it (even inside plain text),
    so the editor could not open the file.
    """
    spans.sort()
    starts = [span[0] for span in spans]

    def scalar_at(index: int) -> tuple[int, int, bool] | None:
        i = bisect_right(starts, index) - 1
        return spans[i] if i >= 0 and index < spans[i][1] else None

    problems: list[Problem] = []
    lines: set[int] = set()
    index = text.find("\t")
    while index >= 0:
        scalar = scalar_at(index)
        line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
        before = text[line_start:index]
        in_comment = scalar is None and any(
            before[i] == "#"
            and (i == 0 or before[i - 1] in " \t")
            and scalar_at(line_start + i) is None
            for i in range(len(before))
        )
        if not in_comment and (scalar is None or scalar[2]):
            line, col = _line_col(text, index)
            if line not in lines:
                lines.add(line)
                if not before.strip(" \t"):
                    message = "Tabulator in der Einrückung; YAML erlaubt nur Leerzeichen"
                elif scalar is not None:
                    message = (
                        "Tabulator in einem Text ohne Anführungszeichen; bitte Leerzeichen "
                        "verwenden oder den Text in Anführungszeichen setzen"
                    )
                else:
                    message = (
                        "Tabulator an dieser Stelle nicht erlaubt; bitte ein Leerzeichen verwenden"
                    )
                problems.append(Problem(Location(path, line, col), message))
        index = text.find("\t", index + 1)
    return problems


def _event_problems(text: str, path: str, loader_cls: Any) -> list[Problem]:
    """Directives, bare ``!`` tags and the first alias, found in the event stream.

    The composed tree no longer shows any of them: directives live on the document
    start, ``!`` is resolved away, and an alias is the very node of its anchor.
    """
    import yaml

    problems: list[Problem] = []
    alias_seen = False
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.DocumentStartEvent):
            if event.version or event.tags:
                start = event.start_mark.index if event.start_mark is not None else len(text)
                match = _DIRECTIVE_RE.search(text, 0, start + 1)
                index = match.start() if match else 0
                end = min(
                    i for i in (text.find("\n", index), text.find("\r", index), len(text)) if i >= 0
                )
                directive = text[index:end].split("#")[0].strip()
                line, col = _line_col(text, index)
                problems.append(
                    Problem(
                        Location(path, line, col),
                        f"YAML-Direktive „{directive}“ wird nicht unterstützt; bitte die Zeile "
                        "(und ein folgendes „---“, falls nicht mehr nötig) entfernen",
                    )
                )
        elif isinstance(event, yaml.AliasEvent):
            if not alias_seen and event.start_mark is not None:
                alias_seen = True
                mark = event.start_mark
                problems.append(
                    Problem(
                        Location(path, mark.line + 1, mark.column + 1),
                        "YAML-Aliase (*name) werden nicht unterstützt",
                    )
                )
        elif getattr(event, "tag", None) == "!" and event.start_mark is not None:
            problems.append(_tag_problem(text, path, event.start_mark, "!"))
    return problems


def _shown_tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag[18:]
    if tag.startswith("!"):
        return tag
    return f"!<{tag}>"


def _tag_problem(text: str, path: str, mark: Any, tag: str) -> Problem:
    # A node's mark is where its properties start; an anchor may come before the tag.
    index = mark.index
    bang = text.find("!", index, index + 1 + len(text[index:].partition("\n")[0]))
    line, col = _line_col(text, bang) if bang >= 0 else (mark.line + 1, mark.column + 1)
    return Problem(
        Location(path, line, col),
        f"YAML-Tag „{_shown_tag(tag)}“ wird nicht unterstützt; bitte entfernen "
        "(Text, der mit „!“ beginnt, in Anführungszeichen setzen)",
    )


def _syntax_problem(e: Any, text: str, path: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    if e.context_mark is not None and "end of stream" in str(e.problem):
        mark = e.context_mark  # an unclosed quote: point at where it opened
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        line_start = max(text.rfind("\n", 0, mark.index), text.rfind("\r", 0, mark.index)) + 1
        if text[line_start : mark.index].strip(" \t"):  # (else: indentation, below)
            return Problem(
                Location(path, line, col),
                "Tabulator an dieser Stelle nicht erlaubt; bitte ein Leerzeichen verwenden",
            )
    # A tab in the indentation is the classic cause; say so, at the tab.
    lines = _BREAK_RE.split(text)
    for no in (line - 1, line):
        content = lines[no - 1] if 0 < no <= len(lines) else ""
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                Location(path, no, indent.index("\t") + 1),
                "Tabulator in der Einrückung; YAML erlaubt nur Leerzeichen",
            )
    problem = str(e.problem or "").strip()
    context = str(e.context or "").strip()
    if mark is not None and problem.startswith(
        ("did not find expected key", "did not find expected '-'")
    ):
        line_start = max(text.rfind("\n", 0, mark.index), text.rfind("\r", 0, mark.index)) + 1
        if text[line_start : mark.index].rstrip(" ").endswith(('"', "'")):  # "Tafel" Belm
            return Problem(
                Location(path, line, col),
                "YAML-Syntaxfehler: nach dem Text in Anführungszeichen darf in dieser Zeile "
                "nur noch ein Kommentar („# …“) stehen",
            )
    return Problem(
        Location(path, line, col), f"YAML-Syntaxfehler: {_german_yaml(problem, context)}"
    )


_DIRECTIVES = "YAML-Direktiven (Zeilen, die mit „%“ beginnen) werden nicht unterstützt"
_TAGS_UNSUPPORTED = (
    "YAML-Tags („!…“) werden nicht unterstützt (Text, der mit „!“ beginnt, "
    "bitte in Anführungszeichen setzen)"
)
_ANCHORS = (
    "Name nach „&“ oder „*“ erwartet; YAML-Anker und -Aliase werden nicht unterstützt "
    "(Text, der mit „&“ oder „*“ beginnt, bitte in Anführungszeichen setzen)"
)

#: libyaml's messages (by how they start) in German; the context decides first.
_YAML_CONTEXTS = {
    "while scanning a directive": _DIRECTIVES,
    "while scanning a %YAML directive": _DIRECTIVES,
    "while scanning a %TAG directive": _DIRECTIVES,
    "while parsing a %TAG directive": _DIRECTIVES,
    "while parsing a tag directive": _DIRECTIVES,
    "while scanning a tag directive": _DIRECTIVES,
    "while scanning a tag": _TAGS_UNSUPPORTED,
    "while parsing a tag": _TAGS_UNSUPPORTED,
    "while scanning an anchor": _ANCHORS,
    "while scanning an alias": _ANCHORS,
}
_YAML_MESSAGES = {
    "mapping values are not allowed": "„:“ an dieser Stelle nicht erlaubt "
    "(Text mit Doppelpunkt bitte in Anführungszeichen setzen)",
    "could not find expected ':'": "„:“ nach dem Schlüssel erwartet",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen nicht geschlossen?)",
    "did not find expected key": "Schlüssel erwartet (Einrückung prüfen)",
    "did not find expected '-' indicator": "Listeneintrag „- “ erwartet (Einrückung prüfen)",
    "found undefined alias": "YAML-Aliase (*name) werden nicht unterstützt "
    "(Text, der mit „*“ beginnt, bitte in Anführungszeichen setzen)",
    "but found another document": "mehrere Dokumente in einer Datei",
    "expected a single document": "mehrere Dokumente in einer Datei",
    "found character that cannot start any token": "Zeichen, mit dem kein YAML-Wert beginnen kann "
    "(Text bitte in Anführungszeichen setzen)",
    "did not find expected node content": "Wert erwartet",
    "did not find expected ',' or ']'": "„,“ oder „]“ erwartet (Liste in eckigen Klammern)",
    "did not find expected ',' or '}'": "„,“ oder „}“ erwartet (Zuordnung in geschweiften Klammern)",
    "found a tab character": "Tabulator an dieser Stelle nicht erlaubt",
    "exceeded maximum nesting depth": f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)",
    "did not find expected comment or line break": "nach dem Wert darf in dieser Zeile nur noch "
    "ein Kommentar („# …“) stehen",
    "found unexpected ':'": "„:“ an dieser Stelle nicht erlaubt "
    "(Text mit Doppelpunkt bitte in Anführungszeichen setzen)",
    "found unknown escape character": "unbekannte Escape-Sequenz „\\…“ in doppelten "
    "Anführungszeichen (einen Backslash als „\\\\“ schreiben oder einfache Anführungszeichen "
    "verwenden)",
    "found invalid Unicode character escape code": "ungültige Escape-Sequenz für ein "
    "Unicode-Zeichen („\\u…“)",
    "did not find expected hexdecimal number": "Escape-Sequenz „\\x“, „\\u“ oder „\\U“ "
    "ohne gültige Hexadezimalziffern",
    "found unexpected document indicator": "„---“ oder „...“ am Zeilenanfang mitten in einem "
    "Text (bitte einrücken)",
    "did not find expected <document start>": "unerwarteter Inhalt nach dem Ende der Daten "
    "(Einrückung der ersten Zeilen prüfen; nach „...“ darf nichts mehr folgen)",
    "found incompatible YAML document": _DIRECTIVES,
    "found duplicate %YAML directive": _DIRECTIVES,
    "found duplicate %TAG directive": _DIRECTIVES,
    "duplicate %TAG directive": _DIRECTIVES,
    "found unknown directive name": _DIRECTIVES,
    "found undefined tag handle": _TAGS_UNSUPPORTED,
    "block sequence entries are not allowed": "Listeneintrag „- “ an dieser Stelle nicht "
    "erlaubt (Einrückung prüfen)",
    "mapping keys are not allowed": "„?“ an dieser Stelle nicht erlaubt "
    "(Text, der mit „?“ beginnt, bitte in Anführungszeichen setzen)",
    "found an indentation indicator equal to 0": "Einrückungsangabe 0 nach „|“ oder „>“ ist "
    "nicht erlaubt (1–9)",
    "control characters are not allowed": "Steuerzeichen in der Datei sind nicht erlaubt",
    "invalid Unicode character": "ungültiges Zeichen in der Datei",
}


def _german_yaml(problem: str, context: str = "") -> str:
    for english, german in _YAML_CONTEXTS.items():
        if context.startswith(english):
            return german
    if "block scalar" in context:
        return "nach „|“ oder „>“ darf in dieser Zeile nur ein Kommentar stehen"
    if context.startswith("found duplicate anchor"):
        return "YAML-Anker (&name) doppelt; Anker und Aliase werden nicht unterstützt"
    for english, german in _YAML_MESSAGES.items():
        if problem.startswith(english):
            return german
    return "unlesbares YAML an dieser Stelle"


#: Characters a one-letter escape gives ("\P" in "C:\Programme"): they get a hint.
_ONE_LETTER_ESCAPES = frozenset("\x00\x07\x08\x0b\x0c\r\x1b\x85\u2028\u2029")
_BACKSLASH_HINT = (
    " (ein „\\“ in doppelten Anführungszeichen beginnt ein Sonderzeichen: „\\\\“ schreiben)"
)


class _Builder:
    """Turns a composed node tree into Python values, recording positions."""

    def __init__(self, doc: Document, path: str, text: str, *, controls: bool, spans: bool):
        self.doc = doc
        self.path = path
        self.text = text
        self.controls = controls  # some escape could have produced a control character
        # (start, end, plain) of every scalar, to tell where a tab stands
        self.spans: list[tuple[int, int, bool]] | None = [] if spans else None
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias = False

    def _problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(Location(self.path, mark.line + 1, mark.column + 1), message))

    def _scalar(self, node: Any) -> Any:
        value = node.value
        if self.spans is not None:
            start = node.start_mark.index
            if node.style in ("|", ">"):  # the header line is not text: no tab there
                header_end = _BREAK_RE.search(self.text, start)
                start = header_end.end() if header_end else node.end_mark.index
            self.spans.append((start, node.end_mark.index, not node.style))
        if self.controls:
            bad = _VALUE_BAD_RE.search(value)
            if bad:
                message = f"{_describe_char(bad.group())} im Text ist nicht erlaubt"
                if node.style == '"' and bad.group() in _ONE_LETTER_ESCAPES:
                    message += _BACKSLASH_HINT
                self._problem(node.start_mark, message)
                return value
        if node.style:  # quoted or block scalar; libyaml reports "" or None for plain
            return value
        try:
            return resolve_plain(value)
        except NumberTooLong as e:
            self._problem(node.start_mark, e.message)
            return None

    def build(self, node: Any, path: Path, depth: int) -> Any:
        start = node.start_mark
        self.doc.values[path] = (start.line + 1, start.column + 1)
        # libyaml resolves an alias to the very node of its anchor; meeting a node twice
        # means an alias. A plain register needs none, and refusing them makes
        # expansion bombs ("billion laughs") harmless.
        if id(node) in self.seen:
            self.alias = True
            return None
        self.seen.add(id(node))
        tag = node.tag
        if tag is _SCALAR:
            return self._scalar(node)
        if tag is not _SEQ and tag is not _MAP:
            self.problems.append(_tag_problem(self.text, self.path, start, tag))
            return None
        if depth > MAX_DEPTH:
            self._problem(start, f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)")
            return None
        if tag is _SEQ:
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            key_mark = key_node.start_mark
            if key in first_line:
                self._problem(
                    key_mark, f"Schlüssel „{key}“ doppelt (zuerst in Zeile {first_line[key]})"
                )
                continue
            first_line[key] = key_mark.line + 1
            keys[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _key(self, node: Any) -> str | None:
        """The text of a mapping key, or None (and a problem) if it is not plain text."""
        mark = node.start_mark
        if id(node) in self.seen:
            self.alias = True
            return None
        self.seen.add(id(node))
        if node.tag is not _SCALAR:
            if node.id == "scalar":
                self.problems.append(_tag_problem(self.text, self.path, mark, node.tag))
            else:
                self._problem(mark, "Schlüssel muss ein einfacher Text sein")
            return None
        key: str = node.value
        if self.spans is not None:
            self.spans.append((mark.index, node.end_mark.index, not node.style))
        if not node.style and key[:1] not in _TEXT_STARTS:
            if key == "<<":
                self._problem(mark, "YAML-Merge („<<“) wird nicht unterstützt")
                return None
            kind = plain_kind(key)
            if kind == "null":
                shown = f" („{key}“ bedeutet in YAML „nichts“)" if key else ""
                self._problem(mark, f"leerer Schlüssel{shown}; bitte einen Namen angeben")
                return None
            if kind != "str":
                what = "ein Ja/Nein-Wert" if kind == "bool" else "eine Zahl"
                self._problem(
                    mark,
                    f"Schlüssel „{key}“ ist kein Text, sondern {what}; "
                    "bitte in Anführungszeichen setzen",
                )
                return None
        if not key:
            self._problem(mark, "leerer Schlüssel; bitte einen Namen angeben")
            return None
        if self.controls:
            bad = _VALUE_BAD_RE.search(key)
            if bad:
                message = f"{_describe_char(bad.group())} im Schlüssel ist nicht erlaubt"
                if node.style == '"' and bad.group() in _ONE_LETTER_ESCAPES:
                    message += _BACKSLASH_HINT
                self._problem(mark, message)
                return None
        return key


class EditError(Exception):
    """An edit that cannot be applied; the message is German and user-facing."""


class Editor:
    """Round-trip edits of one YAML file that keep comments, order and layout."""

    def __init__(self, text: str) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.util import load_yaml_guess_indent

        _, seq_indent, seq_offset = load_yaml_guess_indent(text)
        self._yaml = YAML(typ="rt")
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096  # never re-wrap a line the user wrote
        offset = 2 if seq_offset is None else seq_offset
        sequence = max(4 if seq_indent is None else seq_indent, offset + 2)
        self._yaml.indent(mapping=2, sequence=sequence, offset=offset)
        self.data = self._yaml.load(text)

    def _parent(self, path: Path, create: bool) -> Any:
        from ruamel.yaml.comments import CommentedMap

        node = self.data
        for i, part in enumerate(path[:-1]):
            if isinstance(node, list):
                if not isinstance(part, int) or not -len(node) <= part < len(node):
                    raise EditError(f"„{_dotted(path[: i + 1])}“: kein solcher Listeneintrag")
                node = node[part]
                continue
            if not isinstance(node, dict):
                raise EditError(f"„{_dotted(path[:i])}“ ist keine Zuordnung")
            if part not in node or node[part] is None:
                if not create:
                    raise EditError(f"Feld „{_dotted(path[: i + 1])}“ gibt es nicht")
                node[part] = CommentedMap()
            node = node[part]
        return node

    def set(self, path: Path, value: Any) -> None:
        parent = self._parent(path, create=True)
        key = path[-1]
        if isinstance(parent, list):
            if not isinstance(key, int) or not -len(parent) <= key < len(parent):
                raise EditError(f"„{_dotted(path)}“: kein solcher Listeneintrag")
        elif not isinstance(parent, dict):
            raise EditError(f"„{_dotted(path[:-1])}“ ist keine Zuordnung")
        parent[key] = _to_yaml(value)

    def remove(self, path: Path) -> None:
        parent = self._parent(path, create=False)
        key = path[-1]
        try:
            del parent[key]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"Feld „{_dotted(path)}“ gibt es nicht") from None

    def append(self, path: Path, value: Any) -> None:
        from ruamel.yaml.comments import CommentedSeq

        parent = self._parent(path, create=True)
        key = path[-1]
        current = parent.get(key) if isinstance(parent, dict) else None
        if current is None:
            parent[key] = current = CommentedSeq()
        if not isinstance(current, list):
            raise EditError(f"„{_dotted(path)}“ ist keine Liste; „+=“ geht nur bei Listen")
        current.append(_to_yaml(value))

    def remove_item(self, path: Path, value: Any) -> None:
        parent = self._parent(path, create=False)
        current = parent.get(path[-1]) if isinstance(parent, dict) else None
        if not isinstance(current, list):
            raise EditError(f"„{_dotted(path)}“ ist keine Liste; „-=“ geht nur bei Listen")
        for i, item in enumerate(current):
            if item == value:
                del current[i]
                return
        raise EditError(f"„{value}“ steht nicht in {_dotted(path)}")

    def dump(self) -> str:
        import io

        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()


def dump_new(data: dict[str, Any], header: str = "") -> str:
    """YAML text of a new record in the register's house style (lists indented)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    if header:
        out.write(header)
    yaml.dump(_to_yaml(data), out)
    return out.getvalue()


def _to_yaml(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _to_yaml(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_to_yaml(v) for v in value)
    return value


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)
