"""A programme week + work hours -> one day's timeline of sessions and movement breaks.

Times are naive wall-clock times of the user's day; the services attach the time zone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from hipflex.domain.plan import Programme, SessionPlan, SessionSlot
from hipflex.domain.preferences import Preferences, Weekday
from hipflex.domain.protocol import ExerciseId


class BreakActivity(StrEnum):
    WALK = "walk"
    HIP_FLEXOR_STRETCH = ExerciseId.STANDING_QUAD_HIP_FLEXOR.value
    GLUTE_SQUEEZE = "glute_squeeze"


@dataclass(frozen=True)
class BreakStep:
    activity: BreakActivity
    seconds: int  # per side when per_side
    per_side: bool = False
    reps: int | None = None
    if_comfortable: bool = False  # a walk offered to someone who should not exercise

    @property
    def exercise_id(self) -> ExerciseId | None:
        """The exercise this step is, when it is one (the stretch); walks are not."""
        if self.activity is BreakActivity.HIP_FLEXOR_STRETCH:
            return ExerciseId(self.activity.value)
        return None

    def title(self, stretch_name: str) -> str:
        """In words: "a short walk", "10 glute squeezes", or the stretch's name."""
        if self.activity is BreakActivity.WALK:
            return "a short walk, if it is comfortable" if self.if_comfortable else "a short walk"
        if self.activity is BreakActivity.GLUTE_SQUEEZE:
            return f"{self.reps or ''} glute squeezes".strip()
        return stretch_name

    def describe(self, stretch_name: str) -> str:
        """The title with its time: "a short walk: 30 s"."""
        return (
            f"{self.title(stretch_name)}: {self.seconds} s{' each side' if self.per_side else ''}"
        )


# The desk micro-routine of every movement break (PROTOCOL.md 3.4): a short walk, the
# standing hip flexor stretch (30 s per side, PROTOCOL.md 3.1) and glute squeezes.
# About two minutes in all.
BREAK_ROUTINE = (
    BreakStep(BreakActivity.WALK, 30),
    BreakStep(BreakActivity.HIP_FLEXOR_STRETCH, 30, per_side=True),
    BreakStep(BreakActivity.GLUTE_SQUEEZE, 20, reps=10),
)
BREAK_SECONDS = sum(s.seconds * (2 if s.per_side else 1) for s in BREAK_ROUTINE)


def routine_without(paused: frozenset[ExerciseId]) -> tuple[BreakStep, ...]:
    """The break routine, leaving out a stretch paused after sharp pain until checked."""
    return tuple(s for s in BREAK_ROUTINE if s.exercise_id is None or s.exercise_id not in paused)


class ItemKind(StrEnum):
    SESSION = "session"
    BREAK = "break"


@dataclass(frozen=True)
class TimelineItem:
    kind: ItemKind
    start: datetime
    end: datetime
    session: SessionPlan | None = None
    routine: tuple[BreakStep, ...] = ()  # a movement break's steps
    warm_up: BreakStep | None = None  # a session's walk, in place of a break due then

    @property
    def title(self) -> str:
        return self.session.name if self.session is not None else "Movement break"


@dataclass(frozen=True)
class DayPlan:
    day: date
    work_day: bool
    work_start: datetime
    work_end: datetime
    items: tuple[TimelineItem, ...]

    def next_item(self, now: datetime) -> TimelineItem | None:
        """The item under way or coming next at a naive local `now`."""
        return next((item for item in self.items if item.end > now), None)

    @property
    def breaks(self) -> tuple[TimelineItem, ...]:
        return tuple(i for i in self.items if i.kind is ItemKind.BREAK)


def _whole_minutes(seconds: int) -> timedelta:
    """Slots last whole minutes, so every time on the timeline is a clock time."""
    return timedelta(minutes=math.ceil(seconds / 60))


def _session_item(
    session: SessionPlan, start: datetime, warm_up: BreakStep | None = None
) -> TimelineItem:
    seconds = session.estimated_seconds + (0 if warm_up is None else warm_up.seconds)
    return TimelineItem(
        ItemKind.SESSION, start, start + _whole_minutes(seconds), session, warm_up=warm_up
    )


