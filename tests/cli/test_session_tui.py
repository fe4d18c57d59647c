"""The full-screen player (Textual), driven with keys by the pilot on a fake clock.

pytest has no asyncio plugin here, so each test runs its coroutine with asyncio.run.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Digits, Static

from hipflex.cli.session_tui import PAIN_PAUSED_WORDS, ConfirmQuit, SessionApp
from hipflex.domain.plan import Prescription, SessionPlan, SessionSlot
from hipflex.domain.player import Control, Player
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening
from hipflex.domain.script import Script, Step, StepKind, compile_session
from hipflex.services.guided import break_for

SIZE = (80, 24)
HOLD_1 = "Half-kneeling hip flexor stretch, left side: hold 1 of 2"
HOLD_2 = "Half-kneeling hip flexor stretch, right side: hold 1 of 2"
FLEXOR_PAIN = (
    "STOP: sharp pain. This exercise is paused in your plan: have it checked before doing it "
    "again (then `hipflex log checked half_kneeling_hip_flexor`)."
)


class FakeClock:
    speed = 1.0

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time


class FakeRecorder:
    def __init__(self) -> None:
        self.completed_steps: list[Step] = []
        self.pains: list[tuple[ExerciseId, Side | None]] = []

    def completed(self, step: Step) -> None:
        self.completed_steps.append(step)

    def sharp_pain(self, exercise_id: ExerciseId, side: Side | None) -> None:
        self.pains.append((exercise_id, side))


def small_script() -> Script:
    """A hip-flexor stretch held 30 s twice on each side, then two sets of 3 bridges."""
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


class Session:
    """One app under the pilot, with its fake clock and recorder."""

    def __init__(self, app: SessionApp, pilot: Pilot[Player], clock: FakeClock) -> None:
        self.app = app
        self.pilot = pilot
        self.clock = clock

    async def at(self, seconds: float) -> None:
        """Move session time to `seconds` and let the app catch up."""
        self.clock.time = seconds
        self.app.advance()

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    def stop(self) -> None:
        """End the session as q then y would (without the keys' waits), so the app exits
        with a finished player and no refresh can come after the screen is gone."""
        if isinstance(self.app.screen, ConfirmQuit):
            self.app.pop_screen()
        self.app._control(Control.QUIT)

    def text(self, widget_id: str) -> str:
        if widget_id == "countdown":
            return self.app.query_one("#countdown", Digits).value
        return str(self.app.query_one(f"#{widget_id}", Static).render())

    async def screen(self) -> str:
        await self.pilot.pause()
        return screen_text(self.app)


def screen_text(app: SessionApp) -> str:
    """What the terminal shows, as plain text (the SVG screenshot's console, as text)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


Scenario = Callable[[Session], Awaitable[None]]


def drive(
    scenario: Scenario,
    script: Script | None = None,
    *,
    index: int = 0,
    size: tuple[int, int] = SIZE,
) -> tuple[SessionApp, FakeRecorder]:
    recorder = FakeRecorder()
    clock = FakeClock()
    app = SessionApp(script or small_script(), recorder, clock, index=index)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(Session(app, pilot, clock))

    asyncio.run(main())
    return app, recorder


def finished_player(app: SessionApp) -> Player:
    player = app.return_value
    assert isinstance(player, Player)
    assert player.finished
    return player


def test_the_countdown_title_and_state_follow_the_clock():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        seen["start"] = (s.text("title"), s.text("state"), s.text("countdown"), s.text("cue"))
        await s.at(5)
        seen["hold"] = (s.text("title"), s.text("state"), s.text("countdown"), s.text("cue"))
        seen["labels"] = (s.text("exercise-label"), s.text("session-label"), s.text("next"))
        await s.at(25)
        seen["warning"] = (s.text("countdown"), s.text("cue"))
        await s.at(36)
        seen["switch"] = (s.text("title"), s.text("state"), s.text("countdown"), s.text("cue"))
        seen["done"] = s.text("exercise-label")
        s.stop()

    drive(scenario)
    assert seen["start"] == (
        "Get ready: Half-kneeling hip flexor stretch   (step 1 of 13)",
        "GET READY",
        "0:05",
        "",  # the title says it: the screen does not repeat it under it
    )
    assert seen["hold"] == (
        f"{HOLD_1}   (step 2 of 13)",
        "HOLD",
        "0:30",
        "Hold, left side. Tuck your tailbone under.",
    )
    assert seen["labels"] == (
        "This exercise: 0 of 4 holds/sets done",
        "Session: 0 of 3 min",
        "Next: Switch sides",
    )
    assert seen["warning"] == ("0:10", "10 seconds left.")
    assert seen["switch"] == (
        "Switch sides   (step 3 of 13)",
        "REST",
        "0:09",
        "Switch to your right side.",
    )
    assert seen["done"] == "This exercise: 1 of 4 holds/sets done"


def test_space_pauses_in_words_and_resumes():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("space")
        seen["paused"] = (s.text("state"), s.text("countdown"), s.app.player)
        await s.at(500)  # time passes while paused: nothing moves
        seen["still"] = (s.text("state"), s.text("countdown"), s.text("title"))
        await s.press("space")
        seen["resumed"] = s.text("state")
        await s.at(510)
        seen["later"] = s.text("countdown")
        s.stop()

    drive(scenario)
    state, countdown, player = seen["paused"]
    assert state == "PAUSED (space to resume)"
    assert countdown == "0:25"
    assert player is not None
    assert player.paused
    assert seen["still"] == ("PAUSED (space to resume)", "0:25", f"{HOLD_1}   (step 2 of 13)")
    assert seen["resumed"] == "HOLD"
    assert seen["later"] == "0:15"


def test_n_right_skip_and_b_left_go_back():
    seen: list[tuple[str, str]] = []

    async def scenario(s: Session) -> None:
        await s.at(40)  # the switch after the first hold
        seen.append((s.text("title"), s.text("countdown")))
        for key in ("b", "n", "right", "left"):
            await s.press(key)
            seen.append((s.text("title"), s.text("countdown")))
        s.stop()

    _, recorder = drive(scenario)
    assert seen == [
        ("Switch sides   (step 3 of 13)", "0:05"),
        (f"{HOLD_1}   (step 2 of 13)", "0:30"),  # back: the hold again, from the start
        ("Switch sides   (step 3 of 13)", "0:10"),  # skipped the hold again
        (f"{HOLD_2}   (step 4 of 13)", "0:30"),
        ("Switch sides   (step 3 of 13)", "0:10"),
    ]
    assert [s.title for s in recorder.completed_steps if s.records] == [HOLD_1]  # held once


def test_s_shows_stop_and_records_sharp_pain():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(50)  # the right side's first hold
        await s.press("s")
        seen["cue"] = s.text("cue")
        seen["title"] = s.text("title")
        seen["state"] = (s.text("state"), s.text("countdown"), s.app.player)
        seen["screen"] = await s.screen()
        s.stop()

    app, recorder = drive(scenario)
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT)]
    assert seen["cue"] == FLEXOR_PAIN
    state, countdown, player = seen["state"]
    assert (state, countdown) == (PAIN_PAUSED_WORDS, "0:10")  # waiting at the next exercise
    assert player.paused
    assert PAIN_PAUSED_WORDS in seen["screen"]
    assert FLEXOR_PAIN in " ".join(seen["screen"].split())
    assert seen["title"] == "Next: Glute bridge   (step 9 of 13)"
    assert ExerciseId.HALF_KNEELING_HIP_FLEXOR in finished_player(app).sharp_pain


