"""The safety gate: one rule, asked by every path that offers movement (PROTOCOL.md 2.5
and section 4: "safety overrides everything").

Four states. Screened and clear: the plan, sessions and the full movement break. A red
flag: nothing is prescribed; a movement break only says stand up and walk a little if it
is comfortable, and repeats the advice to see a clinician. Never screened (no answers to
the safety questions yet): the same as a red flag for exercises, plus "answer the safety
questions first". Due again (a pain rise of 2 points or more, or sharp pain, logged after
the newest answers; PROTOCOL.md section 4: the warning "asks the red-flag questions
again"): the same as never screened until they are answered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hipflex.domain.assessment import Assessment
from hipflex.domain.breaks import SNOOZE_MINUTES, BreakOutcome
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.schedule import BreakActivity, BreakStep, routine_without
from hipflex.domain.script import Script, compile_break


class Screening(StrEnum):
    CLEAR = "clear"  # the safety questions answered, no warning sign
    RED_FLAG = "red_flag"  # a warning sign stands: see a clinician, nothing is prescribed
    UNSCREENED = "unscreened"  # the safety questions were never answered
    RECHECK = "recheck"  # a warning (pain rise, sharp pain) since the answers: ask again

    @property
    def may_exercise(self) -> bool:
        """Stretches, squeezes and strengthening only when screened and clear."""
        return self is Screening.CLEAR

    @property
    def asks_questions(self) -> bool:
        """What unlocks exercise is answering the safety questions (first, or again)."""
        return self in (Screening.UNSCREENED, Screening.RECHECK)


def screening(latest: Assessment | None, *, warned_since: bool = False) -> Screening:
    """The newest answers decide: a red flag in them stops everything, whatever came
    before; no answers at all means not screened; a pain-rise warning or sharp pain logged
    after them (`warned_since`, see warned_after) means they are due again."""
    if latest is None:
        return Screening.UNSCREENED
    if not latest.safe_to_exercise:
        return Screening.RED_FLAG
    return Screening.RECHECK if warned_since else Screening.CLEAR


def warned_after(answered_at: datetime, warnings: Iterable[datetime]) -> bool:
    """Whether a warning was logged after the newest answers (answers given at the same
    instant cover it): a pain rise of 2 points or more or sharp pain asks the safety
    questions again (PROTOCOL.md section 4)."""
    return any(at > answered_at for at in warnings)


#: The whole of a movement break for someone who should not exercise: a walk, if it is
#: comfortable (about as long as the full routine).
WALK_ONLY = (BreakStep(BreakActivity.WALK, 120, if_comfortable=True),)

#: What a stopped user is told wherever movement would be offered (hipflex's own words;
#: the full red-flag advice is content, shown where there is room for it).
STOP_WORDS = {
    Screening.RED_FLAG: (
        "Please have your back checked by a doctor or physiotherapist before you do any "
        "stretches or exercises."
    ),
    Screening.UNSCREENED: (
        "hipflex suggests stretches and exercises only once you have answered its safety questions."
    ),
    Screening.RECHECK: (
        "Your pain rose by 2 points or more, or an exercise gave you sharp pain, since you "
        "last answered hipflex's safety questions: please answer them again before any more "
        "stretches or exercises."
    ),
}


#: The movement a break offers to someone who may not exercise (or whose answers cannot be
#: read just now).
WALK_WORDS = "Stand up and walk a little, if it is comfortable."


def stop_words(state: Screening) -> str | None:
    """Why no exercise is offered, or None when the user may exercise."""
    return STOP_WORDS.get(state)


def break_routine(
    state: Screening, paused: frozenset[ExerciseId] = frozenset()
) -> tuple[BreakStep, ...]:
    """The movement break for this user: the full desk routine (minus a stretch paused
    after sharp pain) only when screened and clear, else a walk if it is comfortable."""
    return routine_without(paused) if state.may_exercise else WALK_ONLY


def break_script(
    state: Screening,
    paused: frozenset[ExerciseId],
    *,
    stretch_name: str,
    tilt_cue: str | None,
) -> Script:
    """The movement break as a script for the players."""
    closing = stop_words(state) or "Back to work. Well done."
    opening = "Stand up, if it is comfortable." if not state.may_exercise else "Stand up."
    return compile_break(
        break_routine(state, paused),
        stretch_name=stretch_name,
        tilt_cue=tilt_cue,
        opening=opening,
        closing=closing,
    )


class BreakAction(StrEnum):
    """The answers a break reminder offers (ids shared by the notifiers and the daemon)."""

    START = "start"  # open the guided break routine
    DONE = "done"  # stood up and walked (no routine to open)
    SNOOZE = "snooze"
    SKIP = "skip"

    @property
    def outcome(self) -> BreakOutcome:
        """What the answer records: starting the routine counts as a break done."""
        if self is BreakAction.SNOOZE:
            return BreakOutcome.SNOOZED
        return BreakOutcome.SKIPPED if self is BreakAction.SKIP else BreakOutcome.DONE

    @property
    def opens_routine(self) -> bool:
        return self is BreakAction.START


ACTION_LABELS = {
    BreakAction.START: "Start the break routine",
    BreakAction.DONE: "Done: I stood up",
    BreakAction.SNOOZE: f"Snooze {SNOOZE_MINUTES:g} min",
    BreakAction.SKIP: "Skip",
}


@dataclass(frozen=True)
class BreakPrompt:
    """A break reminder's words and answers."""

    screening: Screening
    title: str
    body: str
    actions: tuple[BreakAction, ...]

    def labelled(self) -> tuple[tuple[str, str], ...]:
        """(action id, label) pairs, as notifiers show them."""
        return tuple((action.value, ACTION_LABELS[action]) for action in self.actions)


