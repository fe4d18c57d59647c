"""Programme use cases: preferences, this week's plan, today's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from hipflex.content import load_content
from hipflex.domain.assessment import Assessment, AssessmentKind, RecordedAssessment
from hipflex.domain.errors import BadInput, HipflexError, NoAssessment
from hipflex.domain.plan import (
    PRACTICE_DAYS_A_WEEK,
    Block,
    MaintenanceDose,
    NeedsTests,
    Phase,
    PlanResult,
    Programme,
    SafetyRecheck,
    SafetyStop,
    Selection,
    build_programme,
    select,
)
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import ProgressionState, WeekDecision, WeekSummary
from hipflex.domain.protocol import Exercise, ExerciseId
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


class NextStep(StrEnum):
    """What the plan asks for next."""

    NONE = "none"
    RETEST = "retest"  # a re-test week: measure the progress
    RETEST_TO_DECIDE = "retest_to_decide"  # the block is over: a re-test decides what next


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
    maintenance: MaintenanceDose | None = None  # the numbers, in the maintenance phase
    eased: WeekDecision | None = None  # this week eased off at once after a pain rise

    @property
    def projected(self) -> bool:
        """A future week: it assumes the weeks before it go well."""
        return self.week > self.current_week

    @property
    def phase(self) -> Phase:
        return Phase.BLOCK if self.block is None else self.block.phase

    @property
    def block_complete(self) -> bool:
        """The block's weeks are over and no re-test has decided what comes next yet."""
        return (
            self.block is not None
            and self.block.phase is Phase.BLOCK
            and self.current_week > self.preferences.block_weeks
        )

    @property
    def next_step(self) -> NextStep:
        """What the plan asks of the user next (the web and the terminal say the same)."""
        if self.block_complete:
            return NextStep.RETEST_TO_DECIDE
        result = self.result
        if isinstance(result, Programme) and result.retest_due and not self.projected:
            return NextStep.RETEST
        return NextStep.NONE

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


def _sessions_per_week(
    assessment: Assessment,
    preferences: Preferences,
    exercises: Mapping[ExerciseId, Exercise],
    week: int,
    paused: frozenset[ExerciseId],
) -> int:
    """The sessions a week the logs are measured against, before the dose is known: what
    is paused decides how many sessions there are, the dosage level does not."""
    probe = build_programme(
        assessment, preferences, exercises, week=week, state=ProgressionState(removed=paused)
    )
    assert isinstance(probe, Programme)  # called only once the findings call for a plan
    return probe.sessions_per_week


def maintenance_dose(app: AppContext) -> MaintenanceDose:
    """The maintenance programme's numbers, from the settings (PROTOCOL.md section 4)."""
    return MaintenanceDose(
        stretch_sessions_per_day=app.settings.maintenance_stretches_per_day,
        strength_days_per_week=app.settings.maintenance_strength_per_week,
    )


def block_state(
    app: AppContext,
    block: Block,
    source: Assessment,
    selection: Selection,
    preferences: Preferences,
    *,
    shown: int,
    current: int,
) -> tuple[ProgressionState, tuple[WeekDecision, ...], WeekDecision | None]:
    """The progression for week `shown` of a block: its logged weeks replayed from the
    block's starting dose, the weeks not yet lived assumed to go to plan, and this week's
    pain-rise warnings applied at once (PROTOCOL.md section 4: from the next session).
    Also returns this week's easing off, if any."""
    done = min(shown, current) - 1
    exercises = load_content().exercises
    paused = paused_exercises(app)
    planned = _sessions_per_week(source, preferences, exercises, shown, paused)
    history = logged_weeks(app, block, done, preferences, planned=planned)
    assumed = [WeekSummary(w, planned, planned) for w in range(done + 1, shown)]
    state, decisions, eased = replay_easing_off(
        app,
        block,
        preferences,
        current=current,
        planned=planned,
        history=history,
        assumed=assumed,
        couch_indicated=selection.couch_indicated,
        cleared=cleared_by_week(app, block, done, preferences),
    )
    # Sharp pain pauses an exercise at once, not next week, until the user has it checked.
    return replace(state, removed=paused), tuple(decisions), eased


def _check_week(week: int | None, preferences: Preferences) -> None:
    if week is not None and not 1 <= week <= preferences.block_weeks:
        msg = f"week {week} is outside your {preferences.block_weeks}-week block"
        raise BadInput(msg)


