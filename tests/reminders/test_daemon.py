"""The reminder loop on simulated time, with a fake source, notifier and launcher, hipflex
behind a fake exchange (the real contract, the domain's prompts) and a real outbox file.

The simulation owns the clock: the loop's wait for a change blocks until the test moves the
clock to the wait's end (or pokes the source), so every sample lands on an exact simulated
time and nothing depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipflex.domain.breaks import BreakOutcome, BreakPolicy, BreakState, DayTotals, Quiet
from hipflex.domain.safety import ACTION_LABELS, REMINDER_TITLE, BreakAction, Screening
from hipflex.reminders.daemon import AppPrompter, Loop, StatusWriter, resumed_state
from hipflex.reminders.exchange import AskFallbackPrompt, Prompt, RecordBreak
from hipflex.reminders.install import STATUS_FILE
from hipflex.reminders.notifier import DISMISSED, EXPIRED, FakeNotifier, Shown
from hipflex.reminders.outbox import (
    OUTBOX_FILE,
    REFUSED_FILE,
    Outbox,
    OutboxRecorder,
)
from hipflex.reminders.sources import FakeSource, Reading, wait_event
from hipflex.services.reminder_exchange import HOW_TO_SCREEN
from tests.reminders.exchange_fakes import FakeExchange

ZONE = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 2)
TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)
MINUTE = 60.0
POLICY = BreakPolicy(interval_minutes=30)  # mon-fri, 09:00-17:00, natural break 3 min


def labelled(*actions: BreakAction) -> tuple[tuple[str, str], ...]:
    return tuple((action.value, ACTION_LABELS[action]) for action in actions)


ACTIONS_ALL = labelled(BreakAction.START, BreakAction.SNOOZE, BreakAction.SKIP)
START_SKIP = labelled(BreakAction.START, BreakAction.SKIP)
WALK_ACTIONS = labelled(BreakAction.DONE, BreakAction.SNOOZE, BreakAction.SKIP)
WALK_NO_SNOOZE = labelled(BreakAction.DONE, BreakAction.SKIP)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


class SimClock:
    """The simulation's clock: only the test moves it."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        self.at = start
        self.start = start
        self.speed = speed

    def now(self) -> datetime:
        return self.at

    def seconds(self) -> float:
        """Seconds since the start: the recorder's monotonic clock for its pauses."""
        return (self.at - self.start).total_seconds()


class SimSource(FakeSource):
    """Keyboard and mouse on simulated time: the user types (idle 0) until leave(), then the
    idle time grows with the clock. The flags of `reading` (locked, full screen, asleep)
    are the test's to set. A wait lasts until the simulation reaches its end or a poke."""

    def __init__(self, clock: SimClock) -> None:
        super().__init__(Reading(idle_seconds=0.0), name="simulated source")
        self.clock = clock
        self.away_since: datetime | None = None
        self.calls = 0
        self.deadline: tuple[int, datetime] | None = None  # (which wait, its simulated end)

    def leave(self) -> None:
        self.away_since = self.clock.at

    def come_back(self) -> None:
        self.away_since = None

    async def read(self) -> Reading:
        away = self.away_since
        idle = 0.0 if away is None else (self.clock.at - away).total_seconds()
        return replace(self.reading, idle_seconds=idle)

    async def wait_for_change(self, timeout: float) -> None:
        self.waits.append(timeout)
        self.calls += 1
        call = self.calls
        self.deadline = (call, self.clock.at + timedelta(seconds=timeout * self.clock.speed))
        try:
            await wait_event(self._changed, 3600)  # real seconds: the simulation pokes it
        finally:
            if self.deadline is not None and self.deadline[0] == call:
                self.deadline = None


class FakeLauncher:
    def __init__(self) -> None:
        self.started = 0

    async def start_break(self) -> None:
        self.started += 1


def fallbacks() -> dict[bool, Prompt]:
    """The prompts for when hipflex cannot be asked, as run.py asks for them at start-up."""

    async def ask() -> dict[bool, Prompt]:
        requests = [AskFallbackPrompt(can_snooze=True), AskFallbackPrompt(can_snooze=False)]
        with_snooze, without = await FakeExchange().ask(requests)
        assert isinstance(with_snooze, Prompt)
        assert isinstance(without, Prompt)
        return {True: with_snooze, False: without}

    return asyncio.run(ask())


FALLBACKS = fallbacks()


