"""Everything in the store as plain data (a snapshot), and the one place its rows become
these records, for both readers: the Store's (hipflex.store.snapshot, SQLAlchemy) and the
lean one's (hipflex.store.lite, sqlite3). No SQLAlchemy here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hipflex.domain.assessment import RecordedAssessment
from hipflex.domain.errors import BadInput
from hipflex.domain.photos import RecordedPhoto
from hipflex.domain.plan import Block
from hipflex.domain.preferences import Preferences
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    Note,
    PainRating,
    SessionLog,
    SittingEntry,
)
from hipflex.store import rows


@dataclass(frozen=True)
class SavedPreferences:
    preferences: Preferences
    updated_at: datetime


@dataclass(frozen=True)
class RecordedBlock:
    block: Block
    created_at: datetime


@dataclass(frozen=True)
class RecordedSession:
    """A session log, when it was saved, and when each of its entries was saved."""

    log: SessionLog
    recorded_at: datetime
    entries_recorded_at: tuple[datetime, ...]

    def __post_init__(self) -> None:
        if len(self.entries_recorded_at) != len(self.log.entries):
            msg = "a session needs one saving time per exercise entry"
            raise BadInput(msg)


@dataclass(frozen=True)
class RecordedPain:
    rating: PainRating
    recorded_at: datetime


@dataclass(frozen=True)
class Snapshot:
    """Everything in the store, oldest first in each list; ids are the store's own."""

    preferences: SavedPreferences | None = None  # None: never saved (the defaults apply)
    assessments: tuple[RecordedAssessment, ...] = ()
    blocks: tuple[RecordedBlock, ...] = ()
    sessions: tuple[RecordedSession, ...] = ()
    pain_ratings: tuple[RecordedPain, ...] = ()
    sitting: tuple[SittingEntry, ...] = ()
    notes: tuple[Note, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    break_events: tuple[tuple[BreakEvent, datetime], ...] = ()  # with when each was saved
    photos: tuple[RecordedPhoto, ...] = ()  # kept only when the user asked

    def counts(self) -> dict[str, int]:
        """How many records of each kind (keys as in the JSON export)."""
        return {
            "assessments": len(self.assessments),
            "blocks": len(self.blocks),
            "sessions": len(self.sessions),
            "pain_ratings": len(self.pain_ratings),
            "sitting": len(self.sitting),
            "notes": len(self.notes),
            "clearances": len(self.clearances),
            "break_events": len(self.break_events),
            "photos": len(self.photos),
            "preferences": int(self.preferences is not None),
        }

    @property
    def timezone(self) -> str | None:
        """The time zone preference, if one was saved."""
        return None if self.preferences is None else self.preferences.preferences.timezone

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


class StoreNotEmpty(Exception):  # noqa: N818 - reads as a state, like the domain's errors
    """A snapshot is only restored into a store with no rows in any table."""


def snapshot_from_rows(
    *,
    preferences: Any | None,
    assessments: Iterable[Any],
    blocks: Iterable[Any],
    sessions: Iterable[Any],
    pain_ratings: Iterable[Any],
    sitting: Iterable[Any],
    notes: Iterable[Any],
    clearances: Iterable[Any],
    break_events: Iterable[Any],
    photos: Iterable[Any],
) -> Snapshot:
    """A snapshot of rows read in one transaction, each list in the snapshot's order
    (assessments with their `sides`, sessions with their `entries`): the models' rows or
    any objects with their attribute names."""
    return Snapshot(
        preferences=None
        if preferences is None
        else SavedPreferences(rows.preferences(preferences), preferences.updated_at),
        assessments=tuple(rows.recorded_assessment(r) for r in assessments),
        blocks=tuple(RecordedBlock(rows.block(r), r.created_at) for r in blocks),
        sessions=tuple(
            RecordedSession(
                rows.session_log(r), r.created_at, tuple(e.logged_at for e in r.entries)
            )
            for r in sessions
        ),
        pain_ratings=tuple(RecordedPain(rows.pain_rating(r), r.created_at) for r in pain_ratings),
        sitting=tuple(rows.sitting_entry(r) for r in sitting),
        notes=tuple(rows.note(r) for r in notes),
        clearances=tuple(rows.clearance(r) for r in clearances),
        break_events=tuple((rows.break_event(r), r.created_at) for r in break_events),
        photos=tuple(rows.recorded_photo(r) for r in photos),
    )
