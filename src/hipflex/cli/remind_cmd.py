"""`hipflex remind`: the movement-break reminder (foreground), its install and status."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from hipflex.cli.errors import guarded
from hipflex.cli.words import span
from hipflex.domain.breaks import MAX_SNOOZES_IN_A_ROW, SNOOZE_MINUTES
from hipflex.domain.limits import BREAK_MINUTES_RANGE

remind_app = typer.Typer(
    help="Movement-break reminders that know when you have been sitting.",
    invoke_without_command=True,
    rich_markup_mode=None,
)


def data_folder() -> Path:
    """Where the daemon keeps its status and lock: the data folder, without loading the
    settings machinery (the daemon stays small)."""
    given = os.environ.get("HIPFLEX_DATA_DIR")
    if given:
        return Path(given).expanduser()
    from platformdirs import user_data_path

    return user_data_path("hipflex", appauthor=False)


def remind(
    ctx: typer.Context,
    install: Annotated[
        bool, typer.Option("--install", help="Start the reminder with your desktop session.")
    ] = False,
    uninstall: Annotated[
        bool, typer.Option("--uninstall", help="Stop starting it with your desktop session.")
    ] = False,
    terminal: Annotated[
        bool,
        typer.Option("--terminal", help="Remind in this terminal, not with desktop notifications."),
    ] = False,
    natural_break: Annotated[
        float,
        typer.Option(
            "--natural-break",
            metavar="MINUTES",
            min=1.0,
            max=29.0,
            help="Away from the computer this long counts as a break (default 3).",
        ),
    ] = 3.0,
    quiet: Annotated[
        list[str] | None,
        typer.Option(
            metavar="HH:MM-HH:MM", help="A daily quiet period with no reminders (repeat)."
        ),
    ] = None,
    speed: Annotated[
        float, typer.Option(min=0.1, max=10000.0, hidden=True, help="Run the clock faster.")
    ] = 1.0,
) -> None:
    """Run the movement-break reminder in the foreground (Ctrl+C stops it)."""
    if ctx.invoked_subcommand is not None:
        return
    if install and uninstall:
        from hipflex.domain.errors import BadInput

        msg = "choose --install or --uninstall, not both"
        raise BadInput(msg)
    if install or uninstall:
        from hipflex.cli.remind_run import install_or_uninstall

        install_or_uninstall(install=install)
        return
    from hipflex.cli.remind_run import exec_daemon

    exec_daemon(
        data_folder(),
        terminal=terminal,
        speed=speed,
        natural_break=natural_break,
        quiet=quiet or [],
    )


def status(
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Is the reminder running, when is the next break, and today's sitting and breaks."""
    from hipflex.cli.remind_run import show_status

    show_status(data_folder(), as_json=json_output)


REMIND_HELP = f"""Run the movement-break reminder in the foreground (Ctrl+C stops it).

It watches your keyboard and mouse activity (X11, GNOME, KDE, or a plain timer when none
can tell), reminds you after {span(BREAK_MINUTES_RANGE)} minutes of sitting during your
work hours, and offers the two-minute routine (only a short walk until your answers to
the safety questions are clear), a {SNOOZE_MINUTES:g}-minute snooze ({MAX_SNOOZES_IN_A_ROW}
times in a row at most) or a skip.
"""

remind_app.callback(help=REMIND_HELP)(guarded(remind))
remind_app.command("status")(guarded(status))
