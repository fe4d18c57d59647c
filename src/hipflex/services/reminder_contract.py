"""The reminder daemon's boundary, app side: the versioned JSON it sends and gets back.

One document in (a batch of requests), one document out (an answer per request, in the
same order). The daemon speaks it without pydantic (hipflex.reminders.exchange); tests
prove the two sides agree. docs/reminder-contract.md describes the shapes.
"""

from __future__ import annotations

import json
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationError,
)

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.limits import SITTING_HOURS_RANGE
from hipflex.domain.preferences import Weekday
from hipflex.domain.safety import BreakAction, BreakPrompt, Screening

#: Bumped on any change a daemon of the previous version would misread.
VERSION = 1
#: Records the daemon sends in one batch at most (a long outage is sent in several).
MAX_BATCH = 200

RecordId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _weekday(value: object) -> Weekday:
    if isinstance(value, Weekday):
        return value
    names = {day.label: day for day in Weekday}
    if not isinstance(value, str) or value not in names:
        msg = f"a weekday is one of {', '.join(names)}"
        raise ValueError(msg)  # pydantic reports it as a validation error
    return names[value]


WeekdayName = Annotated[
    Weekday,
    PlainValidator(_weekday, json_schema_input_type=str),
    PlainSerializer(lambda day: day.label, return_type=str),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# Requests (daemon -> app)


class PreferencesRequest(_Model):
    """The preferences the reminder needs (asked at start-up)."""

    kind: Literal["preferences"] = "preferences"


class BreakPromptRequest(_Model):
    """The reminder's words and answers after this much sitting."""

    kind: Literal["break_prompt"] = "break_prompt"
    sitting_minutes: int = Field(ge=0)
    can_snooze: bool


class FallbackPromptRequest(_Model):
    """The reminder to show when hipflex cannot be asked at reminder time (asked at
    start-up): never a stretch."""

    kind: Literal["fallback_prompt"] = "fallback_prompt"
    can_snooze: bool


class RecordBreakRequest(_Model):
    """A reminder's answer; the same id, or the same exact time and outcome, lands once."""

    kind: Literal["record_break"] = "record_break"
    id: RecordId
    at: AwareDatetime
    outcome: BreakOutcome


class RecordSittingRequest(_Model):
    """Seated hours measured at the computer on a day (the newest for a day counts)."""

    kind: Literal["record_sitting"] = "record_sitting"
    id: RecordId
    day: date
    hours: float = Field(ge=SITTING_HOURS_RANGE[0], le=SITTING_HOURS_RANGE[1], allow_inf_nan=False)


Request = Annotated[
    PreferencesRequest
    | BreakPromptRequest
    | FallbackPromptRequest
    | RecordBreakRequest
    | RecordSittingRequest,
    Field(discriminator="kind"),
]
RecordRequest = RecordBreakRequest | RecordSittingRequest


class RequestBatch(_Model):
    version: int
    requests: list[Request] = Field(min_length=1, max_length=MAX_BATCH)


# Answers (app -> daemon)


class PreferencesAnswer(_Model):
    kind: Literal["preferences"] = "preferences"
    break_minutes: int
    work_days: list[WeekdayName]
    work_start: time
    work_end: time
    timezone: str = Field(description="The IANA zone: the preference, else the system's.")


class PromptAction(_Model):
    """One answer a reminder offers, with what it means (the daemon applies no rule)."""

    id: BreakAction
    label: str
    outcome: BreakOutcome
    opens_routine: bool


class PromptAnswer(_Model):
    kind: Literal["break_prompt", "fallback_prompt"]
    screening: Screening
    title: str
    body: str
    actions: list[PromptAction] = Field(min_length=1)

    @classmethod
    def of(
        cls, kind: Literal["break_prompt", "fallback_prompt"], prompt: BreakPrompt
    ) -> PromptAnswer:
        actions = [
            PromptAction(
                id=action, label=label, outcome=action.outcome, opens_routine=action.opens_routine
            )
            for action, (_, label) in zip(prompt.actions, prompt.labelled(), strict=True)
        ]
        return cls(
            kind=kind,
            screening=prompt.screening,
            title=prompt.title,
            body=prompt.body,
            actions=actions,
        )


class RecordStatus(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"  # it had landed before: the daemon may forget it all the same


class RecordedAnswer(_Model):
    kind: Literal["record_break", "record_sitting"]
    id: RecordId
    status: RecordStatus


class RefusedAnswer(_Model):
    """The request is wrong and always will be (a time in the future, say): the daemon
    keeps it aside instead of sending it again."""

    kind: Literal["refused"] = "refused"
    request: str
    id: RecordId | None = None
    message: str


AnyAnswer = PreferencesAnswer | PromptAnswer | RecordedAnswer | RefusedAnswer
Answer = Annotated[AnyAnswer, Field(discriminator="kind")]


class AnswerBatch(_Model):
    version: int = VERSION
    answers: list[Answer]


class VersionMismatch(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """The daemon speaks another version: not its records' fault (exit 1, not 2), so it
    keeps them and sends them again once restarted."""

    def __init__(self, theirs: object) -> None:
        super().__init__(
            f"the reminder speaks version {theirs} of the reminder exchange and this hipflex "
            f"speaks version {VERSION}; restart the reminder (hipflex remind) after an update"
        )


def parse_requests(text: str | bytes) -> RequestBatch:
    """The daemon's document, checked; BadInput (one line) when it is not one, and
    VersionMismatch when it is one of another version."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        msg = "the reminder exchange request is not JSON"
        raise BadInput(msg) from None
    if not isinstance(data, dict) or "version" not in data:
        msg = "the reminder exchange request has no version"
        raise BadInput(msg)
    if data["version"] != VERSION:
        raise VersionMismatch(data["version"])
    try:
        return RequestBatch.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        msg = f"the reminder exchange request is not valid: {where}: {first['msg']}{more}"
        raise BadInput(msg) from None


def dump_answers(answers: list[AnyAnswer]) -> str:
    return AnswerBatch(answers=answers).model_dump_json()
