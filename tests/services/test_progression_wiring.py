"""The plan progresses, holds and regresses from real logs, week by week (PROTOCOL.md 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.plan import Programme, SafetyRecheck, SessionSlot
from hipflex.domain.progression import Verdict
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import ExerciseEntry
from hipflex.services import programme, tracking
from hipflex.services.assessments import record_assessment, record_safety_check
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.session_logs import log_planned_session

E = ExerciseId
HOUR = 3600
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the fixture clock's start
TIGHT_RECTUS = AssessmentInput(
    thomas={
        Side.LEFT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0),
        Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=75.0),
    },
    sitting_hours=8,
    red_flags=frozenset(),
)


@pytest.fixture
def started(app: AppContext, clock: FixedClock) -> AppContext:
    """A tight rectus femoris, a block started at the clock's Monday, 2 sessions a day."""
    programme.update_preferences(app, timezone="UTC", sessions_per_day=2)
    record_assessment(app, TIGHT_RECTUS)
    view = programme.plan_week(app)
    assert view.block is not None
    assert view.block.started_on == MONDAY.date()
    return app


def go_to_week(clock: FixedClock, week: int, hours: float = 0) -> None:
    target = MONDAY + timedelta(weeks=week - 1, hours=hours)
    assert target >= clock.now()
    clock.advance((target - clock.now()).total_seconds())


def log_sessions(
    app: AppContext, clock: FixedClock, count: int, *, before: int = 2, after: int = 2
) -> None:
    """`count` sessions as prescribed, morning and evening, 12 hours apart from now on."""
    for number in range(count):
        slot = SessionSlot.MORNING if number % 2 == 0 else SessionSlot.EVENING
        log_planned_session(app, slot=slot, pain_before=before, pain_after=after)
        clock.advance(12 * HOUR)


def holds(app: AppContext, exercise: ExerciseId = E.HALF_KNEELING_HIP_FLEXOR) -> set[int | None]:
    result = programme.plan_week(app).result
    assert isinstance(result, Programme)
    return {
        p.hold_seconds
        for s in result.sessions
        for p in s.prescriptions
        if p.exercise_id is exercise
    }


def exercises(app: AppContext) -> set[ExerciseId]:
    result = programme.plan_week(app).result
    assert isinstance(result, Programme)
    return {e for s in result.sessions for e in s.exercise_ids}


def test_a_tolerated_week_lengthens_holds_and_brings_in_the_couch_stretch(
    started: AppContext, clock: FixedClock
):
    assert holds(started) == {30}
    assert E.COUCH_STRETCH not in exercises(started)
    log_sessions(started, clock, 7)  # exactly half of 2 x 7
    go_to_week(clock, 2)
    view = programme.plan_week(started)
    assert view.current_week == 2
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS]
    assert holds(started) == {40}  # level 1 of 30-60 s
    assert E.COUCH_STRETCH in exercises(started)
    assert holds(started, E.COUCH_STRETCH) == {60}  # the couch stretch starts at its minimum
    result = view.result
    assert isinstance(result, Programme)
    evening = next(s for s in result.sessions if s.slot is SessionSlot.EVENING)
    assert E.COUCH_STRETCH in evening.exercise_ids  # at home, not at the desk


def answer_safety_questions(app: AppContext, clock: FixedClock) -> None:
    """The safety questions answered again, no warning sign (a rise or sharp pain asks)."""
    clock.advance(60)
    record_safety_check(app, frozenset())


def test_a_session_pain_rise_of_two_regresses(started: AppContext, clock: FixedClock):
    log_sessions(started, clock, 8)
    go_to_week(clock, 2)
    assert holds(started) == {40}
    log_sessions(started, clock, 7)
    log_sessions(started, clock, 1, before=3, after=5)  # one session: up 2
    assert isinstance(programme.plan_week(started).result, SafetyRecheck)
    answer_safety_questions(started, clock)
    go_to_week(clock, 3)
    view = programme.plan_week(started)
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS, Verdict.REGRESS]
    assert any("during a session" in r for r in view.decisions[-1].reasons)
    assert holds(started) == {30}
    assert E.COUCH_STRETCH not in exercises(started)


