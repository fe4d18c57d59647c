"""Team mode's pages for a member's consent: who they share their data with (/sharing:
share with a clinician, stop sharing) and who saw it (/sharing/audit, newest first)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from hipflex.domain.errors import HipflexError
from hipflex.services import team
from hipflex.services.presenters.team import audit_model, shares_model
from hipflex.web.api.team import Acting, Team
from hipflex.web.deps import csrf_protected
from hipflex.web.pages_account import field, sentence, status_of
from hipflex.web.rendering import render

router = APIRouter()
CSRF = [Depends(csrf_protected)]
SHARING_PAGE = "/sharing"


def _sharing_page(request: Request, who: Acting, status_code: int = 200, **extra: Any) -> Response:
    shares = shares_model(team.shares(who.app, who.account)).model_dump(mode="json")
    return render(
        request,
        "sharing.html",
        status_code=status_code,
        page_title="Sharing",
        shares=shares["shares"],
        **extra,
    )


@router.get(SHARING_PAGE)
def sharing_page(request: Request, who: Team) -> Response:
    return _sharing_page(request, who)


@router.post(SHARING_PAGE, dependencies=CSRF)
async def share_submit(request: Request, who: Team) -> Response:
    email = field(await request.form(), "clinician_email")
    try:
        team.share(who.app, who.account, email)
    except HipflexError as error:  # not an address, no such clinician, shared already
        status = status_of(error)
        return _sharing_page(request, who, status, problem=sentence(error), email=email)
    return RedirectResponse(SHARING_PAGE, status_code=303)


@router.post(SHARING_PAGE + "/{share_id}/revoke", dependencies=CSRF)
def revoke_submit(request: Request, who: Team, share_id: int) -> Response:
    try:
        team.revoke(who.app, who.account, share_id)
    except HipflexError as error:  # not one of yours, or ended already
        return _sharing_page(request, who, status_of(error), problem=sentence(error))
    return RedirectResponse(SHARING_PAGE, status_code=303)


@router.get(SHARING_PAGE + "/audit")
def audit_page(request: Request, who: Team) -> Response:
    found, zone = team.audit_for_reading(who.app, who.account)
    entries = audit_model(found).model_dump(mode="json")["entries"]
    return render(request, "audit.html", page_title="Who saw your data", entries=entries, zone=zone)
