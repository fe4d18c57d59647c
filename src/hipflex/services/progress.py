"""Progress: adherence, pain with its verdict, tests per side over time, sitting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from statistics import fmean
from zoneinfo import ZoneInfo

from hipflex.domain.assessment import (
    Assessment,
    AssessmentKind,
    MeasurementMethod,
    RecordedAssessment,
    sitting_band,
)
from hipflex.domain.plan import SLOT_NAMES, Block, Programme
from hipflex.domain.preferences import Preferences
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, SittingBand
from hipflex.domain.tracking import (
    AngleChange,
    Note,
    PainChange,
    SessionLog,
    SittingEntry,
    angle_change,
    asymmetry,
    daily_sitting,
    pain_verdict,
    streak,
    week_summary,
)
from hipflex.services.context import AppContext
from hipflex.services.programme import NoAssessment, plan_week
from hipflex.services.thresholds import photo_sem_from
from hipflex.services.timezones import zone_for
from hipflex.services.tracking import local_midnight, paused_exercises


@dataclass(frozen=True)
class WeekProgress:
    week: int
    starts: date
    planned: int
    done: int
    mean_pain: float | None
    sharp_pain: frozenset[ExerciseId]
    mean_sitting: float | None

    @property
    def adherence(self) -> float:
        return 0.0 if self.planned == 0 else min(1.0, self.done / self.planned)


class Measure(StrEnum):
    """Measures compared per side between the baseline and the latest test."""

    KNEE_FLEXION = "knee_flexion_deg"
    THIGH_ANGLE = "thigh_angle_deg"
    EXTENSION = "extension_deg"


MEASURES = tuple(Measure)


def measure(assessment: Assessment, side: Side, name: str) -> float | None:
    found = assessment.sides[side]
    values = {
        "knee_flexion_deg": found.thomas.knee_flexion_deg,
        "thigh_angle_deg": found.thomas.thigh_angle_deg,
        "extension_deg": found.extension.degrees,
    }
    return values[name]


def method_of(assessment: Assessment, side: Side, name: str) -> MeasurementMethod:
    """How a measure was taken: the knee bend and thigh angle with the Thomas test, the
    extension angle with its own test."""
    if name == Measure.EXTENSION:
        return assessment.extension_given(side).method
    return assessment.thomas_given(side).method


@dataclass(frozen=True)
class SafetyEvent:
    at: datetime
    kind: str  # "sharp_pain" or "red_flags"
    detail: str


@dataclass(frozen=True)
class ProgressNote:
    """A note the user wrote: on its own (`hipflex log note`) or with a session."""

    at: datetime
    text: str
    session: str | None = None  # the session's name ("Morning session"); None on its own


def _notes(
    sessions: list[SessionLog], notes: list[Note], since: datetime
) -> tuple[ProgressNote, ...]:
    """The period's free notes and session notes, oldest first."""
    found = [ProgressNote(n.at, n.text) for n in notes if n.at >= since]
    found += [
        ProgressNote(log.started_at, log.note, _session_name(log)) for log in sessions if log.note
    ]
    return tuple(sorted(found, key=lambda n: n.at))


def _session_name(log: SessionLog) -> str:
    return "Session" if log.slot is None else SLOT_NAMES[log.slot]


@dataclass(frozen=True)
class ProgressView:
    today: date
    zone: ZoneInfo
    preferences: Preferences
    block: Block | None
    current_week: int
    programme: Programme | None
    weeks: tuple[WeekProgress, ...]
    streak_days: int
    pain: PainChange
    pain_points: tuple[tuple[datetime, float, str], ...]  # (when, score, what: daily/before/after)
    tests: tuple[RecordedAssessment, ...]  # this block's baseline and re-tests, oldest first
    changes: dict[tuple[Side, Measure], AngleChange]  # baseline -> latest test, per side
    photo_sem_deg: float  # the photo method's standard error (a setting; typed in is 7)
    latest_asymmetry: dict[Measure, float]
    sitting: dict[date, SittingEntry]
    sitting_band: SittingBand | None  # of the average over the last 7 days' entries
    safety: tuple[SafetyEvent, ...]
    paused: frozenset[ExerciseId]
    notes: tuple[ProgressNote, ...]  # free notes and session notes of the period, oldest first

    @property
    def sessions_done(self) -> int:
        return sum(w.done for w in self.weeks)

    @property
    def sessions_planned(self) -> int:
        return sum(w.planned for w in self.weeks)


def _pain_points(
    sessions: list[SessionLog], ratings: list[tuple[datetime, int]]
) -> tuple[tuple[datetime, float, str], ...]:
    points: list[tuple[datetime, float, str]] = [(at, float(s), "daily") for at, s in ratings]
    for log in sessions:
        if log.pain_before is not None:
            points.append((log.started_at, float(log.pain_before), "before"))
        if log.pain_after is not None:
            points.append((log.ended_at or log.started_at, float(log.pain_after), "after"))
    return tuple(sorted(points))


