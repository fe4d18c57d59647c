"""The `hipflex` command. Imports stay light here so that `hipflex --help` starts fast."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from errno import EPIPE
from importlib import import_module
from typing import Annotated, Any

import typer

from hipflex import __version__
from hipflex.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    flush_stdout,
    guarded,
    stdout_fault_exit,
)
from hipflex.cli.strict import StrictGroup
from hipflex.errors import one_line

HELP = (
    "A self-care coach for hip flexors shortened by long hours of sitting. "
    "Start with `hipflex assess`. hipflex guides; it does not diagnose."
)


def _version(value: bool) -> None:
    if value:
        print(f"hipflex {__version__}")
        raise typer.Exit


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """A self-care coach for hip flexors shortened by sitting. Start with `hipflex assess`."""


# In the order a new user meets them: (name, module in hipflex.cli, function, short_help,
# the summary `hipflex --help` lists). A command's module is imported only when the
# command is built, so that a process builds only the command it runs (start-up speed).
COMMANDS = (
    ("assess", "assess_cmd", "assess", "Check your hip flexors: the self-tests, step by step."),
    ("plan", "plan_cmd", "plan", "This week's programme as exercise cards."),
    ("today", "plan_cmd", "today", "Today's sessions and movement breaks."),
    ("session", "session_cmd", "session", "A guided session with timers and cues."),
    ("break", "session_cmd", "movement_break", "The two-minute desk routine of a movement break."),
    ("progress", "progress_cmd", "progress", "Your adherence, pain verdict, tests and sitting."),
    ("report", "report_cmd", "report", "A progress report (PDF or HTML) for a physiotherapist."),
    ("retest", "assess_cmd", "assess", "Repeat the self-tests as a re-test of your block."),
    ("measure", "measure_cmd", "measure", "Measure the self-tests' angles from a side photo."),
    ("history", "history_cmd", "history", "Your saved assessments."),
    ("learn", "learn_cmd", "learn", "Why sitting tightens the hip flexors, and what helps."),
    ("exercises", "learn_cmd", "exercises", "The exercise cards."),
    ("settings", "settings_cmd", "settings", "View or change your preferences."),
    ("serve", "serve_cmd", "serve", "Start the web app on this computer."),
    ("export", "data_cmd", "export", "Export your data as JSON, CSV or FHIR."),
    ("import", "data_cmd", "import_", "Restore a JSON export into an empty hipflex."),
    ("backup", "data_cmd", "backup", "Copy your database to a new file."),
)
#: The command groups, after the commands: (name, module, Typer app, short_help).
GROUPS = (
    ("log", "log_cmd", "log_app", "Record pain, sitting, sessions and notes."),
    ("remind", "remind_cmd", "remind_app", "Movement-break reminders while you sit."),
    ("calendar", "calendar_cmd", "calendar_app", "Put your programme in a calendar app."),
    ("data", "data_cmd", "data_app", "Manage your data as a whole (erase)."),
    ("users", "users_cmd", "users_app", "Team mode: manage the server's accounts."),
    ("db", "db_cmd", "db_app", "The database's schema (`hipflex db upgrade`)."),
)
NAMES = frozenset(name for name, *_ in COMMANDS + GROUPS)


def _attribute(module: str, name: str) -> Any:
    return getattr(import_module(f"hipflex.cli.{module}"), name)


def build_app(only: str | None = None) -> typer.Typer:
    """The `hipflex` Typer app: every command, or only the one named `only` (what one
    process runs: its usage, help and errors are the same as in the whole app's)."""
    built = typer.Typer(
        name="hipflex",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,  # plain help: Rich's help renderer costs ~80 ms at start-up
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=StrictGroup,  # numbers as written, plain-text arguments, for every command
    )
    built.callback()(_root)
    for name, module, function, summary in COMMANDS:
        if only in (None, name):
            details = (
                "Repeat the self-tests and save them as a re-test of your current block."
                if name == "retest"
                else None
            )
            command = _attribute(module, function)
            built.command(name, short_help=summary, help=details)(guarded(command))
    for name, module, group, summary in GROUPS:
        if only in (None, name):
            built.add_typer(_attribute(module, group), name=name, short_help=summary)
    return built


def __getattr__(name: str) -> Any:
    """`app`: the whole command line, built on first use (tests and tools use it)."""
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: usage errors become one line too, never a traceback."""
    from typer.main import get_command

    arguments = list(argv) if argv is not None else sys.argv[1:]
    # Only the command asked for is built; anything else (an option first, a misspelt
    # command and its suggestions) gets the whole app.
    first = arguments[0] if arguments else None
    command = get_command(build_app(first if first in NAMES else None))
    try:
        code = command.main(
            args=arguments,
            prog_name="hipflex",
            standalone_mode=False,
        )
    except typer.TyperException as exc:  # click's usage errors and the like
        context = getattr(exc, "ctx", None)
        where = context.command_path if context is not None else "hipflex"
        message = one_line(exc.format_message())  # it may quote what was typed
        print(f"hipflex: error: {message} (see {where} --help)", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", EXIT_BAD_INPUT))
    except typer.Abort:
        print("\nhipflex: stopped.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:  # help text or a usage message to a full or closed output
        raise SystemExit(stdout_fault_exit(exc).exit_code) from None
    except SystemExit:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # Click's quiet closed pipe
            raise SystemExit(stdout_fault_exit(BrokenPipeError(EPIPE, "")).exit_code) from None
        raise
    try:
        flush_stdout()
    except typer.Exit as exc:
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else 0)
