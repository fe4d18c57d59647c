"""Your data as a whole: a snapshot of everything, restoring one, a backup, erasing."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hipflex.domain.errors import BadInput, CannotWrite, HipflexError, StoreCorrupt
from hipflex.errors import storage_fault
from hipflex.files import staged
from hipflex.services.context import AppContext
from hipflex.store.lite import dialect_of
from hipflex.store.records import (
    RecordedBlock,
    RecordedPain,
    RecordedSession,
    SavedPreferences,
    Snapshot,
    StoreNotEmpty,
)

if TYPE_CHECKING:
    from hipflex.store import Store

# The records are the store's; the exporters and importers take them from here.
__all__ = [
    "RecordedBlock",
    "RecordedPain",
    "RecordedSession",
    "SavedPreferences",
    "Snapshot",
    "backup",
    "describe",
    "erase",
    "import_snapshot",
    "snapshot",
    "stored_tables",
]


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
    "break_events": ("{count} movement break", "{count} movement breaks"),
    "photos": ("{count} kept photo", "{count} kept photos"),
    "preferences": ("your preferences", "your preferences"),
}


def snapshot(app: AppContext) -> Snapshot:
    """Everything in the store, as it stood at one moment (links intact)."""
    return app.store.snapshot()


def import_snapshot(app: AppContext, data: Snapshot) -> Snapshot:
    """Restore `data` into an empty store, keeping every time and link (ids may change)."""
    problem = _dangling_link(data) or _in_the_future(data, app.clock.now())
    if problem is not None:
        raise BadInput(problem)
    try:
        app.store.restore(data)  # one transaction: all of it or, on any error, nothing
    except StoreNotEmpty:
        msg = (
            f"you already have hipflex data ({describe(snapshot(app))}); import only restores "
            "into an empty store: keep a copy with `hipflex backup FILE`, then run "
            "`hipflex data erase`"
        )
        raise BadInput(msg) from None
    return snapshot(app)


def erase(app: AppContext) -> Snapshot:
    """Delete everything, stored photos included (the schema stays); returns what was
    there."""
    before = snapshot(app)
    app.store.erase_all()
    return before


def backup(app: AppContext, target: Path) -> int:
    """Copy a SQLite store, consistently while in use, to a new file; returns its size.
    A damaged database is not copied (StoreCorrupt says how to recover); an existing file
    is never overwritten."""
    store = app.store
    dialect = dialect_of(store)
    if dialect != "sqlite":
        msg = (
            f"hipflex backup copies a SQLite database, and yours is {dialect}: "
            "use its own tools (for PostgreSQL, pg_dump) instead"
        )
        raise HipflexError(msg)
    url = app.settings.resolved_database_url()
    problems = store.integrity_problems()
    if problems:
        from hipflex.store.faults import where  # SQLAlchemy's URLs: only when it is damaged

        raise storage_fault(StoreCorrupt, where(url), problems[0])
    try:
        with staged(target, replace=False, label=f"the backup to {target}") as partial:
            store.backup_sqlite(partial)
    except sqlite3.Error as exc:
        msg = f"cannot write the backup to {target}: {exc}"
        raise CannotWrite(msg) from None
    return target.expanduser().stat().st_size


def stored_tables(store: Store) -> list[str]:
    """The tables that hold at least one row."""
    return store.stored_tables()


#: How far ahead of this computer's clock an export's times may be (the clocks of two
#: computers differ a little); anything later is refused, as when logging.
CLOCK_SKEW = timedelta(hours=1)


def _in_the_future(data: Snapshot, now: datetime) -> str | None:
    """The first record dated in the future, in plain words, if any: import takes only
    what logging would have taken."""
    latest = now + CLOCK_SKEW
    moments: list[tuple[str, datetime]] = [
        *((f"assessment {a.id}", a.recorded_at) for a in data.assessments),
        *((f"block {b.block.id}", b.created_at) for b in data.blocks),
        *(
            (f"session {s.log.id}", at)
            for s in data.sessions
            for at in (s.log.started_at, s.log.ended_at, s.recorded_at, *s.entries_recorded_at)
            if at is not None
        ),
        *(("a pain rating", at) for p in data.pain_ratings for at in (p.rating.at, p.recorded_at)),
        *(("a sitting entry", entry.at) for entry in data.sitting),
        *(("a note", note.at) for note in data.notes),
        *(("a cleared exercise", clearance.at) for clearance in data.clearances),
        *(
            ("a movement break", at)
            for event, saved in data.break_events
            for at in (event.at, saved)
        ),
        *((f"photo {photo.id}", photo.recorded_at) for photo in data.photos),
    ]
    if data.preferences is not None:
        moments.append(("your preferences", data.preferences.updated_at))
    for what, at in moments:
        if at > latest:
            return f"{what} is dated {at:%Y-%m-%d %H:%M}, in the future"
    for entry in data.sitting:
        if entry.day > latest.date() + timedelta(days=1):  # the day in the user's zone
            return f"a sitting entry is for {entry.day.isoformat()}, in the future"
    return None


def _dangling_link(data: Snapshot) -> str | None:
    """The first link to a missing record or a repeated id, in plain words, if any."""
    for kind, ids in (
        ("assessment", [a.id for a in data.assessments]),
        ("block", [b.block.id for b in data.blocks]),
        ("session", [s.log.id for s in data.sessions]),
        ("photo", [p.id for p in data.photos]),
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
    for photo in data.photos:
        if photo.assessment_id not in assessment_ids:
            return f"photo {photo.id} belongs to assessment {photo.assessment_id}, which is missing"
    return None
