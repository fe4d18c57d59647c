"""Logs -> progress: pain and sitting checks, the pain verdict, measurement error, summaries
(PROTOCOL.md section 4)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hipflex.content import load_content
from hipflex.domain.assessment import MeasurementMethod
from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import PHOTO_SEM_DEG
from hipflex.domain.plan import prescribe
from hipflex.domain.progression import SessionPain
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    ANGLE_SEM_DEG,
    PAIN_MCID_FRACTION,
    PAIN_MCID_FRACTION_MIN_POINTS,
    PAIN_MCID_POINTS,
    RESPONDER_BASELINE_FLOOR,
    ExerciseEntry,
    PainRating,
    PainVerdict,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
    angle_change,
    angle_sem,
    asymmetry,
    change_sem,
    check_pain,
    check_sitting_hours,
    daily_sitting,
    entries_as_prescribed,
    minimal_detectable_change,
    pain_verdict,
    responder_ceiling,
    streak,
    week_summary,
)

E = ExerciseId
EXERCISES = load_content().exercises
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
pain_values = st.floats(min_value=0, max_value=10, allow_nan=False)


# --- input checks ------------------------------------------------------------------------


@pytest.mark.parametrize("score", range(11))
def test_pain_accepts_whole_numbers_0_to_10(score: int):
    assert check_pain(score) == score
    assert PainRating(T0, score).score == score


@pytest.mark.parametrize("score", [11, -1, 2.5, True, False, "3", None])
def test_pain_refuses_anything_else(score: object):
    with pytest.raises(BadInput, match="whole number from 0 to 10"):
        check_pain(score)  # type: ignore[arg-type]


def test_pain_error_names_what_was_rated():
    with pytest.raises(BadInput, match=r"^pain after must be"):
        SessionLog(T0, SessionSource.MANUAL, pain_before=3, pain_after=12)


@pytest.mark.parametrize("hours", [0, 0.0, 7.5, 24, 24.0])
def test_sitting_hours_accept_0_to_24(hours: float):
    assert check_sitting_hours(hours) == hours


@pytest.mark.parametrize("hours", [-0.1, 24.1, math.nan, math.inf, -math.inf])
def test_sitting_hours_refuse_outside_0_to_24(hours: float):
    with pytest.raises(BadInput, match="between 0 and 24"):
        check_sitting_hours(hours)
    with pytest.raises(BadInput):
        SittingEntry(date(2026, 11, 2), hours, SittingSource.ENTERED, T0)


# --- the pain verdict --------------------------------------------------------------------


def test_pain_thresholds_are_the_protocols():
    assert PAIN_MCID_POINTS == 2
    assert pytest.approx(0.30) == PAIN_MCID_FRACTION
    assert RESPONDER_BASELINE_FLOOR == 2
    assert PAIN_MCID_FRACTION_MIN_POINTS == 1


@pytest.mark.parametrize(
    ("baseline", "latest", "verdict"),
    [
        (6, 4, PainVerdict.RESPONDER),  # 2 points
        (6, 4.3, PainVerdict.NOT_YET),  # 1.7 points, 28%
        (5, 3.5, PainVerdict.RESPONDER),  # 1.5 points, exactly 30%
        (3, 2.1, PainVerdict.NOT_YET),  # 30% of 3, but only 0.9 points
        (3, 2, PainVerdict.RESPONDER),  # 1 point, 33%
        (3, 2.2, PainVerdict.NOT_YET),  # 0.8 points, 27%
        (10, 7, PainVerdict.RESPONDER),  # 3 points, exactly 30%
        (10, 8.1, PainVerdict.NOT_YET),  # 1.9 points, 19%
        (4, 6, PainVerdict.WORSE),  # up 2
        (4, 5.9, PainVerdict.NOT_YET),  # up 1.9
        (2, 1, PainVerdict.RESPONDER),  # the floor: 1 point is 50%
        (2, 1.1, PainVerdict.NOT_YET),
        (2, 2, PainVerdict.NOT_YET),
        (1.9, 0, PainVerdict.LOW_BASELINE),  # under the floor: already low
        (1, 0.7, PainVerdict.LOW_BASELINE),  # 30%, but 0.3 points from a low start
        (0, 0, PainVerdict.LOW_BASELINE),
        (0, 1, PainVerdict.LOW_BASELINE),
        (1, 3, PainVerdict.WORSE),  # a rise of 2 counts whatever the start
    ],
)
def test_pain_verdict_examples(baseline: float, latest: float, verdict: PainVerdict):
    change = pain_verdict(baseline, latest)
    assert change.verdict is verdict
    assert change.change == pytest.approx(baseline - latest)


def test_six_to_four_point_one_is_a_responder_by_the_30_percent_rule():
    # 1.9 points is under 2, but 1.9 / 6 = 32% of baseline and more than 1 point.
    assert pain_verdict(6, 4.1).verdict is PainVerdict.RESPONDER


def test_a_mean_from_1_to_0_7_is_not_a_response():
    # PROTOCOL.md section 4, word for word: 30% down, but below 2 the pain was already low.
    assert pain_verdict(1.0, 0.7).verdict is PainVerdict.LOW_BASELINE
    assert responder_ceiling(1.0) is None


@pytest.mark.parametrize(("baseline", "latest"), [(None, 3), (3, None), (None, None)])
def test_pain_verdict_without_data(baseline: float | None, latest: float | None):
    change = pain_verdict(baseline, latest)
    assert change.verdict is PainVerdict.NO_DATA
    assert change.change is None


def expected_verdict_in_tenths(baseline_tenths: int, latest_tenths: int) -> PainVerdict:
    """The protocol's rule in whole tenths, where every boundary is exact."""
    gain = baseline_tenths - latest_tenths
    if gain <= -20:
        return PainVerdict.WORSE
    if baseline_tenths < 20:
        return PainVerdict.LOW_BASELINE
    by_points = gain >= 20
    by_fraction = 10 * gain >= 3 * baseline_tenths and gain >= 10
    return PainVerdict.RESPONDER if by_points or by_fraction else PainVerdict.NOT_YET


