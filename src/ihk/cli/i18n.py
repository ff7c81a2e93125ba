"""German for the help and usage messages that typer and its vendored click print."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_GERMAN = {
    "Options": "Optionen",
    "Arguments": "Argumente",
    "Commands": "Befehle",
    "Aborted!": "Abgebrochen.",
    "default: {default}": "Vorgabe: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "required": "Pflicht",
    "(dynamic)": "(dynamisch)",
    "Missing command.": "Befehl fehlt.",
    "No such command {name!r}.": "Unbekannter Befehl „{name}“.",
}


def _translate(text: str) -> str:
    return _GERMAN.get(text, text)


def _unquote_all(text: str) -> str:
    return text.replace("'", "")


_USAGE_ERRORS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^No such option: (\S+) \(Possible options: (.*)\)$"),
        r"Unbekannte Option: \1 (meinten Sie: \2?)",
    ),
    (re.compile(r"^No such option: (\S+)$"), r"Unbekannte Option: \1"),
    (re.compile(r"^Missing argument '([^']*)'\.?.*$"), r"Argument \1 fehlt."),
    (re.compile(r"^Missing option '([^']*)'\.?.*$"), r"Option \1 fehlt."),
    (re.compile(r"^Missing parameter:? ?(.*)$"), r"Angabe fehlt: \1"),
    (re.compile(r"^Option '([^']*)' requires an argument\.?$"), r"Option \1 braucht einen Wert."),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"),
        r"Zu viele Argumente: „\1“",
    ),
    (re.compile(r"^No such command '([^']*)'\.?$"), r"Unbekannter Befehl „\1“."),
    (
        re.compile(r"^Option '([^']*)' does not take a value\.?$"),
        r"Option \1 nimmt keinen Wert.",
    ),
    (
        re.compile(r"^Option '([^']*)' requires (\d+) arguments\.?$"),
        r"Option \1 braucht \2 Werte.",
    ),
    (
        re.compile(r"^Invalid value for ([^:]*): '?(.*?)'? is not one of (.*)\.$"),
        lambda m: f"Ungültiger Wert für {m[1]}: „{m[2]}“; erlaubt: {_unquote_all(m[3])}",
    ),
    (
        re.compile(r"^Invalid value for ([^:]*): '?(.*?)'? is not a valid (float|integer)\.?$"),
        r"Ungültiger Wert für \1: „\2“ ist keine Zahl",
    ),
    (re.compile(r"^Invalid value for ([^:]*): (.*)$"), r"Ungültiger Wert für \1: \2"),
]


_INNER = [
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be a valid number.*$"), "keine Zahl"),
    (re.compile(r"Input should be a valid integer.*$"), "keine ganze Zahl"),
    (re.compile(r"Input should be a valid boolean.*$"), "kein Ja/Nein-Wert"),
    (re.compile(r"Value '?(.*?)'? is not a valid \w+\.?$"), r"„\1“ ist kein gültiger Wert"),
]


def _unquoted(match: re.Match[str]) -> str:
    return match[1] + re.sub(r"'([^'\s]+)'", r"\1", match[2])


#: typer's command suggestion, appended to "No such command …": ". Did you mean 'x'?"
_SUGGESTION = re.compile(r"\.? Did you mean (.*)\?$")


def _suggestion(match: re.Match[str]) -> str:
    names = [f"„{name}“" for name in re.findall(r"'([^']*)'", match[1]) or [match[1]]]
    listed = ", ".join(names[:-1]) + " oder " + names[-1] if len(names) > 1 else names[0]
    return f" – meinten Sie {listed}?"


def german_usage_error(message: str) -> str:
    """click's and typer's English usage errors in German (unknown ones stay as they are)."""
    hint = ""
    suggestion = _SUGGESTION.search(message)
    if suggestion:
        hint = _suggestion(suggestion)
        message = message[: suggestion.start()]
    for pattern, replacement in _INNER:
        message = pattern.sub(replacement, message)
    for pattern, german in _USAGE_ERRORS:
        if pattern.match(message):
            message = pattern.sub(german, message)
            break
    # click quotes names English-style: 'ID', '-n' / '--anzahl'
    message = re.sub(r"^(Ungültiger Wert für )([^:]*)", _unquoted, message)
    return message.rstrip(".") + hint if hint else message


#: typer's type names in help (``<str>``, ``<path>``, ``<list[str]>``) as German placeholders
_TYPE_WORDS = {
    "str": "TEXT",
    "text": "TEXT",
    "path": "PFAD",
    "file": "DATEI",
    "directory": "ORDNER",
    "int": "ZAHL",
    "integer": "ZAHL",
    "float": "ZAHL",
}
_TYPE = re.compile(r"<([^<>]*)>")


def _german_type(match: re.Match[str]) -> str:
    inner = re.sub(r"^list\[(.*)\]$", r"\1", match[1])
    return _TYPE_WORDS.get(inner.lower(), inner if "|" in inner else "WERT")


def german_placeholder(text: str) -> str:
    """A name in help or usage as German readers expect it: ``<str>`` → TEXT,
    ``<text|json>`` → text|json, ``{PFAD}`` → PFAD, ``[[ID]]`` → [ID], ``...`` → …"""
    text = _TYPE.sub(_german_type, text)
    text = re.sub(r"^\{(.*)\}", r"\1", text)
    text = re.sub(r"^\[\[(.*)\]\]", r"[\1]", text)
    return text.replace("...", "…")


def _same(text: str) -> str:
    return text


class _Output:
    #: makes text safe for the terminal (``console.clean``; set by ``german_help``)
    clean: Callable[[str], str] = _same


def _show_usage_error(self: Any, file: Any = None) -> None:
    import sys

    stream = file or sys.stderr
    clean = _Output.clean
    if self.ctx is not None:
        usage = f"{self.ctx.get_usage()}\nHilfe: '{self.ctx.command_path} --help'\n\n"
        stream.write(clean(usage))
    # the message quotes what the user typed, which may hold control characters
    stream.write(clean(f"Fehler: {german_usage_error(self.format_message())}") + "\n")


def german_help(clean: Callable[[str], str] = _same) -> None:
    """Swap typer's English strings for German (typer has no German catalogue).

    ``clean`` makes usage errors safe to print (they quote what the user typed).
    """
    _Output.clean = clean
    import typer.core
    from typer._click import core as click_core
    from typer._click import exceptions as click_exceptions
    from typer._click import formatting

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[OPTIONEN]").replace("COMMAND [ARGS]...", "BEFEHL …")
        original_usage(self, prog, args, "Aufruf: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = "Diese Hilfe zeigen und beenden."
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    click_exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]

    # The CLI runs with rich_markup_mode=None, so typer.core formats help and errors;
    # typer.rich_utils (60 ms of imports) is never needed and never imported.
    typer.core._ = _translate  # type: ignore[attr-defined,assignment]
    _german_placeholders(typer.core.TyperArgument, typer.core.TyperOption)


def _german_placeholders(argument: type, option: type) -> None:
    """Help records and usage pieces of arguments and options with German placeholders."""
    for cls in (argument, option):
        help_record = cls.get_help_record  # type: ignore[attr-defined]

        def get_help_record(self: Any, ctx: Any, _original: Any = help_record) -> Any:
            record = _original(self, ctx)
            if record is None:
                return None
            name, text = record
            if isinstance(self, argument):
                name = _TYPE.sub("", name).rstrip()  # the argument's name says it all
            return german_placeholder(name), text

        cls.get_help_record = get_help_record  # type: ignore[attr-defined]
        usage_pieces = cls.get_usage_pieces  # type: ignore[attr-defined]

        def get_usage_pieces(self: Any, ctx: Any, _original: Any = usage_pieces) -> Any:
            return [german_placeholder(piece) for piece in _original(self, ctx)]

        cls.get_usage_pieces = get_usage_pieces  # type: ignore[attr-defined]
