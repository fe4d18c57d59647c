"""The store on SQLite and PostgreSQL: round trips, migrations; SQLite settings."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.config import main as alembic_main
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from sqlalchemy import bindparam, inspect, text
from sqlalchemy.exc import StatementError
from tests import strategies

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.photos import KeptImage, PhotoTest
from hipflex.domain.preferences import Preferences, Weekday
from hipflex.domain.protocol import Side, Sign
from hipflex.store import Store
from hipflex.store.db import make_engine
from hipflex.store.migrate import HEAD_REVISION, MIGRATIONS_DIR, current_revision, upgrade
from hipflex.store.models import Base, UTCDateTime

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_head_revision_constant_matches_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


@pytest.mark.real_migrations  # Alembic itself, not a replay of its SQL
def test_migrations_build_exactly_the_models(database_url: str):
    store = Store.open(database_url)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    store.close()
    assert diff == []


@pytest.mark.real_migrations  # Alembic itself, not a replay of its SQL
def test_sqlite_file_is_created_in_wal_mode(tmp_path: Path):
    db = tmp_path / "nested" / "folder" / "h.db"
    Store.open(_url(db)).close()
    assert db.exists()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_reopening_a_migrated_store_keeps_data(database_url: str):
    first = Store.open(database_url)
    first.add_assessment(
        assess(AssessmentInput(sitting_hours=5, red_flags=frozenset())),
        at=T0,
        kind=AssessmentKind.BASELINE,
    )
    first.close()
    again = Store.open(database_url)
    assert [r.assessment.sitting_hours for r in again.assessments()] == [5]
    again.close()


def test_naive_datetimes_are_refused(database_url: str):
    store = Store.open(database_url)
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        store.add_assessment(
            assess(AssessmentInput(red_flags=frozenset())), at=naive, kind=AssessmentKind.BASELINE
        )
    assert store.assessments() == []
    store.close()


def test_assessments_are_listed_newest_first_with_their_kind(database_url: str):
    store = Store.open(database_url)
    for day, kind in enumerate([AssessmentKind.BASELINE, AssessmentKind.RETEST]):
        store.add_assessment(
            assess(AssessmentInput(sitting_hours=day, red_flags=frozenset())),
            at=T0 + timedelta(days=day),
            kind=kind,
        )
    listed = store.assessments()
    assert [r.kind for r in listed] == [AssessmentKind.RETEST, AssessmentKind.BASELINE]
    assert store.latest_assessment() == listed[0]
    assert listed[0].recorded_at == T0 + timedelta(days=1)
    assert listed[0].recorded_at.tzinfo is not None
    assert len(store.assessments(limit=1)) == 1
    store.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=strategies.answers())
def test_every_input_and_result_survives_a_round_trip(database_url: str, answers: AssessmentInput):
    store = Store.open(database_url)
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


def test_upgrading_from_the_first_migration_keeps_the_assessments(database_url: str):
    """A database made by the first release, with data in it, upgrades losing nothing."""
    first_release = make_engine(database_url)
    with first_release.begin() as connection:
        upgrade(connection, "0001_assessments")
        # Portable SQL: TRUE/FALSE and a JSON text literal read the same on both databases;
        # the time is bound through the column's type, as the first release wrote it.
        connection.execute(
            text(
                "INSERT INTO assessments (recorded_at, kind, sitting_hours, sitting_band, "
                "signs, red_flags, safe_to_exercise, knee_floor_deg, thigh_tolerance_deg, "
                "extension_floor_deg) VALUES (:at, 'baseline', 6.5, "
                "'high', '[\"swayback\"]', '[]', TRUE, 80.0, 0.0, 10.0)"
            ).bindparams(bindparam("at", T0, type_=UTCDateTime())),
        )
        assessment_id = connection.execute(text("SELECT id FROM assessments")).scalar_one()
        for side, result in (("left", "tight_iliopsoas"), ("right", "not_tested")):
            connection.execute(
                text(
                    "INSERT INTO assessment_sides (assessment_id, side, thomas_thigh_given, "
                    "thomas_knee_flexion_deg, thomas_thigh, thomas_result, "
                    "extension_compensated, extension_result) VALUES "
                    "(:id, :side, :given, :knee, :given, :result, FALSE, 'not_tested')"
                ),
                {
                    "id": assessment_id,
                    "side": side,
                    "given": "raised" if result != "not_tested" else None,
                    "knee": 85.0 if result != "not_tested" else None,
                    "result": result,
                },
            )
    first_release.dispose()
    upgraded = Store.open(database_url)
    (saved,) = upgraded.assessments()
    expected = assess(
        AssessmentInput(
            thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=85.0)},
            sitting_hours=6.5,
            signs=frozenset({Sign.SWAYBACK}),
            red_flags=frozenset(),
        )
    )
    assert saved.assessment == expected
    assert saved.recorded_at == T0
    assert upgraded.preferences() == Preferences()
    later = upgraded.add_assessment(expected, at=T0 + timedelta(days=1), kind=AssessmentKind.RETEST)
    assert later.id != saved.id  # ids keep counting after rows the old release wrote
    upgraded.close()


def test_alembic_command_line_downgrades_to_base_and_upgrades_again(
    database_url: str, tmp_path: Path
):
    """The developers' path: `alembic -c FILE upgrade head`, `downgrade base`, `upgrade head`."""
    ini = tmp_path / "alembic.ini"
    # The ini file is interpolated: a % in the URL (PostgreSQL's options) must be doubled.
    ini.write_text(
        f"[alembic]\nscript_location = {MIGRATIONS_DIR}\n"
        f"sqlalchemy.url = {database_url.replace('%', '%%')}\n"
    )
    engine = make_engine(database_url)

    def tables() -> set[str]:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())

    def alembic(*args: str) -> None:
        alembic_main(argv=["-c", str(ini), *args])
        engine.dispose()  # forget pooled connections: the schema under them changed

    everything = {table.name for table in Base.metadata.sorted_tables} | {"alembic_version"}
    alembic("upgrade", "head")
    assert tables() == everything
    alembic("downgrade", "base")
    assert tables() == {"alembic_version"}
    alembic("upgrade", "head")
    assert tables() == everything
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()
    store = Store.open(database_url)
    store.add_assessment(
        assess(AssessmentInput(red_flags=frozenset())), at=T0, kind=AssessmentKind.BASELINE
    )
    assert len(store.assessments()) == 1
    store.close()


