"""Crash safety: `hipflex session` killed with SIGKILL mid-session loses at most the hold
in progress, and the next `hipflex session` resumes it (or, told not to, closes it)."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import Side
from hipflex.domain.script import Script
from hipflex.domain.tracking import ExerciseEntry, SessionLog, SessionSource
from hipflex.services import guided
from hipflex.services.assessments import record_assessment
from hipflex.services.context import AppContext, open_app

pytestmark = pytest.mark.slow

HIPFLEX = Path(sys.executable).parent / "hipflex"
TIGHT = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)},
    sitting_hours=7,
    red_flags=frozenset(),
)
THIRD_HOLD = "Half-kneeling hip flexor stretch, left side: hold 2 of 3"  # left: tight, 3
SECOND_HOLD = "Half-kneeling hip flexor stretch, right side: hold 1 of 2"
TIMEOUT = 30.0


@contextlib.contextmanager
def opened() -> Iterator[AppContext]:
    app = open_app()  # the data folder of the test (HIPFLEX_DATA_DIR), the real clock
    try:
        yield app
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


def step_lines(output: str) -> list[str]:
    """The plain player's "[mm:ss] title (N s)" lines, one for each step entered."""
    return [line for line in output.splitlines() if line.startswith("[")]


def step_line(script: Script, index: int) -> str:
    """A step's line: [mm:ss] is its place in the script, the same on resume."""
    step = script.steps[index]
    seconds = sum(s.seconds for s in script.steps[:index])
    return f"[{seconds // 60:02d}:{seconds % 60:02d}] {step.title} ({step.seconds} s)"


def logged_count(db: Path) -> int:
    """Entries committed so far, read through a read-only connection of our own."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        (count,) = connection.execute("SELECT count(*) FROM exercise_logs").fetchone()
    return int(count)


class Crash:
    """`hipflex session evening --plain --speed 50` in the background, killed on cue."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(HIPFLEX), "session", "evening", "--plain", "--speed", "50", "--pain-before", "2"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_start_of(self, title: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if line is None:
                self.kill()
                pytest.fail(f"the session ended before {title!r}: {self.output()}")
            self.seen.append(line)
            if line.startswith("[") and title in line:
                return
        self.kill()
        pytest.fail(f"no {title!r} within {TIMEOUT} s: {self.output()}")

    def wait_until_logged(self, db: Path, count: int) -> None:
        deadline = time.monotonic() + TIMEOUT
        while logged_count(db) < count:
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"fewer than {count} entries logged within {TIMEOUT} s")
            time.sleep(0.01)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(TIMEOUT)
        self.reader.join(TIMEOUT)
        while True:
            line = self.lines.get_nowait() if not self.lines.empty() else None
            if line is None:
                break
            self.seen.append(line)

    def output(self) -> str:
        return "".join(self.seen)


def crash(title: str, db: Path, logged: int, *, into_hold: float) -> Crash:
    """Start the session, wait until `title` starts and `logged` entries are committed,
    let `into_hold` seconds pass, and kill it."""
    run = Crash()
    run.wait_for_start_of(title)
    run.wait_until_logged(db, logged)
    time.sleep(into_hold)
    run.kill()
    assert run.process.returncode == -signal.SIGKILL
    return run


def only_log() -> SessionLog:
    with opened() as app:
        logs = app.store.session_logs()
    assert len(logs) == 1
    return logs[0]


@pytest.fixture
def db(data_dir: Path) -> Path:
    with opened() as app:
        record_assessment(app, TIGHT)
    return data_dir / "hipflex.db"


