"""Snapshot, import, backup and erase: everything out and back in, nothing lost."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from tests import strategies

from hipflex.config import Settings
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.limits import REPS_RANGE
from hipflex.domain.plan import SessionSlot
from hipflex.domain.preferences import Preferences
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, Sign
from hipflex.domain.safety import Screening
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
from hipflex.reports import export_csv, export_fhir, export_json
from hipflex.services import data
from hipflex.services.assessments import record_assessment, record_safety_check
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.programme import plan_week
from hipflex.services.safety import current_screening
from hipflex.services.tracking import log_note, log_pain, log_session, log_sitting, record_retest
from hipflex.store import Store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# Strategies: random data as the store would hold it.

INDIA = timezone(timedelta(hours=5, minutes=30))
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2026, 11, 1),  # noqa: DTZ001 - up to the clock: import refuses later
    timezones=st.sampled_from([UTC, INDIA]),
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 2))
texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(str.strip)  # a note has some text (import refuses an empty one, as logging does)


assessments = partial(strategies.assessments, with_thresholds=True)
preferences = partial(strategies.preferences, any_hours=True)


entries = st.builds(
    ExerciseEntry,
    exercise_id=st.sampled_from(ExerciseId),
    side=st.none() | st.sampled_from(Side),
    set_number=st.integers(1, 6),
    hold_seconds=st.none() | st.integers(0, 3600),
    reps=st.none() | st.integers(*REPS_RANGE),
    skipped=st.booleans(),
    sharp_pain=st.booleans(),
)
pain_scores = st.none() | strategies.pain_scores


@st.composite
def sessions(draw: st.DrawFn) -> tuple[SessionLog, datetime, tuple[datetime, ...] | None]:
    started = draw(moments)
    log = SessionLog(
        started_at=started,
        source=draw(st.sampled_from(SessionSource)),
        entries=tuple(draw(st.lists(entries, max_size=4))),
        slot=draw(st.none() | st.sampled_from(SessionSlot)),
        pain_before=draw(pain_scores),
        pain_after=draw(pain_scores),
        ended_at=draw(st.none() | st.just(started + timedelta(minutes=draw(st.integers(0, 90))))),
        note=draw(st.none() | texts),
    )
    guided = draw(st.booleans())  # entries saved one by one, each at its own time
    times = tuple(draw(moments) for _ in log.entries) if guided else None
    return log, draw(moments), times


operations = st.lists(
    st.one_of(
        st.tuples(st.just("assess"), assessments(), moments),
        st.tuples(st.just("safety_check"), st.frozensets(st.sampled_from(RedFlag)), moments),
        st.tuples(st.just("block"), st.integers(0, 20), days, moments),
        st.tuples(st.just("retest"), assessments(), moments, st.integers(0, 20), st.integers(1, 6)),
        st.tuples(st.just("pain"), strategies.pain_scores, moments, moments),
        st.tuples(
            st.just("sitting"),
            days,
            strategies.sitting_hours,
            st.sampled_from(SittingSource),
            moments,
        ),
        st.tuples(st.just("session"), sessions()),
        st.tuples(st.just("note"), texts, moments),
        st.tuples(st.just("clearance"), st.sampled_from(ExerciseId), moments),
        st.tuples(st.just("break"), st.sampled_from(BreakOutcome), moments, moments),
        st.tuples(st.just("preferences"), preferences(), moments),
    ),
    max_size=14,
)


def write(store: Store, ops: list[tuple[Any, ...]]) -> None:
    """Apply random operations the way hipflex's services do: links only to what exists."""
    assessment_ids: list[int] = []
    block_ids: list[int] = []
    for op in ops:
        match op:
            case ("assess", assessment, at):
                kind = AssessmentKind.BASELINE
                assessment_ids.append(store.add_assessment(assessment, at=at, kind=kind).id)
            case ("safety_check", flags, at):
                check = assess(AssessmentInput(red_flags=flags))
                store.add_assessment(check, at=at, kind=AssessmentKind.SAFETY_CHECK)
            case ("block", pick, started_on, at) if assessment_ids:
                chosen = assessment_ids[pick % len(assessment_ids)]
                block = store.start_block(assessment_id=chosen, started_on=started_on, at=at)
                block_ids.append(block.id)
            case ("retest", assessment, at, pick, week) if block_ids:
                recorded = store.add_assessment(
                    assessment,
                    at=at,
                    kind=AssessmentKind.RETEST,
                    block_id=block_ids[pick % len(block_ids)],
                    block_week=week,
                )
                assessment_ids.append(recorded.id)
            case ("pain", score, at, saved_at):
                store.add_pain_rating(PainRating(at, score), at=saved_at)
            case ("sitting", day, hours, source, at):
                store.add_sitting(SittingEntry(day, hours, source, at))
            case ("session", (log, saved_at, times)):  # times: entries saved one by one
                store.add_session_log(log, at=saved_at, entries_at=times)
            case ("note", text, at):
                store.add_note(Note(at, text))
            case ("clearance", exercise, at):
                store.add_clearance(Clearance(exercise, at))
            case ("break", outcome, at, saved_at):
                store.add_break_event(BreakEvent(at, outcome), at=saved_at)
            case ("preferences", chosen, at):
                store.save_preferences(chosen, at=at)


