"""What both terminal players share: the clock, recording, sound and speech, and the
line-by-line player for screen readers and dumb terminals."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

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
    control,
    start,
    tick,
)
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.script import Script, Step, StepKind

#: Plain-mode commands, a letter or a word, then Enter (the full-screen player takes keys).
#: Only whole commands count: "stop" or "skipping" are not read as "s" (sharp pain).
PLAIN_COMMANDS = {
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
    "sharp pain": Control.SHARP_PAIN,  # as the intro words it
}


def sharp_pain_advice(exercise_id: ExerciseId) -> str:
    return (
        "Sharp pain is not normal in a stretch or an exercise. That exercise has stopped and "
        "is paused in your plan; please have it checked by a doctor or physiotherapist. When "
        f"they say it is fine, `hipflex log checked {exercise_id.value}` brings it back. "
        "Before any more exercise, hipflex asks its safety questions again: run "
        "`hipflex assess --safety-only`."
    )


#: After sharp pain the player waits at the next exercise until you choose.
SHARP_PAIN_PAUSED = "Paused. Type r to go on with the next exercise, or q to stop here."


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
        if voice is not None and isinstance(output, CueDue) and output.cue.text:
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
    """Lines from standard input, waited for with select (no polling). It reads the file
    descriptor itself, so lines arriving together (a paste, a pipe) are all seen."""

    def __init__(self, stream: TextIO = sys.stdin) -> None:
        self.fd: int | None = stream.fileno()
        self.buffer = b""

    @property
    def closed(self) -> bool:
        return self.fd is None and b"\n" not in self.buffer

    def _line(self) -> str | None:
        if b"\n" not in self.buffer:
            return None
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode(errors="replace")

    def wait(self, timeout: float | None) -> str | None:
        line = self._line()
        if line is not None:
            return line
        if self.fd is None:
            time.sleep(timeout if timeout is not None else 0.5)
            return None
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(self.fd, 4096)
        if not chunk:  # end of input: play on without commands
            self.fd = None
            if self.buffer:
                self.buffer += b"\n"
        self.buffer += chunk
        return self._line()


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
    starts = [sum(step.seconds for step in script.steps[:i]) for i in range(len(script.steps))]
    bells = out.isatty()  # a bell character is noise in a log or for a screen reader

    def bell() -> None:
        if bells:
            out.write("\a")

    def show(outputs: Sequence[Output]) -> None:
        for output in outputs:
            if isinstance(output, StepStarted) and output.step.seconds:
                label = _clock_label(starts[output.index])
                out.write(f"[{label}] {output.step.title} ({output.step.seconds} s)\n")
            elif isinstance(output, CueDue) and output.cue.text:
                out.write(f"  {output.cue.text}\n")
            elif isinstance(output, StepSkipped) and output.step.records:
                out.write(f"  (skipped: {output.step.title})\n")
            elif isinstance(output, SharpPain):
                out.write(f"  STOP: sharp pain. {sharp_pain_advice(output.exercise_id)}\n")
            elif isinstance(output, Finished):
                done = "stopped" if output.quit else "finished"
                out.write(f"{script.name} {done}.\n")
        out.flush()
        run_outputs(script, outputs, recorder, bell=bell, voice=voice)

    out.write(
        f"{script.name}: about {round(script.total_seconds / 60)} min. Type a command and "
        "Enter: p pause, r resume, n skip, b back, s sharp pain, q quit.\n"
    )
    player, outputs = start(script, clock.now(), index)
    show(outputs)
    while not player.finished:
        if player.paused and keys.closed:  # nobody can type "r" any more: play on
            player, outputs = control(player, Control.RESUME, clock.now())
        deadline = player.next_deadline()
        line = keys.wait(None if deadline is None else deadline / clock.speed)
        command = "" if line is None else " ".join(line.lower().split())
        if not command:  # the timeout, or Enter alone: time passes
            player, outputs = tick(player, clock.now())
            show(outputs)
            continue
        action = PLAIN_COMMANDS.get(command)
        if action is Control.PAUSE and player.paused:
            action = Control.RESUME
        if action is None:
            out.write("  (unknown command: p, r, n, b, s or q)\n")
            continue
        was_paused = player.paused
        player, outputs = control(player, action, clock.now())
        if any(isinstance(output, SharpPain) for output in outputs):
            show(outputs)  # the advice first, then where the player waits
            if player.paused:
                out.write(f"  {SHARP_PAIN_PAUSED}\n")
            continue
        if player.paused != was_paused:
            out.write("  Paused. Type r to resume.\n" if player.paused else "  Resumed.\n")
        show(outputs)
    return player
