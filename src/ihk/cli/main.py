"""The typer application, its global options and the one error boundary.

Every command of ihk runs inside ``_Boundary.invoke``: an ``IhkError`` becomes its
message and exit code (1, or 2 for usage errors), an error of the environment (a
full disk, a missing permission) a German message and exit 1, and anything else — a
bug in ihk — a short German message and exit 3 (the traceback with ``IHK_DEBUG=1``).

``run`` is the entry point of the installed command. Before the app it prepares the
streams (``console.prepare_streams``) and turns SIGTERM and SIGHUP into ``Interrupted``,
a ``KeyboardInterrupt``: they end ihk like Ctrl-C, so every cleanup on the way out runs
(temporary files, rollbacks), with "Abgebrochen." and exit 128 + signal (143 for
SIGTERM, 129 for SIGHUP, 130 for Ctrl-C). A signal that comes while ihk is already on
its way out is ignored, so the cleanup can finish (SIGKILL always ends it). A reader
of stdout that goes away (``ihk log | head -1``) ends ihk quietly with 141.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from ihk import __version__
from ihk.cli import console
from ihk.cli.i18n import german_help
from ihk.cli.options import NO_CACHE_HELP, REGISTER_HELP, Chosen, register_given

if TYPE_CHECKING:
    from ihk.workspace import Workspace

german_help(console.clean)

#: Exit code for a bug in ihk (user errors are 1, usage errors 2).
EXIT_BUG = 3
#: Exit code for Ctrl-C; a SIGTERM or SIGHUP ends with 128 + its number.
EXIT_INTERRUPTED = 130


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that every cleanup on the way out runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    #: the first SIGTERM/SIGHUP received, if any
    received: Optional[int] = None
    #: set when ``run`` has its exit code: nothing left to interrupt
    done = False


def _on_signal(signum: int, frame: object) -> None:
    if _Signals.received is not None or _Signals.done:
        return  # already on the way out: let the cleanup finish
    _Signals.received = signum
    raise Interrupted(signum)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP raise ``Interrupted``; an ignored SIGHUP (nohup) stays ignored."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None or signal.getsignal(signum) == signal.SIG_IGN:
            continue
        signal.signal(signum, _on_signal)


def interrupted_code() -> int:
    return 128 + _Signals.received if _Signals.received else EXIT_INTERRUPTED


def _aborted() -> typer.Exit:
    console.err("Abgebrochen.")
    return typer.Exit(interrupted_code())


#: The order of ``ihk --help``: from a new register through everyday work to the Stand.
COMMAND_ORDER = (
    "init", "validate", "status", "finanzen", "monitoring", "export", "import", "add", "set",
    "show", "rm", "mv", "sitzung", "meilenstein", "wert", "commit", "log", "fortschreibung",
    "stand", "schema", "demo",
)  # fmt: skip


#: The variable the shell completion scripts set (``_IHK_COMPLETE=complete_bash ihk``).
COMPLETE_VAR = "_IHK_COMPLETE"


class _Boundary(typer.core.TyperGroup):
    """The top-level group: maps every exception of a command to a message and exit code."""

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Optional[str] = None
    ) -> None:
        complete_var = complete_var or COMPLETE_VAR
        instruction = os.environ.get(complete_var)
        if instruction:
            from typer._completion_classes import completion_init

            completion_init()  # typer's bash, zsh and fish classes (the scripts are typer's)
            # click's own style ("bash_complete", "zsh_source") as well as typer's
            first, _, second = instruction.partition("_")
            if first in ("bash", "zsh", "fish") and second in ("complete", "source"):
                os.environ[complete_var] = f"{second}_{first}"
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: Any) -> Any:
        from ihk.errors import IhkError

        try:
            return super().invoke(ctx)
        except IhkError as e:
            console.problems(e.problems)
            console.err(f"Fehler: {e.message}")
            raise typer.Exit(e.exit_code) from None
        except typer.Exit:
            raise
        except typer.Abort as e:
            # click's prompt turns Ctrl-C (and our SIGTERM) into Abort
            if isinstance(e.__context__, KeyboardInterrupt):
                raise _aborted() from None
            raise
        except KeyboardInterrupt:
            raise _aborted() from None
        except console.OutputClosed:
            console.silence()
            raise typer.Exit(console.EXIT_PIPE) from None
        except OSError as e:  # the environment: full disk, no permission, a folder as file …
            if _is_usage(e):
                raise
            from ihk.vocab import os_fehler

            console.err(f"Fehler: {os_fehler(e)}")
            raise typer.Exit(1) from None
        except Exception as e:
            if _is_usage(e) or os.environ.get("IHK_DEBUG"):
                raise
            console.err(
                f"Unerwarteter Fehler ({type(e).__name__}): Das ist ein Fehler in ihk, "
                "nicht in Ihren Daten.\nMit IHK_DEBUG=1 erscheinen die Einzelheiten "
                "für eine Fehlermeldung."
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


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def _show_completion(value: Optional[Shell]) -> None:
    if value is None:
        return
    from typer._completion_shared import get_completion_script

    console.out(get_completion_script(prog_name="ihk", complete_var=COMPLETE_VAR, shell=value))
    raise typer.Exit()


def _install_completion(value: Optional[Shell]) -> None:
    if value is None:
        return
    from typer._completion_shared import install

    try:
        _, path = install(shell=value, prog_name="ihk", complete_var=COMPLETE_VAR)
    except OSError as e:
        from ihk.vocab import os_fehler

        console.err(f"Fehler: Vervollständigung nicht eingerichtet: {os_fehler(e)}")
        raise typer.Exit(1) from None
    console.out(f"Vervollständigung für {value} eingerichtet: {path}")
    console.out("Sie wirkt in jedem neuen Terminal (oder nach „exec $SHELL“).")
    raise typer.Exit()


def _version(value: bool) -> None:
    if value:
        console.out(f"ihk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    register: Annotated[
        Optional[str],
        typer.Option(
            "--register",
            metavar="PFAD",
            help=REGISTER_HELP + " Auch nach dem Befehl möglich.",
            callback=register_given,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=NO_CACHE_HELP + " Auch nach dem Befehl möglich.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Version zeigen und beenden."
        ),
    ] = False,
    install_completion: Annotated[
        Optional[Shell],
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Tab-Vervollständigung für diese Shell einrichten (bash, zsh oder fish): "
            "Befehle, Optionen, Kennungen und Ziele des Registers.",
        ),
    ] = None,
    show_completion: Annotated[
        Optional[Shell],
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Das Skript der Tab-Vervollständigung für diese Shell zeigen, zum "
            "Einrichten von Hand.",
        ),
    ] = None,
) -> None:
    Chosen.register = register
    Chosen.no_cache = no_cache


def workspace() -> Workspace:
    """The register this call works on (SPEC §1), or a usage error that says how to name it."""
    from ihk.errors import RegisterNotFound, UsageError
    from ihk.register import find_root
    from ihk.workspace import Workspace

    try:
        return Workspace(find_root(Chosen.register), use_cache=not Chosen.no_cache)
    except RegisterNotFound as e:
        raise UsageError(
            f"{e.message}. Mit --register PFAD oder IHK_REGISTER angeben, "
            "oder mit „ihk init PFAD“ anlegen."
        ) from None


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _pipe_closed_in_click() -> bool:
    """click met a closed pipe outside the boundary (``ihk --help | true``)."""
    from typer._click.utils import PacifyFlushWrapper

    return isinstance(sys.stdout, PacifyFlushWrapper)


def run() -> None:
    """The installed command: streams and signals prepared, the app, a quiet end."""
    from ihk import Process

    Process.short_lived = True
    # A report builds many objects that all live until it is printed; the collector's
    # default (a pass every 700 allocations) rescans them again and again for nothing.
    # Passes every 200,000 allocations (as mypy does) make reports 5-10 % faster; what
    # reading leaves alive is frozen anyway (``register.collector_paused``).
    gc.set_threshold(200_000, 30, 30)
    console.prepare_streams()
    install_signal_handlers()
    try:
        try:
            app(prog_name="ihk", complete_var=COMPLETE_VAR)
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if _pipe_closed_in_click():
                code = console.EXIT_PIPE
        code = console.finish(code)
    except KeyboardInterrupt:  # outside the boundary: start-up, parsing, the last flush
        console.err("Abgebrochen.")
        code = EXIT_INTERRUPTED
    _Signals.done = True
    sys.exit(interrupted_code() if _Signals.received else code)