REMINDER_TITLE = "Time to move"


def unchecked_prompt(*, can_snooze: bool = True) -> BreakPrompt:
    """The reminder when the user's answers cannot be read just now (the reminder could not
    ask hipflex): a walk if it is comfortable, never a stretch (PROTOCOL.md 4)."""
    snooze = (BreakAction.SNOOZE,) if can_snooze else ()
    return BreakPrompt(
        Screening.UNSCREENED,
        REMINDER_TITLE,
        f"You have been sitting for a while. {WALK_WORDS}",
        (BreakAction.DONE, *snooze, BreakAction.SKIP),
    )


def break_prompt(
    state: Screening,
    sitting_minutes: int,
    *,
    paused: frozenset[ExerciseId] = frozenset(),
    stretch_name: str,
    how_to_screen: str,
    how_to_recheck: str | None = None,
    can_snooze: bool = True,
) -> BreakPrompt:
    """What a reminder says after `sitting_minutes` of sitting; `how_to_screen` is the
    shell's way to answer the safety questions (a command, a page), `how_to_recheck` its
    way to answer them again (the same by default)."""
    sat = f"You have been sitting for {sitting_minutes} minutes."
    snooze = (BreakAction.SNOOZE,) if can_snooze else ()
    if not state.may_exercise:
        words = stop_words(state)
        if state is Screening.UNSCREENED:
            words = f"{words} {how_to_screen}"
        elif state is Screening.RECHECK:
            words = f"{words} {how_to_recheck or how_to_screen}"
        return BreakPrompt(
            state,
            REMINDER_TITLE,
            f"{sat} {WALK_WORDS} {words}",
            (BreakAction.DONE, *snooze, BreakAction.SKIP),
        )
    routine = break_routine(state, paused)
    stretch = next((s for s in routine if s.exercise_id is not None), None)
    if stretch is None:
        move = "Stand up and walk a little."
    else:
        each = " on each side" if stretch.per_side else ""
        name = stretch.title(stretch_name)
        move = (
            f"Stand up, walk a little, and do the {name[:1].lower()}{name[1:]} for "
            f"{stretch.seconds} seconds{each}."
        )
    return BreakPrompt(
        state, REMINDER_TITLE, f"{sat} {move}", (BreakAction.START, *snooze, BreakAction.SKIP)
    )
