"""The programme as JSON: a week's plan (`hipflex plan --json`, GET /plan) and today's
timeline (`hipflex today --json`, GET /today). Without a programme both answer why not
(`NoPlanOut`): a warning sign needs a clinician first, or there are no test results."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from hipflex.content import load_content
from hipflex.domain.plan import (
    NeedsTests,
    NoProgramme,
    Phase,
    Prescription,
    Programme,
    ProgrammeKind,
    SafetyRecheck,
    SafetyStop,
    SessionPlan,
    SessionSlot,
)
from hipflex.domain.preferences import Weekday
from hipflex.domain.progression import Verdict
from hipflex.domain.protocol import ExerciseId, Muscle, Side, Urgency, WorkplaceTipId
from hipflex.domain.schedule import BreakActivity, BreakStep, DayPlan, ItemKind, TimelineItem
from hipflex.services.presenters.common import ClockTime, OmittedInt, Out, clock_time
from hipflex.services.programme import NextStep, PlanView, TodayView
from hipflex.services.words import (
    break_stretch_name,
    next_step_words,
    programme_heading,
    programme_summary,
    stop_reason,
)


class HoldExerciseOut(Out):
    """A stretch or a plank: `reps` holds of `hold_seconds` (on each side when per side)."""

    id: ExerciseId
    name: str
    per_side: bool
    hold_seconds: int
    reps: int  # holds on each side (on the side with more, when they differ)
    # Holds per side when the sides differ (a side that tests tight gets the top of the
    # repeat range, PROTOCOL.md section 4); null when both get `reps`.
    reps_by_side: dict[Side, int] | None
    sets: int
    hold_at_top_seconds: OmittedInt = None  # sent only where a tempo applies
    rest_seconds: int
    tempo: str | None
    description: str
    cues: list[str]


class SetsExerciseOut(Out):
    """A strengthening exercise: `sets` sets of `reps` repetitions."""

    id: ExerciseId
    name: str
    per_side: bool
    sets: int
    reps: int
    hold_at_top_seconds: OmittedInt = None  # sent only where a tempo applies
    rest_seconds: int
    tempo: str | None
    description: str
    cues: list[str]


WeekdayLabel = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class PlannedSessionOut(Out):
    name: str
    slot: SessionSlot
    days: list[WeekdayLabel] | None  # the days it is planned on; null: every day
    time: ClockTime | None  # on a working day of the week shown
    estimated_minutes: int
    exercises: list[HoldExerciseOut | SetsExerciseOut]


class WorkplaceTipOut(Out):
    id: WorkplaceTipId
    title: str


class WeekChangeOut(Out):
    """What the progression decided after a week of the block."""

    after_week: int
    verdict: Verdict
    reasons: list[str]


class NextStepOut(Out):
    """What the plan asks for next, in words (the terminal and the web add how)."""

    kind: NextStep
    text: str | None


class PlanOut(Out):
    safe_to_exercise: Literal[True]
    phase: Phase  # a block of 4-6 weeks, or maintenance after it
    kind: ProgrammeKind
    heading: str  # the week, or the phase, in words
    summary: str  # what the week holds, in one sentence
    week: int
    weeks_total: int
    current_week: int
    projected: bool  # a future week: it assumes the weeks before it go well
    block_started_on: dt.date | None
    block_complete: bool
    sessions_per_day: int  # the preference; `sessions` may hold fewer (all of one paused)
    sessions_per_week: int  # every session every day: what adherence and the calendar count
    movement_break_minutes: int
    sessions: list[PlannedSessionOut]
    optional: list[HoldExerciseOut | SetsExerciseOut]  # offered, not planned
    workplace: list[WorkplaceTipOut]
    focus: list[Muscle]
    removed: list[ExerciseId]  # paused after sharp pain, or taken out by the progression
    retest_weeks: list[int]
    retest_due: bool
    next_step: NextStepOut
    changes: list[WeekChangeOut]
    eased_off: list[str]  # why this week eased off from the next session on (a pain rise)
    time_zone: str


class NoPlanOut(Out):
    """No programme: why not, and what is needed first. `safe_to_exercise` is false for a
    warning sign (`needs` is then "clinician") and while the safety questions are due
    again after a pain rise or sharp pain (`needs` is then "safety_check": answer them at
    POST /safety-checks)."""

    safe_to_exercise: bool
    reason: str
    needs: Literal["clinician", "safety_check", "assessment"]
    urgency: Urgency | None  # how soon, for a warning sign: the most urgent flag's level
    sessions: list[PlannedSessionOut] = Field(max_length=0)  # always empty


def _exercise(p: Prescription) -> HoldExerciseOut | SetsExerciseOut:
    if p.hold_seconds is not None:
        return HoldExerciseOut(
            id=p.exercise_id,
            name=p.name,
            per_side=p.per_side,
            hold_seconds=p.hold_seconds,
            reps=p.reps,
            reps_by_side=dict(p.side_reps) or None,
            sets=p.sets,
            hold_at_top_seconds=p.hold_at_top_seconds,
            rest_seconds=p.rest_seconds,
            tempo=p.tempo,
            description=p.describe(),
            cues=list(p.cues),
        )
    return SetsExerciseOut(
        id=p.exercise_id,
        name=p.name,
        per_side=p.per_side,
        sets=p.sets,
        reps=p.reps,
        hold_at_top_seconds=p.hold_at_top_seconds,
        rest_seconds=p.rest_seconds,
        tempo=p.tempo,
        description=p.describe(),
        cues=list(p.cues),
    )


def _label(day: Weekday) -> WeekdayLabel:
    label: WeekdayLabel = day.label  # type: ignore[assignment]  # mon..sun, by construction
    return label


def _session(session: SessionPlan, day: DayPlan | None) -> PlannedSessionOut:
    start = None
    if day is not None:
        start = next((i.start for i in day.items if i.session is session), None)
    return PlannedSessionOut(
        name=session.name,
        slot=session.slot,
        days=None if session.days is None else [_label(d) for d in sorted(session.days)],
        time=None if start is None else clock_time(start),
        estimated_minutes=round(session.estimated_seconds / 60),
        exercises=[_exercise(p) for p in session.prescriptions],
    )


def no_plan_model(result: NoProgramme) -> NoPlanOut:
    needs: Literal["clinician", "safety_check", "assessment"] = "assessment"
    if isinstance(result, SafetyStop):
        needs = "clinician"
    elif isinstance(result, SafetyRecheck):
        needs = "safety_check"
    return NoPlanOut(
        safe_to_exercise=isinstance(result, NeedsTests),
        reason=stop_reason(result),
        needs=needs,
        urgency=(
            load_content().red_flag_urgency(result.red_flags)
            if isinstance(result, SafetyStop)
            else None
        ),
        sessions=[],
    )


def plan_model(view: PlanView) -> PlanOut | NoPlanOut:
    result = view.result
    if not isinstance(result, Programme):
        return no_plan_model(result)
    content = load_content()
    day = view.sample_day()
    return PlanOut(
        safe_to_exercise=True,
        phase=result.phase,
        kind=result.kind,
        heading=programme_heading(result),
        summary=programme_summary(result, view.maintenance),
        week=result.week,
        weeks_total=result.weeks_total,
        current_week=view.current_week,
        projected=view.projected,
        block_started_on=None if view.block is None else view.block.started_on,
        block_complete=view.block_complete,
        sessions_per_day=result.sessions_per_day,
        sessions_per_week=result.sessions_per_week,
        movement_break_minutes=result.break_minutes,
        sessions=[_session(s, day) for s in result.sessions],
        optional=[_exercise(p) for p in result.optional],
        workplace=[
            WorkplaceTipOut(id=tip, title=content.workplace[tip].title) for tip in result.workplace
        ],
        focus=sorted(result.focus),
        removed=sorted(result.removed),
        retest_weeks=list(result.retest_weeks),
        retest_due=result.retest_due,
        next_step=NextStepOut(kind=view.next_step, text=next_step_words(view.next_step)),
        changes=[
            WeekChangeOut(after_week=i, verdict=d.verdict, reasons=list(d.reasons))
            for i, d in enumerate(view.decisions, start=1)
        ],
        eased_off=[] if view.eased is None else list(view.eased.reasons),
        time_zone=view.zone.key,
    )


# Today


class BreakStepOut(Out):
    """One part of a movement break's routine (`seconds` on each side when per side)."""

    activity: BreakActivity
    title: str
    seconds: int
    per_side: bool


