"""Break policy: activity samples -> continuous sitting, break due, natural breaks, snooze.

Pure: time comes in with each sample or call. PROTOCOL.md 3.4: stand up and walk every
30-45 minutes. Being away long enough (default 3 minutes) is a natural break.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from hipflex.domain.errors import BadInput
from hipflex.domain.limits import BREAK_MINUTES_RANGE
from hipflex.domain.preferences import WEEKDAYS, Weekday

NATURAL_BREAK_MINUTES = 3.0
SNOOZE_MINUTES = 5.0
MAX_SNOOZES_IN_A_ROW = 2

#: The desktop reminder's status file in the data folder, rewritten (atomically) at every
#: wake-up, at least once a minute: its heartbeat. The web app reads it so it does not
#: remind a second time while the desktop reminder runs.
DAEMON_STATUS_FILE = "remind-status.json"
#: A status older than this is from a reminder that has stopped (three missed wake-ups).
HEARTBEAT_STALE_MINUTES = 3


class Activity(StrEnum):
    ACTIVE = "active"  # keyboard or mouse in use
    IDLE = "idle"  # no input for a while, screen on
    LOCKED = "locked"
    ASLEEP = "asleep"  # suspended


@dataclass(frozen=True)
class Quiet:
    """A daily quiet period (lunch, a standing meeting) with no reminders."""

    start: time
    end: time

    def covers(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class BreakPolicy:
    interval_minutes: int = 40
    natural_break_minutes: float = NATURAL_BREAK_MINUTES
    snooze_minutes: float = SNOOZE_MINUTES
    max_snoozes: int = MAX_SNOOZES_IN_A_ROW
    work_days: frozenset[Weekday] = WEEKDAYS
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    quiet: tuple[Quiet, ...] = ()

    def __post_init__(self) -> None:
        low, high = BREAK_MINUTES_RANGE
        if not low <= self.interval_minutes <= high:
            msg = f"the break interval must be from {low} to {high} minutes"
            raise BadInput(msg)
        if not 0 < self.natural_break_minutes < self.interval_minutes:
            msg = "a natural break must be longer than 0 and shorter than the interval"
            raise BadInput(msg)

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)

    @property
    def natural_break(self) -> timedelta:
        return timedelta(minutes=self.natural_break_minutes)

    def reminding_at(self, local: datetime) -> bool:
        """Inside work hours on a work day and outside every quiet period."""
        moment = local.time()
        return (
            Weekday(local.weekday()) in self.work_days
            and self.work_start <= moment < self.work_end
            and not any(q.covers(moment) for q in self.quiet)
        )


class BreakOutcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


@dataclass(frozen=True)
class DayTotals:
    day: date
    seated_seconds: float = 0.0
    breaks_done: int = 0
    skipped: int = 0
    snoozed: int = 0
    natural_breaks: int = 0

    @property
    def seated_hours(self) -> float:
        return self.seated_seconds / 3600


@dataclass(frozen=True)
class BreakState:
    """What the policy remembers between samples. Times are the user's local, aware."""

    last_sample: datetime | None = None
    last_active: datetime | None = None
    sitting_since: datetime | None = None  # None: away, or not at the computer yet
    snoozed_until: datetime | None = None
    snoozes_in_row: int = 0
    reminding: bool = False  # a reminder is showing and not answered yet
    dnd: bool = False  # do not disturb: locked, full screen or presenting
    today: DayTotals | None = None
    finished_days: tuple[DayTotals, ...] = field(default=())

    def sitting_for(self, now: datetime) -> timedelta:
        return (
            timedelta(0)
            if self.sitting_since is None
            else max(timedelta(0), now - self.sitting_since)
        )


def _totals(state: BreakState, day: date) -> tuple[DayTotals, tuple[DayTotals, ...]]:
    """Today's totals, closing the previous day's at the first sample of a new day."""
    if state.today is None:
        return DayTotals(day), state.finished_days
    if state.today.day == day:
        return state.today, state.finished_days
    return DayTotals(day), (*state.finished_days, state.today)


