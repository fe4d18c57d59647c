"""Server-rendered pages: each route parses its input, calls one service and renders a
template in the shared layout. The pages' scripts talk to the JSON API under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hipflex.domain.safety import stop_words
from hipflex.services import assessments
from hipflex.services.presenters.assessments import report_model
from hipflex.services.safety import current_screening
from hipflex.web import (
    pages_account,
    pages_assess,
    pages_clinic,
    pages_learn,
    pages_plan,
    pages_session,
    pages_settings,
    pages_sharing,
    pages_track,
)
from hipflex.web.deps import Context
from hipflex.web.rendering import http_error, render

__all__ = ["http_error", "router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, app: Context) -> Response:
    report = assessments.latest_report(app)
    latest = None if report is None else report_model(report).model_dump(mode="json")
    state = current_screening(app)
    return render(
        request, "home.html", latest=latest, screening=state.value, stop=stop_words(state)
    )


for module in (pages_assess, pages_plan, pages_session, pages_track, pages_learn, pages_settings):
    router.include_router(module.router)
router.include_router(pages_clinic.router)
router.include_router(pages_account.router)  # team mode: logins, invitations, your account
router.include_router(pages_sharing.router)  # team mode: sharing and who saw your data
