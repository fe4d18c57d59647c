"""The reminder exchange, app side: each request's answer from the services and the safety
gate, records that land once, and `python -m hipflex.services.reminder_exchange` as a
process (exit status and one-line errors as the rest of hipflex)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipflex.domain.assessment import AssessmentInput
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput
from hipflex.domain.preferences import Weekday
from hipflex.domain.protocol import RedFlag
from hipflex.domain.safety import ACTION_LABELS, WALK_WORDS, BreakAction, Screening
from hipflex.domain.tracking import SittingSource
from hipflex.services import programme, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.reminder_contract import (
    VERSION,
    AnswerBatch,
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
    RequestBatch,
    VersionMismatch,
    parse_requests,
)
from hipflex.services.reminder_exchange import HOW_TO_SCREEN, answer_all

BERLIN = ZoneInfo("Europe/Berlin")


def ask(app: AppContext, *requests: object) -> list[object]:
    batch = RequestBatch.model_validate({"version": VERSION, "requests": list(requests)})
    return list(answer_all(app, batch))


def prompt_for(app: AppContext, minutes: int = 40, *, can_snooze: bool = True) -> PromptAnswer:
    (answer,) = ask(app, BreakPromptRequest(sitting_minutes=minutes, can_snooze=can_snooze))
    assert isinstance(answer, PromptAnswer)
    return answer


def action_ids(prompt: PromptAnswer) -> list[str]:
    return [action.id.value for action in prompt.actions]


def test_the_preferences_with_the_zone_resolved(app: AppContext) -> None:
    programme.update_preferences(
        app,
        break_minutes=35,
        work_days=frozenset({Weekday.MON, Weekday.WED}),
        work_start=time(8),
        work_end=time(16, 30),
        timezone="Europe/Berlin",
    )
    (answer,) = ask(app, PreferencesRequest())
    assert answer == PreferencesAnswer(
        break_minutes=35,
        work_days=[Weekday.MON, Weekday.WED],
        work_start=time(8),
        work_end=time(16, 30),
        timezone="Europe/Berlin",
    )
    assert json.loads(answer.model_dump_json())["work_days"] == ["mon", "wed"]


def test_a_user_never_screened_gets_a_walk_and_how_to_answer_the_questions(
    app: AppContext,
) -> None:
    prompt = prompt_for(app, 41)
    assert prompt.screening is Screening.UNSCREENED
    assert prompt.body.startswith(f"You have been sitting for 41 minutes. {WALK_WORDS} ")
    assert prompt.body.endswith(HOW_TO_SCREEN)
    assert "stretch for" not in prompt.body
    assert action_ids(prompt) == ["done", "snooze", "skip"]


def test_a_red_flag_gets_a_walk_the_advice_and_done_instead_of_the_routine(
    app: AppContext,
) -> None:
    record_assessment(app, AssessmentInput(red_flags=frozenset({RedFlag.NIGHT_PAIN})))
    prompt = prompt_for(app, can_snooze=False)
    assert prompt.screening is Screening.RED_FLAG
    assert WALK_WORDS in prompt.body
    assert "doctor or physiotherapist" in prompt.body
    assert "stretch for" not in prompt.body
    assert action_ids(prompt) == ["done", "skip"]
    done = prompt.actions[0]
    assert (done.label, done.outcome, done.opens_routine) == (
        ACTION_LABELS[BreakAction.DONE],
        BreakOutcome.DONE,
        False,
    )


def test_a_clear_user_gets_the_stretch_and_the_routine(app: AppContext) -> None:
    record_assessment(app, AssessmentInput(sitting_hours=8, red_flags=frozenset()))
    prompt = prompt_for(app, 30)
    assert prompt.screening is Screening.CLEAR
    assert prompt.body.startswith("You have been sitting for 30 minutes. Stand up, walk a little")
    assert "stretch for 30 seconds on each side" in prompt.body
    assert [(a.id, a.outcome, a.opens_routine) for a in prompt.actions] == [
        (BreakAction.START, BreakOutcome.DONE, True),
        (BreakAction.SNOOZE, BreakOutcome.SNOOZED, False),
        (BreakAction.SKIP, BreakOutcome.SKIPPED, False),
    ]


def test_the_fallback_prompt_never_offers_a_stretch(app: AppContext) -> None:
    record_assessment(app, AssessmentInput(sitting_hours=8, red_flags=frozenset()))
    with_snooze, without = ask(
        app, FallbackPromptRequest(can_snooze=True), FallbackPromptRequest(can_snooze=False)
    )
    assert isinstance(with_snooze, PromptAnswer)
    assert isinstance(without, PromptAnswer)
    assert with_snooze.body == f"You have been sitting for a while. {WALK_WORDS}"
    assert action_ids(with_snooze) == ["done", "snooze", "skip"]
    assert action_ids(without) == ["done", "skip"]


def test_a_break_record_lands_once_by_its_exact_time_and_outcome(
    app: AppContext, clock: FixedClock
) -> None:
    moment = clock.now() - timedelta(minutes=5, microseconds=123)
    first = RecordBreakRequest(id="a1", at=moment.astimezone(BERLIN), outcome=BreakOutcome.DONE)
    again = RecordBreakRequest(id="a2", at=moment.astimezone(UTC), outcome=BreakOutcome.DONE)
    other = RecordBreakRequest(id="a3", at=moment, outcome=BreakOutcome.SKIPPED)
    answers = ask(app, first, first, again, other)
    assert [a.status for a in answers if isinstance(a, RecordedAnswer)] == [
        RecordStatus.RECORDED,
        RecordStatus.DUPLICATE,
        RecordStatus.DUPLICATE,
        RecordStatus.RECORDED,
    ]
    assert [a.id for a in answers if isinstance(a, RecordedAnswer)] == ["a1", "a1", "a2", "a3"]
    events = app.store.break_events()
    assert [(e.at, e.outcome) for e in events] == [
        (moment, BreakOutcome.DONE),
        (moment, BreakOutcome.SKIPPED),
    ]


def test_a_record_in_the_future_is_refused_and_the_rest_of_the_batch_lands(
    app: AppContext, clock: FixedClock
) -> None:
    future = RecordBreakRequest(
        id="f", at=clock.now() + timedelta(seconds=1), outcome=BreakOutcome.DONE
    )
    fine = RecordSittingRequest(id="s", day=clock.now().date(), hours=2.5)
    refused, recorded = ask(app, future, fine)
    assert isinstance(refused, RefusedAnswer)
    assert (refused.request, refused.id) == ("record_break", "f")
    assert refused.message.startswith("the break time ")
    assert refused.message.endswith(" is in the future")
    assert recorded == RecordedAnswer(kind="record_sitting", id="s", status=RecordStatus.RECORDED)
    assert app.store.break_events() == []


def test_measured_sitting_sent_again_leaves_the_newest_for_the_day(
    app: AppContext, clock: FixedClock
) -> None:
    programme.update_preferences(app, timezone="UTC")
    today = clock.now().date()
    first = RecordSittingRequest(id="s1", day=today, hours=1.0)
    second = RecordSittingRequest(id="s2", day=today, hours=1.5)
    ask(app, first, second)
    ask(app, first, second)  # the daemon did not hear the answer: the same batch again
    entries = app.store.sitting_entries(since=today)
    assert [(e.hours, e.source) for e in entries][-1] == (1.5, SittingSource.MEASURED)
    tomorrow = RecordSittingRequest(id="s3", day=today + timedelta(days=1), hours=1.0)
    (refused,) = ask(app, tomorrow)
    assert isinstance(refused, RefusedAnswer)
    assert "in the future" in refused.message


def test_log_break_once_checks_the_future_and_the_exact_moment(
    app: AppContext, clock: FixedClock
) -> None:
    moment = clock.now()
    assert tracking.log_break_once(app, BreakOutcome.SNOOZED, moment)[1] is True
    assert tracking.log_break_once(app, BreakOutcome.SNOOZED, moment)[1] is False
    later = moment - timedelta(microseconds=1)
    assert tracking.log_break_once(app, BreakOutcome.SNOOZED, later)[1] is True
    with pytest.raises(BadInput, match="in the future"):
        tracking.log_break_once(app, BreakOutcome.DONE, moment + timedelta(minutes=1))
    assert len(app.store.break_events()) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the reminder exchange request is not JSON"),
        ("[]", "the reminder exchange request has no version"),
        (
            '{"version": 1, "requests": []}',
            (
                "the reminder exchange request is not valid: requests: List should have at least 1 "
                "item after validation, not 0"
            ),
        ),
        (
            (
                '{"version": 1, "requests": [{"kind": "break_prompt", "sitting_minutes": "5", '
                '"can_snooze": true}]}'
            ),
            (
                "the reminder exchange request is not valid: requests.0.break_prompt."
                "sitting_minutes: Input should be a valid integer"
            ),
        ),
        (
            (
                '{"version": 1, "requests": [{"kind": "record_break", "id": "x", '
                '"at": "2026-11-02T09:00:00", "outcome": "done"}]}'
            ),
            (
                "the reminder exchange request is not valid: requests.0.record_break.at: Input "
                "should have timezone info"
            ),
        ),
    ],
)
def test_a_document_that_is_not_one_is_bad_input_in_one_line(text: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_requests(text)
    assert str(caught.value) == message


def test_another_version_is_a_clear_error_that_is_not_the_records_fault() -> None:
    with pytest.raises(VersionMismatch) as caught:
        parse_requests('{"version": 2, "requests": [{"kind": "preferences"}]}')
    assert not isinstance(caught.value, BadInput)  # exit 1: the daemon keeps its records
    assert str(caught.value) == (
        "the reminder speaks version 2 of the reminder exchange and this hipflex speaks "
        "version 1; restart the reminder (hipflex remind) after an update"
    )


# The entry point as a process


def run_exchange(
    document: object,
    env: dict[str, str] | None = None,
    command: tuple[str, ...] = (sys.executable, "-m", "hipflex.services.reminder_exchange"),
) -> subprocess.CompletedProcess[str]:
    text = document if isinstance(document, str) else json.dumps(document)
    return subprocess.run(
        command,
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


@pytest.mark.slow
def test_the_entry_point_answers_a_batch_and_records_once(data_dir: Path) -> None:
    now = datetime.now(UTC)
    yesterday = (now - timedelta(days=1)).date().isoformat()
    document = {
        "version": VERSION,
        "requests": [
            {"kind": "preferences"},
            {"kind": "break_prompt", "sitting_minutes": 45, "can_snooze": True},
            {"kind": "record_break", "id": "r1", "at": now.isoformat(), "outcome": "skipped"},
            {"kind": "record_sitting", "id": "r2", "day": yesterday, "hours": 3},
        ],
    }
    done = run_exchange(document)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    answers = AnswerBatch.model_validate_json(done.stdout).answers
    assert [answer.kind for answer in answers] == [
        "preferences",
        "break_prompt",
        "record_break",
        "record_sitting",
    ]
    again = AnswerBatch.model_validate_json(run_exchange(document).stdout).answers
    assert isinstance(again[2], RecordedAnswer)
    assert again[2].status is RecordStatus.DUPLICATE
    assert (data_dir / "hipflex.db").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("document", "code", "message"),
    [
        ("{", 2, "hipflex: error: the reminder exchange request is not JSON"),
        (
            {"version": 0, "requests": [{"kind": "preferences"}]},
            1,
            "hipflex: error: the reminder speaks version 0 of the reminder exchange",
        ),
        (
            {"version": 1, "requests": [{"kind": "preferences", "extra": 1}]},
            2,
            (
                "hipflex: error: the reminder exchange request is not valid: "
                "requests.0.preferences.extra: Extra inputs are not permitted"
            ),
        ),
    ],
)
def test_the_entry_point_refuses_a_bad_document_in_one_line(
    document: object, code: int, message: str
) -> None:
    done = run_exchange(document)
    assert done.returncode == code
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(message)


@pytest.mark.slow
def test_the_entry_point_fails_in_one_line_when_the_database_cannot_be_opened(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    env = {**os.environ, "HIPFLEX_DATABASE_URL": f"sqlite:///{blocked}/hipflex.db"}
    done = run_exchange({"version": VERSION, "requests": [{"kind": "preferences"}]}, env)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("hipflex: error: cannot open the database at sqlite:///")


@pytest.mark.slow
def test_the_daemons_child_starts_as_a_command_and_answers_as_the_exchange(
    data_dir: Path, tmp_path: Path
) -> None:
    """The command the daemon runs (hipflex.services.reminder_child) gives the exchange's
    answers, with pydantic's plugin search off and its compiled code kept."""
    from hipflex.code_cache import FILE_NAME
    from hipflex.reminders.exchange import COMMAND

    assert COMMAND[1:] == ("-m", "hipflex.services.reminder_child")
    document = {
        "version": VERSION,
        "requests": [
            {"kind": "preferences"},
            {"kind": "fallback_prompt", "can_snooze": False},
        ],
    }
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    child = run_exchange(document, env, COMMAND)
    plain = run_exchange(document, env)
    assert child.returncode == plain.returncode == 0, child.stderr + plain.stderr
    assert (child.stdout, child.stderr) == (plain.stdout, plain.stderr)
    assert (tmp_path / "cache" / "hipflex" / FILE_NAME).exists()
    refused = run_exchange("not json", env, COMMAND)
    assert (refused.returncode, refused.stderr) == (2, run_exchange("not json", env).stderr)
