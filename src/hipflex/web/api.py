"""The JSON API under /api/v1: each route parses, calls one service, returns its JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    parse_choice,
    parse_ids,
)
from hipflex.domain.breaks import Outcome
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, Sign
from hipflex.domain.session import script_to_json
from hipflex.services import assessments, guided, programme, tracking
from hipflex.services.context import AppContext
from hipflex.services.plan_json import plan_json, today_json
from hipflex.services.progress import progress
from hipflex.services.progress_json import progress_json
from hipflex.services.session_logs import log_planned_session
from hipflex.web.app import context_of
from hipflex.web.security import check_csrf


async def csrf_protected(request: Request) -> None:
    problem = await check_csrf(request)
    if problem is not None:
        raise HTTPException(status_code=403, detail=problem)


router = APIRouter(dependencies=[Depends(csrf_protected)])
Context = Annotated[AppContext, Depends(context_of)]
Json = dict[str, Any]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThomasSide(_Body):
    thigh: Literal["flat", "raised"] | None = None
    thigh_angle_deg: float | None = None
    knee_flexion_deg: float | None = None


class ExtensionSide(_Body):
    degrees: float | None = None
    compensated: bool = False


class AssessmentBody(_Body):
    thomas: dict[Literal["left", "right"], ThomasSide] = Field(default_factory=dict)
    hip_extension: dict[Literal["left", "right"], ExtensionSide] = Field(default_factory=dict)
    sitting_hours: float | None = None
    signs: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    kind: Literal["baseline", "retest"] = "baseline"

    def answers(self) -> AssessmentInput:
        return AssessmentInput(
            thomas={
                Side(side): ThomasInput(
                    thigh=None if given.thigh is None else ThighPosition(given.thigh),
                    thigh_angle_deg=given.thigh_angle_deg,
                    knee_flexion_deg=given.knee_flexion_deg,
                )
                for side, given in self.thomas.items()
            },
            extension={
                Side(side): ExtensionInput(given.degrees, given.compensated)
                for side, given in self.hip_extension.items()
            },
            sitting_hours=self.sitting_hours,
            signs=parse_ids(Sign, self.signs, "sign"),
            red_flags=parse_ids(RedFlag, self.red_flags, "red flag"),
        )


@router.get("/csrf", summary="A CSRF token for scripts (also set as a cookie)")
def csrf(request: Request) -> Json:
    return {"token": request.state.csrf_token, "header": "X-CSRF-Token"}


@router.post("/assessments", status_code=201, summary="Record the self-tests")
def record_assessment(body: AssessmentBody, app: Context) -> Json:
    answers = body.answers()
    if body.kind == AssessmentKind.RETEST.value:
        return assessments.report_json(tracking.record_retest(app, answers))
    return assessments.report_json(assessments.record_assessment(app, answers))


@router.post("/assessments/preview", summary="The findings without saving them")
def preview_assessment(body: AssessmentBody, app: Context) -> Json:
    return assessments.report_json(assessments.evaluate(app, body.answers()))


@router.get("/assessments", summary="Saved assessments, newest first")
def list_assessments(app: Context, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[Json]:
    return [
        {
            "id": r.id,
            "recorded_at": r.recorded_at.isoformat(),
            "kind": r.kind.value,
            **assessments.assessment_json(r.assessment),
        }
        for r in assessments.assessment_history(app, limit)
    ]


@router.get("/plan", summary="This week's programme (or another week of the block)")
def plan(app: Context, week: Annotated[int | None, Query(ge=1, le=6)] = None) -> Json:
    return plan_json(programme.plan_week(app, week))


@router.get("/today", summary="Today's timeline of sessions and movement breaks")
def today(app: Context) -> Json:
    return today_json(programme.today(app))


class PreferencesBody(_Body):
    sessions_per_day: int | None = None
    block_weeks: int | None = None
    break_minutes: int | None = None
    work_days: str | None = None
    work_hours: str | None = None
    floor_at_work: bool | None = None
    sit_stand_desk: bool | None = None
    timezone: str | None = None


def _preferences_json(app: AppContext) -> Json:
    from hipflex.domain.preferences import format_weekdays

    p = programme.get_preferences(app)
    return {
        "sessions_per_day": p.sessions_per_day,
        "block_weeks": p.block_weeks,
        "break_minutes": p.break_minutes,
        "work_days": format_weekdays(p.work_days),
        "work_hours": f"{p.work_start:%H:%M}-{p.work_end:%H:%M}",
        "floor_at_work": p.floor_at_work,
        "sit_stand_desk": p.sit_stand_desk,
        "timezone": p.timezone,
    }


@router.get("/preferences", summary="Your preferences")
def get_preferences(app: Context) -> Json:
    return _preferences_json(app)


@router.put("/preferences", summary="Change preferences (only the fields given)")
def put_preferences(body: PreferencesBody, app: Context) -> Json:
    from hipflex.domain.preferences import parse_weekdays, parse_work_hours

    changes: dict[str, object] = body.model_dump(exclude={"work_days", "work_hours"})
    if body.work_days is not None:
        changes["work_days"] = parse_weekdays(body.work_days)
    if body.work_hours is not None:
        changes["work_start"], changes["work_end"] = parse_work_hours(body.work_hours)
    programme.update_preferences(app, **changes)
    return _preferences_json(app)


# Guided sessions: the browser plays the script; each completed hold is posted at once.


class StartBody(_Body):
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


@router.get("/break/script", summary="The movement-break routine as a script")
def break_script(app: Context) -> Json:
    return script_to_json(guided.break_session(app).script)


@router.post("/sessions", status_code=201, summary="Start a guided session (opens its log)")
def start_session(body: StartBody, app: Context) -> Json:
    chosen = guided.choose_session(app, body.slot)
    log_id = guided.begin(app, chosen, body.pain_before)
    return {
        "id": log_id,
        "slot": None if chosen.slot is None else chosen.slot.value,
        "script": script_to_json(chosen.script),
    }


class EntryBody(_Body):
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


class FinishBody(_Body):
    pain_after: int | None = Field(default=None, ge=0, le=10)
    note: str | None = Field(default=None, max_length=2000)


@router.post("/sessions/{log_id}/finish", summary="Close a guided session with pain after")
def finish_session(log_id: int, body: FinishBody, app: Context) -> Json:
    guided.finish(app, log_id, pain_after=body.pain_after, note=body.note)
    return {"session_id": log_id, "finished": True}


class SharpPainBody(_Body):
    exercise_id: str
    side: Literal["left", "right"] | None = None


@router.post("/break/sharp-pain", status_code=201, summary="Sharp pain during a break")
def break_sharp_pain(body: SharpPainBody, app: Context) -> Json:
    exercise = parse_choice(ExerciseId, body.exercise_id, "exercise")
    guided.report_sharp_pain(app, exercise, None if body.side is None else Side(body.side))
    return {"exercise_id": exercise.value, "paused": True}


# Logs


class BreakBody(_Body):
    outcome: Literal["done", "skipped", "snoozed"]
    when: dt.datetime | None = None


class CheckedBody(_Body):
    exercise_id: str


@router.post("/logs/checked", summary="A clinician checked a paused exercise: it returns")
def log_checked(body: CheckedBody, app: Context) -> Json:
    cleared = tracking.clear_exercise(app, parse_choice(ExerciseId, body.exercise_id, "exercise"))
    return {"exercise_id": cleared.exercise_id.value, "paused": False}


@router.post("/logs/breaks", status_code=201, summary="A movement-break reminder's outcome")
def log_break(body: BreakBody, app: Context) -> Json:
    event = tracking.log_break(app, Outcome(body.outcome), _aware(body.when))
    return {"outcome": event.outcome.value, "at": event.at.isoformat()}


class PainBody(_Body):
    score: int = Field(ge=0, le=10)
    when: dt.datetime | None = None


class SittingBody(_Body):
    hours: float = Field(ge=0, le=24)
    date: dt.date | None = None


class NoteBody(_Body):
    text: str = Field(min_length=1, max_length=2000)


class ManualSessionBody(_Body):
    slot: Literal["morning", "midday", "evening"] | None = None
    skipped: list[str] = Field(default_factory=list)
    sharp_pain: list[str] = Field(default_factory=list)
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)


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
        slot=None if body.slot is None else SessionSlot(body.slot),
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


@router.get("/progress", summary="Adherence, pain verdict, tests over time, sitting")
def get_progress(app: Context) -> Json:
    return progress_json(progress(app))


@router.get(
    "/charts/{name}.svg",
    summary="A progress chart as SVG",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def chart(name: Literal["pain", "adherence", "sitting"], app: Context) -> Response:
    from hipflex.reports import charts

    draw = {
        "pain": charts.pain_chart,
        "adherence": charts.adherence_chart,
        "sitting": charts.sitting_chart,
    }[name]
    return Response(draw(progress(app)).svg, media_type="image/svg+xml")
