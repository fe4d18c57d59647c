"""Findings + preferences + progression -> this week's programme (PROTOCOL.md 3 and 4)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hipflex.domain.assessment import Assessment, AssessmentOutcome, outcome
from hipflex.domain.errors import BadInput
from hipflex.domain.limits import (
    MAINTENANCE_STRENGTH_PER_WEEK_RANGE,
    MAINTENANCE_STRETCHES_PER_DAY_RANGE,
)
from hipflex.domain.preferences import DEFAULT_FLOOR_GET_READY_SECONDS, Preferences, Weekday
from hipflex.domain.progression import HOLD_STEP_SECONDS, ProgressionState, step
from hipflex.domain.protocol import (
    Dosage,
    Exercise,
    ExerciseId,
    ExerciseKind,
    IntRange,
    Muscle,
    Place,
    Position,
    RedFlag,
    Side,
    WorkplaceTipId,
)

# hipflex's own timing defaults (the protocol gives none): a short pause between holds to
# change sides, a conventional 30 s rest between strength sets, rough seconds per rep.
STRETCH_REST_SECONDS = 15
SET_REST_SECONDS = 30
SECONDS_PER_REP = 3
SWITCH_SECONDS = 10  # changing sides inside a round
LEAD_IN_SECONDS = 5  # "get ready" before the first exercise
CHANGE_SECONDS = 10  # on to the next exercise (getting down on the floor...)
LIFT_SECONDS = 1  # a rep with a hold at the top: lift, hold, lower slowly
LOWER_SECONDS = 2
# PROTOCOL.md 3.2: practice is daily, weekends included.
PRACTICE_DAYS_A_WEEK = 7


# PROTOCOL.md section 4: maintenance is the half-kneeling stretch once a day and glute and
# core work 2-3 times a week (settings: HIPFLEX_MAINTENANCE_*).
DEFAULT_MAINTENANCE_STRETCHES_PER_DAY = 1
DEFAULT_MAINTENANCE_STRENGTH_PER_WEEK = 3


class ProgrammeKind(StrEnum):
    CORRECTIVE = "corrective"  # something is tight
    PREVENTION = "prevention"  # tests normal, high sitting: daily half-kneeling plus breaks
    BREAKS = "breaks"  # tests normal, low or moderate sitting: breaks and tips, stretches optional
    MAINTENANCE = "maintenance"  # after a block whose final re-test was normal on both sides


class Phase(StrEnum):
    """Where the user is in the programme (PROTOCOL.md section 4)."""

    BLOCK = "block"  # 4-6 weeks of corrective (or preventive) work, re-tested at the end
    MAINTENANCE = "maintenance"  # both sides normal at the end of a block: keep it up


class SessionSlot(StrEnum):
    MORNING = "morning"  # after a warm-up such as a walk
    MIDDAY = "midday"
    EVENING = "evening"  # the end of the working day


SLOT_NAMES = {
    SessionSlot.MORNING: "Morning session",
    SessionSlot.MIDDAY: "Midday session",
    SessionSlot.EVENING: "End-of-day session",
}
SLOTS_FOR = {
    2: (SessionSlot.MORNING, SessionSlot.EVENING),
    3: (SessionSlot.MORNING, SessionSlot.MIDDAY, SessionSlot.EVENING),
}


@dataclass(frozen=True)
class Prescription:
    """One exercise in one session: how many, how long, with which cues."""

    exercise_id: ExerciseId
    name: str
    per_side: bool
    sets: int
    reps: int  # holds per side for stretches and planks, repetitions otherwise
    hold_seconds: int | None
    hold_at_top_seconds: int | None
    rest_seconds: int
    tempo: str | None
    cues: tuple[str, ...]
    # Holds per side when the sides differ (a side that tests tight gets more, PROTOCOL.md
    # section 4); empty when both sides get `reps`.
    side_reps: tuple[tuple[Side, int], ...] = ()
    position: Position | None = None  # the exercise's (None: not known, as off the floor)

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(Side) if self.per_side else ()

    def reps_on(self, side: Side | None) -> int:
        """Holds (or repetitions) on one side."""
        return dict(self.side_reps).get(side, self.reps) if side is not None else self.reps

    def rounds_on(self, side: Side | None) -> int:
        """Holds or sets on one side."""
        return self.sets * self.reps_on(side) if self.hold_seconds is not None else self.sets

    def describe(self) -> str:
        """Plain words, e.g. "2 holds of 30 s, each side"."""
        if self.side_reps and self.hold_seconds is not None:
            left, right = (self.rounds_on(side) for side in Side)
            return f"{left} holds of {self.hold_seconds} s on the left, {right} on the right"
        return Dosage(
            sets=IntRange(min=self.sets, max=self.sets),
            reps=IntRange(min=self.reps, max=self.reps),
            hold_seconds=None
            if self.hold_seconds is None
            else IntRange(min=self.hold_seconds, max=self.hold_seconds),
            hold_at_top_seconds=self.hold_at_top_seconds,
            per_side=self.per_side,
            from_protocol=True,
        ).describe()

    @property
    def rounds(self) -> int:
        """Holds (stretches, planks) or sets on each side (the more, when sides differ)."""
        return max(self.rounds_on(side) for side in (self.sides or (None,)))

    @property
    def rep_seconds(self) -> int:
        if self.hold_at_top_seconds:
            return LIFT_SECONDS + self.hold_at_top_seconds + LOWER_SECONDS
        return SECONDS_PER_REP

    @property
    def estimated_seconds(self) -> int:
        """Exactly the time the guided session gives it: each round on each side, a switch
        between sides within a round, a rest between rounds."""
        each = self.hold_seconds if self.hold_seconds is not None else self.reps * self.rep_seconds
        sides: tuple[Side | None, ...] = self.sides or (None,)
        total = 0
        for number in range(1, self.rounds + 1):
            present = sum(1 for side in sides if number <= self.rounds_on(side))
            total += present * each + (present - 1) * SWITCH_SECONDS
        return total + (self.rounds - 1) * self.rest_seconds


def opening_seconds(
    before: Position | None, after: Position | None, *, first: bool, floor_seconds: int
) -> int:
    """Seconds to get ready for an exercise in position `after`, coming from `before`
    (the first exercise comes from the desk): the usual get-ready, or `floor_seconds` when
    that means getting down to the floor or up from it. An unknown position is the usual."""
    usual = LEAD_IN_SECONDS if first else CHANGE_SECONDS
    if after is None or (before is None and not first):
        return usual
    was_on_floor = before is not None and before.on_floor
    return max(usual, floor_seconds) if after.on_floor != was_on_floor else usual


@dataclass(frozen=True)
class SessionPlan:
    slot: SessionSlot
    name: str
    prescriptions: tuple[Prescription, ...]
    days: frozenset[Weekday] | None = None  # None: every day (maintenance strength: some)
    floor_get_ready_seconds: int = DEFAULT_FLOOR_GET_READY_SECONDS  # the user's setting

    def opening_seconds(self, index: int) -> int:
        """The get-ready before exercise `index`: longer when it means getting down to the
        floor or up from it (a session starts at the desk, off the floor)."""
        return opening_seconds(
            None if index == 0 else self.prescriptions[index - 1].position,
            self.prescriptions[index].position,
            first=index == 0,
            floor_seconds=self.floor_get_ready_seconds,
        )

    def on(self, day: Weekday) -> bool:
        """Whether this session is planned on a day of the week."""
        return self.days is None or day in self.days

    @property
    def estimated_seconds(self) -> int:
        if not self.prescriptions:
            return 0
        openings = sum(self.opening_seconds(i) for i in range(len(self.prescriptions)))
        return openings + sum(p.estimated_seconds for p in self.prescriptions)

    @property
    def exercise_ids(self) -> tuple[ExerciseId, ...]:
        return tuple(p.exercise_id for p in self.prescriptions)


@dataclass(frozen=True)
class Programme:
    """One week of a block: the sessions of each day and the workplace changes."""

    kind: ProgrammeKind
    week: int
    weeks_total: int
    sessions_per_day: int
    break_minutes: int
    sessions: tuple[SessionPlan, ...]
    workplace: tuple[WorkplaceTipId, ...]
    focus: frozenset[Muscle]
    retest_weeks: tuple[int, ...]
    removed: frozenset[ExerciseId]
    phase: Phase = Phase.BLOCK
    # Stretches offered as optional when no programme is needed (ProgrammeKind.BREAKS).
    optional: tuple[Prescription, ...] = ()

    @property
    def retest_due(self) -> bool:
        return self.week in self.retest_weeks

    def sessions_on(self, day: Weekday) -> tuple[SessionPlan, ...]:
        """The sessions planned on a day of the week (practice is daily, PROTOCOL.md 3.2)."""
        return tuple(session for session in self.sessions if session.on(day))

    @property
    def sessions_per_week(self) -> int:
        """The sessions planned in a week: what adherence counts and the calendar shows."""
        return sum(len(self.sessions_on(day)) for day in Weekday)


@dataclass(frozen=True)
class SafetyStop:
    """No programme: a red flag needs a clinician first (PROTOCOL.md 2.5)."""

    red_flags: frozenset[RedFlag]


@dataclass(frozen=True)
class SafetyRecheck:
    """No programme for now: pain rose by 2 points or more, or an exercise gave sharp pain,
    since the safety questions were last answered; they come first again (PROTOCOL.md
    section 4). Answered with no warning sign, the (eased) programme comes back."""


@dataclass(frozen=True)
class NeedsTests:
    """No programme: the assessment has no test results to build one from."""


#: Why there is no programme: a warning sign, the safety questions due again, no tests.
NoProgramme = SafetyStop | SafetyRecheck | NeedsTests
PlanResult = Programme | NoProgramme


@dataclass(frozen=True)
class Selection:
    """Which exercises the findings call for (PROTOCOL.md section 4)."""

    kind: ProgrammeKind
    stretches: tuple[ExerciseId, ...]
    strength: tuple[ExerciseId, ...]
    focus: frozenset[Muscle]

    @property
    def couch_indicated(self) -> bool:
        return ExerciseId.COUCH_STRETCH in self.stretches


#: PROTOCOL.md section 4: the prevention plan's stretch, once a day.
PREVENTION_STRETCHES = (ExerciseId.HALF_KNEELING_HIP_FLEXOR,)
#: Offered as optional to someone who needs no programme (normal tests, little sitting).
OPTIONAL_STRETCHES = (ExerciseId.HALF_KNEELING_HIP_FLEXOR, ExerciseId.STANDING_QUAD_HIP_FLEXOR)
#: Stands in for a floor stretch in a session where the floor is not available.
DESK_STRETCH = ExerciseId.STANDING_QUAD_HIP_FLEXOR

STRENGTH_AND_CORE = (
    ExerciseId.GLUTE_BRIDGE,
    ExerciseId.CLAMSHELL,
    ExerciseId.DEAD_BUG,
    ExerciseId.BIRD_DOG,
    ExerciseId.PLANK,
)


def select(assessment: Assessment) -> Selection | SafetyStop | NeedsTests:
    """Findings choose the exercises; any red flag stops everything."""
    verdict = outcome(assessment)
    if verdict is AssessmentOutcome.RED_FLAGS:
        return SafetyStop(assessment.red_flags)
    if verdict is AssessmentOutcome.UNTESTED:
        return NeedsTests()
    if verdict is AssessmentOutcome.CLEAR_HIGH_SITTING:
        # Normal tests, long sitting: the half-kneeling stretch once a day plus breaks.
        return Selection(ProgrammeKind.PREVENTION, PREVENTION_STRETCHES, (), frozenset())
    if verdict is not AssessmentOutcome.TIGHT:
        # Normal tests, low or moderate sitting: no programme, breaks and tips only.
        return Selection(ProgrammeKind.BREAKS, (), (), frozenset())
    muscles = assessment.tight_muscles()
    limited = any(side.extension_limited for side in assessment.sides.values())
    stretches = [ExerciseId.HALF_KNEELING_HIP_FLEXOR]
    focus = set(muscles)
    # A limited hip extension names no muscle: treat it as the primary hip flexor.
    if Muscle.ILIOPSOAS in muscles or limited:
        stretches.append(ExerciseId.PIGEON_POSE)
        focus.add(Muscle.ILIOPSOAS)
    if Muscle.RECTUS_FEMORIS in muscles:
        stretches += [ExerciseId.STANDING_QUAD_HIP_FLEXOR, ExerciseId.COUCH_STRETCH]
    return Selection(
        ProgrammeKind.CORRECTIVE, tuple(stretches), STRENGTH_AND_CORE, frozenset(focus)
    )


def prescribe(
    exercise: Exercise, level: int, tight_sides: frozenset[Side] | None = None
) -> Prescription:
    """The dosage at a progression level, always inside the exercise's protocol range.

    With `tight_sides` given, a stretch's holds per side follow the findings (PROTOCOL.md
    section 4): a side that tests tight gets the top of the repeat range, a normal side the
    bottom; the hold time still grows with the level."""
    dosage = exercise.dosage
    hold = (
        None
        if dosage.hold_seconds is None
        else step(dosage.hold_seconds, level, round_to=HOLD_STEP_SECONDS)
    )
    strength = exercise.kind is not ExerciseKind.STRETCH
    reps = step(dosage.reps, level)
    side_reps: tuple[tuple[Side, int], ...] = ()
    if tight_sides is not None and not strength and dosage.per_side:
        by_side = {s: dosage.reps.max if s in tight_sides else dosage.reps.min for s in Side}
        reps = max(by_side.values())
        if len(set(by_side.values())) > 1:
            side_reps = tuple(by_side.items())
    return Prescription(
        exercise_id=exercise.id,
        name=exercise.name,
        per_side=dosage.per_side,
        sets=step(dosage.sets, level),
        reps=reps,
        hold_seconds=hold,
        hold_at_top_seconds=dosage.hold_at_top_seconds,
        rest_seconds=SET_REST_SECONDS if strength else STRETCH_REST_SECONDS,
        tempo=dosage.tempo,
        cues=exercise.cues,
        side_reps=side_reps,
        position=exercise.position,
    )


def tight_sides(assessment: Assessment) -> frozenset[Side]:
    """The sides where either test found tightness."""
    return frozenset(side for side, found in assessment.sides.items() if found.any_tight)


SITTING_SETUPS = (
    WorkplaceTipId.SIT_STAND_DESK,
    WorkplaceTipId.PERCH_SITTING,
    WorkplaceTipId.SEAT_WEDGE,
    WorkplaceTipId.LUMBAR_SUPPORT,
)


def workplace_advice(preferences: Preferences) -> tuple[WorkplaceTipId, ...]:
    """Every workplace change (PROTOCOL.md 3.4). All four sitting set-ups, the one that fits
    the user's desk first: the sit-stand desk when they have one; without, the set-ups any
    chair allows (perch sitting, a seat wedge, lumbar support), the sit-stand desk last."""
    tip = WorkplaceTipId
    desk, *chair = SITTING_SETUPS
    setup = (desk, *chair) if preferences.sit_stand_desk else (*chair, desk)
    movement = (tip.WALK_BREAKS, tip.DESK_STRETCH, tip.SEATED_GLUTE_SQUEEZE, tip.WALKING_MEETINGS)
    positioning = (tip.NO_CROSSED_LEGS, tip.FEET_FLAT, tip.PERCH_ON_EDGE, tip.KNEELING_CHAIR)
    return setup + movement + positioning


def retest_weeks(weeks_total: int) -> tuple[int, ...]:
    """Re-test half-way and at the end: weeks 3 and 6 of a six-week block (section 4)."""
    return (math.ceil(weeks_total / 2), weeks_total)


def floor_available(slot: SessionSlot, preferences: Preferences) -> bool:
    """The end-of-day session is at home; work-time sessions have a floor only when the
    user says so ("I can get down on the floor at work")."""
    return slot is SessionSlot.EVENING or preferences.floor_at_work


def _session(
    slot: SessionSlot,
    selection: Selection,
    state: ProgressionState,
    preferences: Preferences,
    exercises: Mapping[ExerciseId, Exercise],
    *,
    sides: frozenset[Side],
) -> SessionPlan:
    at_home = slot is SessionSlot.EVENING
    floor = floor_available(slot, preferences)
    chosen: list[ExerciseId] = []
    for exercise_id in selection.stretches:
        exercise = exercises[exercise_id]
        if exercise_id is ExerciseId.HALF_KNEELING_HIP_FLEXOR:
            # Every session: the most important stretch; where there is no floor, the
            # standing stretch stands in (PROTOCOL.md section 4).
            chosen.append(exercise_id if floor else DESK_STRETCH)
        elif exercise_id is ExerciseId.COUCH_STRETCH:
            if at_home and state.couch_unlocked:
                chosen.append(exercise_id)  # intense: only once tolerance is shown
        elif Place.DESK in exercise.places:
            if not at_home:
                chosen.append(exercise_id)  # the desk stretch suits work sessions
        elif at_home:
            chosen.append(exercise_id)  # floor stretches once a day, at home
    for exercise_id in selection.strength:
        glutes = exercises[exercise_id].kind is ExerciseKind.STRENGTH
        # With a floor at work, glute work moves to the morning to spread the load.
        moved = glutes and preferences.floor_at_work
        if slot is (SessionSlot.MORNING if moved else SessionSlot.EVENING):
            chosen.append(exercise_id)
    return SessionPlan(
        slot,
        SLOT_NAMES[slot],
        _prescriptions(chosen, state, exercises, sides),
        floor_get_ready_seconds=preferences.floor_get_ready_seconds,
    )


def _prescriptions(
    chosen: Iterable[ExerciseId],
    state: ProgressionState,
    exercises: Mapping[ExerciseId, Exercise],
    sides: frozenset[Side],
) -> tuple[Prescription, ...]:
    """Each exercise once, in order, at the state's level, leaving out paused ones."""
    prescriptions: list[Prescription] = []
    for exercise_id in dict.fromkeys(chosen):
        if exercise_id in state.removed:
            continue
        level = state.couch_weeks - 1 if exercise_id is ExerciseId.COUCH_STRETCH else state.level
        prescriptions.append(prescribe(exercises[exercise_id], level, sides))
    return tuple(prescriptions)


