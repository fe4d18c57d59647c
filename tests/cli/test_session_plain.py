"""The line-by-line player (`--plain`) on a fake clock with scripted commands: whole
sessions play in milliseconds."""

from __future__ import annotations

import io
import os
from collections import deque

import pytest

from hipflex.cli import session_run
from hipflex.cli.session_run import (
    PLAIN_COMMANDS,
    SHARP_PAIN_PAUSED,
    NoRecorder,
    SpeedClock,
    StdinKeys,
    run_plain,
    sharp_pain_advice,
)
from hipflex.domain.plan import Prescription, SessionPlan, SessionSlot
from hipflex.domain.player import Control, Player
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening
from hipflex.domain.script import Script, Step, StepKind, compile_session
from hipflex.services.guided import break_for

UNKNOWN_HINT = "  (unknown command: p, r, n, b, s or q)"
FLEXOR_PAIN = f"  STOP: sharp pain. {sharp_pain_advice(ExerciseId.HALF_KNEELING_HIP_FLEXOR)}"
PAIN_PAUSED = f"  {SHARP_PAIN_PAUSED}"


class FakeClock:
    """Session time that moves only when the fake keyboard waits."""

    speed = 1.0

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time


class FakeKeys:
    """Commands typed at given session times; waiting moves the clock on by the timeout
    (or to the next command's time, when it comes first)."""

    def __init__(self, clock: FakeClock, *commands: tuple[float, str], ends: bool = False):
        self.clock = clock
        self.commands = deque(commands)
        self.ends = ends  # input ends (end of file) after the last command
        self.waits: list[float | None] = []

    @property
    def closed(self) -> bool:
        return self.ends and not self.commands

    def wait(self, timeout: float | None) -> str | None:
        self.waits.append(timeout)
        if self.commands:
            at, command = self.commands[0]
            if timeout is None or at <= self.clock.time + timeout:
                self.commands.popleft()
                self.clock.time = max(self.clock.time, at)
                return command
        if timeout is None:
            msg = "the player waits for a key that will never come"
            raise AssertionError(msg)
        self.clock.time += timeout
        return None


class Terminal(io.StringIO):
    """Output that says it is a terminal (where the bell is wanted)."""

    def isatty(self) -> bool:
        return True


class FakeRecorder:
    def __init__(self) -> None:
        self.completed_steps: list[Step] = []
        self.pains: list[tuple[ExerciseId, Side | None]] = []

    def completed(self, step: Step) -> None:
        self.completed_steps.append(step)

    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None:
        self.pains.append((exercise_id, side))


def small_script() -> Script:
    """A stretch held 30 s twice on each side, then two sets of 3 bridges with a 3 s hold
    at the top (1 s lift, 3 s hold, 2 s lowering: 18 s a set)."""
    stretch = Prescription(
        exercise_id=ExerciseId.HALF_KNEELING_HIP_FLEXOR,
        name="Half-kneeling hip flexor stretch",
        per_side=True,
        sets=1,
        reps=2,
        hold_seconds=30,
        hold_at_top_seconds=None,
        rest_seconds=15,
        tempo=None,
        cues=("Tuck your tailbone under.",),
    )
    bridge = Prescription(
        exercise_id=ExerciseId.GLUTE_BRIDGE,
        name="Glute bridge",
        per_side=False,
        sets=2,
        reps=3,
        hold_seconds=None,
        hold_at_top_seconds=3,
        rest_seconds=15,
        tempo=None,
        cues=("Squeeze your glutes.",),
    )
    session = SessionPlan(SessionSlot.MORNING, "Morning session", (stretch, bridge))
    return compile_session(session, tilt_cue_for=[ExerciseId.HALF_KNEELING_HIP_FLEXOR])


def play(
    script: Script, *commands: tuple[float, str], ends: bool = False, index: int = 0
) -> tuple[Player, list[str], FakeRecorder, FakeClock]:
    clock = FakeClock()
    recorder = FakeRecorder()
    out = io.StringIO()
    player = run_plain(
        script, recorder, clock, FakeKeys(clock, *commands, ends=ends), out, index=index
    )
    lines = out.getvalue().replace("\a", "").splitlines()
    return player, lines, recorder, clock


def step_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("[")]


