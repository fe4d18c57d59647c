"""A session compiled to timed steps with cues, and the player that walks it (PROTOCOL.md 3).

The player is pure and takes the time as a float, so these tests drive it with a fake clock:
hypothesis plays random sequences of ticks and key presses on random real sessions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
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
from hipflex.domain.plan import (
    CHANGE_SECONDS,
    LEAD_IN_SECONDS,
    SWITCH_SECONDS,
    Prescription,
    Programme,
    SessionPlan,
    SessionSlot,
    build_programme,
    prescribe,
)
from hipflex.domain.player import (
    Control,
    CueDue,
    Finished,
    Output,
    Player,
    SharpPain,
    StepCompleted,
    StepSkipped,
    StepStarted,
    completed_seconds,
    control,
    output_to_json,
    player_to_json,
    resume_index,
    start,
    tick,
)
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import MAX_LEVEL, ProgressionState
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening, break_script
from hipflex.domain.script import (
    SCRIPT_VERSION,
    Script,
    Step,
    StepKind,
    compile_session,
)
from hipflex.services.presenters.sessions import ScriptOut, script_model

EXERCISES = load_content().exercises
E = ExerciseId
HK = E.HALF_KNEELING_HIP_FLEXOR
HIP_FLEXOR_STRETCHES = [e.id for e in EXERCISES.values() if e.is_hip_flexor_stretch]
OPENINGS = (StepKind.LEAD_IN, StepKind.CHANGE)


def compile_plan(session: SessionPlan) -> Script:
    return compile_session(session, tilt_cue_for=HIP_FLEXOR_STRETCHES)


def one_exercise(exercise_id: ExerciseId, level: int = 0) -> SessionPlan:
    return SessionPlan(
        SessionSlot.EVENING, "Test session", (prescribe(EXERCISES[exercise_id], level),)
    )


# --- builders and strategies (after tests/domain/test_plan.py) -----------------------------


def thomas(raised: bool, knee: float) -> ThomasInput:
    return ThomasInput(
        ThighPosition.RAISED if raised else ThighPosition.FLAT, knee_flexion_deg=knee
    )


def build(
    assessment: Assessment,
    prefs: Preferences | None = None,
    state: ProgressionState | None = None,
) -> Programme:
    result = build_programme(
        assessment, prefs or Preferences(), EXERCISES, week=1, state=state or ProgressionState()
    )
    assert isinstance(result, Programme)
    return result


# Both muscles tight (left raised thigh, knee at 70 degrees): every exercise is called for.
BOTH = assess(
    AssessmentInput(
        thomas={
            Side.LEFT: thomas(raised=True, knee=70.0),
            Side.RIGHT: thomas(raised=False, knee=85.0),
        },
        extension={Side.LEFT: ExtensionInput(degrees=12.0)},
        red_flags=frozenset(),
    )
)

tight_assessments = strategies.tight_assessments
states = strategies.states
preferences = strategies.preferences()


@st.composite
def programme_sessions(draw: st.DrawFn) -> SessionPlan:
    """A session of a random programme, as build_programme plans it."""
    programme = build(draw(tight_assessments), draw(preferences), draw(states))
    assume(programme.sessions)
    return draw(st.sampled_from(programme.sessions))


# Any exercises at any level, in any order: more shapes than the planner makes.
any_sessions = st.lists(
    st.tuples(st.sampled_from(ExerciseId), st.integers(0, MAX_LEVEL)),
    min_size=1,
    max_size=4,
    unique_by=lambda item: item[0],
).map(
    lambda items: SessionPlan(
        SessionSlot.EVENING,
        "Any session",
        tuple(prescribe(EXERCISES[exercise_id], level) for exercise_id, level in items),
    )
)
sessions = st.one_of(programme_sessions(), any_sessions)
scripts = sessions.map(compile_plan)

# Seconds between two events: bursts, long gaps, none at all, and a clock that goes back.
deltas = st.one_of(
    st.sampled_from([0.0, 1.0, 5.0, 10.0, 30.0]),
    st.floats(min_value=0, max_value=3),
    st.floats(min_value=0, max_value=60),
    st.floats(min_value=60, max_value=400),
    st.floats(min_value=-30, max_value=0),
)
starts = st.one_of(st.just(0.0), st.integers(0, 10**6).map(float), st.floats(0, 1e6))
# A clock in eighths of a second: every sum and difference is exact in floating point.
exact_starts = st.integers(0, 8 * 10**6).map(lambda n: n / 8)
exact_deltas = st.integers(-240, 3200).map(lambda n: n / 8)
PRESSES = (Control.PAUSE, Control.RESUME, Control.SKIP, Control.BACK, Control.SHARP_PAIN)
# (None, delta) is a tick; (a control, delta) a key press delta seconds after the last event.
actions = st.one_of(st.none(), st.none(), st.sampled_from(PRESSES))
events = st.lists(st.tuples(actions, deltas), max_size=40)
exact_events = st.lists(st.tuples(actions, exact_deltas), max_size=40)


# --- compiling a session -------------------------------------------------------------------


def exercise_blocks(script: Script) -> list[tuple[Step, list[Step]]]:
    """Each exercise's opening step (the lead-in or a change) and the steps after it."""
    assert script.steps[-1].kind is StepKind.DONE
    blocks: list[tuple[Step, list[Step]]] = []
    for step in script.steps[:-1]:
        if step.kind in OPENINGS:
            blocks.append((step, []))
        else:
            blocks[-1][1].append(step)
    return blocks


