"""A whole block on an injected clock (PROTOCOL.md section 4): the first assessment, six
weeks of daily practice with a pain spike in week 3, a final re-test, then both ways the
block can end: another block from the re-test at the dose reached, or maintenance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import strategies
from tests.migration_replay import LivedHistory

from hipflex.content import load_content
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.plan import (
    STRENGTH_DAYS,
    MaintenanceDose,
    Phase,
    Programme,
    ProgrammeKind,
    SafetyRecheck,
    SafetyStop,
    SessionSlot,
    block_outcome,
    build_programme,
)
from hipflex.domain.preferences import Preferences, Weekday
from hipflex.domain.progression import ProgressionState, Verdict
from hipflex.domain.protocol import ExerciseId, RedFlag, Side
from hipflex.services import programme, tracking
from hipflex.services.assessments import answer_safety_questions
from hipflex.services.blocks import save_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.presenters.plan import plan_model
from hipflex.services.session_logs import log_planned_session

E = ExerciseId
HK = E.HALF_KNEELING_HIP_FLEXOR
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EXERCISES = load_content().exercises


def answers(*, tight_left: bool, red_flags: frozenset[RedFlag] = frozenset()) -> AssessmentInput:
    """Tight on the left (thigh raised, knee 70) or normal on both sides; long sitting."""
    left = (
        ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)
        if tight_left
        else ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0)
    )
    return AssessmentInput(
        thomas={
            Side.LEFT: left,
            Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0),
        },
        extension={side: ExtensionInput(degrees=12.0) for side in Side},
        sitting_hours=7,
        red_flags=red_flags,
    )


TIGHT = answers(tight_left=True)
NORMAL = answers(tight_left=False)


def go_to(clock: FixedClock, week: int, day: int = 0, hour: int = 9) -> None:
    target = MONDAY + timedelta(weeks=week - 1, days=day, hours=hour - 9)
    assert target >= clock.now()
    clock.advance((target - clock.now()).total_seconds())


def practise_week(app: AppContext, clock: FixedClock, week: int, *, spike: bool = False) -> None:
    """Every session of every day of the week (weekends included), and a pain rating a
    day; `spike` makes Wednesday's evening session raise pain by 3 points: the plan eases
    off from the next session and asks the safety questions again, answered the next
    morning ("none of them")."""
    for day in range(7):
        go_to(clock, week, day, 9)
        if spike and day == 3:
            assert isinstance(programme.plan_week(app).result, SafetyRecheck)
            answer_safety_questions(app, frozenset())
            eased = programme.plan_week(app)
            assert isinstance(eased.result, Programme)
            assert eased.eased is not None  # from the next session, not next week
        tracking.log_pain(app, 4)
        for slot, hour in ((SessionSlot.MORNING, 10), (SessionSlot.EVENING, 18)):
            go_to(clock, week, day, hour)
            after = 6 if spike and day == 2 and slot is SessionSlot.EVENING else 3
            log_planned_session(app, slot=slot, pain_before=3, pain_after=after)


def live_a_block(app: AppContext, clock: FixedClock) -> None:
    """A six-week block lived to its last week, a pain spike in week 3."""
    programme.update_preferences(app, timezone="UTC", sessions_per_day=2, block_weeks=6)
    save_assessment(app, TIGHT, AssessmentKind.BASELINE)
    for week in range(1, 6):
        practise_week(app, clock, week, spike=week == 3)
    go_to(clock, 6, 0, 12)


#: Lived through the services once per database, then its writes replayed (checked).
LIVED_BLOCK = LivedHistory(live_a_block)


@pytest.fixture
def lived_block(app: AppContext, clock: FixedClock) -> AppContext:
    """A six-week block lived to its last week, a pain spike in week 3."""
    LIVED_BLOCK(app, clock)
    return app


def test_the_block_progresses_and_regresses_from_its_logs(lived_block: AppContext):
    view = programme.plan_week(lived_block)
    assert view.current_week == 6
    assert view.phase is Phase.BLOCK
    verdicts = [d.verdict for d in view.decisions]
    # weeks 1 and 2 tolerated, the spike in week 3 pulls back, weeks 4 and 5 tolerated
    assert verdicts == [
        Verdict.PROGRESS,
        Verdict.PROGRESS,
        Verdict.REGRESS,
        Verdict.PROGRESS,
        Verdict.PROGRESS,
    ]
    # the last week is a re-test week: both shells say so, from one next step
    model = plan_model(view)
    assert model.next_step.kind == programme.NextStep.RETEST  # type: ignore[union-attr]
    # practice is daily: 2 sessions x 7 days planned, all done
    assert isinstance(view.result, Programme)
    assert view.result.sessions_per_week == 14


def test_a_final_retest_still_tight_starts_a_new_block_at_the_dose_reached(
    lived_block: AppContext, clock: FixedClock
):
    reached = programme.plan_week(lived_block)
    assert isinstance(reached.result, Programme)
    evening = reached.result.sessions[-1].prescriptions[0]
    report = save_assessment(lived_block, TIGHT, AssessmentKind.RETEST)
    assert report.block_decision is not None
    assert report.block_decision.phase is Phase.BLOCK
    assert "new block" in report.block_decision.text
    after = programme.plan_week(lived_block)
    assert after.phase is Phase.BLOCK
    assert after.block is not None
    assert after.block.assessment_id == report.recorded.id  # type: ignore[union-attr]
    assert (after.current_week, after.week) == (1, 1)
    assert isinstance(after.result, Programme)
    first = after.result.sessions[-1].prescriptions[0]
    assert first.exercise_id is evening.exercise_id is HK
    assert first.hold_seconds == evening.hold_seconds  # not back at 30 s
    assert first.hold_seconds is not None
    assert first.hold_seconds > 30
    # a new block: its own six weeks, re-tests in weeks 3 and 6 again
    assert after.result.retest_weeks == (3, 6)
    assert not after.block_complete


def test_a_final_retest_normal_on_both_sides_moves_on_to_maintenance(
    lived_block: AppContext, clock: FixedClock
):
    report = save_assessment(lived_block, NORMAL, AssessmentKind.RETEST)
    assert report.block_decision is not None
    assert report.block_decision.phase is Phase.MAINTENANCE
    assert "maintenance" in report.block_decision.text
    view = programme.plan_week(lived_block)
    assert view.phase is Phase.MAINTENANCE
    result = view.result
    assert isinstance(result, Programme)
    assert result.kind is ProgrammeKind.MAINTENANCE
    assert result.retest_weeks == ()
    model = plan_model(view)
    assert model.phase is Phase.MAINTENANCE  # type: ignore[union-attr]
    assert "once a day" in model.summary  # type: ignore[union-attr]
    # the half-kneeling stretch once a day; glute and core work on three days a week
    for day in Weekday:
        sessions = result.sessions_on(day)
        assert [s.slot for s in sessions] == [SessionSlot.EVENING]
        ids = sessions[0].exercise_ids
        assert ids[0] is HK
        strength = {E.GLUTE_BRIDGE, E.CLAMSHELL} <= set(ids)
        assert strength is (day in STRENGTH_DAYS[3])
    assert result.sessions_per_week == 7
    # weeks go on with no end and no re-test prompt
    go_to(clock, 12)
    later = programme.plan_week(lived_block)
    assert later.phase is Phase.MAINTENANCE
    assert not later.block_complete
    assert later.next_step is programme.NextStep.NONE


def test_a_retest_in_maintenance_that_finds_tightness_starts_a_block(
    lived_block: AppContext, clock: FixedClock
):
    save_assessment(lived_block, NORMAL, AssessmentKind.RETEST)
    go_to(clock, 10)
    report = save_assessment(lived_block, TIGHT, AssessmentKind.RETEST)
    assert report.block_decision is not None
    assert report.block_decision.phase is Phase.BLOCK
    assert programme.plan_week(lived_block).phase is Phase.BLOCK


def test_a_midblock_retest_decides_nothing(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    save_assessment(app, TIGHT, AssessmentKind.BASELINE)
    programme.plan_week(app)
    go_to(clock, 3, 2)
    report = save_assessment(app, NORMAL, AssessmentKind.RETEST)
    assert report.block_decision is None
    view = programme.plan_week(app)
    assert view.phase is Phase.BLOCK
    assert view.current_week == 3


def test_the_block_over_without_a_retest_prompts_one(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC", block_weeks=4)
    save_assessment(app, TIGHT, AssessmentKind.BASELINE)
    programme.plan_week(app)
    go_to(clock, 5)
    view = programme.plan_week(app)
    assert view.block_complete
    assert view.next_step is programme.NextStep.RETEST_TO_DECIDE
    assert view.week == 4  # the last week's plan goes on meanwhile


def test_a_red_flag_at_the_end_of_a_block_stops_everything(lived_block: AppContext):
    flagged = answers(tight_left=True, red_flags=frozenset({RedFlag.LEG_WEAKNESS}))
    report = save_assessment(lived_block, flagged, AssessmentKind.RETEST)
    assert report.block_decision is None
    assert isinstance(programme.plan_week(lived_block).result, SafetyStop)


def test_a_new_assessment_starts_a_block_from_scratch(lived_block: AppContext):
    save_assessment(lived_block, TIGHT, AssessmentKind.BASELINE)
    view = programme.plan_week(lived_block)
    assert view.block is not None
    assert view.block.start == ProgressionState()
    assert view.current_week == 1


# --- properties over every phase ----------------------------------------------------------


phases = st.sampled_from(Phase)
doses = st.builds(MaintenanceDose, st.integers(1, 3), st.integers(2, 3))


def check_in_range(programme_: Programme) -> None:
    for prescription in (
        *(p for s in programme_.sessions for p in s.prescriptions),
        *programme_.optional,
    ):
        dosage = EXERCISES[prescription.exercise_id].dosage
        if dosage.hold_seconds is not None:
            assert prescription.hold_seconds is not None
            assert dosage.hold_seconds.min <= prescription.hold_seconds <= dosage.hold_seconds.max
        assert dosage.sets.min <= prescription.sets <= dosage.sets.max
        for side in prescription.sides or (None,):
            assert dosage.reps.min <= prescription.reps_on(side) <= dosage.reps.max


@settings(max_examples=60, deadline=None)
@given(strategies.answers(), strategies.preferences(), strategies.states, phases, doses)
def test_holds_stay_inside_the_protocols_ranges_in_every_phase(
    given_answers: AssessmentInput,
    prefs: Preferences,
    state: ProgressionState,
    phase: Phase,
    dose: MaintenanceDose,
):
    assessment = assess(given_answers)
    result = build_programme(
        assessment, prefs, EXERCISES, week=1, state=state, phase=phase, maintenance=dose
    )
    if assessment.red_flags:
        # a red-flag answer at any point stops every exercise, whatever the phase
        assert isinstance(result, SafetyStop)
        return
    if isinstance(result, Programme):
        check_in_range(result)
        assert result.phase is phase


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.sampled_from(list(RedFlag)))
def test_a_red_flag_at_any_point_of_the_block_stops_every_exercise(week: int, flag: RedFlag):
    assessment = assess(answers(tight_left=True, red_flags=frozenset({flag})))
    for phase in Phase:
        result = build_programme(
            assessment,
            Preferences(),
            EXERCISES,
            week=week,
            state=ProgressionState(level=3, couch_weeks=2),
            phase=phase,
        )
        assert isinstance(result, SafetyStop)


def test_block_outcome_needs_test_results():
    assert block_outcome(assess(TIGHT)) is Phase.BLOCK
    assert block_outcome(assess(NORMAL)) is Phase.MAINTENANCE
    assert block_outcome(assess(AssessmentInput(sitting_hours=2, red_flags=frozenset()))) is None