@dataclass(frozen=True)
class MaintenanceDose:
    """The maintenance programme (PROTOCOL.md section 4): the half-kneeling stretch once a
    day, glute and core work 2-3 times a week, movement breaks as before (settings)."""

    stretch_sessions_per_day: int = DEFAULT_MAINTENANCE_STRETCHES_PER_DAY
    strength_days_per_week: int = DEFAULT_MAINTENANCE_STRENGTH_PER_WEEK

    def __post_init__(self) -> None:
        for value, bounds, what in (
            (
                self.stretch_sessions_per_day,
                MAINTENANCE_STRETCHES_PER_DAY_RANGE,
                "stretch sessions a day",
            ),
            (
                self.strength_days_per_week,
                MAINTENANCE_STRENGTH_PER_WEEK_RANGE,
                "strength days a week",
            ),
        ):
            low, high = bounds
            if not low <= value <= high:
                msg = f"maintenance {what} must be from {low} to {high}, not {value}"
                raise BadInput(msg)

    @property
    def strength_days(self) -> frozenset[Weekday]:
        """Spread over the week with rest days between."""
        return STRENGTH_DAYS[self.strength_days_per_week]


#: Strength days spread over the week: two or three, never two days in a row.
STRENGTH_DAYS = {
    2: frozenset({Weekday.TUE, Weekday.FRI}),
    3: frozenset({Weekday.MON, Weekday.WED, Weekday.FRI}),
}


