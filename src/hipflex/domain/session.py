"""A session compiled to a script of timed steps (plain data, with a JSON form) that the
terminal and the browser players both play, and the player state machine that walks it.

The player is driven only by the times it is given, so a whole session runs in
milliseconds in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from hipflex.domain.errors import BadInput
from hipflex.domain.plan import (
    CHANGE_SECONDS,
    LEAD_IN_SECONDS,
    LIFT_SECONDS,
    SWITCH_SECONDS,
    Prescription,
    SessionPlan,
)
from hipflex.domain.protocol import ExerciseId, Side

SCRIPT_VERSION = 1
# Float sums of clock times can fall a hair short of a step's end: within this, it ended.
_EPSILON = 1e-9
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
    """Something to show and say `at` seconds into a step."""

    at: int
    text: str


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


def _side_words(side: Side | None) -> str:
    return "" if side is None else f", {side.value} side"


def _hold_cues(p: Prescription, side: Side | None, tilt_cue: str | None) -> tuple[Cue, ...]:
    assert p.hold_seconds is not None
    cues = [Cue(0, f"Hold{_side_words(side)}." + (f" {tilt_cue}" if tilt_cue else ""))]
    if p.hold_seconds >= WARNING_FROM_SECONDS:
        cues.append(Cue(p.hold_seconds - WARNING_SECONDS, f"{WARNING_SECONDS} seconds left."))
    return tuple(cues)


def _set_cues(p: Prescription, side: Side | None) -> tuple[Cue, ...]:
    assert p.reps is not None
    pace = p.rep_seconds
    cues = [Cue(0, f"{p.reps} reps{_side_words(side)}. Begin.")]
    for rep in range(p.reps):
        start = rep * pace
        if p.hold_at_top_seconds:
            if rep:
                cues.append(Cue(start, "Lift."))
            cues.append(Cue(start + LIFT_SECONDS, f"Hold {p.hold_at_top_seconds} seconds."))
            cues.append(Cue(start + LIFT_SECONDS + p.hold_at_top_seconds, "Lower slowly."))
        elif rep and (rep % 5 == 0 or rep == p.reps - 1):
            left = p.reps - rep
            cues.append(Cue(start, f"{rep} done, {left} to go." if left > 1 else "Last one."))
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
    rounds = p.rounds
    steps: list[Step] = []
    for number in range(1, rounds + 1):
        for position, side in enumerate(sides):
            if steps:
                steps.append(_pause(p, side, same_round=position > 0))
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
        kind, seconds, word = (
            (StepKind.LEAD_IN, LEAD_IN_SECONDS, "Get ready")
            if index == 0
            else (StepKind.CHANGE, CHANGE_SECONDS, "Next")
        )
        steps.append(
            Step(kind, seconds, f"{word}: {p.name}", (Cue(0, f"{word}: {p.name}."),), p.exercise_id)
        )
        tilt = p.cues[0] if p.exercise_id in tilted and p.cues else None
        steps.extend(_exercise_steps(p, tilt))
    steps.append(Step(StepKind.DONE, 0, "Done", (Cue(0, "Session complete. Well done."),)))
    return Script(session.name, tuple(steps))


# The JSON form (the browser player plays it as it is)


def script_to_json(script: Script) -> dict[str, Any]:
    return {
        "version": SCRIPT_VERSION,
        "name": script.name,
        "total_seconds": script.total_seconds,
        "steps": [
            {
                "kind": s.kind.value,
                "seconds": s.seconds,
                "title": s.title,
                "cues": [{"at": c.at, "text": c.text} for c in s.cues],
                "exercise_id": None if s.exercise_id is None else s.exercise_id.value,
                "side": None if s.side is None else s.side.value,
                "number": s.number,
                "of": s.of,
                "reps": s.reps,
                "hold_seconds": s.hold_seconds,
                "records": s.records,
            }
            for s in script.steps
        ],
    }


def script_from_json(data: dict[str, Any]) -> Script:
    try:
        if data["version"] != SCRIPT_VERSION:
            msg = f"script version {data['version']} is not {SCRIPT_VERSION}"
            raise BadInput(msg)
        steps = tuple(
            Step(
                kind=StepKind(s["kind"]),
                seconds=int(s["seconds"]),
                title=str(s["title"]),
                cues=tuple(Cue(int(c["at"]), str(c["text"])) for c in s["cues"]),
                exercise_id=None if s["exercise_id"] is None else ExerciseId(s["exercise_id"]),
                side=None if s["side"] is None else Side(s["side"]),
                number=s["number"],
                of=s["of"],
                reps=s["reps"],
                hold_seconds=s["hold_seconds"],
            )
            for s in data["steps"]
        )
        return Script(str(data["name"]), steps)
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"not a session script: {exc}"
        raise BadInput(msg) from None


# The player


class Control(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    BACK = "back"
    QUIT = "quit"
    SHARP_PAIN = "sharp_pain"


@dataclass(frozen=True)
class StepStarted:
    index: int
    step: Step


@dataclass(frozen=True)
class CueDue:
    index: int
    cue: Cue


@dataclass(frozen=True)
class StepCompleted:
    """A step ran its full time; for holds and sets this is what gets logged."""

    index: int
    step: Step


@dataclass(frozen=True)
class StepSkipped:
    index: int
    step: Step


@dataclass(frozen=True)
class SharpPain:
    exercise_id: ExerciseId
    index: int  # the step it was reported in


@dataclass(frozen=True)
class Finished:
    quit: bool


Output = StepStarted | CueDue | StepCompleted | StepSkipped | SharpPain | Finished


@dataclass(frozen=True)
class Player:
    """Where a run of a script stands. Immutable: every event returns a new Player."""

    script: Script
    index: int = 0
    elapsed: float = 0.0  # seconds into the current step
    paused: bool = False
    finished: bool = False
    quit: bool = False
    last: float | None = None  # the time of the last event
    done: frozenset[int] = field(default_factory=frozenset)
    skipped: frozenset[int] = field(default_factory=frozenset)
    sharp_pain: frozenset[ExerciseId] = field(default_factory=frozenset)

    @property
    def step(self) -> Step | None:
        return None if self.finished else self.script.steps[self.index]

    @property
    def remaining(self) -> float:
        step = self.step
        return 0.0 if step is None else max(0.0, step.seconds - self.elapsed)

    def next_deadline(self) -> float | None:
        """Seconds until something happens (a cue or the end of the step): the moment a
        driver should tick next instead of polling."""
        step = self.step
        if step is None or self.paused:
            return None
        upcoming = [c.at - self.elapsed for c in step.cues if c.at > self.elapsed]
        return min([*upcoming, self.remaining])


def _enter(player: Player, index: int) -> tuple[Player, list[Output]]:
    """Move to step `index` (or finish past the end), with its opening cues."""
    if index >= len(player.script.steps):
        return replace(player, index=len(player.script.steps) - 1, finished=True), [
            Finished(quit=False)
        ]
    step = player.script.steps[index]
    moved = replace(player, index=index, elapsed=0.0)
    outputs: list[Output] = [StepStarted(index, step)]
    outputs += [CueDue(index, c) for c in step.cues if c.at <= 0]
    if step.kind is StepKind.DONE:  # the last step takes no time
        outputs.append(Finished(quit=False))
        moved = replace(moved, finished=True)
    return moved, outputs


def start(script: Script, now: float, index: int = 0) -> tuple[Player, list[Output]]:
    """Begin at the first step (or at `index`, resuming: earlier steps count as done)."""
    if not script.steps:
        msg = "the session has no steps"
        raise BadInput(msg)
    if not 0 <= index < len(script.steps):
        msg = f"step {index} is outside the session's {len(script.steps)} steps"
        raise BadInput(msg)
    return _enter(Player(script, last=now, done=frozenset(range(index))), index)


def tick(player: Player, now: float) -> tuple[Player, list[Output]]:
    """Let the time since the last event pass (never backwards)."""
    if player.last is None:
        msg = "tick before start"
        raise BadInput(msg)
    delta = max(0.0, now - player.last)
    player = replace(player, last=max(now, player.last))
    if player.paused or player.finished:
        return player, []
    outputs: list[Output] = []
    while not player.finished:
        step = player.script.steps[player.index]
        before = player.elapsed
        if delta < step.seconds - before - _EPSILON:
            after = before + delta
            due = [c for c in step.cues if before < c.at <= after + _EPSILON]
            outputs += [CueDue(player.index, c) for c in due]
            # a cue reached within the tolerance counts as reached, so it is said once
            reached = max([after, *(c.at for c in due)])
            return replace(player, elapsed=reached), outputs
        delta = max(0.0, delta - (step.seconds - before))
        outputs += [CueDue(player.index, c) for c in step.cues if before < c.at < step.seconds]
        outputs.append(StepCompleted(player.index, step))
        player = replace(
            player, done=player.done | {player.index}, skipped=player.skipped - {player.index}
        )
        player, entered = _enter(player, player.index + 1)
        outputs += entered
    return player, outputs


def _skip_to(player: Player, target: int) -> tuple[Player, list[Output]]:
    """Mark the steps from here up to `target` skipped (unless done) and enter `target`."""
    outputs: list[Output] = []
    skipped = set(player.skipped)
    for index in range(player.index, min(target, len(player.script.steps))):
        if index not in player.done:
            skipped.add(index)
            outputs.append(StepSkipped(index, player.script.steps[index]))
    moved, entered = _enter(replace(player, skipped=frozenset(skipped)), target)
    return moved, outputs + entered


def _sharp_pain(player: Player) -> tuple[Player, list[Output]]:
    """Stop that exercise at once, report it, and go on to the next exercise."""
    exercise = player.script.steps[player.index].exercise_id
    if exercise is None:
        return player, []
    steps = player.script.steps
    following = next(
        (i for i in range(player.index + 1, len(steps)) if steps[i].exercise_id != exercise),
        len(steps),
    )
    flagged = replace(player, sharp_pain=player.sharp_pain | {exercise})
    moved, more = _skip_to(flagged, following)
    return moved, [SharpPain(exercise, player.index), *more]


def _back(player: Player) -> tuple[Player, list[Output]]:
    target = max(0, player.index - 1)
    return _enter(replace(player, skipped=player.skipped - {target}), target)


def control(player: Player, action: Control, now: float) -> tuple[Player, list[Output]]:
    """A key press or a button: the time up to now passes first."""
    player, outputs = tick(player, now)
    if player.finished:
        return player, outputs
    if action is Control.PAUSE or action is Control.RESUME:
        return replace(player, paused=action is Control.PAUSE), outputs
    if action is Control.QUIT:
        return replace(player, finished=True, quit=True), [*outputs, Finished(quit=True)]
    handlers = {
        Control.SKIP: lambda p: _skip_to(p, p.index + 1),
        Control.BACK: _back,
        Control.SHARP_PAIN: _sharp_pain,
    }
    moved, more = handlers[action](player)
    return moved, outputs + more


def completed_seconds(player: Player) -> dict[tuple[ExerciseId, Side | None], int]:
    """Hold seconds completed per exercise and side."""
    totals: dict[tuple[ExerciseId, Side | None], int] = {}
    for index in sorted(player.done):
        step = player.script.steps[index]
        if step.kind is StepKind.HOLD and step.exercise_id is not None:
            key = (step.exercise_id, step.side)
            totals[key] = totals.get(key, 0) + step.seconds
    return totals


def resume_index(script: Script, recorded: Sequence[tuple[ExerciseId, Side | None, int]]) -> int:
    """The first step not yet logged, given (exercise, side, number) of the logged holds
    and sets: where an interrupted session picks up (with its "next" step if it opens an
    exercise)."""
    logged = set(recorded)
    for index, step in enumerate(script.steps):
        if step.records and (step.exercise_id, step.side, step.number) not in logged:
            opening = script.steps[index - 1].kind in (StepKind.LEAD_IN, StepKind.CHANGE)
            return index - 1 if index > 0 and opening else index
    return len(script.steps) - 1
