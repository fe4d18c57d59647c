"""The reminder loop: read the activity source, apply the break policy, remind, record.

It wakes on an answer, on a change the desktop signals, at the next time a break could
fall due, or at the latest after one sample interval; it never busy-polls. To keep its
memory small it does not load the store: answers and daily seated time are recorded by
short-lived `hipflex log ...` processes (the same write path as everything else).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol
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
from hipflex.reminders.notifier import Notifier
from hipflex.reminders.sources import ActivitySource

log = logging.getLogger("hipflex.reminders")

SAMPLE_SECONDS = 60.0  # at most one wake-up a minute while nothing happens
RECORD_EVERY = timedelta(hours=1)  # today's seated time goes to the store this often
TITLE = "Time to move"
ACTIONS_ALL = (("start", "Start the break routine"), ("snooze", "Snooze 5 min"), ("skip", "Skip"))


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
    async def outcome(self, at: datetime, outcome: BreakOutcome) -> None: ...
    async def day(self, totals: DayTotals) -> None: ...


class Launcher(Protocol):
    async def start_break(self) -> None: ...


class CliRecorder:
    """Records through `hipflex log ...` in a child process: the daemon stays small.

    Times go as `YYYY-MM-DD HH:MM` in the user's zone (what `--when` reads), never later
    than the real time: `hipflex log` refuses the future, and a sped-up clock runs ahead.
    """

    def __init__(self, command: Sequence[str] | None = None, zone: tzinfo | None = None) -> None:
        self.command = list(command or [sys.executable, "-m", "hipflex"])
        self.zone = zone

    def _real_now(self) -> datetime:
        return datetime.now(self.zone) if self.zone is not None else datetime.now(UTC).astimezone()

    async def _run(self, *args: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self.command,
            *args,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, error = await process.communicate()
        if process.returncode:
            log.warning("could not record (%s): %s", " ".join(args), error.decode().strip())

    async def outcome(self, at: datetime, outcome: BreakOutcome) -> None:
        when = min(at, self._real_now().astimezone(at.tzinfo))
        await self._run("log", "break", outcome.value, "--when", f"{when:%Y-%m-%d %H:%M}")

    async def day(self, totals: DayTotals) -> None:
        hours = f"{min(24.0, totals.seated_hours):.2f}"
        day = min(totals.day, self._real_now().date())
        await self._run("log", "sitting", hours, "--date", day.isoformat(), "--measured")


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
        partial = self.path.with_name(f".{self.path.name}.partial")
        partial.write_text(json.dumps(data, indent=2), encoding="utf-8")
        partial.replace(self.path)


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


def reminder_body(state: BreakState, now: datetime) -> str:
    minutes = round(state.sitting_for(now).total_seconds() / 60)
    return (
        f"You have been sitting for {minutes} minutes. Stand up, walk a little, and do the "
        "standing hip flexor stretch for 30 seconds on each side."
    )


@dataclass
class Loop:
    source: ActivitySource
    notifier: Notifier
    recorder: Recorder
    launcher: Launcher
    policy: BreakPolicy
    clock: Clock
    status: StatusWriter | None = None
    sample_seconds: float = SAMPLE_SECONDS
    wakeups: int = 0
    _recording: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    def _record(self, work: Coroutine[Any, Any, None]) -> None:
        """Record in the background, one record after the other (in order), so the loop never
        waits on the store: a slow `hipflex log` delays no sample and no answer."""
        previous = self._recording

        async def after_previous() -> None:
            if previous is not None:
                await previous
            try:
                await work
            except Exception:
                log.exception("could not record")

        self._recording = asyncio.create_task(after_previous())

    async def _recorded(self) -> None:
        """Wait for every record started so far."""
        if self._recording is not None:
            await self._recording

    async def _handle(self, state: BreakState, reply: str, now: datetime) -> BreakState:
        outcome = {
            "start": BreakOutcome.DONE,
            "snooze": BreakOutcome.SNOOZED,
            "skip": BreakOutcome.SKIPPED,
        }.get(reply)
        if outcome is None:  # dismissed or expired: ask again after a snooze's time if we can
            outcome = (
                BreakOutcome.SNOOZED if can_snooze(state, self.policy) else BreakOutcome.SKIPPED
            )
        if outcome is BreakOutcome.SNOOZED and not can_snooze(state, self.policy):
            outcome = BreakOutcome.SKIPPED
        state = answer(state, outcome, now, self.policy)
        self._record(self.recorder.outcome(now, outcome))
        if reply == "start":
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
                    await self.notifier.withdraw()
                state, closed = take_finished_days(state)
                for totals in closed:
                    self._record(self.recorder.day(totals))
                if state.today is not None and (
                    recorded_at is None or now - recorded_at >= RECORD_EVERY
                ):
                    self._record(self.recorder.day(state.today))
                    recorded_at = now
                if break_due(state, now, self.policy):
                    actions = [
                        a for a in ACTIONS_ALL if a[0] != "snooze" or can_snooze(state, self.policy)
                    ]
                    await self.notifier.show(TITLE, reminder_body(state, now), actions)
                    state = reminded(state)
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
                self._record(self.recorder.day(state.today))
            await self._recorded()
        return state
