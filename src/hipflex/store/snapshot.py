"""Everything in the store as plain data, read in one transaction and written back in one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, selectinload

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
from hipflex.store.logs import session_log_rows
from hipflex.store.models import (
    AssessmentRow,
    BlockRow,
    BreakEventRow,
    ClearanceRow,
    NoteRow,
    PainRatingRow,
    PhotoRow,
    PreferencesRow,
    SittingLogRow,
)
from hipflex.store.owners import owned_tables, owner_clause

if TYPE_CHECKING:
    from hipflex.store.repository import Store


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


def tables_with_rows(session: Session, owner: int | None) -> list[str]:
    """The tables that hold at least one row of the owner's data."""
    return [
        table.name
        for table in owned_tables()
        if session.execute(
            select(literal(1)).select_from(table).where(owner_clause(table, owner)).limit(1)
        ).first()
    ]


# Reading


def read_snapshot(session: Session) -> Snapshot:
    """Everything the session's transaction sees, with the times each record was saved."""
    saved = session.scalars(select(PreferencesRow)).first()
    assessments = (
        select(AssessmentRow)
        .options(selectinload(AssessmentRow.sides))
        .order_by(AssessmentRow.recorded_at, AssessmentRow.id)
    )
    blocks = select(BlockRow).order_by(BlockRow.created_at, BlockRow.id)
    pain = select(PainRatingRow).order_by(PainRatingRow.at, PainRatingRow.id)
    sitting = select(SittingLogRow).order_by(SittingLogRow.created_at, SittingLogRow.id)
    notes = select(NoteRow).order_by(NoteRow.at, NoteRow.id)
    clearances = select(ClearanceRow).order_by(ClearanceRow.at, ClearanceRow.id)
    breaks = select(BreakEventRow).order_by(BreakEventRow.at, BreakEventRow.id)
    photos = select(PhotoRow).order_by(PhotoRow.recorded_at, PhotoRow.id)
    return Snapshot(
        preferences=None
        if saved is None
        else SavedPreferences(rows.preferences(saved), saved.updated_at),
        assessments=tuple(rows.recorded_assessment(r) for r in session.scalars(assessments)),
        blocks=tuple(RecordedBlock(rows.block(r), r.created_at) for r in session.scalars(blocks)),
        sessions=tuple(
            RecordedSession(
                rows.session_log(r), r.created_at, tuple(e.logged_at for e in r.entries)
            )
            for r in session_log_rows(session)
        ),
        pain_ratings=tuple(
            RecordedPain(rows.pain_rating(r), r.created_at) for r in session.scalars(pain)
        ),
        sitting=tuple(rows.sitting_entry(r) for r in session.scalars(sitting)),
        notes=tuple(rows.note(r) for r in session.scalars(notes)),
        clearances=tuple(rows.clearance(r) for r in session.scalars(clearances)),
        break_events=tuple((rows.break_event(r), r.created_at) for r in session.scalars(breaks)),
        photos=tuple(rows.recorded_photo(r) for r in session.scalars(photos)),
    )


# Writing


def write_snapshot(store: Store, data: Snapshot) -> None:
    """Write `data` through the store's own writes, inside the caller's write transaction.

    Records with ids go in id order, so the new ids sort as the old ones did.
    """
    if data.preferences is not None:
        store.save_preferences(data.preferences.preferences, at=data.preferences.updated_at)
    new_assessment = _write_assessments_and_blocks(store, data)
    for recorded in sorted(data.sessions, key=lambda s: s.log.id or 0):
        _write_session(store, recorded)
    for pain in data.pain_ratings:
        store.add_pain_rating(pain.rating, at=pain.recorded_at)
    for entry in data.sitting:
        store.add_sitting(entry)
    for note in data.notes:
        store.add_note(note)
    for clearance in data.clearances:
        store.add_clearance(clearance)
    for event, saved in data.break_events:
        store.add_break_event(event, at=saved)
    for photo in sorted(data.photos, key=lambda p: p.id):
        store.add_photo(
            assessment_id=new_assessment[photo.assessment_id],
            test=photo.test,
            sides=photo.sides,
            image=photo.image,
            at=photo.recorded_at,
        )


def _write_assessments_and_blocks(store: Store, data: Snapshot) -> dict[int, int]:
    """A block needs its assessment first, a re-test its block: merge the two in id order.

    Data that hipflex wrote always merges (ids grow with time); only a cycle cannot.
    Returns each assessment's new id by its old one.
    """
    assessments = sorted(data.assessments, key=lambda a: a.id)
    blocks = sorted(data.blocks, key=lambda b: b.block.id)
    new_assessment: dict[int, int] = {}
    new_block: dict[int, int] = {}
    while assessments or blocks:
        if assessments and (
            assessments[0].block_id is None or assessments[0].block_id in new_block
        ):
            old = assessments.pop(0)
            stored = store.add_assessment(
                old.assessment,
                at=old.recorded_at,
                kind=old.kind,
                block_id=None if old.block_id is None else new_block[old.block_id],
                block_week=old.block_week,
            )
            new_assessment[old.id] = stored.id
        elif blocks and blocks[0].block.assessment_id in new_assessment:
            recorded = blocks.pop(0)
            block = store.start_block(
                assessment_id=new_assessment[recorded.block.assessment_id],
                started_on=recorded.block.started_on,
                at=recorded.created_at,
                phase=recorded.block.phase,
                start=recorded.block.start,
            )
            new_block[recorded.block.id] = block.id
        else:
            msg = "the assessments and programme blocks refer to each other in a circle"
            raise BadInput(msg)
    return new_assessment


def _write_session(store: Store, recorded: RecordedSession) -> None:
    # Entries saved hold by hold (a guided session) keep their own times.
    store.add_session_log(
        recorded.log, at=recorded.recorded_at, entries_at=recorded.entries_recorded_at
    )
