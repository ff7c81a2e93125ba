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


#: The classes of problems (``Problem.code``): stable ids for scripts and CI reports
#: (SARIF rule ids, code-quality check names). Their German descriptions are
#: ``vocab.PROBLEMARTEN``.
DATEI = "datei"  # the file itself: name, ending, stray or unreadable file, missing ihk.yaml
YAML = "yaml"  # not YAML that ihk reads: encoding, syntax, tags, aliases, duplicate keys
SCHLUESSEL = "schluessel"  # a required key missing, or a key the kind does not know
WERT = "wert"  # a value of the wrong type, format or range
VERWEIS = "verweis"  # an id that names no goal, source or record
REGEL = "regel"  # a record's own rule across its fields (period, sums, duplicate years)
SCHEMA = "schema"  # the register's editor schemas (.ihk/schema) are out of date
CODES = (DATEI, YAML, SCHLUESSEL, WERT, VERWEIS, REGEL, SCHEMA)


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str
    warning: bool = field(default=False, compare=False)
    #: the class of the problem (one of ``CODES``); "" where no class applies
    code: str = field(default="", compare=False)

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
