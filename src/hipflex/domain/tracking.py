"""Logs -> progress: week summaries, adherence, the pain verdict, measurement error.

The numbers are PROTOCOL.md section 4's: a meaningful pain change is 2 points, or 30% of
baseline and at least 1 point, from a baseline weekly mean of at least 2; a self-measured
angle has about a 7 degree standard error, a photo-measured one about 1 degree (a
setting), and a change between two tests takes the larger error of the two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import fmean

from hipflex.domain.assessment import MeasurementMethod
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput, Conflict
from hipflex.domain.goniometry import PHOTO_SEM_DEG, check_photo_sem
from hipflex.domain.inputs import check_moment, check_text
from hipflex.domain.limits import (
    HOLD_SECONDS_RANGE,
    MAX_NOTE_LENGTH,
    PAIN_RANGE,
    REPS_RANGE,
    SET_NUMBER_RANGE,
    SITTING_HOURS_RANGE,
)
from hipflex.domain.plan import Prescription, SessionSlot
from hipflex.domain.progression import SessionPain, WeekSummary
from hipflex.domain.protocol import ExerciseId, Side

# PROTOCOL.md section 4: the usual minimal clinically important difference for pain NRS.
PAIN_MCID_POINTS = 2.0
PAIN_MCID_FRACTION = 0.30
# PROTOCOL.md section 4: "responder" only from a baseline weekly mean of at least 2 (below
# it the pain was already low), and the 30% route needs a fall of at least 1 point too (a
# mean of 1.0 falling to 0.7 is 30% but not a response).
RESPONDER_BASELINE_FLOOR = 2.0
PAIN_MCID_FRACTION_MIN_POINTS = 1.0
# PROTOCOL.md section 4: a self-measured angle carries about a 7 degree standard error, so
# a single-measurement change needs about 19 degrees (1.96 x sqrt(2) x SEM) to be real.
ANGLE_SEM_DEG = 7.0
# The minimal detectable change of a single measurement before and after, at 95%.
MDC_FACTOR = 1.96 * math.sqrt(2)
ANGLE_MDC_DEG = MDC_FACTOR * ANGLE_SEM_DEG
_TOLERANCE = 1e-9


class SessionSource(StrEnum):
    MANUAL = "manual"  # typed in afterwards with `hipflex log session`
    GUIDED = "guided"  # recorded hold by hold by the session player


class SittingSource(StrEnum):
    ENTERED = "entered"
    MEASURED = "measured"  # by the reminder daemon


def check_pain(score: int, what: str = "pain") -> int:
    low, high = PAIN_RANGE
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        msg = f"{what} must be a whole number from {low} to {high}, not {score}"
        raise BadInput(msg)
    return score


def check_sitting_hours(hours: float) -> float:
    low, high = SITTING_HOURS_RANGE
    if isinstance(hours, bool) or not math.isfinite(hours) or not low <= hours <= high:
        msg = f"sitting hours must be between {low:g} and {high:g}, not {hours:g}"
        raise BadInput(msg)
    return hours


def check_not_future(when: datetime, now: datetime, what: str) -> None:
    check_moment(when, what)
    if when > now:
        msg = f"{what} {when:%Y-%m-%d %H:%M} is in the future"
        raise BadInput(msg)


@dataclass(frozen=True)
class ExerciseEntry:
    """One hold or one set of one exercise, on one side (None when not per side)."""

    exercise_id: ExerciseId
    side: Side | None = None
    set_number: int = 1
    hold_seconds: int | None = None
    reps: int | None = None
    skipped: bool = False
    sharp_pain: bool = False

    def __post_init__(self) -> None:
        for value, what, (low, high) in (
            (self.set_number, "set number", SET_NUMBER_RANGE),
            (self.hold_seconds, "hold seconds", HOLD_SECONDS_RANGE),
            (self.reps, "reps", REPS_RANGE),
        ):
            if value is not None and not low <= value <= high:
                msg = f"{what} must be between {low} and {high}, not {value}"
                raise BadInput(msg)

    @property
    def hold(self) -> tuple[ExerciseId, Side | None, int, bool]:
        """Which hold or set this is: each is logged once (sharp pain once per side)."""
        number = 0 if self.sharp_pain else self.set_number
        return self.exercise_id, self.side, number, self.sharp_pain


@dataclass(frozen=True)
class SessionLog:
    started_at: datetime
    source: SessionSource
    entries: tuple[ExerciseEntry, ...] = ()
    slot: SessionSlot | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    ended_at: datetime | None = None
    note: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        for score, what in ((self.pain_before, "pain before"), (self.pain_after, "pain after")):
            if score is not None:
                check_pain(score, what)

    def admits(self, entry: ExerciseEntry) -> bool:
        """Whether `entry` is new to this open session: False for a retry of an entry
        already logged (it lands once). A finished session takes no more entries, and a
        hold already logged with another result is refused (the log only grows)."""
        if self.ended_at is not None:
            msg = f"session {self.id} is finished: nothing more can be logged in it"
            raise Conflict(msg)
        for logged in self.entries:
            if logged.hold == entry.hold:
                if logged == entry:
                    return False
                msg = (
                    f"{entry.exercise_id.value} set {entry.set_number} is already logged in "
                    f"session {self.id} with another result"
                )
                raise Conflict(msg)
        return True

    def finishes(self, pain_after: int | None, note: str | None) -> bool:
        """Whether finishing with these answers closes this session: False for a retry of
        the finish already recorded (nothing changes); a different second finish is
        refused (pain after and the end time are never overwritten)."""
        if self.ended_at is None:
            return True
        if self.pain_after == pain_after and note in (None, self.note):
            return False
        msg = f"session {self.id} is already finished"
        raise Conflict(msg)

    @property
    def done(self) -> bool:
        """A session counts when at least one exercise was done, not skipped."""
        return any(not e.skipped for e in self.entries)

    @property
    def sharp_pain(self) -> frozenset[ExerciseId]:
        return frozenset(e.exercise_id for e in self.entries if e.sharp_pain)

    @property
    def pain(self) -> SessionPain | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return SessionPain(self.pain_before, self.pain_after)


@dataclass(frozen=True)
class PainRating:
    at: datetime
    score: int

    def __post_init__(self) -> None:
        check_pain(self.score)


@dataclass(frozen=True)
class SittingEntry:
    day: date
    hours: float
    source: SittingSource
    at: datetime

    def __post_init__(self) -> None:
        check_sitting_hours(self.hours)


def check_note(text: str, what: str = "the note") -> str:
    """A free note: some text, at most MAX_NOTE_LENGTH characters, storable (no NUL)."""
    check_text(text, what)
    cleaned = text.strip()
    if not cleaned:
        msg = f"{what} is empty"
        raise BadInput(msg)
    if len(cleaned) > MAX_NOTE_LENGTH:
        msg = f"notes are at most {MAX_NOTE_LENGTH} characters (this one has {len(cleaned)})"
        raise BadInput(msg)
    return cleaned


@dataclass(frozen=True)
class Note:
    at: datetime
    text: str


@dataclass(frozen=True)
class BreakEvent:
    """What the user did with a movement-break reminder."""

    at: datetime
    outcome: BreakOutcome


@dataclass(frozen=True)
class Clearance:
    """The user had an exercise checked after sharp pain and may do it again."""

    exercise_id: ExerciseId
    at: datetime


def week_summary(
    week: int,
    planned: int,
    sessions: Iterable[SessionLog],
    ratings: Iterable[PainRating],
) -> WeekSummary:
    """A programme week's logs as the progression rules read them. Only sessions with
    something done count towards adherence; but pain is pain: a session's pain before and
    after, and sharp pain, count wherever they were logged, in a session where everything
    was skipped or in a movement break (logged as a session with nothing done)."""
    logs = list(sessions)
    return WeekSummary(
        week=week,
        sessions_planned=planned,
        sessions_done=sum(1 for s in logs if s.done),
        session_pain=tuple(p for p in (s.pain for s in logs) if p is not None),
        daily_pain=tuple(float(r.score) for r in ratings),
        sharp_pain=frozenset(e for s in logs for e in s.sharp_pain),
    )


class PainVerdict(StrEnum):
    RESPONDER = "responder"  # down 2 points, or 30% and 1 point, from a baseline of 2 or more
    NOT_YET = "not_yet"  # changed less than that
    WORSE = "worse"  # up by 2 points or more
    LOW_BASELINE = "low_baseline"  # the first week's mean was under 2: already low
    NO_DATA = "no_data"


@dataclass(frozen=True)
class PainChange:
    verdict: PainVerdict
    baseline: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        """Points of improvement (positive is better)."""
        if self.baseline is None or self.latest is None:
            return None
        return self.baseline - self.latest


#: The meaningful change in words, for every sentence that names it.
MEANINGFUL_CHANGE_WORDS = (
    f"{PAIN_MCID_POINTS:g} points, or {PAIN_MCID_FRACTION:.0%} when that is at least "
    f"{PAIN_MCID_FRACTION_MIN_POINTS:g} point"
)
#: Where the rule starts, in words: the first week's mean it needs.
RESPONDER_FLOOR_WORDS = (
    f"a first week that averaged at least {RESPONDER_BASELINE_FLOOR:g} out of 10 (below that "
    "the pain was already low)"
)


def responder_ceiling(baseline: float) -> float | None:
    """The highest weekly mean pain that still counts as a meaningful fall from `baseline`
    (PROTOCOL.md section 4): 2 points down, or 30% down when that is at least 1 point,
    whichever is reached first. None under a baseline of 2: the pain was already low and no
    fall counts as a response. The verdict and the chart's "meaningful change" line both
    read it."""
    if baseline < RESPONDER_BASELINE_FLOOR - _TOLERANCE:
        return None
    by_points = baseline - PAIN_MCID_POINTS
    by_fraction = min(baseline * (1 - PAIN_MCID_FRACTION), baseline - PAIN_MCID_FRACTION_MIN_POINTS)
    return max(by_points, by_fraction)


def pain_verdict(baseline: float | None, latest: float | None) -> PainChange:
    """'Responder' only at the usual minimal important change, and only from a baseline
    that leaves room for one (PROTOCOL.md section 4). A rise of 2 points is worse whatever
    the baseline."""
    if baseline is None or latest is None:
        return PainChange(PainVerdict.NO_DATA, baseline, latest)
    ceiling = responder_ceiling(baseline)
    if latest - baseline >= PAIN_MCID_POINTS - _TOLERANCE:
        verdict = PainVerdict.WORSE
    elif ceiling is None:
        verdict = PainVerdict.LOW_BASELINE
    elif latest <= ceiling + _TOLERANCE:
        verdict = PainVerdict.RESPONDER
    else:
        verdict = PainVerdict.NOT_YET
    return PainChange(verdict, baseline, latest)


def angle_sem(method: MeasurementMethod, *, photo_sem_deg: float = PHOTO_SEM_DEG) -> float:
    """The standard error of one angle measured by `method` (PROTOCOL.md section 4): about
    7 degrees typed in, the photo setting (default 1 degree, Peeler 2013) from a photo."""
    if method is MeasurementMethod.PHOTO:
        return check_photo_sem(photo_sem_deg)
    return ANGLE_SEM_DEG


def change_sem(
    before: MeasurementMethod,
    after: MeasurementMethod,
    *,
    photo_sem_deg: float = PHOTO_SEM_DEG,
) -> float:
    """Comparing two tests uses the larger of their two errors (PROTOCOL.md section 4)."""
    return max(angle_sem(method, photo_sem_deg=photo_sem_deg) for method in (before, after))


def minimal_detectable_change(sem_deg: float) -> float:
    """The smallest change two single measurements with this error can show (1.96 x
    sqrt(2) x SEM): about 19 degrees self-measured, about 3 from photos."""
    return MDC_FACTOR * sem_deg


@dataclass(frozen=True)
class AngleChange:
    """One angle at two tests, each with how it was measured."""

    before: float
    after: float
    before_method: MeasurementMethod = MeasurementMethod.SELF
    after_method: MeasurementMethod = MeasurementMethod.SELF
    photo_sem_deg: float = PHOTO_SEM_DEG

    def __post_init__(self) -> None:
        check_photo_sem(self.photo_sem_deg)

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def sem_deg(self) -> float:
        """The larger error of the two measurements."""
        return change_sem(self.before_method, self.after_method, photo_sem_deg=self.photo_sem_deg)

    @property
    def mdc_deg(self) -> float:
        return minimal_detectable_change(self.sem_deg)

    @property
    def beyond_error(self) -> bool:
        """Larger than the two measurements' error can explain: about 19 degrees when
        either was self-measured, about 3 when both came from photos."""
        return abs(self.delta) >= self.mdc_deg - _TOLERANCE


def angle_change(
    before: float | None,
    after: float | None,
    *,
    methods: tuple[MeasurementMethod, MeasurementMethod] = (
        MeasurementMethod.SELF,
        MeasurementMethod.SELF,
    ),
    photo_sem_deg: float = PHOTO_SEM_DEG,
) -> AngleChange | None:
    """The change between two tests' angles (None unless both were measured), with how
    each was measured (before, after)."""
    if before is None or after is None:
        return None
    return AngleChange(before, after, methods[0], methods[1], photo_sem_deg)


def asymmetry(left: float | None, right: float | None) -> float | None:
    """Left minus right, degrees; None unless both sides were measured."""
    if left is None or right is None:
        return None
    return left - right


def daily_sitting(entries: Iterable[SittingEntry]) -> dict[date, SittingEntry]:
    """One figure a day: the latest entry wins, nothing is summed or overwritten in storage."""
    latest: dict[date, SittingEntry] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        latest[entry.day] = entry
    return dict(sorted(latest.items()))


def streak(session_days: Iterable[date], today: date) -> int:
    """Days in a row, up to today (or yesterday, if today is not done yet), with a session."""
    days = set(session_days)
    start = today if today in days else today - timedelta(days=1)
    count = 0
    while start - timedelta(days=count) in days:
        count += 1
    return count


def mean_or_none(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def entries_as_prescribed(
    prescription: Prescription, *, skipped: bool = False, sharp_pain: bool = False
) -> tuple[ExerciseEntry, ...]:
    """The log entries of an exercise done (or skipped) as prescribed: a hold or a set per
    side; sharp pain is marked on the last one, where the exercise stopped."""
    sides: tuple[Side | None, ...] = prescription.sides or (None,)
    entries = [
        ExerciseEntry(
            exercise_id=prescription.exercise_id,
            side=side,
            set_number=number,
            hold_seconds=None if skipped else prescription.hold_seconds,
            reps=None if skipped else (None if prescription.hold_seconds else prescription.reps),
            skipped=skipped,
        )
        for number in range(1, 1 + prescription.rounds)
        for side in sides
        if number <= prescription.rounds_on(side)
    ]
    if sharp_pain and entries:
        entries[-1] = replace(entries[-1], sharp_pain=True)
    return tuple(entries)
