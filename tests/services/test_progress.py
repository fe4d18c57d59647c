"""progress(): adherence, the pain verdict, tests per side with measurement error, sitting,
safety, over a synthetic three-week block (PROTOCOL.md section 4)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hipflex.config import Settings
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import PHOTO_SEM_DEG
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, SittingBand
from hipflex.domain.tracking import PainChange, PainVerdict
from hipflex.services import programme, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.presenters.progress import progress_model
from hipflex.services.progress import Measure, ProgressView, progress
from hipflex.services.session_logs import log_planned_session
from hipflex.services.words import change_sentence, pain_sentence

E = ExerciseId
HOUR = 3600
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def answers(knee_left: float, knee_right: float, ext_left: float, ext_right: float):
    return AssessmentInput(
        thomas={
            Side.LEFT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=knee_left),
            Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=knee_right),
        },
        extension={Side.LEFT: ExtensionInput(ext_left), Side.RIGHT: ExtensionInput(ext_right)},
        sitting_hours=8,
        red_flags=frozenset(),
    )


BASELINE = answers(70, 60, 5, 8)
RETEST = answers(80, 85, 8, 12)  # knees +10 (within error) and +25 (beyond)


def go_to(clock: FixedClock, week: int, day: int = 0, hour: int = 9) -> None:
    target = MONDAY + timedelta(weeks=week - 1, days=day, hours=hour - 9)
    assert target >= clock.now()
    clock.advance((target - clock.now()).total_seconds())


def sessions(app: AppContext, clock: FixedClock, count: int, gap_hours: int = 12) -> None:
    """`count` planned sessions, morning and evening alternately, from now on."""
    for number in range(count):
        slot = SessionSlot.MORNING if number % 2 == 0 else SessionSlot.EVENING
        log_planned_session(app, slot=slot, pain_before=2, pain_after=2)
        clock.advance(gap_hours * HOUR)


def synthetic_block(app: AppContext, clock: FixedClock) -> ProgressView:
    """Three weeks: a good week 1, a thin week 2 with sharp pain, a re-test in week 3."""
    programme.update_preferences(app, timezone="UTC", sessions_per_day=2, floor_at_work=True)
    record_assessment(app, BASELINE)
    assert programme.plan_week(app).block is not None
    # Week 1: pain 6 on three days, 10 sessions, no sitting (outside the last 7 days).
    for day in range(5):
        go_to(clock, 1, day, 9)
        if day < 3:
            tracking.log_pain(app, 6)
        tracking.log_sitting(app, 0)
        sessions(app, clock, 2)
    # Week 2: four sessions, the last with sharp pain in the standing quad stretch.
    go_to(clock, 2)
    sessions(app, clock, 3)
    log_planned_session(
        app, slot=SessionSlot.MORNING, sharp_pain={E.STANDING_QUAD_HIP_FLEXOR}, pain_before=2
    )
    # Week 3: a first 5 h entry for Wednesday 18th, later corrected; from Thursday 19th to
    # Sunday 22nd pain 3 and two sessions a day; a re-test on Thursday.
    go_to(clock, 3, 2, 20)
    tracking.log_sitting(app, 5)
    for day in range(3, 7):
        go_to(clock, 3, day, 8)
        tracking.log_pain(app, 3)
        sessions(app, clock, 2, gap_hours=2)
        if day == 3:
            tracking.record_retest(app, RETEST)
    tracking.log_note(app, "Hips felt looser <b>today</b>")
    go_to(clock, 3, 6, 12)  # Sunday 22 November, noon
    for day in range(16, 23):  # the last 7 days: 7 h each, the 18th corrected from 5 h
        tracking.log_sitting(app, 7, date(2026, 11, day))
    return progress(app)


@pytest.fixture
def view(app: AppContext, clock: FixedClock) -> ProgressView:
    return synthetic_block(app, clock)


def test_weeks_adherence_streak_and_pain(view: ProgressView):
    assert view.today == date(2026, 11, 22)
    assert view.current_week == 3
    assert view.block is not None
    assert view.block.started_on == date(2026, 11, 2)
    assert [w.week for w in view.weeks] == [1, 2, 3]
    assert [w.starts for w in view.weeks] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert [w.planned for w in view.weeks] == [14, 14, 14]
    assert [w.done for w in view.weeks] == [10, 4, 8]
    assert view.weeks[0].adherence == pytest.approx(10 / 14)
    assert (view.sessions_done, view.sessions_planned) == (22, 42)
    assert [w.sharp_pain for w in view.weeks] == [
        frozenset(),
        {E.STANDING_QUAD_HIP_FLEXOR},
        frozenset(),
    ]
    assert [w.mean_pain for w in view.weeks] == [6, 2, 3]  # week 2: pain before sessions
    assert view.weeks[0].mean_sitting == 0
    assert view.weeks[2].mean_sitting == 7
    # Sessions from Thursday 19 to today, Sunday 22 November.
    assert view.streak_days == 4
    # Pain: weekly means 6 -> 3, a responder.
    assert view.pain.verdict is PainVerdict.RESPONDER
    assert (view.pain.baseline, view.pain.latest) == (6, 3)
    assert view.pain.change == 3
    text = pain_sentence(view.pain)
    assert text.startswith("Responder: your pain fell from 6.0 to 3.0")
    assert "2 points, or 30% when that is at least 1 point" in text
    kinds = {what for _, _, what in view.pain_points}
    assert kinds == {"daily", "before", "after"}
    assert [p[0] for p in view.pain_points] == sorted(p[0] for p in view.pain_points)


def test_tests_sitting_and_safety(view: ProgressView):
    assert [t.kind for t in view.tests] == [AssessmentKind.BASELINE, AssessmentKind.RETEST]
    assert view.tests[1].block_week == 3
    left = view.changes[(Side.LEFT, "knee_flexion_deg")]
    right = view.changes[(Side.RIGHT, "knee_flexion_deg")]
    assert (left.before, left.after, left.delta, left.beyond_error) == (70, 80, 10, False)
    assert (right.before, right.after, right.delta, right.beyond_error) == (60, 85, 25, True)
    assert change_sentence(left) == "70° → 80° (+10°, within measurement error (under about 19°))"
    assert change_sentence(right) == "60° → 85° (+25°, beyond measurement error)"
    assert not view.changes[(Side.LEFT, "extension_deg")].beyond_error
    assert (Side.LEFT, "thigh_angle_deg") not in view.changes  # not measured
    assert set(view.changes) == {
        (side, name) for side in Side for name in ("knee_flexion_deg", "extension_deg")
    }
    assert view.latest_asymmetry == {"knee_flexion_deg": -5, "extension_deg": -4}
    # Sitting: one figure a day; the band of the last 7 days.
    assert view.sitting[date(2026, 11, 18)].hours == 7  # the later of two entries
    assert view.sitting[date(2026, 11, 2)].hours == 0
    # Only the last 7 days (all 7 h): the block's earlier 0 h days would make it moderate.
    assert view.sitting_band is SittingBand.HIGH
    # Safety: sharp pain is an event and pauses the exercise.
    assert [(e.kind, e.detail) for e in view.safety] == [("sharp_pain", "standing_quad_hip_flexor")]
    assert view.safety[0].at.date() == date(2026, 11, 10)
    assert view.paused == {E.STANDING_QUAD_HIP_FLEXOR}
    assert view.programme is not None
    assert E.STANDING_QUAD_HIP_FLEXOR in view.programme.removed
    assert [(n.session, n.text) for n in view.notes] == [(None, "Hips felt looser <b>today</b>")]


def progress_json(view: ProgressView) -> dict[str, Any]:
    """The JSON `hipflex progress --json` prints and GET /progress answers."""
    return progress_model(view).model_dump(mode="json")


def test_progress_json(view: ProgressView):
    out = progress_json(view)
    assert set(out) == {
        "today",
        "block_started_on",
        "current_week",
        "weeks_total",
        "streak_days",
        "sessions",
        "weeks",
        "pain",
        "tests",
        "changes",
        "measurement_error_deg",
        "measurement_errors",
        "asymmetry_deg",
        "sitting",
        "safety_events",
        "paused_exercises",
    }
    json.dumps(out)  # plain JSON all the way down
    assert out["today"] == "2026-11-22"
    assert out["block_started_on"] == "2026-11-02"
    assert (out["current_week"], out["weeks_total"]) == (3, 6)
    assert out["sessions"] == {"done": 22, "planned": 42}
    assert set(out["weeks"][0]) == {
        "week",
        "starts",
        "sessions_done",
        "sessions_planned",
        "adherence",
        "mean_pain",
        "mean_sitting_hours",
        "sharp_pain",
    }
    assert out["weeks"][1]["sharp_pain"] == ["standing_quad_hip_flexor"]
    assert out["pain"]["verdict"] == "responder"
    assert out["pain"]["change"] == 3
    assert out["pain"]["text"].startswith("Responder")
    assert out["measurement_error_deg"] == 19.4
    assert out["measurement_errors"] == {
        "self": {"sem_deg": 7.0, "measurement_error_deg": 19.4},
        "photo": {"sem_deg": 1.0, "measurement_error_deg": 2.8},
    }
    knees = {c["side"]: c for c in out["changes"] if c["measure"] == "knee_flexion_deg"}
    assert knees["left"]["beyond_measurement_error"] is False
    assert knees["right"]["beyond_measurement_error"] is True
    assert knees["right"]["delta"] == 25
    assert set(knees["right"]) == {
        "side",
        "measure",
        "before",
        "after",
        "delta",
        "beyond_measurement_error",
        "before_method",
        "after_method",
        "sem_deg",
        "measurement_error_deg",
        "methods_text",
    }
    assert (knees["right"]["before_method"], knees["right"]["after_method"]) == ("self", "self")
    assert (knees["right"]["sem_deg"], knees["right"]["measurement_error_deg"]) == (7.0, 19.4)
    assert knees["right"]["methods_text"] is None  # both typed in: nothing to say
    assert out["asymmetry_deg"] == {
        "knee_flexion_deg": -5,
        "thigh_angle_deg": None,
        "extension_deg": -4,
    }
    assert [t["kind"] for t in out["tests"]] == ["baseline", "retest"]
    assert out["tests"][0]["results"]["left"] == {
        "thomas": "tight_rectus_femoris",
        "hip_extension": "tight",
        "thomas_method": "self",
        "hip_extension_method": "self",
        "thomas_pelvis_checked": None,
        "hip_extension_pelvis_checked": None,
        "thomas_measured": None,
        "hip_extension_measured": None,
    }
    assert out["sitting"]["band_last_7_days"] == "high"
    assert out["sitting"]["days"]["2026-11-18"] == 7
    assert out["safety_events"][0]["kind"] == "sharp_pain"
    assert out["paused_exercises"] == ["standing_quad_hip_flexor"]


def test_progress_needs_an_assessment(app: AppContext):
    with pytest.raises(programme.NoAssessment):
        progress(app)


def test_progress_on_the_first_day(app: AppContext):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, BASELINE)
    view = progress(app)
    assert view.current_week == 1
    assert [(w.week, w.done, w.planned) for w in view.weeks] == [(1, 0, 14)]
    assert view.pain.verdict is PainVerdict.NO_DATA
    assert pain_sentence(view.pain).startswith("Not enough pain ratings yet")
    assert view.changes == {}  # one test: nothing to compare
    assert view.latest_asymmetry == {"knee_flexion_deg": 10, "extension_deg": -3}
    assert view.sitting == {}
    assert view.sitting_band is None
    assert view.safety == ()
    assert view.paused == frozenset()
    assert view.streak_days == 0
    out = progress_json(view)
    assert out["changes"] == []
    assert out["sitting"] == {"days": {}, "band_last_7_days": None}


def test_one_week_of_pain_is_no_verdict_yet(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, BASELINE)
    tracking.log_pain(app, 7)
    clock.advance(HOUR)
    tracking.log_pain(app, 1)
    assert progress(app).pain.verdict is PainVerdict.NO_DATA


def test_pain_rising_over_the_block_is_worse(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, BASELINE)
    programme.plan_week(app)  # the block starts when the plan is first shown
    tracking.log_pain(app, 2)
    go_to(clock, 2)
    tracking.log_pain(app, 5)
    view = progress(app)
    assert view.pain.verdict is PainVerdict.WORSE
    assert pain_sentence(view.pain).startswith("Your pain rose from 2.0 to 5.0")


def test_red_flags_are_safety_events_and_stop_the_programme(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, BASELINE)
    programme.plan_week(app)
    log_planned_session(app, slot=SessionSlot.EVENING, sharp_pain={E.HALF_KNEELING_HIP_FLEXOR})
    clock.advance(24 * HOUR)
    tracking.record_retest(
        app, AssessmentInput(red_flags=frozenset({RedFlag.NIGHT_PAIN, RedFlag.LEG_WEAKNESS}))
    )
    view = progress(app)
    assert [e.kind for e in view.safety] == ["sharp_pain", "red_flags"]
    assert view.safety[1].detail == "leg_weakness, night_pain"
    assert view.safety[1].at == clock.now()
    assert view.programme is None
    assert view.paused == {E.HALF_KNEELING_HIP_FLEXOR}


# --- the photo method's error is a setting -------------------------------------------------


def _photo(knee: float) -> AssessmentInput:
    photo = MeasurementMethod.PHOTO
    return AssessmentInput(
        thomas={side: ThomasInput(None, 0.0, knee, photo, pelvis_checked=True) for side in Side},
        red_flags=frozenset(),
    )


@pytest.mark.parametrize(("setting", "beyond"), [(None, True), ("1", True), ("2", False)])
def test_the_photo_error_setting_decides_a_photo_measured_change(
    app: AppContext,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    setting: str | None,
    beyond: bool,
):
    """+5 degrees on photos both times: beyond the default 1 degree SEM (a change of about
    2.8 needed) and beyond 1, within 2 (about 5.5 needed)."""
    if setting is not None:
        monkeypatch.setenv("HIPFLEX_PHOTO_SEM_DEG", setting)
    configured = AppContext(
        Settings(data_dir=app.settings.data_dir, database_url=app.settings.database_url), clock
    )
    assert Settings().photo_sem_deg == (PHOTO_SEM_DEG if setting is None else float(setting))
    try:
        record_assessment(configured, _photo(70))
        go_to(clock, 3)
        tracking.record_retest(configured, _photo(75))
        view = progress(configured)
        change = view.changes[(Side.LEFT, Measure.KNEE_FLEXION)]
        assert change.sem_deg == view.photo_sem_deg == Settings().photo_sem_deg
        assert change.beyond_error is beyond
    finally:
        configured.close()


def test_a_photo_error_setting_out_of_range_is_bad_input(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
):
    record_assessment(app, _photo(70))
    monkeypatch.setenv("HIPFLEX_PHOTO_SEM_DEG", "0")
    configured = AppContext(
        Settings(data_dir=app.settings.data_dir, database_url=app.settings.database_url)
    )
    try:
        with pytest.raises(BadInput, match="photo measurement error must be above 0"):
            progress(configured)
    finally:
        configured.close()


@pytest.mark.parametrize("verdict", list(PainVerdict))
def test_the_pain_verdict_for_a_clinician_speaks_about_the_person(verdict: PainVerdict) -> None:
    pain = PainChange(verdict, None, None)
    if verdict is not PainVerdict.NO_DATA:
        pain = PainChange(verdict, 6.0, 4.0)
    to_them = pain_sentence(pain)
    about_them = pain_sentence(pain, about_them=True)
    assert not re.search(r"\byou", about_them, flags=re.IGNORECASE), about_them
    assert re.search(r"\byour?\b", to_them, flags=re.IGNORECASE), to_them
    if pain.baseline is not None:
        assert "from 6.0 to 4.0" in to_them
        assert "from 6.0 to 4.0" in about_them