def check_exercise(p: Prescription, opening: Step, body: list[Step]) -> None:
    """One exercise: its rounds, each side in turn inside a round, switches and rests."""
    assert opening.exercise_id is p.exercise_id
    assert all(step.exercise_id is p.exercise_id for step in body)
    work, pauses = body[0::2], body[1::2]
    assert all(step.records for step in work)
    assert all(step.kind is StepKind.REST for step in pauses)
    sides: tuple[Side | None, ...] = (Side.LEFT, Side.RIGHT) if p.per_side else (None,)
    # round by round, each side that has a hold in that round (a tight side may have one
    # more than the other: PROTOCOL.md section 4)
    order = [(n, side) for n in range(1, p.rounds + 1) for side in sides if n <= p.rounds_on(side)]
    assert [(step.number, step.side) for step in work] == order
    assert {(step.side, step.of) for step in work} == {(s, p.rounds_on(s)) for s in sides}
    assert len(pauses) == len(work) - 1
    for before, pause, after in zip(work[:-1], pauses, work[1:], strict=True):
        if before.number == after.number:  # the other side, same round
            assert before.side is Side.LEFT
            assert after.side is Side.RIGHT
            assert (pause.title, pause.seconds) == ("Switch sides", SWITCH_SECONDS)
            assert "right side" in pause.cues[0].text
        else:
            assert (pause.title, pause.seconds) == ("Rest", p.rest_seconds)
    if p.hold_seconds is None:
        assert {step.kind for step in work} == {StepKind.SET}
        assert {step.reps for step in work} == {p.reps}
        assert {step.seconds for step in work} == {p.reps * p.rep_seconds}
    else:
        assert {step.kind for step in work} == {StepKind.HOLD}
        assert {step.seconds for step in work} == {p.hold_seconds}
        assert {step.hold_seconds for step in work} == {p.hold_seconds}
        holds = Counter((step.exercise_id, step.side) for step in work)
        assert holds == {(p.exercise_id, side): p.rounds_on(side) for side in sides}


@given(sessions)
def test_script_is_lead_in_exercises_then_done(session: SessionPlan):
    script = compile_plan(session)
    first, *_, last = script.steps
    assert (first.kind, first.seconds) == (StepKind.LEAD_IN, session.opening_seconds(0))
    assert first.seconds >= LEAD_IN_SECONDS
    assert first.exercise_id is session.prescriptions[0].exercise_id
    assert (last.kind, last.seconds, last.exercise_id) == (StepKind.DONE, 0, None)
    assert [s.kind for s in script.steps].count(StepKind.DONE) == 1
    assert script.exercise_ids() == session.exercise_ids
    blocks = exercise_blocks(script)
    assert len(blocks) == len(session.prescriptions)
    for index, ((opening, body), p) in enumerate(zip(blocks, session.prescriptions, strict=True)):
        if opening is not first:
            assert (opening.kind, opening.seconds) == (
                StepKind.CHANGE,
                session.opening_seconds(index),
            )
            assert opening.seconds >= CHANGE_SECONDS
        assert opening.cues[0].at == 0
        assert p.name in opening.cues[0].text
        check_exercise(p, opening, body)


@given(tight_assessments, preferences, states)
def test_script_takes_exactly_the_planned_time(
    assessment: Assessment, prefs: Preferences, state: ProgressionState
):
    for session in build(assessment, prefs, state).sessions:
        assert compile_plan(session).total_seconds == session.estimated_seconds


@given(any_sessions)
def test_any_session_takes_exactly_its_estimate(session: SessionPlan):
    assert compile_plan(session).total_seconds == session.estimated_seconds


def test_the_hip_flexor_stretches_are_the_four_of_the_protocol():
    assert set(HIP_FLEXOR_STRETCHES) == {
        HK,
        E.COUCH_STRETCH,
        E.STANDING_QUAD_HIP_FLEXOR,
        E.PIGEON_POSE,
    }


@pytest.mark.parametrize("exercise_id", HIP_FLEXOR_STRETCHES)
@pytest.mark.parametrize("level", range(MAX_LEVEL + 1))
def test_every_hip_flexor_hold_opens_with_the_pelvic_tilt(exercise_id: ExerciseId, level: int):
    tilt = EXERCISES[exercise_id].cues[0]
    assert "tailbone" in tilt.lower()
    script = compile_plan(one_exercise(exercise_id, level))
    holds = [s for s in script.steps if s.kind is StepKind.HOLD]
    assert holds
    for hold in holds:
        assert any(cue.at == 0 and tilt in cue.text for cue in hold.cues), hold
    # without being named a hip-flexor stretch, the holds do not say it
    plain = compile_session(one_exercise(exercise_id, level))
    assert not any(tilt in cue.text for s in plain.steps for cue in s.cues)


@settings(max_examples=50)
@given(sessions)
def test_tilt_cue_in_every_hip_flexor_hold_and_nowhere_else(session: SessionPlan):
    for step in compile_plan(session).steps:
        if step.exercise_id is None or step.kind is not StepKind.HOLD:
            continue
        first_cue = EXERCISES[step.exercise_id].cues[0]
        said = any(cue.at == 0 and first_cue in cue.text for cue in step.cues)
        assert said is (step.exercise_id in HIP_FLEXOR_STRETCHES)


@settings(max_examples=50)
@given(sessions)
def test_holds_of_20_seconds_or_more_warn_10_seconds_before_the_end(session: SessionPlan):
    for step in compile_plan(session).steps:
        if step.kind is StepKind.HOLD:
            assert step.seconds >= 20  # every hold in the content
            warnings = [c for c in step.cues if c.text == "10 seconds left."]
            assert [c.at for c in warnings] == [step.seconds - 10]


