"""Week logs -> progress, hold or regress (PROTOCOL.md section 4)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.errors import BadInput
from hipflex.domain.progression import (
    MAX_LEVEL,
    ProgressionState,
    SessionPain,
    Verdict,
    WeekDecision,
    WeekSummary,
    decide,
    pain_rise_over_week,
    pain_rise_warning,
    replay,
    step,
    tolerated_weeks,
)
from hipflex.domain.protocol import ExerciseId, IntRange

E = ExerciseId
MID = ProgressionState(level=2, couch_weeks=1)


def week(
    n: int = 1,
    *,
    planned: int = 14,
    done: int = 14,
    sessions: tuple[tuple[float, float], ...] = (),
    daily: tuple[float, ...] = (),
    sharp: frozenset[ExerciseId] = frozenset(),
) -> WeekSummary:
    return WeekSummary(
        week=n,
        sessions_planned=planned,
        sessions_done=done,
        session_pain=tuple(SessionPain(before, after) for before, after in sessions),
        daily_pain=daily,
        sharp_pain=sharp,
    )


# --- regress -----------------------------------------------------------------------------


def test_sharp_pain_regresses_and_removes_the_exercise():
    state = ProgressionState(level=2, couch_weeks=3)
    decision = decide(state, week(sharp=frozenset({E.PIGEON_POSE})), couch_indicated=True)
    assert decision.verdict is Verdict.REGRESS
    assert decision.state == ProgressionState(
        level=1, couch_weeks=0, removed=frozenset({E.PIGEON_POSE})
    )
    assert decision.newly_removed == {E.PIGEON_POSE}
    assert any("pigeon_pose" in reason for reason in decision.reasons)


def test_sharp_pain_at_level_zero_stays_at_zero_and_keeps_earlier_removals():
    state = ProgressionState(level=0, removed=frozenset({E.PLANK}))
    sharp = frozenset({E.PLANK, E.COUCH_STRETCH})
    decision = decide(state, week(sharp=sharp), couch_indicated=True)
    assert decision.verdict is Verdict.REGRESS
    assert decision.state.level == 0
    assert decision.state.couch_weeks == 0
    assert decision.state.removed == {E.PLANK, E.COUCH_STRETCH}
    assert decision.newly_removed == {E.COUCH_STRETCH}  # plank was already out


def test_sharp_pain_regresses_even_with_poor_adherence():
    decision = decide(MID, week(done=1, sharp=frozenset({E.CLAMSHELL})), couch_indicated=False)
    assert decision.verdict is Verdict.REGRESS
    assert E.CLAMSHELL in decision.state.removed


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (3.0, 5.0, Verdict.REGRESS),  # exactly 2
        (0.0, 10.0, Verdict.REGRESS),
        (3.0, 4.9, Verdict.HOLD),  # 1.9: a small rise holds
        (3.0, 3.5, Verdict.HOLD),
        (3.0, 3.0, Verdict.PROGRESS),
        (5.0, 2.0, Verdict.PROGRESS),
    ],
)
def test_session_pain_rise(before: float, after: float, verdict: Verdict):
    summary = week(sessions=((2.0, 2.0), (before, after), (1.0, 1.0)))
    decision = decide(MID, summary, couch_indicated=True)
    assert decision.verdict is verdict
    expected_level = {Verdict.REGRESS: 1, Verdict.HOLD: 2, Verdict.PROGRESS: 3}[verdict]
    assert decision.state.level == expected_level
    if verdict is Verdict.REGRESS:
        assert decision.state.couch_weeks == 0
        assert decision.newly_removed == frozenset()
        assert decision.state.removed == frozenset()
    if verdict is Verdict.HOLD:
        assert decision.state == MID


@pytest.mark.parametrize(
    ("previous", "this", "verdict"),
    [
        ((3.0,) * 7, (5.0,) * 7, Verdict.REGRESS),  # mean rise of exactly 2
        ((2.0, 4.0), (5.0, 5.0), Verdict.REGRESS),  # means 3 -> 5
        ((3.0,) * 7, (4.5,) * 7, Verdict.HOLD),  # a rise of 1.5 holds
        ((3.0,) * 7, (3.0,) * 7, Verdict.PROGRESS),
        ((5.0,) * 7, (3.0,) * 7, Verdict.PROGRESS),  # falling pain is fine
    ],
)
def test_weekly_mean_pain_rise(
    previous: tuple[float, ...], this: tuple[float, ...], verdict: Verdict
):
    decision = decide(MID, week(2, daily=this), week(1, daily=previous), couch_indicated=False)
    assert decision.verdict is verdict


def test_weekly_rise_is_measured_against_the_previous_week_only():
    # this week's 5s are 2 above last week's 3s: regress, however low it started
    assert pain_rise_over_week(week(3, daily=(5.0,)), week(2, daily=(3.0,))) == 2.0
    assert pain_rise_over_week(week(3, daily=(5.0,)), None) is None
    decision = decide(MID, week(3, daily=(5.0,)), couch_indicated=True)
    assert decision.verdict is Verdict.PROGRESS  # no previous week: no weekly trend


def test_weekly_mean_falls_back_to_pain_before_sessions():
    previous = week(1, sessions=((2.0, 2.0), (2.0, 2.0)))
    this = week(2, sessions=((4.0, 4.0), (4.0, 3.0)))
    assert this.mean_pain == 4.0
    assert decide(MID, this, previous, couch_indicated=False).verdict is Verdict.REGRESS


def test_daily_ratings_win_over_session_ratings_for_the_mean():
    summary = week(sessions=((8.0, 8.0),), daily=(2.0, 4.0))
    assert summary.mean_pain == 3.0
    assert week().mean_pain is None


def test_weekly_mean_rise_of_exactly_two_from_whole_number_ratings_regresses():
    previous = week(1, daily=(7.0, 2.0, 1.0))  # mean 10/3
    this = week(2, daily=(8.0, 2.0, 6.0))  # mean 16/3: a rise of exactly 2
    assert decide(MID, this, previous, couch_indicated=False).verdict is Verdict.REGRESS


def test_session_rise_of_exactly_two_with_decimal_ratings_regresses():
    decision = decide(MID, week(sessions=((1.3, 3.3),)), couch_indicated=False)
    assert decision.verdict is Verdict.REGRESS


# --- hold --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "done", "verdict"),
    [
        (14, 6, Verdict.HOLD),
        (14, 7, Verdict.PROGRESS),
        (100, 49, Verdict.HOLD),
        (100, 50, Verdict.PROGRESS),
        (14, 0, Verdict.HOLD),
    ],
)
def test_adherence_below_half_holds(planned: int, done: int, verdict: Verdict):
    decision = decide(MID, week(planned=planned, done=done), couch_indicated=True)
    assert decision.verdict is verdict
    if verdict is Verdict.HOLD:
        assert decision.state == MID
        assert f"{done} of {planned}" in decision.reasons[0]
    else:
        assert decision.state.level == MID.level + 1


def test_adherence_is_capped_and_zero_planned_is_zero():
    assert week(planned=14, done=20).adherence == 1.0
    assert week(planned=0, done=0).adherence == 0.0
    assert decide(MID, week(planned=0, done=0), couch_indicated=True).verdict is Verdict.HOLD


@given(st.floats(min_value=0.01, max_value=1.9))
def test_small_session_rise_holds(rise: float):
    decision = decide(MID, week(sessions=((3.0, 3.0 + rise),)), couch_indicated=True)
    assert decision.verdict is Verdict.HOLD
    assert decision.state == MID


def test_small_weekly_rise_holds():
    decision = decide(MID, week(2, daily=(4.0,)), week(1, daily=(3.0,)), couch_indicated=True)
    assert decision.verdict is Verdict.HOLD
    assert decision.state == MID


# --- progress ----------------------------------------------------------------------------


def test_tolerated_week_progresses_and_unlocks_the_couch():
    decision = decide(ProgressionState(), week(), couch_indicated=True)
    assert decision.verdict is Verdict.PROGRESS
    assert decision.state == ProgressionState(level=1, couch_weeks=1)
    assert decision.state.couch_unlocked
    again = decide(decision.state, week(2), week(), couch_indicated=True)
    assert again.state == ProgressionState(level=2, couch_weeks=2)


def test_level_is_capped_at_max_level():
    top = ProgressionState(level=MAX_LEVEL, couch_weeks=4)
    decision = decide(top, week(), couch_indicated=True)
    assert decision.verdict is Verdict.PROGRESS
    assert decision.state.level == MAX_LEVEL
    assert decision.state.couch_weeks == 5


def test_couch_stays_locked_when_not_indicated():
    decision = decide(ProgressionState(level=1), week(), couch_indicated=False)
    assert decision.state == ProgressionState(level=2, couch_weeks=0)
    assert not decision.state.couch_unlocked


def test_couch_stays_locked_when_removed():
    state = ProgressionState(level=1, removed=frozenset({E.COUCH_STRETCH}))
    decision = decide(state, week(), couch_indicated=True)
    assert decision.verdict is Verdict.PROGRESS
    assert decision.state.couch_weeks == 0
    assert decision.state.removed == {E.COUCH_STRETCH}
    cleared = decide(state.cleared(E.COUCH_STRETCH), week(), couch_indicated=True)
    assert cleared.state.couch_weeks == 1


def test_cleared_puts_an_exercise_back_and_leaves_the_rest():
    state = ProgressionState(level=2, couch_weeks=1, removed=frozenset({E.PLANK, E.PIGEON_POSE}))
    cleared = state.cleared(E.PLANK)
    assert cleared == ProgressionState(level=2, couch_weeks=1, removed=frozenset({E.PIGEON_POSE}))
    assert cleared.cleared(E.BIRD_DOG) == cleared  # clearing what is not out changes nothing


def test_default_state_is_week_one():
    state = ProgressionState()
    assert (state.level, state.couch_weeks, state.removed) == (0, 0, frozenset())
    assert not state.couch_unlocked


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.1, 10.1, math.nan, math.inf, -math.inf])
def test_pain_outside_0_10_is_bad_input(value: float):
    with pytest.raises(BadInput, match="from 0 to 10"):
        SessionPain(value, 3.0)
    with pytest.raises(BadInput, match="from 0 to 10"):
        SessionPain(3.0, value)
    with pytest.raises(BadInput, match="daily pain"):
        WeekSummary(week=1, sessions_planned=14, sessions_done=7, daily_pain=(2.0, value))


@pytest.mark.parametrize("value", [0.0, 10.0])
def test_pain_scale_ends_are_accepted(value: float):
    assert SessionPain(value, value).rise == 0.0
    assert week(daily=(value,)).mean_pain == value


@pytest.mark.parametrize(
    "kwargs",
    [
        {"week": 0, "sessions_planned": 14, "sessions_done": 7},
        {"week": 1, "sessions_planned": -1, "sessions_done": 0},
        {"week": 1, "sessions_planned": 14, "sessions_done": -1},
    ],
)
def test_bad_week_summaries(kwargs: dict[str, int]):
    with pytest.raises(BadInput):
        WeekSummary(**kwargs)


# --- step --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "round_to", "expected"),
    [
        ((30, 60), 5, [30, 40, 50, 60]),
        ((60, 120), 5, [60, 80, 100, 120]),
        ((20, 30), 5, [20, 25, 25, 30]),
        ((2, 3), 1, [2, 2, 3, 3]),
        ((15, 15), 1, [15, 15, 15, 15]),
    ],
)
def test_step_ladders(span: tuple[int, int], round_to: int, expected: list[int]):
    low, high = span
    rng = IntRange(min=low, max=high)
    assert [step(rng, level, round_to=round_to) for level in range(MAX_LEVEL + 1)] == expected


@given(
    low=st.integers(0, 300),
    width=st.integers(0, 300),
    level=st.integers(-10, 10),
    round_to=st.sampled_from([1, 2, 5, 10, 30]),
)
def test_step_is_always_inside_the_range(low: int, width: int, level: int, round_to: int):
    span = IntRange(min=low, max=low + width)
    value = step(span, level, round_to=round_to)
    assert span.min <= value <= span.max
    aligned = span.min % round_to == 0 and span.max % round_to == 0
    if level <= 0 and aligned:
        assert value == span.min
    if level >= MAX_LEVEL and aligned:
        assert value == span.max
    assert value <= step(span, level + 1, round_to=round_to)


# --- any run of weeks --------------------------------------------------------------------

halves = st.integers(0, 20).map(lambda n: n / 2)  # 0, 0.5, ..., 10: exact in binary
sizes = st.sampled_from([0, 1, 2, 4])
sharp_sets = st.frozensets(st.sampled_from(ExerciseId), max_size=2)


@st.composite
def week_runs(draw: st.DrawFn) -> list[WeekSummary]:
    count = draw(st.integers(1, 8))
    run = []
    for n in range(1, count + 1):
        planned = draw(st.integers(0, 21))
        run.append(
            WeekSummary(
                week=n,
                sessions_planned=planned,
                sessions_done=draw(st.integers(0, 21)),
                # lengths 1, 2 and 4 keep the means exact, so a rise of 2 is exactly 2
                session_pain=tuple(draw(sizes.flatmap(_sessions))),
                daily_pain=tuple(draw(sizes.flatmap(_daily))),
                sharp_pain=draw(st.one_of(st.just(frozenset()), sharp_sets)),
            )
        )
    return run


def _daily(size: int) -> st.SearchStrategy[list[float]]:
    return st.lists(halves, min_size=size, max_size=size)


def _sessions(size: int) -> st.SearchStrategy[list[SessionPain]]:
    return st.lists(st.builds(SessionPain, halves, halves), min_size=size, max_size=size)


def _mean(summary: WeekSummary) -> Fraction | None:
    values = summary.daily_pain or tuple(p.before for p in summary.session_pain)
    if not values:
        return None
    return sum(map(Fraction, values)) / len(values)


def _warning(summary: WeekSummary, previous: WeekSummary | None) -> bool:
    """Sharp pain, or a rise of 2 or more in a session, of a day's rating over the previous
    week's mean, or in the weekly mean (exact)."""
    session = [Fraction(p.after) - Fraction(p.before) for p in summary.session_pain]
    this_mean = _mean(summary)
    last_mean = None if previous is None else _mean(previous)
    week_rise = None if this_mean is None or last_mean is None else this_mean - last_mean
    days = [] if last_mean is None else [Fraction(d) - last_mean for d in summary.daily_pain]
    return (
        bool(summary.sharp_pain)
        or any(rise >= 2 for rise in session)
        or any(rise >= 2 for rise in days)
        or (week_rise is not None and week_rise >= 2)
    )


