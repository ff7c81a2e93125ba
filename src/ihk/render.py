"""Rendering the Fortschreibung with jinja2 (the only module that imports it).

Templates run in a sandbox with StrictUndefined: a register's own template may not
reach into Python, and a misspelt variable is an error, not an empty string.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ihk.errors import InvalidInput
from ihk.fortschreibung import euro, monat_text
from ihk.markdown import cell, code
from ihk.markdown import text as inline_text

TEMPLATE_NAME = "fortschreibung.md.j2"


def builtin_template() -> str:
    return resources.files("ihk").joinpath("templates", TEMPLATE_NAME).read_text(encoding="utf-8")


def choose_template(register_root: Path, explicit: Path | None) -> tuple[str, str]:
    """(name for messages, template text): --template > register's templates/ > built-in."""
    candidates = [explicit] if explicit else [register_root / "templates" / TEMPLATE_NAME]
    for path in candidates:
        if path is not None and path.is_file():
            try:
                return str(path), path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise InvalidInput(f"{path}: Vorlage nicht lesbar ({e})") from None
    if explicit:
        raise InvalidInput(f"{explicit}: Vorlage nicht gefunden")
    return f"(eingebaut) {TEMPLATE_NAME}", builtin_template()


def render(template_text: str, name: str, data: dict[str, Any]) -> str:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: user text goes through `text`/`zelle`/`code`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text"] = inline_text
    env.filters["zelle"] = cell
    env.filters["code"] = code
    env.filters["monat"] = monat_text
    env.filters["euro"] = euro
    try:
        text = env.from_string(template_text).render(**data)
    except jinja2.TemplateSyntaxError as e:
        raise InvalidInput(f"{name}:{e.lineno}: Fehler in der Vorlage: {e.message}") from None
    except jinja2.UndefinedError as e:
        raise InvalidInput(
            f"{name}: Die Vorlage verwendet etwas Unbekanntes: {e.message}"
        ) from None
    except jinja2.TemplateError as e:
        raise InvalidInput(f"{name}: Fehler in der Vorlage: {e}") from None
    return tidy(text)


def tidy(text: str) -> str:
    """Collapse the blank lines that left-out sections leave behind, keep lists tight."""
    raw = [line.rstrip() for line in text.splitlines()]
    # following[i]: the first non-blank line after raw[i] ("" if none), in one pass
    following = [""] * len(raw)
    upcoming = ""
    for i in range(len(raw) - 1, -1, -1):
        following[i] = upcoming
        if raw[i] != "":
            upcoming = raw[i]
    lines: list[str] = []
    for i, line in enumerate(raw):
        if line == "":
            if not lines or lines[-1] == "":
                continue
            if lines[-1].startswith("- ") and following[i].startswith("- "):
                continue
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