def test_holds_shorter_than_20_seconds_have_no_warning():
    short = replace(prescribe(EXERCISES[E.PLANK], 0), hold_seconds=19)
    script = compile_plan(SessionPlan(SessionSlot.EVENING, "Short", (short,)))
    holds = [s for s in script.steps if s.kind is StepKind.HOLD]
    assert holds
    for hold in holds:
        assert hold.seconds == 19
        assert [c.at for c in hold.cues] == [0]
    exactly = replace(short, hold_seconds=20)
    script = compile_plan(SessionPlan(SessionSlot.EVENING, "Twenty", (exactly,)))
    hold = next(s for s in script.steps if s.kind is StepKind.HOLD)
    assert (hold.cues[-1].at, hold.cues[-1].text) == (10, "10 seconds left.")


@pytest.mark.parametrize("level", range(MAX_LEVEL + 1))
def test_glute_bridge_sets_hold_3_seconds_at_the_top_and_lower_slowly(level: int):
    script = compile_plan(one_exercise(E.GLUTE_BRIDGE, level))
    sets = [s for s in script.steps if s.kind is StepKind.SET]
    assert len(sets) == 3
    for number, step in enumerate(sets, start=1):
        assert (step.reps, step.side, step.number, step.of) == (15, None, number, 3)
        assert step.seconds == 15 * (1 + 3 + 2)  # lift 1 s, hold 3 s, lower slowly 2 s
        holds = [c.at for c in step.cues if c.text == "Hold 3 seconds."]
        lowers = [c.at for c in step.cues if c.text == "Lower slowly."]
        assert holds == [rep * 6 + 1 for rep in range(15)]
        assert lowers == [rep * 6 + 4 for rep in range(15)]
        assert step.cues[0].at == 0
        assert "15 reps" in step.cues[0].text


@pytest.mark.parametrize("exercise_id", [E.CLAMSHELL, E.DEAD_BUG, E.BIRD_DOG])
def test_sets_without_a_hold_count_the_reps(exercise_id: ExerciseId):
    p = prescribe(EXERCISES[exercise_id], MAX_LEVEL)
    for step in compile_plan(one_exercise(exercise_id, MAX_LEVEL)).steps:
        if step.kind is StepKind.SET:
            assert step.cues[-1].text == "Last one."
            assert step.cues[-1].at == (p.reps - 1) * p.rep_seconds
            assert step.side in (Side.LEFT, Side.RIGHT)


@pytest.mark.parametrize("level", range(MAX_LEVEL + 1))
def test_plank_holds_are_not_per_side(level: int):
    p = prescribe(EXERCISES[E.PLANK], level)
    holds = [s for s in compile_plan(one_exercise(E.PLANK, level)).steps if s.records]
    assert len(holds) == p.rounds == p.sets
    assert all(s.side is None and s.kind is StepKind.HOLD for s in holds)
    assert all("side" not in cue.text for s in holds for cue in s.cues)


@pytest.mark.parametrize("exercise_id", list(ExerciseId))
def test_cues_are_in_order_and_inside_their_step(exercise_id: ExerciseId):
    for step in compile_plan(one_exercise(exercise_id, MAX_LEVEL)).steps:
        ats = [c.at for c in step.cues]
        assert ats == sorted(ats)
        assert all(0 <= at < step.seconds for at in ats) or step.kind is StepKind.DONE


def test_an_empty_session_is_only_done():
    script = compile_plan(SessionPlan(SessionSlot.MORNING, "Nothing", ()))
    assert [s.kind for s in script.steps] == [StepKind.DONE]
    assert script.total_seconds == 0
    player, outputs = start(script, 0.0)
    assert player.finished
    assert outputs[-1] == Finished(quit=False)


# --- the JSON form (its presenter, services/presenters/sessions.py) ------------------------


def script_to_json(script: Script) -> dict[str, Any]:
    return script_model(script).model_dump(mode="json")


def script_from_json(data: Any) -> Script:
    return ScriptOut.model_validate(data).to_script()


NOT_A_SCRIPT = (BadInput, ValidationError)


@given(scripts)
def test_json_round_trip(script: Script):
    data = script_to_json(script)
    assert script_from_json(data) == script
    text = json.dumps(data)
    assert script_from_json(json.loads(text)) == script
    assert data["version"] == SCRIPT_VERSION
    assert data["total_seconds"] == script.total_seconds
    assert [s["records"] for s in data["steps"]] == [s.records for s in script.steps]


def everything_evening() -> SessionPlan:
    """The evening session of a programme with every exercise but the desk stretch."""
    programme = build(
        BOTH, Preferences(floor_at_work=False), ProgressionState(level=MAX_LEVEL, couch_weeks=6)
    )
    (evening,) = (s for s in programme.sessions if s.slot is SessionSlot.EVENING)
    assert set(evening.exercise_ids) == set(ExerciseId) - {E.STANDING_QUAD_HIP_FLEXOR}
    return evening


EVENING = compile_plan(everything_evening())
LEAD = EVENING.steps[0].seconds  # its get-ready: down to the floor for the kneeling stretch


def test_json_with_another_version_is_bad_input():
    data = script_to_json(EVENING)
    for version in (SCRIPT_VERSION + 1, 0, "1", None):
        with pytest.raises(NOT_A_SCRIPT, match="version"):
            script_from_json({**data, "version": version})


