"""Team mode's isolation in the store (DESIGN.md habit 17): a Store bound to an account
reads, changes and erases only that account's rows, and the single-user store (owner
None) only the rows of nobody, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, text

from hipflex.domain.accounts import Role
from hipflex.domain.assessment import AssessmentInput, AssessmentKind, assess
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import NotFound
from hipflex.domain.photos import KeptImage, PhotoTest
from hipflex.domain.preferences import Preferences
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
)
from hipflex.store import Store
from hipflex.store.db import make_engine
from hipflex.store.lite import open_lite
from hipflex.store.migrate import migrate
from hipflex.store.models import AccountRow, NoteRow
from hipflex.store.owners import owned_tables

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWNERS = ("nobody", "ana", "bo")


def _fill(store: Store, who: str, break_minutes: int, author: int) -> dict[str, int]:
    """One of everything, marked with `who`; the ids of what can be asked for by id."""
    tight = AssessmentInput(sitting_hours=7.5, red_flags=frozenset())
    baseline = store.add_assessment(assess(tight), at=T0, kind=AssessmentKind.BASELINE)
    store.add_photo(
        assessment_id=baseline.id,
        test=PhotoTest.THOMAS,
        sides=(Side.LEFT,),
        image=KeptImage(data=who.encode(), media_type="image/png", width=2, height=1),
        at=T0,
    )
    store.save_preferences(Preferences(break_minutes=break_minutes), at=T0)
    block = store.start_block(assessment_id=baseline.id, started_on=T0.date(), at=T0)
    log = store.add_session_log(
        SessionLog(
            started_at=T0,
            source=SessionSource.GUIDED,
            entries=(ExerciseEntry(ExerciseId.PIGEON_POSE, Side.LEFT, 1, hold_seconds=30),),
            pain_before=2,
        ),
        at=T0,
    )
    store.add_pain_rating(PainRating(T0, 3), at=T0)
    store.add_sitting(SittingEntry(T0.date(), 7.0, SittingSource.ENTERED, T0))
    store.add_note(Note(T0, f"{who}'s note"))
    store.add_break_event(BreakEvent(T0, BreakOutcome.DONE), at=T0)
    store.add_clearance(Clearance(ExerciseId.PIGEON_POSE, T0))
    store.add_clinician_note(author, f"a clinician's note for {who}", at=T0)
    assert log.id is not None
    return {"assessment": baseline.id, "block": block.id, "session": log.id}


@pytest.fixture
def stores(database_url: str) -> Iterator[dict[str, Store]]:
    """The single-user store and two accounts' stores on one database, each filled."""
    base = Store.open(database_url)
    stores = {"nobody": base}
    for name in OWNERS[1:]:
        account = base.add_account(f"{name}@example.org", Role.MEMBER, password_hash=None, at=T0)
        stores[name] = base.for_account(account.id)
    author = base.add_account("lee@clinic.org", Role.CLINICIAN, password_hash=None, at=T0).id
    for minutes, name in enumerate(OWNERS, start=31):
        _fill(stores[name], name, minutes, author)
    yield stores
    base.close()


def _notes(store: Store) -> list[str]:
    return [note.text for note in store.notes()]


def test_each_store_reads_only_its_own_rows(stores: dict[str, Store]) -> None:
    for minutes, name in enumerate(OWNERS, start=31):
        store = stores[name]
        snapshot = store.snapshot()
        assert set(snapshot.counts().values()) <= {0, 1}, snapshot.counts()
        assert _notes(store) == [f"{name}'s note"]
        assert [n.text for n in store.clinician_notes()] == [f"a clinician's note for {name}"]
        assert store.preferences().break_minutes == minutes
        photos = store.photos(assessment_id=store.assessments()[0].id)
        assert [photo.image.data for photo in photos] == [name.encode()]
        assert len(store.session_logs()) == len(store.assessments()) == len(store.blocks()) == 1


def test_another_accounts_rows_are_not_found_by_id(database_url: str) -> None:
    base = Store.open(database_url)
    try:
        ana = base.for_account(
            base.add_account("ana@example.org", Role.MEMBER, password_hash=None, at=T0).id
        )
        ids = _fill(ana, "ana", 40, ana.owner or 0)
        assert base.assessment(ids["assessment"]) is None
        with pytest.raises(NotFound):
            base.session_log(ids["session"])
        with pytest.raises(NotFound):
            base.finish_session_log(ids["session"], ended_at=T0, pain_after=1)
        with pytest.raises(NotFound):
            base.add_exercise_entry(
                ids["session"],
                ExerciseEntry(ExerciseId.PIGEON_POSE, Side.RIGHT, 1, hold_seconds=30),
                at=T0,
            )
        assert ana.session_log(ids["session"]).ended_at is None  # untouched
        assert len(ana.session_log(ids["session"]).entries) == 1
    finally:
        base.close()


