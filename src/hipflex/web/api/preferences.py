"""Preferences: read them, change some of them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from hipflex.services import programme
from hipflex.services.context import AppContext
from hipflex.web.deps import Context, RequestBody

router = APIRouter()
Json = dict[str, Any]


class PreferencesBody(RequestBody):
    sessions_per_day: int | None = None
    block_weeks: int | None = None
    break_minutes: int | None = None
    work_days: str | None = None
    work_hours: str | None = None
    floor_at_work: bool | None = None
    sit_stand_desk: bool | None = None
    timezone: str | None = None


def _preferences_json(app: AppContext) -> Json:
    from hipflex.domain.preferences import format_weekdays

    p = programme.get_preferences(app)
    return {
        "sessions_per_day": p.sessions_per_day,
        "block_weeks": p.block_weeks,
        "break_minutes": p.break_minutes,
        "work_days": format_weekdays(p.work_days),
        "work_hours": f"{p.work_start:%H:%M}-{p.work_end:%H:%M}",
        "floor_at_work": p.floor_at_work,
        "sit_stand_desk": p.sit_stand_desk,
        "timezone": p.timezone,
    }


@router.get("/preferences", summary="Your preferences")
def get_preferences(app: Context) -> Json:
    return _preferences_json(app)


@router.put("/preferences", summary="Change preferences (only the fields given)")
def put_preferences(body: PreferencesBody, app: Context) -> Json:
    from hipflex.domain.preferences import parse_weekdays, parse_work_hours

    changes: dict[str, object] = body.model_dump(exclude={"work_days", "work_hours"})
    if body.work_days is not None:
        changes["work_days"] = parse_weekdays(body.work_days)
    if body.work_hours is not None:
        changes["work_start"], changes["work_end"] = parse_work_hours(body.work_hours)
    programme.update_preferences(app, **changes)
    return _preferences_json(app)
