"""The JSON API under /api/v1, one module per resource; each route parses its input,
calls one service and returns its presenter's model."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from hipflex.services.presenters.csrf import CsrfTokenOut
from hipflex.web.api import (
    assessments,
    auth,
    clinic,
    logs,
    measurements,
    plan,
    preferences,
    progress,
    reminders,
    sessions,
    team,
)
from hipflex.web.deps import csrf_protected

router = APIRouter(dependencies=[Depends(csrf_protected)])


@router.get("/csrf", summary="A CSRF token for scripts (also set as a cookie)")
def csrf(request: Request) -> CsrfTokenOut:
    return CsrfTokenOut(token=request.state.csrf_token, header="X-CSRF-Token")


for module in (
    auth,
    assessments,
    measurements,
    plan,
    preferences,
    sessions,
    logs,
    progress,
    reminders,
    team,
    clinic,
):
    router.include_router(module.router)
router.include_router(auth.account_router)
