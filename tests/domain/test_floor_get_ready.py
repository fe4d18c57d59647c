"""A longer get-ready when an exercise means getting down to the floor or up from it
(issue 14): each exercise's position is content, the seconds are a setting with its
bounds in domain/limits.py, and the script and the session's estimate agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies
from tests.domain.test_player import EXERCISES, compile_plan

from hipflex.domain.errors import BadInput
from hipflex.domain.limits import FLOOR_GET_READY_SECONDS_RANGE
from hipflex.domain.plan import (
    CHANGE_SECONDS,
    LEAD_IN_SECONDS,
    SessionPlan,
    SessionSlot,
    build_programme,
    opening_seconds,
    prescribe,
)
from hipflex.domain.preferences import DEFAULT_FLOOR_GET_READY_SECONDS, Preferences
from hipflex.domain.progression import ProgressionState
from hipflex.domain.protocol import ExerciseId, Position
from hipflex.domain.script import StepKind

E = ExerciseId
LOW, HIGH = FLOOR_GET_READY_SECONDS_RANGE
floor_seconds = st.integers(LOW, HIGH)


def test_every_exercise_has_a_position_and_the_floor_ones_are_on_the_floor():
    for exercise in EXERCISES.values():
        assert isinstance(exercise.position, Position)
    assert EXERCISES[E.HALF_KNEELING_HIP_FLEXOR].position is Position.KNEELING
    assert EXERCISES[E.GLUTE_BRIDGE].position is Position.LYING
    assert not EXERCISES[E.STANDING_QUAD_HIP_FLEXOR].position.on_floor


def test_the_default_is_inside_the_bounds_and_the_bounds_are_checked():
    assert LOW <= DEFAULT_FLOOR_GET_READY_SECONDS <= HIGH
    assert Preferences().floor_get_ready_seconds == DEFAULT_FLOOR_GET_READY_SECONDS
    for wrong in (LOW - 1, HIGH + 1):
        with pytest.raises(BadInput, match="get-ready to or from the floor"):
            Preferences(floor_get_ready_seconds=wrong)


@given(floor_seconds)
def test_only_a_change_to_or_from_the_floor_takes_longer(seconds: int):
    def opening(before: Position | None, after: Position, first: bool = False) -> int:
        return opening_seconds(before, after, first=first, floor_seconds=seconds)

    # from the desk (the first exercise)
    assert opening(None, Position.KNEELING, first=True) == max(LEAD_IN_SECONDS, seconds)
    assert opening(None, Position.STANDING, first=True) == LEAD_IN_SECONDS
    # between exercises
    assert opening(Position.STANDING, Position.LYING) == max(CHANGE_SECONDS, seconds)
    assert opening(Position.LYING, Position.SITTING) == max(CHANGE_SECONDS, seconds)
    assert opening(Position.KNEELING, Position.LYING) == CHANGE_SECONDS  # still down there
    assert opening(Position.STANDING, Position.SITTING) == CHANGE_SECONDS
    # an unknown position is the usual get-ready
    assert opening(None, Position.LYING) == CHANGE_SECONDS


@given(floor_seconds)
def test_the_script_gives_the_setting_and_takes_exactly_its_estimate(seconds: int):
    stand, kneel, bridge = (
        prescribe(EXERCISES[e], 0)
        for e in (E.STANDING_QUAD_HIP_FLEXOR, E.HALF_KNEELING_HIP_FLEXOR, E.GLUTE_BRIDGE)
    )
    session = SessionPlan(
        SessionSlot.EVENING, "Mixed", (stand, kneel, bridge), floor_get_ready_seconds=seconds
    )
    script = compile_plan(session)
    openings = [s.seconds for s in script.steps if s.kind in (StepKind.LEAD_IN, StepKind.CHANGE)]
    assert openings == [LEAD_IN_SECONDS, max(CHANGE_SECONDS, seconds), CHANGE_SECONDS]
    assert script.total_seconds == session.estimated_seconds


@given(strategies.tight_assessments, floor_seconds)
def test_the_programme_takes_the_users_setting(assessment, seconds: int):  # type: ignore[no-untyped-def]
    programme = build_programme(
        assessment,
        Preferences(floor_get_ready_seconds=seconds, floor_at_work=True),
        EXERCISES,
        week=1,
        state=ProgressionState(),
    )
    for session in getattr(programme, "sessions", ()):
        assert session.floor_get_ready_seconds == seconds
        assert compile_plan(session).total_seconds == session.estimated_seconds
