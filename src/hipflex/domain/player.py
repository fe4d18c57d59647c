"""The player: the state machine that walks a script on the times it is given (no clock
of its own), so a whole session runs in milliseconds in tests. Both terminal players use
it; the browser's player-core.js is proved equal to it by replayed traces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.script import Cue, Script, Step, StepKind

# Float sums of clock times can fall a hair short of a step's end: within this, it ended.
_EPSILON = 1e-9


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
    """Stop that exercise at once (its remaining steps skipped), report it, and move to
    the first step of the next exercise, paused there: the user reads the advice, then
    chooses to go on or to end (PROTOCOL.md 2.5). After the last exercise it finishes."""
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
    if not moved.finished:
        moved = replace(moved, paused=True)
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


# The JSON forms: player-core.js emits the same, so traces of both can be compared.


def output_to_json(output: Output) -> dict[str, Any]:
    """An output as plain data; steps are named by their index in the script."""
    match output:
        case StepStarted(index=index):
            return {"type": "step_started", "index": index}
        case CueDue(index=index, cue=cue):
            return {"type": "cue_due", "index": index, "at": cue.at, "text": cue.text}
        case StepCompleted(index=index):
            return {"type": "step_completed", "index": index}
        case StepSkipped(index=index):
            return {"type": "step_skipped", "index": index}
        case SharpPain(exercise_id=exercise_id, index=index):
            return {"type": "sharp_pain", "exercise_id": exercise_id.value, "index": index}
        case Finished(quit=quit_):
            return {"type": "finished", "quit": quit_}


def player_to_json(player: Player) -> dict[str, Any]:
    """Where a run stands, as plain data (sets as sorted lists; the script left out)."""
    return {
        "index": player.index,
        "elapsed": player.elapsed,
        "paused": player.paused,
        "finished": player.finished,
        "quit": player.quit,
        "last": player.last,
        "done": sorted(player.done),
        "skipped": sorted(player.skipped),
        "sharp_pain": sorted(e.value for e in player.sharp_pain),
    }