@given(st.integers(0, 100), st.integers(0, 100))
def test_pain_verdict_edges_are_inclusive_for_tenths(baseline_tenths: int, latest_tenths: int):
    """Weekly means in tenths: exact boundaries (a baseline of 2.0, 2.0 points, 30.0% and
    1.0 point) count despite floats; a baseline of 1.9 never makes a responder."""
    baseline, latest = baseline_tenths / 10, latest_tenths / 10
    verdict = pain_verdict(baseline, latest).verdict
    assert verdict is expected_verdict_in_tenths(baseline_tenths, latest_tenths)


@given(st.integers(20, 100))
def test_the_30_percent_route_needs_a_whole_point(baseline_tenths: int):
    """At every baseline from 2.0: a fall of 1.0 point is a response when it is 30% or more,
    a fall of 0.9 never is unless it reaches 2 points (it cannot)."""
    baseline = baseline_tenths / 10
    one_point = pain_verdict(baseline, (baseline_tenths - 10) / 10).verdict
    assert (one_point is PainVerdict.RESPONDER) == (3 * baseline_tenths <= 100)
    assert pain_verdict(baseline, (baseline_tenths - 9) / 10).verdict is PainVerdict.NOT_YET


@given(pain_values, pain_values)
def test_responder_iff_the_rule_away_from_the_edges(baseline: float, latest: float):
    improvement = baseline - latest
    margins = [improvement - 2, improvement + 2, improvement - 1, baseline - 2]
    margins.append(improvement - 0.3 * baseline)
    assume(all(abs(m) > 1e-6 for m in margins))  # away from the float-tolerance edges
    responder = baseline >= 2 and (
        improvement >= 2 or (improvement >= 0.3 * baseline and improvement >= 1)
    )
    verdict = pain_verdict(baseline, latest).verdict
    assert (verdict is PainVerdict.RESPONDER) == responder
    assert (verdict is PainVerdict.WORSE) == (improvement <= -2)
    assert (verdict is PainVerdict.LOW_BASELINE) == (baseline < 2 and improvement > -2)