@given(week_runs(), st.booleans())
def test_any_run_of_weeks_keeps_the_state_in_range(
    summaries: list[WeekSummary], couch_indicated: bool
):
    state, decisions = replay(summaries, couch_indicated=couch_indicated)
    assert len(decisions) == len(summaries)
    assert decisions[-1].state == state
    before = ProgressionState()
    previous: WeekSummary | None = None
    for summary, decision in zip(summaries, decisions, strict=True):
        after = decision.state
        assert 0 <= after.level <= MAX_LEVEL
        assert after.couch_weeks >= 0
        assert before.removed <= after.removed  # only the user clears an exercise
        assert after.removed - before.removed == decision.newly_removed
        if _warning(summary, previous):
            assert decision.verdict is Verdict.REGRESS
            assert after.level == max(0, before.level - 1)
            assert after.couch_weeks == 0
            assert summary.sharp_pain <= after.removed
        elif decision.verdict is Verdict.PROGRESS:
            assert summary.adherence >= 0.5
            assert after.level == min(MAX_LEVEL, before.level + 1)
            unlock = couch_indicated and E.COUCH_STRETCH not in before.removed
            assert after.couch_weeks == (before.couch_weeks + 1 if unlock else 0)
        else:
            assert decision.verdict is Verdict.HOLD
            assert after == before
        if decision.verdict is not Verdict.PROGRESS:
            assert after.level <= before.level
        if not couch_indicated:
            assert after.couch_weeks == 0
        before, previous = after, summary
    assert tolerated_weeks(decisions) == sum(d.verdict is Verdict.PROGRESS for d in decisions)


