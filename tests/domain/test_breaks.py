"""The break policy: continuous sitting, natural breaks, snooze limits, day rollover."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.breaks import (
    Activity,
    BreakOutcome,
    BreakPolicy,
    BreakState,
    Quiet,
    answer,
    break_due,
    can_snooze,
    next_check,
    observe,
    reminded,
    take_finished_days,
)
from hipflex.domain.errors import BadInput

MONDAY_9 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLICY = BreakPolicy()  # 40 minutes, natural break 3 minutes, Mon-Fri 09:00-17:00


def active_for(
    state: BreakState, start: datetime, minutes: float, every: float = 30
) -> tuple[BreakState, datetime]:
    """Keyboard activity sampled every `every` seconds for `minutes`."""
    now = start
    end = start + timedelta(minutes=minutes)
    while now <= end:
        state = observe(state, now, Activity.ACTIVE, POLICY)
        now += timedelta(seconds=every)
    return state, end


def test_a_break_falls_due_after_the_interval_of_sitting():
    state, end = active_for(BreakState(), MONDAY_9, 39.5)
    assert not break_due(state, end, POLICY)
    state, end = active_for(state, end, 0.5)
    assert break_due(state, MONDAY_9 + timedelta(minutes=40), POLICY)


@pytest.mark.parametrize("minutes", [30, 45])
def test_interval_is_configurable_inside_30_to_45(minutes: int):
    policy = BreakPolicy(interval_minutes=minutes)
    state = observe(BreakState(), MONDAY_9, Activity.ACTIVE, policy)
    assert not break_due(state, MONDAY_9 + timedelta(minutes=minutes - 1), policy)
    assert break_due(state, MONDAY_9 + timedelta(minutes=minutes), policy)


@pytest.mark.parametrize("minutes", [29, 46])
def test_interval_outside_30_to_45_is_refused(minutes: int):
    with pytest.raises(BadInput, match="from 30 to 45"):
        BreakPolicy(interval_minutes=minutes)


def test_three_minutes_away_is_a_natural_break_that_resets_the_count():
    state, end = active_for(BreakState(), MONDAY_9, 30)
    back = end + timedelta(minutes=3)
    state = observe(state, back, Activity.ACTIVE, POLICY)
    assert state.sitting_since == back
    assert state.today is not None
    assert state.today.natural_breaks == 1
    assert not break_due(state, back + timedelta(minutes=39), POLICY)


def test_a_shorter_pause_is_not_a_natural_break():
    state, end = active_for(BreakState(), MONDAY_9, 30)
    state = observe(state, end + timedelta(minutes=2.9), Activity.ACTIVE, POLICY)
    assert state.sitting_since == MONDAY_9


def test_snooze_five_minutes_at_most_twice_in_a_row():
    state, _ = active_for(BreakState(), MONDAY_9, 40)
    now = MONDAY_9 + timedelta(minutes=40)
    for _ in range(2):
        assert break_due(state, now, POLICY)
        state = answer(reminded(state), BreakOutcome.SNOOZED, now, POLICY)
        assert not break_due(state, now + timedelta(minutes=4.9), POLICY)
        now += timedelta(minutes=5)
    assert break_due(state, now, POLICY)
    assert not can_snooze(state, POLICY)
    with pytest.raises(BadInput, match="at most 2 times"):
        answer(reminded(state), BreakOutcome.SNOOZED, now, POLICY)


def test_done_resets_and_skip_waits_a_full_interval():
    state, _ = active_for(BreakState(), MONDAY_9, 40)
    now = MONDAY_9 + timedelta(minutes=40)
    done = answer(reminded(state), BreakOutcome.DONE, now, POLICY)
    assert done.sitting_since is None
    assert done.today is not None
    assert done.today.breaks_done == 1
    skipped = answer(reminded(state), BreakOutcome.SKIPPED, now, POLICY)
    assert skipped.today is not None
    assert skipped.today.skipped == 1
    assert not break_due(skipped, now + timedelta(minutes=39), POLICY)
    assert break_due(skipped, now + timedelta(minutes=40), POLICY)


def test_no_reminder_outside_work_hours_or_in_a_quiet_period_or_do_not_disturb():
    evening = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    state = observe(BreakState(), evening, Activity.ACTIVE, POLICY)
    assert not break_due(state, evening + timedelta(minutes=50), POLICY)
    saturday = datetime(2026, 11, 7, 10, 0, tzinfo=UTC)
    state = observe(BreakState(), saturday, Activity.ACTIVE, POLICY)
    assert not break_due(state, saturday + timedelta(minutes=50), POLICY)
    lunch = BreakPolicy(quiet=(Quiet(time(12, 0), time(13, 0)),))
    noon = datetime(2026, 11, 2, 11, 30, tzinfo=UTC)
    state = observe(BreakState(), noon, Activity.ACTIVE, lunch)
    assert not break_due(state, noon + timedelta(minutes=45), lunch)
    assert break_due(state, noon + timedelta(minutes=90), lunch)
    presenting = observe(BreakState(), MONDAY_9, Activity.ACTIVE, POLICY, dnd=True)
    assert not break_due(presenting, MONDAY_9 + timedelta(minutes=50), POLICY)


def test_locked_screen_and_suspend_count_as_away():
    state, end = active_for(BreakState(), MONDAY_9, 30)
    locked = observe(state, end + timedelta(minutes=5), Activity.LOCKED, POLICY)
    assert locked.sitting_since is None
    assert not break_due(locked, end + timedelta(minutes=15), POLICY)
    asleep = observe(state, end + timedelta(seconds=10), Activity.ASLEEP, POLICY)
    resumed = observe(asleep, end + timedelta(hours=1), Activity.ACTIVE, POLICY)
    assert resumed.sitting_since == end + timedelta(hours=1)


def test_seated_time_adds_up_and_days_roll_over():
    state, _ = active_for(BreakState(), MONDAY_9, 60)
    assert state.today is not None
    assert state.today.seated_seconds == pytest.approx(3600, abs=31)
    tuesday = MONDAY_9 + timedelta(days=1)
    state = observe(state, tuesday, Activity.ACTIVE, POLICY)
    state, closed = take_finished_days(state)
    assert [d.day for d in closed] == [MONDAY_9.date()]
    assert closed[0].seated_hours == pytest.approx(1.0, abs=0.01)
    assert state.finished_days == ()
    assert state.today is not None
    assert state.today.day == tuesday.date()


def test_seated_time_counts_across_gaps_shorter_than_a_natural_break_only():
    state = observe(BreakState(), MONDAY_9, Activity.ACTIVE, POLICY)
    reading = observe(state, MONDAY_9 + timedelta(minutes=2.5), Activity.ACTIVE, POLICY)
    assert reading.today is not None
    assert reading.today.seated_seconds == 150  # still at the desk, reading
    away = observe(state, MONDAY_9 + timedelta(minutes=3.5), Activity.ACTIVE, POLICY)
    assert away.today is not None
    assert away.today.seated_seconds == 0  # that long without input was time away


def test_next_check_is_when_the_interval_or_snooze_ends():
    state = observe(BreakState(), MONDAY_9, Activity.ACTIVE, POLICY)
    assert next_check(state, MONDAY_9, POLICY) == MONDAY_9 + timedelta(minutes=40)
    assert next_check(BreakState(), MONDAY_9, POLICY) is None


activities = st.sampled_from(list(Activity))
steps = st.lists(
    st.tuples(st.floats(min_value=0, max_value=600), activities), min_size=1, max_size=60
)


@given(steps)
def test_no_break_within_the_interval_after_a_natural_break(samples: list[tuple[float, Activity]]):
    state = BreakState()
    now = MONDAY_9
    for seconds, activity in samples:
        now += timedelta(seconds=seconds)
        before = state
        state = observe(state, now, activity, POLICY)
        if state.sitting_since is not None and state.sitting_since != before.sitting_since:
            # sitting just (re)started: nothing is due for a whole interval
            assert not break_due(state, now + POLICY.interval - timedelta(seconds=1), POLICY)
        assert state.today is not None
        assert state.today.seated_seconds >= 0


@given(st.integers(min_value=0, max_value=10))
def test_snoozes_never_exceed_the_limit(attempts: int):
    state, _ = active_for(BreakState(), MONDAY_9, 40, every=60)
    now = MONDAY_9 + timedelta(minutes=40)
    taken = 0
    for _ in range(attempts):
        if can_snooze(state, POLICY):
            state = answer(reminded(state), BreakOutcome.SNOOZED, now, POLICY)
            taken += 1
            now += timedelta(minutes=5)
    assert taken == min(attempts, 2)
    assert state.snoozes_in_row <= POLICY.max_snoozes
