"""A programme week + work hours -> one day's timeline of sessions and movement breaks.

Times are naive wall-clock times of the user's day; the services attach the time zone.
"""

from __future__ import annotations

import math
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


def _session_item(session: SessionPlan, start: datetime) -> TimelineItem:
    return TimelineItem(
        ItemKind.SESSION, start, start + _whole_minutes(session.estimated_seconds), session
    )


def day_plan(programme: Programme, preferences: Preferences, day: date) -> DayPlan:
    """Breaks every N minutes of sitting through the working day; sessions after a walk
    (the first break), mid-day when there are three, and at the end of the working day."""
    start = datetime.combine(day, preferences.work_start)
    end = datetime.combine(day, preferences.work_end)
    weekday = Weekday(day.weekday())
    sessions = {session.slot: session for session in programme.sessions_on(weekday)}
    work_day = weekday in preferences.work_days
    if not work_day:
        midday = start + (end - start) / 2
        times = {SessionSlot.MORNING: start, SessionSlot.MIDDAY: midday, SessionSlot.EVENING: end}
        items = tuple(_session_item(s, times[slot]) for slot, s in sessions.items())
        return DayPlan(day, work_day, start, end, items)

    interval = timedelta(minutes=programme.break_minutes)
    length = _whole_minutes(BREAK_SECONDS)
    routine = routine_without(programme.removed)
    midday_from = start + (end - start) / 2 - interval / 2
    waiting = [s for s in (SessionSlot.MORNING, SessionSlot.MIDDAY) if s in sessions]
    timeline: list[TimelineItem] = []
    moved_at = start  # the end of the last movement: sitting time counts from here
    while moved_at + interval + length <= end:
        brk = TimelineItem(
            ItemKind.BREAK, moved_at + interval, moved_at + interval + length, routine=routine
        )
        timeline.append(brk)
        moved_at = brk.end
        if waiting and (waiting[0] is SessionSlot.MORNING or brk.start >= midday_from):
            # The walk of the break is the warm-up the protocol wants before stretching.
            item = _session_item(sessions[waiting.pop(0)], moved_at)
            timeline.append(item)
            moved_at = item.end
    for slot in waiting:  # a day too short to reach mid-day: straight after the last item
        item = _session_item(sessions[slot], moved_at)
        timeline.append(item)
        moved_at = item.end
    if SessionSlot.EVENING in sessions:
        timeline.append(_session_item(sessions[SessionSlot.EVENING], max(end, moved_at)))
    return DayPlan(day, work_day, start, end, tuple(timeline))