class Sim:
    """One loop on simulated time. Every step returns when the loop waits again."""

    def __init__(
        self,
        start: datetime,
        policy: BreakPolicy,
        *,
        folder: Path,
        exchange: FakeExchange,
        status: Path | None = None,
        state: BreakState | None = None,
        speed: float = 1.0,
        real_now: Callable[[], datetime] | None = None,
    ) -> None:
        self.clock = SimClock(start, speed)
        self.source = SimSource(self.clock)
        self.notifier = FakeNotifier()
        self.exchange = exchange
        self.folder = folder
        self.recorder = OutboxRecorder(
            Outbox(folder / OUTBOX_FILE),
            exchange,
            refused=folder / REFUSED_FILE,
            real_now=real_now or (lambda: self.clock.at + timedelta(days=365)),
            monotonic=self.clock.seconds,
        )
        self.launcher = FakeLauncher()
        writer = None if status is None else StatusWriter(status, self.source.name, "fake", start)
        self.loop = Loop(
            self.source,
            self.notifier,
            self.recorder,
            self.launcher,
            policy,
            self.clock,
            AppPrompter(exchange, FALLBACKS),
            writer,
        )
        self._stop = asyncio.Event()
        self._seen = 0
        self.task = asyncio.create_task(self.loop.run(self._stop, state))
        self.final: BreakState | None = None

    async def settle(self) -> None:
        for _ in range(1000):
            if self.task.done():
                self.task.result()  # the loop failed: raise its error
            if self.source.deadline is not None and self.source.deadline[0] > self._seen:
                self._seen = self.source.deadline[0]
                gate = self.exchange.records_gate
                if gate is None or gate.is_set():  # records sent so far have landed
                    await self.recorder.settle()
                return
            await asyncio.sleep(0)
        pytest.fail("the loop did not come back to waiting")

    async def advance(self, seconds: float) -> None:
        """Move the clock on, waking the loop at the end of each of its waits on the way."""
        target = self.clock.at + timedelta(seconds=seconds)
        while self.source.deadline is not None and self.source.deadline[1] <= target:
            self.clock.at = self.source.deadline[1]
            self.source.poke()
            await self.settle()
        self.clock.at = target

    async def until(self, moment: datetime) -> None:
        await self.advance((moment - self.clock.at).total_seconds())

    async def poke(self) -> None:
        self.source.poke()
        await self.settle()

    async def set(self, reading: Reading) -> None:
        """The desktop signals a change (lock, full screen, suspend)."""
        self.source.set(reading)
        await self.settle()

    async def answer(self, action: str) -> None:
        self.notifier.answer(action)
        await self.settle()

    async def stop(self) -> BreakState:
        self._stop.set()
        self.final = await asyncio.wait_for(self.task, 5)
        return self.final

    @property
    def shown(self) -> list[Shown]:
        return self.notifier.shown

    @property
    def outcomes(self) -> list[tuple[datetime, BreakOutcome]]:
        return self.exchange.breaks

    @property
    def days(self) -> list[tuple[date, float]]:
        return self.exchange.days


Script = Callable[[Sim], Awaitable[None]]


def simulate(
    start: datetime,
    script: Script,
    policy: BreakPolicy = POLICY,
    *,
    status: Path | None = None,
    state: BreakState | None = None,
    speed: float = 1.0,
    exchange: FakeExchange | None = None,
    folder: Path | None = None,
    real_now: Callable[[], datetime] | None = None,
) -> Sim:
    """Run the loop from start through the script, then stop it (as SIGTERM does)."""

    async def main(where: Path) -> Sim:
        sim = Sim(
            start,
            policy,
            folder=where,
            exchange=exchange or FakeExchange(),
            status=status,
            state=state,
            speed=speed,
            real_now=real_now,
        )
        await sim.settle()
        try:
            await script(sim)
        finally:
            if not sim.task.done():
                await sim.stop()
        return sim

    if folder is not None:
        return asyncio.run(main(folder))
    with tempfile.TemporaryDirectory(prefix="hipflex-sim-") as temporary:
        return asyncio.run(main(Path(temporary)))


def test_a_screened_users_reminder_is_the_domains_with_the_stretch() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))

    (shown,) = simulate(at(9), script).shown
    assert shown.title == REMINDER_TITLE
    assert shown.actions == ACTIONS_ALL
    assert shown.body == (
        "You have been sitting for 30 minutes. Stand up, walk a little, and do the standing "
        "quad and hip flexor stretch for 30 seconds on each side."
    )


