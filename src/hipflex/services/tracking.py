"""Logging use cases: pain, sitting, sessions, notes, re-tests, clearing a paused exercise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hipflex.domain.assessment import AssessmentInput, AssessmentKind, RecordedAssessment
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Block, SessionSlot
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import WeekSummary
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
    check_not_future,
    check_note,
    check_pain,
    check_sitting_hours,
    week_summary,
)
from hipflex.services.assessments import AssessmentReport, record_assessment
from hipflex.services.context import AppContext
from hipflex.services.timezones import zone_for

OLDEST_LOG = timedelta(days=3653)  # a backfilled day older than ten years is a typo


def _zone(app: AppContext) -> ZoneInfo:
    return zone_for(app.store.preferences().timezone)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def local_today(app: AppContext) -> date:
    """Today's date in the user's time zone."""
    return app.clock.now().astimezone(_zone(app)).date()


def log_pain(app: AppContext, score: int, when: datetime | None = None) -> PainRating:
    """A daily pain rating, 0-10; never in the future."""
    now = app.clock.now()
    at = when or now
    check_not_future(at, now, "the pain rating time")
    rating = PainRating(at, check_pain(score))
    app.store.add_pain_rating(rating, at=now)
    return rating


def log_sitting(
    app: AppContext,
    hours: float,
    day: date | None = None,
    source: SittingSource = SittingSource.ENTERED,
) -> SittingEntry:
    """Hours sat on a day (today by default); a later entry for the same day is kept too."""
    now = app.clock.now()
    today = now.astimezone(_zone(app)).date()
    on = day or today
    if on > today:
        msg = f"the date {on.isoformat()} is in the future"
        raise BadInput(msg)
    if on < today - OLDEST_LOG:
        msg = f"the date {on.isoformat()} is more than ten years ago"
        raise BadInput(msg)
    entry = SittingEntry(on, check_sitting_hours(hours), source, now)
    app.store.add_sitting(entry)
    return entry


def log_session(
    app: AppContext,
    entries: Sequence[ExerciseEntry],
    *,
    pain_before: int | None = None,
    pain_after: int | None = None,
    started_at: datetime | None = None,
    slot: SessionSlot | None = None,
    note: str | None = None,
) -> SessionLog:
    """A session done without the guided player, typed in exercise by exercise."""
    shell = session_shell(
        app, pain_before=pain_before, pain_after=pain_after, started_at=started_at, note=note
    )
    if not entries:
        msg = "a session needs at least one exercise"
        raise BadInput(msg)
    log = replace(shell, entries=tuple(entries), slot=slot)
    return app.store.add_session_log(log, at=app.clock.now())


def session_shell(
    app: AppContext,
    *,
    pain_before: int | None,
    pain_after: int | None,
    started_at: datetime | None,
    note: str | None,
) -> SessionLog:
    """A typed-in session's log without its exercises, every value checked (BadInput).
    A caller that reads the plan first asks this before: reading it may start the block,
    and a refused session must leave nothing behind."""
    now = app.clock.now()
    start = started_at or now
    check_not_future(start, now, "the session time")
    return SessionLog(
        started_at=start,
        ended_at=start if started_at else now,
        source=SessionSource.MANUAL,
        pain_before=pain_before,
        pain_after=pain_after,
        note=check_note(note) if note else None,
    )


def log_note(app: AppContext, text: str) -> Note:
    note = Note(app.clock.now(), check_note(text))
    app.store.add_note(note)
    return note


def paused_exercises(app: AppContext) -> frozenset[ExerciseId]:
    """Exercises with sharp pain logged after their last clearance: out until checked."""
    last_pain = dict(app.store.sharp_pain_reports())  # oldest first: the newest wins
    last_clear = {c.exercise_id: c.at for c in app.store.clearances()}
    return frozenset(
        exercise_id
        for exercise_id, at in last_pain.items()
        if exercise_id not in last_clear or last_clear[exercise_id] < at
    )


def cleared_by_week(
    app: AppContext, block: Block, weeks: int, preferences: Preferences
) -> list[frozenset[ExerciseId]]:
    """For each of the first `weeks` weeks: exercises not paused at that week's end."""
    zone = zone_for(preferences.timezone)
    pains = app.store.sharp_pain_reports()
    clearances = app.store.clearances()
    result = []
    for week in range(1, weeks + 1):
        end = local_midnight(block.week_start(week + 1), zone)
        last_pain: dict[ExerciseId, datetime] = {e: at for e, at in pains if at < end}
        last_clear = {c.exercise_id: c.at for c in clearances if c.at < end}
        result.append(
            frozenset(e for e, at in last_clear.items() if e not in last_pain or last_pain[e] <= at)
        )
    return result