def test_the_small_script_is_what_the_tests_expect():
    titles = [s.title for s in small_script().steps]
    assert titles == [
        "Get ready: Half-kneeling hip flexor stretch",
        "Half-kneeling hip flexor stretch, left side: hold 1 of 2",
        "Switch sides",
        "Half-kneeling hip flexor stretch, right side: hold 1 of 2",
        "Rest",
        "Half-kneeling hip flexor stretch, left side: hold 2 of 2",
        "Switch sides",
        "Half-kneeling hip flexor stretch, right side: hold 2 of 2",
        "Next: Glute bridge",
        "Glute bridge: set 1 of 2",
        "Rest",
        "Glute bridge: set 2 of 2",
        "Done",
    ]


def test_a_whole_session_plays_to_the_end_with_its_lines():
    script = small_script()
    player, lines, recorder, clock = play(script)
    assert player.finished
    assert not player.quit
    assert clock.time == script.total_seconds
    assert lines[0] == (
        "Morning session: about 4 min. Type a command and Enter: p pause, r resume, n skip, "
        "b back, s sharp pain, q quit."
    )
    assert step_lines(lines) == [
        "[00:00] Get ready: Half-kneeling hip flexor stretch (5 s)",
        "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)",
        "[00:35] Switch sides (10 s)",
        "[00:45] Half-kneeling hip flexor stretch, right side: hold 1 of 2 (30 s)",
        "[01:15] Rest (15 s)",
        "[01:30] Half-kneeling hip flexor stretch, left side: hold 2 of 2 (30 s)",
        "[02:00] Switch sides (10 s)",
        "[02:10] Half-kneeling hip flexor stretch, right side: hold 2 of 2 (30 s)",
        "[02:40] Next: Glute bridge (10 s)",
        "[02:50] Glute bridge: set 1 of 2 (18 s)",
        "[03:08] Rest (15 s)",
        "[03:23] Glute bridge: set 2 of 2 (18 s)",
    ]
    assert lines[-1] == "Morning session finished."
    assert lines[-2] == "  Session complete. Well done."
    first_hold = lines.index(
        "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)"
    )
    assert lines[first_hold + 1 : first_hold + 3] == [
        "  Hold, left side. Tuck your tailbone under.",
        "  10 seconds left.",
    ]
    assert lines.count("  10 seconds left.") == 4
    assert lines.count("  Switch to your right side.") == 2
    assert lines.count("  Rest. Breathe. Then your left side.") == 1
    assert lines.count("  Hold 3 seconds.") == 6
    assert lines.count("  Lower slowly.") == 6
    assert lines.count("  Lift.") == 4
    # every hold and set is recorded, in order, once
    assert recorder.completed_steps == list(script.steps[:-1])
    assert [s for s in recorder.completed_steps if s.records] == [
        s for s in script.steps if s.records
    ]
    assert recorder.pains == []


def test_the_player_waits_until_the_next_cue_instead_of_polling():
    clock = FakeClock()
    keys = FakeKeys(clock)
    run_plain(small_script(), FakeRecorder(), clock, keys, io.StringIO())
    # lead-in 5, hold 20 then 10 (the "10 seconds left" cue), switch 10, ...
    assert keys.waits[:4] == [5, 20, 10, 10]
    assert len(keys.waits) < 40


def test_the_break_plays_to_the_end():
    script = break_for(Screening.CLEAR).script
    player, lines, _, clock = play(script)
    assert player.finished
    assert clock.time == script.total_seconds
    assert "  Stand up." in lines
    assert "  Back to work. Well done." in lines
    assert step_lines(lines) == [
        "[00:00] Movement break (3 s)",
        "[00:03] A short walk (30 s)",
        "[00:33] Standing quad and hip flexor stretch, left side (30 s)",
        "[01:03] Standing quad and hip flexor stretch, right side (30 s)",
        "[01:33] 10 glute squeezes (20 s)",
    ]
    assert "  A short walk." in lines
    assert lines[-1] == "Movement break finished."


def test_pause_and_resume():
    script = small_script()
    player, lines, recorder, clock = play(script, (12, "p"), (100, "r"))
    assert player.finished
    assert clock.time == script.total_seconds + 88  # paused from 12 s to 100 s
    paused = lines.index("  Paused. Type r to resume.")
    assert lines[paused + 1] == "  Resumed."
    # nothing happened while paused: the hold's next cue comes 20 s into it, after resuming
    assert lines[paused + 2] == "  10 seconds left."
    # the stamp is the step's place in the script: the 88 s paused do not move it
    assert step_lines(lines)[2] == "[00:35] Switch sides (10 s)"
    _, plain_lines, _, _ = play(script)
    assert step_lines(lines) == step_lines(plain_lines)
    assert len(recorder.completed_steps) == len(script.steps) - 1


