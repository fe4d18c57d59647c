"""What every presenter shares: the base model, and how times and dates are written."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema


class Out(BaseModel):
    """A JSON answer: exactly the keys declared (the schema says `additionalProperties:
    false`), in the order declared, never changed after it is built. No field has a
    default unless it is left out when empty (`OmittedInt`), so every other key is always
    sent and the schema marks it required."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()  # "+00:00", as ever (pydantic alone would write "Z")


#: A timezone-aware moment, written as Python's isoformat (with its UTC offset).
Moment = Annotated[
    dt.datetime,
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

#: A wall-clock time of the user's day, HH:MM.
ClockTime = Annotated[str, Field(pattern=r"^\d\d:\d\d$")]


def clock_time(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


def _is_none(value: object) -> bool:
    return value is None


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


#: A whole number sent only when there is one: the key is left out, never null (give the
#: field `= None`; the schema says "integer, not required").
OmittedInt = Annotated[
    int | None,
    WithJsonSchema({"type": "integer"}),
    Field(exclude_if=_is_none, json_schema_extra=_no_default),
]


def json_text(value: Out | Sequence[Out]) -> str:
    """The `--json` output of a command: the models' JSON, indented as it always was."""
    if isinstance(value, Out):
        return json.dumps(value.model_dump(mode="json"), indent=2)
    return json.dumps([item.model_dump(mode="json") for item in value], indent=2)