@given(week_runs())
def test_a_fully_tolerated_run_climbs_one_level_a_week(summaries: list[WeekSummary]):
    calm = [WeekSummary(week=s.week, sessions_planned=14, sessions_done=14) for s in summaries]
    state, decisions = replay(calm, couch_indicated=True)
    assert all(d.verdict is Verdict.PROGRESS for d in decisions)
    assert state.level == min(MAX_LEVEL, len(calm))
    assert state.couch_weeks == len(calm)


def test_decision_reasons_are_given():
    decision = decide(MID, week(), couch_indicated=True)
    assert isinstance(decision, WeekDecision)
    assert decision.reasons
    assert decision.newly_removed == frozenset()


# --- the warning when pain rises within a session (one rule for the terminal and the web) ---


@pytest.mark.parametrize(("before", "after"), [(0, 2), (3, 5), (8, 10), (2, 9), (0, 10)])
def test_a_rise_of_2_points_or_more_warns(before: int, after: int):
    warning = pain_rise_warning(before, after)
    assert warning is not None
    assert warning.startswith("Your pain rose by 2 points or more during this session")
    assert f"(from {before} to {after})" in warning
    assert "please see a clinician" in warning


@pytest.mark.parametrize(
    ("before", "after"),
    [(3, 4), (0, 1), (5, 5), (6, 2), (10, 0), (0, 1.99), (3, 4.999999), (0.5, 2.49)],
)
def test_a_rise_under_2_points_does_not_warn(before: float, after: float):
    assert pain_rise_warning(before, after) is None