def test_a_session_pain_rise_under_two_does_not_regress(started: AppContext, clock: FixedClock):
    log_sessions(started, clock, 7)
    log_sessions(started, clock, 1, before=3, after=4)  # up 1: pain crept up
    go_to_week(clock, 2)
    view = programme.plan_week(started)
    assert [d.verdict for d in view.decisions] == [Verdict.HOLD]
    assert holds(started) == {30}


def test_fewer_than_half_the_sessions_holds(started: AppContext, clock: FixedClock):
    log_sessions(started, clock, 6)  # 6 of 14
    go_to_week(clock, 2)
    view = programme.plan_week(started)
    assert [d.verdict for d in view.decisions] == [Verdict.HOLD]
    assert "6 of 14 sessions" in view.decisions[0].reasons[0]
    assert holds(started) == {30}
    assert E.COUCH_STRETCH not in exercises(started)


def test_skipped_sessions_do_not_count_towards_adherence(started: AppContext, clock: FixedClock):
    log_sessions(started, clock, 6)
    morning = programme.plan_week(started).result
    assert isinstance(morning, Programme)
    everything = set(morning.sessions[0].exercise_ids)
    log_planned_session(started, slot=SessionSlot.MORNING, skipped=everything)
    go_to_week(clock, 2)
    assert [d.verdict for d in programme.plan_week(started).decisions] == [Verdict.HOLD]


def test_weekly_mean_pain_rising_by_two_regresses(started: AppContext, clock: FixedClock):
    for _ in range(3):
        tracking.log_pain(started, 2)
        log_sessions(started, clock, 3, before=2, after=2)
    go_to_week(clock, 2)
    assert holds(started) == {40}
    for _ in range(3):
        tracking.log_pain(started, 4)  # the weekly mean goes from 2 to 4
        log_sessions(started, clock, 3, before=2, after=2)
    answer_safety_questions(started, clock)  # each rating of 4 asked them again
    go_to_week(clock, 3)
    view = programme.plan_week(started)
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS, Verdict.REGRESS]
    assert any("over the week" in r for r in view.decisions[-1].reasons)
    assert holds(started) == {30}


def test_logs_from_before_the_block_do_not_count(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, TIGHT_RECTUS)
    # Sessions typed in for the week before the block: they belong to no block week.
    first = programme.plan_week(app)
    assert first.block is not None
    for hours_back in range(1, 9):
        tracking.log_session(
            app,
            (ExerciseEntry(E.HALF_KNEELING_HIP_FLEXOR, Side.LEFT, hold_seconds=30),),
            started_at=clock.now() - timedelta(days=1, hours=hours_back),
        )
    go_to_week(clock, 2)
    assert [d.verdict for d in programme.plan_week(app).decisions] == [Verdict.HOLD]


def test_a_cleared_couch_stretch_can_return_after_tolerated_weeks(
    started: AppContext, clock: FixedClock
):
    log_sessions(started, clock, 8)
    go_to_week(clock, 2)
    assert E.COUCH_STRETCH in exercises(started)
    log_planned_session(started, slot=SessionSlot.EVENING, sharp_pain={E.COUCH_STRETCH})
    answer_safety_questions(started, clock)
    assert E.COUCH_STRETCH not in exercises(started)
    clock.advance(HOUR)
    tracking.clear_exercise(started, E.COUCH_STRETCH)
    go_to_week(clock, 3)
    log_sessions(started, clock, 8)  # a tolerated week after the clearance
    go_to_week(clock, 4)
    log_sessions(started, clock, 8)  # and another
    go_to_week(clock, 5)
    view = programme.plan_week(started)
    assert [d.verdict for d in view.decisions] == [
        Verdict.PROGRESS,
        Verdict.REGRESS,
        Verdict.PROGRESS,
        Verdict.PROGRESS,
    ]
    assert E.COUCH_STRETCH in exercises(started)
