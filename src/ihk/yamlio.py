"""YAML in and out; the only module that imports a YAML library.

Reading (``parse``) composes the document with libyaml (PyYAML's C parser: about three
times faster than ruamel's C loader) into a node tree that carries line/column marks,
then builds plain Python values with YAML 1.2 *core* semantics ourselves — only
``true``/``false`` are booleans, ``no``/``ja`` stay text — and records the position of
every key and value. Editing (``Editor``) uses ruamel's round-trip mode, the only
thing that keeps comments and layout; whatever it writes is read back through
``parse`` before it is accepted, so reader and editor can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ihk.errors import Location, Problem

Path = tuple[str | int, ...]

_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF_RE = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN_RE = re.compile(r"^\.(nan|NaN|NAN)$")


_TEXT_STARTS = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZäöüÄÖÜß„\"'(«")


def resolve_plain(text: str) -> Any:
    """Value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if text and text[0] in _TEXT_STARTS:  # fast path: most values are words
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT_RE.match(text):
        return int(text)
    if _OCT_RE.match(text):
        return int(text[2:], 8)
    if _HEX_RE.match(text):
        return int(text[2:], 16)
    if _FLOAT_RE.match(text):
        return float(text)
    if _INF_RE.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN_RE.match(text):
        return float("nan")
    return text


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
    """UTF-8 (with or without BOM); anything else is a problem at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = e.start
        line = data.count(b"\n", 0, start) + 1
        col = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise YamlProblems(
            [
                Problem(
                    Location(path, line, col),
                    f"Die Datei ist nicht UTF-8-kodiert (Byte 0x{data[start]:02X}); "
                    "bitte als UTF-8 speichern",
                )
            ]
        ) from None


def parse(text: str, path: str) -> Document:
    """Parse one YAML document into plain values with positions, or raise YamlProblems."""
    conflict = _CONFLICT_RE.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise YamlProblems(
            [
                Problem(
                    Location(path, line, 1),
                    f"ungelöster git-Konflikt (Konfliktmarke „{conflict.group(1)}“); "
                    "bitte den Konflikt auflösen",
                )
            ]
        )
    import yaml

    loader_cls = _loader()
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as e:
        raise YamlProblems([_syntax_problem(e, text, path)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - libyaml always gives marks
        raise YamlProblems([Problem(Location(path, 1, 1), f"YAML-Fehler: {e}")]) from None
    if node is None:
        raise YamlProblems([Problem(Location(path, 1, 1), "Die Datei ist leer")])
    doc = Document(data=None)
    builder = _Builder(doc, path)
    doc.data = builder.build(node, ())
    if builder.alias:
        builder.problems.append(_alias_problem(text, path, loader_cls))
    if builder.problems:
        raise YamlProblems(builder.problems)
    return doc


_TAGS = {
    "scalar": "tag:yaml.org,2002:str",
    "sequence": "tag:yaml.org,2002:seq",
    "mapping": "tag:yaml.org,2002:map",
}
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
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            import yaml

            _LOADER = yaml.SafeLoader
            return _LOADER

        class _Loader(CParser):
            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                return _TAGS[kind.id]

            def descend_resolver(self, parent: Any, index: Any) -> None:
                pass

            def ascend_resolver(self) -> None:
                pass

        _LOADER = _Loader
    return _LOADER


def _alias_problem(text: str, path: str, loader_cls: Any) -> Problem:
    import yaml

    # The composed tree no longer knows where the alias stood; the event stream does.
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            mark = event.start_mark
            return Problem(
                Location(path, mark.line + 1, mark.column + 1),
                "YAML-Aliase (*name) werden nicht unterstützt",
            )
    return Problem(Location(path, 1, 1), "YAML-Aliase (*name) werden nicht unterstützt")


def _syntax_problem(e: Any, text: str, path: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    if e.context_mark is not None and "end of stream" in str(e.problem):
        mark = e.context_mark  # an unclosed quote: point at where it opened
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    # A tab in the indentation is the classic cause; say so, at the tab.
    for no, content in enumerate(text.splitlines()[:line], start=1):
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                Location(path, no, indent.index("\t") + 1),
                "Tabulator in der Einrückung; YAML erlaubt nur Leerzeichen",
            )
    problem = str(e.problem or e.context or "").strip()
    return Problem(Location(path, line, col), f"YAML-Syntaxfehler: {_german_yaml(problem)}")


_YAML_MESSAGES = {
    "mapping values are not allowed": "„:“ an dieser Stelle nicht erlaubt "
    "(Text mit Doppelpunkt bitte in Anführungszeichen setzen)",
    "could not find expected ':'": "„:“ nach dem Schlüssel erwartet",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen nicht geschlossen?)",
    "did not find expected key": "Schlüssel erwartet (Einrückung prüfen)",
    "did not find expected '-' indicator": "Listeneintrag „- “ erwartet (Einrückung prüfen)",
    "found undefined alias": "unbekannter Alias",
    "but found another document": "mehrere Dokumente in einer Datei",
    "found character that cannot start any token": "Zeichen, mit dem kein YAML-Wert beginnen kann",
    "did not find expected node content": "Wert erwartet",
    "did not find expected ',' or ']'": "„,“ oder „]“ erwartet (Liste in eckigen Klammern)",
    "did not find expected ',' or '}'": "„,“ oder „}“ erwartet (Zuordnung in geschweiften Klammern)",
    "found a tab character": "Tabulator an dieser Stelle nicht erlaubt",
}


def _german_yaml(problem: str) -> str:
    for english, german in _YAML_MESSAGES.items():
        if problem.startswith(english):
            return german
    return problem or "unlesbares YAML"


class _Builder:
    """Turns a composed node tree into Python values, recording positions."""

    def __init__(self, doc: Document, path: str) -> None:
        self.doc = doc
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias = False

    def _problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(Location(self.path, mark.line + 1, mark.column + 1), message))

    def build(self, node: Any, path: Path) -> Any:
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
        if tag not in _PLAIN_TAGS and (
            tag.startswith("!")
            or not tag.startswith("tag:yaml.org,2002:")
            or tag[18:] not in _KNOWN_TAGS
        ):
            self._problem(start, f"YAML-Tag „{tag}“ wird nicht unterstützt")
            return None
        kind = node.id
        if kind == "scalar":
            if not node.style:  # plain scalar (libyaml reports "" or None)
                return resolve_plain(node.value)
            return node.value
        if kind == "sequence":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            if key_node.id != "scalar":
                self._problem(key_mark, "Schlüssel muss ein einfacher Text sein")
                continue
            key = key_node.value if key_node.style else resolve_plain(key_node.value)
            if key == "<<" and not key_node.style:
                self._problem(key_mark, "YAML-Merge („<<“) wird nicht unterstützt")
                continue
            key = str(key)
            if key in first_line:
                self._problem(
                    key_mark, f"Schlüssel „{key}“ doppelt (zuerst in Zeile {first_line[key]})"
                )
                continue
            first_line[key] = key_mark.line + 1
            keys[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result


_KNOWN_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary"}
_PLAIN_TAGS = frozenset(_TAGS.values())


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
