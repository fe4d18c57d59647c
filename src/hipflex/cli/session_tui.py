"""The full-screen guided session (Textual): the exercise and its cue, a big countdown,
progress for the exercise and the session, and what comes next. Usable at 80x24; every
state is written out in words, never shown by colour alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Digits, Footer, ProgressBar, Static

from hipflex.cli.session_run import Clock, Recorder, Voice, run_outputs
from hipflex.domain.player import (
    Control,
    CueDue,
    Output,
    Player,
    SharpPain,
    StepStarted,
    control,
    start,
    tick,
)
from hipflex.domain.plurals import counted
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.script import Script, StepKind, up_next

PAIN_PAUSED_WORDS = "PAUSED: space to go on with the next exercise, q to stop"
TICK_SECONDS = 0.1  # screen refresh; the session's own timing comes from the clock
STATE_WORDS = {
    StepKind.LEAD_IN: "GET READY",
    StepKind.HOLD: "HOLD",
    StepKind.SET: "REPS",
    StepKind.REST: "REST",
    StepKind.CHANGE: "NEXT EXERCISE",
    StepKind.ACTIVITY: "MOVE",
    StepKind.DONE: "DONE",
}


class ConfirmQuit(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        ("y", "answer(True)", "Yes, stop"),
        ("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmQuit { align: center middle; }
    ConfirmQuit > Static { width: 60; border: thick $warning; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "Stop the session now? The holds and sets you finished are saved.\n\n"
            "y: yes, stop    n: no, carry on"
        )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class SessionApp(App[Player]):
    TITLE = "hipflex"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", "Pause/resume"),
        Binding("n,right", "skip", "Skip"),
        Binding("b,left", "step_back", "Back"),
        Binding("s", "sharp_pain", "Sharp pain"),
        Binding("q", "quit_session", "Quit"),
    ]
    DEFAULT_CSS = """
    #title { text-style: bold; padding: 0 1; }
    #cue { padding: 0 1; height: auto; min-height: 2; }
    #clock { align: center middle; height: 5; }
    #countdown { width: auto; }
    #state { text-style: bold; text-align: center; }
    .bar { padding: 0 1; height: 1; }
    #next, #status { padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        script: Script,
        recorder: Recorder,
        clock: Clock,
        *,
        index: int = 0,
        voice: Voice | None = None,
    ) -> None:
        super().__init__()
        self.script = script
        self.recorder = recorder
        self.clock = clock
        self.start_index = index
        self.voice = voice
        self.player: Player | None = None
        self.last_cue = ""
        self.warning = ""
        self.pained: ExerciseId | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="cue")
        with Vertical(id="clock"):
            yield Digits("0:00", id="countdown")
        yield Static(id="state")
        yield Static(id="exercise-label", classes="bar")
        yield ProgressBar(id="exercise", show_eta=False, classes="bar")
        yield Static(id="session-label", classes="bar")
        yield ProgressBar(id="session", show_eta=False, classes="bar")
        yield Static(id="next")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.script.name
        self.player, outputs = start(self.script, self.clock.now(), self.start_index)
        self._handle(outputs)
        self.set_interval(TICK_SECONDS, self.advance)

    def advance(self) -> None:
        """Let session time pass (called by the screen's timer, and by tests)."""
        if not self.is_running:
            return
        if self.player is not None and not self.player.finished:
            self.player, outputs = tick(self.player, self.clock.now())
            self._handle(outputs)

    def _control(self, action: Control) -> None:
        if self.player is None or self.player.finished:
            return
        self.player, outputs = control(self.player, action, self.clock.now())
        self._handle(outputs)

    def _handle(self, outputs: Sequence[Output]) -> None:
        for output in outputs:
            if isinstance(output, CueDue):
                if output.cue.on_screen:  # "": the title says it already
                    self.last_cue = output.cue.on_screen
            elif isinstance(output, SharpPain):
                self.pained = output.exercise_id
                self.warning = (
                    "STOP: sharp pain. This exercise is paused in your plan: have it checked "
                    f"before doing it again (then `hipflex log checked {output.exercise_id}`)."
                )
            elif (
                isinstance(output, StepStarted)
                and output.step.records
                and output.step.exercise_id != self.pained
            ):
                self.warning = ""  # the next exercise has begun: its cues matter now
        run_outputs(self.script, outputs, self.recorder, bell=self.bell, voice=self.voice)
        try:
            self._render()
        except NoMatches:  # the screen is already gone (the app is closing)
            return
        if self.player is not None and self.player.finished:
            self.exit(self.player)

    def _render(self) -> None:
        player = self.player
        if player is None or player.step is None:
            return
        step = player.step
        steps = self.script.steps
        self.query_one("#title", Static).update(
            f"{step.title}   (step {player.index + 1} of {len(steps)})"
        )
        self.query_one("#cue", Static).update(self.warning or self.last_cue)
        left = player.remaining
        self.query_one("#countdown", Digits).update(f"{int(left) // 60}:{int(left) % 60:02d}")
        if player.paused:  # after sharp pain the player waits for your choice
            state = PAIN_PAUSED_WORDS if self.warning else "PAUSED (space to resume)"
        else:
            state = STATE_WORDS[step.kind]
        self.query_one("#state", Static).update(state)
        same = [s for s in steps if s.exercise_id == step.exercise_id and s.records]
        finished = sum(1 for i in player.done if steps[i] in same)
        self.query_one("#exercise-label", Static).update(
            f"This exercise: {finished} of {counted(len(same), 'hold or set', 'holds/sets')} done"
        )
        self.query_one("#exercise", ProgressBar).update(total=max(len(same), 1), progress=finished)
        elapsed = sum(s.seconds for s in steps[: player.index]) + player.elapsed
        total = max(self.script.total_seconds, 1)
        self.query_one("#session-label", Static).update(
            f"Session: {int(elapsed) // 60} of {total // 60} min"
        )
        self.query_one("#session", ProgressBar).update(total=total, progress=elapsed)
        self.query_one("#next", Static).update(up_next(self.script, player.index))

    def action_pause(self) -> None:
        paused = self.player is not None and self.player.paused
        self._control(Control.RESUME if paused else Control.PAUSE)

    def action_skip(self) -> None:
        self._control(Control.SKIP)

    def action_step_back(self) -> None:
        self._control(Control.BACK)

    def action_sharp_pain(self) -> None:
        self._control(Control.SHARP_PAIN)

    def action_quit_session(self) -> None:
        was_paused = self.player is not None and self.player.paused
        if not was_paused:
            self._control(Control.PAUSE)  # the clock stops while you decide

        def answered(stop: bool | None) -> None:
            if stop:
                self._control(Control.QUIT)
            elif not was_paused:
                self._control(Control.RESUME)

        self.push_screen(ConfirmQuit(), answered)
