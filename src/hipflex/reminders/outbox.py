"""Nothing lost: what the daemon records waits in an outbox file until hipflex confirms it.

A record (a break's answer, a day's seated hours) is appended to the outbox (one JSON line,
fsync'd) before anything else happens to it; records go to hipflex in batches and leave
the outbox only once hipflex answered for each (recorded, already there, or refused for
good: then it is set aside in a file of its own). A send that fails is logged and tried
again after a pause that doubles each time, at the loop's later wake-ups, at the stop and
at the next start. Sending twice is harmless: hipflex lands a record once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Protocol

from hipflex.domain.breaks import BreakOutcome, DayTotals
from hipflex.domain.errors import HipflexError
from hipflex.domain.limits import SITTING_HOURS_RANGE
from hipflex.files import append_file, write_file
from hipflex.reminders.exchange import (
    MAX_BATCH,
    Answer,
    DocumentRefused,
    ExchangeError,
    Record,
    RecordBreak,
    RecordSitting,
    Refused,
    Request,
    decode_record,
    encode_request,
)

log = logging.getLogger("hipflex.reminders")

OUTBOX_FILE = "remind-outbox.jsonl"
REFUSED_FILE = "remind-refused.jsonl"
FIRST_RETRY_SECONDS = 2.0  # real seconds, doubling after each failed send
LAST_RETRY_SECONDS = 300.0
STOP_SECONDS = 20.0  # the last send at a stop waits this long for hipflex at most


class Exchange(Protocol):
    async def ask(self, requests: Sequence[Request]) -> list[Answer]: ...


def _append_synced(path: Path, lines: Sequence[str]) -> None:
    """Append whole lines and fsync them (a new file is yours alone)."""
    append_file(path, "".join(f"{line}\n" for line in lines).encode("utf-8"))


class Outbox:
    """Records not yet confirmed by hipflex, oldest first, mirrored in an append-only file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: list[Record] = []
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:  # records kept from now on stay in memory (logged as they come)
            log.error("outbox: could not read %s: %s", self.path, exc)
            return
        broken = 0
        for line in text.splitlines():
            try:
                self._records.append(decode_record(json.loads(line)))
            except (ValueError, ExchangeError):
                broken += 1  # a line cut short when the machine went down mid-write
        if broken or (text and not text.endswith("\n")):
            log.warning("outbox: %d unreadable line(s) in %s left out", broken, self.path)
            try:
                self._rewrite()
            except HipflexError as exc:  # the file keeps them; the next rewrite tries again
                log.error("outbox: could not rewrite %s: %s", self.path, exc)
        if self._records:
            log.info("outbox: %d record(s) from an earlier run to send", len(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def pending(self) -> list[Record]:
        return list(self._records)

    def add(self, record: Record) -> None:
        """Kept on disk before this returns (in memory only if the disk fails: logged)."""
        self._records.append(record)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _append_synced(self.path, [json.dumps(encode_request(record))])
        except (OSError, HipflexError) as exc:
            log.error("outbox: could not write %s (%s); kept in memory", self.path, exc)

    def remove(self, ids: set[str]) -> None:
        """Forget the confirmed records: the file is emptied, or rewritten whole."""
        if not ids:
            return
        self._records = [record for record in self._records if record.id not in ids]
        try:
            self._rewrite()
        except HipflexError as exc:  # sent again from the file at the next start: harmless
            log.error("outbox: could not rewrite %s: %s", self.path, exc)

    def _rewrite(self) -> None:
        text = "".join(f"{json.dumps(encode_request(r))}\n" for r in self._records)
        write_file(self.path, text.encode("utf-8"))


class OutboxRecorder:
    """The loop's recorder: each record into the outbox at once, then to hipflex.

    Times are never later than the real time (hipflex refuses the future, and a sped-up
    clock runs ahead), and are fixed when the record is made, so a record sent again is
    the same record.
    """

    def __init__(
        self,
        outbox: Outbox,
        exchange: Exchange,
        *,
        refused: Path | None = None,
        zone: tzinfo | None = None,
        real_now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.outbox = outbox
        self.exchange = exchange
        self.refused_path = refused
        self.zone = zone
        self._real_now = real_now or (lambda: datetime.now(UTC).astimezone(self.zone))
        self._monotonic = monotonic
        self.new_id = new_id
        self.failures = 0  # failed sends in a row
        self.sent = 0  # records hipflex confirmed
        self._retry_at = 0.0
        self._sending: asyncio.Task[None] | None = None

    # Making records

    def outcome(self, at: datetime, outcome: BreakOutcome) -> None:
        when = min(at, self._real_now())
        self._add(RecordBreak(self.new_id(), when.astimezone(at.tzinfo), outcome))

    def day(self, totals: DayTotals) -> None:
        day = min(totals.day, self._real_now().date())
        low, high = SITTING_HOURS_RANGE
        hours = min(high, max(low, totals.seated_hours))
        self._add(RecordSitting(self.new_id(), day, hours))

    def _add(self, record: Record) -> None:
        self.outbox.add(record)
        self.send_soon()

    # Sending

    @property
    def sending(self) -> bool:
        return self._sending is not None and not self._sending.done()

    def send_soon(self) -> None:
        """Start a send in the background if records wait and no pause is running."""
        if self.sending or not len(self.outbox) or self._monotonic() < self._retry_at:
            return
        self._sending = asyncio.create_task(self._send_all())

    async def _send_all(self) -> None:
        size = MAX_BATCH
        while len(self.outbox):
            batch = self.outbox.pending()[:size]
            try:
                answers = await self.exchange.ask(batch)
            except DocumentRefused as exc:
                if len(batch) > 1:  # one record hipflex cannot read: send one at a time
                    size = 1
                    continue
                answers = [Refused(batch[0].kind, batch[0].id, str(exc))]
            except ExchangeError as exc:
                self._failed(len(batch), str(exc))
                return
            except Exception:  # a bug must not turn into a tight loop of sends
                log.exception("could not record")
                self._failed(len(batch), "see above")
                return
            self._confirmed(batch, answers)

    def _confirmed(self, batch: list[Record], answers: Sequence[Answer]) -> None:
        refused = [answer for answer in answers if isinstance(answer, Refused)]
        if refused:
            self._set_aside(batch, refused)
        self.outbox.remove({record.id for record in batch})
        if self.failures:
            log.info("recorded %d record(s) after %d failed tries", len(batch), self.failures)
        self.failures, self._retry_at = 0, 0.0
        self.sent += len(batch) - len(refused)

    def _failed(self, records: int, reason: str) -> None:
        self.failures += 1
        pause = min(LAST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (self.failures - 1))
        self._retry_at = self._monotonic() + pause
        log.warning(
            "could not record %d record(s) yet (try %d; again in %g s): %s",
            records,
            self.failures,
            pause,
            reason,
        )

    def _set_aside(self, batch: list[Record], refused: list[Refused]) -> None:
        by_id = {record.id: record for record in batch}
        lines = []
        for answer in refused:
            log.error("hipflex refused record %s for good: %s", answer.id, answer.message)
            record = by_id.get(answer.id or "")
            if record is not None:
                lines.append(json.dumps({**encode_request(record), "refused": answer.message}))
        if self.refused_path is not None and lines:
            with contextlib.suppress(OSError, HipflexError):
                _append_synced(self.refused_path, lines)

    async def settle(self) -> None:
        """Wait for the send under way, if any."""
        if self._sending is not None:
            await self._sending

    async def stop(self, seconds: float = STOP_SECONDS) -> None:
        """At a stop: one last try for what waits, pause or not, within `seconds` (a send
        still under way included); what fails stays on disk for the next start."""

        async def last_try() -> None:
            await self.settle()
            if len(self.outbox):
                await self._send_all()

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(last_try(), seconds)
        if len(self.outbox):
            log.warning(
                "%d record(s) wait in %s for the next start", len(self.outbox), self.outbox.path
            )
