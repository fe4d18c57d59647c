"""Today's reminders for the web: each item's state (done, skipped, missed, not yet, before
the plan began), the next reminder and its time, snoozes by the daemon's rules, and the
desktop reminder's heartbeat (no second reminder while it runs)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.domain.test_schedule import MONDAY, plan
from tests.reminders.test_daemon import ZONE, Sim, simulate
from tests.reminders.test_daemon import at as daemon_at

from hipflex.domain.breaks import (
    DAEMON_STATUS_FILE,
    HEARTBEAT_STALE_MINUTES,
    MAX_SNOOZES_IN_A_ROW,
    SNOOZE_MINUTES,
    BreakOutcome,
    BreakPolicy,
)
from hipflex.domain.due import ItemState, day_status
from hipflex.domain.plan import SessionSlot
from hipflex.domain.preferences import Preferences
from hipflex.domain.schedule import ItemKind
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.due import desktop_reminder_running, due_today, record_answer

DAY = plan(Preferences())  # 09:00-17:00, 40 min: the morning session 09:40, breaks after
POLICY = BreakPolicy()
FIRST_BREAK = DAY.breaks[0]


def at(hours: int, minutes: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hours, minutes))


def states(now: datetime, **given: object) -> list[ItemState]:
    found = day_status(
        DAY,
        now,
        answers=given.get("answers", []),  # type: ignore[arg-type]
        sessions_done=given.get("done", set()),  # type: ignore[arg-type]
        policy=POLICY,
        began=given.get("began"),  # type: ignore[arg-type]
    )
    return [s.state for s in found.items]


def test_before_anything_every_item_is_not_yet_and_the_first_is_next():
    status = day_status(DAY, at(8), answers=[], sessions_done=set(), policy=POLICY)
    assert {s.state for s in status.items} == {ItemState.NOT_YET}
    assert status.next_due is not None
    assert status.next_due.item is DAY.items[0]
    assert status.next_due.due_at == at(9, 40)


def test_past_items_are_done_skipped_or_missed_by_what_was_recorded():
    second_break = DAY.breaks[1]
    answers = [(FIRST_BREAK.start + timedelta(seconds=20), BreakOutcome.DONE)]
    answers.append((second_break.start, BreakOutcome.SKIPPED))
    found = states(at(12, 0), answers=answers, done={SessionSlot.MORNING})
    assert found[:3] == [ItemState.DONE, ItemState.DONE, ItemState.SKIPPED]
    # what is next leaves out what was done or skipped, though its time has not ended
    early = day_status(DAY, second_break.start, answers=answers, sessions_done=(), policy=POLICY)
    assert early.next_of(ItemKind.BREAK) == DAY.items.index(DAY.breaks[2])
    assert early.next_of(ItemKind.SESSION) == len(DAY.items) - 1  # the morning one: missed

    assert found[3] is ItemState.MISSED  # nothing recorded for the 11:46 break
    assert found[-1] is ItemState.NOT_YET


def test_items_over_before_the_plan_began_were_never_offered():
    found = states(at(12, 0), began=at(11, 0))
    assert found[0] is ItemState.BEFORE_PLAN  # the 09:40 session
    assert ItemState.MISSED in found  # a break after 11:00 with nothing recorded


def test_a_snooze_moves_the_reminder_by_the_daemons_snooze_time():
    snoozed_at = FIRST_BREAK.start + timedelta(seconds=10)
    status = day_status(
        DAY,
        snoozed_at,
        answers=[(snoozed_at, BreakOutcome.SNOOZED)],
        sessions_done={SessionSlot.MORNING},
        policy=POLICY,
    )
    upcoming = status.next_due
    assert upcoming is not None
    assert upcoming.item is FIRST_BREAK
    assert upcoming.snoozed
    assert upcoming.due_at == snoozed_at + timedelta(minutes=SNOOZE_MINUTES)
    assert upcoming.state is ItemState.NOT_YET
    assert upcoming.can_snooze  # one snooze of two


def test_a_snooze_too_many_counts_as_skipped_as_in_the_daemon():
    moments = [FIRST_BREAK.start + timedelta(minutes=6 * n) for n in range(3)]
    answers = [(moment, BreakOutcome.SNOOZED) for moment in moments]
    status = day_status(
        DAY, moments[-1], answers=answers[:MAX_SNOOZES_IN_A_ROW], sessions_done=(), policy=POLICY
    )
    upcoming = status.next_due
    assert upcoming is not None
    assert upcoming.item is FIRST_BREAK
    assert not upcoming.can_snooze
    after = day_status(DAY, moments[-1], answers=answers, sessions_done=(), policy=POLICY)
    index = DAY.items.index(FIRST_BREAK)
    assert after.items[index].state is ItemState.SKIPPED


@given(st.integers(0, 24 * 60 - 1))
def test_the_next_reminder_is_the_earliest_item_still_due(minute: int):
    now = datetime.combine(MONDAY, time()) + timedelta(minutes=minute)
    status = day_status(DAY, now, answers=[], sessions_done=(), policy=POLICY)
    waiting = [s for s in status.items if now < s.item.end]
    upcoming = status.next_due
    if not waiting:
        assert upcoming is None
        return
    assert upcoming is not None
    assert upcoming.item is waiting[0].item
    assert upcoming.due_at == upcoming.item.start
    assert upcoming.state is (ItemState.NOW if upcoming.item.start <= now else ItemState.NOT_YET)
    for earlier in status.items[: status.items.index(upcoming)]:
        assert earlier.state is ItemState.MISSED


# --- the service --------------------------------------------------------------------------


@pytest.fixture
def planned(app: AppContext) -> AppContext:
    from tests.domain.test_schedule import BOTH_TIGHT

    from hipflex.domain.assessment import AssessmentKind

    app.store.add_assessment(BOTH_TIGHT, at=app.clock.now(), kind=AssessmentKind.BASELINE)
    from hipflex.services.programme import update_preferences

    update_preferences(app, timezone="UTC")
    return app


def test_the_next_reminder_is_the_morning_session(planned: AppContext):
    view = due_today(planned)  # 09:00 UTC
    upcoming = view.next_due
    assert upcoming is not None
    assert upcoming.item.kind is ItemKind.SESSION
    assert upcoming.due_at.time() == time(9, 40)
    assert not view.desktop_reminder


def test_an_answer_is_recorded_as_the_daemons_and_moves_the_reminder(
    planned: AppContext, clock: FixedClock
):
    view = due_today(planned)
    first_break = view.day.breaks[0]
    clock.advance((first_break.start - view.now).total_seconds())
    at_, outcome, recorded = record_answer(planned, BreakOutcome.SNOOZED)
    assert (outcome, recorded) == (BreakOutcome.SNOOZED, True)
    (event,) = planned.store.break_events()
    assert (event.at, event.outcome) == (at_, BreakOutcome.SNOOZED)
    upcoming = due_today(planned).next_due
    assert upcoming is not None
    assert upcoming.snoozed
    assert upcoming.due_at == first_break.start + timedelta(minutes=SNOOZE_MINUTES)
    # twice more: the third snooze in a row is recorded as skipped, as the daemon does
    for _ in range(2):
        clock.advance(SNOOZE_MINUTES * 60)
        _, outcome, _ = record_answer(planned, BreakOutcome.SNOOZED)
    assert outcome is BreakOutcome.SKIPPED
    states = {s.item: s.state for s in due_today(planned).status.items}
    assert states[first_break] is ItemState.SKIPPED


# --- the desktop reminder's heartbeat -----------------------------------------------------


def test_the_daemon_writes_a_heartbeat_the_web_sees_until_it_is_stale(tmp_path: Path):
    """Both sides: the daemon's status file, as its loop writes it, read by the service."""
    folder = tmp_path / "data"
    folder.mkdir()

    async def script(sim: Sim) -> None:
        await sim.until(daemon_at(9, 10))

    simulate(daemon_at(9), script, status=folder / DAEMON_STATUS_FILE)
    from hipflex.config import Settings

    clock = FixedClock(daemon_at(9, 10).astimezone(ZONE))
    web = AppContext(Settings(data_dir=folder, database_url=f"sqlite:///{tmp_path}/h.db"), clock)
    try:
        assert desktop_reminder_running(web)
        clock.advance(HEARTBEAT_STALE_MINUTES * 60 - 1)
        assert desktop_reminder_running(web)
        clock.advance(2)  # no wake-up for longer than the limit: it has stopped
        assert not desktop_reminder_running(web)
    finally:
        web.close()
    clock.advance(-2)  # fresh again, but a team server's data folder is nobody's desktop
    team = AppContext(
        Settings(data_dir=folder, database_url=f"sqlite:///{tmp_path}/t.db", team=True), clock
    )
    try:
        assert not desktop_reminder_running(team)
    finally:
        team.close()


@pytest.mark.parametrize("text", [None, "", "{", '{"updated_at": "soon"}', '{"updated_at": 3}'])
def test_no_or_a_broken_heartbeat_means_no_desktop_reminder(app: AppContext, text: str | None):
    folder = app.settings.data_dir
    folder.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / DAEMON_STATUS_FILE).write_text(text, encoding="utf-8")
    assert not desktop_reminder_running(app)


def test_a_heartbeat_without_a_time_zone_is_ignored(app: AppContext):
    folder = app.settings.data_dir
    folder.mkdir(parents=True, exist_ok=True)
    naive = app.clock.now().replace(tzinfo=None).isoformat()
    (folder / DAEMON_STATUS_FILE).write_text(f'{{"updated_at": "{naive}"}}', encoding="utf-8")
    assert not desktop_reminder_running(app)
