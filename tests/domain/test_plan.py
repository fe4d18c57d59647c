"""Findings + preferences + progression -> a week's programme (PROTOCOL.md 3 and 4)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies

from hipflex.content import load_content
from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.limits import SITTING_HOURS_RANGE
from hipflex.domain.plan import (
    CHANGE_SECONDS,
    LEAD_IN_SECONDS,
    NeedsTests,
    Prescription,
    Programme,
    ProgrammeKind,
    SafetyStop,
    SessionPlan,
    SessionSlot,
    build_programme,
    opening_seconds,
    prescribe,
    retest_weeks,
    select,
    workplace_advice,
)
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import MAX_LEVEL, ProgressionState
from hipflex.domain.protocol import (
    ExerciseId,
    Muscle,
    Place,
    RedFlag,
    Side,
    Sign,
    WorkplaceTipId,
)

EXERCISES = load_content().exercises
E = ExerciseId
HK = E.HALF_KNEELING_HIP_FLEXOR
GLUTES = frozenset({E.GLUTE_BRIDGE, E.CLAMSHELL})
CORE = frozenset({E.DEAD_BUG, E.BIRD_DOG, E.PLANK})

# The protocol's hold ranges in seconds (PROTOCOL.md 3.1; plank: 3.3, conventional).
HOLD_RANGES = {
    HK: (30, 60),
    E.COUCH_STRETCH: (60, 120),
    E.PIGEON_POSE: (60, 120),
    E.STANDING_QUAD_HIP_FLEXOR: (30, 30),
    E.PLANK: (20, 30),
}

# --- builders and strategies ------------------------------------------------------------


def thomas(raised: bool, knee: float) -> ThomasInput:
    return ThomasInput(
        ThighPosition.RAISED if raised else ThighPosition.FLAT, knee_flexion_deg=knee
    )


def both(observed: ThomasInput) -> dict[Side, ThomasInput]:
    return dict.fromkeys(Side, observed)


NORMAL_THOMAS = both(thomas(raised=False, knee=85.0))
NORMAL_EXTENSION = dict.fromkeys(Side, ExtensionInput(degrees=12.0))


def tight(
    *,
    raised: bool = False,
    knee: float = 85.0,
    extension: ExtensionInput | None = None,
    red_flags: frozenset[RedFlag] = frozenset(),
) -> Assessment:
    """An assessment from one Thomas observation on the left (right normal)."""
    return assess(
        AssessmentInput(
            thomas={Side.LEFT: thomas(raised, knee), Side.RIGHT: thomas(raised=False, knee=85.0)},
            extension={Side.LEFT: extension or ExtensionInput(degrees=12.0)},
            red_flags=red_flags,
        )
    )


ILIOPSOAS = tight(raised=True)
RECTUS = tight(knee=70.0)
BOTH = tight(raised=True, knee=70.0)
EXTENSION_ONLY = tight(extension=ExtensionInput(degrees=5.0))

tight_assessments = strategies.tight_assessments
states = strategies.states
preferences = strategies.preferences()


def build(
    assessment: Assessment,
    prefs: Preferences | None = None,
    state: ProgressionState | None = None,
    week: int = 1,
) -> Programme:
    result = build_programme(
        assessment,
        prefs or Preferences(),
        EXERCISES,
        week=week,
        state=state or ProgressionState(),
    )
    assert isinstance(result, Programme)
    return result


def ids(session: SessionPlan) -> set[ExerciseId]:
    return set(session.exercise_ids)


def slot(programme: Programme, which: SessionSlot) -> SessionPlan:
    """The session in that slot; an empty one when it was left out (all paused)."""
    found = [s for s in programme.sessions if s.slot is which]
    assert len(found) <= 1
    return found[0] if found else SessionPlan(which, "", ())


def all_ids(programme: Programme) -> set[ExerciseId]:
    return {e for s in programme.sessions for e in s.exercise_ids}


def expected_session(
    which: SessionSlot, assessment: Assessment, prefs: Preferences, state: ProgressionState
) -> set[ExerciseId]:
    """An independent oracle of PROTOCOL.md section 4 as hipflex schedules it."""
    muscles = assessment.tight_muscles()
    limited = any(s.extension_limited for s in assessment.sides.values())
    rectus = Muscle.RECTUS_FEMORIS in muscles
    evening = which is SessionSlot.EVENING
    floor = evening or prefs.floor_at_work
    # Where there is no floor, the standing stretch stands in for the half-kneeling one.
    chosen = {HK if floor else E.STANDING_QUAD_HIP_FLEXOR}
    if not evening and rectus:
        chosen.add(E.STANDING_QUAD_HIP_FLEXOR)
    if evening:
        chosen |= CORE
        if Muscle.ILIOPSOAS in muscles or limited:
            chosen.add(E.PIGEON_POSE)
        if rectus and state.couch_unlocked:
            chosen.add(E.COUCH_STRETCH)
    if (which is SessionSlot.MORNING and prefs.floor_at_work) or (
        evening and not prefs.floor_at_work
    ):
        chosen |= GLUTES
    return chosen - state.removed


# --- the dosage of every prescription -----------------------------------------------------


def check_dosage(p: Prescription) -> None:
    dosage = EXERCISES[p.exercise_id].dosage
    assert dosage.sets.min <= p.sets <= dosage.sets.max
    assert dosage.reps.min <= p.reps <= dosage.reps.max
    for side in p.sides:
        assert dosage.reps.min <= p.reps_on(side) <= dosage.reps.max
    assert p.per_side is dosage.per_side
    if p.exercise_id in HOLD_RANGES:
        low, high = HOLD_RANGES[p.exercise_id]
        assert p.hold_seconds is not None
        assert low <= p.hold_seconds <= high
    else:
        assert p.hold_seconds is None
    if p.exercise_id is E.GLUTE_BRIDGE:
        assert (p.sets, p.reps, p.hold_at_top_seconds, p.per_side) == (3, 15, 3, False)
    if p.exercise_id is E.CLAMSHELL:
        assert (p.sets, p.reps, p.per_side) == (3, 15, True)
    assert p.estimated_seconds > 0


@given(tight_assessments, preferences, states)
def test_every_prescription_in_every_week_stays_inside_its_protocol_range(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    for week in range(1, prefs.block_weeks + 1):
        programme = build(assessment, prefs, state, week)
        assert programme.week == week
        assert programme.weeks_total == prefs.block_weeks
        for session in programme.sessions:
            for p in session.prescriptions:
                check_dosage(p)


@pytest.mark.parametrize("exercise_id", list(ExerciseId))
@pytest.mark.parametrize("level", [-1, *range(MAX_LEVEL + 1), MAX_LEVEL + 3])
def test_prescribe_stays_in_range_at_every_level(exercise_id: ExerciseId, level: int):
    check_dosage(prescribe(EXERCISES[exercise_id], level))


def test_content_dosages_match_the_protocol():
    for exercise_id, (low, high) in HOLD_RANGES.items():
        hold = EXERCISES[exercise_id].dosage.hold_seconds
        assert hold is not None
        assert (hold.min, hold.max) == (low, high)
    hk = EXERCISES[HK].dosage
    assert (hk.reps.min, hk.reps.max) == (2, 3)


def test_half_kneeling_holds_grow_from_30_to_60_seconds():
    holds = [prescribe(EXERCISES[HK], level).hold_seconds for level in range(MAX_LEVEL + 1)]
    assert holds == [30, 40, 50, 60]
    reps = [prescribe(EXERCISES[HK], level).reps for level in range(MAX_LEVEL + 1)]
    assert reps[0] == 2
    assert reps[-1] == 3


@pytest.mark.parametrize("exercise_id", list(ExerciseId))
def test_dosage_never_decreases_as_the_level_rises(exercise_id: ExerciseId):
    ladder = [prescribe(EXERCISES[exercise_id], level) for level in range(MAX_LEVEL + 1)]
    for lower, higher in itertools.pairwise(ladder):
        assert (lower.hold_seconds or 0) <= (higher.hold_seconds or 0)
        assert lower.sets <= higher.sets
        assert lower.reps <= higher.reps
    first, last = ladder[0], ladder[-1]
    dosage = EXERCISES[exercise_id].dosage
    if dosage.hold_seconds is not None:
        assert first.hold_seconds == dosage.hold_seconds.min
        assert last.hold_seconds == dosage.hold_seconds.max
    assert (first.sets, last.sets) == (dosage.sets.min, dosage.sets.max)


@given(strategies.levels, strategies.levels)
def test_half_kneeling_hold_is_monotone_in_the_level(a: int, b: int):
    low, high = sorted((a, b))
    low_hold = build(BOTH, state=ProgressionState(level=low)).sessions[-1].prescriptions[0]
    high_hold = build(BOTH, state=ProgressionState(level=high)).sessions[-1].prescriptions[0]
    assert low_hold.exercise_id is HK
    assert high_hold.exercise_id is HK
    assert low_hold.hold_seconds is not None
    assert high_hold.hold_seconds is not None
    assert low_hold.hold_seconds <= high_hold.hold_seconds


def test_week_one_half_kneeling_is_30_second_holds_three_on_a_tight_side_two_on_a_normal_one():
    # PROTOCOL.md section 4: a tight side gets the top of the repeat range, a normal side
    # the bottom. ILIOPSOAS is tight on the left only.
    p = slot(build(ILIOPSOAS), SessionSlot.EVENING).prescriptions[0]
    assert (p.exercise_id, p.sets, p.hold_seconds, p.per_side) == (HK, 1, 30, True)
    assert (p.rounds_on(Side.LEFT), p.rounds_on(Side.RIGHT)) == (3, 2)
    assert p.describe() == "3 holds of 30 s on the left, 2 on the right"
    assert p.sides == (Side.LEFT, Side.RIGHT)
    both_sides = slot(build(tight(raised=True, knee=70.0)), SessionSlot.EVENING)
    assert both_sides.prescriptions[0].rounds_on(Side.RIGHT) == 2  # right normal
    normal = assess(
        AssessmentInput(
            thomas=NORMAL_THOMAS,
            extension=NORMAL_EXTENSION,
            sitting_hours=7,
            red_flags=frozenset(),
        )
    )
    prevention = build(normal).sessions[0].prescriptions[0]
    assert (prevention.rounds_on(Side.LEFT), prevention.rounds_on(Side.RIGHT)) == (2, 2)
    assert prevention.side_reps == ()


@given(tight_assessments, preferences, states)
def test_each_side_gets_the_top_of_the_repeat_range_when_tight_and_the_bottom_when_normal(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    tight_sides = {side for side, found in assessment.sides.items() if found.any_tight}
    for session in build(assessment, prefs, state).sessions:
        for p in session.prescriptions:
            reps = EXERCISES[p.exercise_id].dosage.reps
            if p.exercise_id is HK:
                for side in Side:
                    expected = reps.max if side in tight_sides else reps.min
                    assert p.rounds_on(side) == expected


# --- which exercises the findings call for -----------------------------------------------


@given(tight_assessments, preferences, states)
def test_sessions_hold_exactly_what_the_findings_call_for(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    programme = build(assessment, prefs, state)
    assert programme.kind is ProgrammeKind.CORRECTIVE
    assert programme.removed == state.removed
    for session in programme.sessions:
        assert ids(session) == expected_session(session.slot, assessment, prefs, state)
        # a lead-in, a change between exercises (longer to get down to the floor or up
        # from it: the user's setting), and the exercises themselves
        positions = [None, *(p.position for p in session.prescriptions)]
        openings = sum(
            opening_seconds(
                before, after, first=index == 0, floor_seconds=prefs.floor_get_ready_seconds
            )
            for index, (before, after) in enumerate(itertools.pairwise(positions))
        )
        assert openings >= LEAD_IN_SECONDS + (len(session.prescriptions) - 1) * CHANGE_SECONDS
        exercises = sum(p.estimated_seconds for p in session.prescriptions)
        assert session.estimated_seconds == openings + exercises


@given(tight_assessments, preferences, states)
def test_half_kneeling_is_in_every_session_and_glute_and_core_work_in_the_day(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    programme = build(assessment, prefs, state)
    for session in programme.sessions:
        floor = session.slot is SessionSlot.EVENING or prefs.floor_at_work
        stretch = HK if floor else E.STANDING_QUAD_HIP_FLEXOR  # the stand-in at a desk
        assert (stretch in ids(session)) is (stretch not in state.removed)
        assert (HK in ids(session)) is (floor and HK not in state.removed)
        if stretch not in state.removed:
            assert session.exercise_ids[0] is stretch
    day = all_ids(programme)
    assert (GLUTES | CORE) - state.removed <= day
    assert not (day & state.removed)


@given(tight_assessments, preferences, states)
def test_couch_only_in_the_evening_once_unlocked_and_rectus_is_tight(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    programme = build(assessment, prefs, state)
    for session in programme.sessions:
        if session.slot is not SessionSlot.EVENING:
            assert E.COUCH_STRETCH not in ids(session)
    expected = (
        state.couch_unlocked
        and Muscle.RECTUS_FEMORIS in assessment.tight_muscles()
        and E.COUCH_STRETCH not in state.removed
    )
    assert (E.COUCH_STRETCH in ids(slot(programme, SessionSlot.EVENING))) is expected


@given(tight_assessments, preferences)
def test_no_couch_stretch_in_week_one(assessment: Assessment, prefs: Preferences):
    assert E.COUCH_STRETCH not in all_ids(build(assessment, prefs, ProgressionState()))


def test_couch_enters_at_60_seconds_and_grows_to_120():
    holds = []
    for couch_weeks in range(1, 7):
        evening = slot(
            build(RECTUS, state=ProgressionState(couch_weeks=couch_weeks)), SessionSlot.EVENING
        )
        (couch,) = (p for p in evening.prescriptions if p.exercise_id is E.COUCH_STRETCH)
        holds.append(couch.hold_seconds)
    assert holds[0] == 60
    assert holds[-1] == 120
    assert holds == sorted(holds)


def test_couch_is_not_prescribed_without_tight_rectus_even_when_unlocked():
    unlocked = ProgressionState(level=2, couch_weeks=3)
    for assessment in (ILIOPSOAS, EXTENSION_ONLY):
        assert E.COUCH_STRETCH not in all_ids(build(assessment, state=unlocked))
    assert E.COUCH_STRETCH in ids(slot(build(RECTUS, state=unlocked), SessionSlot.EVENING))


def test_tight_iliopsoas_gets_pigeon_in_the_evening_and_no_knee_bent_stretches():
    on_the_floor = Preferences(floor_at_work=True)
    programme = build(ILIOPSOAS, on_the_floor, state=ProgressionState(couch_weeks=2))
    assert E.PIGEON_POSE in ids(slot(programme, SessionSlot.EVENING))
    assert E.PIGEON_POSE not in ids(slot(programme, SessionSlot.MORNING))
    assert not {E.STANDING_QUAD_HIP_FLEXOR, E.COUCH_STRETCH} & all_ids(programme)
    assert programme.focus == {Muscle.ILIOPSOAS}
    # Without a floor at work the standing stretch stands in at the desk; still no couch.
    at_a_desk = build(ILIOPSOAS, state=ProgressionState(couch_weeks=2))
    assert ids(slot(at_a_desk, SessionSlot.MORNING)) == {E.STANDING_QUAD_HIP_FLEXOR}
    assert E.COUCH_STRETCH not in all_ids(at_a_desk)


@pytest.mark.parametrize("sessions", [2, 3])
def test_floor_exercises_only_where_the_floor_is_available(sessions: int):
    for prefs in (
        Preferences(sessions_per_day=sessions, floor_at_work=False),
        Preferences(sessions_per_day=sessions, floor_at_work=True),
    ):
        programme = build(BOTH, prefs, ProgressionState(couch_weeks=1))
        for session in programme.sessions:
            floor = session.slot is SessionSlot.EVENING or prefs.floor_at_work
            places = {place for e in session.exercise_ids for place in EXERCISES[e].places}
            on_the_floor = [
                e
                for e in session.exercise_ids
                if Place.DESK not in EXERCISES[e].places and Place.FLOOR in EXERCISES[e].places
            ]
            assert bool(on_the_floor) <= floor, (session.slot, on_the_floor)
            assert places


def test_tight_rectus_gets_standing_quad_at_work_and_later_the_couch():
    prefs = Preferences(sessions_per_day=3)
    week_one = build(RECTUS, prefs)
    assert E.STANDING_QUAD_HIP_FLEXOR in ids(slot(week_one, SessionSlot.MORNING))
    assert E.STANDING_QUAD_HIP_FLEXOR in ids(slot(week_one, SessionSlot.MIDDAY))
    assert E.STANDING_QUAD_HIP_FLEXOR not in ids(slot(week_one, SessionSlot.EVENING))
    assert E.PIGEON_POSE not in all_ids(week_one)
    assert E.COUCH_STRETCH not in all_ids(week_one)
    later = build(RECTUS, prefs, ProgressionState(level=1, couch_weeks=1))
    assert E.COUCH_STRETCH in ids(slot(later, SessionSlot.EVENING))
    assert week_one.focus == {Muscle.RECTUS_FEMORIS}


def test_knee_at_exactly_80_is_not_rectus_work():
    floor = Preferences(floor_at_work=True)  # so the desk stand-in does not blur it
    assert E.STANDING_QUAD_HIP_FLEXOR not in all_ids(build(tight(raised=True, knee=80.0), floor))
    assert E.STANDING_QUAD_HIP_FLEXOR in all_ids(build(tight(raised=True, knee=79.9), floor))


def test_both_tight_gets_every_stretch():
    programme = build(BOTH, state=ProgressionState(couch_weeks=1))
    assert {HK, E.PIGEON_POSE, E.STANDING_QUAD_HIP_FLEXOR, E.COUCH_STRETCH} <= all_ids(programme)
    assert programme.focus == {Muscle.ILIOPSOAS, Muscle.RECTUS_FEMORIS}


@pytest.mark.parametrize(
    "extension",
    [ExtensionInput(degrees=9.9), ExtensionInput(degrees=15.0, compensated=True)],
)
def test_limited_hip_extension_alone_gets_pigeon(extension: ExtensionInput):
    assessment = assess(
        AssessmentInput(
            thomas=NORMAL_THOMAS, extension={Side.RIGHT: extension}, red_flags=frozenset()
        )
    )
    programme = build(assessment, Preferences(floor_at_work=True))
    assert programme.kind is ProgrammeKind.CORRECTIVE
    assert E.PIGEON_POSE in ids(slot(programme, SessionSlot.EVENING))
    assert E.STANDING_QUAD_HIP_FLEXOR not in all_ids(programme)
    assert all_ids(programme) >= (GLUTES | CORE)


def test_extension_of_exactly_10_degrees_is_not_limited():
    assessment = assess(
        AssessmentInput(
            thomas=NORMAL_THOMAS,
            extension=dict.fromkeys(Side, ExtensionInput(degrees=10.0)),
            sitting_hours=7,
            red_flags=frozenset(),
        )
    )
    assert build(assessment).kind is ProgrammeKind.PREVENTION


# --- prevention, safety stop, no tests ----------------------------------------------------


@given(
    hours=st.floats(min_value=6, max_value=SITTING_HOURS_RANGE[1]),
    sessions=strategies.sessions_per_day,
    state=states.filter(lambda s: HK not in s.removed),
)
def test_normal_tests_with_high_sitting_get_half_kneeling_only(
    hours: float, sessions: int, state: ProgressionState
):
    assessment = assess(
        AssessmentInput(
            thomas=NORMAL_THOMAS,
            extension=NORMAL_EXTENSION,
            sitting_hours=hours,
            red_flags=frozenset(),
        )
    )
    programme = build(assessment, Preferences(sessions_per_day=sessions), state)
    assert programme.kind is ProgrammeKind.PREVENTION
    # once a day (PROTOCOL.md section 4), at the end of the day, at home on the floor
    assert [(s.slot, s.exercise_ids) for s in programme.sessions] == [(SessionSlot.EVENING, (HK,))]
    assert programme.sessions_per_week == 7
    assert programme.focus == frozenset()
    assert WorkplaceTipId.WALK_BREAKS in programme.workplace


@given(
    flags=st.frozensets(st.sampled_from(RedFlag), min_size=1),
    observed=st.fixed_dictionaries(dict.fromkeys(Side, strategies.thomas_inputs())),
    hours=st.none() | strategies.sitting_hours,
)
def test_any_red_flag_stops_the_plan_whatever_else_is_found(
    flags: frozenset[RedFlag], observed: dict[Side, ThomasInput], hours: float | None
):
    assessment = assess(AssessmentInput(thomas=observed, sitting_hours=hours, red_flags=flags))
    result = build_programme(
        assessment, Preferences(), EXERCISES, week=1, state=ProgressionState(level=3)
    )
    assert result == SafetyStop(flags)
    assert select(assessment) == SafetyStop(flags)


def test_red_flag_with_both_muscles_tight_still_stops():
    assessment = tight(raised=True, knee=60.0, red_flags=frozenset({RedFlag.NIGHT_PAIN}))
    result = build_programme(assessment, Preferences(), EXERCISES, week=1, state=ProgressionState())
    assert isinstance(result, SafetyStop)
    assert result.red_flags == {RedFlag.NIGHT_PAIN}
    assert not hasattr(result, "sessions")


@pytest.mark.parametrize("hours", [None, 0.0, 9.0])
def test_no_test_results_needs_tests(hours: float | None):
    assessment = assess(
        AssessmentInput(
            sitting_hours=hours, signs=frozenset({Sign.TIGHT_FRONT_HIPS}), red_flags=frozenset()
        )
    )
    result = build_programme(assessment, Preferences(), EXERCISES, week=1, state=ProgressionState())
    assert result == NeedsTests()


# --- sessions, slots and preferences ------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "slots"),
    [
        (2, (SessionSlot.MORNING, SessionSlot.EVENING)),
        (3, (SessionSlot.MORNING, SessionSlot.MIDDAY, SessionSlot.EVENING)),
    ],
)
def test_sessions_per_day_choose_the_slots(sessions: int, slots: tuple[SessionSlot, ...]):
    programme = build(BOTH, Preferences(sessions_per_day=sessions))
    assert tuple(s.slot for s in programme.sessions) == slots
    assert programme.sessions_per_day == sessions
    assert slot(programme, SessionSlot.EVENING).name == "End-of-day session"


@pytest.mark.parametrize("sessions", [2, 3])
def test_floor_at_work_moves_glute_work_to_the_morning(sessions: int):
    at_work = build(BOTH, Preferences(sessions_per_day=sessions, floor_at_work=True))
    assert ids(slot(at_work, SessionSlot.MORNING)) >= GLUTES
    assert not GLUTES & ids(slot(at_work, SessionSlot.EVENING))
    assert ids(slot(at_work, SessionSlot.EVENING)) >= CORE
    at_home = build(BOTH, Preferences(sessions_per_day=sessions, floor_at_work=False))
    assert ids(slot(at_home, SessionSlot.EVENING)) >= GLUTES
    assert not GLUTES & ids(slot(at_home, SessionSlot.MORNING))
    if sessions == 3:
        assert not GLUTES & ids(slot(at_work, SessionSlot.MIDDAY))
        assert not GLUTES & ids(slot(at_home, SessionSlot.MIDDAY))


def test_removed_exercises_are_left_out_everywhere():
    state = ProgressionState(couch_weeks=2, removed=frozenset({HK, E.PIGEON_POSE, E.PLANK}))
    programme = build(BOTH, state=state)
    assert not {HK, E.PIGEON_POSE, E.PLANK} & all_ids(programme)
    assert E.COUCH_STRETCH in all_ids(programme)
    assert programme.removed == state.removed
    back = build(BOTH, Preferences(floor_at_work=True), state=state.cleared(HK))
    for session in back.sessions:
        assert HK in ids(session)


SETUPS = {
    WorkplaceTipId.SIT_STAND_DESK,
    WorkplaceTipId.PERCH_SITTING,
    WorkplaceTipId.SEAT_WEDGE,
    WorkplaceTipId.LUMBAR_SUPPORT,
}


def test_sit_stand_desk_advice_comes_first_with_one():
    tips = workplace_advice(Preferences(sit_stand_desk=True))
    assert tips[:4] == (
        WorkplaceTipId.SIT_STAND_DESK,
        WorkplaceTipId.PERCH_SITTING,
        WorkplaceTipId.SEAT_WEDGE,
        WorkplaceTipId.LUMBAR_SUPPORT,
    )
    assert {WorkplaceTipId.WALK_BREAKS, WorkplaceTipId.DESK_STRETCH} <= set(tips)


def test_without_one_perch_sitting_comes_first_and_the_desk_last_of_the_four():
    tips = workplace_advice(Preferences(sit_stand_desk=False))
    assert tips[:4] == (
        WorkplaceTipId.PERCH_SITTING,
        WorkplaceTipId.SEAT_WEDGE,
        WorkplaceTipId.LUMBAR_SUPPORT,
        WorkplaceTipId.SIT_STAND_DESK,
    )
    assert {WorkplaceTipId.WALK_BREAKS, WorkplaceTipId.DESK_STRETCH} <= set(tips)


@given(tight_assessments, preferences)
def test_programme_workplace_shows_every_tip_fitting_set_up_first(
    assessment: Assessment, prefs: Preferences
):
    tips = build(assessment, prefs).workplace
    assert set(tips) == set(WorkplaceTipId)  # all four set-ups, breaks and positioning
    assert len(set(tips)) == len(tips)  # no duplicates
    fits = WorkplaceTipId.SIT_STAND_DESK if prefs.sit_stand_desk else WorkplaceTipId.PERCH_SITTING
    assert tips[0] is fits
    assert set(tips[:4]) == SETUPS


# --- weeks and re-tests -------------------------------------------------------------------


@pytest.mark.parametrize(("weeks", "expected"), [(6, (3, 6)), (4, (2, 4)), (5, (3, 5))])
def test_retest_weeks(weeks: int, expected: tuple[int, ...]):
    assert retest_weeks(weeks) == expected
    programme = build(RECTUS, Preferences(block_weeks=weeks), week=expected[0])
    assert programme.retest_weeks == expected
    assert programme.retest_due
    assert not build(RECTUS, Preferences(block_weeks=weeks), week=1).retest_due


@pytest.mark.parametrize("weeks", [4, 5, 6])
def test_weeks_outside_the_block_are_bad_input(weeks: int):
    prefs = Preferences(block_weeks=weeks)
    for week in (0, weeks + 1):
        with pytest.raises(BadInput, match=f"{weeks}-week block"):
            build_programme(RECTUS, prefs, EXERCISES, week=week, state=ProgressionState())
    assert build(RECTUS, prefs, week=weeks).week == weeks


# --- plain words and timing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "level", "text"),
    [
        (HK, 0, "2 holds of 30 s, each side"),
        (HK, MAX_LEVEL, "3 holds of 60 s, each side"),
        (E.COUCH_STRETCH, 0, "1 hold of 60 s, each side"),
        (E.STANDING_QUAD_HIP_FLEXOR, 2, "1 hold of 30 s, each side"),
        (E.GLUTE_BRIDGE, 0, "3 sets of 15, holding 3 s at the top"),
        (E.CLAMSHELL, MAX_LEVEL, "3 sets of 15, each side"),
        (E.DEAD_BUG, 0, "2 sets of 8, each side"),
        (E.PLANK, 0, "2 holds of 20 s"),
        (E.PLANK, MAX_LEVEL, "3 holds of 30 s"),
    ],
)
def test_describe(exercise_id: ExerciseId, level: int, text: str):
    assert prescribe(EXERCISES[exercise_id], level).describe() == text


def test_estimated_seconds():
    # two rounds of a 30 s hold on each side: a 10 s switch of sides inside each round,
    # a 15 s rest between the rounds
    assert prescribe(EXERCISES[HK], 0).estimated_seconds == 4 * 30 + 2 * 10 + 1 * 15
    # 45 reps of (3 s + 3 s at the top), two 30 s rests between the three sets
    assert prescribe(EXERCISES[E.GLUTE_BRIDGE], 0).estimated_seconds == 45 * 6 + 2 * 30


@pytest.mark.parametrize("exercise_id", list(ExerciseId))
def test_every_exercise_takes_time_and_keeps_its_cues(exercise_id: ExerciseId):
    p = prescribe(EXERCISES[exercise_id], 0)
    assert p.estimated_seconds > 0
    assert p.cues == EXERCISES[exercise_id].cues
    assert p.name == EXERCISES[exercise_id].name


def test_a_session_with_every_exercise_paused_is_left_out():
    state = ProgressionState(removed=frozenset({E.HALF_KNEELING_HIP_FLEXOR}))
    programme = build(RECTUS, Preferences(sessions_per_day=3), state)
    # work sessions held only half-kneeling and the standing quad stretch
    assert all(s.prescriptions for s in programme.sessions)
    prevention = build(
        assess(AssessmentInput(thomas=NORMAL_THOMAS, sitting_hours=7, red_flags=frozenset())),
        Preferences(),
        state,
    )
    assert prevention.sessions == ()
