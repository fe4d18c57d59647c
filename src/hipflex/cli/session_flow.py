"""Around a guided session: resume or start, pain before and after, sharp pain, summary."""

from __future__ import annotations

import sys

from rich.prompt import Confirm, Prompt

from hipflex.cli.session_run import (
    Recorder,
    SpeedClock,
    StdinKeys,
    Voice,
    run_plain,
    sharp_pain_advice,
)
from hipflex.cli.terminal import Console
from hipflex.cli.words import HOW_TO_RECHECK, HOW_TO_SCREEN
from hipflex.domain.errors import BadInput
from hipflex.domain.player import Player
from hipflex.domain.plurals import counted
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening, stop_words
from hipflex.domain.script import Script, Step, StepKind
from hipflex.domain.tracking import check_pain
from hipflex.services import guided
from hipflex.services.context import AppContext, open_app
from hipflex.services.safety import red_flag_advice


class BreakRecorder:
    """A break is not logged as a session, but sharp pain in it is (it pauses the stretch)."""

    def __init__(self, app: AppContext) -> None:
        self.app = app

    def completed(self, step: Step) -> None:
        """Nothing to log for a completed part of a break."""

    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None:
        guided.report_sharp_pain(self.app, exercise_id, side)


class StoreRecorder:
    """Each completed hold or set goes to the store at once."""

    def __init__(self, app: AppContext, log_id: int) -> None:
        self.app = app
        self.log_id = log_id
        self.reported: set[ExerciseId] = set()

    def completed(self, step: Step) -> None:
        guided.record_step(self.app, self.log_id, step)

    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None:
        self.reported.add(exercise_id)
        guided.record_sharp_pain(self.app, self.log_id, exercise_id, side)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_pain(console: Console, question: str) -> int | None:
    while True:
        answer = Prompt.ask(f"{question} (0-10, Enter to skip)", console=console, default="")
        if not answer.strip():
            return None
        try:
            return check_pain(int(answer))
        except (ValueError, BadInput):
            console.print("[red]Please enter a whole number from 0 to 10.[/red]")


def _voice(wanted: bool, console: Console) -> Voice | None:
    if not wanted:
        return None
    voice = Voice.find()
    if voice is None:
        console.print("Spoken cues need espeak-ng, which is not installed: playing silently.")
    return voice


def _play(
    script: Script,
    recorder: Recorder,
    *,
    index: int,
    plain: bool,
    voice: Voice | None,
    speed: float,
) -> Player:
    clock = SpeedClock(speed)
    if plain or not _interactive():
        return run_plain(script, recorder, clock, StdinKeys(), sys.stdout, index=index, voice=voice)
    from hipflex.cli.session_tui import SessionApp

    player = SessionApp(script, recorder, clock, index=index, voice=voice).run()
    if player is None:  # the window was closed some other way: treated as stopped
        raise KeyboardInterrupt
    return player


def _after(
    console: Console,
    recorder: StoreRecorder,
    script: Script,
    pain_after: int | None,
) -> int | None:
    """Pain after, and "any sharp pain?" (logged, with the safety advice)."""
    if pain_after is None and _interactive():
        pain_after = _ask_pain(console, "How is your low back pain now?")
    ask = _interactive() and not recorder.reported
    if ask and Confirm.ask("Did anything cause sharp pain?", console=console, default=False):
        choices = [e.value for e in script.exercise_ids()]
        which = Prompt.ask("Which exercise?", choices=choices, console=console)
        recorder.sharp_pain(ExerciseId(which), None)
    for exercise_id in sorted(recorder.reported):
        console.print(sharp_pain_advice(exercise_id), style="bold red")
    return pain_after


def _summary(console: Console, player: Player, warning: str | None) -> None:
    steps = player.script.steps
    done = sum(1 for i in player.done if steps[i].kind in (StepKind.HOLD, StepKind.SET))
    total = sum(1 for s in steps if s.kind in (StepKind.HOLD, StepKind.SET))
    word = "stopped" if player.quit else "complete"
    of_total = counted(total, "hold or set", "holds and sets")
    console.print(f"Session {word}: {done} of {of_total} done, all saved.")
    if warning is not None:
        console.print(f"{warning} {HOW_TO_RECHECK}")


def run_guided_session(
    name: str | None,
    *,
    plain: bool,
    voice: bool,
    pain_before: int | None,
    pain_after: int | None,
    resume: bool | None,
    speed: float,
) -> None:
    console = Console()
    for value, what in ((pain_before, "pain before"), (pain_after, "pain after")):
        if value is not None:
            check_pain(value, what)
    app = open_app()
    try:
        stopped = guided.resume_offer(app, name)
        if stopped is not None and resume is None:
            resume = not _interactive() or Confirm.ask(
                f"You stopped your {stopped.script.name.lower()} before the end. Resume it?",
                console=console,
                default=True,
            )
        if stopped is not None and resume:
            assert stopped.log.id is not None
            script, index, log_id = stopped.script, stopped.resume_at, stopped.log.id
        else:
            chosen = guided.choose_session(app, name)  # a bad name must not close the old one
            script, index = chosen.script, 0
            if pain_before is None and _interactive():
                pain_before = _ask_pain(console, "How is your low back pain right now?")
            log_id = guided.begin(app, chosen, pain_before)  # closes an interrupted one
        recorder = StoreRecorder(app, log_id)
        player = _play(
            script, recorder, index=index, plain=plain, voice=_voice(voice, console), speed=speed
        )
        after = _after(console, recorder, script, pain_after)
        warning = guided.finish(app, log_id, pain_after=after)
        _summary(console, player, warning)
    finally:
        app.close()


def run_break(*, plain: bool, voice: bool, speed: float) -> None:
    console = Console()
    app = open_app()
    try:
        chosen = guided.break_session(app)
        stop = stop_words(chosen.screening)
        if stop is not None:
            advice = red_flag_advice(app)
            how = {
                Screening.UNSCREENED: HOW_TO_SCREEN,
                Screening.RECHECK: HOW_TO_RECHECK,
            }.get(
                chosen.screening,
                HOW_TO_SCREEN if advice is None else f"{advice.title}: {advice.text}",
            )
            console.print(f"{stop} {how}", style="bold yellow")
        _play(
            chosen.script,
            BreakRecorder(app),
            index=0,
            plain=plain,
            voice=_voice(voice, console),
            speed=speed,
        )
    finally:
        app.close()
    console.print("Break done. Back to work, and well done for moving.")