def renumbered(snapshot: data.Snapshot) -> data.Snapshot:
    """Ids 1, 2, 3... in each table's id order: imports may renumber, never reorder."""

    def ranks(ids: list[int | None]) -> dict[int | None, int]:
        return {old: rank for rank, old in enumerate(sorted(i for i in ids if i is not None), 1)}

    a = ranks([x.id for x in snapshot.assessments])
    b = ranks([x.block.id for x in snapshot.blocks])
    s = ranks([x.log.id for x in snapshot.sessions])
    return replace(
        snapshot,
        assessments=tuple(
            replace(x, id=a[x.id], block_id=None if x.block_id is None else b[x.block_id])
            for x in snapshot.assessments
        ),
        blocks=tuple(
            replace(
                x, block=replace(x.block, id=b[x.block.id], assessment_id=a[x.block.assessment_id])
            )
            for x in snapshot.blocks
        ),
        sessions=tuple(replace(x, log=replace(x.log, id=s[x.log.id])) for x in snapshot.sessions),
    )


@pytest.fixture
def second_app(tmp_path: Path, clock: FixedClock) -> Iterator[AppContext]:
    """Another hipflex with its own (SQLite) data folder."""
    context = AppContext(Settings(data_dir=tmp_path / "second", database_url=None), clock)
    yield context
    context.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_export_then_import_gives_the_same_data(
    app: AppContext, second_app: AppContext, ops: list[tuple[Any, ...]]
):
    app.store.erase_all()
    second_app.store.erase_all()
    write(app.store, ops)
    original = data.snapshot(app)

    text = export_json.dumps(original, T0)
    assert export_json.loads(text) == original
    restored = data.import_snapshot(second_app, export_json.loads(text))

    assert renumbered(restored) == renumbered(original)
    assert renumbered(data.snapshot(second_app)) == renumbered(original)
    # The other formats take any data too.
    Bundle.model_validate(export_fhir.build_bundle(original, T0))
    rows = list(csv.reader(io.StringIO(export_csv.build_csv(original, UTC))))
    assert rows[0] == list(export_csv.COLUMNS)
    assert all(len(row) == len(export_csv.COLUMNS) for row in rows)


# Realistic data through the services


def fill(app: AppContext, clock: FixedClock) -> None:
    """A baseline, a block, a week of logs and a re-test in week 3."""
    tight = AssessmentInput(
        thomas={
            Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=72.0),
            Side.RIGHT: ThomasInput(None, thigh_angle_deg=-2.5, knee_flexion_deg=86.0),
        },
        extension={
            Side.LEFT: ExtensionInput(8.0),
            Side.RIGHT: ExtensionInput(None, compensated=True),
        },
        sitting_hours=7.5,
        signs=frozenset({Sign.SWAYBACK, Sign.TIGHT_FRONT_HIPS}),
        red_flags=frozenset(),
    )
    record_assessment(app, tight)
    plan_week(app)  # starts the block
    clock.advance(3600)
    log_pain(app, 5)
    log_sitting(app, 8)
    log_session(
        app,
        [
            ExerciseEntry(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.LEFT, hold_seconds=30),
            ExerciseEntry(ExerciseId.HALF_KNEELING_HIP_FLEXOR, Side.RIGHT, hold_seconds=30),
            ExerciseEntry(ExerciseId.GLUTE_BRIDGE, reps=15),
            ExerciseEntry(ExerciseId.PIGEON_POSE, Side.LEFT, skipped=True),
            ExerciseEntry(ExerciseId.PLANK, hold_seconds=20, sharp_pain=True),
        ],
        pain_before=5,
        pain_after=3,
        slot=SessionSlot.EVENING,
        note="felt easier",
    )
    log_note(app, "new chair at work")
    clock.advance(15 * 24 * 3600)
    app.store.add_clearance(Clearance(ExerciseId.PLANK, clock.now()))
    app.store.add_break_event(BreakEvent(clock.now(), BreakOutcome.SNOOZED), at=clock.now())
    record_retest(
        app,
        AssessmentInput(
            thomas={
                Side.LEFT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=81.0),
                Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=88.0),
            },
            red_flags=frozenset(),
        ),
    )