def test_p_again_resumes():
    player, lines, _, clock = play(small_script(), (12, "p"), (20, "P"))
    assert player.finished
    assert lines.count("  Paused. Type r to resume.") == 1
    assert lines.count("  Resumed.") == 1
    assert clock.time == small_script().total_seconds + 8


def test_n_skips_a_hold_which_is_not_recorded():
    script = small_script()
    player, lines, recorder, _ = play(script, (10, "n"))
    assert "  (skipped: Half-kneeling hip flexor stretch, left side: hold 1 of 2)" in lines
    skipped = script.steps[1]
    assert skipped not in recorder.completed_steps
    assert [s for s in script.steps if s.records and s not in recorder.completed_steps] == [skipped]
    assert 1 in player.skipped
    assert step_lines(lines)[2] == "[00:35] Switch sides (10 s)"  # its place, though 10 s in


def test_skipping_a_rest_says_nothing_about_it():
    player, lines, _, _ = play(small_script(), (40, "n"))
    assert not [line for line in lines if "(skipped" in line]
    assert step_lines(lines)[3] == (
        "[00:45] Half-kneeling hip flexor stretch, right side: hold 1 of 2 (30 s)"
    )
    assert player.skipped == {2}


def test_b_goes_back_and_the_hold_is_played_again():
    script = small_script()
    # 40 s in: the switch after the first hold; back: the first hold again
    player, lines, recorder, clock = play(script, (40, "b"))
    assert player.finished
    assert step_lines(lines)[:4] == [
        "[00:00] Get ready: Half-kneeling hip flexor stretch (5 s)",
        "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)",
        "[00:35] Switch sides (10 s)",
        "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)",  # again
    ]
    assert clock.time == script.total_seconds + 35
    assert recorder.completed_steps.count(script.steps[1]) == 2  # it was held twice


def test_s_stops_the_exercise_and_reports_sharp_pain():
    script = small_script()
    # 50 s in: the right side's first hold; r 20 s later
    player, lines, recorder, clock = play(script, (50, "s"), (70, "r"))
    assert player.finished
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT)]
    stop = next(line for line in lines if line.startswith("  STOP: sharp pain."))
    assert stop == FLEXOR_PAIN
    assert "please have it checked by a doctor or physiotherapist" in stop
    assert "`hipflex log checked half_kneeling_hip_flexor` brings it back." in stop
    assert stop.endswith("asks its safety questions again: run `hipflex assess --safety-only`.")
    # the rest of that exercise is skipped; the player waits at the next exercise
    after = lines[lines.index(stop) + 1 :]
    assert after[:8] == [
        "  (skipped: Half-kneeling hip flexor stretch, right side: hold 1 of 2)",
        "  (skipped: Half-kneeling hip flexor stretch, left side: hold 2 of 2)",
        "  (skipped: Half-kneeling hip flexor stretch, right side: hold 2 of 2)",
        "[02:40] Next: Glute bridge (10 s)",
        "  Next: Glute bridge.",
        PAIN_PAUSED,
        "  Resumed.",
        "[02:50] Glute bridge: set 1 of 2 (18 s)",
    ]
    # nothing moved from 50 s to 70 s: the change to the bridge then took its full 10 s
    assert clock.time == 70 + script.total_seconds - 160
    recorded = [s for s in recorder.completed_steps if s.records]
    assert [s.title for s in recorded] == [
        "Half-kneeling hip flexor stretch, left side: hold 1 of 2",
        "Glute bridge: set 1 of 2",
        "Glute bridge: set 2 of 2",
    ]
    assert player.sharp_pain == {ExerciseId.HALF_KNEELING_HIP_FLEXOR}


def test_s_in_the_lead_in_stops_the_exercise_about_to_start():
    player, lines, recorder, _ = play(small_script(), (1, "s"), (5, "r"))
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, None)]
    assert PAIN_PAUSED in lines
    assert step_lines(lines)[1] == "[02:40] Next: Glute bridge (10 s)"
    assert FLEXOR_PAIN in lines
    assert player.sharp_pain == {ExerciseId.HALF_KNEELING_HIP_FLEXOR}