def _maintenance_sessions(
    preferences: Preferences,
    state: ProgressionState,
    exercises: Mapping[ExerciseId, Exercise],
    dose: MaintenanceDose,
) -> tuple[SessionPlan, ...]:
    slots = SLOTS_FOR[3][-dose.stretch_sessions_per_day :]  # the evening first
    normal: frozenset[Side] = frozenset()  # both sides tested normal
    sessions: list[SessionPlan] = []
    for slot in slots:
        stretch = (
            ExerciseId.HALF_KNEELING_HIP_FLEXOR
            if floor_available(slot, preferences)
            else DESK_STRETCH
        )
        stretches = _prescriptions([stretch], state, exercises, normal)
        if slot is SessionSlot.EVENING:
            strong = _prescriptions([stretch, *STRENGTH_AND_CORE], state, exercises, normal)
            others = frozenset(Weekday) - dose.strength_days
            floor = preferences.floor_get_ready_seconds
            sessions.append(SessionPlan(slot, SLOT_NAMES[slot], stretches, others, floor))
            sessions.append(
                SessionPlan(slot, STRENGTH_SESSION_NAME, strong, dose.strength_days, floor)
            )
        else:
            sessions.append(
                SessionPlan(
                    slot,
                    SLOT_NAMES[slot],
                    stretches,
                    floor_get_ready_seconds=preferences.floor_get_ready_seconds,
                )
            )
    return tuple(session for session in sessions if session.prescriptions)


