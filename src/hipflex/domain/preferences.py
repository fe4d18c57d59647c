"""The user's preferences that shape a programme and a day, validated in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from enum import IntEnum

from hipflex.domain.errors import BadInput
from hipflex.domain.limits import (
    BLOCK_WEEKS_RANGE,
    BREAK_MINUTES_RANGE,
    FLOOR_GET_READY_SECONDS_RANGE,
    SESSIONS_PER_DAY_RANGE,
)

# PROTOCOL.md 3.2 and section 4: 2-3 sessions a day, blocks of 4-6 weeks, and
# PROTOCOL.md 3.4: stand up and move every 30-45 minutes.
DEFAULT_BREAK_MINUTES = 40
DEFAULT_BLOCK_WEEKS = 6
DEFAULT_SESSIONS_PER_DAY = 2
# Getting down to a kneeling or lying exercise (or up from one) takes longer than the
# usual get-ready: the player gives this many seconds when the position changes so.
DEFAULT_FLOOR_GET_READY_SECONDS = 20
# A working day shorter than one break interval leaves nothing to schedule.
MIN_WORKDAY_MINUTES = 60


class Weekday(IntEnum):
    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def ical(self) -> str:
        return self.name[:2]


WEEKDAYS = frozenset({Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI})


def _in_range(what: str, value: int, bounds: tuple[int, int], unit: str = "") -> None:
    low, high = bounds
    if not low <= value <= high:
        msg = f"{what} must be from {low} to {high}{unit}, not {value}{unit}"
        raise BadInput(msg)


@dataclass(frozen=True)
class Preferences:
    sessions_per_day: int = DEFAULT_SESSIONS_PER_DAY
    block_weeks: int = DEFAULT_BLOCK_WEEKS
    break_minutes: int = DEFAULT_BREAK_MINUTES
    work_days: frozenset[Weekday] = field(default=WEEKDAYS)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    floor_at_work: bool = False
    sit_stand_desk: bool = False
    timezone: str | None = None
    floor_get_ready_seconds: int = DEFAULT_FLOOR_GET_READY_SECONDS

    def __post_init__(self) -> None:
        _in_range("sessions a day", self.sessions_per_day, SESSIONS_PER_DAY_RANGE)
        _in_range("the block length", self.block_weeks, BLOCK_WEEKS_RANGE, " weeks")
        _in_range("the break interval", self.break_minutes, BREAK_MINUTES_RANGE, " minutes")
        _in_range(
            "the get-ready to or from the floor",
            self.floor_get_ready_seconds,
            FLOOR_GET_READY_SECONDS_RANGE,
            " seconds",
        )
        if not self.work_days:
            msg = "give at least one work day"
            raise BadInput(msg)
        if self.workday_minutes < MIN_WORKDAY_MINUTES:
            msg = (
                f"the working day {self.work_start:%H:%M}-{self.work_end:%H:%M} must end at "
                f"least {MIN_WORKDAY_MINUTES} minutes after it starts"
            )
            raise BadInput(msg)

    @property
    def workday_minutes(self) -> int:
        start = self.work_start.hour * 60 + self.work_start.minute
        end = self.work_end.hour * 60 + self.work_end.minute
        return end - start


def parse_weekdays(text: str) -> frozenset[Weekday]:
    """'mon-fri', 'mon,wed,fri' or 'mon-thu,sat' -> days; anything else is bad input."""
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    names = {day.label: day for day in Weekday} | {n: Weekday(i) for i, n in enumerate(full)}
    problem = f"work days '{text}' not understood; use day names like mon-fri or mon,wed,fri"

    def day(name: str) -> Weekday:
        key = name.strip().lower()
        if key not in names:
            raise BadInput(problem)
        return names[key]

    days: set[Weekday] = set()
    for part in text.split(","):
        if part.count("-") > 1:
            raise BadInput(problem)
        first, dash, last = part.partition("-")
        if not dash:
            days.add(day(first))
            continue
        start, end = day(first), day(last)
        if end < start:
            msg = f"work days '{part.strip()}' run backwards; write them as e.g. mon-fri"
            raise BadInput(msg)
        days.update(Weekday(i) for i in range(start, end + 1))
    return frozenset(days)


def parse_clock(text: str, what: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        msg = f"{what} '{text}' is not a time of day; use HH:MM, e.g. 09:00"
        raise BadInput(msg) from None


def parse_work_hours(text: str) -> tuple[time, time]:
    """'09:00-17:30' -> (start, end)."""
    start, sep, end = text.partition("-")
    if not sep:
        msg = f"work hours '{text}' not understood; use HH:MM-HH:MM, e.g. 09:00-17:30"
        raise BadInput(msg)
    return parse_clock(start, "the start of work"), parse_clock(end, "the end of work")


def format_weekdays(days: frozenset[Weekday]) -> str:
    return ",".join(day.label for day in sorted(days))