def test_after_sharp_pain_q_stops_the_session():
    script = small_script()
    player, lines, recorder, clock = play(script, (50, "s"), (65, "q"))
    assert lines[-2:] == [PAIN_PAUSED, "Morning session stopped."]
    assert player.quit
    assert clock.time == 65
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT)]
    assert [s.title for s in recorder.completed_steps if s.records] == [
        "Half-kneeling hip flexor stretch, left side: hold 1 of 2"
    ]


def test_after_sharp_pain_the_end_of_input_goes_on():
    script = small_script()
    player, lines, _, clock = play(script, (50, "s"), ends=True)
    assert PAIN_PAUSED in lines
    assert player.finished
    assert not player.quit
    assert clock.time == 50 + script.total_seconds - 160  # on at once, nobody can type r
    assert lines[-1] == "Morning session finished."


def test_sharp_pain_in_the_last_exercise_ends_the_session_without_waiting():
    script = small_script()
    player, lines, recorder, clock = play(script, (200, "s"))  # the bridge's first set
    assert recorder.pains == [(ExerciseId.GLUTE_BRIDGE, None)]
    assert PAIN_PAUSED not in lines
    assert lines[-1] == "Morning session finished."
    assert player.finished
    assert not player.quit
    assert clock.time == 200


def test_s_where_there_is_no_exercise_does_nothing():
    script = break_for(Screening.CLEAR).script
    player, lines, recorder, clock = play(script, (10, "s"))  # the short walk
    assert recorder.pains == []
    assert not [line for line in lines if "STOP" in line]
    assert clock.time == script.total_seconds
    assert player.sharp_pain == frozenset()


def test_q_stops_the_session():
    script = small_script()
    player, lines, recorder, clock = play(script, (60, "q"))
    assert player.finished
    assert player.quit
    assert lines[-1] == "Morning session stopped."
    assert clock.time == 60
    assert [s.title for s in recorder.completed_steps if s.records] == [
        "Half-kneeling hip flexor stretch, left side: hold 1 of 2"
    ]


@pytest.mark.parametrize(
    "typed",
    ["x", "?", "help", "9", "stop", "skipping", "sharpen", "paws", "quite", "backwards", "s n"],
)
def test_an_unknown_command_prints_the_hint_and_changes_nothing(typed: str):
    script = small_script()
    player, lines, recorder, clock = play(script, (12, typed))
    assert lines.count(UNKNOWN_HINT) == 1
    assert recorder.pains == []  # "stop" or "skipping" is not s, sharp pain
    assert player.sharp_pain == frozenset()
    assert not player.quit
    assert player.finished
    assert clock.time == script.total_seconds
    _, plain_lines, _, _ = play(script)
    assert [line for line in lines if line != UNKNOWN_HINT] == plain_lines


@pytest.mark.parametrize("typed", ["", "   ", "\t"])
def test_enter_alone_does_nothing(typed: str):
    script = small_script()
    player, lines, recorder, clock = play(script, (12, typed), (12.5, typed), (35, typed))
    _, plain_lines, plain_recorder, _ = play(script)
    assert lines == plain_lines
    assert recorder.completed_steps == plain_recorder.completed_steps
    assert clock.time == script.total_seconds
    assert player.finished


def test_commands_are_words_in_any_case():
    player, lines, _, _ = play(small_script(), (12, "Pause"), (20, " resume "), (30, "QUIT"))
    assert lines.count("  Paused. Type r to resume.") == 1
    assert lines.count("  Resumed.") == 1
    assert player.quit


def test_the_commands_are_the_letters_and_their_words():
    assert PLAIN_COMMANDS == {
        "p": Control.PAUSE,
        "pause": Control.PAUSE,
        "r": Control.RESUME,
        "resume": Control.RESUME,
        "n": Control.SKIP,
        "next": Control.SKIP,
        "skip": Control.SKIP,
        "b": Control.BACK,
        "back": Control.BACK,
        "q": Control.QUIT,
        "quit": Control.QUIT,
        "s": Control.SHARP_PAIN,
        "sharp": Control.SHARP_PAIN,
        "pain": Control.SHARP_PAIN,
        "sharp pain": Control.SHARP_PAIN,
    }


