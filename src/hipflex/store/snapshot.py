"""Everything in the store, read in one transaction and written back in one, with the ORM
(the records themselves are hipflex.store.records, imported here as before)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, selectinload

from hipflex.domain.errors import BadInput
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
from hipflex.store.records import (
    RecordedBlock,
    RecordedPain,
    RecordedSession,
    SavedPreferences,
    Snapshot,
    StoreNotEmpty,
    snapshot_from_rows,
)

if TYPE_CHECKING:
    from hipflex.store.repository import Store

__all__ = [
    "RecordedBlock",
    "RecordedPain",
    "RecordedSession",
    "SavedPreferences",
    "Snapshot",
    "StoreNotEmpty",
    "read_snapshot",
    "tables_with_rows",
    "write_snapshot",
]


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
    return snapshot_from_rows(
        preferences=session.scalars(select(PreferencesRow)).first(),
        assessments=session.scalars(assessments),
        blocks=session.scalars(blocks),
        sessions=session_log_rows(session),
        pain_ratings=session.scalars(pain),
        sitting=session.scalars(sitting),
        notes=session.scalars(notes),
        clearances=session.scalars(clearances),
        break_events=session.scalars(breaks),
        photos=session.scalars(photos),
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
