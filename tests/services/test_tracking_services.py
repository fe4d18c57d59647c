"""Logging use cases: pain, sitting, sessions, sharp-pain pauses, re-tests, times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import sqlite_only

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ThighPosition,
    ThomasInput,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Programme, SafetyRecheck, SessionSlot
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import ExerciseEntry, SessionSource, SittingSource
from hipflex.services import programme, tracking
from hipflex.services.assessments import record_assessment, record_safety_check
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.progress import progress
from hipflex.services.session_logs import log_planned_session, planned_session

E = ExerciseId
HOUR = 3600
DAY = 24 * HOUR
# Thigh raised on the left: a tight iliopsoas (half-kneeling and pigeon); knee bend 70 on
# the right: a tight rectus femoris (standing quad and, later, the couch stretch).
TIGHT = AssessmentInput(
    thomas={
        Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=85.0),
        Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0),
    },
    sitting_hours=8,
    red_flags=frozenset(),
)


@pytest.fixture
def utc(app: AppContext) -> AppContext:
    programme.update_preferences(app, timezone="UTC")
    return app


def _plan_ids(app: AppContext) -> set[ExerciseId]:
    result = programme.plan_week(app).result
    assert isinstance(result, Programme)
    return {e for s in result.sessions for e in s.exercise_ids}


# --- pain --------------------------------------------------------------------------------


def test_log_pain_is_stored_now_or_at_a_past_time(utc: AppContext, clock: FixedClock):
    now = clock.now()
    first = tracking.log_pain(utc, 4)
    assert first.at == now
    earlier = now - timedelta(hours=3)
    tracking.log_pain(utc, 0, earlier)
    stored = utc.store.pain_ratings()
    assert [(r.at, r.score) for r in stored] == [(earlier, 0), (now, 4)]


def test_log_pain_refuses_the_future_and_bad_scores(utc: AppContext, clock: FixedClock):
    with pytest.raises(BadInput, match="in the future"):
        tracking.log_pain(utc, 3, clock.now() + timedelta(minutes=1))
    for score in (11, -1):
        with pytest.raises(BadInput, match="0 to 10"):
            tracking.log_pain(utc, score)
    assert utc.store.pain_ratings() == []


# --- sitting -----------------------------------------------------------------------------


def test_log_sitting_defaults_to_today_in_the_users_zone(app: AppContext, clock: FixedClock):
    # 09:00 UTC on Monday 2 November is 23:00 on Sunday 1 November in Honolulu.
    programme.update_preferences(app, timezone="Pacific/Honolulu")
    entry = tracking.log_sitting(app, 6.5)
    assert entry.day == date(2026, 11, 1)
    assert entry.source is SittingSource.ENTERED
    assert entry.at == clock.now()
    with pytest.raises(BadInput, match="2026-11-02 is in the future"):
        tracking.log_sitting(app, 3, date(2026, 11, 2))


def test_log_sitting_refuses_a_future_date_and_bad_hours(utc: AppContext):
    with pytest.raises(BadInput, match="in the future"):
        tracking.log_sitting(utc, 3, date(2026, 11, 3))
    with pytest.raises(BadInput, match="between 0 and 24"):
        tracking.log_sitting(utc, 25)
    assert utc.store.sitting_entries() == []


def test_two_entries_for_a_day_are_both_kept_and_the_latest_counts(
    utc: AppContext, clock: FixedClock
):
    record_assessment(utc, TIGHT)
    day = date(2026, 11, 2)
    tracking.log_sitting(utc, 5)
    clock.advance(HOUR)
    tracking.log_sitting(utc, 8, day, source=SittingSource.MEASURED)
    stored = utc.store.sitting_entries()
    assert [(e.day, e.hours) for e in stored] == [(day, 5), (day, 8)]
    view = progress(utc)
    assert view.sitting[day].hours == 8
    assert view.sitting[day].source is SittingSource.MEASURED
    assert view.weeks[0].mean_sitting == 8  # not 13, not 6.5


# --- sessions ----------------------------------------------------------------------------


def test_log_session_stores_the_entries(utc: AppContext, clock: FixedClock):
    entries = (
        ExerciseEntry(E.HALF_KNEELING_HIP_FLEXOR, Side.LEFT, hold_seconds=30),
        ExerciseEntry(E.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT, hold_seconds=30),
    )
    log = tracking.log_session(utc, entries, pain_before=3, pain_after=2, note="  felt ok  ")
    assert log.id is not None
    assert log.source is SessionSource.MANUAL
    (stored,) = utc.store.session_logs()
    assert stored.entries == entries
    assert (stored.pain_before, stored.pain_after) == (3, 2)
    assert stored.note == "felt ok"
    assert stored.started_at == clock.now()


def test_log_session_refusals(utc: AppContext, clock: FixedClock):
    entry = (ExerciseEntry(E.PLANK, hold_seconds=20),)
    with pytest.raises(BadInput, match="at least one exercise"):
        tracking.log_session(utc, ())
    with pytest.raises(BadInput, match="in the future"):
        tracking.log_session(utc, entry, started_at=clock.now() + timedelta(hours=1))
    with pytest.raises(BadInput, match="0 to 10"):
        tracking.log_session(utc, entry, pain_after=11)
    with pytest.raises(BadInput, match="note is empty"):
        tracking.log_session(utc, entry, note="   ")
    assert utc.store.session_logs() == []


def test_a_past_session_keeps_its_time(utc: AppContext, clock: FixedClock):
    started = clock.now() - timedelta(hours=2)
    log = tracking.log_session(utc, (ExerciseEntry(E.PLANK, hold_seconds=20),), started_at=started)
    assert log.started_at == log.ended_at == started


def test_log_planned_session_needs_an_assessment(utc: AppContext):
    with pytest.raises(programme.NoAssessment):
        log_planned_session(utc, slot=None)


def test_log_planned_session_logs_the_session_as_prescribed(utc: AppContext):
    record_assessment(utc, TIGHT)
    logged = log_planned_session(
        utc, slot=SessionSlot.EVENING, skipped={E.PLANK}, pain_before=3, pain_after=3
    )
    assert logged.session.slot is SessionSlot.EVENING
    assert logged.log.slot is SessionSlot.EVENING
    assert logged.newly_paused == frozenset()
    (stored,) = utc.store.session_logs()
    done = {e.exercise_id for e in stored.entries if not e.skipped}
    assert done == set(logged.session.exercise_ids) - {E.PLANK}
    assert {e.exercise_id for e in stored.entries if e.skipped} == {E.PLANK}
    kneeling = [e for e in stored.entries if e.exercise_id is E.HALF_KNEELING_HIP_FLEXOR]
    assert {e.side for e in kneeling} == {Side.LEFT, Side.RIGHT}  # both sides, always


def test_log_planned_session_defaults_to_the_first_session(utc: AppContext):
    record_assessment(utc, TIGHT)
    logged = log_planned_session(utc, slot=None)
    assert logged.session.slot is SessionSlot.MORNING
    assert logged.session == planned_session(utc, None)


def test_skipped_or_sharp_pain_outside_the_session_is_refused(utc: AppContext):
    record_assessment(utc, TIGHT)
    morning = planned_session(utc, SessionSlot.MORNING)
    assert E.PIGEON_POSE not in morning.exercise_ids
    with pytest.raises(BadInput, match="pigeon_pose is not in your morning session"):
        log_planned_session(utc, slot=SessionSlot.MORNING, sharp_pain={E.PIGEON_POSE})
    with pytest.raises(BadInput, match="couch_stretch is not in your evening session"):
        log_planned_session(utc, slot=SessionSlot.EVENING, skipped={E.COUCH_STRETCH})
    with pytest.raises(BadInput, match="no midday session"):
        log_planned_session(utc, slot=SessionSlot.MIDDAY)
    assert utc.store.session_logs() == []


# --- sharp pain: pause, check, return ----------------------------------------------------


def test_sharp_pain_pauses_an_exercise_at_once_until_it_is_checked(
    utc: AppContext, clock: FixedClock
):
    record_assessment(utc, TIGHT)
    assert E.PIGEON_POSE in _plan_ids(utc)
    assert tracking.paused_exercises(utc) == frozenset()
    with pytest.raises(BadInput, match="pigeon_pose is not paused"):
        tracking.clear_exercise(utc, E.PIGEON_POSE)

    logged = log_planned_session(utc, slot=SessionSlot.EVENING, sharp_pain={E.PIGEON_POSE})
    assert logged.newly_paused == {E.PIGEON_POSE}
    assert tracking.paused_exercises(utc) == {E.PIGEON_POSE}
    view = programme.plan_week(utc)
    assert isinstance(view.result, Programme)
    assert E.PIGEON_POSE in view.result.removed
    assert E.PIGEON_POSE not in _plan_ids(utc)  # the same day, not next week

    clock.advance(DAY)
    cleared = tracking.clear_exercise(utc, E.PIGEON_POSE)
    assert cleared.at == clock.now()
    assert tracking.paused_exercises(utc) == frozenset()
    assert E.PIGEON_POSE in _plan_ids(utc)
    with pytest.raises(BadInput, match="not paused"):
        tracking.clear_exercise(utc, E.PIGEON_POSE)

    clock.advance(DAY)
    log_planned_session(utc, slot=SessionSlot.EVENING, sharp_pain={E.PIGEON_POSE})
    assert tracking.paused_exercises(utc) == {E.PIGEON_POSE}
    # sharp pain after the answers asks the safety questions again before any exercise
    assert isinstance(programme.plan_week(utc).result, SafetyRecheck)
    clock.advance(60)
    record_safety_check(utc, frozenset())
    assert E.PIGEON_POSE not in _plan_ids(utc)


def test_pausing_one_exercise_leaves_the_others(utc: AppContext):
    record_assessment(utc, TIGHT)
    before = _plan_ids(utc)
    log_planned_session(utc, slot=SessionSlot.MORNING, sharp_pain={E.STANDING_QUAD_HIP_FLEXOR})
    assert _plan_ids(utc) == before - {E.STANDING_QUAD_HIP_FLEXOR}
    assert tracking.paused_exercises(utc) == {E.STANDING_QUAD_HIP_FLEXOR}


# --- re-tests ----------------------------------------------------------------------------


def test_retest_without_a_block_is_a_baseline(utc: AppContext):
    report = tracking.record_retest(utc, TIGHT)
    assert report.recorded is not None
    assert report.recorded.kind is AssessmentKind.BASELINE
    assert report.recorded.block_id is None
    assert report.recorded.block_week is None


def test_retest_links_the_current_block_and_week(utc: AppContext, clock: FixedClock):
    record_assessment(utc, TIGHT)
    block = programme.plan_week(utc).block
    assert block is not None
    clock.advance(15 * DAY)  # week 3
    report = tracking.record_retest(utc, TIGHT)
    recorded = report.recorded
    assert recorded is not None
    assert recorded.kind is AssessmentKind.RETEST
    assert recorded.block_id == block.id
    assert recorded.block_week == 3
    assert programme.plan_week(utc).block == block  # a re-test starts no new block


def test_retest_after_the_block_ends_is_its_last_week(utc: AppContext, clock: FixedClock):
    record_assessment(utc, TIGHT)
    programme.plan_week(utc)
    clock.advance(60 * DAY)
    recorded = tracking.record_retest(utc, TIGHT).recorded
    assert recorded is not None
    assert recorded.block_week == 6


# --- times and days ----------------------------------------------------------------------


def test_resolve_when_in_the_users_zone(app: AppContext):
    programme.update_preferences(app, timezone="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")  # 09:00 UTC is 10:00 on 2 November in Berlin
    assert tracking.resolve_when(app, "08:30") == datetime(2026, 11, 2, 8, 30, tzinfo=berlin)
    assert tracking.resolve_when(app, "yesterday 20:00") == datetime(
        2026, 11, 1, 20, 0, tzinfo=berlin
    )
    assert tracking.resolve_when(app, " 2026-11-01 07:00 ") == datetime(
        2026, 11, 1, 7, 0, tzinfo=berlin
    )
    assert tracking.resolve_when(app, "today 07:15").time() == time(7, 15)
    assert tracking.resolve_when(app, "08:30").astimezone(UTC).hour == 7


NOT_TIMES = ["", "soon", "25:00", "8h30", "yesterday", "tomorrowish 08:00",
             "2026-11-01 07:00 extra", "2026-13-01 07:00", "07:00 yesterday"]  # fmt: skip


@sqlite_only  # parsing: the zone is read as on both databases in the tests above
@pytest.mark.parametrize("text", NOT_TIMES)
def test_resolve_when_refuses_other_text(utc: AppContext, text: str):
    with pytest.raises(BadInput, match="is not a time"):
        tracking.resolve_when(utc, text)


def test_resolve_day(utc: AppContext):
    assert tracking.resolve_day(utc, "today") == date(2026, 11, 2)
    assert tracking.resolve_day(utc, " Yesterday ") == date(2026, 11, 1)
    assert tracking.resolve_day(utc, "2026-10-30") == date(2026, 10, 30)
    with pytest.raises(BadInput, match="not a date"):
        tracking.resolve_day(utc, "last tuesday")
