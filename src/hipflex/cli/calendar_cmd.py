"""`hipflex calendar export`: your sessions and movement breaks in any calendar app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hipflex.cli.errors import guarded
from hipflex.domain.plurals import counted

calendar_app = typer.Typer(
    help="Put your programme in a calendar app.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def export(
    file: Annotated[Path, typer.Argument(metavar="FILE.ics", help="Where to write the calendar.")],
    weeks: Annotated[
        int | None,
        typer.Option(help="How many weeks from this one (default: the rest of your block)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(metavar="ZONE", help="Time zone for the events (default: your setting)."),
    ] = None,
) -> None:
    """Write your sessions and movement breaks as an .ics file to import into a calendar.

    Sessions repeat every day, weekends included: on work days at their work-day times
    with the movement breaks, on other days at their own times without breaks. Each
    session has a reminder 5 minutes before.
    Exporting again later gives the same event ids, so re-importing updates the events
    instead of adding copies.
    """
    from hipflex.files import write_file
    from hipflex.reports.calendar import build_calendar
    from hipflex.services.context import open_app
    from hipflex.services.programme import calendar_plan

    app = open_app()
    try:
        plan = calendar_plan(app, weeks, timezone)
    finally:
        app.close()
    data = build_calendar(plan)
    write_file(file, data)
    events = sum(len(days[0].items) for w in plan.weeks for days in w.series)
    work_days = sum(len(w.work_days) for w in plan.weeks)
    print(
        f"Wrote {file}: {counted(len(plan.weeks), 'week')} of daily sessions, movement breaks "
        f"on {counted(work_days, 'work day')}, {counted(events, 'repeating event')} "
        f"({plan.zone.key}). Import it into your calendar app."
    )


calendar_app.command("export")(guarded(export))
