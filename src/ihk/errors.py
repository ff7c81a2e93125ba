"""Problems (errors as values) and the one exception hierarchy of ihk.

Every module below the CLI raises an ``IhkError`` subclass; the CLI maps them to exit
codes in one place (``cli.run``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: path as shown to the user, 1-based line and column.

    A cell of a workbook also has ``cell``, the sheet and cell as spreadsheets name it
    (``IHK!B7``); it is shown instead of line and column (which then order the cells
    by row, then column): ``ihk.xlsx:IHK!B7``.
    """

    path: str
    line: int = 0
    col: int = 0
    cell: str = ""

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.cell}"
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str
    warning: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        prefix = "warnung: " if self.warning else ""
        return f"{self.location}: {prefix}{self.message}"


class IhkError(Exception):
    """Base of everything a user can cause. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = sorted(problems or [])


class UsageError(IhkError):
    """Wrong use of the command line (exit 2), e.g. no register found."""

    exit_code = 2


class RegisterNotFound(UsageError):
    pass


class InvalidInput(IhkError):
    """The register or the input is invalid; nothing was changed."""


class Refused(IhkError):
    """The command refuses to act (record exists, tag exists, ...)."""


class Uncommitted(Refused):
    """A file has changes that are not committed; committing it would take them along."""


class Similar(Refused):
    """A new record's title is very close to an existing one's (a likely duplicate)."""


class StandExists(Refused):
    """The Stand of that year is already set."""


class GitError(IhkError):
    """git could not do what was asked."""