@pytest.mark.parametrize(
    ("word", "letter", "at"),
    [
        ("skip", "n", 10),  # a hold
        ("next", "n", 40),  # a rest
        ("Skip", "n", 1),  # the lead-in
        ("back", "b", 40),
        ("sharp", "s", 50),
        ("pain", "s", 50),
        ("Sharp Pain", "s", 50),
        (" sharp   pain ", "s", 1),
        ("quit", "q", 60),
        ("pause", "p", 12),
        ("resume", "r", 12),  # not paused: nothing to do
    ],
)
def test_a_word_does_what_its_letter_does(word: str, letter: str, at: float):
    script = small_script()
    by_word = play(script, (at, word), (at + 30, "r"))
    by_letter = play(script, (at, letter), (at + 30, "r"))
    player, lines, recorder, clock = by_word
    assert lines == by_letter[1]
    assert UNKNOWN_HINT not in lines
    assert recorder.completed_steps == by_letter[2].completed_steps
    assert recorder.pains == by_letter[2].pains
    assert (player.index, player.done, player.skipped, player.sharp_pain, player.quit) == (
        by_letter[0].index,
        by_letter[0].done,
        by_letter[0].skipped,
        by_letter[0].sharp_pain,
        by_letter[0].quit,
    )
    assert clock.time == by_letter[3].time


def test_words_skip_next_back_pause_and_sharp_pain_in_one_session():
    script = small_script()
    player, lines, recorder, _ = play(
        script, (10, "skip"), (15, "next"), (25, "back"), (30, "pause"), (40, "resume"),
        (50, "sharp pain"), (55, "r"),
    )  # fmt: skip
    assert step_lines(lines) == [
        "[00:00] Get ready: Half-kneeling hip flexor stretch (5 s)",
        "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)",
        "[00:35] Switch sides (10 s)",  # skip, at 10 s
        "[00:45] Half-kneeling hip flexor stretch, right side: hold 1 of 2 (30 s)",  # next
        "[00:35] Switch sides (10 s)",  # back, at 25 s; paused from 30 to 40 s
        "[00:45] Half-kneeling hip flexor stretch, right side: hold 1 of 2 (30 s)",  # at 45 s
        "[02:40] Next: Glute bridge (10 s)",  # sharp pain at 50 s
        "[02:50] Glute bridge: set 1 of 2 (18 s)",
        "[03:08] Rest (15 s)",
        "[03:23] Glute bridge: set 2 of 2 (18 s)",
    ]
    assert lines.count("  Paused. Type r to resume.") == 1
    assert lines.count(PAIN_PAUSED) == 1
    assert lines.count("  Resumed.") == 2  # after the pause, and after the sharp pain
    assert "  (skipped: Half-kneeling hip flexor stretch, left side: hold 1 of 2)" in lines
    assert FLEXOR_PAIN in lines
    assert UNKNOWN_HINT not in lines
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT)]
    assert player.finished
    assert not player.quit


def test_stop_is_not_sharp_pain_and_does_not_stop_the_session():
    script = small_script()
    player, lines, recorder, clock = play(script, (50, "stop"), (51, "Stop"))
    assert lines.count(UNKNOWN_HINT) == 2
    assert recorder.pains == []
    assert not [line for line in lines if "STOP" in line]
    assert player.finished
    assert not player.quit
    assert clock.time == script.total_seconds
    assert [s for s in recorder.completed_steps if s.records] == [
        s for s in script.steps if s.records
    ]


def test_resumed_is_said_only_when_the_session_was_paused():
    script = small_script()
    # r while playing, p p (pause, then resume), n and b while paused: they keep it paused
    player, lines, _, clock = play(
        script, (8, "r"), (12, "resume"), (14, "p"), (16, "p"), (20, "p"), (22, "n"),
        (24, "b"), (30, "r"), (31, "r"),
    )  # fmt: skip
    said = [line for line in lines if line in ("  Paused. Type r to resume.", "  Resumed.")]
    assert said == [
        "  Paused. Type r to resume.",
        "  Resumed.",
        "  Paused. Type r to resume.",
        "  Resumed.",
    ]
    assert player.finished
    # the first hold played again from its start at 30 s (n then b while paused)
    assert clock.time == 30 + script.total_seconds - 5