@pytest.mark.parametrize(
    ("baseline", "fall", "responder"),
    [
        (1.9, 1.9, False),  # the floor
        (2.0, 1.0, True),
        (3.0, 0.99, False),  # the whole point
        (3.0, 1.0, True),
        (4.0, 1.19, False),  # 30% of 4 is 1.2
        (4.0, 1.2, True),
        (8.0, 1.99, False),  # 30% of 8 is 2.4: 2 points come first
        (8.0, 2.0, True),
    ],
)
def test_the_edges_of_each_route(baseline: float, fall: float, responder: bool):
    verdict = pain_verdict(baseline, baseline - fall).verdict
    assert (verdict is PainVerdict.RESPONDER) is responder


# --- angles: measurement error -----------------------------------------------------------


def test_angle_error_constants():
    assert ANGLE_SEM_DEG == 7
    assert pytest.approx(1.96 * math.sqrt(2) * 7) == ANGLE_MDC_DEG
    assert pytest.approx(19.4, abs=0.01) == ANGLE_MDC_DEG


@pytest.mark.parametrize(
    ("before", "after", "beyond"),
    [
        (70, 89, False),
        (70, 90, True),
        (90, 70, True),
        (89, 70, False),
        (70, 70, False),
        (80, 90, False),  # 10 degrees: within error
        (60, 85, True),  # 25 degrees: beyond
    ],
)
def test_angle_change_examples(before: float, after: float, beyond: bool):
    change = angle_change(before, after)
    assert change is not None
    assert change.delta == after - before
    assert change.beyond_error is beyond


def test_angle_change_exactly_at_the_threshold_counts():
    change = angle_change(0, ANGLE_MDC_DEG)
    assert change is not None
    assert change.beyond_error


@given(st.floats(-90, 180), st.floats(-90, 180))
def test_beyond_error_iff_at_least_the_mdc(before: float, after: float):
    assume(abs(abs(after - before) - ANGLE_MDC_DEG) > 1e-6)
    change = angle_change(before, after)
    assert change is not None
    assert change.beyond_error == (abs(after - before) >= ANGLE_MDC_DEG)


@pytest.mark.parametrize(("before", "after"), [(None, 80), (80, None), (None, None)])
def test_angle_change_needs_both_measurements(before: float | None, after: float | None):
    assert angle_change(before, after) is None


# Each method pair: both typed in, both from photos, and mixed either way.
METHOD_PAIRS = [(a, b) for a in MeasurementMethod for b in MeasurementMethod]
photo_sems = st.floats(0.1, 10, allow_nan=False)


def test_each_method_carries_its_own_error():
    assert angle_sem(MeasurementMethod.SELF) == ANGLE_SEM_DEG
    assert angle_sem(MeasurementMethod.PHOTO) == PHOTO_SEM_DEG == 1
    assert angle_sem(MeasurementMethod.PHOTO, photo_sem_deg=2.5) == 2.5
    assert angle_sem(MeasurementMethod.SELF, photo_sem_deg=2.5) == ANGLE_SEM_DEG


def test_the_minimal_detectable_change_comes_from_the_sem():
    """PROTOCOL.md section 4: 1.96 x sqrt(2) x SEM, about 19 degrees for SEM 7."""
    assert minimal_detectable_change(ANGLE_SEM_DEG) == ANGLE_MDC_DEG
    assert pytest.approx(1.96 * math.sqrt(2)) == minimal_detectable_change(1)
    assert pytest.approx(2.77, abs=0.01) == minimal_detectable_change(PHOTO_SEM_DEG)


@pytest.mark.parametrize(
    ("before", "after", "photo_sem", "expected"),
    [
        (MeasurementMethod.SELF, MeasurementMethod.SELF, 1.0, ANGLE_SEM_DEG),
        (MeasurementMethod.PHOTO, MeasurementMethod.PHOTO, 1.0, 1.0),
        (MeasurementMethod.SELF, MeasurementMethod.PHOTO, 1.0, ANGLE_SEM_DEG),
        (MeasurementMethod.PHOTO, MeasurementMethod.SELF, 1.0, ANGLE_SEM_DEG),
        # A photo setting above the goniometer's error: mixing still takes the larger.
        (MeasurementMethod.PHOTO, MeasurementMethod.SELF, 9.0, 9.0),
    ],
)
def test_a_change_takes_the_larger_error_of_its_two_methods(
    before: MeasurementMethod, after: MeasurementMethod, photo_sem: float, expected: float
):
    assert change_sem(before, after, photo_sem_deg=photo_sem) == expected


