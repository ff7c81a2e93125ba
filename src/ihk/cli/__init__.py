"""The command line: parses arguments, calls one command function, prints its result.

Only this package prints or exits. ``app`` holds the one error boundary; each module
below registers the commands of one group on it.
"""

from ihk.cli import exchange, history, monitor, records, register, reports, verbs  # noqa: F401  (registers the commands)
from ihk.cli.main import app, run

__all__ = ["app", "run"]
