"""The programme: this week's plan and today's timeline."""

from __future__ import annotations

from fastapi import APIRouter

from hipflex.services import programme
from hipflex.services.presenters.plan import NoPlanOut, PlanOut, TodayOut, plan_model, today_model
from hipflex.web.api.refusals import refusals
from hipflex.web.deps import Context, WeekQuery

router = APIRouter()


@router.get(
    "/plan",
    summary="This week's programme (or another week of the block)",
    responses=refusals(409, 422),
)
def plan(app: Context, week: WeekQuery = None) -> PlanOut | NoPlanOut:
    return plan_model(programme.plan_week(app, week))


@router.get(
    "/today",
    summary="Today's timeline of sessions and movement breaks",
    responses=refusals(409),
)
def today(app: Context) -> TodayOut | NoPlanOut:
    return today_model(programme.today(app))
