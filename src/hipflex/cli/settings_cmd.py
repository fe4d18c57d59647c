"""`hipflex settings`: view and change the preferences that shape your programme."""

from __future__ import annotations

from typing import Annotated

import typer

from hipflex.cli.words import span
from hipflex.domain.limits import (
    BLOCK_WEEKS_RANGE,
    BREAK_MINUTES_RANGE,
    FLOOR_GET_READY_SECONDS_RANGE,
    SESSIONS_PER_DAY_RANGE,
)


def settings(
    sessions_per_day: Annotated[
        int | None,
        typer.Option(help=f"Stretching sessions a day: {span(SESSIONS_PER_DAY_RANGE, ' or ')}."),
    ] = None,
    block_weeks: Annotated[
        int | None,
        typer.Option(help=f"Programme block length: {span(BLOCK_WEEKS_RANGE, ' to ')} weeks."),
    ] = None,
    break_minutes: Annotated[
        int | None,
        typer.Option(
            help=f"Minutes of sitting between movement breaks: {span(BREAK_MINUTES_RANGE, ' to ')}."
        ),
    ] = None,
    work_days: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="Your work days, e.g. mon-fri or mon,wed,fri."),
    ] = None,
    work_hours: Annotated[
        str | None,
        typer.Option(metavar="HH:MM-HH:MM", help="Your working hours, e.g. 09:00-17:30."),
    ] = None,
    floor_at_work: Annotated[
        bool | None,
        typer.Option(
            "--floor-at-work/--no-floor-at-work",
            help="Whether you have floor space at work for exercises lying down.",
        ),
    ] = None,
    sit_stand_desk: Annotated[
        bool | None,
        typer.Option("--sit-stand-desk/--no-sit-stand-desk", help="Whether your desk can stand."),
    ] = None,
    floor_get_ready: Annotated[
        int | None,
        typer.Option(
            metavar="SECONDS",
            help=(
                "Seconds to get down to the floor or up from it before an exercise in a "
                f"session: {span(FLOOR_GET_READY_SECONDS_RANGE, ' to ')}."
            ),
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(metavar="ZONE", help="Your time zone (IANA name, e.g. Europe/Berlin)."),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the settings as JSON.")
    ] = False,
) -> None:
    """View your preferences, or change them with the options (each one is checked)."""
    from hipflex.cli.settings_view import render_preferences
    from hipflex.domain.preferences import parse_weekdays, parse_work_hours
    from hipflex.services.context import open_app
    from hipflex.services.programme import get_preferences, update_preferences

    changes: dict[str, object] = {
        "sessions_per_day": sessions_per_day,
        "block_weeks": block_weeks,
        "break_minutes": break_minutes,
        "work_days": None if work_days is None else parse_weekdays(work_days),
        "floor_at_work": floor_at_work,
        "sit_stand_desk": sit_stand_desk,
        "timezone": timezone,
        "floor_get_ready_seconds": floor_get_ready,
    }
    if work_hours is not None:
        changes["work_start"], changes["work_end"] = parse_work_hours(work_hours)
    app = open_app()
    try:
        if any(value is not None for value in changes.values()):
            preferences = update_preferences(app, **changes)
            changed = True
        else:
            preferences = get_preferences(app)
            changed = False
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.common import json_text
        from hipflex.services.presenters.preferences import preferences_model

        print(json_text(preferences_model(preferences)))
    else:
        render_preferences(preferences, changed=changed)
