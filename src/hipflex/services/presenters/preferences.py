"""Preferences as JSON (`hipflex settings --json`, GET and PUT /preferences)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from hipflex.domain.preferences import Preferences, format_weekdays
from hipflex.services.presenters.common import Out


class PreferencesOut(Out):
    sessions_per_day: int
    block_weeks: int
    break_minutes: int
    work_days: str  # e.g. "mon,tue,wed,thu,fri"
    work_hours: Annotated[str, Field(pattern=r"^\d\d:\d\d-\d\d:\d\d$")]  # e.g. "09:00-17:00"
    floor_at_work: bool
    sit_stand_desk: bool
    timezone: str | None  # an IANA name; null follows the system's zone
    floor_get_ready_seconds: int  # the get-ready to or from the floor in a session


def preferences_model(preferences: Preferences) -> PreferencesOut:
    return PreferencesOut(
        sessions_per_day=preferences.sessions_per_day,
        block_weeks=preferences.block_weeks,
        break_minutes=preferences.break_minutes,
        work_days=format_weekdays(preferences.work_days),
        work_hours=f"{preferences.work_start:%H:%M}-{preferences.work_end:%H:%M}",
        floor_at_work=preferences.floor_at_work,
        sit_stand_desk=preferences.sit_stand_desk,
        timezone=preferences.timezone,
        floor_get_ready_seconds=preferences.floor_get_ready_seconds,
    )