def without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize("key", ["version", "name", "steps"])
def test_json_missing_a_key_is_bad_input(key: str):
    with pytest.raises(NOT_A_SCRIPT):
        script_from_json(without(script_to_json(EVENING), key))


@pytest.mark.parametrize(
    "key", ["kind", "seconds", "title", "cues", "exercise_id", "side", "number", "hold_seconds"]
)
def test_json_step_missing_a_key_is_bad_input(key: str):
    data = script_to_json(EVENING)
    steps = list(data["steps"])
    steps[1] = without(steps[1], key)
    with pytest.raises(NOT_A_SCRIPT, match=key):
        script_from_json({**data, "steps": steps})


@pytest.mark.parametrize(
    "broken",
    [
        {"kind": "nap"},
        {"side": "middle"},
        {"exercise_id": "handstand"},
        {"seconds": "long"},
        {"cues": [{"at": 0}]},
    ],
)
def test_json_with_unknown_values_is_bad_input(broken: dict[str, Any]):
    data = script_to_json(EVENING)
    steps = list(data["steps"])
    steps[1] = {**steps[1], **broken}
    with pytest.raises(NOT_A_SCRIPT):
        script_from_json({**data, "steps": steps})


@pytest.mark.parametrize("data", [None, [], "script", {"version": SCRIPT_VERSION}])
def test_json_that_is_not_a_script_is_bad_input(data: Any):
    with pytest.raises(NOT_A_SCRIPT):
        script_from_json(data)


# --- playing: a fake clock, random events --------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """One event of a run: the player before, after the time passed (what a control does
    first), and after the event, with what the event said."""

    action: Control | None  # None: a tick
    now: float
    before: Player
    mid: Player
    after: Player
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Run:
    script: Script
    first: Player
    opening: tuple[Output, ...]
    moments: tuple[Moment, ...]

    @property
    def player(self) -> Player:
        return self.moments[-1].after if self.moments else self.first

    @cached_property
    def stream(self) -> list[tuple[Control | None, Output | None]]:
        """Every output in order, with a (control, None) marker where each key press acts
        (after the time up to it has passed)."""
        said: list[tuple[Control | None, Output | None]] = [(None, o) for o in self.opening]
        for m in self.moments:
            if m.action is None:
                said += [(None, o) for o in m.outputs]
                continue
            own = control_outputs(m)
            said += [(None, o) for o in m.outputs[: len(m.outputs) - len(own)]]
            said.append((m.action, None))
            said += [(m.action, o) for o in own]
        return said


def play(script: Script, t0: float, steps: Sequence[tuple[Control | None, float]]) -> Run:
    first, opening = start(script, t0)
    player, clock = first, t0
    moments: list[Moment] = []
    for action, delta in steps:
        clock += delta
        before = player
        if action is None:
            player, outputs = tick(before, clock)
            mid = before
        else:
            mid = tick(before, clock)[0]
            player, outputs = control(before, action, clock)
        moments.append(Moment(action, clock, before, mid, player, tuple(outputs)))
    return Run(script, first, tuple(opening), tuple(moments))


def check_state(player: Player) -> None:
    steps = player.script.steps
    assert 0 <= player.index < len(steps)
    assert 0.0 <= player.elapsed <= steps[player.index].seconds
    assert not player.done & player.skipped
    assert player.done <= set(range(len(steps)))
    assert player.skipped <= set(range(len(steps)))
    deadline = player.next_deadline()
    if player.paused or player.finished:
        assert deadline is None
        return
    assert deadline is not None
    step = steps[player.index]
    assert 0 < deadline <= player.remaining
    cue_times = {c.at - player.elapsed for c in step.cues if c.at > player.elapsed}
    assert deadline == player.remaining or deadline in cue_times


def check_tick(m: Moment) -> None:
    before, after = m.before, m.after
    if before.finished:
        assert m.outputs == ()
        assert replace(after, last=before.last) == before
    elif m.now < (before.last or 0.0):  # time never runs backwards
        assert m.outputs == ()
        assert after == before
    elif before.paused:  # a pause stops the time
        assert m.outputs == ()
        assert (after.index, after.elapsed) == (before.index, before.elapsed)
    elif after.index == before.index and not after.finished:
        assert after.elapsed == before.elapsed + (m.now - (before.last or 0.0))
    assert after.last == max(m.now, before.last or 0.0)


def control_outputs(m: Moment) -> tuple[Output, ...]:
    """What the key press itself said, after what the passing time said."""
    _, passed = tick(m.before, m.now)
    assert m.outputs[: len(passed)] == tuple(passed)
    return m.outputs[len(passed) :]


def check_control(m: Moment) -> None:
    mid, after = m.mid, m.after
    own = control_outputs(m)
    if mid.finished:
        assert own == ()
        assert after == mid
        return
    steps = mid.script.steps
    assert m.action is not None
    if m.action in (Control.PAUSE, Control.RESUME):
        assert own == ()
        assert after == replace(mid, paused=m.action is Control.PAUSE)
    elif m.action is Control.SKIP:
        assert (mid.index in after.skipped) is (mid.index not in mid.done)
        assert (StepSkipped(mid.index, steps[mid.index]) in own) is (mid.index not in mid.done)
        assert after.index == mid.index + 1
        assert after.elapsed == 0.0
        assert StepStarted(after.index, steps[after.index]) in own
    elif m.action is Control.BACK:
        assert after.index == max(0, mid.index - 1)
        assert after.elapsed == 0.0
        assert after.index not in after.skipped
        assert not after.finished
        assert own[0] == StepStarted(after.index, steps[after.index])
    elif m.action is Control.SHARP_PAIN:
        exercise = steps[mid.index].exercise_id
        assert exercise is not None  # only the done step has none, and it finishes
        assert own[0] == SharpPain(exercise, mid.index)
        # paused at the first step of the next exercise, unless that was the last one
        assert after.finished or (after.paused and after.elapsed == 0.0)
        assert not after.finished or after.paused is mid.paused
        assert after.sharp_pain == mid.sharp_pain | {exercise}
        assert after.finished or steps[after.index].exercise_id != exercise
        entered = [o for o in own if isinstance(o, StepStarted | Finished)]
        assert isinstance(entered[0], Finished) or entered[0].step.exercise_id != exercise
        for index in range(mid.index, after.index):
            assert steps[index].exercise_id == exercise
            assert index in after.skipped | after.done
    if m.action not in (Control.PAUSE, Control.RESUME, Control.SHARP_PAIN):
        assert after.paused is mid.paused


def check_cues(run: Run) -> None:
    """Each cue at most once per visit to a step, in time order, inside the step."""
    steps = run.script.steps
    visit: int | None = None
    said: list[int] = []
    for _, output in run.stream:
        if isinstance(output, StepStarted):
            visit, said = output.index, []
        elif isinstance(output, CueDue):
            assert output.index == visit
            step = steps[output.index]
            position = step.cues.index(output.cue)
            assert position not in said
            assert all(step.cues[p].at <= output.cue.at for p in said)
            assert 0 <= output.cue.at <= step.seconds
            assert output.cue.at < step.seconds or step.seconds == 0
            said.append(position)


def check_sharp_pain(run: Run) -> None:
    """After sharp pain, none of that exercise's steps run again unless the user goes back."""
    steps = run.script.steps
    stopped: set[ExerciseId] = set()
    for action, output in run.stream:
        if output is None:
            if action is Control.BACK:
                stopped.clear()
        elif isinstance(output, SharpPain):
            stopped.add(output.exercise_id)
        elif isinstance(output, StepCompleted | StepStarted):
            assert steps[output.index].exercise_id not in stopped


