"""Reading parsed JSON that nobody checked yet: each value's type checked, each fault
naming its key (e.g. sessions[0].entries[2].reps)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar

from hipflex.domain.errors import BadInput
from hipflex.domain.inputs import check_day, check_moment, check_text, id_in_range
from hipflex.domain.limits import ID_RANGE
from hipflex.domain.preferences import parse_clock

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
#: Reads the value at a key (named by the first argument) as a T, or raises BadInput.
Reader = Callable[[str, object], T]


#: The parser's limits for a file given to hipflex (an export, a points file): deeper
#: than any such file nests, or a number written longer than any it holds, is refused
#: before Python's parser recurses into it or converts it.
MAX_DEPTH = 32
MAX_NUMBER_LENGTH = 40
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def parse_json(text: str, what: str) -> object:
    """JSON text within the parser's limits, numbers finite; BadInput naming `what` (e.g.
    "this export") for anything else."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            msg = f"{what} nests deeper than {MAX_DEPTH} levels: it is not a file hipflex wrote"
            raise BadInput(msg)

    def number(literal: str, kind: type[float] | type[int]) -> float | int:
        if len(literal) > MAX_NUMBER_LENGTH:
            msg = f"{what} has a number longer than {MAX_NUMBER_LENGTH} characters"
            raise BadInput(msg)
        value = kind(literal)
        if not math.isfinite(value):
            msg = f"{what} has a number too large to be one ({literal})"
            raise BadInput(msg)
        return value

    def constant(name: str) -> object:
        msg = f"{what} cannot be read: {name} is not a number JSON allows"
        raise BadInput(msg)

    try:
        return json.loads(
            text,
            parse_constant=constant,
            parse_int=lambda literal: number(literal, int),
            parse_float=lambda literal: number(literal, float),
        )
    except json.JSONDecodeError as exc:
        msg = f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise BadInput(msg) from None
    except RecursionError:  # pragma: no cover - refused above
        msg = f"{what} nests too deep: it is not a file hipflex wrote"
        raise BadInput(msg) from None


def show(value: object) -> str:
    """A value as the file has it, cut short for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:37]}..."


def bad(where: str, problem: str) -> BadInput:
    """The error about the value at `where` (a key path such as notes[0].at)."""
    return BadInput(f"{where}: {problem}")


@contextmanager
def within(where: str) -> Iterator[None]:
    """A domain check's message, prefixed with the record it is about."""
    try:
        yield
    except BadInput as exc:
        raise bad(where, str(exc)) from None


def as_text(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise bad(where, f"expected text, not {show(value)}")
    with within(where):
        return check_text(value, "the text")


def as_integer(where: str, value: object) -> int:
    """A whole number a database column holds (no more digits than an id's)."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > ID_RANGE[1]:
        raise bad(where, f"expected a whole number, not {show(value)}")
    return value


def as_id(where: str, value: object) -> int:
    """A stored row's id, in the range a database holds."""
    number = as_integer(where, value)
    if not id_in_range(number):
        raise bad(where, f"expected an id from {ID_RANGE[0]} to {ID_RANGE[1]}, not {number}")
    return number


def as_number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad(where, f"expected a number, not {show(value)}")
    return float(value)


def as_flag(where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise bad(where, f"expected true or false, not {show(value)}")
    return value


def as_moment(where: str, value: object) -> datetime:
    text = as_text(where, value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise bad(where, f"'{text}' is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise bad(where, f"'{text}' needs a UTC offset, e.g. 2026-11-02T09:00:00+00:00")
    with within(where):
        return check_moment(moment, "the time")


def as_day(where: str, value: object) -> date:
    text = as_text(where, value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise bad(where, f"'{text}' is not a date (YYYY-MM-DD)") from None
    with within(where):
        return check_day(day, "the date")


def as_clock(where: str, value: object) -> time:
    with within(where):
        return parse_clock(as_text(where, value), "the time")


def as_choice(kind: type[E]) -> Reader[E]:
    def read(where: str, value: object) -> E:
        text = as_text(where, value)
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise bad(where, f"unknown value '{text}' (expected one of: {choices})") from None

    return read


class JsonObject:
    """A JSON object and where it sits in the document, for messages that name the key."""

    def __init__(self, where: str, value: object) -> None:
        if not isinstance(value, dict):
            raise bad(where, f"expected an object, not {show(value)}")
        self.where = where
        self.data: dict[str, object] = value

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _raw(self, key: str) -> object:
        if key not in self.data:
            msg = f"{self.at(key)} is missing"
            raise BadInput(msg)
        return self.data[key]

    def get(self, key: str, read: Reader[T]) -> T:
        return read(self.at(key), self._raw(key))

    def maybe(self, key: str, read: Reader[T]) -> T | None:
        """A key that must be present but may be null."""
        value = self._raw(key)
        return None if value is None else read(self.at(key), value)

    def optional(self, key: str, read: Reader[T], default: T) -> T:
        """A key added in a later hipflex: files from before it lack it (or hold null)."""
        value = self.data.get(key)
        return default if value is None else read(self.at(key), value)

    def object(self, key: str) -> JsonObject:
        return JsonObject(self.at(key), self._raw(key))

    def values(self, key: str, read: Reader[T]) -> list[T]:
        items = self._raw(key)
        if not isinstance(items, list):
            raise bad(self.at(key), f"expected a list, not {show(items)}")
        return [read(f"{self.at(key)}[{i}]", item) for i, item in enumerate(items)]

    def objects(self, key: str) -> list[JsonObject]:
        return self.values(key, JsonObject)