def test_pause_after_the_end_says_nothing():
    script = small_script()
    player, lines, _, _ = play(script, (script.total_seconds + 5, "p"))
    assert player.finished
    assert "  Paused. Type r to resume." not in lines
    assert lines[-1] == "Morning session finished."


def test_input_ending_while_paused_resumes():
    script = small_script()
    player, lines, recorder, clock = play(script, (12, "p"), ends=True)
    assert "  Paused. Type r to resume." in lines
    assert player.finished
    assert not player.quit
    assert clock.time == script.total_seconds  # nobody could type r: it played on at once
    assert [s for s in recorder.completed_steps if s.records] == [
        s for s in script.steps if s.records
    ]


def test_input_ending_without_a_pause_plays_on():
    script = small_script()
    player, _, _, clock = play(script, (3, "n"), ends=True)
    assert player.finished
    assert clock.time == script.total_seconds - 2


def test_resuming_from_a_step_starts_there_and_records_only_the_rest():
    script = small_script()
    player, lines, recorder, _ = play(script, index=5)
    # the stamp is the step's place in the script, as it was before the session stopped
    assert step_lines(lines)[0] == (
        "[01:30] Half-kneeling hip flexor stretch, left side: hold 2 of 2 (30 s)"
    )
    _, whole, _, _ = play(script)
    assert step_lines(lines) == step_lines(whole)[5:]
    assert recorder.completed_steps == list(script.steps[5:-1])
    assert player.done >= set(range(5))


def test_on_a_terminal_a_bell_rings_when_a_hold_or_set_starts_but_not_for_rests():
    clock = FakeClock()
    out = Terminal()
    run_plain(small_script(), NoRecorder(), clock, FakeKeys(clock), out)
    text = out.getvalue()
    steps = small_script().steps
    not_rest = [s for s in steps if s.kind is not StepKind.REST]
    assert text.count("\a") == len(not_rest)
    # each bell comes with its step's lines, before the next step's
    *each, last = [(s.title, 0 if s.kind is StepKind.REST else 1) for s in steps if s.seconds]
    assert bells_by_step(text) == [*each, (last[0], 2)]  # the last with the end's bell
    assert last == ("Glute bridge: set 2 of 2", 1)


def bells_by_step(text: str) -> list[tuple[str, int]]:
    """Each step line's title, with the bells written from it up to the next step line."""
    counted: list[tuple[str, int]] = []
    for line in text.split("\n"):
        if line.lstrip("\a").startswith("["):
            if counted:
                title, bells = counted[-1]
                counted[-1] = (title, bells + line.count("\a"))
            counted.append((line.split("] ", 1)[1].rsplit(" (", 1)[0], 0))
        elif counted:
            title, bells = counted[-1]
            counted[-1] = (title, bells + line.count("\a"))
    return counted


def test_in_the_break_the_walk_and_the_squeezes_ring_the_bell_too():
    clock = FakeClock()
    out = Terminal()
    script = break_for(Screening.CLEAR).script
    run_plain(script, NoRecorder(), clock, FakeKeys(clock), out)
    text = out.getvalue()
    assert [s.kind for s in script.steps] == [
        StepKind.LEAD_IN,
        StepKind.ACTIVITY,
        StepKind.HOLD,
        StepKind.HOLD,
        StepKind.ACTIVITY,
        StepKind.DONE,
    ]
    assert text.count("\a") == len(script.steps)  # no rest in a break: every step rings
    assert bells_by_step(text) == [
        ("Movement break", 1),
        ("A short walk", 1),
        ("Standing quad and hip flexor stretch, left side", 1),
        ("Standing quad and hip flexor stretch, right side", 1),
        ("10 glute squeezes", 2),  # with the end's
    ]


def test_no_bell_when_the_output_is_not_a_terminal():
    clock = FakeClock()
    out = io.StringIO()  # a pipe, a log file, a screen reader's buffer
    run_plain(small_script(), NoRecorder(), clock, FakeKeys(clock), out)
    assert "\a" not in out.getvalue()
    assert "[00:05] Half-kneeling hip flexor stretch, left side: hold 1 of 2 (30 s)" in (
        out.getvalue().splitlines()
    )