def test_photo_measured_change_the_goniometer_error_would_hide():
    both_photos = (MeasurementMethod.PHOTO, MeasurementMethod.PHOTO)
    mixed = (MeasurementMethod.SELF, MeasurementMethod.PHOTO)
    assert (photo := angle_change(70, 75, methods=both_photos)) is not None
    assert photo.beyond_error
    assert (typed := angle_change(70, 75)) is not None
    assert not typed.beyond_error
    assert (either := angle_change(70, 75, methods=mixed)) is not None
    assert not either.beyond_error


@pytest.mark.parametrize("bad", [0.0, -1.0, 10.5, math.nan, math.inf])
def test_the_photo_error_setting_is_checked(bad: float):
    with pytest.raises(BadInput, match="photo measurement error"):
        angle_sem(MeasurementMethod.PHOTO, photo_sem_deg=bad)
    with pytest.raises(BadInput, match="photo measurement error"):
        angle_change(70, 75, photo_sem_deg=bad)


@given(
    methods=st.sampled_from(METHOD_PAIRS),
    photo_sem=photo_sems,
    before=st.floats(-30, 150),
    direction=st.sampled_from([1, -1]),
)
def test_a_change_exactly_at_the_mdc_of_its_methods_is_beyond_error(
    methods: tuple[MeasurementMethod, MeasurementMethod],
    photo_sem: float,
    before: float,
    direction: int,
):
    mdc = minimal_detectable_change(change_sem(*methods, photo_sem_deg=photo_sem))
    change = angle_change(
        before, before + direction * mdc, methods=methods, photo_sem_deg=photo_sem
    )
    assert change is not None
    assert change.mdc_deg == mdc
    assert change.beyond_error


@given(
    methods=st.sampled_from(METHOD_PAIRS),
    photo_sem=photo_sems,
    before=st.floats(-30, 150),
    step=st.floats(1e-6, 0.5),
    direction=st.sampled_from([1, -1]),
)
def test_just_above_the_mdc_is_beyond_error_and_just_below_is_within(
    methods: tuple[MeasurementMethod, MeasurementMethod],
    photo_sem: float,
    before: float,
    step: float,
    direction: int,
):
    mdc = minimal_detectable_change(change_sem(*methods, photo_sem_deg=photo_sem))
    above = angle_change(
        before, before + direction * (mdc + step), methods=methods, photo_sem_deg=photo_sem
    )
    below = angle_change(
        before, before + direction * (mdc - step), methods=methods, photo_sem_deg=photo_sem
    )
    assert above is not None
    assert below is not None
    assert above.beyond_error
    assert not below.beyond_error


def test_asymmetry_is_left_minus_right_when_both_measured():
    assert asymmetry(70, 85) == -15
    assert asymmetry(85, 70) == 15
    assert asymmetry(80, 80) == 0
    assert asymmetry(None, 80) is None
    assert asymmetry(80, None) is None


# --- sitting and streaks -----------------------------------------------------------------


def _sat(day: int, hours: float, minutes_after: int) -> SittingEntry:
    return SittingEntry(
        date(2026, 11, day),
        hours,
        SittingSource.ENTERED,
        T0 + timedelta(minutes=minutes_after),
    )


def test_daily_sitting_keeps_the_latest_entry_of_each_day_never_sums():
    entries = [
        _sat(3, 9.0, minutes_after=60 * 24 * 2),  # a later correction of the 3rd
        _sat(2, 5.0, minutes_after=0),
        _sat(3, 6.0, minutes_after=60 * 24),
        _sat(2, 7.0, minutes_after=30),
    ]
    days = daily_sitting(entries)
    assert list(days) == [date(2026, 11, 2), date(2026, 11, 3)]
    assert days[date(2026, 11, 2)].hours == 7.0
    assert days[date(2026, 11, 3)].hours == 9.0
    assert daily_sitting([]) == {}