def run_hipflex(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HIPFLEX), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_sigkill_mid_session_keeps_the_completed_holds_and_resume_finishes_it(db: Path):
    run = crash(THIRD_HOLD, db, logged=2, into_hold=0.2)  # 0.2 s: 10 s into the hold

    # What the store holds: the session, unfinished, with every completed hold
    log = only_log()
    assert log.source is SessionSource.GUIDED
    assert log.slot is SessionSlot.EVENING
    assert log.ended_at is None
    assert log.pain_before == 2
    with opened() as app:
        script = guided.choose_session(app, "evening").script
        stopped = guided.interrupted(app)
    everything = entries_for(script)

    assert "\a" not in run.output()  # not a terminal: no bells
    entered = step_lines(run.output())
    assert entered == [step_line(script, i) for i in range(len(entered))]
    in_progress = len(entered) - 1  # the step being played when the process was killed
    completed = sum(1 for step in script.steps[:in_progress] if step.records)
    assert in_progress >= [s.title for s in script.steps].index(THIRD_HOLD)
    # nothing from the hold in progress or after it; at most one completed hold not yet
    # committed (killed between its line and its commit)
    assert len(log.entries) >= 2  # we waited for these before the kill
    assert completed - 1 <= len(log.entries) <= completed
    assert list(log.entries) == everything[: len(log.entries)]
    # (normally: killed 10 s into the third hold, with the two holds before it logged)

    # `hipflex session` offers to resume from the first hold not logged
    holds = [step for step in script.steps if step.records]
    first_unlogged = holds[len(log.entries)]
    assert stopped is not None
    assert stopped.log.id == log.id
    resume_step = stopped.script.steps[stopped.resume_at]
    assert first_unlogged in (resume_step, stopped.script.steps[stopped.resume_at + 1])

    resumed = run_hipflex("session", "--plain", "--speed", "500", "--resume", "--pain-after", "1")
    assert resumed.returncode == 0, resumed.stderr
    lines = step_lines(resumed.stdout)
    assert lines[0] == step_line(script, stopped.resume_at)
    assert lines[0] in entered  # the same line, stamp and all, as before the crash
    assert lines == [step_line(script, i) for i in range(stopped.resume_at, len(script.steps) - 1)]
    assert f"\n{script.name} finished.\n" in resumed.stdout
    assert script.name == "End-of-day session"
    logged_titles = {step.title for step in holds[: len(log.entries)]}
    shown_titles = [line.split("] ", 1)[1].rsplit(" (", 1)[0] for line in lines]
    assert not logged_titles & set(shown_titles)  # no hold already logged is played again
    summary = f"Session complete: {len(everything)} of {len(everything)} holds and sets done"
    assert summary in resumed.stdout

    finished = only_log()  # the same session, finished: no second one
    assert finished.id == log.id
    assert finished.ended_at is not None
    assert (finished.pain_before, finished.pain_after) == (2, 1)
    assert list(finished.entries) == everything  # each hold once: none twice, none missing
    with opened() as app:
        assert guided.interrupted(app) is None


def test_no_resume_closes_the_interrupted_session_and_starts_a_new_one(db: Path):
    crash(SECOND_HOLD, db, logged=1, into_hold=0.1)
    old = only_log()
    assert old.ended_at is None
    assert len(old.entries) >= 1

    result = run_hipflex(
        "session", "morning", "--plain", "--speed", "500", "--no-resume",
        "--pain-before", "1", "--pain-after", "0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # the morning session at a desk (no floor at work): the standing stretch stands in
    assert step_lines(result.stdout)[0] == (
        "[00:00] Get ready: Standing quad and hip flexor stretch (5 s)"
    )

    with opened() as app:
        logs = app.store.session_logs()
        morning = guided.choose_session(app, "morning").script
        assert guided.interrupted(app) is None
    assert [log.id for log in logs] == [old.id, logs[1].id]
    closed, new = logs
    assert closed.ended_at is not None  # closed as it stood
    assert closed.pain_after is None
    assert closed.entries == old.entries
    assert new.slot is SessionSlot.MORNING
    assert new.ended_at is not None
    assert (new.pain_before, new.pain_after) == (1, 0)
    assert list(new.entries) == entries_for(morning)
