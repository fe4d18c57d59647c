"""A block played on an injected clock with a pain spike in week 3 (PROTOCOL.md section 4):
the session's rise warns, asks the safety questions again, and regresses the plan from the
next session the same day; the week's decision does not regress it a second time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hipflex.domain.assessment import AssessmentInput, AssessmentKind, ThighPosition, ThomasInput
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Programme, SafetyRecheck, SessionSlot
from hipflex.domain.player import StepCompleted, start, tick
from hipflex.domain.progression import Verdict
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening
from hipflex.domain.script import Script
from hipflex.services import guided, programme, reminder_exchange
from hipflex.services.assessments import answer_safety_questions, record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.pain import log_pain_rating
from hipflex.services.reminder_contract import BreakPromptRequest
from hipflex.services.safety import current_screening, reminder_prompt

E = ExerciseId
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the fixture clock: the block's first day
TIGHT_RECTUS = AssessmentInput(  # a tight rectus femoris: the couch stretch is indicated
    thomas={
        Side.LEFT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0),
        Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=75.0),
    },
    sitting_hours=8,
    red_flags=frozenset(),
)
HOLDS_BY_LEVEL = {0: 30, 1: 40, 2: 50, 3: 60}  # the half-kneeling stretch, 30-60 s


def go_to(clock: FixedClock, week: int, day: int, hour: int) -> None:
    target = MONDAY.replace(hour=hour) + timedelta(weeks=week - 1, days=day)
    assert target >= clock.now()
    clock.advance((target - clock.now()).total_seconds())


def play(script: Script) -> list[StepCompleted]:
    player, _ = start(script, 0.0, 0)
    player, outputs = tick(player, float(script.total_seconds) + 1)
    assert player.finished
    return [o for o in outputs if isinstance(o, StepCompleted)]


def guided_session(
    app: AppContext, clock: FixedClock, slot: SessionSlot, before: int, after: int
) -> str | None:
    """A whole guided session in `slot`, as the players run it; the finish's warning."""
    chosen = guided.choose_session(app, slot.value)
    log_id = guided.begin(app, chosen, pain_before=before)
    for completed in play(chosen.script):
        guided.record_step(app, log_id, completed.step)
    clock.advance(chosen.script.total_seconds)
    return guided.finish(app, log_id, pain_after=after)


def script_holds(script: Script, exercise: ExerciseId) -> set[int | None]:
    return {s.hold_seconds for s in script.steps if s.exercise_id is exercise and s.records}


def plan_holds(app: AppContext, exercise: ExerciseId = E.HALF_KNEELING_HIP_FLEXOR) -> set[int]:
    result = programme.plan_week(app).result
    assert isinstance(result, Programme)
    return {
        p.hold_seconds
        for s in result.sessions
        for p in s.prescriptions
        if p.exercise_id is exercise and p.hold_seconds is not None
    }


def plan_exercises(app: AppContext) -> set[ExerciseId]:
    result = programme.plan_week(app).result
    assert isinstance(result, Programme)
    return {e for s in result.sessions for e in s.exercise_ids}


def a_tolerated_day(app: AppContext, clock: FixedClock, week: int, day: int) -> None:
    go_to(clock, week, day, 10)
    log_pain_rating(app, 2)
    go_to(clock, week, day, 11)
    assert guided_session(app, clock, SessionSlot.MORNING, 2, 2) is None
    go_to(clock, week, day, 19)
    assert guided_session(app, clock, SessionSlot.EVENING, 2, 2) is None


@pytest.fixture
def started(app: AppContext) -> AppContext:
    # a floor at work: every session starts with the half-kneeling stretch, and pausing
    # the standing one leaves the morning session more than that one stretch
    programme.update_preferences(app, timezone="UTC", sessions_per_day=2, floor_at_work=True)
    record_assessment(app, TIGHT_RECTUS)
    return app


