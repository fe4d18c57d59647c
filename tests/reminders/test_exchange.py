"""The reminder exchange: the daemon's side (dataclasses and json) and the app's (pydantic)
agree. Every request the daemon can encode validates on the app side with the same values;
every answer the app's models can produce decodes on the daemon side with the same values;
a version mismatch is a clear error either way. And the client against the real entry
point, as a process."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.preferences import BREAK_MINUTES_RANGE, Weekday
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.safety import (
    BreakAction,
    BreakPrompt,
    Screening,
    break_prompt,
    unchecked_prompt,
)
from hipflex.reminders import exchange
from hipflex.reminders.exchange import (
    AskBreakPrompt,
    AskFallbackPrompt,
    AskPreferences,
    DocumentRefused,
    ExchangeClient,
    ExchangeError,
    Prompt,
    RecordBreak,
    Recorded,
    RecordSitting,
    Refused,
    ReminderPreferences,
    Request,
    decode_answers,
    decode_record,
    encode_request,
    encode_requests,
)
from hipflex.services import reminder_contract as contract
from hipflex.services.reminder_contract import (
    AnyAnswer,
    PreferencesAnswer,
    PromptAnswer,
    RecordedAnswer,
    RecordStatus,
    RefusedAnswer,
    dump_answers,
    parse_requests,
)
from tests import strategies

# What the daemon sends


record_ids = st.uuids().map(lambda found: found.hex)  # as the daemon makes them
aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.timezones(),
)
hours = strategies.sitting_hours
requests: st.SearchStrategy[Request] = st.one_of(
    st.just(AskPreferences()),
    st.builds(AskBreakPrompt, st.integers(0, 10**6), st.booleans()),
    st.builds(AskFallbackPrompt, st.booleans()),
    st.builds(RecordBreak, record_ids, aware_times, st.sampled_from(BreakOutcome)),
    st.builds(RecordSitting, record_ids, st.dates(), hours),
)


def test_both_sides_speak_the_same_version_and_batch_size() -> None:
    assert exchange.VERSION == contract.VERSION
    assert exchange.MAX_BATCH == contract.MAX_BATCH


@given(st.lists(requests, min_size=1, max_size=contract.MAX_BATCH))
def test_every_request_the_daemon_encodes_validates_on_the_app_side(
    sent: list[Request],
) -> None:
    received = parse_requests(encode_requests(sent)).requests
    assert len(received) == len(sent)
    for ours, theirs in zip(sent, received, strict=True):
        assert theirs.kind == ours.kind
        match ours:
            case AskBreakPrompt():
                assert isinstance(theirs, contract.BreakPromptRequest)
                assert (theirs.sitting_minutes, theirs.can_snooze) == (
                    ours.sitting_minutes,
                    ours.can_snooze,
                )
            case AskFallbackPrompt():
                assert isinstance(theirs, contract.FallbackPromptRequest)
                assert theirs.can_snooze == ours.can_snooze
            case RecordBreak():
                assert isinstance(theirs, contract.RecordBreakRequest)
                assert (theirs.id, theirs.outcome) == (ours.id, ours.outcome)
                # the same instant and offset: == across time zones is never true for a wall
                # time a clock change repeats (PEP 495), so compare in UTC
                assert theirs.at.astimezone(UTC) == ours.at.astimezone(UTC)
                assert theirs.at.utcoffset() == ours.at.utcoffset()
            case RecordSitting():
                assert isinstance(theirs, contract.RecordSittingRequest)
                assert (theirs.id, theirs.day, theirs.hours) == (ours.id, ours.day, ours.hours)


@given(requests.filter(lambda r: isinstance(r, RecordBreak | RecordSitting)))
def test_a_record_reads_back_from_the_outbox_as_it_was(record: RecordBreak | RecordSitting) -> None:
    back = decode_record(json.loads(json.dumps(encode_request(record))))
    if isinstance(record, RecordBreak):
        # the same instant and offset (== across zones is never true for a wall time a
        # clock change repeats, PEP 495)
        assert isinstance(back, RecordBreak)
        assert (back.id, back.outcome) == (record.id, record.outcome)
        assert back.at.astimezone(UTC) == record.at.astimezone(UTC)
        assert back.at.utcoffset() == record.at.utcoffset()
    else:
        assert back == record


# What the app answers


@st.composite
def preference_answers(draw: st.DrawFn) -> PreferencesAnswer:
    return PreferencesAnswer(
        break_minutes=draw(st.integers(*BREAK_MINUTES_RANGE)),
        work_days=sorted(draw(st.frozensets(st.sampled_from(Weekday), min_size=1))),
        work_start=draw(st.times()),
        work_end=draw(st.times()),
        timezone=draw(st.timezone_keys(allow_prefix=False)),
    )


texts = st.text(st.characters(exclude_categories=("Cs",)))  # JSON has no lone surrogates
domain_prompts: st.SearchStrategy[BreakPrompt] = st.one_of(
    st.builds(
        break_prompt,
        st.sampled_from(Screening),
        st.integers(0, 10**6),
        paused=st.frozensets(st.sampled_from(ExerciseId)),
        stretch_name=texts,
        how_to_screen=texts,
        can_snooze=st.booleans(),
    ),
    st.builds(unchecked_prompt, can_snooze=st.booleans()),
)
prompt_answers = st.builds(
    PromptAnswer.of, st.sampled_from(["break_prompt", "fallback_prompt"]), domain_prompts
)
record_kinds = st.sampled_from(["record_break", "record_sitting"])
recorded_answers = st.builds(
    RecordedAnswer, kind=record_kinds, id=record_ids, status=st.sampled_from(RecordStatus)
)
refused_answers = st.builds(
    RefusedAnswer,
    request=st.sampled_from(["preferences", "break_prompt", "record_break", "record_sitting"]),
    message=texts,
    id=record_ids,
)
answers: st.SearchStrategy[AnyAnswer] = st.one_of(
    preference_answers(), prompt_answers, recorded_answers, refused_answers
)


def request_for(answer: AnyAnswer) -> Request:
    """The daemon's request that this answer answers."""
    kind = answer.request if isinstance(answer, RefusedAnswer) else answer.kind
    record_id = str(getattr(answer, "id", None) or "none")
    return {
        "preferences": AskPreferences(),
        "break_prompt": AskBreakPrompt(30, can_snooze=True),
        "fallback_prompt": AskFallbackPrompt(can_snooze=True),
        "record_break": RecordBreak(record_id, datetime.now(UTC), BreakOutcome.DONE),
        "record_sitting": RecordSitting(record_id, datetime.now(UTC).date(), 1.0),
    }[kind]