def test_the_sharp_pain_message_stays_until_the_next_exercise_starts():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(50)
        await s.press("s")  # on to "Next: Glute bridge", 10 s, paused
        await s.at(80)
        seen["waiting"] = (s.text("title"), s.text("cue"), s.text("countdown"))
        await s.press("space")  # go on
        await s.at(89)
        seen["change"] = (s.text("title"), s.text("cue"))
        await s.at(90.5)  # the bridge's first set has begun
        seen["set"] = (s.text("title"), s.text("cue"))
        seen["screen"] = await s.screen()
        s.stop()

    drive(scenario)
    assert seen["waiting"] == ("Next: Glute bridge   (step 9 of 13)", FLEXOR_PAIN, "0:10")
    assert seen["change"] == ("Next: Glute bridge   (step 9 of 13)", FLEXOR_PAIN)
    title, cue = seen["set"]
    assert title == "Glute bridge: set 1 of 2   (step 10 of 13)"
    assert cue == "Rep 1 of 3, hold at the top 3 s"  # counted on screen, paced by voice
    assert "STOP" not in seen["screen"]


def test_after_sharp_pain_q_and_y_end_the_session():
    async def scenario(s: Session) -> None:
        await s.at(50)
        await s.press("s")
        await s.at(70)
        await s.press("q", "y")

    app, recorder = drive(scenario)
    player = finished_player(app)
    assert player.quit
    assert recorder.pains == [(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT)]
    assert [s.title for s in recorder.completed_steps if s.records] == [HOLD_1]


def test_sharp_pain_in_the_last_exercise_ends_the_session():
    async def scenario(s: Session) -> None:
        await s.at(200)  # the bridge's first set
        await s.press("s")
        await s.pilot.pause()

    app, recorder = drive(scenario)
    player = finished_player(app)
    assert not player.quit
    assert recorder.pains == [(ExerciseId.GLUTE_BRIDGE, None)]