def min_gap(break_minutes: int) -> timedelta:
    """The least time between a movement break and a session on a work day: half the
    break interval. A break that would fall closer becomes the session's warm-up walk, so
    no one is reminded twice within a few minutes."""
    return timedelta(minutes=break_minutes) / 2


def day_plan(programme: Programme, preferences: Preferences, day: date) -> DayPlan:
    """Breaks every N minutes of sitting through the working day; sessions in place of a
    break, starting with its walk (the first, mid-day when there are three), and at the end
    of the working day. A break and a session are never closer than `min_gap`."""
    sessions = programme.sessions_on(Weekday(day.weekday()))
    routine = routine_without(programme.removed)
    return _timeline(sessions, programme.break_minutes, routine, preferences, day)


def breaks_plan(preferences: Preferences, day: date, routine: tuple[BreakStep, ...]) -> DayPlan:
    """The movement breaks alone, at the same times, for someone with no programme (no
    answers to the safety questions yet, or a warning sign): `routine` is what they may do."""
    return _timeline((), preferences.break_minutes, routine, preferences, day)


def _timeline(
    planned: Sequence[SessionPlan],
    break_minutes: int,
    routine: tuple[BreakStep, ...],
    preferences: Preferences,
    day: date,
) -> DayPlan:
    start = datetime.combine(day, preferences.work_start)
    end = datetime.combine(day, preferences.work_end)
    weekday = Weekday(day.weekday())
    sessions = {session.slot: session for session in planned}
    work_day = weekday in preferences.work_days
    if not work_day:
        midday = start + (end - start) / 2
        times = {SessionSlot.MORNING: start, SessionSlot.MIDDAY: midday, SessionSlot.EVENING: end}
        items = tuple(_session_item(s, times[slot]) for slot, s in sessions.items())
        return DayPlan(day, work_day, start, end, items)

    interval = timedelta(minutes=break_minutes)
    length = _whole_minutes(BREAK_SECONDS)
    walk = routine[0]  # every routine starts with the walk: the warm-up before a session
    midday_from = start + (end - start) / 2 - interval / 2
    waiting = [s for s in (SessionSlot.MORNING, SessionSlot.MIDDAY) if s in sessions]
    # The evening session sits at the end of the working day; a break that would end
    # closer to it than the least gap becomes its warm-up walk instead.
    evening_from = end - min_gap(break_minutes) if SessionSlot.EVENING in sessions else end
    timeline: list[TimelineItem] = []
    moved_at = start  # the end of the last movement: sitting time counts from here
    evening_at: datetime | None = None
    while moved_at + interval + length <= end:
        due = moved_at + interval
        if due + length > evening_from and not waiting:
            evening_at = due  # the evening session takes this break's place
            break
        if waiting and (waiting[0] is SessionSlot.MORNING or due >= midday_from):
            # The session takes the break's place and starts with its walk: the warm-up
            # the protocol wants before stretching, and one reminder instead of two.
            item = _session_item(sessions[waiting.pop(0)], due, walk)
        else:
            item = TimelineItem(ItemKind.BREAK, due, due + length, routine=routine)
        timeline.append(item)
        moved_at = item.end
    for slot in waiting:  # a day too short to reach mid-day: straight after the last item
        if timeline and timeline[-1].kind is ItemKind.BREAK:
            # right after a break would crowd it: the break becomes the session's walk
            item = _session_item(sessions[slot], timeline.pop().start, walk)
        else:
            item = _session_item(sessions[slot], moved_at)
        timeline.append(item)
        moved_at = item.end
    if SessionSlot.EVENING in sessions:
        evening = sessions[SessionSlot.EVENING]
        if evening_at is not None:
            timeline.append(_session_item(evening, evening_at, walk))
        else:
            timeline.append(_session_item(evening, max(end, moved_at)))
    return DayPlan(day, work_day, start, end, tuple(timeline))