class SessionItemOut(Out):
    kind: Literal[ItemKind.SESSION]
    title: str
    start: ClockTime
    end: ClockTime
    slot: SessionSlot
    exercises: list[ExerciseId]
    warm_up: BreakStepOut | None = Field(
        description="The walk it starts with, in the place of a movement break due then."
    )


class BreakItemOut(Out):
    kind: Literal[ItemKind.BREAK]
    title: str
    start: ClockTime
    end: ClockTime
    routine: list[BreakStepOut]


TimelineItemOut = Annotated[SessionItemOut | BreakItemOut, Field(discriminator="kind")]


class TodayOut(Out):
    safe_to_exercise: Literal[True]
    date: dt.date
    now: ClockTime
    work_day: bool
    week: int
    items: list[TimelineItemOut]
    next: TimelineItemOut | None  # the item under way or coming next
    next_session: SessionItemOut | None
    next_break: BreakItemOut | None
    time_zone: str


def _step(step: BreakStep) -> BreakStepOut:
    return BreakStepOut(
        activity=step.activity,
        title=step.title(break_stretch_name()),
        seconds=step.seconds,
        per_side=step.per_side,
    )


def _session_item(item: TimelineItem) -> SessionItemOut:
    assert item.session is not None  # a session's item
    return SessionItemOut(
        kind=ItemKind.SESSION,
        title=item.title,
        start=clock_time(item.start),
        end=clock_time(item.end),
        slot=item.session.slot,
        exercises=[p.exercise_id for p in item.session.prescriptions],
        warm_up=None if item.warm_up is None else _step(item.warm_up),
    )


