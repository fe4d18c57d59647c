"""The log tables: sessions and their exercises, pain, sitting, notes, clearances."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from hipflex.domain.errors import NotFound
from hipflex.domain.inputs import id_in_range
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SittingEntry,
)
from hipflex.store import rows
from hipflex.store.models import (
    BreakEventRow,
    ClearanceRow,
    ExerciseLogRow,
    NoteRow,
    PainRatingRow,
    SessionLogRow,
    SittingLogRow,
)


def _session_log_row(
    session: Session, session_id: int, *, for_update: bool = False
) -> SessionLogRow:
    """The session's row; an id out of range names no row (asking the database for one
    is an error). `for_update` locks it until the write ends (PostgreSQL; SQLite's write
    transaction is one at a time already)."""
    row = (
        session.get(SessionLogRow, session_id, with_for_update=for_update)
        if id_in_range(session_id)
        else None
    )
    if row is None:
        msg = f"there is no session {session_id}"
        raise NotFound(msg)
    return row


def session_log_rows(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> Sequence[SessionLogRow]:
    """Session logs with their entries, oldest first, started in [since, until)."""
    query = (
        select(SessionLogRow)
        .options(selectinload(SessionLogRow.entries))
        .order_by(SessionLogRow.started_at, SessionLogRow.id)
    )
    if since is not None:
        query = query.where(SessionLogRow.started_at >= since)
    if until is not None:
        query = query.where(SessionLogRow.started_at < until)
    return session.scalars(query).all()


class LogStore:
    """Append-only logs: an entry is never silently overwritten by another."""

    def _writing(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    # Sessions

    def add_session_log(
        self, log: SessionLog, *, at: datetime, entries_at: Sequence[datetime] | None = None
    ) -> SessionLog:
        """A whole session at once (typed in afterwards, or restored: then each entry may
        keep the time it was saved, `entries_at`)."""
        values, entries = rows.session_log_values(log, at=at, entries_at=entries_at)
        row = SessionLogRow(**values, entries=[ExerciseLogRow(**entry) for entry in entries])
        with self._writing() as session:
            session.add(row)
            session.flush()
            log_id = row.id
        return replace(log, id=log_id)

    def add_exercise_entry(self, session_id: int, entry: ExerciseEntry, *, at: datetime) -> bool:
        """One completed hold or set, committed at once (a crash loses at most the next),
        while the session is open; a retry of an entry already there lands once. Whether
        it was added now."""
        with self._writing() as session:
            found = _session_log_row(session, session_id, for_update=True)
            if not rows.session_log(found).admits(entry):
                return False
            row = rows.entry_row(entry, at)
            row.session_id = session_id
            session.add(row)
            return True

    def finish_session_log(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        pain_after: int | None,
        note: str | None = None,
    ) -> SessionLog:
        """Close a session, once (a retry of the same finish changes nothing); the log as
        it now stands."""
        with self._writing() as session:
            row = _session_log_row(session, session_id, for_update=True)
            if not rows.session_log(row).finishes(pain_after, note):
                return rows.session_log(row)
            row.ended_at = ended_at
            row.pain_after = pain_after
            if note:
                row.note = note
            session.flush()
            return rows.session_log(row)

    def session_log(self, session_id: int) -> SessionLog:
        """One session's log with its entries (NotFound for an id that names none)."""
        with self._reading() as session:
            return rows.session_log(_session_log_row(session, session_id))

    def session_logs(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionLog]:
        """Oldest first, started in [since, until)."""
        with self._reading() as session:
            found = session_log_rows(session, since=since, until=until)
            return [rows.session_log(row) for row in found]

    def sharp_pain_reports(self) -> list[tuple[ExerciseId, datetime]]:
        """(exercise, session start) of every sharp-pain entry, oldest first."""
        query = (
            select(ExerciseLogRow.exercise_id, SessionLogRow.started_at)
            .join(SessionLogRow, ExerciseLogRow.session_id == SessionLogRow.id)
            .where(ExerciseLogRow.sharp_pain.is_(True))
            .order_by(SessionLogRow.started_at)
        )
        with self._reading() as session:
            return [(ExerciseId(e), at) for e, at in session.execute(query)]

    def sharp_pain_logged_since(self, since: datetime) -> list[datetime]:
        """When each sharp-pain entry logged after `since` was logged, oldest first."""
        query = (
            select(ExerciseLogRow.logged_at)
            .where(ExerciseLogRow.sharp_pain.is_(True), ExerciseLogRow.logged_at > since)
            .order_by(ExerciseLogRow.logged_at)
        )
        with self._reading() as session:
            return list(session.scalars(query))

    def session_logs_logged_since(self, since: datetime) -> list[tuple[SessionLog, datetime]]:
        """Sessions typed in, or closed (their pain after), after `since`, each with the
        time that happened; oldest first."""
        query = (
            select(SessionLogRow)
            .options(selectinload(SessionLogRow.entries))
            .where(or_(SessionLogRow.created_at > since, SessionLogRow.ended_at > since))
            .order_by(SessionLogRow.started_at, SessionLogRow.id)
        )
        with self._reading() as session:
            return [
                (rows.session_log(row), max(row.created_at, row.ended_at or row.created_at))
                for row in session.scalars(query)
            ]

    def pain_ratings_logged_since(self, since: datetime) -> list[tuple[PainRating, datetime]]:
        """Pain ratings logged after `since` (whatever time they are for), each with the
        time it was logged; oldest first."""
        query = (
            select(PainRatingRow)
            .where(PainRatingRow.created_at > since)
            .order_by(PainRatingRow.created_at, PainRatingRow.id)
        )
        with self._reading() as session:
            return [(rows.pain_rating(row), row.created_at) for row in session.scalars(query)]

    # Pain, sitting, notes, clearances

    def add_pain_rating(self, rating: PainRating, *, at: datetime) -> None:
        with self._writing() as session:
            session.add(PainRatingRow(**rows.pain_rating_values(rating, at=at)))

    def pain_ratings(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[PainRating]:
        query = select(PainRatingRow).order_by(PainRatingRow.at, PainRatingRow.id)
        if since is not None:
            query = query.where(PainRatingRow.at >= since)
        if until is not None:
            query = query.where(PainRatingRow.at < until)
        with self._reading() as session:
            return [rows.pain_rating(row) for row in session.scalars(query)]

    def add_sitting(self, entry: SittingEntry) -> None:
        with self._writing() as session:
            session.add(SittingLogRow(**rows.sitting_values(entry)))

    def sitting_entries(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[SittingEntry]:
        """Every entry, oldest first, for days in [since, until)."""
        query = select(SittingLogRow).order_by(SittingLogRow.created_at, SittingLogRow.id)
        if since is not None:
            query = query.where(SittingLogRow.day >= since)
        if until is not None:
            query = query.where(SittingLogRow.day < until)
        with self._reading() as session:
            return [rows.sitting_entry(row) for row in session.scalars(query)]

    def add_note(self, note: Note) -> None:
        with self._writing() as session:
            session.add(NoteRow(**rows.note_values(note)))

    def notes(self) -> list[Note]:
        query = select(NoteRow).order_by(NoteRow.at, NoteRow.id)
        with self._reading() as session:
            return [rows.note(row) for row in session.scalars(query)]

    def add_break_event(self, event: BreakEvent, *, at: datetime) -> None:
        with self._writing() as session:
            session.add(BreakEventRow(**rows.break_event_values(event, at=at)))

    def break_events(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[BreakEvent]:
        query = select(BreakEventRow).order_by(BreakEventRow.at, BreakEventRow.id)
        if since is not None:
            query = query.where(BreakEventRow.at >= since)
        if until is not None:
            query = query.where(BreakEventRow.at < until)
        with self._reading() as session:
            return [rows.break_event(row) for row in session.scalars(query)]

    def add_clearance(self, clearance: Clearance) -> None:
        with self._writing() as session:
            session.add(ClearanceRow(exercise_id=clearance.exercise_id.value, at=clearance.at))

    def clearances(self) -> list[Clearance]:
        query = select(ClearanceRow).order_by(ClearanceRow.at, ClearanceRow.id)
        with self._reading() as session:
            return [rows.clearance(row) for row in session.scalars(query)]
