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
# warning that regresses the plan.
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


def pain_rise_warning(before: float | None, after: float | None) -> str | None:
    """What to tell you when your pain rose by 2 points or more within a session
    (PROTOCOL.md section 4); None when it did not, or when a rating is missing."""
    if before is None or after is None or not pain_rose(after - before):
        return None
    return (
        f"Your pain rose by {PAIN_RISE_WARNING:g} points or more during this session (from "
        f"{before:g} to {after:g}): your plan will ease off. If it keeps rising, please see a "
        "clinician."
    )


def pain_rise_over_week(summary: WeekSummary, previous: WeekSummary | None) -> float | None:
    if previous is None or summary.mean_pain is None or previous.mean_pain is None:
        return None
    return summary.mean_pain - previous.mean_pain


def decide(
    state: ProgressionState,
    summary: WeekSummary,
    previous: WeekSummary | None = None,
    *,
    couch_indicated: bool,
) -> WeekDecision:
    """Next week's state from this week's summary (and last week's, for the weekly trend)."""
    session_rise = summary.worst_session_rise
    week_rise = pain_rise_over_week(summary, previous)
    reasons: list[str] = []
    if summary.sharp_pain:
        names = ", ".join(sorted(e.value for e in summary.sharp_pain))
        reasons.append(f"sharp pain was reported during {names}")
    if session_rise is not None and pain_rose(session_rise):
        reasons.append(f"pain rose by {session_rise:.3g} points during a session")
    if week_rise is not None and pain_rose(week_rise):
        reasons.append(f"average pain rose by {week_rise:.2g} points over the week")
    if reasons:
        newly_removed = summary.sharp_pain - state.removed
        return WeekDecision(
            Verdict.REGRESS,
            ProgressionState(
                level=max(0, state.level - 1),
                couch_weeks=0,  # the intense stretch waits until things settle again
                removed=state.removed | summary.sharp_pain,
            ),
            (*reasons, "holds get shorter and the couch stretch waits"),
            frozenset(newly_removed),
        )
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
    rising = (session_rise is not None and session_rise > _TOLERANCE) or (
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