def test_preferences_and_blocks_round_trip(database_url: str):
    store = Store.open(database_url)
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
    saved = store.add_assessment(
        assess(AssessmentInput(red_flags=frozenset())), at=T0, kind=AssessmentKind.BASELINE
    )
    first = store.start_block(assessment_id=saved.id, started_on=T0.date(), at=T0)
    second = store.start_block(
        assessment_id=saved.id, started_on=T0.date() + timedelta(days=42), at=T0 + timedelta(1)
    )
    assert store.latest_block() == second
    assert first.id != second.id
    store.close()


def test_downgrading_and_upgrading_again_keeps_every_row(database_url: str):
    """Batch migrations recreate tables on SQLite; children of a recreated table survive."""
    from hipflex.store.migrate import migrate

    store = Store.open(database_url)
    answers = AssessmentInput(
        thomas={side: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0) for side in Side},
        sitting_hours=5.0,
        red_flags=frozenset(),
    )
    saved = store.add_assessment(assess(answers), at=T0, kind=AssessmentKind.BASELINE)
    store.close()
    engine = Store.open(database_url).engine
    migrate(engine, "0002_preferences_blocks", downgrade=True)  # recreates `assessments`
    migrate(engine, "head")
    engine.dispose()
    again = Store.open(database_url)
    assert again.assessments() == [saved]
    again.close()


