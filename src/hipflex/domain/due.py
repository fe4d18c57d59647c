"""What happened to each item of today's timeline, and which reminder is due next and when.

Pure: the day's timeline (domain.schedule), the break answers recorded today (the desktop
reminder's and the web's alike) and the sessions logged come in; the web page only counts
down to the time given here. Snoozes follow the reminder daemon's rules (domain.breaks:
5 minutes, at most twice in a row), applied by the same functions.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hipflex.domain.breaks import BreakOutcome, BreakPolicy, BreakState, answer, can_snooze
from hipflex.domain.plan import SessionSlot
from hipflex.domain.schedule import DayPlan, ItemKind, TimelineItem


class ItemState(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"
    NOW = "now"  # due now (a snoozed break: from the end of its snooze)
    NOT_YET = "not_yet"
    BEFORE_PLAN = "before_plan"  # over before the plan began: it was never offered

    @property
    def words(self) -> str:
        """What happened, in the words Today shows (the page and the terminal)."""
        return _STATE_WORDS[self]


_STATE_WORDS = {
    ItemState.DONE: "done",
    ItemState.SKIPPED: "skipped",
    ItemState.MISSED: "missed",
    ItemState.NOW: "due now",
    ItemState.NOT_YET: "not yet",
    ItemState.BEFORE_PLAN: "before your plan began",
}


@dataclass(frozen=True)
class ItemStatus:
    item: TimelineItem
    state: ItemState
    due_at: datetime  # when it is (or was) due: its start, or the end of a snooze
    snoozed: bool = False
    can_snooze: bool = True


@dataclass(frozen=True)
class DayStatus:
    items: tuple[ItemStatus, ...]

    @property
    def waiting(self) -> tuple[ItemStatus, ...]:
        """The items due now or still to come (not done, skipped, missed)."""
        return tuple(s for s in self.items if s.state in (ItemState.NOW, ItemState.NOT_YET))

    @property
    def next_due(self) -> ItemStatus | None:
        """The reminder to give next: the earliest item due now or still to come."""
        return min(self.waiting, key=lambda s: s.due_at, default=None)

    def next_of(self, kind: ItemKind) -> int | None:
        """The index of the first session (or movement break) still waiting."""
        found = (self.items.index(status) for status in self.waiting if status.item.kind is kind)
        return next(found, None)


def _break_answers(
    day: DayPlan, answers: Sequence[tuple[datetime, BreakOutcome]]
) -> dict[int, list[tuple[datetime, BreakOutcome]]]:
    """Each answer belongs to the last break that had started when it was given."""
    starts = [(i, item.start) for i, item in enumerate(day.items) if item.kind is ItemKind.BREAK]
    found: dict[int, list[tuple[datetime, BreakOutcome]]] = {}
    for at, outcome in sorted(answers):
        index = next((i for i, start in reversed(starts) if start <= at), None)
        if index is not None:
            found.setdefault(index, []).append((at, outcome))
    return found


def _when(item: TimelineItem, due_at: datetime, now: datetime, began: datetime | None) -> ItemState:
    if now < due_at:
        return ItemState.NOT_YET
    if now < due_at + (item.end - item.start):
        return ItemState.NOW
    if began is not None and item.start < began:
        return ItemState.BEFORE_PLAN
    return ItemState.MISSED


def day_status(
    day: DayPlan,
    now: datetime,
    *,
    answers: Sequence[tuple[datetime, BreakOutcome]],
    sessions_done: Collection[SessionSlot],
    policy: BreakPolicy,
    began: datetime | None = None,
) -> DayStatus:
    """Every item's state at a naive local `now`. `answers` are today's break answers
    (naive local), `sessions_done` the slots logged today, `began` when the plan began
    (items over by then were never offered)."""
    by_break = _break_answers(day, answers)
    found: list[ItemStatus] = []
    for index, item in enumerate(day.items):
        if item.kind is ItemKind.SESSION:
            assert item.session is not None  # a session's item
            if item.session.slot in sessions_done:
                found.append(ItemStatus(item, ItemState.DONE, item.start))
            else:
                found.append(ItemStatus(item, _when(item, item.start, now, began), item.start))
            continue
        state = BreakState(sitting_since=item.start - policy.interval)
        for at, given in by_break.get(index, []):
            outcome = given
            if given is BreakOutcome.SNOOZED and not can_snooze(state, policy):
                outcome = BreakOutcome.SKIPPED  # as the daemon records a snooze too many
            state = answer(state, outcome, at, policy)
            if outcome is not BreakOutcome.SNOOZED:
                done = outcome is BreakOutcome.DONE
                resolved = ItemState.DONE if done else ItemState.SKIPPED
                found.append(ItemStatus(item, resolved, item.start))
                break
        else:
            snoozed = state.snoozed_until is not None
            due_at = state.snoozed_until or item.start
            found.append(
                ItemStatus(
                    item,
                    _when(item, due_at, now, began),
                    due_at.replace(tzinfo=None),
                    snoozed=snoozed,
                    can_snooze=can_snooze(state, policy),
                )
            )
    return DayStatus(tuple(found))