def test_a_pain_spike_in_week_3_regresses_the_next_session_the_same_day_once(
    started: AppContext, clock: FixedClock
):
    app = started
    for week in (1, 2):
        for day in range(7):
            a_tolerated_day(app, clock, week, day)
    go_to(clock, 3, 0, 7)
    view = programme.plan_week(app)
    assert view.current_week == 3
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS, Verdict.PROGRESS]
    assert plan_holds(app) == {HOLDS_BY_LEVEL[2]}
    assert E.COUCH_STRETCH in plan_exercises(app)
    for day in (0, 1):
        a_tolerated_day(app, clock, 3, day)

    # Wednesday of week 3, the morning session: pain 2 before, 5 after
    go_to(clock, 3, 2, 11)
    warning = guided_session(app, clock, SessionSlot.MORNING, 2, 5)
    assert warning is not None
    assert "rose by 2 points or more during this session (from 2 to 5)" in warning
    assert "eases off from your next session" in warning
    assert "safety questions again" in warning

    # the same day: the safety questions first, nothing to exercise until then
    assert current_screening(app) is Screening.RECHECK
    assert isinstance(programme.plan_week(app).result, SafetyRecheck)
    with pytest.raises(BadInput, match="answer them again"):
        guided.choose_session(app, "evening")
    assert guided.break_session(app).script.exercise_ids() == ()
    prompt = reminder_prompt(app, 45, how_to_screen="-", how_to_recheck="Answer them again.")
    assert prompt.screening is Screening.RECHECK
    assert "Answer them again." in prompt.body
    request = BreakPromptRequest(sitting_minutes=45, can_snooze=True)
    sent = reminder_exchange.break_prompt(app, request)  # what the daemon is told
    assert sent.screening is Screening.RECHECK
    assert reminder_exchange.HOW_TO_RECHECK in sent.body
    assert "start" not in [action.id for action in sent.actions]

    # answered with no warning sign: the evening session is the regressed one
    clock.advance(30 * 60)
    check = answer_safety_questions(app, frozenset())
    assert check.recorded.kind is AssessmentKind.SAFETY_CHECK
    assert check.screening is Screening.CLEAR
    view = programme.plan_week(app)
    assert view.eased is not None
    assert any("during a session" in reason for reason in view.eased.reasons)
    assert plan_holds(app) == {HOLDS_BY_LEVEL[1]}
    assert E.COUCH_STRETCH not in plan_exercises(app)  # the intense stretch waits
    evening = guided.choose_session(app, "evening")
    assert script_holds(evening.script, E.HALF_KNEELING_HIP_FLEXOR) == {HOLDS_BY_LEVEL[1]}
    assert E.COUCH_STRETCH not in evening.script.exercise_ids()
    # the findings stay the baseline's; the safety check holds no self-tests
    assert view.assessment.kind is AssessmentKind.BASELINE

    go_to(clock, 3, 2, 19)
    assert guided_session(app, clock, SessionSlot.EVENING, 2, 2) is None
    for day in range(3, 7):
        a_tolerated_day(app, clock, 3, day)
        assert plan_holds(app) == {HOLDS_BY_LEVEL[1]}  # eased for the rest of the week

    # week 4: the week's decision is that one regression, not a second on top of it
    go_to(clock, 4, 0, 7)
    view = programme.plan_week(app)
    assert [d.verdict for d in view.decisions] == [
        Verdict.PROGRESS,
        Verdict.PROGRESS,
        Verdict.REGRESS,
    ]
    assert view.eased is None
    assert plan_holds(app) == {HOLDS_BY_LEVEL[1]}
    assert E.COUCH_STRETCH not in plan_exercises(app)
    for day in range(7):
        a_tolerated_day(app, clock, 4, day)
    go_to(clock, 5, 0, 7)
    assert plan_holds(app) == {HOLDS_BY_LEVEL[2]}  # tolerated again: it moves on
    assert E.COUCH_STRETCH in plan_exercises(app)


def test_a_days_rating_2_above_last_weeks_mean_warns_and_eases_off_at_once(
    started: AppContext, clock: FixedClock
):
    app = started
    for day in range(7):
        a_tolerated_day(app, clock, 1, day)
    go_to(clock, 2, 0, 9)
    assert plan_holds(app) == {HOLDS_BY_LEVEL[1]}
    calm = log_pain_rating(app, 3)  # last week's mean is 2: up 1
    assert calm.warning is None
    clock.advance(3600)
    spiked = log_pain_rating(app, 4)  # up 2
    assert spiked.warning is not None
    assert "Your pain today (4) is 2 points or more above last week's average (2.0)" in (
        spiked.warning
    )
    assert isinstance(programme.plan_week(app).result, SafetyRecheck)
    clock.advance(60)
    answer_safety_questions(app, frozenset())
    assert plan_holds(app) == {HOLDS_BY_LEVEL[0]}
    eased = programme.plan_week(app).eased
    assert eased is not None
    assert any("previous week's average" in reason for reason in eased.reasons)


def test_a_look_ahead_after_a_spike_starts_from_the_regressed_week(
    started: AppContext, clock: FixedClock
):
    app = started
    for day in range(7):
        a_tolerated_day(app, clock, 1, day)
    go_to(clock, 2, 1, 11)
    assert guided_session(app, clock, SessionSlot.MORNING, 2, 6) is not None
    clock.advance(60)
    answer_safety_questions(app, frozenset())
    ahead = programme.plan_week(app, 3)
    assert ahead.projected
    assert [d.verdict for d in ahead.decisions] == [Verdict.PROGRESS, Verdict.REGRESS]
    result = ahead.result
    assert isinstance(result, Programme)
    holds = {
        p.hold_seconds
        for s in result.sessions
        for p in s.prescriptions
        if p.exercise_id is E.HALF_KNEELING_HIP_FLEXOR
    }
    assert holds == {HOLDS_BY_LEVEL[0]}


def test_sharp_pain_in_a_break_feeds_the_weeks_decision_and_asks_again(
    started: AppContext, clock: FixedClock
):
    app = started
    for day in range(7):
        a_tolerated_day(app, clock, 1, day)
    go_to(clock, 2, 0, 11)
    guided.report_sharp_pain(app, E.STANDING_QUAD_HIP_FLEXOR, Side.LEFT)  # in a break
    assert current_screening(app) is Screening.RECHECK
    clock.advance(60)
    answer_safety_questions(app, frozenset())
    for day in range(1, 7):
        a_tolerated_day(app, clock, 2, day)
    go_to(clock, 3, 0, 7)
    view = programme.plan_week(app)
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS, Verdict.REGRESS]
    assert any("sharp pain" in r for r in view.decisions[-1].reasons)
    assert E.STANDING_QUAD_HIP_FLEXOR not in plan_exercises(app)