def test_a_reminder_with_three_actions_after_the_interval_of_activity() -> None:
    async def script(sim: Sim) -> None:
        await sim.advance(30 * MINUTE - 1)
        assert sim.shown == []
        await sim.advance(1)
        assert len(sim.shown) == 1

    sim = simulate(at(9), script)
    (shown,) = sim.shown
    assert shown.title == REMINDER_TITLE
    assert shown.actions == ACTIONS_ALL
    assert shown.body.startswith("You have been sitting for 30 minutes.")
    assert sim.outcomes == []


def test_snooze_rearms_five_minutes_later_twice_then_only_start_and_skip() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 31))
        await sim.answer("snooze")
        await sim.advance(5 * MINUTE - 1)
        assert len(sim.shown) == 1
        await sim.advance(1)
        assert len(sim.shown) == 2  # 09:36
        await sim.answer("snooze")
        await sim.advance(5 * MINUTE)
        assert len(sim.shown) == 3  # 09:41
        await sim.answer(DISMISSED)  # no snooze left: a dismissal is a skip
        await sim.until(at(10, 11) - timedelta(seconds=1))
        assert len(sim.shown) == 3
        await sim.advance(1)
        assert len(sim.shown) == 4

    sim = simulate(at(9), script)
    assert [shown.actions for shown in sim.shown] == [
        ACTIONS_ALL,
        ACTIONS_ALL,  # the second snooze is still offered
        START_SKIP,  # the third is not
        ACTIONS_ALL,  # a new reminder after a skip: snoozes again
    ]
    assert sim.outcomes == [
        (at(9, 31), BreakOutcome.SNOOZED),
        (at(9, 36), BreakOutcome.SNOOZED),
        (at(9, 41), BreakOutcome.SKIPPED),
    ]
    assert sim.shown[2].body.startswith("You have been sitting for 41 minutes.")


def test_an_answer_of_snooze_when_none_is_left_is_a_skip() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("snooze")
        await sim.until(at(9, 35))
        await sim.answer("snooze")
        await sim.until(at(9, 40))
        assert sim.shown[-1].actions == START_SKIP
        await sim.answer("snooze")  # a stale button, or a terminal typing it anyway

    sim = simulate(at(9), script)
    assert [outcome for _, outcome in sim.outcomes] == [
        BreakOutcome.SNOOZED,
        BreakOutcome.SNOOZED,
        BreakOutcome.SKIPPED,
    ]


def test_start_records_done_and_opens_the_routine() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 31))
        await sim.answer("start")
        assert sim.launcher.started == 1
        await sim.until(at(10, 1) - timedelta(seconds=1))
        assert len(sim.shown) == 1  # the count started again after the break
        await sim.advance(1)
        assert len(sim.shown) == 2

    sim = simulate(at(9), script)
    assert sim.outcomes == [(at(9, 31), BreakOutcome.DONE)]
    assert sim.final is not None
    assert sim.final.today is not None
    assert (sim.final.today.breaks_done, sim.final.today.skipped) == (1, 0)


def test_skip_records_skipped_and_waits_a_whole_interval() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 31))
        await sim.answer("skip")
        await sim.until(at(10, 1) - timedelta(seconds=1))
        assert len(sim.shown) == 1
        await sim.advance(1)
        assert len(sim.shown) == 2

    sim = simulate(at(9), script)
    assert sim.outcomes == [(at(9, 31), BreakOutcome.SKIPPED)]
    assert sim.launcher.started == 0


@pytest.mark.parametrize("closed", [DISMISSED, EXPIRED])
def test_a_reminder_closed_without_an_action_is_a_snooze_while_snoozes_are_left(
    closed: str,
) -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer(closed)
        await sim.until(at(9, 35))

    sim = simulate(at(9), script)
    assert sim.outcomes == [(at(9, 30), BreakOutcome.SNOOZED)]
    assert [shown.actions for shown in sim.shown] == [ACTIONS_ALL, ACTIONS_ALL]


@pytest.mark.parametrize("away", [Reading(0.0, locked=True), Reading(0.0, asleep=True)])
def test_a_locked_or_sleeping_computer_resets_the_sitting_time(away: Reading) -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 20))
        await sim.set(away)
        await sim.until(at(9, 25))
        await sim.set(Reading(0.0))  # unlocked, or resumed, and typing again
        await sim.until(at(9, 55) - timedelta(seconds=1))
        assert sim.shown == []
        await sim.advance(1)
        assert len(sim.shown) == 1

    sim = simulate(at(9), script)
    assert sim.shown[0].body.startswith("You have been sitting for 30 minutes.")