def plan_week(app: AppContext, week: int | None = None, *, gated: bool = True) -> PlanView:
    """The programme for `week` of the block in force (the current week by default), or
    the maintenance programme once a block has ended with both sides normal. Not `gated`,
    it stays shown while the safety questions are due again (to log a session already
    done against it), never to offer exercise; a red flag stops it whatever."""
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
    source = _block_source(app, baseline)
    selection = select(source.assessment)
    if not isinstance(selection, Selection):
        return replace(view, result=selection)
    existing = app.store.latest_block()
    if existing is None or baseline.id > existing.assessment_id:
        _check_week(week, preferences)  # before a new block starts: a refusal writes nothing
    block = ensure_block(app, baseline, today)
    current = block.week_on(today)
    exercises = load_content().exercises
    if block.phase is Phase.MAINTENANCE:
        state = replace(block.start, removed=paused_exercises(app))
        result = build_programme(
            source.assessment,
            preferences,
            exercises,
            week=current,
            state=state,
            phase=Phase.MAINTENANCE,
            maintenance=maintenance_dose(app),
        )
        return replace(
            view,
            result=SafetyRecheck() if gated and recheck_due(app) else result,
            block=block,
            week=current,
            current_week=current,
            maintenance=maintenance_dose(app),
        )
    shown = min(current, preferences.block_weeks) if week is None else week
    _check_week(shown, preferences)
    state, decisions, eased = block_state(
        app, block, source.assessment, selection, preferences, shown=shown, current=current
    )
    result = build_programme(source.assessment, preferences, exercises, week=shown, state=state)
    return replace(
        view,
        result=SafetyRecheck() if gated and recheck_due(app) else result,
        block=block,
        week=shown,
        current_week=current,
        decisions=decisions,
        eased=eased,
    )


def _block_source(app: AppContext, baseline: RecordedAssessment) -> RecordedAssessment:
    """The assessment the block in force is built from: the newest baseline, or the
    re-test that ended the block before it (PROTOCOL.md section 4)."""
    block = app.store.latest_block()
    if block is None or baseline.id > block.assessment_id:
        return baseline  # a new block from this baseline (ensure_block starts it)
    return app.store.assessment(block.assessment_id) or baseline


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
    return today_of(app, plan_week(app))


def today_of(app: AppContext, view: PlanView) -> TodayView:
    """Today's timeline from a week's plan already worked out (the plan page's "today")."""
    now = app.clock.now().astimezone(view.zone).replace(tzinfo=None)
    day = None
    if isinstance(view.result, Programme):
        day = day_plan(view.result, view.preferences, now.date())
    return TodayView(view, day, now)


@dataclass(frozen=True)
class CalendarWeek:
    programme: Programme
    days: tuple[DayPlan, ...]  # all seven days of the week, in order: practice is daily

    @property
    def work_days(self) -> tuple[DayPlan, ...]:
        """Sessions at the work-day times, with the movement breaks."""
        return tuple(d for d in self.days if d.work_day)

    @property
    def other_days(self) -> tuple[DayPlan, ...]:
        """Weekends and days off: the sessions at their own times, no breaks."""
        return tuple(d for d in self.days if not d.work_day)

    @property
    def series(self) -> tuple[tuple[DayPlan, ...], ...]:
        """The groups of days that share one timeline (the work days, the other days; in
        maintenance the strength days apart from the rest), non-empty, work days first."""
        groups: dict[tuple[object, ...], list[DayPlan]] = {}
        for day in (*self.work_days, *self.other_days):
            groups.setdefault((day.work_day, *_timeline_key(day)), []).append(day)
        return tuple(tuple(group) for group in groups.values())


def _timeline_key(day: DayPlan) -> tuple[object, ...]:
    """What makes two days' timelines the same: each item's kind, times and exercises."""
    return tuple(
        (
            item.kind,
            item.start.time(),
            item.end.time(),
            None if item.session is None else item.session.exercise_ids,
        )
        for item in day.items
    )


#: Weeks of the maintenance programme a calendar export holds by default (it has no end).
MAINTENANCE_CALENDAR_WEEKS = 4


@dataclass(frozen=True)
class CalendarPlan:
    block: Block
    zone: ZoneInfo
    weeks: tuple[CalendarWeek, ...]
    stamp: datetime


def calendar_plan(
    app: AppContext, weeks: int | None = None, zone: str | None = None
) -> CalendarPlan:
    """The weeks from the current one on, with every day's timeline, for export."""
    view = plan_week(app)
    if not isinstance(view.result, Programme):
        from hipflex.services.words import stop_reason

        msg = f"there is no programme to put in a calendar: {stop_reason(view.result)}"
        raise HipflexError(msg)
    assert view.block is not None  # a programme always belongs to a block
    maintenance = view.phase is Phase.MAINTENANCE
    total = view.preferences.block_weeks
    first = view.current_week if maintenance else min(view.current_week, total)
    remaining = MAINTENANCE_CALENDAR_WEEKS if maintenance else total - first + 1
    count = remaining if weeks is None else weeks
    if not 1 <= count <= remaining:
        left = "weeks ahead" if maintenance else "weeks left in your block"
        msg = f"--weeks must be from 1 to {remaining} (the {left}), not {count}"
        raise BadInput(msg)
    exported: list[CalendarWeek] = []
    for week in range(first, first + count):
        week_view = view if week == view.week else plan_week(app, week)  # the first: in `view`
        programme = week_view.result
        assert isinstance(programme, Programme)
        start = view.block.week_start(week)
        days = tuple(
            day_plan(programme, view.preferences, start + timedelta(days=offset))
            for offset in range(PRACTICE_DAYS_A_WEEK)
        )
        exported.append(CalendarWeek(programme, days))
    return CalendarPlan(
        block=view.block,
        zone=zone_for(zone) if zone else view.zone,
        weeks=tuple(exported),
        stamp=app.clock.now(),
    )