def ensure_block(app: AppContext, baseline: RecordedAssessment, today: date) -> Block:
    """The block in force: the newest one, unless a baseline newer than the assessment it
    was built from exists (`hipflex assess` again): then a new block from scratch."""
    block = app.store.latest_block()
    if block is None or baseline.id > block.assessment_id:
        block = app.store.start_block(
            assessment_id=baseline.id, started_on=today, at=app.clock.now()
        )
    return block


def clear_exercise(app: AppContext, exercise_id: ExerciseId) -> Clearance:
    """The user had a paused exercise checked and may do it again."""
    if exercise_id not in paused_exercises(app):
        msg = f"{exercise_id.value} is not paused"
        raise BadInput(msg)
    clearance = Clearance(exercise_id, app.clock.now())
    app.store.add_clearance(clearance)
    return clearance


def logged_weeks(
    app: AppContext, block: Block, weeks: int, preferences: Preferences, *, planned: int
) -> list[WeekSummary]:
    """What the logs say about each of the block's first `weeks` weeks, against `planned`
    sessions a week (the programme's `sessions_per_week`)."""
    return [
        logged_week(app, block, week, preferences, planned=planned) for week in range(1, weeks + 1)
    ]


def logged_week(
    app: AppContext, block: Block, week: int, preferences: Preferences, *, planned: int
) -> WeekSummary:
    """What the logs say about one week of the block (so far, for the current week),
    against `planned` sessions a week."""
    zone = zone_for(preferences.timezone)
    since = local_midnight(block.week_start(week), zone).astimezone(UTC)
    until = since + timedelta(days=7)
    sessions = app.store.session_logs(since=since, until=until)
    ratings = app.store.pain_ratings(since=since, until=until)
    return week_summary(week, planned, sessions, ratings)


def record_retest(app: AppContext, answers: AssessmentInput) -> AssessmentReport:
    """A re-run of the tests, linked to the current block and week (or a first baseline)."""
    baseline = app.store.latest_assessment(AssessmentKind.BASELINE)
    if baseline is None:
        return record_assessment(app, answers)
    today = app.clock.now().astimezone(_zone(app)).date()
    block = ensure_block(app, baseline, today)
    week = min(block.week_on(today), app.store.preferences().block_weeks)
    return record_assessment(
        app, answers, kind=AssessmentKind.RETEST, block_id=block.id, block_week=week
    )


def log_break(app: AppContext, outcome: BreakOutcome, when: datetime | None = None) -> BreakEvent:
    """A movement-break reminder's outcome; never in the future."""
    now = app.clock.now()
    at = when or now
    check_not_future(at, now, "the break time")
    event = BreakEvent(at, outcome)
    app.store.add_break_event(event, at=now)
    return event


def log_break_once(app: AppContext, outcome: BreakOutcome, at: datetime) -> tuple[BreakEvent, bool]:
    """A break outcome that may come again (the reminder resends what it could not see
    confirmed): an event at the same exact time with the same outcome is the same event and
    lands once. Returns the event and whether it was recorded now."""
    now = app.clock.now()
    check_not_future(at, now, "the break time")
    event = BreakEvent(at, outcome)
    same_moment = app.store.break_events(since=at, until=at + timedelta(microseconds=1))
    if event in same_moment:
        return event, False
    app.store.add_break_event(event, at=now)
    return event, True


def break_counts(app: AppContext, day: date) -> dict[BreakOutcome, int]:
    """How many breaks were done, skipped and snoozed on a day (the user's zone)."""
    since = local_midnight(day, _zone(app)).astimezone(UTC)
    events = app.store.break_events(since=since, until=since + timedelta(days=1))
    return {outcome: sum(1 for e in events if e.outcome is outcome) for outcome in BreakOutcome}


def parse_day(text: str) -> date:
    """'2026-11-24', 'today' or 'yesterday' (relative words need the clock: see parse_when)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        msg = f"'{text}' is not a date; use YYYY-MM-DD"
        raise BadInput(msg) from None


def resolve_day(app: AppContext, text: str) -> date:
    today = app.clock.now().astimezone(_zone(app)).date()
    words = {"today": today, "yesterday": today - timedelta(days=1)}
    return words.get(text.strip().lower()) or parse_day(text)


def resolve_when(app: AppContext, text: str) -> datetime:
    """'HH:MM' (today), 'yesterday HH:MM', or 'YYYY-MM-DD HH:MM', in the user's zone."""
    zone = _zone(app)
    parts = text.strip().split()
    try:
        clock = time.fromisoformat(parts[-1])
        day = resolve_day(app, parts[0]) if len(parts) == 2 else resolve_day(app, "today")
        if len(parts) > 2:
            raise ValueError
    except (ValueError, IndexError, BadInput):
        msg = f"'{text}' is not a time; use HH:MM, 'yesterday HH:MM' or 'YYYY-MM-DD HH:MM'"
        raise BadInput(msg) from None
    return datetime.combine(day, clock, tzinfo=zone)
