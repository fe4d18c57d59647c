"""hipflex.store.lite: the same answers as Store, read with plain sqlite3; writes go to Store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, Date
from tests import strategies

from hipflex.config import Settings
from hipflex.domain.accounts import Role
from hipflex.domain.assessment import Assessment, AssessmentInput, AssessmentKind, assess
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.photos import KeptImage, PhotoTest
from hipflex.domain.plan import Phase, SessionSlot
from hipflex.domain.preferences import Preferences, Weekday
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
from hipflex.services.context import AppContext
from hipflex.store import Store
from hipflex.store.lite import (
    COLUMNS,
    LiteStore,
    LiteTeamStore,
    dialect_of,
    open_lite,
    sqlite_path,
)
from hipflex.store.migrate import migrate
from hipflex.store.models import Base, UTCDateTime
from hipflex.store.records import Snapshot

T0 = datetime(2026, 11, 2, 9, 0, 0, 123456, tzinfo=UTC)
STRETCH = ExerciseId.HALF_KNEELING_HIP_FLEXOR
PIGEON = ExerciseId.PIGEON_POSE
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")]),
    allow_imaginary=False,
)


def _filled(url: str) -> Store:
    """A store with rows in every table the lite reads, ties and edges included."""
    store = Store.open(url)
    tight = AssessmentInput(sitting_hours=7.5, red_flags=frozenset())
    baseline = store.add_assessment(assess(tight), at=T0, kind=AssessmentKind.BASELINE)
    store.add_assessment(assess(tight), at=T0, kind=AssessmentKind.RETEST, block_id=1, block_week=3)
    store.add_assessment(
        assess(AssessmentInput(red_flags=frozenset())),
        at=T0 + timedelta(days=2),
        kind=AssessmentKind.SAFETY_CHECK,
    )
    store.save_preferences(
        Preferences(
            sessions_per_day=3,
            work_days=frozenset({Weekday.MON, Weekday.SAT}),
            work_start=time(7, 30),
            floor_at_work=True,
            timezone="Europe/Paris",
        ),
        at=T0,
    )
    store.start_block(assessment_id=baseline.id, started_on=T0.date(), at=T0)
    store.start_block(
        assessment_id=baseline.id,
        started_on=T0.date() + timedelta(days=42),
        at=T0 + timedelta(days=42),
        phase=Phase.MAINTENANCE,
    )
    for day in range(4):
        at = T0 + timedelta(days=day, hours=1)
        entries = (
            ExerciseEntry(STRETCH, Side.LEFT, 1, hold_seconds=30),
            ExerciseEntry(PIGEON, Side.RIGHT, 2, hold_seconds=60, sharp_pain=day == 2),
            ExerciseEntry(PIGEON, None, 1, reps=10, skipped=True),
        )
        log = SessionLog(
            started_at=at,
            source=SessionSource.GUIDED if day % 2 else SessionSource.MANUAL,
            entries=entries,
            slot=list(SessionSlot)[day % 3] if day else None,
            pain_before=day,
            pain_after=None if day == 3 else day + 1,
            ended_at=None if day == 3 else at + timedelta(minutes=20),
            note="stiff" if day == 1 else None,
        )
        store.add_session_log(log, at=at + timedelta(minutes=25))
        store.add_pain_rating(PainRating(at, day * 2), at=at)
        store.add_pain_rating(PainRating(at, day), at=at + timedelta(seconds=1))  # a tie in `at`
        store.add_sitting(SittingEntry(at.date(), 6.5 + day, SittingSource.ENTERED, at))
        store.add_note(Note(at, f"note {day}"))
        store.add_break_event(BreakEvent(at, list(BreakOutcome)[day % 3]), at=at)
    store.add_clearance(Clearance(PIGEON, T0 + timedelta(days=3)))
    return store


def _lite(url: str) -> LiteStore:
    lite = open_lite(url, lambda: Store.open(url))
    assert lite is not None
    return lite


def test_every_read_answers_what_the_store_answers(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = _filled(url)
    lite = _lite(url)
    since, until = T0 + timedelta(days=1), T0 + timedelta(days=3)
    try:
        for kind in (None, *AssessmentKind):
            for with_tests in (False, True):
                for limit in (None, 1, 2):
                    args = {"kind": kind, "with_tests": with_tests, "limit": limit}
                    assert lite.assessments(**args) == store.assessments(**args)
                assert lite.latest_assessment(kind, with_tests=with_tests) == (
                    store.latest_assessment(kind, with_tests=with_tests)
                )
        for assessment_id in (1, 2, 3, 4, 0, -1):
            assert lite.assessment(assessment_id) == store.assessment(assessment_id)
        assert lite.preferences() == store.preferences()
        assert lite.latest_block() == store.latest_block()
        assert lite.blocks() == store.blocks()
        for window in ({}, {"since": since}, {"until": until}, {"since": since, "until": until}):
            assert lite.session_logs(**window) == store.session_logs(**window)
            assert lite.pain_ratings(**window) == store.pain_ratings(**window)
            assert lite.break_events(**window) == store.break_events(**window)
        for days in ({}, {"since": since.date()}, {"until": until.date()}):
            assert lite.sitting_entries(**days) == store.sitting_entries(**days)
        assert lite.sharp_pain_reports() == store.sharp_pain_reports()
        for moment in (T0 - timedelta(days=1), since, T0 + timedelta(days=9)):
            assert lite.sharp_pain_logged_since(moment) == store.sharp_pain_logged_since(moment)
            assert lite.session_logs_logged_since(moment) == store.session_logs_logged_since(moment)
            assert lite.pain_ratings_logged_since(moment) == store.pain_ratings_logged_since(moment)
        assert lite.notes() == store.notes()
        assert lite.clearances() == store.clearances()
        with pytest.raises(ValueError, match="naive datetime"):
            lite.pain_ratings(since=datetime(2026, 1, 1))  # noqa: DTZ001 - the point
    finally:
        lite.close()
        store.close()


def test_an_empty_store_reads_the_same(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = Store.open(url)
    lite = _lite(url)
    try:
        assert lite.preferences() == store.preferences() == Preferences()
        assert lite.latest_assessment() is store.latest_assessment() is None
        assert lite.latest_block() is store.latest_block() is None
        assert lite.session_logs() == lite.notes() == lite.clearances() == []
    finally:
        lite.close()
        store.close()


def test_a_snapshot_is_the_store_snapshot(tmp_path: Path):
    """`hipflex export` reads lean: every record, in the same order, photos included."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = _filled(url)
    for test, sides in ((PhotoTest.EXTENSION, (Side.LEFT, Side.RIGHT)), (PhotoTest.THOMAS, ())):
        image = KeptImage(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png", 8, 6)
        store.add_photo(assessment_id=1, test=test, sides=sides, image=image, at=T0)
    lite = _lite(url)
    try:
        found = lite.snapshot()
        assert found == store.snapshot()
        assert all(found.counts().values())
    finally:
        lite.close()
        store.close()
    empty = tmp_path / "empty.db"
    Store.open(f"sqlite:///{empty}").close()
    lite = _lite(f"sqlite:///{empty}")
    try:
        assert lite.snapshot() == Snapshot()
    finally:
        lite.close()


def test_the_accounts_read_as_the_store_reads_them(tmp_path: Path):
    """`hipflex users list` reads lean, also from a file team mode's accounts share (their
    list only: every other read of a shared file is the Store's)."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = _filled(url)
    lite = _lite(url)
    try:
        assert lite.accounts() == store.accounts() == []
    finally:
        lite.close()
    hashed = "$argon2id$v=19$stand-in"  # any text: the list tells only whether one is set
    store.add_account("bo@example.org", Role.ADMIN, password_hash=hashed, at=T0)
    store.add_account("ana@example.org", Role.MEMBER, password_hash=None, at=T0)
    store.disable_account("ana@example.org", at=T0 + timedelta(days=1))
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(Store.open(url))
        return opened[-1]

    shared = open_lite(url, open_store, shared=True)
    assert isinstance(shared, LiteTeamStore)
    try:
        assert shared.accounts() == store.accounts()
        assert [a.email for a in shared.accounts()] == ["bo@example.org", "ana@example.org"]
        assert opened == []
        assert shared.notes() == store.notes()  # the Store's, opened on first use
        assert len(opened) == 1
    finally:
        shared.close()
        store.close()


def test_a_backup_is_the_store_backup(tmp_path: Path):
    """`hipflex backup` copies lean: the same integrity check, the same whole file."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = _filled(url)
    lite = _lite(url)
    expected = store.snapshot()
    try:
        assert dialect_of(lite) == dialect_of(store) == "sqlite"
        assert lite.integrity_problems() == store.integrity_problems() == []
        lite.backup_sqlite(tmp_path / "lite.db")
        store.backup_sqlite(tmp_path / "store.db")
    finally:
        lite.close()
        store.close()
    for name in ("lite.db", "store.db"):
        copy = Store.open(f"sqlite:///{tmp_path / name}", upgrade=False)
        try:
            assert copy.snapshot() == expected
        finally:
            copy.close()
        assert not (tmp_path / f"{name}-wal").exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=strategies.answers())
