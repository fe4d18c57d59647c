"""What both terminal players share: the clock, recording, sound and speech, and the
line-by-line player for screen readers and dumb terminals."""

from __future__ import annotations

import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.session import (
    Control,
    CueDue,
    Finished,
    Output,
    Player,
    Script,
    SharpPain,
    Step,
    StepCompleted,
    StepKind,
    StepSkipped,
    StepStarted,
    control,
    start,
    tick,
)

#: Plain-mode commands, typed then Enter (the full-screen player takes single keys).
PLAIN_KEYS = {
    "p": Control.PAUSE,
    "r": Control.RESUME,
    "n": Control.SKIP,
    "b": Control.BACK,
    "q": Control.QUIT,
    "s": Control.SHARP_PAIN,
}
SHARP_PAIN_ADVICE = (
    "Sharp pain is not normal in a stretch or an exercise. That exercise has stopped and is "
    "paused in your plan; please have it checked by a doctor or physiotherapist. When they "
    "say it is fine, `hipflex log checked ID` brings it back."
)


class Clock(Protocol):
    speed: float

    def now(self) -> float:
        """Seconds of session time."""
        ...


class SpeedClock:
    """Monotonic seconds, optionally sped up (demos and tests: --speed 60 is a minute a
    second)."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self._origin = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.speed


class Recorder(Protocol):
    def completed(self, step: Step) -> None: ...
    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None: ...


class NoRecorder:
    def completed(self, step: Step) -> None:
        """Nothing is logged (a movement break)."""

    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None:
        """Nothing is logged (a movement break)."""


class Voice:
    """Spoken cues through espeak-ng, one at a time, never blocking the timer."""

    def __init__(self, program: str) -> None:
        self.program = program
        self._speaking: subprocess.Popen[bytes] | None = None

    @classmethod
    def find(cls) -> Voice | None:
        program = shutil.which("espeak-ng")
        return None if program is None else cls(program)

    def say(self, text: str) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = subprocess.Popen(  # noqa: S603 - a fixed program, text as one argument
            [self.program, "--", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def run_outputs(
    script: Script,
    outputs: Sequence[Output],
    recorder: Recorder,
    *,
    bell: Callable[[], None],
    voice: Voice | None,
) -> None:
    """The side effects of a player's outputs: logging, the bell, speech."""
    for output in outputs:
        if isinstance(output, StepCompleted):
            recorder.completed(output.step)
        elif isinstance(output, SharpPain):
            recorder.sharp_pain(output.exercise_id, script.steps[output.index].side)
        elif isinstance(output, StepStarted) and output.step.kind is not StepKind.REST:
            bell()
        if voice is not None and isinstance(output, CueDue):
            voice.say(output.cue.text)


def _clock_label(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class KeySource(Protocol):
    @property
    def closed(self) -> bool:
        """No more commands will come (input ended)."""
        ...

    def wait(self, timeout: float | None) -> str | None:
        """The next command line typed, or None when the timeout passes first."""
        ...


class StdinKeys:
    """Lines from standard input, waited for with select (no polling)."""

    def __init__(self, stream: TextIO = sys.stdin) -> None:
        self.stream: TextIO | None = stream

    @property
    def closed(self) -> bool:
        return self.stream is None

    def wait(self, timeout: float | None) -> str | None:
        if self.stream is None:
            time.sleep(timeout if timeout is not None else 0.5)
            return None
        ready, _, _ = select.select([self.stream], [], [], timeout)
        if not ready:
            return None
        line = self.stream.readline()
        if not line:  # end of input: play on without commands
            self.stream = None
            return None
        return line.rstrip("\n")


def run_plain(
    script: Script,
    recorder: Recorder,
    clock: Clock,
    keys: KeySource,
    out: TextIO,
    *,
    index: int = 0,
    voice: Voice | None = None,
) -> Player:
    """Play a script as plain lines: one line per step and per cue, commands typed."""

    def bell() -> None:
        out.write("\a")

    def show(outputs: Sequence[Output]) -> None:
        for output in outputs:
            if isinstance(output, StepStarted) and output.step.seconds:
                label = _clock_label(clock.now())
                out.write(f"[{label}] {output.step.title} ({output.step.seconds} s)\n")
            elif isinstance(output, CueDue):
                out.write(f"  {output.cue.text}\n")
            elif isinstance(output, StepSkipped) and output.step.records:
                out.write(f"  (skipped: {output.step.title})\n")
            elif isinstance(output, SharpPain):
                out.write(f"  STOP: sharp pain. {SHARP_PAIN_ADVICE}\n")
            elif isinstance(output, Finished):
                done = "stopped" if output.quit else "finished"
                out.write(f"[{_clock_label(clock.now())}] Session {done}.\n")
        out.flush()
        run_outputs(script, outputs, recorder, bell=bell, voice=voice)

    out.write(
        f"{script.name}: about {round(script.total_seconds / 60)} min. Type a letter and Enter: "
        "p pause, r resume, n skip, b back, s sharp pain, q quit.\n"
    )
    player, outputs = start(script, clock.now(), index)
    show(outputs)
    while not player.finished:
        if player.paused and keys.closed:  # nobody can type "r" any more: play on
            player, outputs = control(player, Control.RESUME, clock.now())
        deadline = player.next_deadline()
        line = keys.wait(None if deadline is None else deadline / clock.speed)
        command = "" if line is None else line.strip().lower()[:1]
        if not command:  # the timeout, or Enter alone: time passes
            player, outputs = tick(player, clock.now())
        else:
            action = PLAIN_KEYS.get(command)
            if action is Control.PAUSE and player.paused:
                action = Control.RESUME
            if action is None:
                out.write("  (unknown command: p, r, n, b, s or q)\n")
                continue
            player, outputs = control(player, action, clock.now())
            if action in (Control.PAUSE, Control.RESUME):
                out.write("  Paused. Type r to resume.\n" if player.paused else "  Resumed.\n")
        show(outputs)
    return player
