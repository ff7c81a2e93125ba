"""Questions on the terminal, each answer checked at once and asked again with a hint.

Choices are offered as numbered lists and accept the number, the id or the title
(any case). Without a terminal every question is a usage error that names the option
to give instead (exit 2); the end of the input (Ctrl-D) ends the dialogue with nothing
written (exit 1). The dialogue goes to stderr, results stay on stdout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from ihk.cli import console, main
from ihk.errors import Refused, UsageError

#: (value, words shown next to it) of a numbered choice
Choice = tuple[str, str]


def ask(question: str, option: str) -> str:
    """One answer typed on the terminal (stripped), or a usage error naming ``option``."""
    if not main.interactive():
        raise UsageError(f"{option} fehlt (ohne Terminal kann ich nicht nachfragen)")
    answer = console.ask(question)
    if answer is None:  # Ctrl-D: console.err ends the open question's line
        raise Refused("Eingabe beendet; nichts geschrieben")
    return answer.strip()


def text(
    label: str,
    option: str,
    *,
    check: Optional[Callable[[str], Optional[str]]] = None,
) -> str:
    """A text that must not be empty; ``check`` returns a hint to ask again, or None."""
    while True:
        answer = " ".join(ask(f"{label}: ", option).split())
        hint = "Bitte etwas eingeben." if not answer else check(answer) if check else None
        if hint is None:
            return answer
        console.err(hint)


def several(label: str, option: str) -> list[str]:
    """Any number of texts, one per line; an empty line ends (at once: none)."""
    console.err(f"{label} – einer pro Zeile, leere Zeile beendet:")
    found: list[str] = []
    while True:
        answer = " ".join(ask(f"  {len(found) + 1}. ", option).split())
        if not answer:
            return found
        found.append(answer)


def yes_no(question: str, option: str, *, empty: Optional[bool] = None) -> Optional[bool]:
    """ja/nein (j/n, any case); an empty answer is ``empty`` when that is allowed."""
    while True:
        answer = ask(f"{question} ", option).lower()
        if answer in ("ja", "j", "nein", "n"):
            return answer.startswith("j")
        if not answer and empty is not None:
            return empty
        console.err("Bitte „ja“ oder „nein“ eingeben.")


def confirm(question: str, option: str) -> bool:
    """A yes/no question that must be answered."""
    return bool(yes_no(f"{question} (ja/nein)", option))


def number(label: str, option: str) -> int | float | None:
    """A number typed the German way (``vocab.zahl_aus_text``); empty: none."""
    from ihk.vocab import zahl_aus_text

    while True:
        answer = ask(f"{label} (leer: keine): ", option)
        if not answer:
            return None
        try:
            return zahl_aus_text(answer)
        except ValueError as e:
            console.err(f"Bitte noch einmal: {e}")


def pick(
    label: str,
    option: str,
    choices: list[Choice],
    *,
    default: Optional[str] = None,
    named: Optional[Callable[[str], Optional[str]]] = None,
    how: str = "Nummer, Kennung oder Titel",
) -> str:
    """One of ``choices``, offered as a numbered list: by number, value or the words
    shown (any case; a part of the words that fits only one choice is enough).
    ``named`` finds a value by other names (a state by its German words)."""
    width = max(len(value) for value, _ in choices)
    console.err(f"{label}:")
    for n, (value, words) in enumerate(choices, 1):
        console.err(f"  {n:>2}  {value:<{width}}  {words}".rstrip())
    shown = next((n for n, (v, _) in enumerate(choices, 1) if v == default), None)
    suffix = f" [{shown}: {default}]" if shown else ""
    while True:
        answer = ask(f"{label} ({how}){suffix}: ", option)
        if not answer and default is not None:
            return default
        found, hint = _chosen(answer, choices, named, how)
        if found is not None:
            if answer.casefold() not in (found.casefold(), str(_index(found, choices))):
                console.err(f"  → {found}")
            return found
        console.err(hint)


def _index(value: str, choices: list[Choice]) -> int:
    return next(n for n, (v, _) in enumerate(choices, 1) if v == value)


def _chosen(
    answer: str,
    choices: list[Choice],
    named: Optional[Callable[[str], Optional[str]]],
    how: str,
) -> tuple[Optional[str], str]:
    """The value ``answer`` means, or None and the hint to show."""
    wanted = " ".join(answer.split()).casefold()
    if not wanted:
        return None, f"Bitte aus der Liste wählen ({how})."
    if wanted.isdecimal() and wanted.isascii():
        n = int(wanted)
        if 1 <= n <= len(choices):
            return choices[n - 1][0], ""
        return None, f"Die Liste hat die Nummern 1 bis {len(choices)}."
    for value, words in choices:
        if wanted in (value.casefold(), words.casefold()):
            return value, ""
    if named is not None:
        other = named(answer)
        if other is not None and any(other == v for v, _ in choices):
            return other, ""
    parts = [v for v, words in choices if len(wanted) >= 3 and wanted in words.casefold()]
    if len(parts) == 1:
        return parts[0], ""
    if parts:
        return None, f"„{answer}“ passt zu mehreren: {', '.join(parts)}; bitte genauer."
    return None, f"„{answer}“ steht nicht in der Liste; bitte wählen: {how} (1–{len(choices)})."
