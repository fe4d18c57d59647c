"""The reminder daemon's boundary, daemon side: requests to hipflex and its answers, as plain
dataclasses and json (pydantic alone would add about 9 MB to the daemon), and the client
that asks a short-lived `python -m hipflex.services.reminder_child` child.

The app side (hipflex.services.reminder_contract) holds the pydantic models; tests prove
every request encoded here validates there, and every answer it can produce decodes here.
docs/reminder-contract.md describes the shapes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import HipflexError
from hipflex.domain.preferences import Weekday
from hipflex.errors import EXIT_BAD_INPUT

#: Must equal hipflex.services.reminder_contract.VERSION (a test keeps them equal).
VERSION = 1
#: Records in one batch at most (the app side's limit).
MAX_BATCH = 200
ANSWER_SECONDS = 60.0  # a child that takes longer is stopped: hipflex could not be asked
COMMAND = (sys.executable, "-m", "hipflex.services.reminder_child")

T = TypeVar("T")


class ExchangeError(HipflexError):
    """hipflex could not be asked, or its answer is not one this daemon understands."""


class DocumentRefused(ExchangeError):  # noqa: N818 - reads as a state, like the domain's
    """hipflex refused the document itself (exit status 2): sending it again cannot help."""


# Requests


@dataclass(frozen=True)
class AskPreferences:
    kind: ClassVar[str] = "preferences"


@dataclass(frozen=True)
class AskBreakPrompt:
    kind: ClassVar[str] = "break_prompt"
    sitting_minutes: int
    can_snooze: bool


@dataclass(frozen=True)
class AskFallbackPrompt:
    kind: ClassVar[str] = "fallback_prompt"
    can_snooze: bool


@dataclass(frozen=True)
class RecordBreak:
    kind: ClassVar[str] = "record_break"
    id: str
    at: datetime  # aware, exact: a record sent twice is the same record
    outcome: BreakOutcome


@dataclass(frozen=True)
class RecordSitting:
    kind: ClassVar[str] = "record_sitting"
    id: str
    day: date
    hours: float


Record = RecordBreak | RecordSitting
Request = AskPreferences | AskBreakPrompt | AskFallbackPrompt | RecordBreak | RecordSitting


def encode_request(request: Request) -> dict[str, Any]:
    encoded: dict[str, Any] = {"kind": request.kind}
    match request:
        case AskBreakPrompt():
            encoded |= {"sitting_minutes": request.sitting_minutes}
            encoded |= {"can_snooze": request.can_snooze}
        case AskFallbackPrompt():
            encoded |= {"can_snooze": request.can_snooze}
        case RecordBreak():
            encoded |= {"id": request.id, "at": request.at.isoformat()}
            encoded |= {"outcome": request.outcome.value}
        case RecordSitting():
            encoded |= {"id": request.id, "day": request.day.isoformat()}
            encoded |= {"hours": float(request.hours)}
    return encoded


def encode_requests(requests: Sequence[Request]) -> bytes:
    """The document the app reads: {"version": 1, "requests": [...]}."""
    document = {"version": VERSION, "requests": [encode_request(r) for r in requests]}
    return json.dumps(document, separators=(",", ":")).encode()


# Answers


@dataclass(frozen=True)
class ReminderPreferences:
    kind: ClassVar[str] = "preferences"
    break_minutes: int
    work_days: frozenset[Weekday]
    work_start: time
    work_end: time
    timezone: ZoneInfo


@dataclass(frozen=True)
class PromptAction:
    """An answer a reminder offers, and what it means: the app decides, the daemon applies."""

    id: str
    label: str
    outcome: BreakOutcome
    opens_routine: bool


@dataclass(frozen=True)
class Prompt:
    """A reminder's words and answers, as the app's safety gate wrote them."""

    kind: str  # break_prompt, or fallback_prompt
    screening: str
    title: str
    body: str
    actions: tuple[PromptAction, ...]

    def labelled(self) -> tuple[tuple[str, str], ...]:
        """(action id, label) pairs, as notifiers show them."""
        return tuple((action.id, action.label) for action in self.actions)

    def action(self, answer: str) -> PromptAction | None:
        return next((action for action in self.actions if action.id == answer), None)


@dataclass(frozen=True)
class Recorded:
    kind: str  # record_break or record_sitting
    id: str
    duplicate: bool  # it had landed before: as good as recorded


@dataclass(frozen=True)
class Refused:
    """The app refused a request for good (a time in the future, say)."""

    kind: ClassVar[str] = "refused"
    request: str
    id: str | None
    message: str


Answer = ReminderPreferences | Prompt | Recorded | Refused


class _Fields:
    """Typed reads from one decoded JSON object; anything unexpected is an ExchangeError."""

    def __init__(self, data: object, what: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise ExchangeError(f"{what} is not an object")
        unknown = set(data) - allowed - {"kind"}
        if unknown:
            raise ExchangeError(f"{what} has unknown fields: {', '.join(sorted(unknown))}")
        self.data: dict[str, object] = data
        self.what = what

    def _bad(self, name: str) -> ExchangeError:
        return ExchangeError(f"{self.what} has no valid '{name}'")

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            raise self._bad(name)
        return value

    def whole(self, name: str) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):  # True is no number here
            raise self._bad(name)
        return value

    def number(self, name: str) -> float:
        value = self.data.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self._bad(name)
        if not math.isfinite(value):
            raise self._bad(name)
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.data.get(name)
        if not isinstance(value, bool):
            raise self._bad(name)
        return value

    def items(self, name: str) -> list[object]:
        value = self.data.get(name)
        if not isinstance(value, list):
            raise self._bad(name)
        return value

    def parsed(self, name: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(self.text(name))
        except (ValueError, KeyError, ZoneInfoNotFoundError):
            raise self._bad(name) from None


WEEKDAY_NAMES = {day.label: day for day in Weekday}


def _preferences(data: object) -> ReminderPreferences:
    allowed = {"break_minutes", "work_days", "work_start", "work_end", "timezone"}
    fields = _Fields(data, "the preferences", allowed)
    days = fields.items("work_days")
    if not days or not all(isinstance(day, str) and day in WEEKDAY_NAMES for day in days):
        raise ExchangeError("the preferences have no valid 'work_days'")
    return ReminderPreferences(
        break_minutes=fields.whole("break_minutes"),
        work_days=frozenset(WEEKDAY_NAMES[str(day)] for day in days),
        work_start=fields.parsed("work_start", time.fromisoformat),
        work_end=fields.parsed("work_end", time.fromisoformat),
        timezone=fields.parsed("timezone", ZoneInfo),
    )


def _action(data: object) -> PromptAction:
    fields = _Fields(data, "a prompt's action", {"id", "label", "outcome", "opens_routine"})
    return PromptAction(
        id=fields.text("id"),
        label=fields.text("label"),
        outcome=fields.parsed("outcome", BreakOutcome),
        opens_routine=fields.flag("opens_routine"),
    )


def _prompt(data: object, kind: str) -> Prompt:
    fields = _Fields(data, "the prompt", {"screening", "title", "body", "actions"})
    actions = tuple(_action(item) for item in fields.items("actions"))
    if not actions or len({action.id for action in actions}) != len(actions):
        raise ExchangeError("the prompt has no actions, or one twice")
    return Prompt(
        kind=kind,
        screening=fields.text("screening"),
        title=fields.text("title"),
        body=fields.text("body"),
        actions=actions,
    )


def _recorded(data: object, kind: str) -> Recorded:
    fields = _Fields(data, "a record's answer", {"id", "status"})
    status = fields.text("status")
    if status not in {"recorded", "duplicate"}:
        raise ExchangeError(f"a record's answer has an unknown status '{status}'")
    return Recorded(kind=kind, id=fields.text("id"), duplicate=status == "duplicate")


def _refused(data: object) -> Refused:
    fields = _Fields(data, "a refusal", {"request", "id", "message"})
    record_id = fields.data.get("id")
    if record_id is not None and not isinstance(record_id, str):
        raise ExchangeError("a refusal has a bad 'id'")
    return Refused(request=fields.text("request"), id=record_id, message=fields.text("message"))


def decode_answer(data: object, request: Request) -> Answer:
    """One answer, which must answer `request` (the same kind and id) or refuse it."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "refused":
        refused = _refused(data)
        if refused.request != request.kind or refused.id != getattr(request, "id", None):
            raise ExchangeError(f"a refusal does not match its {request.kind} request")
        return refused
    if kind != request.kind:
        raise ExchangeError(f"a {kind} answer came for a {request.kind} request")
    match request:
        case AskPreferences():
            return _preferences(data)
        case AskBreakPrompt() | AskFallbackPrompt():
            return _prompt(data, request.kind)
        case RecordBreak() | RecordSitting():
            recorded = _recorded(data, request.kind)
            if recorded.id != request.id:
                raise ExchangeError(f"the answer for record {request.id} names {recorded.id}")
            return recorded


