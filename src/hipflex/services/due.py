"""Today's reminders for the web app: what is due and when, what happened to each item,
and the answers recorded the way the desktop reminder records them.

The times come from domain.schedule (the timeline Today shows) and domain.due (snoozes by
the daemon's rules); the words and answers of a break reminder from the same safety gate
as the daemon's (services.safety.reminder_prompt). The page only counts down to them.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hipflex.domain.breaks import (
    DAEMON_STATUS_FILE,
    HEARTBEAT_STALE_MINUTES,
    BreakOutcome,
    BreakPolicy,
)
from hipflex.domain.due import DayStatus, ItemStatus, day_status
from hipflex.domain.errors import NoAssessment
from hipflex.domain.plan import Programme
from hipflex.domain.safety import BreakPrompt, Screening, break_routine
from hipflex.domain.schedule import DayPlan, ItemKind, breaks_plan, day_plan
from hipflex.services.context import AppContext

if TYPE_CHECKING:
    from hipflex.services.programme import PlanView

#: How a web user answers the safety questions (said in a reminder to a user never
#: screened, or asked again): a page, never a command.
WEB_HOW_TO_SCREEN = "Open the self-check page to answer them."
WEB_HOW_TO_RECHECK = "Open the safety questions page to answer them again."


def desktop_reminder_running(app: AppContext) -> bool:
    """The desktop reminder wrote its status (its heartbeat) a short while ago. Never on
    a team server: a file in the server's data folder is nobody's desktop."""
    if app.settings.team:
        return False
    path = app.settings.data_dir / DAEMON_STATUS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        updated = datetime.fromisoformat(data["updated_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if updated.tzinfo is None:
        return False
    age = app.clock.now() - updated
    stale = timedelta(minutes=HEARTBEAT_STALE_MINUTES)
    return -stale <= age <= stale


@dataclass(frozen=True)
class DueView:
    """Today's timeline with each item's state, the next reminder, and the break prompt."""

    day: DayPlan
    status: DayStatus
    now: datetime  # naive local, like the timeline
    moment: datetime  # aware: the same instant
    zone_key: str
    programme: bool  # False: no programme (the safety gate): movement breaks alone
    screening: Screening
    prompt: BreakPrompt | None  # what the next break's reminder says and offers
    desktop_reminder: bool

    @property
    def next_due(self) -> ItemStatus | None:
        return self.status.next_due

    def aware(self, local: datetime) -> datetime:
        """A naive local time of the timeline as an aware moment."""
        return local.replace(tzinfo=self.moment.tzinfo)


def _policy(app: AppContext, break_minutes: int) -> BreakPolicy:
    from hipflex.services.programme import get_preferences

    found = get_preferences(app)
    return BreakPolicy(
        interval_minutes=break_minutes,
        work_days=found.work_days,
        work_start=found.work_start,
        work_end=found.work_end,
    )


def due_today(app: AppContext, plan: PlanView | None = None) -> DueView:
    """What is due today and when. Someone with no programme (never screened, a warning
    sign, or the questions due again) gets the movement breaks alone, each a walk if it is
    comfortable: what the desktop reminder offers them. `plan`: this week's, when the
    caller has it already (the Today page)."""
    from hipflex.services import programme as programmes
    from hipflex.services.safety import current_screening, paused_if_clear, reminder_prompt
    from hipflex.services.timezones import zone_for
    from hipflex.services.tracking import local_midnight

    preferences = programmes.get_preferences(app)
    zone = zone_for(preferences.timezone)
    moment = app.clock.now().astimezone(zone)
    now = moment.replace(tzinfo=None)
    result = None
    with contextlib.suppress(NoAssessment):
        result = (plan or programmes.plan_week(app)).result
    if isinstance(result, Programme):  # the gate let it through: screened and clear
        screening = Screening.CLEAR
        day = day_plan(result, preferences, now.date())
        break_minutes = result.break_minutes
    else:
        screening = current_screening(app)
        routine = break_routine(screening, paused_if_clear(app, screening))
        day = breaks_plan(preferences, now.date(), routine)
        break_minutes = preferences.break_minutes
    since = local_midnight(now.date(), zone).astimezone(UTC)
    until = since + timedelta(days=1)
    answers = [
        (event.at.astimezone(zone).replace(tzinfo=None), event.outcome)
        for event in app.store.break_events(since=since, until=until)
    ]
    done = {log.slot for log in app.store.session_logs(since=since, until=until) if log.slot}
    first = app.store.assessments()
    began = None
    if first:
        started = min(a.recorded_at for a in first).astimezone(zone).replace(tzinfo=None)
        began = started if started.date() == now.date() else None
    policy = _policy(app, break_minutes)
    status = day_status(day, now, answers=answers, sessions_done=done, policy=policy, began=began)
    upcoming = status.next_due
    prompt = None
    if upcoming is not None and upcoming.item.kind is ItemKind.BREAK:
        index = day.items.index(upcoming.item)
        moved_at = day.work_start if index == 0 else day.items[index - 1].end
        sitting = max(0, round((upcoming.item.start - moved_at).total_seconds() / 60))
        prompt = reminder_prompt(
            app,
            sitting,
            how_to_screen=WEB_HOW_TO_SCREEN,
            how_to_recheck=WEB_HOW_TO_RECHECK,
            can_snooze=upcoming.can_snooze,
        )
    return DueView(
        day=day,
        status=status,
        now=now,
        moment=moment,
        zone_key=zone.key,
        programme=isinstance(result, Programme),
        screening=screening,
        prompt=prompt,
        desktop_reminder=desktop_reminder_running(app),
    )


def record_answer(app: AppContext, outcome: BreakOutcome) -> tuple[datetime, BreakOutcome, bool]:
    """A break reminder's answer from the web, now: the same record as the desktop
    reminder's (services.tracking.log_break_once), and like it a snooze too many counts
    as skipped. Returns the time, the outcome recorded and whether it landed now."""
    from hipflex.services.tracking import log_break_once

    if outcome is BreakOutcome.SNOOZED:
        upcoming = due_today(app).next_due
        if upcoming is None or not upcoming.can_snooze:
            outcome = BreakOutcome.SKIPPED
    event, recorded = log_break_once(app, outcome, app.clock.now())
    return event.at, event.outcome, recorded