def check_finish(run: Run) -> None:
    stream = [o for _, o in run.stream if o is not None]
    finishes = [i for i, o in enumerate(stream) if isinstance(o, Finished)]
    assert len(finishes) <= 1
    assert bool(finishes) is run.player.finished
    if finishes:
        assert finishes[0] == len(stream) - 1  # nothing after the end
        final = stream[-1]
        assert isinstance(final, Finished)
        assert final.quit is run.player.quit


def check_run(run: Run) -> None:
    check_state(run.first)
    for m in run.moments:
        check_state(m.after)
        if m.action is None:
            check_tick(m)
        else:
            check_control(m)
    check_cues(run)
    check_sharp_pain(run)
    check_finish(run)


@settings(max_examples=200, deadline=None)
@given(scripts, starts, events, st.booleans())
def test_random_play_keeps_every_invariant(
    script: Script,
    t0: float,
    steps: list[tuple[Control | None, float]],
    quit_at_end: bool,
):
    if quit_at_end:
        steps = [*steps, (Control.QUIT, 1.0)]
    run = play(script, t0, steps)
    check_run(run)
    player = run.player
    if quit_at_end:
        assert player.finished
    # once finished, nothing more happens
    if player.finished:
        later = (player.last or 0.0) + 1e6
        assert tick(player, later)[1] == []
        for action in Control:
            assert control(player, action, later)[1] == []


@settings(deadline=None)
@given(scripts, starts, st.lists(st.floats(min_value=0, max_value=200), max_size=30))
def test_only_ticks_complete_every_step_once(script: Script, t0: float, gaps: list[float]):
    steps: list[tuple[Control | None, float]] = [(None, gap) for gap in gaps]
    steps.append((None, script.total_seconds + 1.0))
    run = play(script, t0, steps)
    check_run(run)
    player = run.player
    assert player.finished
    assert not player.quit
    outputs = [o for _, o in run.stream if o is not None]
    last = len(script.steps) - 1
    completed = [o.index for o in outputs if isinstance(o, StepCompleted)]
    started = [o.index for o in outputs if isinstance(o, StepStarted)]
    assert completed == list(range(last))  # every step but the final "done", once, in order
    assert started == list(range(last + 1))
    assert not any(isinstance(o, StepSkipped | SharpPain) for o in outputs)
    assert outputs[-1] == Finished(quit=False)
    assert player.done == frozenset(range(last))
    assert player.skipped == frozenset()
    assert player.sharp_pain == frozenset()
    # every cue of every step was said, once
    cues = Counter((o.index, o.cue) for o in outputs if isinstance(o, CueDue))
    assert cues == Counter((i, c) for i, s in enumerate(script.steps) for c in s.cues)


@settings(max_examples=50)
@given(sessions)
def test_a_whole_session_logs_every_hold_of_the_prescription(session: SessionPlan):
    script = compile_plan(session)
    player, _ = start(script, 100.0)
    player, _ = tick(player, 100.0 + script.total_seconds)
    assert player.finished
    expected = {
        (p.exercise_id, side): p.hold_seconds * p.rounds_on(side)
        for p in session.prescriptions
        if p.hold_seconds is not None
        for side in (p.sides or (None,))
    }
    assert completed_seconds(player) == expected


