"""The safety gate as the shells ask it: where the user stands now, and the movement
break that fits (the rule itself is hipflex.domain.safety)."""

from __future__ import annotations

from hipflex.content import load_content
from hipflex.domain.protocol import ExerciseId, RedFlag, RedFlagAdvice
from hipflex.domain.safety import (
    BreakPrompt,
    Screening,
    break_prompt,
    screening,
    stop_words,
    warned_after,
)
from hipflex.services.context import AppContext

#: The stretch of a movement break (PROTOCOL.md 3.1: it suits a desk).
BREAK_STRETCH = ExerciseId.STANDING_QUAD_HIP_FLEXOR


def current_screening(app: AppContext) -> Screening:
    """Screened and clear, a red flag standing, never screened, or due again: the newest
    answers (a full assessment or a safety check), and the pain-rise warnings and sharp
    pain logged since them."""
    latest = app.store.latest_assessment()
    if latest is None or not latest.assessment.safe_to_exercise:
        return screening(None if latest is None else latest.assessment)
    from hipflex.services.pain import warnings_logged_since

    warnings = warnings_logged_since(app, latest.recorded_at)
    return screening(latest.assessment, warned_since=warned_after(latest.recorded_at, warnings))


def red_flag_advice(app: AppContext) -> RedFlagAdvice | None:
    """What the user should do about the red flags of their newest answers (the most
    urgent flag's advice), or None when no red flag stands."""
    latest = app.store.latest_assessment()
    if latest is None or not latest.assessment.red_flags:
        return None
    return load_content().red_flag_advice_for(latest.assessment.red_flags)


def recheck_due(app: AppContext) -> bool:
    """The safety questions must be answered again before any exercise."""
    return current_screening(app) is Screening.RECHECK


def current_red_flags(app: AppContext) -> frozenset[RedFlag]:
    """The warning signs in the newest answers to the safety questions."""
    latest = app.store.latest_assessment()
    return frozenset() if latest is None else latest.assessment.red_flags


def stop_notice(
    app: AppContext, *, how_to_screen: str, how_to_recheck: str | None = None
) -> str | None:
    """Why no exercise is offered now, in words a shell shows instead of doses (with its
    own way to answer the safety questions, first or again), or None when the user may
    exercise."""
    state = current_screening(app)
    words = stop_words(state)
    if words is not None and state is Screening.UNSCREENED:
        return f"{words} {how_to_screen}"
    if words is not None and state is Screening.RECHECK:
        return f"{words} {how_to_recheck or how_to_screen}"
    return words


def paused_if_clear(app: AppContext, state: Screening) -> frozenset[ExerciseId]:
    """Exercises paused after sharp pain (only matters when exercises are offered)."""
    if not state.may_exercise:
        return frozenset()
    from hipflex.services.tracking import paused_exercises

    return paused_exercises(app)


def reminder_prompt(
    app: AppContext,
    sitting_minutes: int,
    *,
    how_to_screen: str,
    how_to_recheck: str | None = None,
    can_snooze: bool = True,
) -> BreakPrompt:
    """What a movement-break reminder says to this user now."""
    state = current_screening(app)
    return break_prompt(
        state,
        sitting_minutes,
        paused=paused_if_clear(app, state),
        stretch_name=load_content().exercise(BREAK_STRETCH).name,
        how_to_screen=how_to_screen,
        how_to_recheck=how_to_recheck,
        can_snooze=can_snooze,
    )