def refused_fits(answer: AnyAnswer) -> AnyAnswer:
    """A refusal of a request without an id carries none."""
    if isinstance(answer, RefusedAnswer) and not answer.request.startswith("record_"):
        return answer.model_copy(update={"id": None})
    return answer


def assert_same(theirs: AnyAnswer, ours: object) -> None:
    match theirs:
        case PreferencesAnswer():
            assert isinstance(ours, ReminderPreferences)
            assert (ours.break_minutes, ours.work_days, ours.work_start, ours.work_end) == (
                theirs.break_minutes,
                frozenset(theirs.work_days),
                theirs.work_start,
                theirs.work_end,
            )
            assert ours.timezone.key == theirs.timezone
        case PromptAnswer():
            assert isinstance(ours, Prompt)
            assert (ours.kind, ours.screening, ours.title, ours.body) == (
                theirs.kind,
                theirs.screening.value,
                theirs.title,
                theirs.body,
            )
            assert [(a.id, a.label, a.outcome, a.opens_routine) for a in ours.actions] == [
                (a.id.value, a.label, a.outcome, a.opens_routine) for a in theirs.actions
            ]
        case RecordedAnswer():
            assert ours == Recorded(
                theirs.kind, theirs.id, duplicate=theirs.status is RecordStatus.DUPLICATE
            )
        case RefusedAnswer():
            assert ours == Refused(theirs.request, theirs.id, theirs.message)


