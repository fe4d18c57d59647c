"""The reminder loop: read the activity source, apply the break policy, remind, record.

It wakes on an answer, on a change the desktop signals, at the next time a break could
fall due, or at the latest after one sample interval; it never busy-polls. To keep its
memory small it does not load the store: it asks hipflex through the reminder exchange
(hipflex.reminders.exchange) for each reminder's words and answers, and records answers
and daily seated time through an outbox that keeps them until hipflex confirms them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from hipflex.domain.breaks import (
    BreakOutcome,
    BreakPolicy,
    BreakState,
    DayTotals,
    answer,
    break_due,
    can_snooze,
    next_check,
    observe_reading,
    reminded,
    take_finished_days,
)
from hipflex.domain.errors import HipflexError
from hipflex.files import write_file
from hipflex.reminders.exchange import AskBreakPrompt, ExchangeError, Prompt, Refused
from hipflex.reminders.notifier import Notifier
from hipflex.reminders.outbox import Exchange
from hipflex.reminders.sources import ActivitySource

log = logging.getLogger("hipflex.reminders")

SAMPLE_SECONDS = 60.0  # at most one wake-up a minute while nothing happens
RECORD_EVERY = timedelta(hours=1)  # today's seated time goes to the store this often


class Clock(Protocol):
    speed: float

    def now(self) -> datetime:
        """The current local time, aware."""
        ...


class WallClock:
    """Local time, optionally sped up (the end-to-end test runs minutes in seconds)."""

    def __init__(self, zone: ZoneInfo, speed: float = 1.0) -> None:
        self.zone = zone
        self.speed = speed
        self._origin = datetime.now(zone)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=(time.monotonic() - self._started) * self.speed)


class Recorder(Protocol):
    """Keeps each record at once (hipflex.reminders.outbox) and sends it in the background."""

    def outcome(self, at: datetime, outcome: BreakOutcome) -> None: ...
    def day(self, totals: DayTotals) -> None: ...

    def send_soon(self) -> None:
        """Send what waits, unless a send is under way or the pause after a failure runs."""
        ...

    async def stop(self) -> None:
        """A last send of what waits; what still fails stays for the next start."""
        ...


class Launcher(Protocol):
    async def start_break(self) -> None: ...


class Prompter(Protocol):
    async def prompt(self, sitting_minutes: int, *, can_snooze: bool) -> Prompt:
        """The reminder's title, body and answers for this user now."""
        ...


class AppPrompter:
    """Each reminder's words and answers from hipflex's safety gate. When hipflex cannot be
    asked, the prompt it gave at start-up for that case: a walk, never a stretch."""

    def __init__(self, exchange: Exchange, fallbacks: Mapping[bool, Prompt]) -> None:
        self.exchange = exchange
        self.fallbacks = fallbacks  # by can_snooze

    async def prompt(self, sitting_minutes: int, *, can_snooze: bool) -> Prompt:
        try:
            (answer,) = await self.exchange.ask([AskBreakPrompt(sitting_minutes, can_snooze)])
        except ExchangeError as exc:
            log.warning("could not ask hipflex for the reminder (a walk only): %s", exc)
            return self.fallbacks[can_snooze]
        if isinstance(answer, Refused):
            log.warning("hipflex gave no reminder (a walk only): %s", answer.message)
            return self.fallbacks[can_snooze]
        if not isinstance(answer, Prompt):  # the decoder lets nothing else through
            return self.fallbacks[can_snooze]
        return answer


class TerminalLauncher:
    """Opens `hipflex break` in a terminal window when one can be found."""

    TERMINALS = ("x-terminal-emulator", "gnome-terminal", "konsole", "xfce4-terminal", "xterm")

    async def start_break(self) -> None:
        import shutil

        for name in self.TERMINALS:
            program = shutil.which(name)
            if program is not None:
                hipflex = [sys.executable, "-m", "hipflex", "break"]
                separator = ["--"] if name == "gnome-terminal" else ["-e"]
                await asyncio.create_subprocess_exec(program, *separator, *hipflex)
                return
        log.info("no terminal window to open: run `hipflex break` for the guided routine")


@dataclass
class StatusWriter:
    """The daemon's state for `hipflex remind status`, written atomically."""

    path: Path
    source: str
    notifier: str
    started_at: datetime

    def write(
        self, state: BreakState, now: datetime, policy: BreakPolicy, *, wakeups: int = 0
    ) -> None:
        today = state.today
        due = next_check(state, now, policy)
        data = {
            "pid": os.getpid(),
            "wakeups": wakeups,
            "started_at": self.started_at.isoformat(),
            "updated_at": now.isoformat(),
            "source": self.source,
            "notifier": self.notifier,
            "sitting_since": None
            if state.sitting_since is None
            else state.sitting_since.isoformat(),
            "next_break_at": None if due is None else due.isoformat(),
            "reminding": state.reminding,
            "today": None
            if today is None
            else {
                "day": today.day.isoformat(),
                "seated_minutes": round(today.seated_seconds / 60, 1),
                "breaks_done": today.breaks_done,
                "skipped": today.skipped,
                "snoozed": today.snoozed,
                "natural_breaks": today.natural_breaks,
            },
        }
        try:
            write_file(self.path, json.dumps(data, indent=2).encode("utf-8"))
        except HipflexError as exc:  # `remind status` shows an older state: no reason to stop
            log.error("status: %s", exc)


