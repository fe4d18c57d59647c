"""The programme: this week's plan and today's timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hipflex.services import programme
from hipflex.services.presenters.plan import NoPlanOut, PlanOut, TodayOut, plan_model, today_model
from hipflex.web.api.refusals import refusals
from hipflex.web.deps import Context

router = APIRouter()


@router.get(
    "/plan",
    summary="This week's programme (or another week of the block)",
    responses=refusals(409, 422),
)
def plan(
    app: Context, week: Annotated[int | None, Query(ge=1, le=6)] = None
) -> PlanOut | NoPlanOut:
    return plan_model(programme.plan_week(app, week))


@router.get(
    "/today",
    summary="Today's timeline of sessions and movement breaks",
    responses=refusals(409),
)
def today(app: Context) -> TodayOut | NoPlanOut:
    return today_model(programme.today(app))