@given(st.lists(answers.map(refused_fits), min_size=1, max_size=20))
def test_every_answer_the_app_can_produce_decodes_on_the_daemon_side(
    given_answers: list[AnyAnswer],
) -> None:
    asked = [request_for(answer) for answer in given_answers]
    decoded = decode_answers(dump_answers(given_answers), asked)
    for theirs, ours in zip(given_answers, decoded, strict=True):
        assert_same(theirs, ours)


def test_every_action_of_the_domain_reaches_the_daemon_with_its_meaning() -> None:
    every = BreakPrompt(Screening.CLEAR, "t", "b", tuple(BreakAction))
    document = dump_answers([PromptAnswer.of("break_prompt", every)])
    (prompt,) = decode_answers(document, [AskBreakPrompt(1, can_snooze=True)])
    assert isinstance(prompt, Prompt)
    assert [(a.id, a.outcome, a.opens_routine) for a in prompt.actions] == [
        ("start", BreakOutcome.DONE, True),
        ("done", BreakOutcome.DONE, False),
        ("snooze", BreakOutcome.SNOOZED, False),
        ("skip", BreakOutcome.SKIPPED, False),
    ]
    assert prompt.labelled() == every.labelled()


# The daemon's decoder refuses what it does not understand


PREFERENCES = {
    "kind": "preferences",
    "break_minutes": 40,
    "work_days": ["mon", "fri"],
    "work_start": "09:00:00",
    "work_end": "17:00:00",
    "timezone": "Europe/Berlin",
}


def decoded(answers: list[Any], asked: list[Request] | None = None, version: int = 1) -> Any:
    document = json.dumps({"version": version, "answers": answers})
    return decode_answers(document, asked or [AskPreferences()])


def test_the_preferences_decode_to_the_policys_types() -> None:
    (preferences,) = decoded([PREFERENCES])
    assert preferences.work_days == frozenset({Weekday.MON, Weekday.FRI})
    assert (preferences.work_start, preferences.work_end) == (time(9), time(17))
    assert preferences.timezone.key == "Europe/Berlin"


def test_an_answer_in_another_version_is_a_clear_error() -> None:
    with pytest.raises(ExchangeError) as caught:
        decoded([PREFERENCES], version=2)
    assert str(caught.value) == (
        "hipflex speaks version 2 of the reminder exchange and this reminder version 1; "
        "restart the reminder (hipflex remind) after an update"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"", "hipflex's answer is not JSON"),
        (b"[]", "hipflex's answer has no version"),
        (b'{"version": 1, "answers": []}', "hipflex's answer does not answer the 1 request(s)"),
    ],
)
def test_a_document_that_is_not_an_answer_is_an_error(document: bytes, message: str) -> None:
    with pytest.raises(ExchangeError, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")):
        decode_answers(document, [AskPreferences()])


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({**PREFERENCES, "kind": "break_prompt"}, "a break_prompt answer came for a preferences"),
        ({**PREFERENCES, "break_minutes": True}, "has no valid 'break_minutes'"),
        ({**PREFERENCES, "break_minutes": "40"}, "has no valid 'break_minutes'"),
        ({**PREFERENCES, "work_days": ["monday"]}, "no valid 'work_days'"),
        ({**PREFERENCES, "work_days": []}, "no valid 'work_days'"),
        ({**PREFERENCES, "work_start": "9 am"}, "no valid 'work_start'"),
        ({**PREFERENCES, "timezone": "Mars/Olympus"}, "no valid 'timezone'"),
        ({**PREFERENCES, "extra": 1}, "the preferences has unknown fields: extra"),
        ({"kind": "refused", "request": "break_prompt", "message": "x"}, "does not match"),
        ("preferences", "a None answer came for a preferences request"),
    ],
)
def test_a_wrong_answer_is_an_error_not_a_guess(answer: object, message: str) -> None:
    with pytest.raises(ExchangeError, match=message):
        decoded([answer])


