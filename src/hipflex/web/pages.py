"""Server-rendered pages: each route parses its input, calls one service and renders a
template in the shared layout. The pages' scripts talk to the JSON API under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from hipflex.services import assessments
from hipflex.services.context import AppContext
from hipflex.web import (
    pages_assess,
    pages_learn,
    pages_plan,
    pages_session,
    pages_settings,
    pages_track,
)
from hipflex.web.app import context_of
from hipflex.web.rendering import http_error, render

__all__ = ["http_error", "router"]

router = APIRouter(include_in_schema=False)
Context = Annotated[AppContext, Depends(context_of)]


@router.get("/")
def home(request: Request, app: Context) -> Response:
    report = assessments.latest_report(app)
    latest = None if report is None else assessments.report_json(report)
    return render(request, "home.html", latest=latest)


for module in (pages_assess, pages_plan, pages_session, pages_track, pages_learn, pages_settings):
    router.include_router(module.router)
