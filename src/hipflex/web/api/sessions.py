"""Guided sessions and movement breaks: the browser plays the script; each completed
hold is posted as it completes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from hipflex.domain.assessment import (
    parse_choice,
)
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import stop_words
from hipflex.domain.script import script_to_json
from hipflex.services import guided
from hipflex.web.deps import Context, RequestBody

router = APIRouter()
Json = dict[str, Any]


class StartBody(RequestBody):
    slot: Literal["morning", "midday", "evening"] | None = None
    pain_before: int | None = Field(default=None, ge=0, le=10)


@router.get("/sessions/script", summary="Today's next session (or a named one) as a script")
def session_script(
    app: Context, slot: Literal["morning", "midday", "evening"] | None = None
) -> Json:
    chosen = guided.choose_session(app, slot)
    return {
        "slot": None if chosen.slot is None else chosen.slot.value,
        **script_to_json(chosen.script),
    }


class InterruptedSession(BaseModel):
    """A guided session stopped before its end (a reload, a closed tab, a crash)."""

    id: int
    slot: Literal["morning", "midday", "evening"]
    name: str
    started_at: datetime
    pain_before: int | None
    resume_at: int = Field(description="The index of the script's first step not logged yet")
    script: Json


@router.get(
    "/sessions/interrupted",
    summary="The session to offer to resume, or null (none for another slot than the one asked)",
)
def interrupted_session(
    app: Context, slot: Literal["morning", "midday", "evening"] | None = None
) -> InterruptedSession | None:
    stopped = guided.resume_offer(app, slot)
    if stopped is None:
        return None
    log = stopped.log
    assert log.id is not None
    assert log.slot is not None  # only sessions of a slot are offered
    return InterruptedSession(
        id=log.id,
        slot=log.slot.value,
        name=stopped.script.name,
        started_at=log.started_at,
        pain_before=log.pain_before,
        resume_at=stopped.resume_at,
        script=script_to_json(stopped.script),
    )


@router.post(
    "/sessions/{log_id}/abandon", summary="Close an interrupted session as it stands (start again)"
)
def abandon_session(log_id: int, app: Context) -> Json:
    guided.abandon_interrupted(app, log_id)
    return {"session_id": log_id, "abandoned": True}


@router.get("/break/script", summary="The movement-break routine as a script")
def break_script(app: Context) -> Json:
    chosen = guided.break_session(app)
    return {
        **script_to_json(chosen.script),
        "screening": chosen.screening.value,
        "stop": stop_words(chosen.screening),
    }


@router.post("/sessions", status_code=201, summary="Start a guided session (opens its log)")
def start_session(body: StartBody, app: Context) -> Json:
    chosen = guided.choose_session(app, body.slot)
    log_id = guided.begin(app, chosen, body.pain_before)
    return {
        "id": log_id,
        "slot": None if chosen.slot is None else chosen.slot.value,
        "script": script_to_json(chosen.script),
    }


class EntryBody(RequestBody):
    exercise_id: str
    side: Literal["left", "right"] | None = None
    set_number: int = Field(default=1, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=0, le=3600)
    reps: int | None = Field(default=None, ge=0, le=1000)
    sharp_pain: bool = False


@router.post("/sessions/{log_id}/entries", status_code=201, summary="A completed hold or set")
def add_entry(log_id: int, body: EntryBody, app: Context) -> Json:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    side = None if body.side is None else Side(body.side)
    guided.record_entry(
        app,
        log_id,
        exercise,
        side,
        set_number=body.set_number,
        hold_seconds=body.hold_seconds,
        reps=body.reps,
        sharp_pain=body.sharp_pain,
    )
    return {"session_id": log_id, "exercise_id": exercise.value, "sharp_pain": body.sharp_pain}


class FinishBody(RequestBody):
    pain_after: int | None = Field(default=None, ge=0, le=10)
    note: str | None = Field(default=None, max_length=2000)


class FinishedSession(BaseModel):
    session_id: int
    finished: bool
    warning: str | None = Field(
        description="Words to show when pain rose by 2 points or more during the session"
    )


@router.post("/sessions/{log_id}/finish", summary="Close a guided session with pain after")
def finish_session(log_id: int, body: FinishBody, app: Context) -> FinishedSession:
    warning = guided.finish(app, log_id, pain_after=body.pain_after, note=body.note)
    return FinishedSession(session_id=log_id, finished=True, warning=warning)


class SharpPainBody(RequestBody):
    exercise_id: str
    side: Literal["left", "right"] | None = None


@router.post("/break/sharp-pain", status_code=201, summary="Sharp pain during a break")
def break_sharp_pain(body: SharpPainBody, app: Context) -> Json:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    guided.report_sharp_pain(app, exercise, None if body.side is None else Side(body.side))
    return {"exercise_id": exercise.value, "paused": True}