def test_a_short_lock_is_not_a_break() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 20))
        await sim.set(Reading(0.0, locked=True))
        await sim.until(at(9, 22))  # shorter than the natural break (3 minutes)
        await sim.set(Reading(0.0))
        await sim.until(at(9, 30))

    sim = simulate(at(9), script)
    assert len(sim.shown) == 1


def test_a_suspend_gap_counts_as_away() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 20))
        sim.clock.at = at(10, 20)  # suspended for an hour: no samples at all
        await sim.poke()  # resumed: the wait's timer fires late
        assert sim.shown == []
        await sim.until(at(10, 50))
        assert len(sim.shown) == 1

    sim = simulate(at(9), script)
    assert sim.final is not None
    assert sim.final.today is not None
    assert sim.final.today.natural_breaks == 1
    assert sim.final.today.seated_seconds == (20 + 30) * MINUTE


def test_going_away_is_a_natural_break() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 20))
        sim.source.leave()
        await sim.until(at(9, 24))
        sim.source.come_back()
        await sim.poke()
        await sim.until(at(9, 54) - timedelta(seconds=1))
        assert sim.shown == []
        await sim.advance(1)
        assert len(sim.shown) == 1

    simulate(at(9), script)


def test_a_reminder_left_unanswered_is_withdrawn_after_a_natural_break() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 31))
        sim.source.leave()  # stood up without answering
        await sim.until(at(9, 40))
        assert sim.notifier.withdrawn == 0
        sim.source.come_back()
        await sim.poke()
        assert sim.notifier.withdrawn == 1
        await sim.until(at(10, 10))

    sim = simulate(at(9), script)
    assert len(sim.shown) == 2  # the next one a whole interval after coming back
    assert sim.outcomes == []


def test_a_full_screen_window_holds_the_reminder_until_it_ends() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 20))
        await sim.set(Reading(0.0, fullscreen=True))  # a video call
        await sim.until(at(9, 31))
        woken = sim.loop.wakeups
        await sim.until(at(10, 31))
        assert sim.shown == []
        # Past the due time the loop does not poll: one look per sample interval.
        assert sim.loop.wakeups - woken <= 61
        sim.source.reading = Reading(0.0)  # left full screen: X11 sends no event for it
        await sim.advance(MINUTE)
        assert len(sim.shown) == 1

    sim = simulate(at(9), script)
    assert sim.shown[0].body.startswith("You have been sitting for 92 minutes.")


def test_outside_work_hours_nothing_and_the_loop_keeps_to_one_look_a_minute() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(19))
        assert sim.loop.wakeups <= 2 * 60 + 1

    sim = simulate(at(17), script)
    assert sim.shown == []


def test_not_on_a_day_off() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(12, day=SATURDAY))

    assert simulate(at(10, day=SATURDAY), script).shown == []


def test_sitting_before_work_hours_is_reminded_when_they_start() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9) - timedelta(seconds=1))
        assert sim.shown == []
        await sim.advance(1)
        assert len(sim.shown) == 1

    sim = simulate(at(8), script)
    assert sim.shown[0].body.startswith("You have been sitting for 60 minutes.")


def test_no_reminder_in_a_quiet_period() -> None:
    lunch = replace(POLICY, quiet=(Quiet(time(12), time(13)),))

    async def script(sim: Sim) -> None:
        await sim.until(at(13) - timedelta(seconds=1))
        assert sim.shown == []
        await sim.advance(1)
        assert len(sim.shown) == 1

    simulate(at(11, 45), script, lunch)


def test_the_day_rollover_records_the_finished_days_seated_hours_and_stop_records_today() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(0, 15, TUESDAY))
        assert sim.days[-1][0] == MONDAY  # closed at the first sample of Tuesday

    sim = simulate(at(22, 30), script)
    monday = [hours for day, hours in sim.days if day == MONDAY]
    assert monday[0] == 0  # recorded at the start
    assert monday[1] == 1  # and every hour
    # Closed at the first sample after midnight; the last sample interval before midnight
    # counts for neither day (the policy counts seated time from the last active sample).
    assert 89 / 60 <= monday[-1] <= 1.5
    assert sim.days[-1] == (TUESDAY, 0.25)


