"""hipflex on the other side of the reminder exchange, in-process, for the daemon's tests.

Every request goes through the real contract both ways (the daemon's encoder, the app's
pydantic models, the app's encoder, the daemon's decoder), and the prompts come from the
domain's safety gate; only the store is a pair of lists. Failures on demand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime, time

from hipflex.content import load_content
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.preferences import WEEKDAYS, Weekday
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.safety import Screening, break_prompt, unchecked_prompt
from hipflex.reminders.exchange import (
    Answer,
    DocumentRefused,
    ExchangeError,
    Request,
    decode_answers,
)
from hipflex.reminders.exchange import encode_requests as daemon_encodes
from hipflex.services.reminder_contract import (
    AnyAnswer,
    BreakPromptRequest,
    FallbackPromptRequest,
    PreferencesAnswer,
    PreferencesRequest,
    PromptAnswer,
    RecordBreakRequest,
    RecordedAnswer,
    RecordSittingRequest,
    RecordStatus,
    RefusedAnswer,
    dump_answers,
    parse_requests,
)
from hipflex.services.reminder_exchange import HOW_TO_RECHECK, HOW_TO_SCREEN
from hipflex.services.safety import BREAK_STRETCH

UNREACHABLE = "hipflex: error: cannot open the database at sqlite:///gone.db: unable to open"
UNREADABLE = "hipflex: error: the reminder exchange request is not valid: requests.0: ..."


class FakeExchange:
    """Answers as hipflex would for a user in `screening`; `failing` sends fail (as when the
    database cannot be opened), `refuse` lists record ids refused for good, and record
    batches wait for `records_gate` when it is set."""

    def __init__(
        self,
        screening: Screening = Screening.CLEAR,
        *,
        paused: frozenset[ExerciseId] = frozenset(),
        work_days: frozenset[Weekday] = WEEKDAYS,
    ) -> None:
        self.screening = screening
        self.paused = paused
        self.work_days = work_days
        self.failing = False
        self.failures = 0  # asks that failed
        self.refuse: set[str] = set()
        self.unreadable: set[str] = set()  # ids that make the whole document bad input
        self.prompt_refusal: str | None = None  # refuse break prompts with this message
        self.records_gate: asyncio.Event | None = None
        self.asked: list[list[Request]] = []
        self.breaks: list[tuple[datetime, BreakOutcome]] = []
        self.days: list[tuple[date, float]] = []  # every entry, oldest first
        self.duplicates = 0

    async def ask(self, requests: Sequence[Request]) -> list[Answer]:
        self.asked.append(list(requests))
        records = any(request.kind.startswith("record_") for request in requests)
        if records and self.records_gate is not None:
            await self.records_gate.wait()
        if self.failing:
            self.failures += 1
            raise ExchangeError(UNREACHABLE)
        if {getattr(request, "id", None) for request in requests} & self.unreadable:
            raise DocumentRefused(UNREADABLE)
        batch = parse_requests(daemon_encodes(requests))  # what the app side reads
        answers = [self.answer(request) for request in batch.requests]
        return decode_answers(dump_answers(answers), requests)

    def answer(
        self,
        request: PreferencesRequest
        | BreakPromptRequest
        | FallbackPromptRequest
        | RecordBreakRequest
        | RecordSittingRequest,
    ) -> AnyAnswer:
        match request:
            case PreferencesRequest():
                return PreferencesAnswer(
                    break_minutes=30,
                    work_days=sorted(self.work_days),
                    work_start=time(9),
                    work_end=time(17),
                    timezone="Europe/Berlin",
                )
            case BreakPromptRequest() if self.prompt_refusal is not None:
                return RefusedAnswer(request=request.kind, message=self.prompt_refusal)
            case BreakPromptRequest():
                prompt = break_prompt(
                    self.screening,
                    request.sitting_minutes,
                    paused=self.paused,
                    stretch_name=load_content().exercise(BREAK_STRETCH).name,
                    how_to_screen=HOW_TO_SCREEN,
                    how_to_recheck=HOW_TO_RECHECK,
                    can_snooze=request.can_snooze,
                )
                return PromptAnswer.of("break_prompt", prompt)
            case FallbackPromptRequest():
                fallback = unchecked_prompt(can_snooze=request.can_snooze)
                return PromptAnswer.of("fallback_prompt", fallback)
            case RecordBreakRequest() | RecordSittingRequest():
                return self.record(request)

    def record(self, request: RecordBreakRequest | RecordSittingRequest) -> AnyAnswer:
        """Records land once: the same exact time and outcome is the same break."""
        if request.id in self.refuse:
            return RefusedAnswer(request=request.kind, id=request.id, message="refused")
        status = RecordStatus.RECORDED
        if isinstance(request, RecordSittingRequest):
            self.days.append((request.day, request.hours))
        elif (request.at, request.outcome) in self.breaks:
            self.duplicates += 1
            status = RecordStatus.DUPLICATE
        else:
            self.breaks.append((request.at, request.outcome))
        return RecordedAnswer(kind=request.kind, id=request.id, status=status)

    def latest_hours(self, day: date) -> float | None:
        """The day's seated hours as hipflex counts them: the newest entry wins."""
        found = [hours for on, hours in self.days if on == day]
        return found[-1] if found else None