def test_q_asks_first_n_or_escape_keep_playing_and_y_stops():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("q")
        seen["modal"] = isinstance(s.app.screen, ConfirmQuit)
        seen["question"] = await s.screen()
        await s.press("s", "space", "b")  # the session's keys do not reach it meanwhile
        seen["still asking"] = isinstance(s.app.screen, ConfirmQuit)
        await s.press("n")
        seen["after n"] = (isinstance(s.app.screen, ConfirmQuit), s.app.player)
        await s.press("q", "escape")
        seen["after escape"] = (isinstance(s.app.screen, ConfirmQuit), s.app.player)
        await s.at(40)
        seen["moved on"] = s.text("title")
        await s.press("q", "y")

    app, recorder = drive(scenario)
    assert seen["modal"]
    assert "Stop the session now?" in seen["question"]
    assert "y: yes, stop    n: no, carry on" in seen["question"]
    assert seen["still asking"]
    for key in ("after n", "after escape"):
        modal, player = seen[key]
        assert not modal
        assert (player.finished, player.paused, player.index) == (False, False, 1)
    assert seen["moved on"] == "Switch sides   (step 3 of 13)"
    assert recorder.pains == []
    player = finished_player(app)
    assert player.quit
    assert [s.title for s in recorder.completed_steps if s.records] == [HOLD_1]


def test_the_quit_question_pauses_the_session_and_no_resumes_it():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("q")
        seen["asking"] = (s.app.player, s.text("state"), s.text("countdown"))
        await s.at(300)  # a long think: the clock does not run meanwhile
        seen["thinking"] = (s.app.player, s.text("countdown"), s.text("title"))
        await s.press("n")
        seen["after n"] = (s.app.player, s.text("state"), s.text("countdown"))
        await s.at(310)
        seen["later"] = s.text("countdown")
        s.stop()

    _, recorder = drive(scenario)
    player, state, countdown = seen["asking"]
    assert player.paused
    assert (state, countdown) == ("PAUSED (space to resume)", "0:25")
    player, countdown, title = seen["thinking"]
    assert (player.paused, player.index, countdown) == (True, 1, "0:25")
    assert title == f"{HOLD_1}   (step 2 of 13)"
    player, state, countdown = seen["after n"]
    assert (player.paused, state, countdown) == (False, "HOLD", "0:25")
    assert seen["later"] == "0:15"
    assert recorder.completed_steps[-1].kind is StepKind.LEAD_IN  # nothing completed since


def test_the_quit_question_leaves_a_paused_session_paused():
    seen: dict[str, Any] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("space")
        await s.press("q")
        seen["asking"] = s.app.player
        await s.press("escape")
        seen["after escape"] = (isinstance(s.app.screen, ConfirmQuit), s.app.player)
        await s.at(100)
        seen["still"] = (s.text("state"), s.text("countdown"))
        await s.press("space")
        await s.at(105)
        seen["resumed"] = (s.text("state"), s.text("countdown"))
        s.stop()

    drive(scenario)
    assert seen["asking"].paused
    modal, player = seen["after escape"]
    assert not modal
    assert player.paused  # "no" does not resume what you had paused yourself
    assert seen["still"] == ("PAUSED (space to resume)", "0:25")
    assert seen["resumed"] == ("HOLD", "0:20")


def test_yes_to_the_quit_question_stops_with_the_time_before_it_counted():
    async def scenario(s: Session) -> None:
        await s.at(34)
        await s.press("q")
        await s.at(60)  # the hold would have ended at 35 s, but the clock is stopped
        await s.press("y")

    app, recorder = drive(scenario)
    player = finished_player(app)
    assert player.quit
    assert player.index == 1
    assert [s.title for s in recorder.completed_steps if s.records] == []


def test_finishing_the_script_exits_with_the_player():
    script = small_script()

    async def scenario(s: Session) -> None:
        await s.at(script.total_seconds + 1)
        await s.pilot.pause()

    app, recorder = drive(scenario, script)
    player = finished_player(app)
    assert not player.quit
    assert recorder.completed_steps == list(script.steps[:-1])
    assert [s for s in recorder.completed_steps if s.records] == [
        s for s in script.steps if s.records
    ]


def test_the_timer_drives_the_app_without_calls_to_advance():
    script = small_script()

    async def scenario(s: Session) -> None:
        s.clock.time = script.total_seconds + 1
        for _ in range(40):  # the screen's own refresh ticks from the clock, 10 times a second
            if s.app.player is not None and s.app.player.finished:
                break
            await s.pilot.pause(0.05)

    app, _ = drive(scenario, script)
    assert not finished_player(app).quit


def test_resuming_starts_at_the_given_step():
    seen: dict[str, str] = {}

    async def scenario(s: Session) -> None:
        seen["title"] = s.text("title")
        seen["done"] = s.text("exercise-label")
        s.stop()

    drive(scenario, index=3)
    assert seen["title"] == f"{HOLD_2}   (step 4 of 13)"
    assert seen["done"] == "This exercise: 1 of 4 holds/sets done"


