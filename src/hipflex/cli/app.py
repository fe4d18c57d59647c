"""The `hipflex` command. Imports stay light here so that `hipflex --help` starts fast."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from hipflex import __version__
from hipflex.cli import assess_cmd, data_cmd, history_cmd, learn_cmd, plan_cmd, settings_cmd
from hipflex.cli.calendar_cmd import calendar_app
from hipflex.cli.data_cmd import data_app
from hipflex.cli.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, guarded
from hipflex.cli.log_cmd import log_app
from hipflex.cli.progress_cmd import progress as progress_command
from hipflex.cli.remind_cmd import remind_app
from hipflex.cli.report_cmd import report as report_command
from hipflex.cli.serve_cmd import serve
from hipflex.cli.session_cmd import movement_break, session

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


app.command("assess")(guarded(assess_cmd.assess))
app.command("history")(guarded(history_cmd.history))
app.command("learn")(guarded(learn_cmd.learn))
app.command("exercises")(guarded(learn_cmd.exercises))
app.command("plan")(guarded(plan_cmd.plan))
app.command("today")(guarded(plan_cmd.today))
app.command("settings")(guarded(settings_cmd.settings))
app.add_typer(calendar_app, name="calendar")
app.add_typer(log_app, name="log")
app.command("progress")(guarded(progress_command))
app.command("report")(guarded(report_command))
app.command("session")(guarded(session))
app.command("break")(guarded(movement_break))
app.command("serve")(guarded(serve))
app.add_typer(remind_app, name="remind")
app.command(
    "retest", help="Repeat the self-tests and save them as a re-test of your current block."
)(guarded(assess_cmd.assess))
app.command("export")(guarded(data_cmd.export))
app.command("import")(guarded(data_cmd.import_))
app.command("backup")(guarded(data_cmd.backup))
app.add_typer(data_app, name="data")


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
        print(f"hipflex: error: {exc.format_message()} (see {where} --help)", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", EXIT_BAD_INPUT))
    except typer.Abort:
        print("\nhipflex: stopped.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)
