"""The programme: this week's plan and today's timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from hipflex.services import programme
from hipflex.services.plan_json import plan_json, today_json
from hipflex.web.deps import Context, WeekQuery

router = APIRouter()
Json = dict[str, Any]


@router.get("/plan", summary="This week's programme (or another week of the block)")
def plan(app: Context, week: WeekQuery = None) -> Json:
    return plan_json(programme.plan_week(app, week))


@router.get("/today", summary="Today's timeline of sessions and movement breaks")
def today(app: Context) -> Json:
    return today_json(programme.today(app))
