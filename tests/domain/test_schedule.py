"""A programme week + work hours -> one day's sessions and movement breaks (PROTOCOL.md 3.4)."""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies

from hipflex.content import load_content
from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.plan import Programme, SessionSlot, build_programme
from hipflex.domain.preferences import Preferences, Weekday
from hipflex.domain.progression import MAX_LEVEL, ProgressionState
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.schedule import (
    BREAK_ROUTINE,
    BREAK_SECONDS,
    BreakActivity,
    DayPlan,
    ItemKind,
    TimelineItem,
    day_plan,
    min_gap,
)

EXERCISES = load_content().exercises
MONDAY = date(2026, 11, 2)
SATURDAY = date(2026, 11, 7)
BREAK = timedelta(minutes=2)  # the routine's 110 s, as a whole-minute slot


def whole_minutes(seconds: int) -> timedelta:
    return timedelta(minutes=math.ceil(seconds / 60))


BOTH_TIGHT = assess(
    AssessmentInput(
        thomas=dict.fromkeys(Side, ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)),
        red_flags=frozenset(),
    )
)


def programme_for(
    prefs: Preferences,
    assessment: Assessment = BOTH_TIGHT,
    state: ProgressionState | None = None,
) -> Programme:
    result = build_programme(
        assessment, prefs, EXERCISES, week=1, state=state or ProgressionState()
    )
    assert isinstance(result, Programme)
    return result


def plan(
    prefs: Preferences,
    day: date = MONDAY,
    assessment: Assessment = BOTH_TIGHT,
    state: ProgressionState | None = None,
) -> DayPlan:
    return day_plan(programme_for(prefs, assessment, state), prefs, day)


def at(day: date, hours: int, minutes: int = 0, seconds: int = 0) -> datetime:
    return datetime.combine(day, time(hours, minutes, seconds))


def sessions(day_plan_: DayPlan) -> list[TimelineItem]:
    return [i for i in day_plan_.items if i.kind is ItemKind.SESSION]


def slot_of(item: TimelineItem) -> SessionSlot:
    assert item.session is not None
    return item.session.slot


# --- strategies ---------------------------------------------------------------------------

assessments = (
    strategies.answers(red_flags=st.just(frozenset()))
    .filter(lambda given: given.sitting_hours is not None and given.sitting_hours >= 6)
    .map(assess)
    .filter(lambda a: a.tested)
)  # tested, and normal tests with long sitting give prevention: always a programme
states = st.builds(
    ProgressionState,
    level=strategies.levels,
    couch_weeks=strategies.block_weeks,
    # The half-kneeling stretch stays in, so every session has something (a session whose
    # every exercise is paused is left out of the plan: tests/domain/test_plan.py).
    removed=st.frozensets(
        st.sampled_from([e for e in ExerciseId if e is not ExerciseId.HALF_KNEELING_HIP_FLEXOR])
    ),
)


