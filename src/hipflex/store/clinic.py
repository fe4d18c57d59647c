"""Team mode's clinic tables: the notes clinicians leave for members (a member's own
data, read through the member's bound store), and the counts behind the admin's
aggregate view (read across owners in Core, never one person's rows)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from hipflex.domain.accounts import ClinicianNote, shown_address
from hipflex.store.models import (
    AccountRow,
    BreakEventRow,
    ClinicianNoteRow,
    NoteRow,
    PainRatingRow,
    SessionLogRow,
    SittingLogRow,
    WebSessionRow,
)


class ClinicStore:
    """Clinician notes (bound to the member who owns them) and team-wide counts."""

    def _writing(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    def add_clinician_note(self, author_id: int, text: str, *, at: datetime) -> ClinicianNote:
        """A note for this store's owner from the clinician `author_id`."""
        with self._writing() as session:
            row = ClinicianNoteRow(author_id=author_id, text=text)
            row.at = at
            session.add(row)
            session.flush()
            email = session.scalar(select(AccountRow.email).where(AccountRow.id == author_id))
            return ClinicianNote(row.id, str(email), at, text)

    def clinician_notes(self, author_id: int | None = None) -> list[ClinicianNote]:
        """The owner's notes from clinicians (only `author_id`'s, when given), newest
        first."""
        query = (
            select(ClinicianNoteRow, AccountRow.email)
            .join(AccountRow, AccountRow.id == ClinicianNoteRow.author_id)
            .order_by(ClinicianNoteRow.at.desc(), ClinicianNoteRow.id.desc())
        )
        if author_id is not None:
            query = query.where(ClinicianNoteRow.author_id == author_id)
        with self._reading() as session:
            return [
                ClinicianNote(row.id, shown_address(email), row.at, row.text)
                for row, email in session.execute(query)
            ]

    def team_counts(
        self, *, active_since: datetime, sessions_since: datetime
    ) -> tuple[int, int, list[tuple[int, datetime]]]:
        """(accounts enabled, of them active since `active_since`, every finished session
        since `sessions_since` as (owner, start)). Core queries on the connection: no
        owner is bound, and nothing but ids, counts and times is read."""
        enabled = AccountRow.__table__.c
        activity = union(
            select(WebSessionRow.__table__.c.account_id).where(
                WebSessionRow.__table__.c.created_at >= active_since
            ),
            *(
                select(table.c.account_id).where(
                    table.c.account_id.is_not(None), column >= active_since
                )
                for table, column in (
                    (t.__table__, t.__table__.c[name])
                    for t, name in (
                        (SessionLogRow, "created_at"),
                        (PainRatingRow, "created_at"),
                        (SittingLogRow, "created_at"),
                        (NoteRow, "at"),
                        (BreakEventRow, "created_at"),
                    )
                )
            ),
        ).subquery()
        logs = SessionLogRow.__table__.c
        with self._reading() as session:
            connection = session.connection()
            accounts = connection.scalar(
                select(func.count())
                .select_from(AccountRow.__table__)
                .where(enabled.disabled_at.is_(None))
            )
            active = connection.scalar(
                select(func.count()).where(
                    enabled.disabled_at.is_(None), enabled.id.in_(select(activity.c[0]))
                )
            )
            sessions = connection.execute(
                select(logs.account_id, logs.started_at).where(
                    logs.account_id.is_not(None),
                    logs.ended_at.is_not(None),
                    logs.started_at >= sessions_since,
                )
            )
            return int(accounts or 0), int(active or 0), [(o, at) for o, at in sessions]
