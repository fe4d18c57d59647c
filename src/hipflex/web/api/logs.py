"""Logs: pain, sitting, notes, sessions done on your own, break outcomes, clearances."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import Field

from hipflex.domain.assessment import (
    parse_choice,
    parse_ids,
)
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.limits import MAX_NOTE_LENGTH, PAIN_RANGE, SITTING_HOURS_RANGE
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId
from hipflex.services import tracking
from hipflex.services.pain import log_pain_rating
from hipflex.services.presenters.logs import (
    BreakLoggedOut,
    ClearedOut,
    NoteLoggedOut,
    PainLoggedOut,
    SessionLoggedOut,
    SittingLoggedOut,
    break_model,
    cleared_model,
    logged_session_model,
    note_model,
    pain_model,
    sitting_model,
)
from hipflex.services.session_logs import log_planned_session
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, Number, RequestBody, Whole

router = APIRouter()


class BreakBody(RequestBody):
    outcome: BreakOutcome
    when: dt.datetime | None = None


class CheckedBody(RequestBody):
    exercise_id: str


@router.post(
    "/logs/checked",
    summary="A clinician checked a paused exercise: it returns",
    responses=refusals(*WRITE, 422),
)
def log_checked(body: CheckedBody, app: Context) -> ClearedOut:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    return cleared_model(tracking.clear_exercise(app, exercise))


@router.post(
    "/logs/breaks",
    status_code=201,
    summary="A movement-break reminder's outcome",
    responses=refusals(*WRITE, 422),
)
def log_break(body: BreakBody, app: Context) -> BreakLoggedOut:
    return break_model(tracking.log_break(app, body.outcome, _aware(body.when)))


class PainBody(RequestBody):
    score: Whole = Field(ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    when: dt.datetime | None = None


class SittingBody(RequestBody):
    hours: Number = Field(ge=SITTING_HOURS_RANGE[0], le=SITTING_HOURS_RANGE[1])
    date: dt.date | None = None


class NoteBody(RequestBody):
    text: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)


class ManualSessionBody(RequestBody):
    slot: SessionSlot | None = None
    skipped: list[str] = Field(default_factory=list)
    sharp_pain: list[str] = Field(default_factory=list)
    pain_before: Whole | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    pain_after: Whole | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        from hipflex.domain.errors import BadInput

        msg = "give the time with its offset, e.g. 2026-11-24T08:30:00+01:00"
        raise BadInput(msg)
    return moment


@router.post(
    "/logs/pain",
    status_code=201,
    summary="A pain rating, 0-10 (with the warning when it rose by 2 points or more)",
    responses=refusals(*WRITE, 422),
)
def log_pain(body: PainBody, app: Context) -> PainLoggedOut:
    return pain_model(log_pain_rating(app, body.score, _aware(body.when)))


@router.post(
    "/logs/sitting",
    status_code=201,
    summary="Hours sat on a day",
    responses=refusals(*WRITE, 422),
)
def log_sitting(body: SittingBody, app: Context) -> SittingLoggedOut:
    return sitting_model(tracking.log_sitting(app, body.hours, body.date))


@router.post("/logs/notes", status_code=201, summary="A free note", responses=refusals(*WRITE, 422))
def log_note(body: NoteBody, app: Context) -> NoteLoggedOut:
    return note_model(tracking.log_note(app, body.text))


@router.post(
    "/logs/sessions",
    status_code=201,
    summary="A session done on your own",
    responses=refusals(*WRITE, 409, 422),
)
def log_session(body: ManualSessionBody, app: Context) -> SessionLoggedOut:
    logged = log_planned_session(
        app,
        slot=body.slot,
        skipped=parse_ids(ExerciseId, body.skipped, "exercise"),
        sharp_pain=parse_ids(ExerciseId, body.sharp_pain, "exercise"),
        pain_before=body.pain_before,
        pain_after=body.pain_after,
    )
    return logged_session_model(logged)