@given(st.lists(st.tuples(st.integers(1, 5), st.floats(0, 24), st.integers(0, 10_000))))
def test_daily_sitting_value_is_always_one_logged_entry(raw: list[tuple[int, float, int]]):
    entries = [_sat(day, hours, minutes) for day, hours, minutes in raw]
    days = daily_sitting(entries)
    assert set(days) == {e.day for e in entries}
    for day, chosen in days.items():
        same_day = [e for e in entries if e.day == day]
        assert chosen in same_day
        assert chosen.at == max(e.at for e in same_day)


TODAY = date(2026, 11, 10)


def _days(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (_days(0, 1, 2), 3),  # today done
        (_days(1, 2), 2),  # today not done yet: counts up to yesterday
        (_days(0, 2, 3), 1),  # a gap yesterday
        (_days(2, 3, 4), 0),  # yesterday missed: no streak
        ([], 0),
        (_days(0), 1),
        (_days(0, 0, 1), 2),  # two sessions on one day count once
        (_days(-1, 0), 1),  # a future day is not part of it
    ],
)
def test_streak(done: list[date], expected: int):
    assert streak(done, TODAY) == expected


# --- week summaries ----------------------------------------------------------------------


def _entry(exercise: ExerciseId, *, skipped: bool = False, sharp: bool = False) -> ExerciseEntry:
    return ExerciseEntry(exercise, Side.LEFT, hold_seconds=30, skipped=skipped, sharp_pain=sharp)


def test_week_summary_counts_sessions_with_something_done():
    sessions = [
        SessionLog(
            T0,
            SessionSource.MANUAL,
            (_entry(E.HALF_KNEELING_HIP_FLEXOR), _entry(E.PIGEON_POSE, sharp=True)),
            pain_before=3,
            pain_after=5,
        ),
        SessionLog(  # everything skipped: not done, but its pain counts
            T0 + timedelta(hours=8),
            SessionSource.MANUAL,
            (_entry(E.HALF_KNEELING_HIP_FLEXOR, skipped=True),),
            pain_before=6,
            pain_after=9,
        ),
        SessionLog(  # pain before only: no before/after pair
            T0 + timedelta(days=1),
            SessionSource.GUIDED,
            (_entry(E.HALF_KNEELING_HIP_FLEXOR), _entry(E.GLUTE_BRIDGE, skipped=True)),
            pain_before=2,
        ),
        SessionLog(T0 + timedelta(days=2), SessionSource.MANUAL, ()),  # nothing at all
    ]
    ratings = [PainRating(T0, 4), PainRating(T0 + timedelta(days=1), 2)]
    summary = week_summary(2, 14, sessions, ratings)
    assert summary.week == 2
    assert summary.sessions_planned == 14
    assert summary.sessions_done == 2
    assert summary.session_pain == (SessionPain(3, 5), SessionPain(6, 9))
    assert summary.worst_session_rise == 3
    assert summary.daily_pain == (4.0, 2.0)
    assert summary.mean_pain == 3.0
    assert summary.sharp_pain == {E.PIGEON_POSE}
    assert summary.adherence == pytest.approx(2 / 14)


def test_week_summary_of_nothing():
    summary = week_summary(1, 14, [], [])
    assert summary.sessions_done == 0
    assert summary.session_pain == ()
    assert summary.mean_pain is None
    assert summary.sharp_pain == frozenset()


def test_session_log_pain_pair_and_done():
    log = SessionLog(T0, SessionSource.MANUAL, (_entry(E.PLANK),), pain_before=4, pain_after=2)
    assert log.done
    assert log.pain == SessionPain(4, 2)
    assert log.pain.rise == -2
    assert SessionLog(T0, SessionSource.MANUAL, (_entry(E.PLANK),), pain_after=2).pain is None


def test_exercise_entry_checks():
    """Each within its own range of domain/limits.py (the API's bodies read the same)."""
    with pytest.raises(BadInput, match="set number must be between 1 and 100, not 0"):
        ExerciseEntry(E.PLANK, set_number=0)
    with pytest.raises(BadInput, match="set number must be between 1 and 100, not 101"):
        ExerciseEntry(E.PLANK, set_number=101)
    with pytest.raises(BadInput, match="hold seconds"):
        ExerciseEntry(E.PLANK, hold_seconds=-1)
    with pytest.raises(BadInput, match="reps must be between 0 and 1000, not 1001"):
        ExerciseEntry(E.GLUTE_BRIDGE, reps=1001)