def test_seated_time_is_recorded_every_hour_and_on_stop() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(11, 30))

    sim = simulate(at(9), script)
    assert [hours for _, hours in sim.days] == [0, 1, 2, 2.5]


def test_the_status_file_has_the_next_break_todays_counts_and_the_source(
    tmp_path: Path,
) -> None:
    path = tmp_path / STATUS_FILE
    seen: list[dict[str, object]] = []

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 10))
        seen.append(json.loads(path.read_text()))
        await sim.until(at(9, 31))
        await sim.answer("snooze")
        seen.append(json.loads(path.read_text()))

    simulate(at(9), script, status=path)
    first, snoozed = seen
    assert first["source"] == "simulated source"
    assert first["notifier"] == "fake"
    assert first["next_break_at"] == at(9, 30).isoformat()
    assert first["sitting_since"] == at(9).isoformat()
    assert first["updated_at"] == at(9, 10).isoformat()
    assert first["reminding"] is False
    assert first["wakeups"] == 11  # 09:00, 09:01, ... 09:10
    assert first["today"] == {
        "day": "2026-11-02",
        "seated_minutes": 10.0,
        "breaks_done": 0,
        "skipped": 0,
        "snoozed": 0,
        "natural_breaks": 0,
    }
    assert snoozed["next_break_at"] == at(9, 36).isoformat()
    assert isinstance(snoozed["today"], dict)
    assert snoozed["today"]["snoozed"] == 1
    assert not list(tmp_path.glob(".*partial"))  # written whole, then renamed


def _saved_status(path: Path, day: date) -> None:
    today = {
        "day": day.isoformat(),
        "seated_minutes": 95.5,
        "breaks_done": 2,
        "skipped": 1,
        "snoozed": 3,
        "natural_breaks": 4,
    }
    path.write_text(json.dumps({"pid": 1, "today": today}))


def test_resumed_state_restores_todays_counts_from_the_same_day(tmp_path: Path) -> None:
    path = tmp_path / STATUS_FILE
    _saved_status(path, MONDAY)
    assert resumed_state(path, MONDAY) == BreakState(
        today=DayTotals(
            MONDAY,
            seated_seconds=95.5 * 60,
            breaks_done=2,
            skipped=1,
            snoozed=3,
            natural_breaks=4,
        )
    )
    assert resumed_state(path, TUESDAY) == BreakState()  # another day's: ignored


@pytest.mark.parametrize(
    "text", ["", "not json", "[]", '{"today": null}', '{"today": {"day": "2026-11-02"}}']
)
def test_resumed_state_ignores_a_broken_status_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / STATUS_FILE
    path.write_text(text)
    assert resumed_state(path, MONDAY) == BreakState()
    assert resumed_state(tmp_path / "missing.json", MONDAY) == BreakState()


def test_a_restarted_loop_keeps_counting_from_the_status_file(tmp_path: Path) -> None:
    path = tmp_path / STATUS_FILE
    _saved_status(path, MONDAY)

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("skip")

    sim = simulate(at(9), script, status=path, state=resumed_state(path, MONDAY))
    saved = json.loads(path.read_text())["today"]
    assert (saved["skipped"], saved["breaks_done"], saved["snoozed"]) == (2, 2, 3)
    assert saved["seated_minutes"] == 95.5 + 30
    assert sim.days[-1] == (MONDAY, (95.5 + 30) / 60)


def test_idle_the_loop_wakes_at_most_once_a_sample_interval() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 10))
        sim.source.leave()
        await sim.until(at(9, 20))  # away for good: a natural break
        woken, waits = sim.loop.wakeups, len(sim.source.waits)
        await sim.until(at(10, 20))
        assert 59 <= sim.loop.wakeups - woken <= 61
        assert set(sim.source.waits[waits:]) == {MINUTE}

    sim = simulate(at(9), script)
    assert sim.shown == []


def test_a_slow_record_delays_no_sample_and_records_stay_in_order() -> None:
    async def script(sim: Sim) -> None:
        sim.exchange.records_gate = gate = asyncio.Event()
        await sim.until(at(9, 30))
        await sim.answer("snooze")
        await sim.until(at(9, 35))
        assert len(sim.shown) == 2  # re-armed on time while the snooze is still recording
        await sim.answer("skip")
        assert sim.outcomes == []
        gate.set()
        await sim.stop()  # waits for the records still under way
        assert sim.outcomes == [
            (at(9, 30), BreakOutcome.SNOOZED),
            (at(9, 35), BreakOutcome.SKIPPED),
        ]
        assert sim.days[-1] == (MONDAY, 35 * MINUTE / 3600)

    simulate(at(9), script)


