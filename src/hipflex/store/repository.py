"""The one way in and out of the database: domain objects in, domain objects out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, selectinload, sessionmaker

from hipflex.domain.assessment import Assessment, AssessmentKind, RecordedAssessment
from hipflex.domain.errors import StoreCorrupt
from hipflex.domain.ids import Side
from hipflex.domain.photos import KeptImage, PhotoTest, RecordedPhoto
from hipflex.domain.plan import Block, Phase
from hipflex.domain.preferences import Preferences
from hipflex.domain.progression import ProgressionState
from hipflex.errors import storage_fault
from hipflex.store import rows, sqlite_faults
from hipflex.store.accounts import AccountStore, erase_person
from hipflex.store.clinic import ClinicStore
from hipflex.store.db import WRITE_OPTION, backup_sqlite, make_engine
from hipflex.store.faults import where
from hipflex.store.logs import LogStore
from hipflex.store.migrate import upgrade_if_needed
from hipflex.store.models import AssessmentRow, BlockRow, PhotoRow, PreferencesRow
from hipflex.store.owners import bind_to_owner
from hipflex.store.snapshot import (
    Snapshot,
    StoreNotEmpty,
    read_snapshot,
    tables_with_rows,
    write_snapshot,
)

#: A SQLite file up to this size is quick-checked at every opening (about 3 ms for 8 MB,
#: measured); a larger one only by `hipflex backup`.


class Store(LogStore, AccountStore, ClinicStore):
    """hipflex's data; every write is one short transaction."""

    def __init__(self, engine: Engine, *, owner: int | None = None) -> None:
        """`owner`: the account whose data this store reads and writes (team mode), or
        None for the single-user store's rows; every query and new row is bound to it."""
        self.engine = engine
        self.owner = owner
        self._owns_engine = True
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        for maker in (self._read, self._write):
            bind_to_owner(maker, owner)
        self._open_write = threading.local()  # .session: this thread's write transaction

    def for_account(self, account_id: int) -> Store:
        """The same database, bound to one account's data (closing it leaves this open)."""
        bound = Store(self.engine, owner=account_id)
        bound._owns_engine = False
        return bound

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        """Open (creating and migrating as needed) the store at a SQLAlchemy URL; without
        `upgrade` (team mode), an older schema is OlderStore instead."""
        engine = make_engine(url)
        try:
            upgrade_if_needed(engine, where(url), allowed=upgrade)
            store = cls(engine)
            store._check_when_cheap(url)
        except BaseException:
            engine.dispose()
            raise
        return store

    def _check_when_cheap(self, url: str) -> None:
        """A quick integrity check of a small SQLite file at opening (a damaged page is
        found before anything is written over it); a large one is checked by `backup`."""
        database = make_url(url).database
        if self.engine.dialect.name != "sqlite" or not database:
            return
        try:
            size = Path(database).expanduser().stat().st_size
        except OSError:
            return
        if size <= sqlite_faults.QUICK_CHECK_MAX_BYTES:
            problems = self.integrity_problems(quick=True)
            if problems:
                raise storage_fault(StoreCorrupt, where(url), problems[0])

    def integrity_problems(self, *, quick: bool = False) -> list[str]:
        """What SQLite's integrity check finds wrong (nothing: []). PostgreSQL has no such
        check here: a damaged page it reads is an error named StoreCorrupt (XX001)."""
        if self.engine.dialect.name != "sqlite":
            return []
        with self.engine.connect() as connection:
            return sqlite_faults.integrity_problems(connection.exec_driver_sql, quick=quick)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction; a write inside another joins it, so both commit or neither."""
        joined: Session | None = getattr(self._open_write, "session", None)
        if joined is not None:
            yield joined
            return
        with self._write.begin() as session:
            self._open_write.session = session
            try:
                yield session
            finally:
                self._open_write.session = None

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """One write transaction that the writes made inside join: an exception inside
        undoes them all (such as a block that a refused request's check started)."""
        with self._writing():
            yield

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    # Assessments

    def add_assessment(
        self,
        assessment: Assessment,
        *,
        at: datetime,
        kind: AssessmentKind,
        block_id: int | None = None,
        block_week: int | None = None,
    ) -> RecordedAssessment:
        row = rows.assessment_row(
            assessment, at=at, kind=kind, block_id=block_id, block_week=block_week
        )
        with self._writing() as session:
            session.add(row)
            session.flush()
            row_id = row.id
        return RecordedAssessment(row_id, at, kind, assessment, block_id, block_week)

    def assessments(
        self,
        *,
        limit: int | None = None,
        kind: AssessmentKind | None = None,
        with_tests: bool = False,
    ) -> list[RecordedAssessment]:
        """Newest first, optionally of one kind only, or only those with self-tests (not a
        safety check)."""
        query = (
            select(AssessmentRow)
            .options(selectinload(AssessmentRow.sides))
            .order_by(AssessmentRow.recorded_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(AssessmentRow.kind == kind.value)
        if with_tests:
            checks = [k.value for k in AssessmentKind if not k.has_tests]
            query = query.where(AssessmentRow.kind.not_in(checks))
        with self._read() as session:
            return [rows.recorded_assessment(row) for row in session.scalars(query)]

    def latest_assessment(
        self, kind: AssessmentKind | None = None, *, with_tests: bool = False
    ) -> RecordedAssessment | None:
        """The newest assessment (of a kind; with self-tests): without either, the newest
        answers to the safety questions."""
        found = self.assessments(limit=1, kind=kind, with_tests=with_tests)
        return found[0] if found else None

    def assessment(self, assessment_id: int) -> RecordedAssessment | None:
        with self._read() as session:
            row = session.get(AssessmentRow, assessment_id)
            return None if row is None else rows.recorded_assessment(row)

    # Photos kept by choice

    def add_photo(
        self,
        *,
        assessment_id: int,
        test: PhotoTest,
        sides: tuple[Side, ...],
        image: KeptImage,
        at: datetime,
    ) -> RecordedPhoto:
        """Keep a test's photo (already stripped of its metadata) with its assessment."""
        row = rows.photo_row(
            assessment_id=assessment_id, test=test, sides=sides, image=image, at=at
        )
        with self._writing() as session:
            session.add(row)
            session.flush()
            return rows.recorded_photo(row)

    def photos(self, *, assessment_id: int | None = None) -> list[RecordedPhoto]:
        """Kept photos, oldest first (of one assessment only, if given)."""
        query = select(PhotoRow).order_by(PhotoRow.recorded_at, PhotoRow.id)
        if assessment_id is not None:
            query = query.where(PhotoRow.assessment_id == assessment_id)
        with self._read() as session:
            return [rows.recorded_photo(row) for row in session.scalars(query)]

    # Preferences

    def preferences(self) -> Preferences:
        with self._read() as session:
            row = session.scalars(select(PreferencesRow)).first()
            return Preferences() if row is None else rows.preferences(row)

    def save_preferences(self, preferences: Preferences, *, at: datetime) -> None:
        values = rows.preferences_values(preferences, at=at)
        with self._writing() as session:
            row = session.scalars(select(PreferencesRow)).first()
            if row is None:
                session.add(PreferencesRow(**values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    # Programme blocks

    def latest_block(self) -> Block | None:
        query = select(BlockRow).order_by(BlockRow.created_at.desc(), BlockRow.id.desc()).limit(1)
        with self._read() as session:
            row = session.scalars(query).first()
            return None if row is None else rows.block(row)

    def blocks(self) -> list[Block]:
        """Oldest first."""
        query = select(BlockRow).order_by(BlockRow.created_at, BlockRow.id)
        with self._read() as session:
            return [rows.block(row) for row in session.scalars(query)]

    def erase_all(self) -> None:
        """Delete every row of the owner's data (the schema, and team mode's accounts,
        stay), in one transaction: store.accounts.erase_person."""
        with self._writing() as session:
            erase_person(session, self.owner)

    def start_block(
        self,
        *,
        assessment_id: int,
        started_on: date,
        at: datetime,
        phase: Phase = Phase.BLOCK,
        start: ProgressionState | None = None,
    ) -> Block:
        """A new block (or the maintenance phase), starting at `start`'s dose."""
        begin = start or ProgressionState()
        row = BlockRow(
            started_on=started_on,
            assessment_id=assessment_id,
            created_at=at,
            phase=phase.value,
            start_level=begin.level,
            start_couch_weeks=begin.couch_weeks,
        )
        with self._writing() as session:
            session.add(row)
            session.flush()
            return rows.block(row)

    # The whole store

    def snapshot(self) -> Snapshot:
        """Everything, as it stood at one moment: one read transaction."""
        with self._reading() as session:
            if self.engine.dialect.name == "postgresql":
                # READ COMMITTED would let each query see later commits: one snapshot for all.
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            return read_snapshot(session)

    def restore(self, data: Snapshot) -> None:
        """Write `data` into this empty store in one transaction; ids may change, links hold.

        Raises StoreNotEmpty, having written nothing, if any table holds a row.
        """
        with self._writing() as session:
            if tables_with_rows(session, self.owner):
                raise StoreNotEmpty
            write_snapshot(self, data)

    def stored_tables(self) -> list[str]:
        """The tables that hold at least one row."""
        with self._reading() as session:
            return tables_with_rows(session, self.owner)

    def backup_sqlite(self, target: Path) -> None:
        """Copy this SQLite store, consistently even while in use, into the new file `target`."""
        backup_sqlite(self.engine, target)
