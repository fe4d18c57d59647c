"""The browser's player (static/js/player-core.js) is the domain's player: a corpus of
event traces recorded from hipflex.domain.player is replayed in Chromium through the
module the app serves, and every event's outputs and state must be equal (DESIGN.md 15).

The corpus is drawn by hypothesis with a fixed seed (derandomize), so CI replays the same
traces every run: compiled sessions of random plans, the movement breaks and odd scripts
the compiler never makes, started at any step, driven by ticks (fractional, zero,
backwards, long, exactly at the player's next deadline and a hair either side of it,
where the epsilon matters) and every control. A deliberate slip in player-core.js (the
epsilon, a comparison, the pause after sharp pain, a lost max(0, ...)) fails it."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from hipflex.content import load_content
from hipflex.domain.plan import Programme, build_programme
from hipflex.domain.player import (
    Control,
    Player,
    control,
    output_to_json,
    player_to_json,
    start,
    tick,
)
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.safety import Screening
from hipflex.domain.script import Cue, Script, Step, StepKind
from hipflex.services.guided import break_for, script_for
from hipflex.services.presenters.sessions import script_model
from hipflex.services.safety import BREAK_STRETCH
from tests import strategies

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.conftest import LiveServer

CORPUS_SIZE = 400
MAX_EVENTS = 40

Event = tuple[str, float]  # ("tick" or a Control value, the time of the event)
Record = list[Any]  # [outputs as JSON, the player as JSON]


@dataclass(frozen=True)
class Trace:
    script: Script
    t0: float
    index: int
    events: tuple[Event, ...]
    records: tuple[Record, ...]  # after the start, then after each event


# --- scripts: sessions of random plans, and the movement breaks ---------------------------


@st.composite
def session_scripts(draw: st.DrawFn) -> Script:
    exercises = load_content().exercises
    programme = build_programme(
        draw(strategies.tight_assessments),
        draw(strategies.preferences()),
        exercises,
        week=1,
        state=draw(strategies.states),
    )
    assert isinstance(programme, Programme)
    assume(programme.sessions)
    return script_for(draw(st.sampled_from(programme.sessions)))


BREAKS = (
    break_for(Screening.CLEAR).script,
    break_for(Screening.RED_FLAG).script,
    break_for(Screening.UNSCREENED).script,
    break_for(Screening.CLEAR, frozenset({BREAK_STRETCH})).script,
)


@st.composite
def odd_scripts(draw: st.DrawFn) -> Script:
    """Shapes the compiler never makes but the players must agree on: no final "done",
    a "done" midway, empty steps, cues unsorted, repeated, at or past a step's end."""
    steps = []
    for number in range(draw(st.integers(1, 8), label="steps")):
        seconds = draw(st.integers(0, 40))
        ats = draw(st.lists(st.integers(-2, seconds + 2), max_size=4))
        steps.append(
            Step(
                draw(st.sampled_from(StepKind)),
                seconds,
                f"Step {number}",
                tuple(Cue(at, f"At {at} s.") for at in ats),
                draw(st.one_of(st.none(), st.sampled_from(ODD_EXERCISES))),
            )
        )
    return Script("Odd script", tuple(steps))


ODD_EXERCISES = (ExerciseId.PLANK, ExerciseId.GLUTE_BRIDGE, ExerciseId.PIGEON_POSE)
scripts = st.one_of(session_scripts(), session_scripts(), st.sampled_from(BREAKS), odd_scripts())

# --- events ------------------------------------------------------------------------------

# "deadline" ticks at the player's next deadline (what the page's timer aims at), "near"
# a hair before or after it, where the epsilon and the float sums decide.
KINDS = (
    ["tick"] * 4
    + ["deadline"] * 3
    + ["near"] * 3
    + [c.value for c in Control if c is not Control.QUIT] * 2
)
NEAR = (-1e-3, -1e-6, -1e-7, -2e-9, -1e-9, -5e-10, -1e-10, -1e-12, 1e-12, 1e-10, 5e-10, 1e-7)
deltas = st.one_of(
    st.sampled_from([0.0, 0.5, 1.0, 5.0, 10.0, 30.0]),
    st.floats(min_value=0, max_value=3),
    st.floats(min_value=0, max_value=90),
    st.floats(min_value=90, max_value=900),
    st.integers(-16, 2400).map(lambda n: n / 8),  # exact eighths: boundaries hit exactly
    st.floats(min_value=-30, max_value=0),  # a clock that goes back
)
starts = st.one_of(st.just(0.0), st.integers(0, 10**6).map(float), st.floats(0, 1e6))


def act(player: Player, kind: str, now: float) -> tuple[Player, list[Any]]:
    if kind == "tick":
        return tick(player, now)
    return control(player, Control(kind), now)


@st.composite
def traces(draw: st.DrawFn) -> Trace:
    script = draw(scripts)
    t0 = draw(starts)
    index = draw(st.one_of(st.just(0), st.integers(0, len(script.steps) - 1)), label="index")
    player, outputs = start(script, t0, index)
    records: list[Record] = [[[output_to_json(o) for o in outputs], player_to_json(player)]]
    events: list[Event] = []
    clock = t0
    quit_weight = st.integers(0, 60)
    for _ in range(draw(st.integers(0, MAX_EVENTS), label="events")):
        kind = draw(st.sampled_from(KINDS), label="kind")
        if draw(quit_weight) == 0:
            kind = Control.QUIT.value
        delta = draw(deltas, label="delta")
        deadline = player.next_deadline()
        if kind in ("deadline", "near") and deadline is not None:
            offset = draw(st.sampled_from(NEAR), label="offset") if kind == "near" else 0.0
            clock = (player.last or 0.0) + deadline + offset
        else:
            clock += delta
        kind = "tick" if kind in ("deadline", "near") else kind
        player, outputs = act(player, kind, clock)
        events.append((kind, clock))
        records.append([[output_to_json(o) for o in outputs], player_to_json(player)])
    return Trace(script, t0, index, tuple(events), tuple(records))


