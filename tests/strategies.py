"""Hypothesis strategies shared by the tests, built from the domain's own constants (so a
range changed in the domain is the range the tests draw from, never a stale copy)."""

from __future__ import annotations

from datetime import time

from hypothesis import strategies as st

from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
    Thresholds,
    assess,
)
from hipflex.domain.limits import (
    BLOCK_WEEKS_RANGE,
    BREAK_MINUTES_RANGE,
    EXTENSION_FLOOR_SETTING_RANGE_DEG,
    EXTENSION_RANGE_DEG,
    FLOOR_GET_READY_SECONDS_RANGE,
    KNEE_FLOOR_SETTING_RANGE_DEG,
    KNEE_RANGE_DEG,
    PAIN_RANGE,
    SESSIONS_PER_DAY_RANGE,
    SITTING_HOURS_RANGE,
    THIGH_ANGLE_RANGE_DEG,
    THIGH_TOLERANCE_SETTING_RANGE_DEG,
)
from hipflex.domain.preferences import (
    MIN_WORKDAY_MINUTES,
    Preferences,
    Weekday,
)
from hipflex.domain.progression import MAX_LEVEL, ProgressionState
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, Sign

MINUTES_A_DAY = 24 * 60


def within(bounds: tuple[float, float]) -> st.SearchStrategy[float]:
    """Finite floats inside a closed range."""
    low, high = bounds
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def whole(bounds: tuple[int, int]) -> st.SearchStrategy[int]:
    return st.integers(*bounds)


knees = within(KNEE_RANGE_DEG)
thigh_angles = within(THIGH_ANGLE_RANGE_DEG)
extension_degrees = within(EXTENSION_RANGE_DEG)
sitting_hours = within(SITTING_HOURS_RANGE)
pain_scores = whole(PAIN_RANGE)
sessions_per_day = whole(SESSIONS_PER_DAY_RANGE)
block_weeks = whole(BLOCK_WEEKS_RANGE)
break_minutes = whole(BREAK_MINUTES_RANGE)
levels = st.integers(0, MAX_LEVEL)


def thomas(raised: bool, knee: float) -> ThomasInput:
    return ThomasInput(
        ThighPosition.RAISED if raised else ThighPosition.FLAT, knee_flexion_deg=knee
    )


@st.composite
def methods(draw: st.DrawFn) -> tuple[MeasurementMethod, bool | None]:
    """How a given test was measured: typed in, or from a photo with the pelvis checked or
    not (or not recorded)."""
    method = draw(st.sampled_from(MeasurementMethod))
    if method is MeasurementMethod.SELF:
        return method, None
    return method, draw(st.none() | st.booleans())


@st.composite
def thomas_inputs(draw: st.DrawFn) -> ThomasInput:
    """Untested, flat, raised, or a measured thigh angle, with a knee bend, each typed in
    or measured on a photo."""
    how = draw(st.sampled_from(["untested", "flat", "raised", "angle"]))
    if how == "untested":
        return ThomasInput()
    knee = draw(knees)
    measured = draw(methods())
    if how == "angle":
        return ThomasInput(None, draw(thigh_angles), knee, *measured)
    return ThomasInput(ThighPosition(how), None, knee, *measured)


@st.composite
def extension_inputs(draw: st.DrawFn) -> ExtensionInput:
    """Untested, or an angle and/or a compensation, typed in or measured on a photo."""
    found = draw(
        st.one_of(
            st.just(ExtensionInput()),
            st.builds(ExtensionInput, st.none() | extension_degrees, st.booleans()),
        )
    )
    if not found.given:
        return found
    return ExtensionInput(found.degrees, found.compensated, *draw(methods()))


red_flag_answers = st.frozensets(st.sampled_from(RedFlag), max_size=2)


def answers(
    red_flags: st.SearchStrategy[frozenset[RedFlag]] = red_flag_answers,
) -> st.SearchStrategy[AssessmentInput]:
    """Answers to every question; the safety questions always answered."""
    return st.builds(
        AssessmentInput,
        thomas=st.fixed_dictionaries(dict.fromkeys(Side, thomas_inputs())),
        extension=st.fixed_dictionaries(dict.fromkeys(Side, extension_inputs())),
        sitting_hours=st.none() | sitting_hours,
        signs=st.frozensets(st.sampled_from(Sign)),
        red_flags=red_flags,
    )


thresholds = st.builds(
    Thresholds,
    within(KNEE_FLOOR_SETTING_RANGE_DEG),
    within(THIGH_TOLERANCE_SETTING_RANGE_DEG),
    within(EXTENSION_FLOOR_SETTING_RANGE_DEG),
)


@st.composite
def assessments(draw: st.DrawFn, *, with_thresholds: bool = False) -> Assessment:
    limits = draw(thresholds) if with_thresholds else None
    return assess(draw(answers()), limits)


#: Assessments with no red flag and something tight: those that get a corrective plan.
tight_assessments = (
    answers(red_flags=st.just(frozenset())).map(assess).filter(lambda a: a.any_tight)
)

states = st.builds(
    ProgressionState,
    level=levels,
    couch_weeks=st.integers(0, BLOCK_WEEKS_RANGE[1]),
    removed=st.frozensets(st.sampled_from(ExerciseId)),
)


@st.composite
def preferences(draw: st.DrawFn, *, any_hours: bool = False) -> Preferences:
    """Preferences inside their ranges; `any_hours` also varies the work hours and zone."""
    extra: dict[str, object] = {}
    if any_hours:
        start = draw(st.integers(0, MINUTES_A_DAY - MIN_WORKDAY_MINUTES - 1))
        end = draw(st.integers(start + MIN_WORKDAY_MINUTES, MINUTES_A_DAY - 1))
        extra = {
            "work_start": time(start // 60, start % 60),
            "work_end": time(end // 60, end % 60),
            "timezone": draw(st.sampled_from([None, "UTC", "Europe/Berlin", "America/New_York"])),
        }
    return Preferences(
        sessions_per_day=draw(sessions_per_day),
        block_weeks=draw(block_weeks),
        break_minutes=draw(break_minutes),
        work_days=draw(st.frozensets(st.sampled_from(Weekday), min_size=1)),
        floor_at_work=draw(st.booleans()),
        sit_stand_desk=draw(st.booleans()),
        floor_get_ready_seconds=draw(st.integers(*FLOOR_GET_READY_SECONDS_RANGE)),
        **extra,  # type: ignore[arg-type]
    )
