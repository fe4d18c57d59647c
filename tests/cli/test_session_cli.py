"""`hipflex session` and `hipflex break` as whole processes (plain mode, a fast clock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.session import Script
from hipflex.domain.tracking import ExerciseEntry, SessionLog, SessionSource
from hipflex.services import guided, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.context import open_app
from tests.cli.conftest import Cli

pytestmark = pytest.mark.slow

HIPFLEX = Path(sys.executable).parent / "hipflex"
TIGHT = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)}, sitting_hours=7
)
NO_VOICE = "Spoken cues need espeak-ng, which is not installed: playing silently."


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command's result, with the terminal bells (BEL) taken out of its output."""
    result = subprocess.run(
        [str(HIPFLEX), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    result.stdout = result.stdout.replace("\a", "")
    return result


def assessed() -> None:
    app = open_app()
    try:
        record_assessment(app, TIGHT)
    finally:
        app.close()


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
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{script.name}: about ")
    assert lines[-2].endswith("] Session finished.")
    assert lines[-1] == (
        f"Session complete: {len(expected)} of {len(expected)} holds and sets done, all saved."
    )
    titles = [s.title for s in script.steps if s.seconds]
    shown = [line.split("] ", 1)[1] for line in lines if line.startswith("[")]
    assert [t.rsplit(" (", 1)[0] for t in shown[:-1]] == titles


def test_q_on_standard_input_stops_the_session_and_closes_its_log():
    assessed()
    result = run(
        "session", "morning", "--plain", "--speed", "500", "--pain-before", "1", stdin="q\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Session stopped." in result.stdout
    assert "Session stopped: 0 of 6 holds and sets done, all saved." in result.stdout
    [log] = stored_logs()
    assert log.ended_at is not None  # stopped on purpose: not offered to resume
    assert (log.pain_before, log.pain_after, log.entries) == (1, None, ())


def test_break_plays_and_logs_nothing():
    assessed()
    result = run("break", "--plain", "--speed", "500")
    assert result.returncode == 0, result.stderr
    assert "  Stand up." in result.stdout
    assert "Standing quad and hip flexor stretch, left side (30 s)" in result.stdout
    assert "Standing quad and hip flexor stretch, right side (30 s)" in result.stdout
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
    assert "Session complete: 6 of 6 holds and sets done, all saved." in lines
    [log] = stored_logs()
    assert len(log.entries) == 6


def test_voice_speaks_the_cues_with_espeak(tmp_path: Path):
    folder = tmp_path / "bin"
    folder.mkdir()
    said = tmp_path / "said.txt"
    espeak = folder / "espeak-ng"
    espeak.write_text(f'#!/bin/sh\n[ "$1" = "--" ] && printf "%s\\n" "$2" >> "{said}"\n')
    espeak.chmod(0o755)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = run("break", "--plain", "--voice", "--speed", "500", env=env)
    assert result.returncode == 0, result.stderr
    assert NO_VOICE not in result.stdout
    # A cue still being said when the next one comes is cut short. The stretches come
    # 30 s (60 ms at this speed) before the next cue: they are sure to be heard.
    cues = {c.text for step in guided.break_session().script.steps for c in step.cues}
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


@pytest.mark.xfail(
    strict=True,
    reason="bug: sharp pain in `hipflex break` says the exercise 'is paused in your plan', "
    "but the break records nothing (NoRecorder), so the plan keeps it",
)
def test_sharp_pain_in_a_break_is_recorded():
    assessed()
    # skip the lead-in and the walk, then sharp pain in the standing stretch
    result = run("break", "--plain", "--speed", "500", stdin="n\nn\ns\n")
    assert result.returncode == 0, result.stderr
    assert "STOP: sharp pain." in result.stdout
    assert "paused in your plan" in result.stdout
    app = open_app()
    try:
        assert ExerciseId.STANDING_QUAD_HIP_FLEXOR in tracking.paused_exercises(app)
    finally:
        app.close()
