"""Chart axes without a drawing library: which dates and counts to mark, and their labels.

Dates are marked in whole days, weeks, months or years, whatever the span (one day of data
is never drawn on an hour-of-day axis); counts are marked in whole numbers (never 2.5
sessions)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

MIN_DAYS = 7  # a shorter span is shown as a week from its first day
MAX_TICKS = 6  # labels that still fit side by side on a phone
DAY_STEPS = (1, 2, 7, 14)  # counted from the first day, so weeks line up with the block's
MONTH_STEPS = (1, 2, 3, 6)  # on the first of the month
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)  # on the first of January
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class DateAxis:
    start: date  # the first day shown
    end: date  # the last day shown (whole: the axis runs to the end of it)
    ticks: tuple[date, ...]
    labels: tuple[str, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_starts(first: date, last: date, step: int) -> list[date]:
    found = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        if date(year, month, 1) >= first and (year * 12 + month - 1) % step == 0:
            found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _day_label(day: date, previous: date | None, span_years: bool) -> str:
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    if span_years and (previous is None or previous.year != day.year):
        text += f" {day.year}"
    return text


def _month_label(day: date, previous: date | None) -> str:
    text = MONTH_NAMES[day.month - 1]
    return text + f" {day.year}" if previous is None or previous.year != day.year else text


def date_axis(first: date, last: date) -> DateAxis:
    """The days from `first` to `last` (at least a week), marked with 2 to MAX_TICKS dates
    inside them: every day, every other day, weekly, monthly or yearly."""
    if last < first:
        raise ValueError(f"the span ends ({last}) before it starts ({first})")
    last = max(last, first + timedelta(days=MIN_DAYS - 1))
    span = (last - first).days + 1
    crosses_years = first.year != last.year
    for step in DAY_STEPS:
        if -(-span // step) <= MAX_TICKS:
            ticks = [first + timedelta(days=k * step) for k in range(-(-span // step))]
            labels = [
                _day_label(d, ticks[i - 1] if i else None, crosses_years)
                for i, d in enumerate(ticks)
            ]
            return DateAxis(first, last, tuple(ticks), tuple(labels))
    for months in MONTH_STEPS:
        ticks = _month_starts(first, last, months)
        if 2 <= len(ticks) <= MAX_TICKS:
            labels = [_month_label(d, ticks[i - 1] if i else None) for i, d in enumerate(ticks)]
            return DateAxis(first, last, tuple(ticks), tuple(labels))
    for years in YEAR_STEPS:
        ticks = [
            date(y, 1, 1)
            for y in range(first.year, last.year + 1)
            if y % years == 0 and first <= date(y, 1, 1)
        ]
        if 2 <= len(ticks) <= MAX_TICKS:
            return DateAxis(first, last, tuple(ticks), tuple(str(d.year) for d in ticks))
    raise ValueError(f"no sensible marks between {first} and {last}")  # pragma: no cover


def count_ticks(top: float, most: int = 6) -> tuple[int, ...]:
    """Whole numbers from 0 to at least `top` (at least 1), evenly spaced by 1, 2 or 5 times
    a power of ten, at most `most` of them."""
    need = max(1, math.ceil(top))
    scale = 1
    while True:
        for unit in (1, 2, 5):
            step = unit * scale
            count = -(-need // step) + 1  # 0, step, ... up to the first at or over `top`
            if count <= most:
                return tuple(range(0, step * count, step))
        scale *= 10