# --- entries as prescribed ---------------------------------------------------------------


def test_a_stretch_per_side_gives_one_entry_per_hold_and_side():
    prescription = prescribe(EXERCISES[E.HALF_KNEELING_HIP_FLEXOR], 0)
    assert (prescription.sets, prescription.reps, prescription.hold_seconds) == (1, 2, 30)
    entries = entries_as_prescribed(prescription)
    assert len(entries) == 4  # 2 holds x 2 sides
    assert sorted((e.side, e.set_number) for e in entries) == [
        (Side.LEFT, 1),
        (Side.LEFT, 2),
        (Side.RIGHT, 1),
        (Side.RIGHT, 2),
    ]
    for entry in entries:
        assert entry.exercise_id is E.HALF_KNEELING_HIP_FLEXOR
        assert entry.hold_seconds == 30
        assert entry.reps is None
        assert not entry.skipped
        assert not entry.sharp_pain


def test_a_strength_exercise_gives_one_entry_per_set_with_its_reps():
    prescription = prescribe(EXERCISES[E.GLUTE_BRIDGE], 0)
    assert (prescription.sets, prescription.reps, prescription.per_side) == (3, 15, False)
    entries = entries_as_prescribed(prescription)
    assert [(e.set_number, e.reps, e.side, e.hold_seconds) for e in entries] == [
        (1, 15, None, None),
        (2, 15, None, None),
        (3, 15, None, None),
    ]


def test_a_strength_exercise_per_side_gives_a_set_per_side():
    prescription = prescribe(EXERCISES[E.CLAMSHELL], 0)
    entries = entries_as_prescribed(prescription)
    assert len(entries) == prescription.sets * 2
    assert {e.side for e in entries} == {Side.LEFT, Side.RIGHT}
    assert {e.reps for e in entries} == {prescription.reps}


def test_a_hold_not_per_side_has_no_side():
    prescription = prescribe(EXERCISES[E.PLANK], 0)
    entries = entries_as_prescribed(prescription)
    assert len(entries) == prescription.sets * prescription.reps
    assert {e.side for e in entries} == {None}
    assert {e.hold_seconds for e in entries} == {prescription.hold_seconds}
    assert {e.reps for e in entries} == {None}


def test_skipped_entries_carry_no_holds_or_reps():
    for exercise in (E.HALF_KNEELING_HIP_FLEXOR, E.GLUTE_BRIDGE):
        entries = entries_as_prescribed(prescribe(EXERCISES[exercise], 0), skipped=True)
        assert entries
        for entry in entries:
            assert entry.skipped
            assert entry.hold_seconds is None
            assert entry.reps is None
        log = SessionLog(T0, SessionSource.MANUAL, entries)
        assert not log.done


def test_sharp_pain_marks_only_the_last_entry():
    entries = entries_as_prescribed(prescribe(EXERCISES[E.PIGEON_POSE], 1), sharp_pain=True)
    assert [e.sharp_pain for e in entries] == [False] * (len(entries) - 1) + [True]
    log = SessionLog(T0, SessionSource.MANUAL, entries)
    assert log.sharp_pain == {E.PIGEON_POSE}


@given(st.sampled_from(sorted(EXERCISES)), st.integers(0, 3))
def test_entries_cover_every_side_and_stay_in_the_prescription(exercise: ExerciseId, level: int):
    prescription = prescribe(EXERCISES[exercise], level)
    entries = entries_as_prescribed(prescription)
    sides = {e.side for e in entries}
    assert sides == ({Side.LEFT, Side.RIGHT} if prescription.per_side else {None})
    per_side = len(entries) // len(sides)
    counts = prescription.sets * (prescription.reps if prescription.hold_seconds else 1)
    assert per_side == counts
    for entry in entries:
        if prescription.hold_seconds is not None:
            assert (entry.hold_seconds, entry.reps) == (prescription.hold_seconds, None)
        else:
            assert (entry.hold_seconds, entry.reps) == (None, prescription.reps)
