"""A week of logs -> next week's change: progress, hold or regress (PROTOCOL.md section 4).

Plain data in, plain data out: the tracking layer summarises real logs into WeekSummary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from statistics import fmean

from hipflex.domain.errors import BadInput
from hipflex.domain.limits import PAIN_RANGE
from hipflex.domain.protocol import ExerciseId, IntRange

# PROTOCOL.md section 4: a rise of 2 or more points within a session or over a week is a
# warning that regresses the plan from the next session (and asks the red-flag questions
# again: hipflex.domain.safety). hipflex reads "over a week" two ways: a day's rating 2
# points above the previous week's mean (known at once), and the week's mean 2 points
# above the previous week's (known at the week's end).
PAIN_RISE_WARNING = 2.0
# hipflex's own rule: progress only on evidence; fewer than half the planned sessions done
# is not enough to judge tolerance.
MIN_ADHERENCE_TO_PROGRESS = 0.5
# The dosage ladder: level 0 is each range's minimum, MAX_LEVEL its maximum. Three steps
# take 30 s holds to 60 s by week 4, where gains plateau (PROTOCOL.md section 4).
MAX_LEVEL = 3
HOLD_STEP_SECONDS = 5
# Pain means are floats: 16/3 - 10/3 is 1.9999999999999996, still a rise of 2.
_TOLERANCE = 1e-9


class Verdict(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


def _check_pain(value: float, what: str) -> None:
    low, high = PAIN_RANGE
    if not math.isfinite(value) or not low <= value <= high:
        msg = f"{what} must be from 0 to 10, not {value:g}"
        raise BadInput(msg)


@dataclass(frozen=True)
class SessionPain:
    """Pain 0-10 before and after one session."""

    before: float
    after: float

    def __post_init__(self) -> None:
        _check_pain(self.before, "pain before a session")
        _check_pain(self.after, "pain after a session")

    @property
    def rise(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class WeekSummary:
    """What one programme week's logs say."""

    week: int
    sessions_planned: int
    sessions_done: int
    session_pain: tuple[SessionPain, ...] = ()
    daily_pain: tuple[float, ...] = ()
    sharp_pain: frozenset[ExerciseId] = frozenset()

    def __post_init__(self) -> None:
        if self.week < 1:
            msg = f"programme weeks start at 1, not {self.week}"
            raise BadInput(msg)
        if self.sessions_planned < 0 or self.sessions_done < 0:
            msg = "session counts cannot be negative"
            raise BadInput(msg)
        for value in self.daily_pain:
            _check_pain(value, "a daily pain rating")

    @property
    def adherence(self) -> float:
        if self.sessions_planned == 0:
            return 0.0
        return min(1.0, self.sessions_done / self.sessions_planned)

    @property
    def worst_session_rise(self) -> float | None:
        return max((p.rise for p in self.session_pain), default=None)

    @property
    def mean_pain(self) -> float | None:
        """The week's average pain: daily ratings if any, else pain before sessions."""
        if self.daily_pain:
            return fmean(self.daily_pain)
        if self.session_pain:
            return fmean(p.before for p in self.session_pain)
        return None


@dataclass(frozen=True)
class ProgressionState:
    """Where the programme stands: the dosage level and what is in or out."""

    level: int = 0
    couch_weeks: int = 0  # weeks the couch stretch has been in; 0 = not (yet) tolerated
    removed: frozenset[ExerciseId] = frozenset()  # sharp pain: out until checked

    @property
    def couch_unlocked(self) -> bool:
        return self.couch_weeks > 0

    def cleared(self, exercise: ExerciseId) -> ProgressionState:
        """The user had the exercise checked and may do it again."""
        return replace(self, removed=self.removed - {exercise})


@dataclass(frozen=True)
class WeekDecision:
    """The change from one week to the next, and why."""

    verdict: Verdict
    state: ProgressionState
    reasons: tuple[str, ...]
    newly_removed: frozenset[ExerciseId] = field(default_factory=frozenset)


def pain_rose(rise: float | None) -> bool:
    """A rise of PAIN_RISE_WARNING points or more (within a float's error) is a warning."""
    return rise is not None and rise >= PAIN_RISE_WARNING - _TOLERANCE


class RiseKind(StrEnum):
    SESSION = "session"  # pain after a session against pain before it
    DAY = "day"  # a day's rating against the previous week's mean
    WEEK = "week"  # the week's mean against the previous week's