def progress(app: AppContext) -> ProgressView:
    """Everything `hipflex progress` and the report show, for the current block."""
    latest = app.store.latest_assessment()
    if latest is None:
        raise NoAssessment
    view = plan_week(app, gated=False)  # the record, also while the safety questions are due
    preferences = view.preferences
    zone = zone_for(preferences.timezone)
    now = app.clock.now()
    today = now.astimezone(zone).date()
    block = view.block
    # Only the current block is read, so a report costs the same after five years of use.
    first_day = block.started_on if block is not None else today - timedelta(weeks=6)
    since = local_midnight(first_day, zone).astimezone(UTC)
    sessions = app.store.session_logs(since=since)
    ratings = app.store.pain_ratings(since=since)
    entries = daily_sitting(app.store.sitting_entries(since=first_day))

    weeks: list[WeekProgress] = []
    if block is not None and isinstance(view.result, Programme):
        planned = view.result.sessions_per_week  # the calendar's count too
        for week in range(1, min(view.current_week, preferences.block_weeks) + 1):
            starts = block.week_start(week)
            opens = local_midnight(starts, zone).astimezone(UTC)
            closes = opens + timedelta(days=7)
            in_week = [s for s in sessions if opens <= s.started_at < closes]
            rated = [r for r in ratings if opens <= r.at < closes]
            summary = week_summary(week, planned, in_week, rated)
            sat = [e.hours for d, e in entries.items() if starts <= d < starts + timedelta(7)]
            weeks.append(
                WeekProgress(
                    week=week,
                    starts=starts,
                    planned=planned,
                    done=summary.sessions_done,
                    mean_pain=summary.mean_pain,
                    sharp_pain=summary.sharp_pain,
                    mean_sitting=fmean(sat) if sat else None,
                )
            )
    with_pain = [w for w in weeks if w.mean_pain is not None]
    pain = pain_verdict(
        with_pain[0].mean_pain if len(with_pain) > 1 else None,
        with_pain[-1].mean_pain if len(with_pain) > 1 else None,
    )

    tests = _block_tests(app, block, app.store.latest_assessment(with_tests=True) or latest)
    photo_sem = photo_sem_from(app.settings)
    changes: dict[tuple[Side, Measure], AngleChange] = {}
    asymmetries: dict[Measure, float] = {}
    if tests:
        first, last = tests[0].assessment, tests[-1].assessment
        for side in Side:
            for name in MEASURES:
                change = angle_change(
                    measure(first, side, name),
                    measure(last, side, name),
                    methods=(method_of(first, side, name), method_of(last, side, name)),
                    photo_sem_deg=photo_sem,
                )
                if change is not None and len(tests) > 1:
                    changes[(side, name)] = change
        for name in MEASURES:
            gap = asymmetry(measure(last, Side.LEFT, name), measure(last, Side.RIGHT, name))
            if gap is not None:
                asymmetries[name] = gap

    recent = [e.hours for d, e in entries.items() if today - timedelta(days=7) < d <= today]
    safety = [
        SafetyEvent(
            log.started_at, "sharp_pain", ", ".join(sorted(e.value for e in log.sharp_pain))
        )
        for log in sessions
        if log.sharp_pain
    ]
    safety += [
        SafetyEvent(
            r.recorded_at,
            "red_flags",
            ", ".join(f.value for f in RedFlag if f in r.assessment.red_flags),
        )
        for r in app.store.assessments()
        if r.assessment.red_flags and r.recorded_at >= since
    ]
    session_days = {s.started_at.astimezone(zone).date() for s in sessions if s.done}
    return ProgressView(
        today=today,
        zone=zone,
        preferences=preferences,
        block=block,
        current_week=view.current_week,
        programme=view.result if isinstance(view.result, Programme) else None,
        weeks=tuple(weeks),
        streak_days=streak(session_days, today),
        pain=pain,
        pain_points=_pain_points(sessions, [(r.at, r.score) for r in ratings]),
        tests=tests,
        changes=changes,
        photo_sem_deg=photo_sem,
        latest_asymmetry=asymmetries,
        sitting=entries,
        sitting_band=sitting_band(fmean(recent)) if recent else None,
        safety=tuple(sorted(safety, key=lambda e: e.at)),
        paused=paused_exercises(app),
        notes=_notes(sessions, app.store.notes(), since),
    )


def _block_tests(
    app: AppContext, block: Block | None, latest: RecordedAssessment
) -> tuple[RecordedAssessment, ...]:
    """The block's baseline and its re-tests, oldest first (or just the latest)."""
    if block is None:
        return (latest,)
    everything = app.store.assessments()
    baseline = [r for r in everything if r.id == block.assessment_id]
    retests = [r for r in everything if r.kind is AssessmentKind.RETEST and r.block_id == block.id]
    return tuple(sorted(baseline + retests, key=lambda r: (r.recorded_at, r.id)))
