"""Programme use cases: preferences, this week's plan, today's timeline."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hipflex.content import load_content
from hipflex.domain.assessment import AssessmentKind, RecordedAssessment
from hipflex.domain.errors import BadInput, HipflexError, NoAssessment
from hipflex.domain.plan import (
    Block,
    NeedsTests,
    PlanResult,
    Programme,
    SafetyRecheck,
    SafetyStop,
    Selection,
    build_programme,
    select,
)
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import WeekDecision, WeekSummary
from hipflex.domain.schedule import DayPlan, ItemKind, TimelineItem, day_plan
from hipflex.services.context import AppContext
from hipflex.services.pain import replay_easing_off
from hipflex.services.safety import recheck_due
from hipflex.services.timezones import zone_for
from hipflex.services.tracking import (
    cleared_by_week,
    ensure_block,
    logged_weeks,
    paused_exercises,
)

__all__ = ["NoAssessment"]  # raised by the plan's use cases; defined with the domain's errors


def get_preferences(app: AppContext) -> Preferences:
    return app.store.preferences()


def update_preferences(app: AppContext, **changes: Any) -> Preferences:
    """Apply the given changes (None means unchanged), validate them, save, return."""
    known = {f.name for f in fields(Preferences)}
    unknown = set(changes) - known
    if unknown:
        msg = f"unknown preference {', '.join(sorted(unknown))}"
        raise BadInput(msg)
    given = {key: value for key, value in changes.items() if value is not None}
    if given.get("timezone") is not None:
        zone_for(given["timezone"])  # validates the name
    updated = replace(get_preferences(app), **given)  # __post_init__ validates the rest
    app.store.save_preferences(updated, at=app.clock.now())
    return updated


@dataclass(frozen=True)
class PlanView:
    """A week of the programme as the user should read it."""

    result: PlanResult
    preferences: Preferences
    zone: ZoneInfo
    block: Block | None
    week: int
    current_week: int
    decisions: tuple[WeekDecision, ...]  # one per week before `week`, oldest first
    assessment: RecordedAssessment  # the newest with self-tests: the findings shown
    eased: WeekDecision | None = None  # this week eased off at once after a pain rise

    @property
    def projected(self) -> bool:
        """A future week: it assumes the weeks before it go well."""
        return self.week > self.current_week

    @property
    def block_complete(self) -> bool:
        return self.block is not None and self.current_week > self.preferences.block_weeks

    def sample_day(self) -> DayPlan | None:
        """A working day of the shown week, for session times."""
        if not isinstance(self.result, Programme) or self.block is None:
            return None
        first = self.block.week_start(self.week)
        for offset in range(7):
            day = first + timedelta(days=offset)
            if day.weekday() in self.preferences.work_days:
                return day_plan(self.result, self.preferences, day)
        return day_plan(self.result, self.preferences, first)  # pragma: no cover


def _local_today(app: AppContext, zone: ZoneInfo) -> date:
    return app.clock.now().astimezone(zone).date()


def plan_week(app: AppContext, week: int | None = None, *, gated: bool = True) -> PlanView:
    """The programme for `week` of the active block (the current week by default). Not
    `gated`, it stays shown while the safety questions are due again (to log a session
    already done against it), never to offer exercise; a red flag stops it whatever."""
    latest = app.store.latest_assessment()
    if latest is None:
        raise NoAssessment
    preferences = get_preferences(app)
    zone = zone_for(preferences.timezone)
    today = _local_today(app, zone)
    baseline = app.store.latest_assessment(AssessmentKind.BASELINE) or latest
    view = PlanView(
        result=NeedsTests(),
        preferences=preferences,
        zone=zone,
        block=None,
        week=1,
        current_week=1,
        decisions=(),
        assessment=app.store.latest_assessment(with_tests=True) or latest,
    )
    # Safety first: red flags in the newest answers stop everything, whatever came before.
    newest = select(latest.assessment)
    if isinstance(newest, SafetyStop):
        return replace(view, result=newest)
    selection = select(baseline.assessment)
    if not isinstance(selection, Selection):
        return replace(view, result=selection)
    block = ensure_block(app, baseline, today)
    current = block.week_on(today)
    shown = min(current, preferences.block_weeks) if week is None else week
    if not 1 <= shown <= preferences.block_weeks:
        msg = f"week {shown} is outside your {preferences.block_weeks}-week block"
        raise BadInput(msg)
    done = min(shown, current) - 1
    planned = preferences.sessions_per_day * 7
    history = logged_weeks(app, block, done, preferences)
    assumed = [WeekSummary(w, planned, planned) for w in range(done + 1, shown)]
    # PROTOCOL.md section 4: a pain-rise warning this week eases the plan off at once.
    state, decisions, eased = replay_easing_off(
        app,
        block,
        preferences,
        current=current,
        history=history,
        assumed=assumed,
        couch_indicated=selection.couch_indicated,
        cleared=cleared_by_week(app, block, done, preferences),
    )
    # Sharp pain pauses an exercise at once, not next week, until the user has it checked.
    state = replace(state, removed=paused_exercises(app))
    result = build_programme(
        baseline.assessment, preferences, load_content().exercises, week=shown, state=state
    )
    return replace(
        view,
        result=SafetyRecheck() if gated and recheck_due(app) else result,
        block=block,
        week=shown,
        current_week=current,
        decisions=tuple(decisions),
        eased=eased,
    )


@dataclass(frozen=True)
class TodayView:
    plan: PlanView
    day: DayPlan | None
    now: datetime  # naive wall-clock time in the user's zone, like the timeline

    @property
    def next_item(self) -> TimelineItem | None:
        return None if self.day is None else self.day.next_item(self.now)

    def next_of(self, kind: ItemKind) -> TimelineItem | None:
        """The first session (or movement break) under way or still to come today."""
        if self.day is None:
            return None
        return next((i for i in self.day.items if i.kind is kind and i.end > self.now), None)


def today(app: AppContext) -> TodayView:
    view = plan_week(app)
    now = app.clock.now().astimezone(view.zone).replace(tzinfo=None)
    day = None
    if isinstance(view.result, Programme):
        day = day_plan(view.result, view.preferences, now.date())
    return TodayView(view, day, now)


@dataclass(frozen=True)
class CalendarWeek:
    programme: Programme
    work_days: tuple[DayPlan, ...]  # the week's working days, in order


@dataclass(frozen=True)
class CalendarPlan:
    block: Block
    zone: ZoneInfo
    weeks: tuple[CalendarWeek, ...]
    stamp: datetime


def calendar_plan(
    app: AppContext, weeks: int | None = None, zone: str | None = None
) -> CalendarPlan:
    """The weeks from the current one on, with each working day's timeline, for export."""
    view = plan_week(app)
    if not isinstance(view.result, Programme):
        from hipflex.services.words import stop_reason

        msg = f"there is no programme to put in a calendar: {stop_reason(view.result)}"
        raise HipflexError(msg)
    assert view.block is not None  # a programme always belongs to a block
    total = view.preferences.block_weeks
    first = min(view.current_week, total)
    remaining = total - first + 1
    count = remaining if weeks is None else weeks
    if not 1 <= count <= remaining:
        msg = f"--weeks must be from 1 to {remaining} (the weeks left in your block), not {count}"
        raise BadInput(msg)
    exported: list[CalendarWeek] = []
    for week in range(first, first + count):
        week_view = plan_week(app, week)
        programme = week_view.result
        assert isinstance(programme, Programme)
        start = view.block.week_start(week)
        days = tuple(
            day_plan(programme, view.preferences, day)
            for day in (start + timedelta(days=offset) for offset in range(7))
            if day.weekday() in view.preferences.work_days
        )
        exported.append(CalendarWeek(programme, days))
    return CalendarPlan(
        block=view.block,
        zone=zone_for(zone) if zone else view.zone,
        weeks=tuple(exported),
        stamp=app.clock.now(),
    )
