"""Guided sessions and movement breaks as JSON: the script the browser player plays
(GET /sessions/script, GET /break/script, POST /sessions), and the answers to each hold
logged and to the end of a session."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hipflex.content import load_content
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import SessionSlot
from hipflex.domain.plurals import counted, days
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening, stop_words
from hipflex.domain.script import SCRIPT_VERSION, Cue, Script, Step, StepKind, up_next
from hipflex.services.guided import GuidedSession, Interrupted, SessionSummary
from hipflex.services.presenters.common import Moment, Out


class CueOut(Out):
    """Something to show and say `at` seconds into a step."""

    at: int
    text: str  # what is said
    shown: str  # what the screen shows ("": nothing new, the step's title says it)


class StepOut(Out):
    kind: StepKind
    seconds: int
    title: str
    cues: list[CueOut]
    exercise_id: ExerciseId | None
    side: Side | None
    number: int | None  # which hold or set of the exercise (1-based, per side)
    of: int | None  # out of how many
    reps: int | None  # repetitions in a set
    hold_seconds: int | None  # for a hold
    records: bool  # completing this step is logged (POST /sessions/{id}/entries)
    up_next: str  # what comes after it, in words ("Next: ...")


class ScriptOut(Out):
    """A session (or a movement break) as timed steps, played as it is."""

    version: Annotated[int, Field(strict=True)]  # SCRIPT_VERSION
    name: str
    total_seconds: int
    steps: list[StepOut]

    def to_script(self) -> Script:
        """The script back from its JSON (what the player plays is all there is)."""
        if self.version != SCRIPT_VERSION:
            msg = f"script version {self.version} is not {SCRIPT_VERSION}"
            raise BadInput(msg)
        return Script(
            self.name,
            tuple(
                Step(
                    kind=s.kind,
                    seconds=s.seconds,
                    title=s.title,
                    cues=tuple(
                        Cue(c.at, c.text, None if c.shown == c.text else c.shown) for c in s.cues
                    ),
                    exercise_id=s.exercise_id,
                    side=s.side,
                    number=s.number,
                    of=s.of,
                    reps=s.reps,
                    hold_seconds=s.hold_seconds,
                )
                for s in self.steps
            ),
        )


class _Slot(Out):
    slot: SessionSlot | None


# The bases in this order send `slot` first, then the script's keys.
class SessionScriptOut(ScriptOut, _Slot):
    """Today's next session (or the one named) as a script."""


class BreakScriptOut(ScriptOut):
    """The movement break that fits this user now, as a script: the safety gate's state,
    and why no exercise is offered when it is not clear (`stop`, else null)."""

    screening: Screening
    stop: str | None


class StartedSessionOut(Out):
    """A guided session whose log is open: post each hold to its entries."""

    id: int
    slot: SessionSlot | None
    script: ScriptOut


class EntryOut(Out):
    session_id: int
    exercise_id: ExerciseId
    sharp_pain: bool  # true: the exercise is paused in the plan until checked


class DoneOut(Out):
    """Holds (or sets) done of one exercise on one side."""

    exercise_id: ExerciseId
    side: Side | None
    count: int
    text: str  # e.g. "Glute bridge: 3 sets"


class SummaryOut(Out):
    """What the session was: holds per side, pain before and after, the streak."""

    done: list[DoneOut]
    sharp_pain: list[ExerciseId]
    pain_before: int | None
    pain_after: int | None
    streak_days: int = Field(description="Days in a row with a session, today included")
    streak: str  # the streak in words


class FinishedOut(Out):
    session_id: int
    finished: Literal[True]
    warning: str | None = Field(
        description="Words to show when pain rose by 2 points or more during the session"
    )
    summary: SummaryOut


def summary_model(summary: SessionSummary) -> SummaryOut:
    exercises = load_content().exercises
    done = []
    for item in summary.done:
        side = "" if item.side is None else f", {item.side.value} side"
        what = counted(item.holds, "set") if item.sets else counted(item.holds, "hold")
        text = f"{exercises[item.exercise_id].name}{side}: {what}"
        done.append(
            DoneOut(exercise_id=item.exercise_id, side=item.side, count=item.holds, text=text)
        )
    n = summary.streak_days
    if n > 1:
        streak = f"{days(n)} in a row with a session. Keep it going."
    elif n == 1:
        streak = "Day 1 of a new streak. Come back tomorrow to make it two."
    else:
        streak = "No hold done yet today, so no streak yet."
    return SummaryOut(
        done=done,
        sharp_pain=sorted(summary.sharp_pain, key=lambda e: e.value),
        pain_before=summary.pain_before,
        pain_after=summary.pain_after,
        streak_days=n,
        streak=streak,
    )


class InterruptedOut(Out):
    """A guided session stopped before its end (a reload, a closed tab, a crash), to
    offer to resume from its first step not logged yet."""

    id: int
    slot: SessionSlot
    name: str
    started_at: Moment
    pain_before: int | None
    resume_at: int = Field(description="The index of the script's first step not logged yet")
    script: ScriptOut


class AbandonedOut(Out):
    session_id: int
    abandoned: Literal[True]


class BreakSharpPainOut(Out):
    """Sharp pain during a movement break: the stretch is paused until checked."""

    exercise_id: ExerciseId
    paused: Literal[True]


def script_model(script: Script) -> ScriptOut:
    return ScriptOut(
        version=SCRIPT_VERSION,
        name=script.name,
        total_seconds=script.total_seconds,
        steps=[
            StepOut(
                kind=s.kind,
                seconds=s.seconds,
                title=s.title,
                cues=[CueOut(at=c.at, text=c.text, shown=c.on_screen) for c in s.cues],
                exercise_id=s.exercise_id,
                side=s.side,
                number=s.number,
                of=s.of,
                reps=s.reps,
                hold_seconds=s.hold_seconds,
                records=s.records,
                up_next=up_next(script, index),
            )
            for index, s in enumerate(script.steps)
        ],
    )


def session_script_model(chosen: GuidedSession) -> SessionScriptOut:
    return SessionScriptOut(slot=chosen.slot, **dict(script_model(chosen.script)))


def break_script_model(chosen: GuidedSession) -> BreakScriptOut:
    return BreakScriptOut(
        **dict(script_model(chosen.script)),
        screening=chosen.screening,
        stop=stop_words(chosen.screening),
    )


def interrupted_model(stopped: Interrupted) -> InterruptedOut:
    log = stopped.log
    assert log.id is not None
    assert log.slot is not None  # only sessions of a slot are offered
    return InterruptedOut(
        id=log.id,
        slot=log.slot,
        name=stopped.script.name,
        started_at=log.started_at,
        pain_before=log.pain_before,
        resume_at=stopped.resume_at,
        script=script_model(stopped.script),
    )


def started_model(log_id: int, chosen: GuidedSession) -> StartedSessionOut:
    return StartedSessionOut(id=log_id, slot=chosen.slot, script=script_model(chosen.script))