def test_upgrading_from_0005_reads_every_earlier_test_as_typed_in(database_url: str):
    """Migration 0006: tests recorded before photos existed were all typed in ("self")."""
    before_photos = make_engine(database_url)
    with before_photos.begin() as connection:
        upgrade(connection, "0005_block_phase")
        connection.execute(
            text(
                "INSERT INTO assessments (recorded_at, kind, sitting_hours, sitting_band, "
                "signs, red_flags, safe_to_exercise, knee_floor_deg, thigh_tolerance_deg, "
                "extension_floor_deg) VALUES (:at, 'baseline', NULL, NULL, '[]', '[]', TRUE, "
                "80.0, 0.0, 10.0)"
            ).bindparams(bindparam("at", T0, type_=UTCDateTime())),
        )
        assessment_id = connection.execute(text("SELECT id FROM assessments")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO assessment_sides (assessment_id, side, thomas_thigh_given, "
                "thomas_knee_flexion_deg, thomas_thigh, thomas_result, extension_deg, "
                "extension_compensated, extension_result) VALUES "
                "(:id, 'left', 'flat', 70.0, 'flat', 'tight_rectus_femoris', 15.0, FALSE, "
                "'normal')"
            ),
            {"id": assessment_id},
        )
    before_photos.dispose()
    upgraded = Store.open(database_url)
    (saved,) = upgraded.assessments()
    thomas = saved.assessment.thomas_given(Side.LEFT)
    extension = saved.assessment.extension_given(Side.LEFT)
    assert (thomas.method, thomas.pelvis_checked) == (MeasurementMethod.SELF, None)
    assert (extension.method, extension.pelvis_checked) == (MeasurementMethod.SELF, None)
    assert extension.degrees == 15.0
    assert upgraded.photos() == []
    upgraded.close()


def test_each_test_keeps_its_method_and_pelvis_check_per_side(database_url: str):
    store = Store.open(database_url)
    answers = AssessmentInput(
        thomas={
            Side.LEFT: ThomasInput(
                None, 4.0, 72.0, method=MeasurementMethod.PHOTO, pelvis_checked=False
            ),
            Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0),
        },
        extension={
            Side.LEFT: ExtensionInput(12.0),
            Side.RIGHT: ExtensionInput(8.5, method=MeasurementMethod.PHOTO, pelvis_checked=True),
        },
        red_flags=frozenset(),
    )
    saved = store.add_assessment(assess(answers), at=T0, kind=AssessmentKind.BASELINE)
    store.close()
    again = Store.open(database_url)
    (loaded,) = again.assessments()
    assert loaded == saved
    assert loaded.assessment.answers == answers
    assert loaded.assessment.thomas_given(Side.LEFT).pelvis_checked is False
    assert loaded.assessment.extension_given(Side.RIGHT).method is MeasurementMethod.PHOTO
    assert loaded.assessment.extension_given(Side.LEFT).method is MeasurementMethod.SELF
    again.close()


def test_a_kept_photo_round_trips_byte_for_byte(database_url: str):
    store = Store.open(database_url)
    saved = store.add_assessment(
        assess(AssessmentInput(red_flags=frozenset())), at=T0, kind=AssessmentKind.BASELINE
    )
    image = KeptImage(bytes(range(256)) * 3, "image/jpeg", 640, 480)
    kept = store.add_photo(
        assessment_id=saved.id,
        test=PhotoTest.THOMAS,
        sides=(Side.LEFT, Side.RIGHT),
        image=image,
        at=T0,
    )
    assert store.photos() == [kept]
    assert store.photos(assessment_id=saved.id) == [kept]
    assert store.photos(assessment_id=saved.id + 1) == []
    assert kept.image == image
    assert kept.sides == (Side.LEFT, Side.RIGHT)
    store.erase_all()
    assert store.photos() == []
    store.close()
