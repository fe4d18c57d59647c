"""The tests' PostgreSQL schemas (tests/postgres_schemas.py): a schema is lent again only
as a new migrated one would be (no rows, sequences at their start); one a test changed, or
still has a connection to, is dropped instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from tests.postgres_schemas import SchemaPool, drop_schema, new_schema, schema_url

from hipflex.services.context import AppContext
from hipflex.store import Store
from hipflex.store.snapshot import Snapshot

pytestmark = pytest.mark.postgres

NOTE = text("INSERT INTO notes (at, text) VALUES ('2026-11-02T09:00:00+00:00', 'x') RETURNING id")


@pytest.fixture
def pool(postgres_server: Engine) -> Iterator[SchemaPool]:
    schemas = SchemaPool(postgres_server, AppContext.upgrade_database)
    yield schemas
    schemas.close()


def _exists(server: Engine, schema: str) -> bool:
    with server.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": schema}
        ).scalar()
    return bool(found)


def _add_note(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            note_id: int = connection.execute(NOTE).scalar_one()
    finally:
        engine.dispose()
    return note_id


def _snapshot(url: str) -> Snapshot:
    store = Store.open(url)
    try:
        return store.snapshot()
    finally:
        store.close()


def test_a_schema_given_back_is_lent_again_with_no_rows_and_its_sequences_restarted(
    pool: SchemaPool, postgres_server: Engine
):
    new = new_schema(postgres_server)
    try:
        fresh = _snapshot(schema_url(postgres_server, new))
    finally:
        drop_schema(postgres_server, new)
    schema, borrower = pool.lend()
    url = pool.url(schema, borrower)
    assert _add_note(url) == 1
    assert _add_note(url) == 2
    assert len(_snapshot(url).notes) == 2
    pool.give_back(schema, borrower)

    again, next_borrower = pool.lend()
    assert again == schema
    url = pool.url(again, next_borrower)
    assert _snapshot(url) == fresh
    assert _add_note(url) == 1
    pool.give_back(again, next_borrower)


def test_a_schema_whose_tables_changed_is_dropped(pool: SchemaPool, postgres_server: Engine):
    schema, borrower = pool.lend()
    engine = create_engine(pool.url(schema, borrower))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE INDEX notes_text ON notes (text)")
    engine.dispose()
    pool.give_back(schema, borrower)
    assert pool.free == []
    assert not _exists(postgres_server, schema)


def test_a_schema_a_test_is_still_connected_to_is_dropped(
    pool: SchemaPool, postgres_server: Engine
):
    schema, borrower = pool.lend()
    engine = create_engine(pool.url(schema, borrower))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            pool.give_back(schema, borrower)
            assert pool.free == []
    finally:
        engine.dispose()
    assert not _exists(postgres_server, schema)
