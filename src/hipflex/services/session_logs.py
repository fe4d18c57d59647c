"""Logging a planned session done without the guided player."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Programme, SessionPlan, SessionSlot
from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import SessionLog, entries_as_prescribed
from hipflex.services.context import AppContext
from hipflex.services.programme import plan_week
from hipflex.services.tracking import log_session, session_shell
from hipflex.services.words import stop_reason


@dataclass(frozen=True)
class LoggedSession:
    log: SessionLog
    session: SessionPlan
    newly_paused: frozenset[ExerciseId]

    @property
    def warning(self) -> str | None:
        """The pain-rise warning for this session, if its pain rose by 2 points or more."""
        return pain_rise_warning(self.log.pain_before, self.log.pain_after)


def planned_session(
    app: AppContext, slot: SessionSlot | None, naming: Collection[ExerciseId] = ()
) -> SessionPlan:
    """This week's session in `slot`; without one, the first session that holds every
    exercise named (the first of the day when none is named)."""
    view = plan_week(app, gated=False)  # a session already done may be logged while the
    # safety questions are due again: it offers no exercise
    if not isinstance(view.result, Programme):
        msg = f"there is no programme to log against: {stop_reason(view.result)}"
        raise BadInput(msg)
    sessions = view.result.sessions
    if slot is None:
        wanted = set(naming)
        holding = [s for s in sessions if wanted <= set(s.exercise_ids)]
        return holding[0] if holding else sessions[0]
    for session in sessions:
        if session.slot is slot:
            return session
    choices = ", ".join(s.slot.value for s in sessions)
    msg = f"there is no {slot.value} session in your plan (yours: {choices})"
    raise BadInput(msg)


def log_planned_session(
    app: AppContext,
    *,
    slot: SessionSlot | None,
    skipped: Collection[ExerciseId] = (),
    sharp_pain: Collection[ExerciseId] = (),
    pain_before: int | None = None,
    pain_after: int | None = None,
    when: datetime | None = None,
    note: str | None = None,
) -> LoggedSession:
    """Record a planned session as done as prescribed, apart from what was skipped."""
    # Every value first: reading the plan may start the block, a write a refusal must not
    # leave behind.
    session_shell(app, pain_before=pain_before, pain_after=pain_after, started_at=when, note=note)
    session = planned_session(app, slot, {*skipped, *sharp_pain})
    planned = set(session.exercise_ids)
    for exercise_id in {*skipped, *sharp_pain} - planned:
        msg = f"{exercise_id.value} is not in your {session.slot.value} session"
        raise BadInput(msg)
    entries = tuple(
        entry
        for prescription in session.prescriptions
        for entry in entries_as_prescribed(
            prescription,
            skipped=prescription.exercise_id in skipped,
            sharp_pain=prescription.exercise_id in sharp_pain,
        )
    )
    log = log_session(
        app,
        entries,
        pain_before=pain_before,
        pain_after=pain_after,
        started_at=when,
        slot=session.slot,
        note=note,
    )
    return LoggedSession(log, session, frozenset(sharp_pain))
