"""`python -m hipflex.services.reminder_exchange`: the reminder daemon asks hipflex here.

It reads one JSON document (a batch of requests, hipflex.services.reminder_contract) on
stdin and writes the answers on stdout. Exit status and errors as the rest of hipflex:
0 answered; 2 the document is not one (one line on stderr, nothing answered); 1 hipflex
could not answer (the database, say, or another version of the exchange): nothing was
confirmed, the daemon sends it again. A request that is wrong on its own (a time in the
future) gets a refused answer instead.
"""

from __future__ import annotations

import sys
from typing import IO

from hipflex.domain.errors import BadInput, BadSetting, HipflexError, NotFound
from hipflex.domain.safety import unchecked_prompt
from hipflex.domain.tracking import SittingSource
from hipflex.errors import EXIT_FAILURE, EXIT_INTERRUPTED, kind_of
from hipflex.services.context import AppContext, database_errors, open_app
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
    RequestBatch,
    dump_answers,
    parse_requests,
)

#: How a desktop user answers the safety questions (said to a user never screened).
HOW_TO_SCREEN = "Run `hipflex assess` or open the hipflex app to answer them."
HOW_TO_RECHECK = "Run `hipflex assess --safety-only` or open the hipflex app to answer them again."

AnyRequest = (
    PreferencesRequest
    | BreakPromptRequest
    | FallbackPromptRequest
    | RecordBreakRequest
    | RecordSittingRequest
)


def preferences(app: AppContext) -> PreferencesAnswer:
    from hipflex.services.programme import get_preferences
    from hipflex.services.timezones import zone_for

    found = get_preferences(app)
    return PreferencesAnswer(
        break_minutes=found.break_minutes,
        work_days=sorted(found.work_days),
        work_start=found.work_start,
        work_end=found.work_end,
        timezone=zone_for(found.timezone).key,  # the preference, else the system's zone
    )


def break_prompt(app: AppContext, request: BreakPromptRequest) -> PromptAnswer:
    from hipflex.services.safety import reminder_prompt

    prompt = reminder_prompt(
        app,
        request.sitting_minutes,
        how_to_screen=HOW_TO_SCREEN,
        how_to_recheck=HOW_TO_RECHECK,
        can_snooze=request.can_snooze,
    )
    return PromptAnswer.of("break_prompt", prompt)


def fallback_prompt(request: FallbackPromptRequest) -> PromptAnswer:
    return PromptAnswer.of("fallback_prompt", unchecked_prompt(can_snooze=request.can_snooze))


def record_break(app: AppContext, request: RecordBreakRequest) -> RecordedAnswer:
    from hipflex.services.tracking import log_break_once

    _, recorded = log_break_once(app, request.outcome, request.at)
    status = RecordStatus.RECORDED if recorded else RecordStatus.DUPLICATE
    return RecordedAnswer(kind=request.kind, id=request.id, status=status)


def record_sitting(app: AppContext, request: RecordSittingRequest) -> RecordedAnswer:
    """The newest entry for a day counts, so a repeat changes nothing."""
    from hipflex.services.tracking import log_sitting

    log_sitting(app, request.hours, request.day, SittingSource.MEASURED)
    return RecordedAnswer(kind=request.kind, id=request.id, status=RecordStatus.RECORDED)


def answer(app: AppContext, request: AnyRequest) -> AnyAnswer:
    """One request's answer; a domain error in it is a refused answer."""
    try:
        match request:
            case PreferencesRequest():
                return preferences(app)
            case BreakPromptRequest():
                return break_prompt(app, request)
            case FallbackPromptRequest():
                return fallback_prompt(request)
            case RecordBreakRequest():
                return record_break(app, request)
            case RecordSittingRequest():
                return record_sitting(app, request)
    except (BadInput, NotFound) as exc:
        record_id = getattr(request, "id", None)
        return RefusedAnswer(request=request.kind, id=record_id, message=str(exc))


def answer_all(app: AppContext, batch: RequestBatch) -> list[AnyAnswer]:
    """Every request in order (records commit one by one: a repeat is harmless)."""
    return [answer(app, request) for request in batch.requests]


def _say(stream: IO[str], text: str) -> None:
    stream.write(f"{text}\n")
    stream.flush()


def main(stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        batch = parse_requests(stdin.read())
        app = open_app()
        try:
            answers = answer_all(app, batch)
        finally:
            app.close()
    except BadSetting as exc:  # not the document's fault: the daemon keeps it to send again
        _say(sys.stderr, f"hipflex: error: {exc}")
        return EXIT_FAILURE
    except HipflexError as exc:  # a bad document exits 2: the daemon resends one by one
        _say(sys.stderr, f"hipflex: error: {exc}")
        return kind_of(exc).exit_status
    except Exception as exc:
        if not isinstance(exc, database_errors()):
            raise
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _say(sys.stderr, f"hipflex: error: could not answer the reminder: {reason}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _say(sys.stderr, "hipflex: stopped; nothing more was saved.")
        return EXIT_INTERRUPTED
    _say(stdout, dump_answers(answers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