def test_every_assessment_reads_back_the_same(tmp_path: Path, answers: AssessmentInput):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = Store.open(url)
    lite = _lite(url)
    try:
        saved = store.add_assessment(assess(answers), at=T0, kind=AssessmentKind.RETEST)
        assert lite.latest_assessment() == saved == store.latest_assessment()
    finally:
        with store.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM assessments")
        lite.close()
        store.close()


def test_writes_and_the_rest_go_to_the_store_opened_on_first_use(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    Store.open(url).close()
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(Store.open(url))
        return opened[-1]

    lite = open_lite(url, open_store)
    assert lite is not None
    assert lite.pain_ratings() == []
    lite.add_pain_rating(PainRating(T0, 4), at=T0)  # a log's append is lean too
    assert opened == []  # reading and appending load no Store
    lite.add_clearance(Clearance(PIGEON, T0))
    assert len(opened) == 1
    assert lite.clearances() == [Clearance(PIGEON, T0)]  # the write is seen at once
    assert lite.stored_tables() == ["clearances", "pain_ratings"]
    assert len(opened) == 1
    lite.close()


def test_only_an_existing_sqlite_file_at_the_newest_revision_is_read_lean(tmp_path: Path):
    db = tmp_path / "h.db"
    url = f"sqlite:///{db}"

    def never() -> Store:
        raise AssertionError

    assert open_lite(url, never) is None  # no file yet: the Store creates it
    store = Store.open(url)
    migrate(store.engine, "0005_block_phase", downgrade=True)
    store.close()
    assert open_lite(url, never) is None  # an older revision: the Store migrates it
    with sqlite3.connect(tmp_path / "other.db") as raw:
        raw.execute("CREATE TABLE t (x)")
    assert open_lite(f"sqlite:///{tmp_path / 'other.db'}", never) is None
    for other in ("sqlite://", "sqlite:///:memory:", "postgresql+psycopg://u@h/db"):
        assert sqlite_path(other) is None
    assert sqlite_path(f"sqlite:///{db}?mode=ro") is None


def test_a_lean_context_reads_lean_and_writes_through_the_store(tmp_path: Path):
    settings_ = Settings(data_dir=tmp_path, database_url=None)
    first = AppContext(settings_, lean=True)
    assert isinstance(first.store, Store)  # no database yet: the Store creates it
    first.close()
    second = AppContext(settings_, lean=True)
    assert isinstance(second.store, LiteStore)
    second.close()
    assert isinstance(AppContext(settings_).store, Store)  # the web app's context


def test_columns_name_every_column_that_needs_converting():
    """COLUMNS is the models' own list of datetime, date, JSON and boolean columns."""
    wanted: dict[str, dict[str, str]] = {}
    kinds = ((UTCDateTime, "datetime"), (Date, "date"), (JSON, "json"), (Boolean, "bool"))
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for kind, name in kinds:
                if isinstance(column.type, kind):
                    wanted.setdefault(table.name, {})[column.name] = name
    assert wanted == COLUMNS


def test_reading_loads_no_sqlalchemy(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    _filled(url).close()
    code = (
        "import sys\n"
        "from hipflex.store.lite import open_lite\n"
        f"lite = open_lite({url!r}, None)\n"
        "lite.assessments(); lite.session_logs(); lite.preferences(); lite.blocks()\n"
        "lite.snapshot(); lite.integrity_problems()\n"
        "assert not [m for m in sys.modules if m.startswith('sqlalchemy')], 'sqlalchemy'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _raw_rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return [row[1:] for row in raw.execute(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    at=MOMENTS,
    logged=MOMENTS,
    score=st.integers(0, 10),
    hours=st.floats(0, 24),
    text=st.text(max_size=40),
    outcome=st.sampled_from(BreakOutcome),
    source=st.sampled_from(SittingSource),
)
@example(  # the second 1:30 of the night New York's clocks went back
    at=datetime(2010, 11, 7, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
    logged=T0,
    score=3,
    hours=7.5,
    text="",
    outcome=BreakOutcome.DONE,
    source=SittingSource.ENTERED,
)
def test_an_append_writes_the_row_the_store_writes(
    tmp_path: Path,
    *,
    at: datetime,
    logged: datetime,
    score: int,
    hours: float,
    text: str,
    outcome: BreakOutcome,
    source: SittingSource,
):
    """Byte for byte: the same columns from the same rows.py function, the same values."""
    lean_db, orm_db = tmp_path / "lean.db", tmp_path / "orm.db"
    for db in (lean_db, orm_db):
        db.unlink(missing_ok=True)
        Store.open(f"sqlite:///{db}").close()
    lean = _lite(f"sqlite:///{lean_db}")
    orm = Store.open(f"sqlite:///{orm_db}")
    try:
        for store in (lean, orm):
            store.add_pain_rating(PainRating(at, score), at=logged)
            store.add_sitting(SittingEntry(at.date(), hours, source, logged))
            store.add_note(Note(at, text))
            store.add_break_event(BreakEvent(at, outcome), at=logged)
        for table in ("pain_ratings", "sitting_logs", "notes", "break_events"):
            assert _raw_rows(lean_db, table) == _raw_rows(orm_db, table)
        # The same instant, in UTC: an ambiguous local time (a clock going back) never
        # equals another zone's datetime under PEP 495, even at the same instant.
        assert lean.pain_ratings() == orm.pain_ratings() == [PainRating(at.astimezone(UTC), score)]
        assert lean.notes() == orm.notes()
        assert lean.sitting_entries() == orm.sitting_entries()
        assert lean.break_events() == orm.break_events()
    finally:
        lean.close()
        orm.close()
    assert not hasattr(lean, "_store") or lean._store is None  # appending loads no Store


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=strategies.preferences(any_hours=True),
    second=strategies.preferences(any_hours=True),
    at=MOMENTS,
    later=MOMENTS,
)
def test_saving_preferences_writes_the_row_the_store_writes(
    tmp_path: Path, *, first: Preferences, second: Preferences, at: datetime, later: datetime
):
    """The first save adds the one row, the next one changes it, as Store's do, byte for
    byte, with no Store opened."""
    lean_db, orm_db = tmp_path / "lean.db", tmp_path / "orm.db"
    for db in (lean_db, orm_db):
        db.unlink(missing_ok=True)
        Store.open(f"sqlite:///{db}").close()
    lean = _lite(f"sqlite:///{lean_db}")
    orm = Store.open(f"sqlite:///{orm_db}")
    try:
        for preferences, moment in ((first, at), (second, later)):
            for store in (lean, orm):
                store.save_preferences(preferences, at=moment)
            assert _raw_rows(lean_db, "preferences") == _raw_rows(orm_db, "preferences")
            assert len(_raw_rows(lean_db, "preferences")) == 1
            assert lean.preferences() == orm.preferences() == preferences
    finally:
        lean.close()
        orm.close()
    assert not hasattr(lean, "_store") or lean._store is None  # saving loads no Store


def test_a_failed_preferences_save_changes_nothing(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    Store.open(url).close()
    lean = _lite(url)
    lean.save_preferences(Preferences(break_minutes=40), at=T0)
    with pytest.raises(ValueError, match="naive"):
        lean.save_preferences(Preferences(break_minutes=35), at=datetime(2026, 1, 1))  # noqa: DTZ001
    assert lean.preferences() == Preferences(break_minutes=40)
    lean.save_preferences(Preferences(break_minutes=35), at=T0)
    assert lean.preferences() == Preferences(break_minutes=35)
    lean.close()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    at=MOMENTS,
    saved=MOMENTS,
    pain=st.none() | st.integers(0, 10),
    note=st.none() | st.text(max_size=20).filter(lambda text: "\x00" not in text),
    slot=st.none() | st.sampled_from(SessionSlot),
    source=st.sampled_from(SessionSource),
    own_times=st.booleans(),
)
@example(  # the second 1:30 of the night New York's clocks went back
    at=datetime(2010, 11, 7, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
    saved=T0,
    pain=None,
    note=None,
    slot=None,
    source=SessionSource.MANUAL,
    own_times=False,
)
def test_a_whole_session_writes_the_rows_the_store_writes(
    tmp_path: Path,
    *,
    at: datetime,
    saved: datetime,
    pain: int | None,
    note: str | None,
    slot: SessionSlot | None,
    source: SessionSource,
    own_times: bool,
):
    """Its row and its entries' rows, byte for byte, the ids it answers, and no Store."""
    entries = (
        ExerciseEntry(STRETCH, Side.LEFT, 1, hold_seconds=30),
        ExerciseEntry(PIGEON, Side.RIGHT, 2, hold_seconds=60, sharp_pain=True),
        ExerciseEntry(PIGEON, None, 1, reps=10, skipped=True),
    )
    log = SessionLog(
        started_at=at,
        source=source,
        entries=entries,
        slot=slot,
        pain_before=pain,
        ended_at=at + timedelta(minutes=20),
        note=note,
    )
    entries_at = [saved + timedelta(seconds=n) for n in range(len(entries))] if own_times else None
    lean_db, orm_db = tmp_path / "lean.db", tmp_path / "orm.db"
    for db in (lean_db, orm_db):
        db.unlink(missing_ok=True)
        Store.open(f"sqlite:///{db}").close()
    lean = _lite(f"sqlite:///{lean_db}")
    orm = Store.open(f"sqlite:///{orm_db}")
    try:
        for _ in range(2):
            written = [s.add_session_log(log, at=saved, entries_at=entries_at) for s in (lean, orm)]
            assert written[0] == written[1]
        for table in ("session_logs", "exercise_logs"):
            assert _raw_rows(lean_db, table) == _raw_rows(orm_db, table)
        assert lean.session_logs() == orm.session_logs()
    finally:
        lean.close()
        orm.close()
    assert not hasattr(lean, "_store") or lean._store is None  # writing loads no Store


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    assessment=strategies.assessments(with_thresholds=True),
    at=MOMENTS,
    kind=st.sampled_from(AssessmentKind),
    in_block=st.booleans(),
)
def test_an_assessment_writes_the_rows_the_store_writes(
    tmp_path: Path, *, assessment: Assessment, at: datetime, kind: AssessmentKind, in_block: bool
):
    """Its row and its sides' rows, byte for byte, what it answers, and no Store."""
    lean_db, orm_db = tmp_path / "lean.db", tmp_path / "orm.db"
    for db in (lean_db, orm_db):
        db.unlink(missing_ok=True)
        store = Store.open(f"sqlite:///{db}")  # a block for a re-test to belong to
        first = store.add_assessment(assessment, at=T0, kind=AssessmentKind.BASELINE)
        store.start_block(assessment_id=first.id, started_on=T0.date(), at=T0)
        store.close()
    lean = _lite(f"sqlite:///{lean_db}")
    orm = Store.open(f"sqlite:///{orm_db}")
    block = {"block_id": 1, "block_week": 3} if in_block else {}
    try:
        written = [s.add_assessment(assessment, at=at, kind=kind, **block) for s in (lean, orm)]
        assert written[0] == written[1]
        for table in ("assessments", "assessment_sides"):
            assert _raw_rows(lean_db, table) == _raw_rows(orm_db, table)
        assert lean.assessments() == orm.assessments()
    finally:
        lean.close()
        orm.close()
    assert not hasattr(lean, "_store") or lean._store is None  # writing loads no Store


def test_a_failed_append_leaves_no_transaction_open(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    Store.open(url).close()
    lean = _lite(url)
    with pytest.raises(ValueError, match="naive"):
        lean.add_note(Note(datetime(2026, 1, 1), "x"))  # noqa: DTZ001 - the point
    lean.add_note(Note(T0, "y"))
    assert lean.notes() == [Note(T0, "y")]
    lean.close()