def decode_answers(text: bytes | str, requests: Sequence[Request]) -> list[Answer]:
    """The app's document: one answer per request, in order."""
    try:
        document = json.loads(text)
    except ValueError:
        raise ExchangeError("hipflex's answer is not JSON") from None
    if not isinstance(document, dict) or "version" not in document:
        raise ExchangeError("hipflex's answer has no version")
    if document["version"] != VERSION:
        msg = (
            f"hipflex speaks version {document['version']} of the reminder exchange and this "
            f"reminder version {VERSION}; restart the reminder (hipflex remind) after an update"
        )
        raise ExchangeError(msg)
    answers = document.get("answers")
    if not isinstance(answers, list) or len(answers) != len(requests):
        raise ExchangeError(f"hipflex's answer does not answer the {len(requests)} request(s)")
    return [decode_answer(data, request) for data, request in zip(answers, requests, strict=True)]


def decode_record(data: object) -> Record:
    """A record as encode_request wrote it (the outbox keeps records in that form)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == RecordBreak.kind:
        fields = _Fields(data, "a break record", {"id", "at", "outcome"})
        at = fields.parsed("at", datetime.fromisoformat)
        if at.tzinfo is None:
            raise ExchangeError("a break record has a time without its zone")
        return RecordBreak(fields.text("id"), at, fields.parsed("outcome", BreakOutcome))
    if kind == RecordSitting.kind:
        fields = _Fields(data, "a sitting record", {"id", "day", "hours"})
        day = fields.parsed("day", date.fromisoformat)
        return RecordSitting(fields.text("id"), day, fields.number("hours"))
    raise ExchangeError(f"not a record: {kind!r}")


# The client


def child_environment() -> dict[str, str]:
    """The daemon's environment, with pydantic's plugin search off unless set: it reads
    every installed package's metadata, costing each child more than its answer does, and
    no third-party plugin should see the reminders' data (as in hipflex.cli)."""
    return {"PYDANTIC_DISABLE_PLUGINS": "__all__", **os.environ}


