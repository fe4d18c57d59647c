"""The outbox file: records kept before they are sent, read back after a crash (a line
cut short included), forgotten only once confirmed; the recorder's batches and stop."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hipflex.domain.breaks import BreakOutcome, DayTotals
from hipflex.reminders.exchange import MAX_BATCH, RecordBreak, RecordSitting, encode_request
from hipflex.reminders.outbox import OUTBOX_FILE, REFUSED_FILE, Outbox, OutboxRecorder
from tests.reminders.exchange_fakes import FakeExchange

MOMENT = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)
BREAK = RecordBreak("b1", MOMENT, BreakOutcome.SKIPPED)
SITTING = RecordSitting("s1", date(2026, 11, 2), 1.25)


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_records_are_appended_as_json_lines_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "data" / OUTBOX_FILE
    outbox = Outbox(path)
    outbox.add(BREAK)
    outbox.add(SITTING)
    assert lines(path) == [encode_request(BREAK), encode_request(SITTING)]
    assert Outbox(path).pending() == [BREAK, SITTING]


def test_confirmed_records_leave_and_an_empty_outbox_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / OUTBOX_FILE
    outbox = Outbox(path)
    outbox.add(BREAK)
    outbox.add(SITTING)
    outbox.remove({"b1"})
    assert lines(path) == [encode_request(SITTING)]
    outbox.remove({"s1"})
    assert path.read_text() == ""
    assert len(Outbox(path)) == 0
    assert not list(tmp_path.glob(".*partial"))


def test_the_outbox_is_yours_alone_and_never_written_through_a_link(tmp_path: Path) -> None:
    path = tmp_path / OUTBOX_FILE
    outbox = Outbox(path)
    outbox.add(BREAK)
    assert path.stat().st_mode & 0o777 == 0o600
    outbox.add(SITTING)
    outbox.remove({"b1"})  # rewritten whole: the permissions stay
    assert path.stat().st_mode & 0o777 == 0o600
    victim = tmp_path / "victim"
    victim.write_text("precious")
    linked = tmp_path / "linked" / OUTBOX_FILE
    linked.parent.mkdir()
    linked.symlink_to(victim)
    Outbox(linked).add(BREAK)  # refused, logged, kept in memory
    assert victim.read_text() == "precious"


def test_a_line_cut_short_by_a_crash_is_left_out_and_the_rest_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / OUTBOX_FILE
    whole = json.dumps(encode_request(BREAK))
    path.write_text(f"{whole}\n{whole[:20]}")
    outbox = Outbox(path)
    assert outbox.pending() == [BREAK]
    assert path.read_text() == f"{whole}\n"  # a new line will not be glued to the torn one
    assert "outbox: 1 unreadable line(s)" in caplog.text
    outbox.add(SITTING)
    assert Outbox(path).pending() == [BREAK, SITTING]


def test_a_record_the_disk_refuses_is_kept_in_memory_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    outbox = Outbox(blocked / OUTBOX_FILE)
    outbox.add(BREAK)
    assert outbox.pending() == [BREAK]
    assert "outbox: could not write" in caplog.text


def recorder(tmp_path: Path, exchange: FakeExchange, **options: object) -> OutboxRecorder:
    return OutboxRecorder(
        Outbox(tmp_path / OUTBOX_FILE),
        exchange,
        refused=tmp_path / REFUSED_FILE,
        **options,  # type: ignore[arg-type]
    )


def test_records_go_in_batches_in_order(tmp_path: Path) -> None:
    exchange = FakeExchange()
    outbox = Outbox(tmp_path / OUTBOX_FILE)
    for minute in range(MAX_BATCH + 5):
        outbox.add(RecordBreak(f"r{minute}", MOMENT + timedelta(minutes=minute), BreakOutcome.DONE))

    async def main() -> None:
        sending = OutboxRecorder(outbox, exchange)
        sending.send_soon()
        await sending.settle()

    asyncio.run(main())
    assert [len(batch) for batch in exchange.asked] == [MAX_BATCH, 5]
    assert [at for at, _ in exchange.breaks] == [
        MOMENT + timedelta(minutes=minute) for minute in range(MAX_BATCH + 5)
    ]
    assert len(outbox) == 0


def test_a_stop_that_cannot_send_keeps_the_records_for_the_next_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hipflex.reminders")
    exchange = FakeExchange()
    exchange.failing = True

    async def main() -> None:
        sending = recorder(tmp_path, exchange, real_now=lambda: MOMENT + timedelta(hours=1))
        sending.outcome(MOMENT, BreakOutcome.DONE)
        sending.day(DayTotals(MOMENT.date(), seated_seconds=30 * 3600))  # never over 24 h
        await sending.stop()

    asyncio.run(main())
    kept = Outbox(tmp_path / OUTBOX_FILE).pending()
    assert [type(record) for record in kept] == [RecordBreak, RecordSitting]
    assert kept[0].at == MOMENT
    assert isinstance(kept[1], RecordSitting)
    assert kept[1].hours == 24.0
    assert exchange.failures == 2  # the first send, and the last try at the stop
    assert f"2 record(s) wait in {tmp_path / OUTBOX_FILE} for the next start" in caplog.text


def test_a_day_ahead_of_the_real_date_is_recorded_on_the_real_date(tmp_path: Path) -> None:
    exchange = FakeExchange()

    async def main() -> None:
        sending = recorder(tmp_path, exchange, real_now=lambda: MOMENT)
        sending.day(DayTotals(MOMENT.date() + timedelta(days=1), seated_seconds=1800))
        await sending.stop()

    asyncio.run(main())
    assert exchange.days == [(MOMENT.date(), 0.5)]


def test_a_record_hipflex_cannot_read_is_found_and_set_aside_and_the_rest_lands(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    exchange = FakeExchange()
    exchange.unreadable = {"r1"}
    outbox = Outbox(tmp_path / OUTBOX_FILE)
    for minute in range(3):
        outbox.add(RecordBreak(f"r{minute}", MOMENT + timedelta(minutes=minute), BreakOutcome.DONE))

    async def main() -> None:
        sending = OutboxRecorder(outbox, exchange, refused=tmp_path / REFUSED_FILE)
        sending.send_soon()
        await sending.settle()

    asyncio.run(main())
    assert [[getattr(r, "id", None) for r in batch] for batch in exchange.asked] == [
        ["r0", "r1", "r2"],  # refused whole: then one at a time
        ["r0"],
        ["r1"],
        ["r2"],
    ]
    assert [at for at, _ in exchange.breaks] == [MOMENT, MOMENT + timedelta(minutes=2)]
    (aside,) = lines(tmp_path / REFUSED_FILE)
    assert aside["id"] == "r1"
    assert str(aside["refused"]).startswith("hipflex: error: the reminder exchange request is")
    assert len(outbox) == 0
    assert "hipflex refused record r1 for good" in caplog.text


def test_a_stop_waits_for_a_hung_send_only_so_long(tmp_path: Path) -> None:
    exchange = FakeExchange()
    exchange.records_gate = asyncio.Event()  # hipflex never answers

    async def main() -> OutboxRecorder:
        sending = recorder(tmp_path, exchange, real_now=lambda: MOMENT)
        sending.outcome(MOMENT, BreakOutcome.DONE)
        await asyncio.sleep(0)  # the send is under way
        assert sending.sending
        await asyncio.wait_for(sending.stop(seconds=0.1), 5)
        return sending

    stopped = asyncio.run(main())
    assert not stopped.sending
    assert len(Outbox(tmp_path / OUTBOX_FILE)) == 1