@given(scripts, starts, events)
def test_time_never_runs_backwards(
    script: Script, t0: float, steps: list[tuple[Control | None, float]]
):
    player = play(script, t0, steps).player
    last = player.last
    assert last is not None
    for earlier in (last - 0.001, last - 60.0, t0 - 1.0, -1e9):
        if earlier < last:
            assert tick(player, earlier) == (player, [])
    # a control at an earlier time acts at once, and lets no time pass
    moved, _ = control(player, Control.PAUSE, last - 30.0)
    assert moved.last == last
    if not player.finished:
        assert moved.elapsed == player.elapsed


@given(scripts, st.floats(min_value=0, max_value=30), st.lists(deltas, max_size=10))
def test_pause_stops_the_time_and_resume_continues(
    script: Script, before_pause: float, while_paused: list[float]
):
    player, _ = start(script, 0.0)
    first = script.steps[0].seconds  # the lead-in: 5 s
    player, _ = control(player, Control.PAUSE, min(before_pause, first - 1.0))
    assert player.paused
    paused_at = player.elapsed
    now = player.last or 0.0
    for delta in while_paused:
        now += delta
        player, outputs = tick(player, now)
        assert outputs == []
        assert (player.index, player.elapsed, player.paused) == (0, paused_at, True)
        assert player.next_deadline() is None
    resumed, outputs = control(player, Control.RESUME, now + 1000.0)
    assert outputs == []
    assert not resumed.paused
    assert (resumed.index, resumed.elapsed) == (0, paused_at)
    resumed_at = resumed.last or 0.0
    moved, _ = tick(resumed, resumed_at + 0.5)
    assert moved.elapsed == paused_at + ((resumed_at + 0.5) - resumed_at)  # about 0.5 s
    # pressing resume when not paused changes nothing but the time
    again, outputs = control(moved, Control.RESUME, moved.last or 0.0)
    assert (again, outputs) == (moved, [])


@settings(deadline=None)
@given(scripts, st.data())
def test_sharp_pain_stops_that_exercise_and_moves_on(script: Script, data: st.DataObject):
    index = data.draw(st.integers(0, len(script.steps) - 2), label="step")
    exercise = script.steps[index].exercise_id
    assert exercise is not None
    player, _ = start(script, 0.0)
    now = float(sum(s.seconds for s in script.steps[:index])) + 0.5
    player, _ = tick(player, now)
    assert player.index == index
    player, outputs = control(player, Control.SHARP_PAIN, now)
    assert outputs[0] == SharpPain(exercise, index)
    assert exercise in player.sharp_pain
    entered = next(o for o in outputs if isinstance(o, StepStarted))
    assert entered.step.exercise_id != exercise
    assert entered.step.kind in (StepKind.CHANGE, StepKind.DONE)
    if entered.step.kind is StepKind.DONE:  # that was the last exercise: the end, as ever
        assert player.finished
        assert not player.paused
        assert outputs[-1] == Finished(quit=False)
    else:  # paused at the first step of the next exercise, its opening cue said
        assert (player.index, player.elapsed, player.paused) == (entered.index, 0.0, True)
        assert not player.finished
        assert [o for o in outputs if isinstance(o, CueDue)] == [
            CueDue(entered.index, c) for c in entered.step.cues if c.at <= 0
        ]
        assert player.next_deadline() is None
        # nothing moves until the user goes on
        waited, quiet = tick(player, now + 10_000.0)
        assert quiet == []
        assert (waited.index, waited.elapsed) == (player.index, 0.0)
        player, resumed = control(waited, Control.RESUME, now + 10_000.0)
        assert resumed == []
        assert not player.paused
        now += 10_000.0
    # nothing more of that exercise is ever done
    player, later = tick(player, now + script.total_seconds + 1.0)
    assert player.finished
    everything = outputs + later
    for output in everything:
        if isinstance(output, StepCompleted):
            assert output.step.exercise_id != exercise
    own = [i for i, s in enumerate(script.steps) if s.exercise_id == exercise]
    assert {i for i in own if i >= index} <= player.skipped
    assert not {i for i in own if i >= index} & player.done
    assert {i for i in own if i < index} <= player.done


def test_sharp_pain_then_back_returns_to_that_exercise():
    script = EVENING
    player, _ = start(script, 0.0)
    player, _ = tick(player, 2.0)  # in the lead-in of half-kneeling
    player, outputs = control(player, Control.SHARP_PAIN, 2.0)
    assert outputs[0] == SharpPain(HK, 0)
    change = player.index
    assert script.steps[change].kind is StepKind.CHANGE
    assert player.paused
    player, outputs = control(player, Control.BACK, 3.0)
    assert player.index == change - 1
    assert script.steps[player.index].exercise_id is HK
    assert player.index not in player.skipped
    assert HK in player.sharp_pain  # the report stands
    assert player.paused  # going back does not resume
    player, _ = control(player, Control.RESUME, 3.0)
    remaining = script.steps[player.index].seconds
    player, outputs = tick(player, 3.0 + remaining)
    assert StepCompleted(change - 1, script.steps[change - 1]) in outputs


def exercise_steps(script: Script, exercise: ExerciseId) -> list[int]:
    return [i for i, s in enumerate(script.steps) if s.exercise_id == exercise]


def test_sharp_pain_in_the_last_exercise_finishes_without_a_pause():
    script = EVENING
    last_exercise = script.exercise_ids()[-1]
    index = exercise_steps(script, last_exercise)[1]  # its first hold or set
    now = float(sum(s.seconds for s in script.steps[:index])) + 0.5
    player, _ = start(script, 0.0)
    player, _ = tick(player, now)
    player, outputs = control(player, Control.SHARP_PAIN, now)
    assert outputs[0] == SharpPain(last_exercise, index)
    assert outputs[-1] == Finished(quit=False)
    assert player.finished
    assert not player.paused
    assert not player.quit


