"""Pain-rise warnings where the user meets them (the rules are hipflex.domain.progression's
and hipflex.domain.safety's): the current week's plan eases off from the next session, a
daily rating says its warning, and the warnings logged since the safety questions were
last answered ask them again (PROTOCOL.md section 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from hipflex.domain.plan import Block
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import (
    PainRise,
    ProgressionState,
    WeekDecision,
    WeekSummary,
    day_rise,
    ease_off,
    replay,
    rise_warning,
    session_rise,
)
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import PainRating
from hipflex.services.context import AppContext
from hipflex.services.timezones import zone_for
from hipflex.services.tracking import log_pain, logged_week


@dataclass(frozen=True)
class LoggedPain:
    rating: PainRating
    warning: str | None  # a day's rating 2 points or more above the previous week's mean


def rating_rises(app: AppContext, ratings: Sequence[PainRating]) -> list[PainRise | None]:
    """For each rating, its rise 2 points or more above the mean of the block week before
    its own; None otherwise, in the block's first week, or outside the newest block. Each
    previous week's logs are read once."""
    block = app.store.latest_block()
    if block is None or not ratings:
        return [None] * len(ratings)
    preferences = app.store.preferences()
    zone = zone_for(preferences.timezone)
    means: dict[int, float | None] = {}
    rises: list[PainRise | None] = []
    for rating in ratings:
        day = rating.at.astimezone(zone).date()
        week = block.week_on(day)
        if day < block.started_on or week < 2:
            rises.append(None)
            continue
        if week not in means:
            # only its mean pain is read: the sessions planned do not matter here
            means[week] = logged_week(app, block, week - 1, preferences, planned=0).mean_pain
        rises.append(day_rise(rating.score, means[week]))
    return rises


def log_pain_rating(app: AppContext, score: int, when: datetime | None = None) -> LoggedPain:
    """A daily pain rating, with the warning to show when it rose by 2 points or more over
    the previous week's mean (the plan eases off and the safety questions come again)."""
    rating = log_pain(app, score, when)
    (rise,) = rating_rises(app, [rating])
    return LoggedPain(rating, None if rise is None else rise_warning(rise))


def warnings_logged_since(app: AppContext, since: datetime) -> list[datetime]:
    """When each warning logged after `since` was logged: sharp pain, a session whose pain
    rose by 2 points or more, a daily rating 2 points or more above the previous week's
    mean. (A weekly mean's rise is known only at the week's end; with daily ratings it
    always comes with a day's rise.)"""
    found = app.store.sharp_pain_logged_since(since)
    found += [
        at
        for log, at in app.store.session_logs_logged_since(since)
        if session_rise(log.pain_before, log.pain_after) is not None
    ]
    ratings = app.store.pain_ratings_logged_since(since)
    rises = rating_rises(app, [rating for rating, _ in ratings])
    found += [at for (_, at), rise in zip(ratings, rises, strict=True) if rise is not None]
    return sorted(found)


def replay_easing_off(
    app: AppContext,
    block: Block,
    preferences: Preferences,
    *,
    current: int,
    planned: int,
    history: Sequence[WeekSummary],
    assumed: Sequence[WeekSummary],
    couch_indicated: bool,
    cleared: Sequence[frozenset[ExerciseId]],
) -> tuple[ProgressionState, list[WeekDecision], WeekDecision | None]:
    """The progression replayed up to the week shown, as `replay` does, with the current
    week's pain-rise warnings applied at once (PROTOCOL.md section 4: they regress the plan
    from the next session). Returns the state, the decisions, and the easing of the
    current week when it is the one shown (None otherwise, or without a warning).

    `history` holds the logged weeks before the one shown and `assumed` the weeks taken to
    go to plan between them and it. Shown the current week, its state eases off now; shown
    a week ahead, the current week counts as ending regressed, not as going to plan. The
    week's own decision, at its end, is that same regression (domain.progression.ease_off).
    """
    so_far = None
    if len(history) == current - 1 and current <= preferences.block_weeks:
        so_far = logged_week(app, block, current, preferences, planned=planned)
    previous = history[-1] if history else None
    warned = so_far is not None and ease_off(ProgressionState(), so_far, previous) is not None
    weeks = [*history, *assumed]
    if warned and assumed:
        assert so_far is not None
        planned = assumed[0].sessions_planned
        weeks[len(history)] = replace(so_far, sessions_planned=planned, sessions_done=planned)
    state, decisions = replay(
        weeks, couch_indicated=couch_indicated, cleared=cleared, start=block.start
    )
    if not warned or assumed:
        return state, decisions, None
    assert so_far is not None
    eased = ease_off(state, so_far, previous)
    assert eased is not None
    return eased.state, decisions, eased
