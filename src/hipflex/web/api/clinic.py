"""Team mode's clinician actions and the admin's aggregate: one member's report, clearing
a paused exercise, notes (written by a clinician, read by the member), and the team's
totals (admins; no one person's data)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from hipflex.domain.accounts import AuditAction
from hipflex.domain.assessment import parse_choice
from hipflex.domain.protocol import ExerciseId
from hipflex.services import team
from hipflex.services.presenters.logs import ClearedOut, cleared_model
from hipflex.services.presenters.team import (
    NoteOut,
    NotesOut,
    TeamSummaryOut,
    note_model,
    notes_model,
    team_summary_model,
)
from hipflex.web.api.downloads import ReportKind, download, report_response
from hipflex.web.api.logs import CheckedBody, NoteBody
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.api.team import Admin, Clinician, Team

router = APIRouter(tags=["team"])


@router.get(
    "/clinician/members/{member_id}/report.{kind}",
    summary="One person's progress report, PDF or HTML (clinicians; audited)",
    response_class=Response,
    responses={**download("application/pdf", "text/html"), **refusals(401, 403, 404, 409, 422)},
)
def member_report(member_id: int, kind: ReportKind, who: Clinician) -> Response:
    theirs = team.member_context(who.app, who.account, member_id, AuditAction.READ_REPORT)
    return report_response(kind, theirs)


@router.post(
    "/clinician/members/{member_id}/clearances",
    status_code=201,
    summary="Clear an exercise paused after sharp pain: it is back in the plan (audited)",
    responses=refusals(*WRITE, 401, 403, 404, 422),
)
def clear_exercise(member_id: int, body: CheckedBody, who: Clinician) -> ClearedOut:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    return cleared_model(team.clear_exercise(who.app, who.account, member_id, exercise))


@router.post(
    "/clinician/members/{member_id}/notes",
    status_code=201,
    summary="Leave a note the person sees (clinicians; audited)",
    responses=refusals(*WRITE, 401, 403, 404, 422),
)
def leave_note(member_id: int, body: NoteBody, who: Clinician) -> NoteOut:
    return note_model(team.leave_note(who.app, who.account, member_id, body.text))


@router.get(
    "/clinician/members/{member_id}/notes",
    summary="The notes you left for one person, newest first (clinicians; audited)",
    responses=refusals(401, 403, 404, 422),
)
def notes_written(member_id: int, who: Clinician) -> NotesOut:
    return notes_model(team.notes_written(who.app, who.account, member_id))


@router.get(
    "/notes",
    summary="Notes your clinicians left for you, newest first (team mode)",
    responses=refusals(401, 404),
)
def my_notes(who: Team) -> NotesOut:
    return notes_model(team.notes_for_me(who.app.for_account(who.account.id)))


@router.get(
    "/admin/summary",
    summary="The team's totals: accounts, active accounts, sessions a week (admins)",
    responses=refusals(401, 403, 404),
)
def admin_summary(who: Admin) -> TeamSummaryOut:
    return team_summary_model(team.team_summary(who.app, who.account))
