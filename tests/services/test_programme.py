"""Programme services: blocks, weeks, safety overrides, preferences."""

from __future__ import annotations

from datetime import time

import pytest

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ThighPosition,
    ThomasInput,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import NeedsTests, Programme, SafetyStop
from hipflex.domain.preferences import Weekday
from hipflex.domain.progression import Verdict
from hipflex.domain.protocol import ExerciseId, RedFlag, Side
from hipflex.services import programme
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext

DAY = 24 * 3600
TIGHT_RECTUS = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0)},
    sitting_hours=7,
    red_flags=frozenset(),
)


def test_no_assessment_means_no_plan(app: AppContext):
    with pytest.raises(programme.NoAssessment, match="hipflex assess"):
        programme.plan_week(app)


def test_first_plan_starts_a_block_today_at_week_1(app: AppContext, clock: FixedClock):
    record_assessment(app, TIGHT_RECTUS)
    view = programme.plan_week(app)
    assert isinstance(view.result, Programme)
    assert view.week == view.current_week == 1
    assert view.block is not None
    assert view.block.started_on == clock.now().date()
    assert not view.projected
    assert ExerciseId.COUCH_STRETCH not in {
        p.exercise_id for s in view.result.sessions for p in s.prescriptions
    }


def test_weeks_follow_the_calendar_and_hold_without_logs(app: AppContext, clock: FixedClock):
    record_assessment(app, TIGHT_RECTUS)
    programme.plan_week(app)
    clock.advance(15 * DAY)
    view = programme.plan_week(app)
    assert view.current_week == 3
    assert [d.verdict for d in view.decisions] == [Verdict.HOLD, Verdict.HOLD]
    assert isinstance(view.result, Programme)
    holds = {p.hold_seconds for s in view.result.sessions for p in s.prescriptions}
    assert 30 in holds  # nothing logged: still the starting dosage


def test_a_future_week_is_a_projection_that_assumes_tolerance(app: AppContext):
    record_assessment(app, TIGHT_RECTUS)
    view = programme.plan_week(app, 4)
    assert view.projected
    assert [d.verdict for d in view.decisions] == [Verdict.PROGRESS] * 3
    assert isinstance(view.result, Programme)
    evening = view.result.sessions[-1]
    assert ExerciseId.COUCH_STRETCH in evening.exercise_ids


@pytest.mark.parametrize("week", [0, 7])
def test_week_outside_the_block_is_bad_input(app: AppContext, week: int):
    record_assessment(app, TIGHT_RECTUS)
    with pytest.raises(BadInput, match="outside your 6-week block"):
        programme.plan_week(app, week)


def test_a_red_flag_in_a_later_assessment_stops_an_active_programme(app: AppContext):
    record_assessment(app, TIGHT_RECTUS)
    assert isinstance(programme.plan_week(app).result, Programme)
    record_assessment(
        app,
        AssessmentInput(red_flags=frozenset({RedFlag.LEG_WEAKNESS})),
        kind=AssessmentKind.RETEST,
    )
    view = programme.plan_week(app)
    assert isinstance(view.result, SafetyStop)
    assert view.result.red_flags == {RedFlag.LEG_WEAKNESS}


def test_untested_assessment_needs_tests(app: AppContext):
    record_assessment(app, AssessmentInput(sitting_hours=9, red_flags=frozenset()))
    assert isinstance(programme.plan_week(app).result, NeedsTests)


def test_a_new_baseline_starts_a_new_block(app: AppContext, clock: FixedClock):
    record_assessment(app, TIGHT_RECTUS)
    first = programme.plan_week(app).block
    clock.advance(43 * DAY)
    assert programme.plan_week(app).block_complete
    record_assessment(app, TIGHT_RECTUS)
    second = programme.plan_week(app)
    assert second.block is not None
    assert first is not None
    assert second.block.id != first.id
    assert second.current_week == 1


def test_preferences_default_update_and_validate(app: AppContext):
    assert programme.get_preferences(app).sessions_per_day == 2
    updated = programme.update_preferences(
        app,
        sessions_per_day=3,
        work_days=frozenset({Weekday.MON, Weekday.WED}),
        work_start=time(8, 0),
        timezone="Europe/Berlin",
        floor_at_work=None,
    )
    assert programme.get_preferences(app) == updated
    assert updated.floor_at_work is False
    with pytest.raises(BadInput, match="sessions a day"):
        programme.update_preferences(app, sessions_per_day=4)
    with pytest.raises(BadInput, match="unknown time zone"):
        programme.update_preferences(app, timezone="Nowhere/Land")
    assert programme.get_preferences(app) == updated  # nothing saved from a bad change


def test_preferences_shape_the_plan(app: AppContext):
    record_assessment(app, TIGHT_RECTUS)
    programme.update_preferences(app, sessions_per_day=3, break_minutes=30)
    view = programme.plan_week(app)
    assert isinstance(view.result, Programme)
    assert view.result.sessions_per_day == 3
    assert len(view.result.sessions) == 3
    assert view.result.break_minutes == 30


def test_today_highlights_the_next_item(app: AppContext, clock: FixedClock):
    record_assessment(app, TIGHT_RECTUS)
    # the fixture clock is Monday 2026-11-02 09:00 UTC; the system zone is used by default
    programme.update_preferences(app, timezone="UTC")
    view = programme.today(app)
    assert view.day is not None
    assert view.day.work_day
    upcoming = view.next_item
    assert upcoming is not None
    assert upcoming.start.strftime("%H:%M") == "09:40"
    clock.advance(7 * 3600 + 41 * 60)  # 16:41: the end-of-day session is under way (it
    # starts at 16:40 in the place of the last break, which would crowd 17:00)
    late = programme.today(app)
    assert late.next_item is not None
    assert late.next_item.title == "End-of-day session"
    clock.advance(3600 + 24 * 60)  # 18:05: nothing left today
    assert programme.today(app).next_item is None
