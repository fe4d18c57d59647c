"""The store: round trips, migrations, SQLite settings."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import StatementError

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.preferences import Preferences, Weekday
from hipflex.domain.protocol import RedFlag, Side, Sign
from hipflex.store import Store
from hipflex.store.migrate import HEAD_REVISION, MIGRATIONS_DIR
from hipflex.store.models import Base

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_head_revision_constant_matches_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_migrations_build_exactly_the_models(tmp_path: Path):
    store = Store.open(_url(tmp_path / "m.db"))
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    store.close()
    assert diff == []


def test_sqlite_file_is_created_in_wal_mode(tmp_path: Path):
    db = tmp_path / "nested" / "folder" / "h.db"
    Store.open(_url(db)).close()
    assert db.exists()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_reopening_a_migrated_store_keeps_data(tmp_path: Path):
    url = _url(tmp_path / "h.db")
    first = Store.open(url)
    first.add_assessment(
        assess(AssessmentInput(sitting_hours=5)), at=T0, kind=AssessmentKind.BASELINE
    )
    first.close()
    again = Store.open(url)
    assert [r.assessment.sitting_hours for r in again.assessments()] == [5]
    again.close()


def test_naive_datetimes_are_refused(tmp_path: Path):
    store = Store.open(_url(tmp_path / "h.db"))
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        store.add_assessment(assess(AssessmentInput()), at=naive, kind=AssessmentKind.BASELINE)
    assert store.assessments() == []
    store.close()


def test_assessments_are_listed_newest_first_with_their_kind(tmp_path: Path):
    store = Store.open(_url(tmp_path / "h.db"))
    for day, kind in enumerate([AssessmentKind.BASELINE, AssessmentKind.RETEST]):
        store.add_assessment(
            assess(AssessmentInput(sitting_hours=day)), at=T0 + timedelta(days=day), kind=kind
        )
    listed = store.assessments()
    assert [r.kind for r in listed] == [AssessmentKind.RETEST, AssessmentKind.BASELINE]
    assert store.latest_assessment() == listed[0]
    assert listed[0].recorded_at == T0 + timedelta(days=1)
    assert listed[0].recorded_at.tzinfo is not None
    assert len(store.assessments(limit=1)) == 1
    store.close()


_thigh = st.none() | st.sampled_from(ThighPosition)
_knee = st.floats(min_value=0, max_value=180)


@st.composite
def _answers(draw: st.DrawFn) -> AssessmentInput:
    thomas = {}
    for side in Side:
        if draw(st.booleans()):
            use_angle = draw(st.booleans())
            thomas[side] = ThomasInput(
                thigh=None if use_angle else draw(st.sampled_from(ThighPosition)),
                thigh_angle_deg=draw(st.floats(min_value=-90, max_value=90)) if use_angle else None,
                knee_flexion_deg=draw(_knee),
            )
    extension = {
        side: ExtensionInput(
            draw(st.none() | st.floats(min_value=-30, max_value=60)), draw(st.booleans())
        )
        for side in Side
    }
    return AssessmentInput(
        thomas=thomas,
        extension=extension,
        sitting_hours=draw(st.none() | st.floats(min_value=0, max_value=24)),
        signs=frozenset(draw(st.sets(st.sampled_from(Sign)))),
        red_flags=frozenset(draw(st.sets(st.sampled_from(RedFlag), max_size=2))),
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=_answers())
def test_every_input_and_result_survives_a_round_trip(tmp_path: Path, answers: AssessmentInput):
    store = Store.open(_url(tmp_path / "round.db"))
    try:
        assessment = assess(answers)
        saved = store.add_assessment(assessment, at=T0, kind=AssessmentKind.RETEST)
        loaded = store.latest_assessment()
        assert loaded == saved
        assert loaded is not None
        assert loaded.assessment == assessment
    finally:
        with store.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM assessments")
        store.close()


def test_upgrading_from_the_first_migration_keeps_the_assessments(tmp_path: Path):
    """A database made by the first release, with data in it, upgrades losing nothing."""
    from sqlalchemy import create_engine, text

    from hipflex.store.migrate import upgrade

    url = _url(tmp_path / "old.db")
    engine = create_engine(url)
    with engine.begin() as connection:
        upgrade(connection, "0001_assessments")
        connection.execute(
            text(
                "INSERT INTO assessments (id, recorded_at, kind, sitting_hours, sitting_band, "
                "signs, red_flags, safe_to_exercise, knee_floor_deg, thigh_tolerance_deg, "
                "extension_floor_deg) VALUES (1, '2026-11-02 09:00:00.000000', 'baseline', 6.5, "
                "'high', '[\"swayback\"]', '[]', 1, 80.0, 0.0, 10.0)"
            )
        )
        for side, result in (("left", "tight_iliopsoas"), ("right", "not_tested")):
            connection.execute(
                text(
                    "INSERT INTO assessment_sides (assessment_id, side, thomas_thigh_given, "
                    "thomas_knee_flexion_deg, thomas_thigh, thomas_result, "
                    "extension_compensated, extension_result) VALUES "
                    "(1, :side, :given, :knee, :given, :result, 0, 'not_tested')"
                ),
                {
                    "side": side,
                    "given": "raised" if result != "not_tested" else None,
                    "knee": 85.0 if result != "not_tested" else None,
                    "result": result,
                },
            )
    engine.dispose()
    upgraded = Store.open(url)
    (saved,) = upgraded.assessments()
    expected = assess(
        AssessmentInput(
            thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=85.0)},
            sitting_hours=6.5,
            signs=frozenset({Sign.SWAYBACK}),
        )
    )
    assert saved.assessment == expected
    assert saved.recorded_at == T0
    assert upgraded.preferences() == Preferences()
    upgraded.close()


def test_preferences_and_blocks_round_trip(tmp_path: Path):
    store = Store.open(_url(tmp_path / "p.db"))
    assert store.preferences() == Preferences()
    wanted = Preferences(
        sessions_per_day=3,
        block_weeks=4,
        break_minutes=35,
        work_days=frozenset({Weekday.TUE, Weekday.SAT}),
        work_start=time(7, 30),
        work_end=time(15, 45),
        floor_at_work=True,
        sit_stand_desk=True,
        timezone="Asia/Tokyo",
    )
    store.save_preferences(wanted, at=T0)
    store.save_preferences(wanted, at=T0 + timedelta(hours=1))  # an update, not a second row
    assert store.preferences() == wanted
    assert store.latest_block() is None
    saved = store.add_assessment(assess(AssessmentInput()), at=T0, kind=AssessmentKind.BASELINE)
    first = store.start_block(assessment_id=saved.id, started_on=T0.date(), at=T0)
    second = store.start_block(
        assessment_id=saved.id, started_on=T0.date() + timedelta(days=42), at=T0 + timedelta(1)
    )
    assert store.latest_block() == second
    assert first.id != second.id
    store.close()