def test_no_recorder_records_nothing():
    clock = FakeClock()
    recorder = NoRecorder()
    player = run_plain(
        break_for(Screening.CLEAR).script,
        recorder,
        clock,
        FakeKeys(clock, (40, "s"), ends=True),  # nobody can type r: it goes on
        io.StringIO(),
    )
    assert player.finished
    assert ExerciseId.STANDING_QUAD_HIP_FLEXOR in player.sharp_pain


def test_sharp_pain_in_the_break_names_its_stretch():
    script = break_for(Screening.CLEAR).script
    player, lines, recorder, _ = play(script, (40, "s"), (41, "r"))  # the stretch, left side
    assert recorder.pains == [(ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.LEFT)]
    stop = next(line for line in lines if "STOP" in line)
    assert stop == (f"  STOP: sharp pain. {sharp_pain_advice(ExerciseId.STANDING_QUAD_HIP_FLEXOR)}")
    assert "`hipflex log checked standing_quad_hip_flexor` brings it back." in stop
    assert step_lines(lines)[-1] == "[01:33] 10 glute squeezes (20 s)"
    assert player.finished


def test_typing_skip_as_a_word_is_not_read_as_sharp_pain():
    player, lines, recorder, _ = play(small_script(), (10, "skip"))
    assert recorder.pains == []
    assert not [line for line in lines if "STOP" in line]
    assert UNKNOWN_HINT not in lines
    assert player.skipped == {1}  # it skipped the hold, as n would


class FakeVoice:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


def test_the_voice_says_every_cue_that_is_shown():
    clock = FakeClock()
    voice = FakeVoice()
    out = io.StringIO()
    run_plain(
        small_script(),
        NoRecorder(),
        clock,
        FakeKeys(clock),
        out,
        voice=voice,  # type: ignore[arg-type]
    )
    lines = out.getvalue().replace("\a", "").splitlines()[1:]
    assert voice.said == [line.removeprefix("  ") for line in lines if line.startswith("  ")]
    assert voice.said[0] == "Get ready: Half-kneeling hip flexor stretch."
    assert voice.said[-1] == "Session complete. Well done."


def test_stdin_keys_reads_lines_and_notices_the_end_of_input():
    read, write = os.pipe()
    with os.fdopen(read) as stream, os.fdopen(write, "w") as writer:
        keys = StdinKeys(stream)
        assert keys.wait(0.01) is None  # nothing typed yet
        assert not keys.closed
        for typed in ("p", "", "q"):
            writer.write(typed + "\n")
            writer.flush()
            assert keys.wait(1) == typed
        assert not keys.closed
        writer.close()
        assert keys.wait(1) is None
        assert keys.closed
        assert keys.wait(0.01) is None  # closed: waits out the timeout


def test_stdin_keys_reads_lines_that_arrive_together():
    read, write = os.pipe()
    with os.fdopen(read) as stream, os.fdopen(write, "w") as writer:
        keys = StdinKeys(stream)
        writer.write("p\nr\n")
        writer.flush()
        assert keys.wait(0.2) == "p"
        assert keys.wait(0.2) == "r"
        assert keys.wait(0.01) is None
        assert not keys.closed


def test_stdin_keys_reads_a_last_line_without_its_newline_then_is_closed():
    read, write = os.pipe()
    with os.fdopen(read) as stream, os.fdopen(write, "w") as writer:
        keys = StdinKeys(stream)
        writer.write("n\nq")
        writer.close()
        assert keys.wait(1) == "n"
        assert not keys.closed
        assert keys.wait(1) == "q"  # the end of input ends its line
        assert keys.closed
        assert keys.wait(0.01) is None


def test_stdin_keys_reads_a_line_written_in_pieces():
    read, write = os.pipe()
    with os.fdopen(read) as stream, os.fdopen(write, "w") as writer:
        keys = StdinKeys(stream)
        writer.write("sk")
        writer.flush()
        assert keys.wait(0.2) is None
        writer.write("ip\n")
        writer.flush()
        assert keys.wait(0.2) == "skip"


def test_speed_clock_runs_faster(monkeypatch: pytest.MonkeyPatch):
    now = [100.0]
    monkeypatch.setattr(session_run.time, "monotonic", lambda: now[0])
    clock = SpeedClock(60)
    assert clock.now() == 0
    now[0] += 2.5
    assert clock.now() == 150  # 2.5 s of real time is 2.5 min of session time
    assert SpeedClock().speed == 1.0
