"""Team mode between people: shares (a member's consent), the clinician's list and one
member's progress, and the member's audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from hipflex.domain.accounts import Account, AuditAction
from hipflex.services import team
from hipflex.services.context import AppContext
from hipflex.services.presenters.progress import ProgressOut, progress_model
from hipflex.services.presenters.team import (
    AuditOut,
    MembersOut,
    ShareOut,
    SharesOut,
    audit_model,
    members_model,
    share_model,
    shares_model,
)
from hipflex.services.progress import progress
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import RequestBody, context_of, team_server

router = APIRouter(tags=["team"])


@dataclass(frozen=True)
class Acting:
    """The team server's whole context and the account logged in."""

    app: AppContext
    account: Account


def acting(request: Request) -> Acting:
    base = team_server(request)
    context_of(request)  # NotSignedIn (401) without a login
    return Acting(base, request.state.account)


Team = Annotated[Acting, Depends(acting)]


def acting_clinician(request: Request) -> Acting:
    """The account logged in, a clinician's (403 otherwise, before the body is read)."""
    who = acting(request)
    team.require_clinician(who.account)
    return who


def acting_admin(request: Request) -> Acting:
    """The account logged in, an admin's (403 otherwise, before the body is read)."""
    who = acting(request)
    team.require_admin(who.account)
    return who


Clinician = Annotated[Acting, Depends(acting_clinician)]
Admin = Annotated[Acting, Depends(acting_admin)]


class ShareIn(RequestBody):
    clinician_email: str


@router.post(
    "/shares",
    status_code=201,
    summary="Share your data with a clinician (team mode)",
    responses=refusals(*WRITE, 401, 404, 409, 422),
)
def add_share(body: ShareIn, who: Team) -> ShareOut:
    return share_model(team.share(who.app, who.account, body.clinician_email))


@router.get("/shares", summary="Who you share your data with", responses=refusals(401, 404))
def list_shares(who: Team) -> SharesOut:
    return shares_model(team.shares(who.app, who.account))


@router.delete(
    "/shares/{share_id}",
    summary="Stop sharing with a clinician, at once (the shares left)",
    responses=refusals(*WRITE, 401, 404, 422),
)
def revoke_share(share_id: int, who: Team) -> SharesOut:
    team.revoke(who.app, who.account, share_id)
    return shares_model(team.shares(who.app, who.account))


@router.get(
    "/audit",
    summary="Who read your data, and when (newest first)",
    responses=refusals(401, 404),
)
def audit(who: Team) -> AuditOut:
    return audit_model(team.audit(who.app, who.account))


@router.get(
    "/clinician/members",
    summary="The people who share with you, safety first (clinicians)",
    responses=refusals(401, 403, 404),
)
def clinician_members(who: Clinician) -> MembersOut:
    return members_model(team.members(who.app, who.account))


@router.get(
    "/clinician/members/{member_id}/progress",
    summary="One person's progress (clinicians; recorded in their audit trail)",
    responses=refusals(401, 403, 404, 409, 422),
)
def member_progress(member_id: int, who: Clinician) -> ProgressOut:
    theirs = team.member_context(who.app, who.account, member_id, AuditAction.READ_PROGRESS)
    return progress_model(progress(theirs), about_them=True)
