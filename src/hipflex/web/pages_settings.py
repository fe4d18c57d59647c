"""Settings (/settings): the preferences form; the page script saves it with PUT."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from fastapi import APIRouter, Request, Response

from hipflex.domain.preferences import Weekday
from hipflex.services import programme
from hipflex.web.deps import Context
from hipflex.web.rendering import render

router = APIRouter()

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc")))


@router.get("/settings")
def settings_page(request: Request, app: Context) -> Response:
    preferences = programme.get_preferences(app)
    return render(
        request,
        "settings.html",
        preferences=preferences,
        days=[(day.label, DAY_NAMES[day.value], day in preferences.work_days) for day in Weekday],
        zones=_zones(),
    )
