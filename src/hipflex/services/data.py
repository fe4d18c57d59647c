"""Your data as a whole: a snapshot of everything, restoring one, a backup, erasing."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, selectinload

from hipflex.domain.assessment import RecordedAssessment
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.plan import Block, SessionSlot
from hipflex.domain.preferences import Preferences
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import (
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
)
from hipflex.services.context import AppContext
from hipflex.store import Store
from hipflex.store.models import (
    Base,
    BlockRow,
    ClearanceRow,
    NoteRow,
    PainRatingRow,
    PreferencesRow,
    SessionLogRow,
    SittingLogRow,
)

# A write landing between the snapshot's reads can leave a link dangling; read again.
SNAPSHOT_ATTEMPTS = 3


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
            "preferences": int(self.preferences is not None),
        }

    @property
    def timezone(self) -> str | None:
        """The time zone preference, if one was saved."""
        return None if self.preferences is None else self.preferences.preferences.timezone

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def describe(data: Snapshot) -> str:
    """E.g. "2 assessments, 1 programme block and your preferences"; "nothing" if empty."""
    parts = [
        _RECORD_NAMES[key][count != 1].format(count=count)
        for key, count in data.counts().items()
        if count
    ]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


_RECORD_NAMES = {
    "assessments": ("{count} assessment", "{count} assessments"),
    "blocks": ("{count} programme block", "{count} programme blocks"),
    "sessions": ("{count} session", "{count} sessions"),
    "pain_ratings": ("{count} pain rating", "{count} pain ratings"),
    "sitting": ("{count} sitting entry", "{count} sitting entries"),
    "notes": ("{count} note", "{count} notes"),
    "clearances": ("{count} cleared exercise", "{count} cleared exercises"),
    "preferences": ("your preferences", "your preferences"),
}


def snapshot(app: AppContext) -> Snapshot:
    """Everything in the store, with the links between assessments and blocks intact."""
    store = app.store
    taken = _read(store)
    for _ in range(SNAPSHOT_ATTEMPTS - 1):
        if _dangling_link(taken) is None:
            break
        taken = _read(store)
    return taken


def import_snapshot(app: AppContext, data: Snapshot) -> Snapshot:
    """Restore `data` into an empty store, keeping every time and link (ids may change)."""
    problem = _dangling_link(data)
    if problem is not None:
        raise BadInput(problem)
    store = app.store
    existing = snapshot(app)
    if not existing.empty or stored_tables(store):
        msg = (
            f"you already have hipflex data ({describe(existing)}); import only restores "
            "into an empty store: keep a copy with `hipflex backup FILE`, then run "
            "`hipflex data erase`"
        )
        raise BadInput(msg)
    try:
        _write(store, data)
    except BaseException:
        store.erase_all()  # it was empty: leave nothing half-imported
        raise
    return snapshot(app)


def erase(app: AppContext) -> Snapshot:
    """Delete everything (the schema stays); returns what was there."""
    before = snapshot(app)
    app.store.erase_all()
    return before


def backup(app: AppContext, target: Path) -> int:
    """Copy a SQLite store, consistently while in use, to a new file; returns its size."""
    store = app.store
    if store.engine.dialect.name != "sqlite":
        msg = (
            f"hipflex backup copies a SQLite database, and yours is {store.engine.dialect.name}: "
            "use its own tools (for PostgreSQL, pg_dump) instead"
        )
        raise HipflexError(msg)
    path = target.expanduser()
    if path.exists():
        msg = f"{target} already exists: choose a new file name (a backup never overwrites one)"
        raise HipflexError(msg)
    partial = path.with_name(f".{path.name}.partial")
    try:
        _sqlite_backup(store, partial)
        _link_new(partial, path)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        msg = f"cannot write the backup to {target}: {reason}"
        raise HipflexError(msg) from None
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def stored_tables(store: Store) -> list[str]:
    """The tables that hold at least one row."""
    with _reading(store) as session:
        return [
            table.name
            for table in Base.metadata.sorted_tables
            if session.execute(select(literal(1)).select_from(table).limit(1)).first()
        ]


def _sqlite_backup(store: Store, partial: Path) -> None:
    partial.unlink(missing_ok=True)
    raw = store.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)  # the dialect was checked
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            # A backup is one self-contained file: no write-ahead log beside it.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        raw.close()


def _link_new(source: Path, target: Path) -> None:
    """Give `source` the name `target` unless that exists (no race with another writer)."""
    try:
        os.link(source, target)
    except FileExistsError:
        msg = f"{target} already exists: choose a new file name (a backup never overwrites one)"
        raise HipflexError(msg) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise
        source.replace(target)


# Reading


@contextmanager
def _reading(store: Store) -> Iterator[Session]:
    with Session(store.engine) as session, session.begin():
        yield session


def _read(store: Store) -> Snapshot:
    """The logs in one read transaction, then assessments and preferences via the store."""
    with _reading(store) as session:
        saved = session.scalars(select(PreferencesRow.updated_at)).first()
        blocks = tuple(
            RecordedBlock(Block(r.id, r.started_on, r.assessment_id), r.created_at)
            for r in session.scalars(select(BlockRow).order_by(BlockRow.created_at, BlockRow.id))
        )
        sessions = _sessions(session)
        pain = tuple(
            RecordedPain(PainRating(r.at, r.score), r.created_at)
            for r in session.scalars(
                select(PainRatingRow).order_by(PainRatingRow.at, PainRatingRow.id)
            )
        )
        sitting = tuple(
            SittingEntry(r.day, r.hours, SittingSource(r.source), r.created_at)
            for r in session.scalars(
                select(SittingLogRow).order_by(SittingLogRow.created_at, SittingLogRow.id)
            )
        )
        notes = tuple(
            Note(r.at, r.text)
            for r in session.scalars(select(NoteRow).order_by(NoteRow.at, NoteRow.id))
        )
        clearances = tuple(
            Clearance(ExerciseId(r.exercise_id), r.at)
            for r in session.scalars(
                select(ClearanceRow).order_by(ClearanceRow.at, ClearanceRow.id)
            )
        )
    # Read after the blocks: assessments are only ever added, so every block's is here.
    assessments = tuple(reversed(store.assessments()))
    return Snapshot(
        preferences=None if saved is None else SavedPreferences(store.preferences(), saved),
        assessments=assessments,
        blocks=blocks,
        sessions=sessions,
        pain_ratings=pain,
        sitting=sitting,
        notes=notes,
        clearances=clearances,
    )


def _sessions(session: Session) -> tuple[RecordedSession, ...]:
    query = (
        select(SessionLogRow)
        .options(selectinload(SessionLogRow.entries))
        .order_by(SessionLogRow.started_at, SessionLogRow.id)
    )
    return tuple(
        RecordedSession(
            SessionLog(
                id=row.id,
                started_at=row.started_at,
                ended_at=row.ended_at,
                source=SessionSource(row.source),
                slot=None if row.slot is None else SessionSlot(row.slot),
                pain_before=row.pain_before,
                pain_after=row.pain_after,
                note=row.note,
                entries=tuple(
                    ExerciseEntry(
                        exercise_id=ExerciseId(e.exercise_id),
                        side=None if e.side is None else Side(e.side),
                        set_number=e.set_number,
                        hold_seconds=e.hold_seconds,
                        reps=e.reps,
                        skipped=e.skipped,
                        sharp_pain=e.sharp_pain,
                    )
                    for e in row.entries
                ),
            ),
            row.created_at,
            tuple(e.logged_at for e in row.entries),
        )
        for row in session.scalars(query)
    )


def _dangling_link(data: Snapshot) -> str | None:
    """The first link to a missing record or a repeated id, in plain words, if any."""
    for kind, ids in (
        ("assessment", [a.id for a in data.assessments]),
        ("block", [b.block.id for b in data.blocks]),
        ("session", [s.log.id for s in data.sessions]),
    ):
        if len(set(ids)) != len(ids):
            return f"two {kind}s have the same id"
    assessment_ids = {a.id for a in data.assessments}
    block_ids = {b.block.id for b in data.blocks}
    for recorded in data.blocks:
        if recorded.block.assessment_id not in assessment_ids:
            block = recorded.block
            return f"block {block.id} refers to assessment {block.assessment_id}, which is missing"
    for assessment in data.assessments:
        if assessment.block_id is not None and assessment.block_id not in block_ids:
            return (
                f"assessment {assessment.id} belongs to block {assessment.block_id}, "
                "which is missing"
            )
    return None


# Writing


def _write(store: Store, data: Snapshot) -> None:
    """Records with ids go in id order, so the new ids sort as the old ones did."""
    if data.preferences is not None:
        store.save_preferences(data.preferences.preferences, at=data.preferences.updated_at)
    _write_assessments_and_blocks(store, data)
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


def _write_assessments_and_blocks(store: Store, data: Snapshot) -> None:
    """A block needs its assessment first, a re-test its block: merge the two in id order.

    Data that hipflex wrote always merges (ids grow with time); only a cycle cannot.
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
            )
            new_block[recorded.block.id] = block.id
        else:
            msg = "the assessments and programme blocks refer to each other in a circle"
            raise BadInput(msg)


def _write_session(store: Store, recorded: RecordedSession) -> None:
    log = recorded.log
    if all(at == recorded.recorded_at for at in recorded.entries_recorded_at):
        store.add_session_log(log, at=recorded.recorded_at)
        return
    # Entries saved hold by hold (a guided session) keep their own times.
    stored = store.add_session_log(replace(log, entries=()), at=recorded.recorded_at)
    assert stored.id is not None  # the store always returns the new id
    for entry, at in zip(log.entries, recorded.entries_recorded_at, strict=True):
        store.add_exercise_entry(stored.id, entry, at=at)
