"""Rendering the preferences."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from hipflex.cli.terminal import Console
from hipflex.cli.words import span
from hipflex.domain.limits import (
    BLOCK_WEEKS_RANGE,
    BREAK_MINUTES_RANGE,
    FLOOR_GET_READY_SECONDS_RANGE,
    SESSIONS_PER_DAY_RANGE,
)
from hipflex.domain.preferences import Preferences, format_weekdays
from hipflex.services.timezones import system_zone_name


def render_preferences(
    preferences: Preferences, *, changed: bool, console: Console | None = None
) -> None:
    out = console or Console()
    table = Table(title="Your settings" + (" (saved)" if changed else ""), title_justify="left")
    table.add_column("Setting", style="bold")
    table.add_column("Value")
    table.add_column("Change with")
    zone = preferences.timezone or f"system ({system_zone_name()})"
    rows = [
        (
            "Sessions a day",
            str(preferences.sessions_per_day),
            f"--sessions-per-day {span(SESSIONS_PER_DAY_RANGE, '|')}",
        ),
        (
            "Block length",
            f"{preferences.block_weeks} weeks",
            f"--block-weeks {span(BLOCK_WEEKS_RANGE, '-')}",
        ),
        (
            "Movement break every",
            f"{preferences.break_minutes} min",
            f"--break-minutes {span(BREAK_MINUTES_RANGE, '-')}",
        ),
        ("Work days", format_weekdays(preferences.work_days), "--work-days mon-fri"),
        (
            "Work hours",
            f"{preferences.work_start:%H:%M}-{preferences.work_end:%H:%M}",
            "--work-hours 09:00-17:00",
        ),
        (
            "Floor space at work",
            "yes" if preferences.floor_at_work else "no",
            "--[no-]floor-at-work",
        ),
        ("Sit-stand desk", "yes" if preferences.sit_stand_desk else "no", "--[no-]sit-stand-desk"),
        (
            "Get ready to or from the floor",
            f"{preferences.floor_get_ready_seconds} s",
            f"--floor-get-ready {span(FLOOR_GET_READY_SECONDS_RANGE, '-')}",
        ),
        ("Time zone", zone, "--timezone Europe/Berlin"),
    ]
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)