def test_waits_are_divided_by_the_clocks_speed() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))

    sim = simulate(at(9), script, speed=120)
    assert sim.source.waits[0] == pytest.approx(0.5)  # one simulated minute
    assert sim.loop.wakeups == 31
    assert len(sim.shown) == 1


# The safety gate decides the words and the answers (PROTOCOL.md 2.5 and 4)


def test_a_red_flag_gets_a_walk_and_done_records_a_break_without_the_routine() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("done")
        await sim.until(at(10, 0) - timedelta(seconds=1))
        assert len(sim.shown) == 1  # the count starts again after the break
        await sim.advance(1)
        assert len(sim.shown) == 2

    sim = simulate(at(9), script, exchange=FakeExchange(Screening.RED_FLAG))
    first = sim.shown[0]
    assert first.actions == WALK_ACTIONS
    assert first.body == (
        "You have been sitting for 30 minutes. Stand up and walk a little, if it is "
        "comfortable. Please have your back checked by a doctor or physiotherapist before "
        "you do any stretches or exercises."
    )
    assert "stretch for" not in first.body
    assert sim.launcher.started == 0
    assert sim.outcomes == [(at(9, 30), BreakOutcome.DONE)]
    assert sim.final is not None
    assert sim.final.today is not None
    assert sim.final.today.breaks_done == 1


def test_never_screened_is_told_how_to_answer_the_safety_questions_and_snoozes_run_out() -> None:
    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("snooze")
        await sim.until(at(9, 35))
        await sim.answer("snooze")
        await sim.until(at(9, 40))
        await sim.answer("start")  # not offered: as good as closing it, with no snooze left

    sim = simulate(at(9), script, exchange=FakeExchange(Screening.UNSCREENED))
    assert [shown.actions for shown in sim.shown] == [WALK_ACTIONS, WALK_ACTIONS, WALK_NO_SNOOZE]
    assert all(shown.body.endswith(HOW_TO_SCREEN) for shown in sim.shown)
    assert "stretch for" not in sim.shown[0].body
    assert [outcome for _, outcome in sim.outcomes] == [
        BreakOutcome.SNOOZED,
        BreakOutcome.SNOOZED,
        BreakOutcome.SKIPPED,
    ]
    assert sim.launcher.started == 0


def test_when_hipflex_cannot_be_asked_the_reminder_offers_a_walk_never_a_stretch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="hipflex.reminders")

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 29))
        sim.exchange.failing = True
        await sim.until(at(9, 30))
        assert sim.shown[-1].actions == WALK_ACTIONS
        await sim.answer("done")
        sim.exchange.failing = False
        await sim.until(at(9, 45))

    sim = simulate(at(9), script, exchange=FakeExchange(Screening.CLEAR))
    (shown,) = sim.shown
    assert (shown.title, shown.body) == (FALLBACKS[True].title, FALLBACKS[True].body)
    assert "stretch" not in shown.body
    assert sim.launcher.started == 0
    assert sim.outcomes == [(at(9, 30), BreakOutcome.DONE)]  # sent again once it could be
    assert "could not ask hipflex for the reminder (a walk only): hipflex: error:" in caplog.text


def test_a_reminder_hipflex_refuses_to_word_is_a_walk_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exchange = FakeExchange(Screening.CLEAR)
    exchange.prompt_refusal = "unknown time zone 'Mars/Olympus'"

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))

    (shown,) = simulate(at(9), script, exchange=exchange).shown
    assert (shown.body, shown.actions) == (FALLBACKS[True].body, WALK_ACTIONS)
    assert "hipflex gave no reminder (a walk only): unknown time zone 'Mars/Olympus'" in (
        caplog.text
    )


# Nothing lost: the outbox