def test_after_sharp_pain_the_user_may_end_the_session():
    script = EVENING
    player, _ = start(script, 0.0)
    player, _ = tick(player, LEAD + 2.0)  # 2 s into the first hold
    player, outputs = control(player, Control.SHARP_PAIN, LEAD + 2.0)
    assert player.paused
    assert script.steps[player.index].kind is StepKind.CHANGE
    player, outputs = control(player, Control.QUIT, 600.0)
    assert outputs == [Finished(quit=True)]
    assert player.finished
    assert player.quit
    assert player.done == {0}  # the lead-in only: no hold of the stopped stretch


def test_sharp_pain_while_paused_moves_on_and_stays_paused():
    script = EVENING
    player, _ = start(script, 0.0)
    player, _ = control(player, Control.PAUSE, LEAD + 2.0)
    player, outputs = control(player, Control.SHARP_PAIN, LEAD + 45.0)
    assert outputs[0] == SharpPain(HK, 1)
    assert player.paused
    assert script.steps[player.index].exercise_id != HK
    assert player.elapsed == 0.0


def test_sharp_pain_where_there_is_no_exercise_does_nothing():
    script = break_script(Screening.CLEAR, frozenset(), stretch_name="Stretch", tilt_cue=None)
    walk = next(i for i, s in enumerate(script.steps) if s.kind is StepKind.ACTIVITY)
    player, _ = start(script, 0.0)
    player, _ = tick(player, 4.0)
    assert player.index == walk
    moved, outputs = control(player, Control.SHARP_PAIN, 4.0)
    assert (moved, outputs) == (player, [])


def test_sharp_pain_in_the_break_stretch_pauses_at_what_follows_it():
    script = break_script(Screening.CLEAR, frozenset(), stretch_name="Stretch", tilt_cue=None)
    stretch = [i for i, s in enumerate(script.steps) if s.exercise_id is not None]
    assert [script.steps[i].side for i in stretch] == [Side.LEFT, Side.RIGHT]
    at = float(sum(s.seconds for s in script.steps[: stretch[0]])) + 1.0
    player, _ = start(script, 0.0)
    player, _ = tick(player, at)
    player, outputs = control(player, Control.SHARP_PAIN, at)
    exercise = script.steps[stretch[0]].exercise_id
    assert exercise is not None
    assert outputs[:3] == [
        SharpPain(exercise, stretch[0]),
        StepSkipped(stretch[0], script.steps[stretch[0]]),
        StepSkipped(stretch[1], script.steps[stretch[1]]),
    ]
    assert player.index == stretch[1] + 1  # the squeezes, paused
    assert script.steps[player.index].kind is StepKind.ACTIVITY
    assert player.paused


# --- the JSON forms (player-core.js emits the same) -----------------------------------------


def test_each_output_as_json():
    step = EVENING.steps[1]
    cue = step.cues[0]
    assert output_to_json(StepStarted(1, step)) == {"type": "step_started", "index": 1}
    assert output_to_json(CueDue(1, cue)) == {
        "type": "cue_due",
        "index": 1,
        "at": cue.at,
        "text": cue.text,
    }
    assert output_to_json(StepCompleted(1, step)) == {"type": "step_completed", "index": 1}
    assert output_to_json(StepSkipped(1, step)) == {"type": "step_skipped", "index": 1}
    assert output_to_json(SharpPain(HK, 1)) == {
        "type": "sharp_pain",
        "exercise_id": "half_kneeling_hip_flexor",
        "index": 1,
    }
    assert output_to_json(Finished(quit=True)) == {"type": "finished", "quit": True}


def test_the_player_as_json():
    player, _ = start(EVENING, 10.0, 3)
    player, _ = control(player, Control.SHARP_PAIN, 12.5)
    assert player_to_json(player) == {
        "index": player.index,
        "elapsed": 0.0,
        "paused": True,
        "finished": False,
        "quit": False,
        "last": 12.5,
        "done": [0, 1, 2],
        "skipped": sorted(player.skipped),
        "sharp_pain": ["half_kneeling_hip_flexor"],
    }
    assert player_to_json(player)["skipped"][0] == 3


@settings(max_examples=50, deadline=None)
@given(scripts, starts, events)
def test_every_trace_is_plain_json(
    script: Script, t0: float, steps: list[tuple[Control | None, float]]
):
    run = play(script, t0, steps)
    trace = [[output_to_json(o) for o in run.opening], player_to_json(run.first)]
    for m in run.moments:
        trace.append([[output_to_json(o) for o in m.outputs], player_to_json(m.after)])
    assert json.loads(json.dumps(trace)) == trace


def test_skip_and_back():
    script = EVENING
    player, _ = start(script, 0.0)
    player, outputs = control(player, Control.SKIP, 1.0)
    assert player.index == 1
    assert outputs[0] == StepSkipped(0, script.steps[0])
    assert 0 in player.skipped
    player, _ = tick(player, 3.0)
    assert player.elapsed == 2.0
    player, outputs = control(player, Control.BACK, 3.0)
    assert (player.index, player.elapsed) == (0, 0.0)
    assert 0 not in player.skipped
    assert outputs[0] == StepStarted(0, script.steps[0])
    # back at the first step stays there
    player, outputs = control(player, Control.BACK, 4.0)
    assert (player.index, player.elapsed) == (0, 0.0)
    # a step already done is not marked skipped
    player, _ = tick(player, 4.0 + LEAD)
    assert 0 in player.done
    player, _ = control(player, Control.BACK, 5.0 + LEAD)
    player, outputs = control(player, Control.SKIP, 5.0 + LEAD)
    assert player.index == 1
    assert 0 not in player.skipped
    assert not any(isinstance(o, StepSkipped) for o in outputs)


