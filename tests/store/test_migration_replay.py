"""The tests' replay of Alembic's SQL (tests/migration_replay.py) builds the database
Alembic builds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from tests.migration_replay import MigrationReplay

from hipflex.services.context import AppContext
from hipflex.store import Store, migrate
from hipflex.store.models import Base


@pytest.mark.real_migrations  # this test's own replay, recorded from Alembic itself
def test_a_replayed_sqlite_database_is_alembics_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    replay = MigrationReplay(migrate.upgrade)
    monkeypatch.setattr(migrate, "upgrade", replay.upgrade)
    for name in ("recorded.db", "replayed.db"):
        AppContext.upgrade_database(f"sqlite:///{tmp_path / name}")
        assert list(replay.recorded) == ["sqlite"]
    with (
        sqlite3.connect(tmp_path / "recorded.db") as recorded,
        sqlite3.connect(tmp_path / "replayed.db") as replayed,
    ):
        assert list(replayed.iterdump()) == list(recorded.iterdump())


def test_a_replayed_database_has_the_models_schema(database_url: str):
    Store.open(database_url).close()  # the session's first new database, or a replay
    store = Store.open(database_url)
    with store.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.HEAD_REVISION
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    store.close()
    assert diff == []