@pytest.fixture
def filled(app: AppContext, clock: FixedClock) -> AppContext:
    fill(app, clock)
    return app


def test_snapshot_holds_everything_with_its_links(filled: AppContext):
    snapshot = data.snapshot(filled)
    assert data.describe(snapshot) == (
        "2 assessments, 1 programme block, 1 session, 1 pain rating, 1 sitting entry, "
        "1 note, 1 cleared exercise and 1 movement break"
    )
    baseline, retest = snapshot.assessments
    (block,) = snapshot.blocks
    assert block.block.assessment_id == baseline.id
    assert (retest.kind, retest.block_id, retest.block_week) == (
        AssessmentKind.RETEST,
        block.block.id,
        3,
    )
    assert len(snapshot.sessions[0].log.entries) == 5


def test_import_into_this_store_restores_links(
    filled: AppContext, second_app: AppContext, app: AppContext
):
    original = data.snapshot(filled)
    data.import_snapshot(second_app, original)
    filled.store.erase_all()
    # and back again, into the store under test (SQLite or PostgreSQL)
    restored = data.import_snapshot(app, data.snapshot(second_app))
    assert renumbered(restored) == renumbered(original)
    retest = restored.assessments[-1]
    assert retest.block_id == restored.blocks[0].block.id
    assert app.store.latest_block() == restored.blocks[0].block


def test_import_refuses_a_store_that_has_data(filled: AppContext, second_app: AppContext):
    log_pain(second_app, 2)
    with pytest.raises(BadInput, match=r"already have hipflex data \(1 pain rating\)") as caught:
        data.import_snapshot(second_app, data.snapshot(filled))
    assert "\n" not in str(caught.value)
    assert "hipflex data erase" in str(caught.value)
    assert len(second_app.store.pain_ratings()) == 1


def test_import_refuses_saved_preferences_alone(filled: AppContext, second_app: AppContext):
    second_app.store.save_preferences(Preferences(block_weeks=4), at=T0)
    with pytest.raises(BadInput, match="your preferences"):
        data.import_snapshot(second_app, data.snapshot(filled))


def test_failed_import_leaves_nothing_behind(
    filled: AppContext, second_app: AppContext, monkeypatch: pytest.MonkeyPatch
):
    def broken(note: Note) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(second_app.store, "add_note", broken)
    with pytest.raises(OSError, match="disk full"):
        data.import_snapshot(second_app, data.snapshot(filled))
    assert data.snapshot(second_app).empty
    assert data.stored_tables(second_app.store) == []


def test_import_refuses_broken_links(filled: AppContext, second_app: AppContext):
    snapshot = data.snapshot(filled)
    orphan = replace(snapshot, blocks=())
    with pytest.raises(BadInput, match=r"belongs to block \d+, which is missing"):
        data.import_snapshot(second_app, orphan)
    baseline = snapshot.assessments[0]
    circle = replace(
        snapshot,
        assessments=(
            replace(baseline, block_id=snapshot.blocks[0].block.id),
            *snapshot.assessments[1:],
        ),
    )
    with pytest.raises(BadInput, match="in a circle"):
        data.import_snapshot(second_app, circle)
    assert data.snapshot(second_app).empty


def test_guided_entries_keep_their_own_times(app: AppContext, second_app: AppContext):
    log = app.store.add_session_log(SessionLog(T0, SessionSource.GUIDED), at=T0)
    assert log.id is not None
    for minute in (1, 3):
        entry = ExerciseEntry(ExerciseId.CLAMSHELL, Side.LEFT, set_number=minute, reps=12)
        app.store.add_exercise_entry(log.id, entry, at=T0 + timedelta(minutes=minute))
    restored = data.import_snapshot(second_app, data.snapshot(app))
    assert restored.sessions[0].entries_recorded_at == (
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=3),
    )