def drive_by_deadlines(player: Player, max_ticks: int = 100_000) -> tuple[Player, int]:
    """A driver that sleeps until next_deadline and ticks then: every tick says something."""
    ticks = 0
    while not player.finished:
        assert ticks < max_ticks
        deadline = player.next_deadline()
        assert deadline is not None
        player, outputs = tick(player, (player.last or 0.0) + deadline)
        assert outputs, (player.index, player.elapsed, deadline)
        ticks += 1
    return player, ticks


@settings(deadline=None)
@given(scripts, st.integers(0, 10**6).map(float))
def test_ticking_by_next_deadline_always_says_something(script: Script, t0: float):
    player, _ = start(script, t0)
    player, ticks = drive_by_deadlines(player)
    cues = sum(len(s.cues) for s in script.steps)
    assert ticks <= cues + len(script.steps)
    assert player.done == frozenset(range(len(script.steps) - 1))


@settings(deadline=None)
@given(scripts, exact_starts, exact_events)
def test_ticking_by_next_deadline_after_random_play(
    script: Script, t0: float, steps: list[tuple[Control | None, float]]
):
    run = play(script, t0, steps)
    for m in run.moments:
        player = m.after
        deadline = player.next_deadline()
        if deadline is not None:
            assert tick(player, (player.last or 0.0) + deadline)[1]
    player = run.player
    if player.paused:
        player, _ = control(player, Control.RESUME, player.last or 0.0)
    drive_by_deadlines(player)


def test_ticking_by_next_deadline_with_an_inexact_clock_reaches_the_end():
    script = compile_plan(one_exercise(E.PLANK))
    player, _ = start(script, 0.0)
    player, _ = tick(player, 2.8)  # 2.8 s into the 5 s lead-in
    player, _ = control(player, Control.PAUSE, 2.8)
    player, _ = control(player, Control.RESUME, 10.0)
    deadline = player.next_deadline()
    assert deadline is not None
    player, outputs = tick(player, 10.0 + deadline)  # 2.2 s later: the end of the lead-in
    assert outputs
    drive_by_deadlines(player, max_ticks=100)


def test_a_whole_real_session_needs_a_tick_per_event_not_per_second():
    # The work is counted, never timed (timing asserts are noise on a shared machine):
    # driven by its deadlines, half an hour of session takes one tick per cue or step.
    script = EVENING
    assert script.total_seconds > 30 * 60  # half an hour and more of guided work
    player, _ = start(script, 0.0)
    player, ticks = drive_by_deadlines(player)
    assert ticks <= sum(len(s.cues) for s in script.steps) + len(script.steps)
    assert ticks < script.total_seconds / 5
    polled, _ = start(script, 0.0)
    second = 0
    while not polled.finished:  # a driver polling once a second gets the same result
        second += 1
        polled, _ = tick(polled, float(second))
    assert second == script.total_seconds
    assert completed_seconds(player) == completed_seconds(polled)
    assert player.done == polled.done == frozenset(range(len(script.steps) - 1))


# --- where an interrupted session picks up ----------------------------------------------------


def logged(steps: Sequence[Step]) -> list[tuple[ExerciseId, Side | None, int]]:
    out = []
    for step in steps:
        assert step.records
        assert step.exercise_id is not None
        assert step.number is not None
        out.append((step.exercise_id, step.side, step.number))
    return out


def records(script: Script) -> list[Step]:
    return [s for s in script.steps if s.records]


def test_resume_with_nothing_logged_is_the_lead_in():
    assert resume_index(EVENING, []) == 0
    assert EVENING.steps[0].kind is StepKind.LEAD_IN


def test_resume_after_the_first_exercise_is_the_change_to_the_next():
    first, second = EVENING.exercise_ids()[:2]
    done = [s for s in records(EVENING) if s.exercise_id is first]
    index = resume_index(EVENING, logged(done))
    assert EVENING.steps[index].kind is StepKind.CHANGE
    assert EVENING.steps[index].exercise_id is second
    assert EVENING.steps[index + 1].records


def test_resume_after_one_hold_is_the_next_hold():
    one, two = records(EVENING)[:2]
    assert one.exercise_id is two.exercise_id is HK
    index = resume_index(EVENING, logged([one]))
    assert EVENING.steps[index] == two
    assert (two.kind, two.side, two.number) == (StepKind.HOLD, Side.RIGHT, 1)


def test_resume_with_everything_logged_is_done():
    index = resume_index(EVENING, logged(records(EVENING)))
    assert index == len(EVENING.steps) - 1
    assert EVENING.steps[index].kind is StepKind.DONE


@settings(max_examples=50)
@given(scripts, st.data())
def test_resume_after_any_prefix_is_the_first_step_not_logged(script: Script, data: st.DataObject):
    work = records(script)
    count = data.draw(st.integers(0, len(work)), label="logged")
    index = resume_index(script, logged(work[:count]))
    if count == len(work):
        assert index == len(script.steps) - 1
        return
    target = script.steps.index(work[count])
    opens = script.steps[target - 1].kind in OPENINGS
    assert index == (target - 1 if opens else target)
