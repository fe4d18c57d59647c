"""The rules every value from outside meets before anything else reads it: the command
line's arguments, the API's bodies and an imported file all call these (the ranges are
`domain/limits.py`'s). A refusal never repeats the value: it may not be printable."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from hipflex.domain.errors import BadInput, NotFound
from hipflex.domain.limits import ID_RANGE, YEAR_RANGE

#: A number as people write it: an optional sign, digits, a decimal point. Not `1_0`,
#: `nan`, `inf`, `1e309` or other digits than 0-9, which int() and float() would take.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,12}")
DECIMAL_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})")


def is_written_number(text: str, *, whole: bool = False) -> bool:
    """Whether `text` is a number as written (a whole one when `whole`)."""
    return (WHOLE_NUMBER if whole else DECIMAL_NUMBER).fullmatch(text.strip()) is not None


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored or shown (a NUL, or a lone surrogate: bytes that were
    not UTF-8), or None when it is plain text."""
    if "\x00" in text:
        return "has a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid text (it has bytes that are not UTF-8)"
    return None


def check_text(text: str, what: str) -> str:
    """Text hipflex may store and show: no NUL, no lone surrogate."""
    problem = text_problem(text)
    if problem is not None:
        msg = f"{what} {problem}"
        raise BadInput(msg)
    return text


def check_finite(value: float, what: str) -> float:
    """A number that is a number: NaN and the infinities are refused."""
    if isinstance(value, bool) or not math.isfinite(value):
        msg = f"{what} must be a finite number"
        raise BadInput(msg)
    return value


def id_in_range(value: int) -> bool:
    """Whether `value` can name a stored row at all (a larger id is never asked for)."""
    low, high = ID_RANGE
    return not isinstance(value, bool) and low <= value <= high


def check_id(value: int, what: str) -> int:
    """An id that can name a stored row; any other names nothing (NotFound)."""
    if not id_in_range(value):
        msg = f"there is no {what} {value}"
        raise NotFound(msg)
    return value


def check_day(day: date, what: str) -> date:
    """A date inside the years hipflex accepts."""
    low, high = YEAR_RANGE
    if not low <= day.year <= high:
        msg = f"{what} must be in the years {low} to {high}, not {day.year}"
        raise BadInput(msg)
    return day


def check_moment(when: datetime, what: str) -> datetime:
    """A time with its offset, inside the years hipflex accepts (in UTC and locally)."""
    if when.tzinfo is None or when.utcoffset() is None:
        msg = f"{what} needs its UTC offset, e.g. 2026-11-24T08:30:00+01:00"
        raise BadInput(msg)
    check_day(when.date(), what)
    # The local year is in range, so the UTC one is within a day of it: safe to compute.
    return when
