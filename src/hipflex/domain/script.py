"""A session compiled to a script of timed steps: plain data that the terminal and the
browser players both play (domain/player.py walks it; its JSON form, which the browser
plays as it is, is the presenter in services/presenters/sessions.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hipflex.domain.plan import (
    LIFT_SECONDS,
    SWITCH_SECONDS,
    Prescription,
    SessionPlan,
)
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.schedule import BreakStep

SCRIPT_VERSION = 1  # of the JSON form: raise it when a step's keys change meaning
WARNING_SECONDS = 10  # "10 seconds left"...
WARNING_FROM_SECONDS = 20  # ...in holds at least this long


class StepKind(StrEnum):
    LEAD_IN = "lead_in"
    HOLD = "hold"  # a timed hold on one side (stretches, planks)
    SET = "set"  # a set of repetitions on one side, paced by the cues
    REST = "rest"  # between holds or sets: switch sides, breathe
    CHANGE = "change"  # on to the next exercise
    ACTIVITY = "activity"  # something to do that is not logged (a movement break's walk)
    DONE = "done"


@dataclass(frozen=True)
class Cue:
    """Something to say `at` seconds into a step, and to show: `shown` when the screen
    needs other words than the voice ("" when the screen says it already, in the step's
    title), else the text itself."""

    at: int
    text: str
    shown: str | None = None

    @property
    def on_screen(self) -> str:
        return self.text if self.shown is None else self.shown


@dataclass(frozen=True)
class Step:
    kind: StepKind
    seconds: int
    title: str
    cues: tuple[Cue, ...] = ()
    exercise_id: ExerciseId | None = None
    side: Side | None = None
    number: int | None = None  # which hold or set of the exercise (1-based, per side)
    of: int | None = None  # out of how many
    reps: int | None = None  # repetitions in a set
    hold_seconds: int | None = None  # for a hold

    @property
    def records(self) -> bool:
        """Completing this step is logged (a hold or a set)."""
        return self.kind in (StepKind.HOLD, StepKind.SET)


@dataclass(frozen=True)
class Script:
    name: str
    steps: tuple[Step, ...]

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    def exercise_ids(self) -> tuple[ExerciseId, ...]:
        seen: list[ExerciseId] = []
        for step in self.steps:
            if step.exercise_id is not None and step.exercise_id not in seen:
                seen.append(step.exercise_id)
        return tuple(seen)


def up_next(script: Script, index: int) -> str:
    """What comes after step `index`, in the words both players show ("Next: ...", once:
    a step that opens an exercise already begins with its word)."""
    following = script.steps[index + 1] if index + 1 < len(script.steps) else None
    if following is None or following.kind is StepKind.DONE:
        return "Next: the end"
    if following.kind in (StepKind.LEAD_IN, StepKind.CHANGE):
        return following.title
    return f"Next: {following.title}"


def _side_words(side: Side | None) -> str:
    return "" if side is None else f", {side.value} side"


def _hold_cues(p: Prescription, side: Side | None, tilt_cue: str | None) -> tuple[Cue, ...]:
    assert p.hold_seconds is not None
    cues = [Cue(0, f"Hold{_side_words(side)}." + (f" {tilt_cue}" if tilt_cue else ""))]
    if p.hold_seconds >= WARNING_FROM_SECONDS:
        cues.append(Cue(p.hold_seconds - WARNING_SECONDS, f"{WARNING_SECONDS} seconds left."))
    return tuple(cues)


def rep_words(rep: int, reps: int, hold_at_top_seconds: int | None) -> str:
    """The count of a set on screen, e.g. "Rep 4 of 15, hold at the top 3 s"."""
    top = f", hold at the top {hold_at_top_seconds} s" if hold_at_top_seconds else ""
    return f"Rep {rep} of {reps}{top}"


def _set_cues(p: Prescription, side: Side | None) -> tuple[Cue, ...]:
    """A cue at each rep, so the screen counts them ("Rep 4 of 15, hold at the top 3 s")
    and the voice paces them (lift, hold, lower) without saying the count each time."""
    assert p.reps is not None
    pace = p.rep_seconds
    top = p.hold_at_top_seconds
    cues: list[Cue] = []
    for rep in range(p.reps):
        start = rep * pace
        count = rep_words(rep + 1, p.reps, top)
        if rep == 0:
            said = f"{p.reps} reps{_side_words(side)}. Begin."
        elif top:
            said = "Lift."
        elif rep % 5 == 0 or rep == p.reps - 1:
            left = p.reps - rep
            said = f"{rep} done, {left} to go." if left > 1 else "Last one."
        else:
            said = ""
        cues.append(Cue(start, said, count))
        if top:
            cues.append(Cue(start + LIFT_SECONDS, f"Hold {top} seconds.", f"{count}: hold"))
            cues.append(Cue(start + LIFT_SECONDS + top, "Lower slowly.", f"{count}: lower slowly"))
    return tuple(cues)


def _pause(p: Prescription, side: Side | None, *, same_round: bool) -> Step:
    """Between two holds or sets: a short switch of sides, or a rest between rounds."""
    if same_round:
        cue = Cue(0, f"Switch to your {side} side.")
        return Step(StepKind.REST, SWITCH_SECONDS, "Switch sides", (cue,), p.exercise_id)
    then = "" if side is None else f" Then your {side} side."
    cue = Cue(0, f"Rest. Breathe.{then}")
    return Step(StepKind.REST, p.rest_seconds, "Rest", (cue,), p.exercise_id)


def _exercise_steps(p: Prescription, tilt_cue: str | None) -> list[Step]:
    sides: tuple[Side | None, ...] = p.sides or (None,)
    holds = p.hold_seconds is not None
    steps: list[Step] = []
    for number in range(1, p.rounds + 1):
        # A side that tests tight may get one hold more than the other (PROTOCOL.md 4).
        present = [side for side in sides if number <= p.rounds_on(side)]
        for position, side in enumerate(present):
            if steps:
                steps.append(_pause(p, side, same_round=position > 0))
            rounds = p.rounds_on(side)
            label = "hold" if holds else "set"
            title = f"{p.name}{_side_words(side)}: {label} {number} of {rounds}"
            if holds:
                assert p.hold_seconds is not None
                cues = _hold_cues(p, side, tilt_cue)
                kind, seconds = StepKind.HOLD, p.hold_seconds
            else:
                cues = _set_cues(p, side)
                kind, seconds = StepKind.SET, p.reps * p.rep_seconds
            steps.append(
                Step(
                    kind,
                    seconds,
                    title,
                    cues,
                    p.exercise_id,
                    side,
                    number,
                    rounds,
                    reps=None if holds else p.reps,
                    hold_seconds=p.hold_seconds,
                )
            )
    return steps


def compile_session(session: SessionPlan, *, tilt_cue_for: Iterable[ExerciseId] = ()) -> Script:
    """The session as timed steps; `tilt_cue_for` are the hip-flexor stretches, whose
    first cue (the posterior pelvic tilt) is said at the start of every hold."""
    tilted = set(tilt_cue_for)
    steps: list[Step] = []
    for index, p in enumerate(session.prescriptions):
        kind, word = (StepKind.LEAD_IN, "Get ready") if index == 0 else (StepKind.CHANGE, "Next")
        seconds = session.opening_seconds(index)  # longer to get down to the floor or up
        # the title says it on screen; the voice says it once
        cue = Cue(0, f"{word}: {p.name}.", "")
        steps.append(Step(kind, seconds, f"{word}: {p.name}", (cue,), p.exercise_id))
        tilt = p.cues[0] if p.exercise_id in tilted and p.cues else None
        steps.extend(_exercise_steps(p, tilt))
    steps.append(Step(StepKind.DONE, 0, "Done", (Cue(0, "Session complete. Well done."),)))
    return Script(session.name, tuple(steps))


BREAK_LEAD_IN_SECONDS = 3


def compile_break(
    routine: Sequence[BreakStep],
    *,
    stretch_name: str,
    tilt_cue: str | None,
    opening: str,
    closing: str,
) -> Script:
    """A movement break as timed steps for the same players (not logged as a session)."""
    steps = [Step(StepKind.LEAD_IN, BREAK_LEAD_IN_SECONDS, "Movement break", (Cue(0, opening),))]
    for part in routine:
        title = part.title(stretch_name)
        title = title[:1].upper() + title[1:]
        exercise = part.exercise_id
        sides: tuple[Side | None, ...] = tuple(Side) if part.per_side else (None,)
        for side in sides:
            words = title + _side_words(side)
            cue = f"{words}." + (f" {tilt_cue}" if exercise is not None and tilt_cue else "")
            steps.append(
                Step(
                    StepKind.HOLD if exercise is not None else StepKind.ACTIVITY,
                    part.seconds,
                    words,
                    (Cue(0, cue),),
                    exercise,
                    side,
                )
            )
    steps.append(Step(StepKind.DONE, 0, "Done", (Cue(0, closing),)))
    return Script("Movement break", tuple(steps))