def _break_item(item: TimelineItem) -> BreakItemOut:
    return BreakItemOut(
        kind=ItemKind.BREAK,
        title=item.title,
        start=clock_time(item.start),
        end=clock_time(item.end),
        routine=[_step(s) for s in item.routine],
    )


def _item(item: TimelineItem) -> SessionItemOut | BreakItemOut:
    return _break_item(item) if item.session is None else _session_item(item)


def today_model(view: TodayView) -> TodayOut | NoPlanOut:
    result = view.plan.result
    if not isinstance(result, Programme):
        return no_plan_model(result)
    assert view.day is not None  # a programme always has today's timeline
    upcoming = view.next_item
    session = view.next_of(ItemKind.SESSION)
    movement = view.next_of(ItemKind.BREAK)
    return TodayOut(
        safe_to_exercise=True,
        date=view.day.day,
        now=clock_time(view.now),
        work_day=view.day.work_day,
        week=view.plan.week,
        items=[_item(i) for i in view.day.items],
        next=None if upcoming is None else _item(upcoming),
        next_session=None if session is None else _session_item(session),
        next_break=None if movement is None else _break_item(movement),
        time_zone=view.plan.zone.key,
    )


# The plan page's opening: what to do today


class TodaySessionOut(Out):
    """One of today's sessions, summed up: when, how long and what it holds."""

    title: str
    slot: SessionSlot
    start: ClockTime
    minutes: int
    exercises: list[str]  # the exercises' names, in order
    is_next: bool  # the first session still to come (or under way)


class PlanTodayOut(Out):
    date: dt.date
    work_day: bool
    sessions: list[TodaySessionOut]
    breaks: int  # movement breaks in today's timeline
    break_minutes: int  # the interval between them


def plan_today_model(view: TodayView) -> PlanTodayOut | None:
    """Today's sessions and breaks for the top of the plan page; None without a programme."""
    result = view.plan.result
    if not isinstance(result, Programme) or view.day is None:
        return None
    coming = view.next_of(ItemKind.SESSION)
    sessions = []
    for item in view.day.items:
        if item.session is None:
            continue
        sessions.append(
            TodaySessionOut(
                title=item.title,
                slot=item.session.slot,
                start=clock_time(item.start),
                minutes=round(item.session.estimated_seconds / 60),
                exercises=[p.name for p in item.session.prescriptions],
                is_next=item is coming,
            )
        )
    return PlanTodayOut(
        date=view.day.day,
        work_day=view.day.work_day,
        sessions=sessions,
        breaks=len(view.day.breaks),
        break_minutes=result.break_minutes,
    )