def test_a_failed_record_is_tried_again_with_growing_pauses_and_lands_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hipflex.reminders")
    exchange = FakeExchange()
    exchange.failing = True

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 10))
        # Tries at 09:00 (then a 2 s pause), 09:01 (4 s), 09:02 (8 s), 09:03 (16 s),
        # 09:04 (32 s), 09:05 (64 s: not at 09:06), 09:07 (128 s), 09:10 (256 s).
        assert exchange.failures == 8
        assert sim.days == []
        exchange.failing = False
        await sim.until(at(9, 14))
        assert sim.days == []  # still in the pause
        await sim.until(at(9, 15))
        assert sim.days == [(MONDAY, 0.0)]

    sim = simulate(at(9), script, exchange=exchange, folder=tmp_path)
    assert sim.days[0] == (MONDAY, 0.0)
    assert len(sim.days) == 2  # and today's at the stop
    assert "could not record 1 record(s) yet (try 1; again in 2 s): hipflex: error:" in caplog.text
    assert "(try 8; again in 256 s)" in caplog.text
    assert "recorded 1 record(s) after 8 failed tries" in caplog.text
    assert not (tmp_path / OUTBOX_FILE).read_text()


def test_records_that_cannot_be_sent_by_the_stop_land_at_the_next_start(tmp_path: Path) -> None:
    exchange = FakeExchange()
    exchange.failing = True
    outbox = tmp_path / OUTBOX_FILE

    async def before(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("skip")
        kept = [json.loads(line) for line in outbox.read_text().splitlines()]
        assert [record["kind"] for record in kept] == ["record_sitting", "record_break"]
        assert kept[1]["outcome"] == "skipped"
        assert kept[1]["at"] == at(9, 30).isoformat()

    simulate(at(9), before, exchange=exchange, folder=tmp_path)
    assert exchange.breaks == []
    assert len(outbox.read_text().splitlines()) == 3  # and today's seated time at the stop

    exchange.failing = False

    async def after(sim: Sim) -> None:
        assert sim.outcomes == [(at(9, 30), BreakOutcome.SKIPPED)]  # at the first wake-up

    simulate(at(9, 40), after, exchange=exchange, folder=tmp_path)
    assert exchange.days[:2] == [(MONDAY, 0.0), (MONDAY, 0.5)]
    assert not outbox.read_text()


def test_a_record_sent_again_after_a_lost_answer_lands_once(tmp_path: Path) -> None:
    exchange = FakeExchange()
    outbox = tmp_path / OUTBOX_FILE

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("skip")

    sim = simulate(at(9), script, exchange=exchange, folder=tmp_path)
    assert sim.outcomes == [(at(9, 30), BreakOutcome.SKIPPED)]
    # The daemon died before it heard hipflex confirm: the record is still in the outbox.
    sent = [request for batch in exchange.asked for request in batch]
    skipped = next(request for request in sent if isinstance(request, RecordBreak))
    Outbox(outbox).add(skipped)

    async def again(sim: Sim) -> None:
        await sim.until(at(9, 41))

    simulate(at(9, 40), again, exchange=exchange, folder=tmp_path)
    assert exchange.breaks == [(at(9, 30), BreakOutcome.SKIPPED)]
    assert exchange.duplicates == 1
    assert not outbox.read_text()


def test_a_record_refused_for_good_is_set_aside_not_sent_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    exchange = FakeExchange()

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 29))
        exchange.refuse = {"refuse-me"}
        sim.recorder.new_id = lambda: "refuse-me"
        await sim.until(at(9, 30))
        await sim.answer("skip")
        sim.recorder.new_id = lambda: "fine"
        await sim.until(at(9, 45))

    simulate(at(9), script, exchange=exchange, folder=tmp_path)
    assert exchange.breaks == []
    (aside,) = (tmp_path / REFUSED_FILE).read_text().splitlines()
    assert json.loads(aside) == {
        "kind": "record_break",
        "id": "refuse-me",
        "at": at(9, 30).isoformat(),
        "outcome": "skipped",
        "refused": "refused",
    }
    sent = [request for batch in exchange.asked for request in batch]
    assert sum(getattr(request, "id", None) == "refuse-me" for request in sent) == 1
    assert "hipflex refused record refuse-me for good: refused" in caplog.text


def test_records_are_never_later_than_the_real_time() -> None:
    """The end-to-end test's clock runs ahead; hipflex refuses the future."""
    real = at(9, 10)

    async def script(sim: Sim) -> None:
        await sim.until(at(9, 30))
        await sim.answer("skip")

    sim = simulate(at(9), script, real_now=lambda: real, speed=300)
    assert sim.outcomes == [(real, BreakOutcome.SKIPPED)]