def test_a_record_answer_must_name_its_record() -> None:
    record = RecordBreak("abc", datetime.now(UTC), BreakOutcome.DONE)
    answer = {"kind": "record_break", "id": "abd", "status": "recorded"}
    with pytest.raises(ExchangeError, match="the answer for record abc names abd"):
        decoded([answer], [record])
    with pytest.raises(ExchangeError, match="unknown status 'lost'"):
        decoded([{**answer, "id": "abc", "status": "lost"}], [record])


def test_a_prompt_needs_actions_each_once() -> None:
    action = {"id": "skip", "label": "Skip", "outcome": "skipped", "opens_routine": False}
    prompt = {"kind": "break_prompt", "screening": "clear", "title": "t", "body": "b"}
    asked: list[Request] = [AskBreakPrompt(30, can_snooze=True)]
    for actions in ([], [action, action]):
        with pytest.raises(ExchangeError, match="no actions, or one twice"):
            decoded([{**prompt, "actions": actions}], asked)
    with pytest.raises(ExchangeError, match="no valid 'outcome'"):
        decoded([{**prompt, "actions": [{**action, "outcome": "maybe"}]}], asked)


@pytest.mark.parametrize(
    "line",
    [
        {"kind": "record_break", "id": "x", "at": "2026-11-02T09:00:00", "outcome": "done"},
        {"kind": "record_sitting", "id": "x", "day": "2026-11-02", "hours": "1"},
        {"kind": "preferences"},
        [],
    ],
)
def test_a_broken_outbox_line_is_no_record(line: object) -> None:
    with pytest.raises(ExchangeError):
        decode_record(line)


# The client, against the real entry point


@pytest.mark.slow
def test_the_client_asks_the_real_entry_point() -> None:
    async def main() -> list[Any]:
        return await ExchangeClient().ask(
            [
                AskPreferences(),
                AskBreakPrompt(35, can_snooze=False),
                AskFallbackPrompt(can_snooze=True),
            ]
        )

    preferences, prompt, fallback = asyncio.run(main())
    assert isinstance(preferences, ReminderPreferences)
    assert preferences.break_minutes == 40
    assert isinstance(prompt, Prompt)
    assert prompt.body.startswith("You have been sitting for 35 minutes. Stand up and walk")
    assert [action.id for action in prompt.actions] == ["done", "skip"]  # never screened
    assert isinstance(fallback, Prompt)
    assert [action.id for action in fallback.actions] == ["done", "snooze", "skip"]


def test_a_document_hipflex_refuses_is_told_apart_from_hipflex_failing() -> None:
    def client(code: int) -> ExchangeClient:
        script = f"import sys; print('hipflex: error: no', file=sys.stderr); sys.exit({code})"
        return ExchangeClient([sys.executable, "-c", script])

    with pytest.raises(DocumentRefused, match=r"^hipflex: error: no$"):
        asyncio.run(client(2).ask([AskPreferences()]))
    with pytest.raises(ExchangeError) as failed:
        asyncio.run(client(1).ask([AskPreferences()]))
    assert not isinstance(failed.value, DocumentRefused)  # sent again later


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            [sys.executable, "-c", "import sys; print('x', file=sys.stderr); sys.exit(1)"],
            "^x$",
        ),
        ([sys.executable, "-c", "import sys; sys.exit(3)"], "^hipflex exited 3$"),
        ([sys.executable, "-c", "print('{}')"], "^hipflex's answer has no version$"),
        (["/nonexistent/hipflex"], "^could not start hipflex: "),
        ([sys.executable, "-c", "import time; time.sleep(30)"], "did not answer within 0.5 s"),
    ],
)
def test_the_client_turns_every_failure_into_an_exchange_error(
    command: list[str], message: str
) -> None:
    client = ExchangeClient(command, answer_seconds=0.5)
    with pytest.raises(ExchangeError, match=message):
        asyncio.run(client.ask([AskPreferences()]))