def test_a_rise_of_2_in_floating_point_still_warns():
    # 16/3 - 10/3 is 1.9999999999999996: a rise of 2 (the same tolerance as decide's)
    assert 16 / 3 - 10 / 3 < 2
    assert pain_rise_warning(10 / 3, 16 / 3) is not None


@pytest.mark.parametrize(("before", "after"), [(None, 9), (0, None), (None, None)])
def test_no_warning_without_both_ratings(before: int | None, after: int | None):
    assert pain_rise_warning(before, after) is None


pain_scores = st.floats(min_value=0, max_value=10)


@given(pain_scores, pain_scores)
def test_the_warning_follows_the_rise_of_2_points(before: float, after: float):
    warning = pain_rise_warning(before, after)
    if after - before >= 2:
        assert warning is not None
    elif after - before < 2 - 1e-6:
        assert warning is None
    # and it is the rule the weekly decision applies to a session's rise
    decision = decide(ProgressionState(), week(sessions=((before, after),)), couch_indicated=False)
    assert (decision.verdict is Verdict.REGRESS) is (warning is not None)


@given(st.integers(0, 10), st.integers(0, 10))
def test_whole_scores_warn_exactly_from_a_rise_of_2(before: int, after: int):
    assert (pain_rise_warning(before, after) is not None) is (after - before >= 2)