def test_erase_empties_everything_and_says_what_it_erased(filled: AppContext):
    before = data.snapshot(filled)
    erased = data.erase(filled)
    assert erased == before
    assert data.snapshot(filled).empty
    assert data.stored_tables(filled.store) == []
    assert data.describe(data.snapshot(filled)) == "nothing"


def _is_sqlite(app: AppContext) -> bool:
    return app.store.engine.dialect.name == "sqlite"


def test_backup_is_a_readable_copy_of_the_same_data(
    filled: AppContext, tmp_path: Path, clock: FixedClock
):
    if not _is_sqlite(filled):
        pytest.skip("backup copies SQLite stores; PostgreSQL has its own test below")
    target = tmp_path / "copies" / "hipflex-backup.db"
    target.parent.mkdir()
    size = data.backup(filled, target)
    assert size == target.stat().st_size > 0
    with sqlite3.connect(target) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert raw.execute("SELECT count(*) FROM assessments").fetchone()[0] == 2
    assert not list(target.parent.glob(".*partial"))
    copy = AppContext(Settings(data_dir=tmp_path, database_url=f"sqlite:///{target}"), clock)
    try:
        assert data.snapshot(copy) == data.snapshot(filled)
    finally:
        copy.close()


def test_backup_never_overwrites(filled: AppContext, tmp_path: Path):
    if not _is_sqlite(filled):
        pytest.skip("backup copies SQLite stores")
    target = tmp_path / "existing.db"
    target.write_text("keep me")
    with pytest.raises(HipflexError, match="already exists"):
        data.backup(filled, target)
    assert target.read_text() == "keep me"


def test_backup_into_a_missing_folder_is_one_line(filled: AppContext, tmp_path: Path):
    if not _is_sqlite(filled):
        pytest.skip("backup copies SQLite stores")
    with pytest.raises(HipflexError, match="cannot write the backup") as caught:
        data.backup(filled, tmp_path / "no" / "such" / "folder.db")
    assert "\n" not in str(caught.value)


def test_backup_of_another_database_points_to_pg_dump(tmp_path: Path):
    elsewhere = SimpleNamespace(
        store=SimpleNamespace(engine=create_engine("postgresql+psycopg://h/db"))
    )
    with pytest.raises(HipflexError, match=r"yours is postgresql: .*pg_dump") as caught:
        data.backup(elsewhere, tmp_path / "x.db")  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "x.db").exists()


def test_backup_of_postgresql_points_to_pg_dump(app: AppContext, tmp_path: Path):
    if _is_sqlite(app):
        pytest.skip("this is about a PostgreSQL store")
    with pytest.raises(HipflexError, match="pg_dump"):
        data.backup(app, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()


def test_counts_and_description_of_an_empty_snapshot():
    empty = data.Snapshot()
    assert empty.empty
    assert set(empty.counts().values()) == {0}
    assert data.describe(empty) == "nothing"
    assert data.describe(replace(empty, notes=(Note(T0, "x"),))) == "1 note"


def test_a_safety_check_round_trips_and_the_gate_reads_it_after_import(
    filled: AppContext, second_app: AppContext, clock: FixedClock
):
    """The safety questions answered again travel with the data, as a safety check, and
    the imported store's gate reads them as before: sharp pain after them asks again."""
    clock.advance(3600)
    record_safety_check(filled, frozenset())
    clock.advance(3600)
    log_session(
        filled, [ExerciseEntry(ExerciseId.PIGEON_POSE, Side.LEFT, skipped=True, sharp_pain=True)]
    )
    assert current_screening(filled) is Screening.RECHECK
    original = data.snapshot(filled)
    text = export_json.dumps(original, T0)
    assert '"kind": "safety_check"' in text
    restored = data.import_snapshot(second_app, export_json.loads(text))
    assert renumbered(restored) == renumbered(original)
    kinds = [r.kind for r in restored.assessments]
    assert kinds == [AssessmentKind.BASELINE, AssessmentKind.RETEST, AssessmentKind.SAFETY_CHECK]
    assert current_screening(second_app) is Screening.RECHECK
    # the findings are still the re-test's, not the safety check's
    latest = second_app.store.latest_assessment(with_tests=True)
    assert latest is not None
    assert latest.kind is AssessmentKind.RETEST
