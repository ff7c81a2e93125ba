"""The typer application, its global options and the one error boundary.

Every command of ihk runs inside ``_Boundary.invoke``: an ``IhkError`` becomes its
message and exit code (1, or 2 for usage errors), an error of the environment (a
full disk, a missing permission) a German message and exit 1, and anything else — a
bug in ihk — a short German message and exit 3 (the traceback with ``IHK_DEBUG=1``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from ihk import __version__
from ihk.cli.i18n import german_help

if TYPE_CHECKING:
    from ihk.workspace import Workspace

german_help()

#: Exit code for a bug in ihk (user errors are 1, usage errors 2).
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


class _Boundary(typer.core.TyperGroup):
    """The top-level group: maps every exception of a command to a message and exit code."""

    def invoke(self, ctx: Any) -> Any:
        from ihk.errors import IhkError

        try:
            return super().invoke(ctx)
        except IhkError as e:
            from ihk.cli import console

            console.problems(e.problems)
            console.err(f"Fehler: {e.message}")
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            sys.stderr.write("Abgebrochen.\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as e:  # the environment: full disk, no permission, a folder as file …
            if _is_usage(e):
                raise
            from ihk.vocab import os_fehler

            sys.stderr.write(f"Fehler: {os_fehler(e)}\n")
            raise typer.Exit(1) from None
        except Exception as e:
            if _is_usage(e) or os.environ.get("IHK_DEBUG"):
                raise
            sys.stderr.write(
                f"Unerwarteter Fehler ({type(e).__name__}): Das ist ein Fehler in ihk, "
                "nicht in Ihren Daten.\nMit IHK_DEBUG=1 erscheinen die Einzelheiten "
                "für eine Fehlermeldung.\n"
            )
            raise typer.Exit(EXIT_BUG) from None


def _is_usage(e: BaseException) -> bool:
    """click's own exceptions (usage errors, exit) pass through to click's handling."""
    return type(e).__module__.startswith("typer._click")


app = typer.Typer(
    name="ihk",
    cls=_Boundary,
    help="Das Integrierte Handlungskonzept (IHK) eines Fördergebiets als Register in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    register: Optional[str] = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ihk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    register: Annotated[
        Optional[str],
        typer.Option(
            "--register",
            metavar="PFAD",
            help="Ordner des Registers (sonst IHK_REGISTER, dann die nächste ihk.yaml "
            "hier oder darüber, dann ./register/).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Version zeigen und beenden."
        ),
    ] = False,
) -> None:
    _State.register = register


def workspace() -> Workspace:
    """The register this call works on (SPEC §1), or a usage error that says how to name it."""
    from ihk.errors import RegisterNotFound, UsageError
    from ihk.register import find_root
    from ihk.workspace import Workspace

    try:
        return Workspace(find_root(_State.register))
    except RegisterNotFound as e:
        raise UsageError(
            f"{e.message}. Mit --register PFAD oder IHK_REGISTER angeben, "
            "oder mit „ihk init PFAD“ anlegen."
        ) from None


def interactive() -> bool:
    return sys.stdin.isatty()


def run() -> None:
    app()