STRENGTH_SESSION_NAME = "End-of-day session with strength work"


def build_programme(
    assessment: Assessment,
    preferences: Preferences,
    exercises: Mapping[ExerciseId, Exercise],
    *,
    week: int,
    state: ProgressionState,
    phase: Phase = Phase.BLOCK,
    maintenance: MaintenanceDose | None = None,
) -> PlanResult:
    """This week's programme, or the reason there is none."""
    if phase is Phase.BLOCK and not 1 <= week <= preferences.block_weeks:
        msg = f"week {week} is outside the {preferences.block_weeks}-week block"
        raise BadInput(msg)
    selection = select(assessment)
    if not isinstance(selection, Selection):
        return selection
    sides = tight_sides(assessment)
    kind = selection.kind
    optional: tuple[Prescription, ...] = ()
    if phase is Phase.MAINTENANCE:
        kind = ProgrammeKind.MAINTENANCE
        dose = maintenance or MaintenanceDose()
        sessions = _maintenance_sessions(preferences, state, exercises, dose)
    elif kind is ProgrammeKind.BREAKS:
        sessions = ()
        optional = _prescriptions(OPTIONAL_STRETCHES, state, exercises, sides)
    elif kind is ProgrammeKind.PREVENTION:
        # Once a day, at the end of the day: at home, with a floor.
        evening = _session(
            SessionSlot.EVENING, selection, state, preferences, exercises, sides=sides
        )
        sessions = (evening,)
    else:
        planned = (
            _session(slot, selection, state, preferences, exercises, sides=sides)
            for slot in SLOTS_FOR[preferences.sessions_per_day]
        )
        sessions = tuple(planned)
    # A session whose every exercise is paused for sharp pain is left out, not kept empty.
    sessions = tuple(session for session in sessions if session.prescriptions)
    return Programme(
        kind=kind,
        week=week,
        weeks_total=preferences.block_weeks,
        sessions_per_day=preferences.sessions_per_day,
        break_minutes=preferences.break_minutes,
        sessions=sessions,
        workplace=workplace_advice(preferences),
        focus=selection.focus,
        retest_weeks=retest_weeks(preferences.block_weeks) if phase is Phase.BLOCK else (),
        removed=state.removed,
        phase=phase,
        optional=optional,
    )


