"""Preferences and their parsers: 2-3 sessions, 4-6 week blocks, breaks every 30-45 min."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.errors import BadInput
from hipflex.domain.preferences import (
    WEEKDAYS,
    Preferences,
    Weekday,
    format_weekdays,
    parse_clock,
    parse_weekdays,
    parse_work_hours,
)

W = Weekday


def test_defaults():
    prefs = Preferences()
    assert (prefs.sessions_per_day, prefs.block_weeks, prefs.break_minutes) == (2, 6, 40)
    assert prefs.work_days == {W.MON, W.TUE, W.WED, W.THU, W.FRI}
    assert (prefs.work_start, prefs.work_end) == (time(9), time(17))
    assert prefs.workday_minutes == 480
    assert not prefs.floor_at_work
    assert not prefs.sit_stand_desk


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sessions_per_day": 1}, "sessions a day must be from 2 to 3, not 1"),
        ({"sessions_per_day": 4}, "sessions a day must be from 2 to 3, not 4"),
        ({"block_weeks": 3}, "block length must be from 4 to 6 weeks, not 3 weeks"),
        ({"block_weeks": 7}, "block length must be from 4 to 6 weeks"),
        ({"break_minutes": 29}, "break interval must be from 30 to 45 minutes, not 29"),
        ({"break_minutes": 46}, "break interval must be from 30 to 45 minutes"),
        ({"work_days": frozenset()}, "at least one work day"),
        ({"work_start": time(9), "work_end": time(9, 59)}, "at least 60 minutes"),
        ({"work_start": time(17), "work_end": time(9)}, "17:00-09:00"),
        ({"work_start": time(9), "work_end": time(9)}, "at least 60 minutes"),
    ],
)
def test_out_of_range_preferences_are_bad_input(kwargs: dict[str, object], message: str):
    with pytest.raises(BadInput, match=message):
        Preferences(**kwargs)  # type: ignore[arg-type]


@given(
    sessions=st.integers(2, 3),
    weeks=st.integers(4, 6),
    minutes=st.integers(30, 45),
    days=st.frozensets(st.sampled_from(Weekday), min_size=1),
    start=st.integers(0, 23 * 60 - 1),
    length=st.integers(60, 24 * 60),
)
def test_everything_inside_the_ranges_is_accepted(
    *, sessions: int, weeks: int, minutes: int, days: frozenset[Weekday], start: int, length: int
):
    end = min(start + length, 23 * 60 + 59)  # start <= 22:59, so at least 60 min remain
    prefs = Preferences(
        sessions_per_day=sessions,
        block_weeks=weeks,
        break_minutes=minutes,
        work_days=days,
        work_start=time(start // 60, start % 60),
        work_end=time(end // 60, end % 60),
    )
    assert prefs.workday_minutes == end - start
    assert prefs.workday_minutes >= 60


def test_a_workday_of_exactly_60_minutes_is_accepted():
    assert Preferences(work_start=time(8, 30), work_end=time(9, 30)).workday_minutes == 60


# --- work days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {W.MON, W.TUE, W.WED, W.THU, W.FRI}),
        ("mon,wed,fri", {W.MON, W.WED, W.FRI}),
        ("Mon-Thu,sat", {W.MON, W.TUE, W.WED, W.THU, W.SAT}),
        ("sun", {W.SUN}),
        ("sat-sun", {W.SAT, W.SUN}),
        ("mon-mon", {W.MON}),
        (" tue , thu ", {W.TUE, W.THU}),
        ("MON-SUN", set(Weekday)),
        ("Monday-Wednesday", {W.MON, W.TUE, W.WED}),
    ],
)
def test_parse_weekdays(text: str, days: set[Weekday]):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["fri-mon", "sun-sat"])
def test_backwards_ranges_are_bad_input(text: str):
    with pytest.raises(BadInput, match="run backwards"):
        parse_weekdays(text)


@pytest.mark.parametrize("text", ["funday", "", "mon,,fri", "mo", "mon-", "1-5"])
def test_unknown_days_are_bad_input(text: str):
    with pytest.raises(BadInput, match="not understood"):
        parse_weekdays(text)


@pytest.mark.parametrize("text", ["sunburn", "mon-wed-fri"])
def test_words_that_merely_start_with_a_day_are_bad_input(text: str):
    with pytest.raises(BadInput):
        parse_weekdays(text)


@given(st.frozensets(st.sampled_from(Weekday), min_size=1))
def test_format_and_parse_round_trip(days: frozenset[Weekday]):
    text = format_weekdays(days)
    assert parse_weekdays(text) == days
    assert text == ",".join(d.name.lower() for d in sorted(days))


def test_default_work_days_format():
    assert format_weekdays(WEEKDAYS) == "mon,tue,wed,thu,fri"
    assert W.MON.ical == "MO"
    assert W.SUN.label == "sun"


# --- work hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("09:00-17:30", (time(9), time(17, 30))),
        ("7:45-16:15", (time(7, 45), time(16, 15))),
        (" 08:00 - 12:00 ", (time(8), time(12))),
    ],
)
def test_parse_work_hours(text: str, hours: tuple[time, time]):
    assert parse_work_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9-5", "start of work '9'"),
        ("25:00-26:00", "start of work '25:00'"),
        ("09:00-24:00", "end of work"),
        ("09:60-17:00", "start of work"),
        ("09:00", "use HH:MM-HH:MM"),
        ("", "use HH:MM-HH:MM"),
        ("nine-five", "not a time of day"),
        ("09:00:00-17:00", "start of work"),
    ],
)
def test_bad_work_hours(text: str, message: str):
    with pytest.raises(BadInput, match=message):
        parse_work_hours(text)


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_clock_reads_every_time_of_day(hours: int, minutes: int):
    assert parse_clock(f"{hours:02d}:{minutes:02d}", "x") == time(hours, minutes)
