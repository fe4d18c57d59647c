"""Team mode's pages for clinicians (/clinician, /clinician/members/{id}) and admins
(/admin). Each person's page is their own progress page (progress.html, extended), read
through the consent check that writes the audit entry."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hipflex.domain.aggregate import ACTIVE_WINDOW, MIN_GROUP_SIZE
from hipflex.services import team
from hipflex.services.presenters.team import members_model, notes_model, team_summary_model
from hipflex.services.words import VERDICT_LINES
from hipflex.web.api.team import Admin, Clinician
from hipflex.web.pages_track import progress_page_context
from hipflex.web.rendering import render

router = APIRouter()


@router.get("/clinician")
def clinician_page(request: Request, who: Clinician) -> Response:
    listed = members_model(team.members(who.app, who.account)).model_dump(mode="json")
    return render(
        request,
        "clinician.html",
        page_title="People who share with you",
        members=listed["members"],
        verdict_lines={verdict.value: line for verdict, line in VERDICT_LINES.items()},
    )


@router.get("/clinician/members/{member_id}")
def clinician_member_page(member_id: int, request: Request, who: Clinician) -> Response:
    page = team.member_page(who.app, who.account, member_id)
    notes = notes_model(page.notes).model_dump(mode="json")["notes"]
    shared = {
        "member_id": member_id,
        "member_email": page.account.email,
        "clinician_notes": notes,
    }
    if page.view is None:
        return render(request, "clinician_member_new.html", page_title=page.account.email, **shared)
    return render(
        request,
        "clinician_member.html",
        page_title=page.account.email,
        **shared,
        **progress_page_context(page.view, about_them=True),
    )


@router.get("/admin")
def admin_page(request: Request, who: Admin) -> Response:
    summary = team_summary_model(team.team_summary(who.app, who.account))
    return render(
        request,
        "admin.html",
        page_title="Team totals",
        summary=summary.model_dump(mode="json"),
        min_group_size=MIN_GROUP_SIZE,
        active_days=ACTIVE_WINDOW.days,
    )