def test_erasing_one_owners_data_leaves_the_others(stores: dict[str, Store]) -> None:
    stores["ana"].erase_all()
    assert stores["ana"].snapshot().empty
    assert stores["ana"].stored_tables() == []
    for name in ("nobody", "bo"):
        assert _notes(stores[name]) == [f"{name}'s note"]
        assert len(stores[name].stored_tables()) == len(owned_tables())
    assert len(stores["nobody"].accounts()) == 3  # the accounts themselves stay


def test_a_snapshot_restores_into_another_empty_account(stores: dict[str, Store]) -> None:
    taken = stores["bo"].snapshot()
    stores["ana"].erase_all()
    stores["ana"].restore(taken)
    assert _notes(stores["ana"]) == ["bo's note"]
    assert stores["ana"].snapshot().counts() == taken.counts()
    assert _notes(stores["bo"]) == ["bo's note"]


def test_removing_an_account_removes_its_rows_only(stores: dict[str, Store]) -> None:
    with stores["nobody"]._writing() as session:
        session.execute(delete(AccountRow).where(AccountRow.email == "ana@example.org"))
    assert stores["ana"].snapshot().empty
    assert _notes(stores["bo"]) == ["bo's note"]
    assert _notes(stores["nobody"]) == ["nobody's note"]


def test_the_lean_reader_leaves_a_file_with_accounts_to_the_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hipflex.db'}"
    store = Store.open(url)
    store.add_note(Note(T0, "mine"))
    lite = open_lite(url, lambda: Store.open(url))
    assert lite is not None
    lite.close()
    store.add_account("ana@example.org", Role.MEMBER, password_hash=None, at=T0)
    store.close()
    assert open_lite(url, lambda: Store.open(url)) is None


def test_a_new_row_cannot_be_given_to_another_account(database_url: str) -> None:
    base = Store.open(database_url)
    try:
        ana = base.add_account("ana@example.org", Role.MEMBER, password_hash=None, at=T0)
        row = NoteRow(at=T0 + timedelta(hours=1), text="smuggled")
        row.account_id = ana.id

        def smuggle() -> None:
            with base._writing() as session:
                session.add(row)

        with pytest.raises(RuntimeError, match="another account"):
            smuggle()
        assert base.for_account(ana.id).notes() == []
    finally:
        base.close()


@pytest.mark.new_schema  # migrated from nothing to an older revision
def test_an_older_single_user_database_keeps_its_rows_as_nobodys(database_url: str) -> None:
    """Upgraded to owners: the old rows stay the single-user store's, and an account's
    first preferences get a new id (PostgreSQL's sequence had not counted the old row's)."""
    engine = make_engine(database_url)
    migrate(engine, "0007_accounts")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO preferences (id, sessions_per_day, block_weeks, break_minutes, "
                "work_days, work_start, work_end, floor_at_work, sit_stand_desk, updated_at) "
                "VALUES (1, 3, 6, 40, 'mon', '08:00', '16:00', false, false, :at)"
            ),
            {"at": T0.isoformat()},
        )
        connection.execute(
            text("INSERT INTO notes (at, text) VALUES (:at, 'from before')"),
            {"at": T0.isoformat()},
        )
    engine.dispose()
    store = Store.open(database_url)
    try:
        assert store.preferences().break_minutes == 40
        assert _notes(store) == ["from before"]
        ana = store.for_account(
            store.add_account("ana@example.org", Role.MEMBER, password_hash=None, at=T0).id
        )
        assert ana.preferences() == Preferences()
        ana.save_preferences(Preferences(break_minutes=35), at=T0)
        assert ana.preferences().break_minutes == 35
        assert store.preferences().break_minutes == 40
        assert _notes(ana) == []
    finally:
        store.close()


def test_an_account_can_adopt_the_single_user_data_with_nothing_lost(
    stores: dict[str, Store],
) -> None:
    before = stores["nobody"].snapshot()
    adopted = stores["nobody"].add_account(
        "lee@example.org", Role.MEMBER, password_hash=None, at=T0, adopt_unowned=True
    )
    lee = stores["nobody"].for_account(adopted.id)
    assert stores["nobody"].snapshot().empty
    assert lee.snapshot() == before
    assert _notes(stores["bo"]) == ["bo's note"]  # the others' rows keep their owners