def observe(
    state: BreakState,
    at: datetime,
    activity: Activity,
    policy: BreakPolicy,
    *,
    dnd: bool = False,
) -> BreakState:
    """One activity sample. Seated time counts between active samples closer together than
    the natural-break threshold; a longer gap (asleep, or no samples) is time away."""
    if state.last_sample is not None and at < state.last_sample:
        return state  # a clock stepping backwards: ignore the sample
    today, finished = _totals(state, at.date())
    sitting_since = state.sitting_since
    last_active = state.last_active
    away_for = None if last_active is None else at - last_active
    gap = None if state.last_sample is None else (at - state.last_sample).total_seconds()
    natural = away_for is not None and away_for >= policy.natural_break
    if activity is Activity.ACTIVE:
        if sitting_since is None or natural:
            if natural and sitting_since is not None:
                today = replace(today, natural_breaks=today.natural_breaks + 1)
            sitting_since = at
        elif gap is not None and gap < policy.natural_break.total_seconds() and last_active:
            seated = (
                at - max(last_active, datetime.combine(at.date(), time(0), at.tzinfo))
            ).total_seconds()
            today = replace(today, seated_seconds=today.seated_seconds + max(0.0, seated))
        last_active = at
    elif activity in (Activity.LOCKED, Activity.ASLEEP) or natural:
        if natural and sitting_since is not None:
            today = replace(today, natural_breaks=today.natural_breaks + 1)
            sitting_since = None
        if activity is Activity.ASLEEP:
            sitting_since = None
    fresh = sitting_since != state.sitting_since and sitting_since is not None
    return replace(
        state,
        last_sample=at,
        last_active=last_active,
        sitting_since=sitting_since,
        snoozes_in_row=0 if fresh else state.snoozes_in_row,
        snoozed_until=None if fresh else state.snoozed_until,
        reminding=False if fresh else state.reminding,
        dnd=dnd or activity is Activity.LOCKED,
        today=today,
        finished_days=finished,
    )


def break_due(state: BreakState, now: datetime, policy: BreakPolicy) -> bool:
    """Remind now? Only when sitting at least the interval, in reminding hours, not in do
    not disturb, not snoozed, and not already reminding."""
    if state.sitting_since is None or state.reminding or state.dnd:
        return False
    if state.snoozed_until is not None and now < state.snoozed_until:
        return False
    return policy.reminding_at(now) and state.sitting_for(now) >= policy.interval


def next_check(state: BreakState, now: datetime, policy: BreakPolicy) -> datetime | None:
    """When a break could next fall due, so a daemon sleeps until then, not polls."""
    if state.sitting_since is None:
        return None
    candidates = [state.sitting_since + policy.interval]
    if state.snoozed_until is not None:
        candidates.append(state.snoozed_until)
    return max(now, *candidates)


def reminded(state: BreakState) -> BreakState:
    return replace(state, reminding=True)


def can_snooze(state: BreakState, policy: BreakPolicy) -> bool:
    return state.snoozes_in_row < policy.max_snoozes


def answer(
    state: BreakState, outcome: BreakOutcome, now: datetime, policy: BreakPolicy
) -> BreakState:
    """The user's answer to a reminder: done (a break), skipped, or snoozed 5 minutes
    (at most twice in a row)."""
    today, finished = _totals(state, now.date())
    if outcome is BreakOutcome.SNOOZED:
        if not can_snooze(state, policy):
            msg = f"you can snooze at most {policy.max_snoozes} times in a row"
            raise BadInput(msg)
        return replace(
            state,
            reminding=False,
            snoozed_until=now + timedelta(minutes=policy.snooze_minutes),
            snoozes_in_row=state.snoozes_in_row + 1,
            today=replace(today, snoozed=today.snoozed + 1),
            finished_days=finished,
        )
    if outcome is BreakOutcome.DONE:
        totals = replace(today, breaks_done=today.breaks_done + 1)
        # The break resets the count; sitting starts again at the next keypress.
        return replace(
            state,
            reminding=False,
            sitting_since=None,
            snoozed_until=None,
            snoozes_in_row=0,
            today=totals,
            finished_days=finished,
        )
    return replace(
        state,
        reminding=False,
        sitting_since=now,  # skipped: another full interval before the next reminder
        snoozed_until=None,
        snoozes_in_row=0,
        today=replace(today, skipped=today.skipped + 1),
        finished_days=finished,
    )


def take_finished_days(state: BreakState) -> tuple[BreakState, tuple[DayTotals, ...]]:
    """Hand over the closed days (for the store's measured sitting hours)."""
    return replace(state, finished_days=()), state.finished_days


def observe_reading(
    state: BreakState,
    now: datetime,
    policy: BreakPolicy,
    *,
    idle_seconds: float | None,
    locked: bool = False,
    asleep: bool = False,
    fullscreen: bool = False,
) -> BreakState:
    """A reading from an activity source ("idle for N seconds") as samples: the last input
    as an active sample, then `now`. Without idle information (a plain timer) the user is
    taken to be at the computer during the day."""
    if asleep:
        return observe(state, now, Activity.ASLEEP, policy)
    if locked:
        return observe(state, now, Activity.LOCKED, policy, dnd=True)
    if idle_seconds is None:
        return observe(state, now, Activity.ACTIVE, policy, dnd=fullscreen)
    last_input = now - timedelta(seconds=max(0.0, idle_seconds))
    if state.last_active is None or last_input > state.last_active:
        state = observe(state, last_input, Activity.ACTIVE, policy, dnd=fullscreen)
    activity = Activity.IDLE if idle_seconds > 0 else Activity.ACTIVE
    return observe(state, now, activity, policy, dnd=fullscreen)