def block_outcome(retest: Assessment) -> Phase | None:
    """What a re-test at the end of a block decides (PROTOCOL.md section 4): still tight
    on either side, another block from it; both sides normal, maintenance. A re-test with
    no test results decides nothing (None)."""
    verdict = outcome(retest)
    if verdict is AssessmentOutcome.TIGHT:
        return Phase.BLOCK
    if verdict in (AssessmentOutcome.CLEAR, AssessmentOutcome.CLEAR_HIGH_SITTING):
        return Phase.MAINTENANCE
    return None


@dataclass(frozen=True)
class Block:
    """A stored programme block: when it started, the assessment it was built from, its
    phase, and the dose it starts at (a block after a block starts at the dose tolerated)."""

    id: int
    started_on: date
    assessment_id: int
    phase: Phase = Phase.BLOCK
    start_level: int = 0
    start_couch_weeks: int = 0

    @property
    def start(self) -> ProgressionState:
        return ProgressionState(level=self.start_level, couch_weeks=self.start_couch_weeks)

    def week_on(self, day: date) -> int:
        """The block week `day` falls in (1-based; may pass the block's end)."""
        return max(1, (day - self.started_on).days // 7 + 1)

    def week_start(self, week: int) -> date:
        return self.started_on + timedelta(weeks=week - 1)
