"""What was logged, as JSON (POST /logs/...): pain, sitting, notes, break outcomes,
sessions done on your own, and an exercise brought back after a clinician's check."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    Note,
    SittingEntry,
    SittingSource,
)
from hipflex.services.pain import LoggedPain
from hipflex.services.presenters.common import Moment, Out
from hipflex.services.session_logs import LoggedSession


class PainLoggedOut(Out):
    score: int
    at: Moment
    # the pain-rise warning, when the rating is 2 points or more above last week's average
    warning: str | None


class SittingLoggedOut(Out):
    hours: float
    date: dt.date
    source: SittingSource


class NoteLoggedOut(Out):
    text: str
    at: Moment


class BreakLoggedOut(Out):
    outcome: BreakOutcome
    at: Moment


class SessionLoggedOut(Out):
    id: int
    slot: SessionSlot
    paused: list[ExerciseId]  # paused by this log's sharp pain, until checked
    warning: str | None  # the pain-rise warning, when pain rose by 2 points or more


class ClearedOut(Out):
    """A paused exercise a clinician has checked: it is back in the plan."""

    exercise_id: ExerciseId
    paused: Literal[False]


def pain_model(logged: LoggedPain) -> PainLoggedOut:
    return PainLoggedOut(score=logged.rating.score, at=logged.rating.at, warning=logged.warning)


def sitting_model(entry: SittingEntry) -> SittingLoggedOut:
    return SittingLoggedOut(hours=entry.hours, date=entry.day, source=entry.source)


def note_model(note: Note) -> NoteLoggedOut:
    return NoteLoggedOut(text=note.text, at=note.at)


def break_model(event: BreakEvent) -> BreakLoggedOut:
    return BreakLoggedOut(outcome=event.outcome, at=event.at)


def logged_session_model(logged: LoggedSession) -> SessionLoggedOut:
    assert logged.log.id is not None  # a saved log
    return SessionLoggedOut(
        id=logged.log.id,
        slot=logged.session.slot,
        paused=sorted(logged.newly_paused),
        warning=logged.warning,
    )


def cleared_model(clearance: Clearance) -> ClearedOut:
    return ClearedOut(exercise_id=clearance.exercise_id, paused=False)
