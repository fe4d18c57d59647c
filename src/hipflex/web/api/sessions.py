"""Guided sessions and movement breaks: the browser plays the script; each completed
hold is posted as it completes."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field

from hipflex.domain.assessment import (
    parse_choice,
)
from hipflex.domain.limits import (
    HOLD_SECONDS_RANGE,
    MAX_NOTE_LENGTH,
    PAIN_RANGE,
    REPS_RANGE,
    SET_NUMBER_RANGE,
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
    pain_before: int | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])


@router.get("/sessions/script", summary="Today's next session (or a named one) as a script")
def session_script(
    app: Context, slot: Literal["morning", "midday", "evening"] | None = None
) -> Json:
    chosen = guided.choose_session(app, slot)
    return {
        "slot": None if chosen.slot is None else chosen.slot.value,
        **script_to_json(chosen.script),
    }


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
    side: Side | None = None
    set_number: int = Field(default=1, ge=SET_NUMBER_RANGE[0], le=SET_NUMBER_RANGE[1])
    hold_seconds: int | None = Field(
        default=None, ge=HOLD_SECONDS_RANGE[0], le=HOLD_SECONDS_RANGE[1]
    )
    reps: int | None = Field(default=None, ge=REPS_RANGE[0], le=REPS_RANGE[1])
    sharp_pain: bool = False


@router.post("/sessions/{log_id}/entries", status_code=201, summary="A completed hold or set")
def add_entry(log_id: int, body: EntryBody, app: Context) -> Json:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    side = body.side
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
    pain_after: int | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    note: str | None = Field(default=None, max_length=MAX_NOTE_LENGTH)


@router.post("/sessions/{log_id}/finish", summary="Close a guided session with pain after")
def finish_session(log_id: int, body: FinishBody, app: Context) -> Json:
    guided.finish(app, log_id, pain_after=body.pain_after, note=body.note)
    return {"session_id": log_id, "finished": True}


class SharpPainBody(RequestBody):
    exercise_id: str
    side: Side | None = None


@router.post("/break/sharp-pain", status_code=201, summary="Sharp pain during a break")
def break_sharp_pain(body: SharpPainBody, app: Context) -> Json:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    guided.report_sharp_pain(app, exercise, body.side)
    return {"exercise_id": exercise.value, "paused": True}
