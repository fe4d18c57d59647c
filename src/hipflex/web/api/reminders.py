"""Today's reminders for the page and its service worker: what is due and when, and the
answers to a break reminder (recorded as the desktop reminder records them)."""

from __future__ import annotations

from fastapi import APIRouter

from hipflex.domain.breaks import BreakOutcome
from hipflex.services import due
from hipflex.services.presenters.due import AnswerOut, DueOut, due_model
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, RequestBody

router = APIRouter()


class AnswerBody(RequestBody):
    outcome: BreakOutcome


@router.get(
    "/reminders",
    summary="Today's reminders: each item's state and the next reminder with its due time",
    responses=refusals(),
)
def reminders(app: Context) -> DueOut:
    return due_model(due.due_today(app))


@router.post(
    "/reminders/answers",
    status_code=201,
    summary="A break reminder's answer (done, snoozed or skipped), recorded now",
    responses=refusals(*WRITE, 422),
)
def answer(body: AnswerBody, app: Context) -> AnswerOut:
    at, outcome, recorded = due.record_answer(app, body.outcome)
    return AnswerOut(at=at, outcome=outcome, recorded=recorded)
