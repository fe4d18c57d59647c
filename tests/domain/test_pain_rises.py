"""A pain rise regresses the plan from the next session, once (PROTOCOL.md section 4: "a
rise of 2 or more points within a session or over a week is a warning that regresses the
plan from the next session and asks the red-flag questions again")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.progression import (
    MAX_LEVEL,
    PainRise,
    ProgressionState,
    RiseKind,
    SessionPain,
    Verdict,
    WeekSummary,
    daily_rise_warning,
    day_rise,
    decide,
    ease_off,
    pain_rise_warning,
    pain_rises,
    rise_warning,
    session_rise,
)
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import (
    ExerciseEntry,
    SessionLog,
    SessionSource,
    week_summary,
)

E = ExerciseId
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
states = st.builds(
    ProgressionState,
    level=st.integers(0, MAX_LEVEL),
    couch_weeks=st.integers(0, 4),
    removed=st.frozensets(st.sampled_from(ExerciseId), max_size=2),
)
whole = st.integers(0, 10)


def week(
    n: int = 2,
    *,
    sessions: tuple[tuple[int, int], ...] = (),
    daily: tuple[float, ...] = (),
    done: int = 14,
) -> WeekSummary:
    return WeekSummary(
        week=n,
        sessions_planned=14,
        sessions_done=done,
        session_pain=tuple(SessionPain(b, a) for b, a in sessions),
        daily_pain=daily,
    )


LAST_WEEK = week(1, daily=(3.0, 3.0, 4.0, 2.0))  # a mean of 3


# --- what counts as a rise -----------------------------------------------------------------


@given(whole, whole)
def test_a_session_rises_from_2_points(before: int, after: int):
    rise = session_rise(before, after)
    assert (rise is not None) is (after - before >= 2)
    if rise is not None:
        assert rise == PainRise(RiseKind.SESSION, before, after)


@given(st.integers(0, 100), whole)
def test_a_day_rises_2_points_over_the_previous_weeks_mean(mean_tenths: int, score: int):
    rise = day_rise(score, mean_tenths / 10)
    assert (rise is not None) is (10 * score - mean_tenths >= 20)


def test_no_previous_week_no_day_rise():
    assert day_rise(10, None) is None
    assert pain_rises(week(1, daily=(9.0,)), None) == ()


def test_the_kinds_of_rise_in_a_week():
    summary = week(sessions=((2, 5), (3, 4)), daily=(5.0, 3.0, 6.0))
    rises = pain_rises(summary, LAST_WEEK)
    assert [r.kind for r in rises] == [RiseKind.SESSION, RiseKind.DAY, RiseKind.DAY]
    assert [r.after for r in rises] == [5, 5.0, 6.0]
    # the weekly mean (14/3) is 1.67 above 3: no weekly rise, even once the week is over
    assert RiseKind.WEEK not in {r.kind for r in rises}
    high = week(daily=(5.0, 5.0, 5.0))
    assert RiseKind.WEEK in {r.kind for r in pain_rises(high, LAST_WEEK)}
    assert RiseKind.WEEK not in {r.kind for r in pain_rises(high, LAST_WEEK, weekly=False)}


# --- one function gives the words for every kind ------------------------------------------


@pytest.mark.parametrize("kind", list(RiseKind))
def test_every_warning_says_the_plan_eases_off_and_the_questions_come_again(kind: RiseKind):
    words = rise_warning(PainRise(kind, 3.0, 6.0))
    assert "2 points or more" in words
    assert "eases off from your next session" in words
    assert "safety questions again" in words
    assert "please see a clinician" in words


def test_the_session_and_the_daily_warnings_are_that_one_functions_words():
    assert pain_rise_warning(3, 5) == rise_warning(PainRise(RiseKind.SESSION, 3, 5))
    assert daily_rise_warning(6, 3.4) == rise_warning(PainRise(RiseKind.DAY, 3.4, 6))
    assert "Your pain today (6) is 2 points or more above last week's average (3.4)" in (
        daily_rise_warning(6, 3.4) or ""
    )
    assert daily_rise_warning(5, 3.4) is None
    assert daily_rise_warning(9, None) is None


# --- easing off at once, and regressing only once -----------------------------------------


def test_without_a_rise_nothing_eases_off():
    assert ease_off(ProgressionState(level=2), week(sessions=((3, 4),)), LAST_WEEK) is None
    assert ease_off(ProgressionState(level=2), week(daily=(4.9,)), LAST_WEEK) is None


def test_a_session_rise_eases_off_one_level_and_the_couch_stretch_waits():
    state = ProgressionState(level=2, couch_weeks=2, removed=frozenset({E.PIGEON_POSE}))
    eased = ease_off(state, week(sessions=((3, 5),)), LAST_WEEK)
    assert eased is not None
    assert eased.verdict is Verdict.REGRESS
    assert eased.state == ProgressionState(level=1, couch_weeks=0, removed=state.removed)
    assert any("during a session" in r for r in eased.reasons)


def test_a_days_rating_eases_off_and_level_0_stays_0():
    eased = ease_off(ProgressionState(), week(daily=(5.0,)), LAST_WEEK)
    assert eased is not None
    assert eased.state == ProgressionState()
    assert any("previous week's average" in r for r in eased.reasons)


@given(
    states,
    st.lists(st.tuples(whole, whole), max_size=6),
    st.lists(whole, max_size=6),
    st.tuples(st.lists(st.tuples(whole, whole), max_size=6), st.lists(whole, max_size=6)),
    st.booleans(),
)
def test_the_weeks_decision_is_the_easing_made_early_never_a_second_regression(
    state: ProgressionState,
    sessions: list[tuple[int, int]],
    daily: list[int],
    later: tuple[list[tuple[int, int]], list[int]],
    couch_indicated: bool,
):
    """Eased mid-week, the week ends regressed to exactly the eased state, whatever else
    is logged after the warning (sharp pain aside, which also pauses its exercise)."""
    later_sessions, later_daily = later
    so_far = week(sessions=tuple(sessions), daily=tuple(float(d) for d in daily))
    eased = ease_off(state, so_far, LAST_WEEK)
    whole_week = replace(
        so_far,
        session_pain=so_far.session_pain + tuple(SessionPain(b, a) for b, a in later_sessions),
        daily_pain=so_far.daily_pain + tuple(float(d) for d in later_daily),
    )
    decision = decide(state, whole_week, LAST_WEEK, couch_indicated=couch_indicated)
    if eased is not None:
        assert decision.verdict is Verdict.REGRESS
        assert decision.state == eased.state
        assert decision.state.level == max(0, state.level - 1)
        assert decision.state.level >= state.level - 1  # one level, however many warnings


# --- pain is pain wherever it was logged ---------------------------------------------------


def test_sharp_pain_in_a_break_and_in_a_session_with_nothing_done_feed_the_week():
    in_a_break = SessionLog(  # how a break's sharp pain is logged: nothing done
        T0,
        SessionSource.GUIDED,
        (ExerciseEntry(E.STANDING_QUAD_HIP_FLEXOR, Side.LEFT, skipped=True, sharp_pain=True),),
    )
    all_skipped = SessionLog(
        T0 + timedelta(hours=3),
        SessionSource.MANUAL,
        (
            ExerciseEntry(E.PIGEON_POSE, skipped=True, sharp_pain=True),
            ExerciseEntry(E.GLUTE_BRIDGE, skipped=True),
        ),
        pain_before=3,
        pain_after=6,
    )
    summary = week_summary(1, 14, [in_a_break, all_skipped], [])
    assert summary.sessions_done == 0
    assert summary.sharp_pain == {E.STANDING_QUAD_HIP_FLEXOR, E.PIGEON_POSE}
    assert summary.worst_session_rise == 3
    decision = decide(ProgressionState(level=2), summary, couch_indicated=True)
    assert decision.verdict is Verdict.REGRESS
    assert decision.state.removed == {E.STANDING_QUAD_HIP_FLEXOR, E.PIGEON_POSE}
