"""`hipflex session` and `hipflex break` as whole processes (plain mode, a fast clock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.cli.session_run import sharp_pain_advice
from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.plan import SessionSlot
from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening
from hipflex.domain.script import Script
from hipflex.domain.tracking import ExerciseEntry, SessionLog, SessionSource
from hipflex.services import guided, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.context import open_app
from hipflex.services.programme import update_preferences
from tests.cli.conftest import Cli

pytestmark = pytest.mark.slow

HIPFLEX = Path(sys.executable).parent / "hipflex"
TIGHT = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)},
    sitting_hours=7,
    red_flags=frozenset(),
)
NO_VOICE = "Spoken cues need espeak-ng, which is not installed: playing silently."


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command's result (its output is a pipe: no terminal bells in it)."""
    return subprocess.run(
        [str(HIPFLEX), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def assessed() -> None:
    app = open_app()
    try:
        record_assessment(app, TIGHT)
        # a floor at work: the morning session starts with the half-kneeling stretch
        update_preferences(app, floor_at_work=True)
    finally:
        app.close()


def holds_and_sets(slot: str) -> int:
    """How many holds and sets a session of the plan has."""
    app = open_app()
    try:
        script = guided.choose_session(app, slot).script
    finally:
        app.close()
    return sum(1 for step in script.steps if step.records)


def stored_logs() -> list[SessionLog]:
    app = open_app()
    try:
        return app.store.session_logs()
    finally:
        app.close()


def script_of(log: SessionLog) -> Script:
    assert log.slot is not None
    app = open_app()
    try:
        return guided.choose_session(app, log.slot.value).script
    finally:
        app.close()


def stamp(script: Script, index: int) -> str:
    """The plain player's [mm:ss] for a step: its place in the script."""
    seconds = sum(step.seconds for step in script.steps[:index])
    return f"[{seconds // 60:02d}:{seconds % 60:02d}]"


def interrupt(slot: str, holds: int) -> guided.Interrupted:
    """A guided session of `slot` left unfinished after `holds` holds or sets."""
    app = open_app()
    try:
        chosen = guided.choose_session(app, slot)
        log_id = guided.begin(app, chosen, pain_before=4)
        for step in [s for s in chosen.script.steps if s.records][:holds]:
            guided.record_step(app, log_id, step)
        stopped = guided.interrupted(app)
    finally:
        app.close()
    assert stopped is not None
    assert stopped.log.id == log_id
    return stopped


def entries_for(script: Script) -> list[ExerciseEntry]:
    return [
        ExerciseEntry(
            step.exercise_id,
            step.side,
            set_number=step.number or 1,
            hold_seconds=step.hold_seconds,
            reps=step.reps,
        )
        for step in script.steps
        if step.records and step.exercise_id is not None
    ]


def test_a_whole_session_is_logged_with_pain_before_and_after():
    assessed()
    result = run("session", "--plain", "--speed", "500", "--pain-before", "3", "--pain-after", "2")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [log] = stored_logs()
    assert log.source is SessionSource.GUIDED
    assert (log.pain_before, log.pain_after) == (3, 2)
    assert log.ended_at is not None
    script = script_of(log)
    expected = entries_for(script)
    assert list(log.entries) == expected
    assert "\a" not in result.stdout  # the output is not a terminal: no bells
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{script.name}: about ")
    assert lines[0].endswith(
        "Type a command and Enter: p pause, r resume, n skip, b back, s sharp pain, q quit."
    )
    assert lines[-2] == f"{script.name} finished."
    assert lines[-1] == (
        f"Session complete: {len(expected)} of {len(expected)} holds and sets done, all saved."
    )
    shown = [line for line in lines if line.startswith("[")]
    assert shown == [
        f"{stamp(script, i)} {step.title} ({step.seconds} s)"
        for i, step in enumerate(script.steps)
        if step.seconds
    ]


def test_a_pain_rise_of_2_points_is_a_warning_after_the_session():
    assessed()
    result = run("session", "--plain", "--speed", "500", "--pain-before", "2", "--pain-after", "4")
    assert result.returncode == 0, result.stderr
    warning = pain_rise_warning(2, 4)
    assert warning is not None
    assert " ".join(warning.split()) in " ".join(result.stdout.split())
    calm = run("session", "--plain", "--speed", "500", "--pain-before", "2", "--pain-after", "3")
    assert "pain rose" not in calm.stdout


def test_q_on_standard_input_stops_the_session_and_closes_its_log():
    assessed()
    result = run(
        "session", "morning", "--plain", "--speed", "500", "--pain-before", "1", stdin="q\n"
    )
    assert result.returncode == 0, result.stderr
    assert "\nMorning session stopped.\n" in result.stdout
    total = holds_and_sets("morning")
    assert f"Session stopped: 0 of {total} holds and sets done, all saved." in result.stdout
    [log] = stored_logs()
    assert log.ended_at is not None  # stopped on purpose: not offered to resume
    assert (log.pain_before, log.pain_after, log.entries) == (1, None, ())


def test_commands_typed_as_words_on_standard_input():
    assessed()
    # "stop" is not sharp pain: an unknown command; "skip" skips the lead-in, "quit" stops
    result = run(
        "session", "morning", "--plain", "--speed", "500", "--pain-before", "1",
        stdin="stop\nskip\nquit\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("  (unknown command: p, r, n, b, s or q)") == 1
    assert "STOP" not in result.stdout
    assert "\nMorning session stopped.\n" in result.stdout
    [log] = stored_logs()
    assert log.ended_at is not None
    assert log.entries == ()
    assert log.sharp_pain == frozenset()


def test_break_plays_and_logs_nothing():
    assessed()
    result = run("break", "--plain", "--speed", "500")
    assert result.returncode == 0, result.stderr
    assert "  Stand up." in result.stdout
    assert "[00:03] A short walk (30 s)" in result.stdout
    assert "[00:33] Standing quad and hip flexor stretch, left side (30 s)" in result.stdout
    assert "[01:03] Standing quad and hip flexor stretch, right side (30 s)" in result.stdout
    assert "[01:33] 10 glute squeezes (20 s)" in result.stdout
    assert "\nMovement break finished.\n" in result.stdout
    assert result.stdout.rstrip().endswith("Break done. Back to work, and well done for moving.")
    assert stored_logs() == []


def test_voice_without_espeak_says_so_once_and_plays_silently(tmp_path: Path):
    assessed()
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    result = run(
        "session", "morning", "--plain", "--voice", "--speed", "500",
        "--pain-before", "1", "--pain-after", "1",
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == NO_VOICE
    assert lines.count(NO_VOICE) == 1
    total = holds_and_sets("morning")
    assert f"Session complete: {total} of {total} holds and sets done, all saved." in lines
    [log] = stored_logs()
    assert len(log.entries) == total


def test_voice_speaks_the_cues_with_espeak(tmp_path: Path):
    folder = tmp_path / "bin"
    folder.mkdir()
    said = tmp_path / "said.txt"
    espeak = folder / "espeak-ng"
    espeak.write_text(f'#!/bin/sh\n[ "$1" = "--" ] && printf "%s\\n" "$2" >> "{said}"\n')
    espeak.chmod(0o755)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    screened = run("assess", "--json", "--sitting-hours", "3", "--no-red-flags", env=env)
    assert screened.returncode == 0, screened.stderr  # the full routine needs clear answers
    result = run("break", "--plain", "--voice", "--speed", "500", env=env)
    assert result.returncode == 0, result.stderr
    assert NO_VOICE not in result.stdout
    # A cue still being said when the next one comes is cut short. The stretches come
    # 30 s (60 ms at this speed) before the next cue: they are sure to be heard.
    cues = {c.text for step in guided.break_for(Screening.CLEAR).script.steps for c in step.cues}
    spoken = said.read_text().splitlines()
    assert set(spoken) <= cues
    stretches = [line for line in spoken if line.startswith("Standing quad and hip flexor")]
    assert stretches


def test_pain_before_11_exits_2_with_one_line_and_starts_nothing():
    assessed()
    result = run("session", "--plain", "--speed", "500", "--pain-before", "11")
    assert result.returncode == 2
    assert result.stderr == (
        "hipflex: error: pain before must be a whole number from 0 to 10, not 11\n"
    )
    assert result.stdout == ""
    assert stored_logs() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pain-after", "-1"], "pain after must be a whole number from 0 to 10, not -1"),
        (["noon"], "unknown session 'noon' (choose from: morning, midday, evening)"),
        (["midday"], "there is no midday session in your plan (yours: morning, evening)"),
    ],
)
def test_bad_input_in_process_is_one_line_exit_2(cli: Cli, args: list[str], message: str):
    assessed()
    result = cli("session", "--plain", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"hipflex: error: {message}"
    assert stored_logs() == []


def test_session_without_an_assessment_says_what_to_do(cli: Cli):
    result = cli("session", "--plain")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "hipflex: error: no assessment saved yet: run `hipflex assess` first"
    )


def test_sharp_pain_in_a_break_is_recorded():
    assessed()
    # skip the lead-in and the walk, then sharp pain in the standing stretch
    result = run("break", "--plain", "--speed", "500", stdin="n\nn\ns\n")
    assert result.returncode == 0, result.stderr
    advice = sharp_pain_advice(ExerciseId.STANDING_QUAD_HIP_FLEXOR)
    assert f"  STOP: sharp pain. {advice}\n" in result.stdout
    assert "paused in your plan" in advice
    assert "`hipflex log checked standing_quad_hip_flexor` brings it back." in advice
    assert result.stdout.rstrip().endswith("Break done. Back to work, and well done for moving.")
    app = open_app()
    try:
        assert tracking.paused_exercises(app) == {ExerciseId.STANDING_QUAD_HIP_FLEXOR}
        # that is all the break logs: one guided log holding the sharp pain alone, closed,
        # and not a session done
        [log] = app.store.session_logs()
    finally:
        app.close()
    assert log.source is SessionSource.GUIDED
    assert log.slot is None
    assert log.ended_at is not None
    assert log.entries == (
        ExerciseEntry(
            ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.LEFT, skipped=True, sharp_pain=True
        ),
    )
    assert not log.done
    # it is not offered as a session to resume; no session before the safety questions are
    # answered again, and then the next session leaves the stretch out
    refused = run("session", "--plain", "--speed", "500")
    assert "answer them again" in " ".join(refused.stderr.split())
    assert run("assess", "--safety-only", "--no-red-flags").returncode == 0
    assert "standing_quad_hip_flexor" not in run("session", "--plain", "--speed", "500").stdout


def test_after_sharp_pain_in_a_break_the_next_break_leaves_the_stretch_out():
    assessed()
    first = run("break", "--plain", "--speed", "500", stdin="n\nn\ns\n")
    assert first.returncode == 0, first.stderr
    # sharp pain asks the safety questions again: until then a break is a walk, and says so
    asked = run("break", "--plain", "--speed", "500")
    assert asked.returncode == 0, asked.stderr
    assert "Standing quad and hip flexor stretch" not in asked.stdout
    assert "hipflex assess --safety-only" in " ".join(asked.stdout.split())
    answered = run("assess", "--safety-only", "--no-red-flags")
    assert answered.returncode == 0, answered.stderr
    result = run("break", "--plain", "--speed", "500")
    assert result.returncode == 0, result.stderr
    assert "  A short walk." in result.stdout
    assert "Standing quad and hip flexor stretch" not in result.stdout


def test_session_of_another_slot_without_a_terminal_starts_it_and_closes_the_old_one():
    assessed()
    old = interrupt("morning", holds=2).log
    result = run(
        "session", "evening", "--plain", "--speed", "500", "--pain-before", "3",
        "--pain-after", "2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    app = open_app()
    try:
        evening = guided.choose_session(app, "evening").script
        assert guided.interrupted(app) is None
    finally:
        app.close()
    assert result.stdout.splitlines()[0].startswith(f"{evening.name}: about ")
    assert next(line for line in result.stdout.splitlines() if line.startswith("[")) == (
        f"[00:00] {evening.steps[0].title} ({evening.steps[0].seconds} s)"
    )
    closed, new = stored_logs()
    assert closed.id == old.id
    assert closed.ended_at is not None  # closed as it stood
    assert closed.pain_after is None
    assert closed.entries == old.entries
    assert len(closed.entries) == 2
    assert new.slot is SessionSlot.EVENING
    assert (new.pain_before, new.pain_after) == (3, 2)
    assert list(new.entries) == entries_for(evening)


def test_session_of_the_same_slot_without_a_terminal_resumes_it():
    assessed()
    stopped = interrupt("morning", holds=2)
    result = run("session", "Morning", "--plain", "--speed", "500", "--pain-after", "1")
    assert result.returncode == 0, result.stderr
    [log] = stored_logs()
    assert log.id == stopped.log.id
    assert log.ended_at is not None
    assert (log.pain_before, log.pain_after) == (4, 1)
    script = script_of(log)
    assert list(log.entries) == entries_for(script)
    shown = [line for line in result.stdout.splitlines() if line.startswith("[")]
    at = stopped.resume_at
    assert script.steps[at].title == "Half-kneeling hip flexor stretch, left side: hold 2 of 3"
    # the stamp is where the step stands in the script, as if never stopped
    assert shown[0] == f"{stamp(script, at)} {script.steps[at].title} (30 s)"
    # a 20 s get-ready down to the kneeling stretch (the default), then 30 + 10 + 30 + 15
    assert shown[0].startswith("[01:45] ")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("midday", "there is no midday session in your plan (yours: morning, evening)"),
        ("noon", "unknown session 'noon' (choose from: morning, midday, evening)"),
    ],
)
def test_a_bad_session_name_leaves_the_interrupted_session_to_resume(
    cli: Cli, name: str, message: str
):
    assessed()
    old = interrupt("morning", holds=2).log
    result = cli("session", name, "--plain")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"hipflex: error: {message}"
    [log] = stored_logs()
    assert log.id == old.id
    assert log.ended_at is None  # still there to resume
    assert log.entries == old.entries
