"""Guided sessions and movement breaks: the browser plays the script; each completed
hold is posted as it completes."""

from __future__ import annotations

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
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.services import guided
from hipflex.services.presenters.sessions import (
    AbandonedOut,
    BreakScriptOut,
    BreakSharpPainOut,
    EntryOut,
    FinishedOut,
    InterruptedOut,
    SessionScriptOut,
    StartedSessionOut,
    break_script_model,
    interrupted_model,
    session_script_model,
    started_model,
    summary_model,
)
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, Flag, RequestBody, Whole

router = APIRouter()


class StartBody(RequestBody):
    slot: SessionSlot | None = None
    pain_before: Whole | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])


@router.get(
    "/sessions/script",
    summary="Today's next session (or a named one) as a script",
    responses=refusals(409, 422),
)
def session_script(app: Context, slot: SessionSlot | None = None) -> SessionScriptOut:
    return session_script_model(guided.choose_session(app, slot))


@router.get(
    "/sessions/interrupted",
    summary="The session to offer to resume, or null (none for another slot than the one asked)",
    responses=refusals(422),
)
def interrupted_session(app: Context, slot: SessionSlot | None = None) -> InterruptedOut | None:
    stopped = guided.resume_offer(app, slot)
    return None if stopped is None else interrupted_model(stopped)


@router.post(
    "/sessions/{log_id}/abandon",
    summary="Close an interrupted session as it stands (start again)",
    responses=refusals(*WRITE, 404, 422),
)
def abandon_session(log_id: int, app: Context) -> AbandonedOut:
    guided.abandon_interrupted(app, log_id)
    return AbandonedOut(session_id=log_id, abandoned=True)


@router.get("/break/script", summary="The movement-break routine as a script", responses=refusals())
def break_script(app: Context) -> BreakScriptOut:
    return break_script_model(guided.break_session(app))


@router.post(
    "/sessions",
    status_code=201,
    summary="Start a guided session (opens its log)",
    responses=refusals(*WRITE, 409, 422),
)
def start_session(body: StartBody, app: Context) -> StartedSessionOut:
    chosen = guided.choose_session(app, body.slot)
    log_id = guided.begin(app, chosen, body.pain_before)
    return started_model(log_id, chosen)


class EntryBody(RequestBody):
    exercise_id: str
    side: Side | None = None
    set_number: Whole = Field(default=1, ge=SET_NUMBER_RANGE[0], le=SET_NUMBER_RANGE[1])
    hold_seconds: Whole | None = Field(
        default=None, ge=HOLD_SECONDS_RANGE[0], le=HOLD_SECONDS_RANGE[1]
    )
    reps: Whole | None = Field(default=None, ge=REPS_RANGE[0], le=REPS_RANGE[1])
    sharp_pain: Flag = False


@router.post(
    "/sessions/{log_id}/entries",
    status_code=201,
    summary="A completed hold or set",
    responses=refusals(*WRITE, 404, 422),
)
def add_entry(log_id: int, body: EntryBody, app: Context) -> EntryOut:
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
    return EntryOut(session_id=log_id, exercise_id=exercise, sharp_pain=body.sharp_pain)


class FinishBody(RequestBody):
    pain_after: Whole | None = Field(default=None, ge=PAIN_RANGE[0], le=PAIN_RANGE[1])
    note: str | None = Field(default=None, max_length=MAX_NOTE_LENGTH)


@router.post(
    "/sessions/{log_id}/finish",
    summary="Close a guided session with pain after",
    responses=refusals(*WRITE, 404, 422),
)
def finish_session(log_id: int, body: FinishBody, app: Context) -> FinishedOut:
    warning = guided.finish(app, log_id, pain_after=body.pain_after, note=body.note)
    summary = summary_model(guided.summary(app, log_id))
    return FinishedOut(session_id=log_id, finished=True, warning=warning, summary=summary)


class SharpPainBody(RequestBody):
    exercise_id: str
    side: Side | None = None


@router.post(
    "/break/sharp-pain",
    status_code=201,
    summary="Sharp pain during a break",
    responses=refusals(*WRITE, 422),
)
def break_sharp_pain(body: SharpPainBody, app: Context) -> BreakSharpPainOut:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    guided.report_sharp_pain(app, exercise, body.side)
    return BreakSharpPainOut(exercise_id=exercise, paused=True)
