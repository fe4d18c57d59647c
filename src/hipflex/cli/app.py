"""The `hipflex` command. Imports stay light here so that `hipflex --help` starts fast."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from errno import EPIPE
from typing import Annotated

import typer

from hipflex import __version__
from hipflex.cli import (
    assess_cmd,
    data_cmd,
    history_cmd,
    learn_cmd,
    measure_cmd,
    plan_cmd,
    settings_cmd,
)
from hipflex.cli.calendar_cmd import calendar_app
from hipflex.cli.data_cmd import data_app
from hipflex.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    flush_stdout,
    guarded,
    stdout_fault_exit,
)
from hipflex.cli.log_cmd import log_app
from hipflex.cli.progress_cmd import progress as progress_command
from hipflex.cli.remind_cmd import remind_app
from hipflex.cli.report_cmd import report as report_command
from hipflex.cli.serve_cmd import serve
from hipflex.cli.session_cmd import movement_break, session
from hipflex.cli.strict import StrictGroup
from hipflex.errors import one_line

app = typer.Typer(
    name="hipflex",
    help=(
        "A self-care coach for hip flexors shortened by long hours of sitting. "
        "Start with `hipflex assess`. hipflex guides; it does not diagnose."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: Rich's help renderer costs ~80 ms at start-up
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=StrictGroup,  # numbers as written, plain-text arguments, for every command
)


def _version(value: bool) -> None:
    if value:
        print(f"hipflex {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """A self-care coach for hip flexors shortened by sitting. Start with `hipflex assess`."""


# In the order a new user meets them; short_help is what `hipflex --help` lists.
COMMANDS = (
    ("assess", assess_cmd.assess, "Check your hip flexors: the self-tests, step by step."),
    ("plan", plan_cmd.plan, "This week's programme as exercise cards."),
    ("today", plan_cmd.today, "Today's sessions and movement breaks."),
    ("session", session, "A guided session with timers and cues."),
    ("break", movement_break, "The two-minute desk routine of a movement break."),
    ("progress", progress_command, "Your adherence, pain verdict, tests and sitting."),
    ("report", report_command, "A progress report (PDF or HTML) for a physiotherapist."),
    ("retest", assess_cmd.assess, "Repeat the self-tests as a re-test of your block."),
    ("measure", measure_cmd.measure, "Measure the self-tests' angles from a side photo."),
    ("history", history_cmd.history, "Your saved assessments."),
    ("learn", learn_cmd.learn, "Why sitting tightens the hip flexors, and what helps."),
    ("exercises", learn_cmd.exercises, "The exercise cards."),
    ("settings", settings_cmd.settings, "View or change your preferences."),
    ("serve", serve, "Start the web app on this computer."),
    ("export", data_cmd.export, "Export your data as JSON, CSV or FHIR."),
    ("import", data_cmd.import_, "Restore a JSON export into an empty hipflex."),
    ("backup", data_cmd.backup, "Copy your database to a new file."),
)
for name, command, summary in COMMANDS:
    details = (
        "Repeat the self-tests and save them as a re-test of your current block."
        if name == "retest"
        else None
    )
    app.command(name, short_help=summary, help=details)(guarded(command))
app.add_typer(log_app, name="log", short_help="Record pain, sitting, sessions and notes.")
app.add_typer(remind_app, name="remind", short_help="Movement-break reminders while you sit.")
app.add_typer(calendar_app, name="calendar", short_help="Put your programme in a calendar app.")
app.add_typer(data_app, name="data", short_help="Manage your data as a whole (erase).")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: usage errors become one line too, never a traceback."""
    from typer.main import get_command

    command = get_command(app)
    try:
        code = command.main(
            args=list(argv) if argv is not None else None,
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