class ExchangeClient:
    """Asks hipflex in a child process, one batch at a time: the daemon stays small."""

    def __init__(
        self, command: Sequence[str] = COMMAND, *, answer_seconds: float = ANSWER_SECONDS
    ) -> None:
        self.command = list(command)
        self.answer_seconds = answer_seconds

    async def ask(self, requests: Sequence[Request]) -> list[Answer]:
        """Answers to the requests, in order; ExchangeError when hipflex cannot answer."""
        try:
            process = await asyncio.create_subprocess_exec(
                *self.command,
                env=child_environment(),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            raise ExchangeError(f"could not start hipflex: {exc}") from None
        try:
            output, errors = await asyncio.wait_for(
                process.communicate(encode_requests(requests)), self.answer_seconds
            )
        except TimeoutError:
            raise ExchangeError(
                f"hipflex did not answer within {self.answer_seconds:g} s"
            ) from None
        finally:
            if process.returncode is None:  # timed out, or the daemon is stopping
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if process.returncode:
            lines = errors.decode(errors="replace").strip().splitlines()
            message = lines[-1] if lines else f"hipflex exited {process.returncode}"
            failure = DocumentRefused if process.returncode == EXIT_BAD_INPUT else ExchangeError
            raise failure(message)
        return decode_answers(output, requests)
