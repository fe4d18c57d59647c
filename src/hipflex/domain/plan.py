"""Findings + preferences + progression -> this week's programme (PROTOCOL.md 3 and 4)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hipflex.domain.assessment import Assessment, AssessmentOutcome, outcome
from hipflex.domain.errors import BadInput
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import HOLD_STEP_SECONDS, ProgressionState, step
from hipflex.domain.protocol import (
    Dosage,
    Exercise,
    ExerciseId,
    ExerciseKind,
    IntRange,
    Muscle,
    Place,
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


class ProgrammeKind(StrEnum):
    CORRECTIVE = "corrective"  # something is tight
    PREVENTION = "prevention"  # tests normal: daily half-kneeling plus breaks


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

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(Side) if self.per_side else ()

    def describe(self) -> str:
        """Plain words, e.g. "2 holds of 30 s, each side"."""
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
        """Holds (stretches, planks) or sets, on each side."""
        return self.sets * self.reps if self.hold_seconds is not None else self.sets

    @property
    def rep_seconds(self) -> int:
        if self.hold_at_top_seconds:
            return LIFT_SECONDS + self.hold_at_top_seconds + LOWER_SECONDS
        return SECONDS_PER_REP

    @property
    def estimated_seconds(self) -> int:
        """Exactly the time the guided session gives it: each round on each side, a switch
        between sides, a rest between rounds."""
        sides = 2 if self.per_side else 1
        each = self.hold_seconds if self.hold_seconds is not None else self.reps * self.rep_seconds
        switches = self.rounds * (sides - 1) * SWITCH_SECONDS
        return self.rounds * sides * each + switches + (self.rounds - 1) * self.rest_seconds


@dataclass(frozen=True)
class SessionPlan:
    slot: SessionSlot
    name: str
    prescriptions: tuple[Prescription, ...]

    @property
    def estimated_seconds(self) -> int:
        if not self.prescriptions:
            return 0
        changes = (len(self.prescriptions) - 1) * CHANGE_SECONDS
        return LEAD_IN_SECONDS + changes + sum(p.estimated_seconds for p in self.prescriptions)

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

    @property
    def retest_due(self) -> bool:
        return self.week in self.retest_weeks


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
    if verdict is not AssessmentOutcome.TIGHT:
        return Selection(
            ProgrammeKind.PREVENTION, (ExerciseId.HALF_KNEELING_HIP_FLEXOR,), (), frozenset()
        )
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


def prescribe(exercise: Exercise, level: int) -> Prescription:
    """The dosage at a progression level, always inside the exercise's protocol range."""
    dosage = exercise.dosage
    hold = (
        None
        if dosage.hold_seconds is None
        else step(dosage.hold_seconds, level, round_to=HOLD_STEP_SECONDS)
    )
    strength = exercise.kind is not ExerciseKind.STRETCH
    return Prescription(
        exercise_id=exercise.id,
        name=exercise.name,
        per_side=dosage.per_side,
        sets=step(dosage.sets, level),
        reps=step(dosage.reps, level),
        hold_seconds=hold,
        hold_at_top_seconds=dosage.hold_at_top_seconds,
        rest_seconds=SET_REST_SECONDS if strength else STRETCH_REST_SECONDS,
        tempo=dosage.tempo,
        cues=exercise.cues,
    )


def workplace_advice(preferences: Preferences) -> tuple[WorkplaceTipId, ...]:
    """The workplace changes that fit the user's desk (PROTOCOL.md 3.4)."""
    tip = WorkplaceTipId
    setup = (
        (tip.SIT_STAND_DESK, tip.LUMBAR_SUPPORT)
        if preferences.sit_stand_desk
        else (tip.PERCH_SITTING, tip.SEAT_WEDGE, tip.LUMBAR_SUPPORT)
    )
    movement = (tip.WALK_BREAKS, tip.DESK_STRETCH, tip.SEATED_GLUTE_SQUEEZE, tip.WALKING_MEETINGS)
    positioning = (tip.NO_CROSSED_LEGS, tip.FEET_FLAT, tip.PERCH_ON_EDGE, tip.KNEELING_CHAIR)
    return setup + movement + positioning


def retest_weeks(weeks_total: int) -> tuple[int, ...]:
    """Re-test half-way and at the end: weeks 3 and 6 of a six-week block (section 4)."""
    return (math.ceil(weeks_total / 2), weeks_total)


def _session(
    slot: SessionSlot,
    selection: Selection,
    state: ProgressionState,
    preferences: Preferences,
    exercises: Mapping[ExerciseId, Exercise],
) -> SessionPlan:
    at_home = slot is SessionSlot.EVENING
    chosen: list[ExerciseId] = []
    for exercise_id in selection.stretches:
        exercise = exercises[exercise_id]
        if exercise_id is ExerciseId.HALF_KNEELING_HIP_FLEXOR:
            chosen.append(exercise_id)  # every session: the most important stretch
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
    prescriptions = []
    for exercise_id in chosen:
        if exercise_id in state.removed:
            continue
        level = state.couch_weeks - 1 if exercise_id is ExerciseId.COUCH_STRETCH else state.level
        prescriptions.append(prescribe(exercises[exercise_id], level))
    return SessionPlan(slot, SLOT_NAMES[slot], tuple(prescriptions))


def build_programme(
    assessment: Assessment,
    preferences: Preferences,
    exercises: Mapping[ExerciseId, Exercise],
    *,
    week: int,
    state: ProgressionState,
) -> PlanResult:
    """This week's programme, or the reason there is none."""
    if not 1 <= week <= preferences.block_weeks:
        msg = f"week {week} is outside the {preferences.block_weeks}-week block"
        raise BadInput(msg)
    selection = select(assessment)
    if not isinstance(selection, Selection):
        return selection
    planned = (
        _session(slot, selection, state, preferences, exercises)
        for slot in SLOTS_FOR[preferences.sessions_per_day]
    )
    # A session whose every exercise is paused for sharp pain is left out, not kept empty.
    sessions = tuple(session for session in planned if session.prescriptions)
    return Programme(
        kind=selection.kind,
        week=week,
        weeks_total=preferences.block_weeks,
        sessions_per_day=preferences.sessions_per_day,
        break_minutes=preferences.break_minutes,
        sessions=sessions,
        workplace=workplace_advice(preferences),
        focus=selection.focus,
        retest_weeks=retest_weeks(preferences.block_weeks),
        removed=state.removed,
    )


@dataclass(frozen=True)
class Block:
    """A stored programme block: when it started and which assessment it was built from."""

    id: int
    started_on: date
    assessment_id: int

    def week_on(self, day: date) -> int:
        """The block week `day` falls in (1-based; may pass the block's end)."""
        return max(1, (day - self.started_on).days // 7 + 1)

    def week_start(self, week: int) -> date:
        return self.started_on + timedelta(weeks=week - 1)
