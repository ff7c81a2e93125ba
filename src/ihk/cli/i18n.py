"""German for the help and usage messages that typer and its vendored click print."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_GERMAN = {
    "Options": "Optionen",
    "Arguments": "Argumente",
    "Commands": "Befehle",
    "Aborted!": "Abgebrochen!",
    "default: {default}": "Vorgabe: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "required": "Pflicht",
    "(dynamic)": "(dynamisch)",
    "Missing command.": "Befehl fehlt.",
    "No such command {name!r}.": "Unbekannter Befehl {name!r}.",
}


def _translate(text: str) -> str:
    return _GERMAN.get(text, text)


_USAGE_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^No such option: (\S+) \(Possible options: (.*)\)$"),
        r"Unbekannte Option: \1 (meinten Sie: \2?)",
    ),
    (re.compile(r"^No such option: (\S+)$"), r"Unbekannte Option: \1"),
    (re.compile(r"^Missing argument '([^']*)'\.?.*$"), r"Argument \1 fehlt."),
    (re.compile(r"^Missing option '([^']*)'\.?.*$"), r"Option \1 fehlt."),
    (re.compile(r"^Missing parameter:? ?(.*)$"), r"Angabe fehlt: \1"),
    (re.compile(r"^Option '([^']*)' requires an argument\.?$"), r"Option \1 braucht einen Wert."),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), r"Unerwartete Argumente: \1"),
    (re.compile(r"^No such command '([^']*)'\.?$"), r"Unbekannter Befehl: \1"),
    (
        re.compile(r"^Invalid value for ([^:]*): '?(.*?)'? is not one of (.*)\.$"),
        r"Ungültiger Wert für \1: „\2“; erlaubt: \3",
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
]


def german_usage_error(message: str) -> str:
    for pattern, replacement in _INNER:
        message = pattern.sub(replacement, message)
    for pattern, german in _USAGE_ERRORS:
        if pattern.match(message):
            return pattern.sub(german, message)
    return message


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