def resumed_state(path: Path, today: date) -> BreakState:
    """Today's totals from the status file of an earlier run, so a restart (or a crash)
    the same day keeps counting instead of starting again from zero."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        saved = data["today"]
        if saved is None or saved["day"] != today.isoformat():
            return BreakState()
        totals = DayTotals(
            day=today,
            seated_seconds=float(saved["seated_minutes"]) * 60,
            breaks_done=int(saved["breaks_done"]),
            skipped=int(saved["skipped"]),
            snoozed=int(saved["snoozed"]),
            natural_breaks=int(saved["natural_breaks"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return BreakState()
    return BreakState(today=totals)


@dataclass
class Loop:
    source: ActivitySource
    notifier: Notifier
    recorder: Recorder
    launcher: Launcher
    policy: BreakPolicy
    clock: Clock
    prompter: Prompter
    status: StatusWriter | None = None
    sample_seconds: float = SAMPLE_SECONDS
    wakeups: int = 0
    _showing: Prompt | None = field(default=None, init=False, repr=False)

    async def _remind(self, state: BreakState, now: datetime) -> BreakState:
        minutes = round(state.sitting_for(now).total_seconds() / 60)
        prompt = await self.prompter.prompt(minutes, can_snooze=can_snooze(state, self.policy))
        await self.notifier.show(prompt.title, prompt.body, prompt.labelled())
        self._showing = prompt
        return reminded(state)

    async def _handle(self, state: BreakState, reply: str, now: datetime) -> BreakState:
        prompt, self._showing = self._showing, None
        if prompt is None:  # withdrawn while the answer was on its way
            log.info("answer %s to no reminder: ignored", reply)
            return state
        action = prompt.action(reply)
        if action is None:  # dismissed or expired: ask again after a snooze's time if we can
            outcome = (
                BreakOutcome.SNOOZED if can_snooze(state, self.policy) else BreakOutcome.SKIPPED
            )
        else:
            outcome = action.outcome
        if outcome is BreakOutcome.SNOOZED and not can_snooze(state, self.policy):
            outcome = BreakOutcome.SKIPPED
        state = answer(state, outcome, now, self.policy)
        self.recorder.outcome(now, outcome)
        if action is not None and action.opens_routine:
            await self.launcher.start_break()
        log.info("break %s", outcome.value)
        return state

    async def run(self, stop: asyncio.Event, state: BreakState | None = None) -> BreakState:
        state = state or BreakState()
        answers: asyncio.Task[str] = asyncio.create_task(self.notifier.next_answer())
        stopping = asyncio.create_task(stop.wait())
        recorded_at: datetime | None = None
        try:
            while not stop.is_set():
                self.wakeups += 1
                now = self.clock.now()
                reading = await self.source.read()
                was_reminding = state.reminding
                state = observe_reading(
                    state,
                    now,
                    self.policy,
                    idle_seconds=reading.idle_seconds,
                    locked=reading.locked,
                    asleep=reading.asleep,
                    fullscreen=reading.fullscreen,
                )
                if was_reminding and not state.reminding:  # back from a natural break
                    self._showing = None
                    await self.notifier.withdraw()
                state, closed = take_finished_days(state)
                for totals in closed:
                    self.recorder.day(totals)
                if state.today is not None and (
                    recorded_at is None or now - recorded_at >= RECORD_EVERY
                ):
                    self.recorder.day(state.today)
                    recorded_at = now
                self.recorder.send_soon()  # a failed send is tried again at a later wake-up
                if break_due(state, now, self.policy):
                    state = await self._remind(state, now)
                if self.status is not None:
                    self.status.write(state, now, self.policy, wakeups=self.wakeups)
                due = next_check(state, now, self.policy)
                wait = self.sample_seconds
                # Only a due time ahead shortens the wait: one already passed without a
                # reminder (full screen, after hours, a quiet period) waits for the next
                # sample, or the loop would wake every second until it ends.
                if due is not None and due > now and not state.reminding:
                    wait = min(wait, max(1.0, (due - now).total_seconds()))
                changed = asyncio.create_task(self.source.wait_for_change(wait / self.clock.speed))
                await asyncio.wait(
                    {answers, changed, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                changed.cancel()
                if answers.done():
                    state = await self._handle(state, answers.result(), self.clock.now())
                    answers = asyncio.create_task(self.notifier.next_answer())
        finally:
            for task in (answers, stopping):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if state.today is not None:  # what was counted today is kept
                self.recorder.day(state.today)
            await self.recorder.stop()
        return state
