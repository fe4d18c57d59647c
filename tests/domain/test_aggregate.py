"""The employer's view: no figure about fewer than MIN_GROUP_SIZE people, at any size,
in any week; weeks run Monday to Sunday in UTC."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.aggregate import (
    MIN_GROUP_SIZE,
    SUMMARY_WEEKS,
    shown,
    summary,
    week_starts,
    week_totals,
)

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)  # a Monday evening
MONDAYS = week_starts(NOW)


def test_the_smallest_group_shown_is_five() -> None:
    assert MIN_GROUP_SIZE == 5
    assert shown(12, 4) is None
    assert shown(12, 5) == 12


@given(st.integers(0, 10_000), st.integers(0, 50))
def test_a_figure_is_shown_exactly_when_the_group_is_large_enough(figure: int, people: int) -> None:
    assert (shown(figure, people) is None) is (people < MIN_GROUP_SIZE)


@given(st.integers(0, 10_000), st.integers(0, 60), st.integers(0, 60))
def test_a_part_is_withheld_when_the_rest_of_the_whole_is_a_small_group(
    figure: int, people: int, whole: int
) -> None:
    rest = whole - people
    small = people < MIN_GROUP_SIZE or 0 < rest < MIN_GROUP_SIZE
    assert (shown(figure, people, whole) is None) is small


def test_the_rest_of_the_whole_at_its_boundaries() -> None:
    assert shown(40, 40, 40) == 40  # all of them: the rest is nobody
    assert shown(36, 36, 40) is None  # 4 others
    assert shown(35, 35, 40) == 35  # 5 others
    assert shown(5, 5, 9) is None
    assert shown(5, 5, 10) == 5


def test_the_weeks_end_with_this_one_and_start_on_mondays() -> None:
    assert len(MONDAYS) == SUMMARY_WEEKS
    assert MONDAYS[-1] == date(2026, 11, 30)
    assert all(monday.weekday() == 0 for monday in MONDAYS)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(MONDAYS))


sessions_of_a_week = st.lists(
    st.tuples(st.integers(1, 9), st.integers(0, 7 * 24 * 60 - 1)), max_size=60
)


@given(st.integers(0, SUMMARY_WEEKS - 1), sessions_of_a_week)
def test_a_weeks_sessions_are_withheld_below_five_people(
    week: int, sessions: list[tuple[int, int]]
) -> None:
    monday = datetime.combine(MONDAYS[week], datetime.min.time(), tzinfo=UTC)
    logged = [(person, monday + timedelta(minutes=minute)) for person, minute in sessions]
    totals = week_totals(logged, MONDAYS)
    people = len({person for person, _ in sessions})
    this = totals[week]
    if people < MIN_GROUP_SIZE:
        assert this.sessions is None
        assert this.people is None
    else:
        assert this.sessions == len(sessions)
        assert this.people == people
    assert all(t.sessions is None for i, t in enumerate(totals) if i != week)


@given(st.integers(1, 40))
def test_many_sessions_by_four_people_stay_withheld(each: int) -> None:
    monday = datetime.combine(MONDAYS[-1], datetime.min.time(), tzinfo=UTC)
    four = [(person, monday + timedelta(hours=n)) for person in range(4) for n in range(each)]
    assert week_totals(four, MONDAYS)[-1].sessions is None
    five = [*four, (4, monday)]
    assert week_totals(five, MONDAYS)[-1].sessions == len(five)


def test_sessions_outside_the_weeks_are_not_counted() -> None:
    before = datetime.combine(MONDAYS[0], datetime.min.time(), tzinfo=UTC) - timedelta(seconds=1)
    totals = week_totals([(person, before) for person in range(9)], MONDAYS)
    assert all(t.sessions is None for t in totals)


@given(st.integers(0, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_the_account_counts_follow_the_same_rule(counts: tuple[int, int]) -> None:
    accounts, active = counts
    made = summary(accounts, active, [], NOW)
    assert made.accounts == shown(accounts, accounts)
    assert made.active == shown(active, active, accounts)
    if made.accounts is not None and made.active is not None:  # no small group inferred
        assert made.accounts - made.active == 0 or made.accounts - made.active >= 5


@given(st.integers(MIN_GROUP_SIZE, 12), st.integers(0, 8))
def test_a_weeks_people_leave_no_small_group_of_the_others(people: int, others: int) -> None:
    monday = datetime.combine(MONDAYS[-1], datetime.min.time(), tzinfo=UTC)
    logged = [(person, monday + timedelta(hours=1)) for person in range(people)]
    made = summary(people + others, people + others, logged, NOW)
    week = made.weeks[-1]
    if 0 < others < MIN_GROUP_SIZE:
        assert week.sessions is None
        assert week.people is None
    else:
        assert week.people == people
        assert week.sessions == people