def test_at_80x24_the_footer_shows_the_keys():
    seen: dict[str, str] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        seen["screen"] = await s.screen()
        s.stop()

    drive(scenario)
    lines = seen["screen"].splitlines()
    assert len(lines) == 24
    assert all(len(line) <= 80 for line in lines)
    footer = lines[-1]
    for words in ("space Pause/resume", "n Skip", "b Back", "s Sharp pain", "q Quit"):
        assert words in footer
    screen = seen["screen"]
    assert f"{HOLD_1}   (step 2 of 13)" in screen
    assert "HOLD" in screen
    assert "Next: Switch sides" in screen


def test_at_80x24_the_whole_sharp_pain_advice_is_shown():
    seen: dict[str, str] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("s")
        seen["screen"] = await s.screen()
        s.stop()

    drive(scenario)
    lines = seen["screen"].splitlines()
    assert len(lines) == 24
    assert all(len(line) <= 80 for line in lines)
    assert FLEXOR_PAIN in " ".join(seen["screen"].split())  # all of it, to its end
    assert "s Sharp pain" in lines[-1]  # the footer is still there
    assert "Next: Glute bridge   (step 9 of 13)" in seen["screen"]


def test_a_refresh_after_the_app_exited_unfinished_does_not_crash():
    clock = FakeClock()

    async def scenario(s: Session) -> None:
        await s.at(10)
        await s.press("ctrl+q")

    app = SessionApp(small_script(), FakeRecorder(), clock)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await scenario(Session(app, pilot, clock))

    asyncio.run(main())
    assert app.return_value is None
    clock.time = 20
    app.advance()
    app._handle([])  # what a refresh does after its tick: no NoMatches either
    assert app.player is not None
    assert not app.player.finished  # nothing moved after the exit
    assert app.player.index == 1


def test_the_break_does_not_say_rest_during_its_activities():
    seen: dict[str, str] = {}

    async def scenario(s: Session) -> None:
        await s.at(10)
        seen["walk"] = f"{s.text('title')}: {s.text('state')}"
        await s.at(40)
        seen["stretch"] = f"{s.text('title')}: {s.text('state')}"
        await s.at(100)
        seen["squeezes"] = f"{s.text('title')}: {s.text('state')}"
        s.stop()

    drive(scenario, break_for(Screening.CLEAR).script)
    assert seen["walk"] == "A short walk   (step 2 of 6): MOVE"
    assert (
        seen["stretch"] == "Standing quad and hip flexor stretch, left side   (step 3 of 6): HOLD"
    )
    assert seen["squeezes"] == "10 glute squeezes   (step 5 of 6): MOVE"


def test_the_break_rings_the_bell_for_its_walk_and_squeezes():
    rung: list[str] = []
    script = break_for(Screening.CLEAR).script

    def bell(s: Session) -> None:
        assert s.app.player is not None
        step = script.steps[s.app.player.index]
        rung.append(f"{step.title}: {step.kind.value}")

    async def scenario(s: Session) -> None:
        s.app.bell = lambda: bell(s)  # type: ignore[method-assign]
        for at in (1, 3, 10, 33, 63, 93, 100):
            await s.at(at)
        s.stop()

    drive(scenario, script)
    # (the lead-in's bell rang at mount, before the test's own bell was in place)
    assert rung == [
        "A short walk: activity",
        "Standing quad and hip flexor stretch, left side: hold",
        "Standing quad and hip flexor stretch, right side: hold",
        "10 glute squeezes: activity",
    ]


def test_sharp_pain_in_the_break_names_its_stretch():
    seen: dict[str, str] = {}

    async def scenario(s: Session) -> None:
        await s.at(40)
        await s.press("s")
        seen["cue"] = s.text("cue")
        seen["state"] = s.text("state")
        s.stop()

    _, recorder = drive(scenario, break_for(Screening.CLEAR).script)
    assert recorder.pains == [(ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.LEFT)]
    assert seen["cue"] == (
        "STOP: sharp pain. This exercise is paused in your plan: have it checked before doing "
        "it again (then `hipflex log checked standing_quad_hip_flexor`)."
    )
    assert seen["state"] == PAIN_PAUSED_WORDS  # at the squeezes, waiting for you


def test_snapshot_of_a_paused_hold(snap_compare: Callable[..., bool]):
    clock = FakeClock()
    app = SessionApp(small_script(), FakeRecorder(), clock)

    async def run_before(pilot: Pilot[Player]) -> None:
        await pilot.pause()
        clock.time = 17
        app.advance()
        await pilot.press("space")
        # The screenshot ends the app while the session is unfinished: the refresh timer
        # may tick during shutdown, which the app ignores.

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    assert app.player is not None
    assert app.player.paused