@functools.cache
def build_corpus(size: int) -> tuple[Trace, ...]:
    corpus: list[Trace] = []

    @settings(
        max_examples=size,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(traces())
    def collect(trace: Trace) -> None:
        corpus.append(trace)

    collect()
    return tuple(corpus)


# --- replaying in Chromium -----------------------------------------------------------------

REPLAY = """
async (sent) => {
  const { scripts, traces } = JSON.parse(sent);
  const core = await import("/static/js/player-core.js");
  const started = performance.now();
  const replayed = traces.map(({ script, t0, index, events }) => {
    let [player, outputs] = core.start(scripts[script], t0, index);
    const records = [[outputs, core.playerToJson(player)]];
    for (const [kind, now] of events) {
      [player, outputs] = kind === "tick"
        ? core.tick(player, now)
        : core.control(player, kind, now);
      records.push([outputs, core.playerToJson(player)]);
    }
    return records;
  });
  return JSON.stringify({ replayed, milliseconds: performance.now() - started });
}
"""


def replay(page: Page, corpus: tuple[Trace, ...]) -> tuple[list[list[Record]], float]:
    """Every trace through player-core.js in one call (each script sent once); the
    records, and the seconds the browser took."""
    script_ids: dict[str, int] = {}
    scripts_json: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    for trace in corpus:
        data = script_model(trace.script).model_dump(mode="json")
        key = json.dumps(data, sort_keys=True)
        if key not in script_ids:
            script_ids[key] = len(scripts_json)
            scripts_json.append(data)
        events = [list(event) for event in trace.events]
        sent.append(
            {"script": script_ids[key], "t0": trace.t0, "index": trace.index, "events": events}
        )
    # as JSON text both ways: exact for floats (shortest round trip) and fast to pass
    result = json.loads(
        page.evaluate(REPLAY, json.dumps({"scripts": scripts_json, "traces": sent}))
    )
    replayed: list[list[Record]] = result["replayed"]
    return replayed, float(result["milliseconds"]) / 1000


def first_difference(trace: Trace, replayed: list[Record]) -> str | None:
    """Where the browser first parts from Python, in words; None when it never does."""
    assert len(replayed) == len(trace.records)
    for number, ((want_out, want_state), (got_out, got_state)) in enumerate(
        zip(trace.records, replayed, strict=True)
    ):
        if want_out == got_out and want_state == got_state:
            continue
        event = "the start" if number == 0 else f"event {number} {trace.events[number - 1]}"
        where = f"{trace.script.name} from step {trace.index} at t0={trace.t0!r}, {event}"
        if want_out != got_out:
            at = next(
                (i for i, (w, g) in enumerate(zip(want_out, got_out, strict=False)) if w != g),
                min(len(want_out), len(got_out)),
            )
            return (
                f"{where}: output {at} of {len(want_out)} (browser: {len(got_out)})\n"
                f"  Python:  {want_out[at : at + 2]}\n  browser: {got_out[at : at + 2]}"
            )
        keys = [key for key in want_state if want_state[key] != got_state.get(key)]
        return (
            f"{where}: the state's {', '.join(keys)}\n"
            f"  Python:  {[want_state[k] for k in keys]}\n"
            f"  browser: {[got_state.get(k) for k in keys]}"
        )
    return None


def test_the_corpus_covers_every_control_and_both_kinds_of_script():
    corpus = build_corpus(CORPUS_SIZE)
    assert len(corpus) >= 200
    kinds = {kind for trace in corpus for kind, _ in trace.events}
    assert kinds == {"tick"} | {c.value for c in Control}
    names = {trace.script.name for trace in corpus}
    assert {"Movement break", "Odd script"} <= names
    assert len(names) > 3
    assert any(trace.index > 0 for trace in corpus)
    outputs = {o["type"] for t in corpus for r in t.records for o in r[0]}
    assert outputs == {
        "step_started",
        "cue_due",
        "step_completed",
        "step_skipped",
        "sharp_pain",
        "finished",
    }
    assert any(r[1]["paused"] and not r[1]["finished"] for t in corpus for r in t.records)


def test_player_core_js_replays_every_trace_of_the_domain_player(
    live_server: LiveServer, page: Page
):
    corpus = build_corpus(CORPUS_SIZE)
    page.goto(f"{live_server.url}/learn")
    began = time.perf_counter()
    replayed, in_browser = replay(page, corpus)
    seconds = time.perf_counter() - began
    assert len(replayed) == len(corpus)
    differences = [
        found
        for trace, records in zip(corpus, replayed, strict=True)
        if (found := first_difference(trace, records)) is not None
    ]
    events = sum(len(trace.events) + 1 for trace in corpus)
    assert not differences, (
        f"{len(differences)} of {len(corpus)} traces differ; the first:\n{differences[0]}"
    )
    print(  # noqa: T201 - the corpus's size and time, for the log
        f"replayed {len(corpus)} traces, {events} events, in {seconds:.2f} s "
        f"({in_browser:.3f} s of it in the browser)"
    )