@st.composite
def work_preferences(draw: st.DrawFn) -> Preferences:
    start = draw(st.integers(6 * 60, 10 * 60))
    length = draw(st.integers(60, 10 * 60))
    end = start + length
    return Preferences(
        sessions_per_day=draw(strategies.sessions_per_day),
        block_weeks=draw(strategies.block_weeks),
        break_minutes=draw(strategies.break_minutes),
        work_days=draw(st.frozensets(st.sampled_from(Weekday), min_size=1)),
        work_start=time(start // 60, start % 60),
        work_end=time(end // 60, end % 60),
        floor_at_work=draw(st.booleans()),
        sit_stand_desk=draw(st.booleans()),
    )


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


# --- work days ----------------------------------------------------------------------------


def check_work_day(result: DayPlan, programme: Programme, prefs: Preferences) -> None:
    interval = timedelta(minutes=prefs.break_minutes)
    start, end = result.work_start, result.work_end
    assert result.work_day
    assert start == datetime.combine(result.day, prefs.work_start)
    assert end == datetime.combine(result.day, prefs.work_end)
    items = result.items
    # no two items overlap, and they come in time order
    for earlier, later in itertools.pairwise(items):
        assert earlier.end <= later.start
    for item in items:
        assert item.start <= item.end
        assert item.start.second == item.end.second == 0  # clock times, whole minutes
        assert item.start.microsecond == item.end.microsecond == 0
        if item.kind is ItemKind.SESSION:
            assert item.session is not None
            walk = 0 if item.warm_up is None else item.warm_up.seconds
            assert item.end - item.start == whole_minutes(item.session.estimated_seconds + walk)
            assert item.title == item.session.name
            assert item.warm_up in (None, BREAK_ROUTINE[0])
        else:
            assert item.session is None
            assert item.title == "Movement break"
    # every break, and every session in a break's place (it starts with the break's walk):
    # inside work hours, after exactly break_minutes of sitting
    for index, item in enumerate(items):
        if item.kind is ItemKind.BREAK or item.warm_up is not None:
            moved_at = start if index == 0 else items[index - 1].end
            assert start <= item.start
            assert item.start - moved_at == interval
        if item.kind is ItemKind.BREAK:
            assert item.end <= end
            assert item.end - item.start == BREAK
    check_gaps(result, prefs.break_minutes)
    # the last stretch of sitting before work ends is never longer than one interval + break
    before_evening = [i for i in items if slot_of_or_none(i) is not SessionSlot.EVENING]
    if before_evening:
        assert end - before_evening[-1].end <= interval + BREAK + min_gap(prefs.break_minutes)
    # sessions: one per slot, in slot order
    found = sessions(result)
    planned = programme.sessions_on(Weekday(result.day.weekday()))
    assert [slot_of(s) for s in found] == [s.slot for s in planned]
    if planned[0].slot is SessionSlot.MORNING and end - start >= interval + BREAK:
        # in the first break's place, starting with its walk
        assert slot_of(items[0]) is SessionSlot.MORNING
        assert items[0].warm_up is not None
        assert items[0].start == start + interval
    # the evening session is the last item, at the end of the working day or in the place
    # of a break that would have come less than the least gap before it
    evening = items[-1]
    assert slot_of(evening) is SessionSlot.EVENING
    if evening.warm_up is None:
        assert evening.start == max(end, items[-2].end if len(items) > 1 else end)
    else:
        assert end - min_gap(prefs.break_minutes) - BREAK < evening.start <= end - BREAK
    if SessionSlot.MIDDAY in {s.slot for s in planned}:
        check_midday(result, interval)


def check_gaps(result: DayPlan, break_minutes: int) -> None:
    """A movement break and a session are never closer than the least gap (half the
    interval): a break due then is the session's warm-up walk instead."""
    gap = min_gap(break_minutes)
    assert gap == timedelta(minutes=break_minutes) / 2
    for earlier, later in itertools.pairwise(result.items):
        if {earlier.kind, later.kind} == {ItemKind.BREAK, ItemKind.SESSION}:
            assert later.start - earlier.end >= gap


def slot_of_or_none(item: TimelineItem) -> SessionSlot | None:
    return None if item.session is None else item.session.slot


def check_midday(result: DayPlan, interval: timedelta) -> None:
    items = list(result.items)
    index = next(i for i, item in enumerate(items) if slot_of_or_none(item) is SessionSlot.MIDDAY)
    midday, before = items[index], items[index - 1]
    midpoint = result.work_start + (result.work_end - result.work_start) / 2
    earlier_breaks = [i for i in items[:index] if i.kind is ItemKind.BREAK]
    if midday.warm_up is not None and midday.start >= midpoint - interval / 2:
        # in the place of the first break due from half an interval before mid-day
        assert all(b.start < midpoint - interval / 2 for b in earlier_breaks)
    elif midday.warm_up is not None:
        # a day too short to reach mid-day: in the place of the last break
        assert all(i.kind is ItemKind.SESSION for i in items[index:])
    else:
        # a day too short to reach mid-day: straight after the morning session
        assert slot_of_or_none(before) is SessionSlot.MORNING
        assert midday.start == before.end


@given(work_preferences(), assessments, states)
def test_work_day_timeline_for_any_programme(
    prefs: Preferences, assessment: Assessment, state: ProgressionState
):
    programme = programme_for(prefs, assessment, state)
    workday = next(
        d for d in (MONDAY + timedelta(days=i) for i in range(7)) if d.weekday() in prefs.work_days
    )
    check_work_day(day_plan(programme, prefs, workday), programme, prefs)


tight_assessments = st.builds(
    AssessmentInput,
    thomas=st.fixed_dictionaries(dict.fromkeys(Side, strategies.thomas_inputs())),
    extension=st.fixed_dictionaries(
        {side: st.just(ExtensionInput(compensated=True)) for side in Side}
    ),
    red_flags=st.just(frozenset()),
).map(assess)


@given(work_preferences(), tight_assessments, states, days)
def test_any_day_timeline_for_any_corrective_programme(
    prefs: Preferences, assessment: Assessment, state: ProgressionState, day: date
):
    programme = programme_for(prefs, assessment, state)
    result = day_plan(programme, prefs, day)
    assert result.day == day
    if day.weekday() in prefs.work_days:
        check_work_day(result, programme, prefs)
    else:
        check_rest_day(result, programme, prefs)


def check_rest_day(result: DayPlan, programme: Programme, prefs: Preferences) -> None:
    assert not result.work_day
    assert result.breaks == ()
    assert all(item.kind is ItemKind.SESSION for item in result.items)
    planned = programme.sessions_on(Weekday(result.day.weekday()))
    assert [slot_of(s) for s in result.items] == [s.slot for s in planned]
    for earlier, later in itertools.pairwise(result.items):
        assert earlier.end <= later.start
    if planned[0].slot is SessionSlot.MORNING:
        assert result.items[0].start == result.work_start
    assert result.items[-1].start == result.work_end


# --- worked examples ----------------------------------------------------------------------


def test_standard_day_breaks_every_40_minutes_of_sitting():
    prefs = Preferences()  # 09:00-17:00, 40 min, two sessions
    result = plan(prefs)
    morning, first = result.items[0], result.items[1]
    # The morning session takes the first break's place and starts with its walk: one
    # reminder at 09:40, not a break at 09:40 and a session at 09:42.
    assert slot_of(morning) is SessionSlot.MORNING
    assert morning.start == at(MONDAY, 9, 40)
    assert morning.warm_up == BREAK_ROUTINE[0]
    assert (first.kind, first.start) == (ItemKind.BREAK, morning.end + timedelta(minutes=40))
    evening = result.items[-1]
    assert slot_of(evening) is SessionSlot.EVENING
    assert evening.start == at(MONDAY, 17, 0) or evening.warm_up is not None
    assert all(b.end <= evening.start - timedelta(minutes=20) for b in result.breaks)
    assert len(result.breaks) == 9
    assert evening.start == at(MONDAY, 16, 40)  # the 16:40 break would crowd 17:00


def test_three_sessions_put_the_midday_session_after_the_break_nearest_mid_day():
    prefs = Preferences(sessions_per_day=3)
    result = plan(prefs, state=ProgressionState(level=MAX_LEVEL, couch_weeks=3))
    midday = next(s for s in sessions(result) if slot_of(s) is SessionSlot.MIDDAY)
    assert midday.warm_up is not None  # in a break's place
    assert at(MONDAY, 12, 40) <= midday.start <= at(MONDAY, 13, 30)
    assert result.items[-1].start <= at(MONDAY, 17, 0)


def test_short_day_with_three_sessions_puts_midday_after_the_morning():
    prefs = Preferences(sessions_per_day=3, break_minutes=45, work_start=time(9), work_end=time(10))
    result = plan(prefs)
    kinds = [(i.kind, slot_of_or_none(i)) for i in result.items]
    assert kinds == [
        (ItemKind.SESSION, SessionSlot.MORNING),
        (ItemKind.SESSION, SessionSlot.MIDDAY),
        (ItemKind.SESSION, SessionSlot.EVENING),
    ]
    assert result.items[0].start == at(MONDAY, 9, 45)
    assert result.items[1].start == result.items[0].end


def test_one_hour_day_with_30_minute_breaks():
    prefs = Preferences(break_minutes=30, work_start=time(8), work_end=time(9))
    result = plan(
        prefs,
        assessment=assess(
            AssessmentInput(
                thomas=dict.fromkeys(Side, ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0)),
                sitting_hours=9,
                red_flags=frozenset(),
            )
        ),
    )
    assert [b.start for b in result.breaks] == [at(MONDAY, 8, 30)]
    assert result.items[-1].start == at(MONDAY, 9)


def test_rest_day_has_sessions_and_no_breaks():
    prefs = Preferences(sessions_per_day=3)  # mon-fri
    result = plan(prefs, SATURDAY)
    assert not result.work_day
    assert result.breaks == ()
    assert [(slot_of(i), i.start) for i in result.items] == [
        (SessionSlot.MORNING, at(SATURDAY, 9)),
        (SessionSlot.MIDDAY, at(SATURDAY, 13)),
        (SessionSlot.EVENING, at(SATURDAY, 17)),
    ]


def test_saturday_is_a_work_day_when_chosen():
    prefs = Preferences(work_days=frozenset({Weekday.SAT}))
    assert plan(prefs, SATURDAY).work_day
    assert plan(prefs, SATURDAY).breaks
    assert not plan(prefs, MONDAY).work_day


# --- next item ----------------------------------------------------------------------------


def test_next_item_is_the_one_under_way_or_next():
    result = plan(Preferences())
    first, second = result.items[0], result.items[1]
    assert result.next_item(at(MONDAY, 7)) is first
    assert result.next_item(first.start) is first
    assert result.next_item(first.start + timedelta(seconds=30)) is first
    assert result.next_item(first.end) is second  # a finished item is past
    assert result.next_item(second.end) is result.items[2]
    evening = result.items[-1]
    assert result.next_item(evening.start + timedelta(seconds=1)) is evening
    assert result.next_item(evening.end) is None
    assert result.next_item(at(MONDAY, 23, 59)) is None


@given(work_preferences(), st.integers(0, 24 * 60 * 60 - 1))
def test_next_item_matches_a_scan_of_the_timeline(prefs: Preferences, second: int):
    result = plan(prefs)
    now = datetime.combine(MONDAY, time()) + timedelta(seconds=second)
    expected = [i for i in result.items if i.start <= now < i.end]
    if not expected:
        expected = [i for i in result.items if i.start > now][:1]
    assert result.next_item(now) == (expected[0] if expected else None)


# --- the break routine --------------------------------------------------------------------


def test_break_routine_takes_about_two_minutes_and_has_the_desk_stretch():
    total = sum(s.seconds * (2 if s.per_side else 1) for s in BREAK_ROUTINE)
    assert total == BREAK_SECONDS
    assert 60 <= BREAK_SECONDS <= 120
    (stretch,) = (s for s in BREAK_ROUTINE if s.activity is BreakActivity.HIP_FLEXOR_STRETCH)
    assert stretch.seconds == 30
    assert stretch.per_side
    assert BreakActivity.HIP_FLEXOR_STRETCH.value == ExerciseId.STANDING_QUAD_HIP_FLEXOR.value
    assert BREAK_ROUTINE[0].activity is BreakActivity.WALK


@pytest.mark.parametrize("minutes", [30, 45])
def test_break_interval_follows_the_preference(minutes: int):
    result = plan(Preferences(break_minutes=minutes))
    first = result.items[0]  # the morning session, in the first break's place
    assert first.start == at(MONDAY, 9, minutes)
    assert result.breaks[0].start == first.end + timedelta(minutes=minutes)
