"""Logs: pain, sitting, notes, sessions done on your own, break outcomes, clearances."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from hipflex.services.session_logs import log_planned_session
from hipflex.web.deps import Context, RequestBody

router = APIRouter()
Json = dict[str, Any]


class BreakBody(RequestBody):
    outcome: BreakOutcome
    when: dt.datetime | None = None


class CheckedBody(RequestBody):
    exercise_id: str


@router.post("/logs/checked", summary="A clinician checked a paused exercise: it returns")
def log_checked(body: CheckedBody, app: Context) -> Json:
    cleared = tracking.clear_exercise(app, parse_choice(ExerciseId, body.exercise_id, "exercise"))
    return {"exercise_id": cleared.exercise_id.value, "paused": False}


@router.post("/logs/breaks", status_code=201, summary="A movement-break reminder's outcome")
def log_break(body: BreakBody, app: Context) -> Json:
    event = tracking.log_break(app, body.outcome, _aware(body.when))
    return {"outcome": event.outcome.value, "at": event.at.isoformat()}


class PainBody(RequestBody):
    score: int = Field(ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    when: dt.datetime | None = None


class SittingBody(RequestBody):
    hours: float = Field(ge=SITTING_HOURS_RANGE[0], le=SITTING_HOURS_RANGE[1])
    date: dt.date | None = None


class NoteBody(RequestBody):
    text: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)


class ManualSessionBody(RequestBody):
    slot: SessionSlot | None = None
    skipped: list[str] = Field(default_factory=list)
    sharp_pain: list[str] = Field(default_factory=list)
    pain_before: int | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    pain_after: int | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        from hipflex.domain.errors import BadInput

        msg = "give the time with its offset, e.g. 2026-11-24T08:30:00+01:00"
        raise BadInput(msg)
    return moment


@router.post("/logs/pain", status_code=201, summary="A pain rating, 0-10")
def log_pain(body: PainBody, app: Context) -> Json:
    rating = tracking.log_pain(app, body.score, _aware(body.when))
    return {"score": rating.score, "at": rating.at.isoformat()}


@router.post("/logs/sitting", status_code=201, summary="Hours sat on a day")
def log_sitting(body: SittingBody, app: Context) -> Json:
    entry = tracking.log_sitting(app, body.hours, body.date)
    return {"hours": entry.hours, "date": entry.day.isoformat(), "source": entry.source.value}


@router.post("/logs/notes", status_code=201, summary="A free note")
def log_note(body: NoteBody, app: Context) -> Json:
    note = tracking.log_note(app, body.text)
    return {"text": note.text, "at": note.at.isoformat()}


@router.post("/logs/sessions", status_code=201, summary="A session done on your own")
def log_session(body: ManualSessionBody, app: Context) -> Json:
    logged = log_planned_session(
        app,
        slot=body.slot,
        skipped=parse_ids(ExerciseId, body.skipped, "exercise"),
        sharp_pain=parse_ids(ExerciseId, body.sharp_pain, "exercise"),
        pain_before=body.pain_before,
        pain_after=body.pain_after,
    )
    return {
        "id": logged.log.id,
        "slot": logged.session.slot.value,
        "paused": sorted(e.value for e in logged.newly_paused),
    }