@dataclass(frozen=True)
class PainRise:
    """A pain rise of 2 points or more: a warning (PROTOCOL.md section 4)."""

    kind: RiseKind
    before: float  # pain before the session, or the previous week's mean
    after: float  # pain after the session, the day's rating, or this week's mean

    @property
    def rise(self) -> float:
        return self.after - self.before


def session_rise(before: float | None, after: float | None) -> PainRise | None:
    """Pain after a session 2 points or more above pain before it; None otherwise."""
    if before is None or after is None or not pain_rose(after - before):
        return None
    return PainRise(RiseKind.SESSION, before, after)


def day_rise(score: float, previous_mean: float | None) -> PainRise | None:
    """A day's rating 2 points or more above the previous week's mean; None otherwise (or
    without a previous week to compare with)."""
    if previous_mean is None or not pain_rose(score - previous_mean):
        return None
    return PainRise(RiseKind.DAY, previous_mean, score)


def pain_rise_over_week(summary: WeekSummary, previous: WeekSummary | None) -> float | None:
    if previous is None or summary.mean_pain is None or previous.mean_pain is None:
        return None
    return summary.mean_pain - previous.mean_pain


def pain_rises(
    summary: WeekSummary, previous: WeekSummary | None, *, weekly: bool = True
) -> tuple[PainRise, ...]:
    """The week's pain-rise warnings: each session that rose by 2, each day's rating 2 above
    the previous week's mean, and (with `weekly`, once the week is over) a weekly mean 2
    above the previous week's."""
    previous_mean = None if previous is None else previous.mean_pain
    found = [r for r in (session_rise(p.before, p.after) for p in summary.session_pain) if r]
    found += [r for r in (day_rise(score, previous_mean) for score in summary.daily_pain) if r]
    mean = summary.mean_pain
    if weekly and previous_mean is not None and mean is not None:
        week = PainRise(RiseKind.WEEK, previous_mean, mean)
        found += [week] if pain_rose(week.rise) else []
    return tuple(found)


#: What every pain-rise warning adds: the plan eases off at once, the safety questions
#: come again (PROTOCOL.md section 4).
EASE_OFF_WORDS = (
    "your plan eases off from your next session, and hipflex asks its safety questions "
    "again before any more exercise. If it keeps rising, please see a clinician."
)


def rise_warning(rise: PainRise) -> str:
    """What to tell you about a pain rise, wherever it was logged: a session's finish, a
    session typed in, a daily rating (PROTOCOL.md section 4)."""
    points = f"{PAIN_RISE_WARNING:g} points or more"
    if rise.kind is RiseKind.SESSION:
        what = (
            f"Your pain rose by {points} during this session (from {rise.before:g} to "
            f"{rise.after:g})"
        )
    elif rise.kind is RiseKind.DAY:
        what = (
            f"Your pain today ({rise.after:g}) is {points} above last week's average "
            f"({rise.before:.1f})"
        )
    else:
        what = (
            f"Your average pain rose by {points} over the week (from {rise.before:.1f} to "
            f"{rise.after:.1f})"
        )
    return f"{what}: {EASE_OFF_WORDS}"


def pain_rise_warning(before: float | None, after: float | None) -> str | None:
    """What to tell you when your pain rose by 2 points or more within a session
    (PROTOCOL.md section 4); None when it did not, or when a rating is missing."""
    rise = session_rise(before, after)
    return None if rise is None else rise_warning(rise)


def daily_rise_warning(score: float, previous_mean: float | None) -> str | None:
    """The warning for a day's rating 2 points or more above the previous week's mean."""
    rise = day_rise(score, previous_mean)
    return None if rise is None else rise_warning(rise)


def _rise_reasons(rises: Sequence[PainRise]) -> list[str]:
    """One reason per kind of rise, the largest of each (a decision's words)."""
    reasons = []
    for kind in RiseKind:
        worst = max((r for r in rises if r.kind is kind), key=lambda r: r.rise, default=None)
        if worst is None:
            continue
        if kind is RiseKind.SESSION:
            reasons.append(f"pain rose by {worst.rise:.3g} points during a session")
        elif kind is RiseKind.DAY:
            reasons.append(
                f"a day's pain rating of {worst.after:g} was {worst.rise:.2g} points above "
                "the previous week's average"
            )
        else:
            reasons.append(f"average pain rose by {worst.rise:.2g} points over the week")
    return reasons


