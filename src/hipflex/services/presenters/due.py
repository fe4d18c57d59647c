"""Today's reminders as JSON (GET /api/v1/reminders): each item of the day with what
happened to it, and the next reminder with the moment it is due. The page counts down to
that moment and never works a time out itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.due import ItemState
from hipflex.domain.plan import SessionSlot
from hipflex.domain.safety import ACTION_LABELS, BreakAction, Screening
from hipflex.domain.schedule import ItemKind
from hipflex.services.due import DueView
from hipflex.services.presenters.common import ClockTime, Moment, Out, clock_time

#: How often the page asks again (seconds): often enough that what is done elsewhere
#: (the desktop reminder, another tab) shows within a minute.
POLL_SECONDS = 45


class ReminderActionOut(Out):
    """An answer a reminder offers. `outcome` is what it records (none for a session's
    Start: the session logs itself); `href` is the page it opens, if any."""

    id: Literal["start", "done", "snooze", "skip"]
    label: str
    outcome: BreakOutcome | None
    href: str | None


class ReminderOut(Out):
    kind: ItemKind
    name: str = Field(description="The item's name on the timeline: what is due.")
    title: str
    body: str
    due_at: Moment
    seconds_until: int = Field(description="From the server's now; 0 when due already.")
    snoozed: bool
    actions: list[ReminderActionOut]


class DueItemOut(Out):
    kind: ItemKind
    title: str
    start: ClockTime
    end: ClockTime
    slot: SessionSlot | None
    state: ItemState
    words: str


class DueOut(Out):
    date: dt.date
    now: Moment
    clock: ClockTime
    time_zone: str
    programme: bool = Field(description="False: no programme, movement breaks alone.")
    screening: Screening
    desktop_reminder: bool = Field(
        description="The desktop reminder is running (its heartbeat is fresh): the page "
        "counts down but does not notify."
    )
    poll_seconds: int
    items: list[DueItemOut]
    next: ReminderOut | None
    next_session: int | None = Field(
        description="The index in items of the first session still to do (not done, "
        "skipped or missed)."
    )
    next_break: int | None = Field(description="The same for movement breaks.")


def _action(action: BreakAction) -> ReminderActionOut:
    return ReminderActionOut(
        id=action.value,
        label=ACTION_LABELS[action],
        outcome=action.outcome,
        href="/break" if action.opens_routine else None,
    )


def _reminder(view: DueView) -> ReminderOut | None:
    upcoming = view.next_due
    if upcoming is None:
        return None
    due_at = view.aware(upcoming.due_at)
    seconds = max(0, round((due_at - view.moment).total_seconds()))
    item = upcoming.item
    if item.session is not None:
        walk = " Start with a short walk." if item.warm_up is not None else ""
        return ReminderOut(
            kind=item.kind,
            name=item.title,
            title=f"Time for your {item.title.lower()}",
            body=f"It is due at {clock_time(upcoming.due_at)}.{walk}",
            due_at=due_at,
            seconds_until=seconds,
            snoozed=False,
            actions=[
                ReminderActionOut(
                    id="start",
                    label="Start the session",
                    outcome=None,
                    href=f"/session?slot={item.session.slot.value}",
                )
            ],
        )
    assert view.prompt is not None  # a break's reminder has its prompt
    return ReminderOut(
        kind=item.kind,
        name=item.title,
        title=view.prompt.title,
        body=view.prompt.body,
        due_at=due_at,
        seconds_until=seconds,
        snoozed=upcoming.snoozed,
        actions=[_action(a) for a in view.prompt.actions],
    )


def due_model(view: DueView) -> DueOut:
    return DueOut(
        date=view.now.date(),
        now=view.moment,
        clock=clock_time(view.now),
        time_zone=view.zone_key,
        programme=view.programme,
        screening=view.screening,
        desktop_reminder=view.desktop_reminder,
        poll_seconds=POLL_SECONDS,
        items=[
            DueItemOut(
                kind=s.item.kind,
                title=s.item.title,
                start=clock_time(s.item.start),
                end=clock_time(s.item.end),
                slot=None if s.item.session is None else s.item.session.slot,
                state=s.state,
                words=s.state.words,
            )
            for s in view.status.items
        ],
        next=_reminder(view),
        next_session=view.status.next_of(ItemKind.SESSION),
        next_break=view.status.next_of(ItemKind.BREAK),
    )


class AnswerOut(Out):
    at: Moment
    outcome: BreakOutcome
    recorded: bool = Field(description="False: the same answer had landed already.")
