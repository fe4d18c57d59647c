"""Preferences: read them, change some of them."""

from __future__ import annotations

from fastapi import APIRouter

from hipflex.services import programme
from hipflex.services.presenters.preferences import PreferencesOut, preferences_model
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, Flag, RequestBody, Whole

router = APIRouter()


class PreferencesBody(RequestBody):
    sessions_per_day: Whole | None = None
    block_weeks: Whole | None = None
    break_minutes: Whole | None = None
    work_days: str | None = None
    work_hours: str | None = None
    floor_at_work: Flag | None = None
    sit_stand_desk: Flag | None = None
    timezone: str | None = None
    floor_get_ready_seconds: Whole | None = None


@router.get("/preferences", summary="Your preferences", responses=refusals())
def get_preferences(app: Context) -> PreferencesOut:
    return preferences_model(programme.get_preferences(app))


@router.put(
    "/preferences",
    summary="Change preferences (only the fields given)",
    responses=refusals(*WRITE, 422),
)
def put_preferences(body: PreferencesBody, app: Context) -> PreferencesOut:
    from hipflex.domain.preferences import parse_weekdays, parse_work_hours

    changes: dict[str, object] = body.model_dump(exclude={"work_days", "work_hours"})
    if body.work_days is not None:
        changes["work_days"] = parse_weekdays(body.work_days)
    if body.work_hours is not None:
        changes["work_start"], changes["work_end"] = parse_work_hours(body.work_hours)
    programme.update_preferences(app, **changes)
    return preferences_model(programme.get_preferences(app))