def _regress(
    state: ProgressionState, reasons: Sequence[str], removed: frozenset[ExerciseId]
) -> WeekDecision:
    return WeekDecision(
        Verdict.REGRESS,
        ProgressionState(
            level=max(0, state.level - 1),
            couch_weeks=0,  # the intense stretch waits until things settle again
            removed=state.removed | removed,
        ),
        (*reasons, "holds get shorter and the couch stretch waits"),
        frozenset(removed - state.removed),
    )


def ease_off(
    state: ProgressionState, so_far: WeekSummary, previous: WeekSummary | None
) -> WeekDecision | None:
    """The current week's state once its logs hold a pain-rise warning: regressed from the
    next session on, not from next week (PROTOCOL.md section 4); None without one.

    It is the regression decide() makes for the same logs at the week's end, made early,
    from the same starting state: a warning regresses the plan once, one level for the
    week however many warnings it holds, and the week's decision does not regress again
    for it. It reads only warnings that stay true as the week goes on (a session's rise, a
    day's rating against the previous week's mean), so an eased week always ends
    regressed; a weekly mean's rise is known at the week's end.
    """
    rises = pain_rises(so_far, previous, weekly=False)
    if not rises:
        return None
    return _regress(state, _rise_reasons(rises), frozenset())


def decide(
    state: ProgressionState,
    summary: WeekSummary,
    previous: WeekSummary | None = None,
    *,
    couch_indicated: bool,
) -> WeekDecision:
    """Next week's state from this week's summary (and last week's, for the weekly trend)."""
    worst_rise = summary.worst_session_rise
    week_rise = pain_rise_over_week(summary, previous)
    reasons: list[str] = []
    if summary.sharp_pain:
        names = ", ".join(sorted(e.value for e in summary.sharp_pain))
        reasons.append(f"sharp pain was reported during {names}")
    reasons += _rise_reasons(pain_rises(summary, previous))
    if reasons:
        return _regress(state, reasons, summary.sharp_pain)
    if summary.adherence < MIN_ADHERENCE_TO_PROGRESS:
        return WeekDecision(
            Verdict.HOLD,
            state,
            (
                (
                    f"{summary.sessions_done} of {summary.sessions_planned} sessions were "
                    "logged; the dosage stays the same until at least half are done"
                ),
            ),
        )
    rising = (worst_rise is not None and worst_rise > _TOLERANCE) or (
        week_rise is not None and week_rise > _TOLERANCE
    )
    if rising:
        return WeekDecision(
            Verdict.HOLD, state, ("pain crept up a little; the dosage stays the same",)
        )
    unlock = couch_indicated and ExerciseId.COUCH_STRETCH not in state.removed
    return WeekDecision(
        Verdict.PROGRESS,
        ProgressionState(
            level=min(MAX_LEVEL, state.level + 1),
            couch_weeks=state.couch_weeks + 1 if unlock else 0,
            removed=state.removed,
        ),
        ("the week was tolerated: no sharp pain and pain not rising",),
    )


def replay(
    summaries: Sequence[WeekSummary],
    *,
    couch_indicated: bool,
    cleared: Sequence[frozenset[ExerciseId]] = (),
    start: ProgressionState | None = None,
) -> tuple[ProgressionState, list[WeekDecision]]:
    """The state after a run of weeks, oldest first, with each week's decision.

    `cleared[i]` are the exercises the user had checked (and may do again) by the end of
    week i + 1, so a paused exercise can come back, the couch stretch included. `start`
    is the block's first week (a block after a block starts at the dose tolerated).
    """
    state = start or ProgressionState()
    decisions: list[WeekDecision] = []
    previous: WeekSummary | None = None
    for index, summary in enumerate(summaries):
        decision = decide(state, summary, previous, couch_indicated=couch_indicated)
        decisions.append(decision)
        state = decision.state
        if index < len(cleared):
            state = replace(state, removed=state.removed - cleared[index])
        previous = summary
    return state, decisions


def step(span: IntRange, level: int, *, round_to: int = 1) -> int:
    """The value `level` steps up a range: its minimum at 0, its maximum at MAX_LEVEL."""
    clamped = min(max(level, 0), MAX_LEVEL)
    if clamped in (0, MAX_LEVEL):  # the ends are exact, whatever the rounding
        return span.min if clamped == 0 else span.max
    raw = span.min + (span.max - span.min) * clamped / MAX_LEVEL
    value = round(raw / round_to) * round_to
    return min(max(value, span.min), span.max)


def tolerated_weeks(decisions: Iterable[WeekDecision]) -> int:
    return sum(1 for d in decisions if d.verdict is Verdict.PROGRESS)
