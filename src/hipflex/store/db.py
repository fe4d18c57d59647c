"""Engines: SQLite in WAL mode with short BEGIN IMMEDIATE writes; PostgreSQL likewise serial."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

#: Execution option that marks a connection as a writer (SQLite takes the write lock up front).
WRITE_OPTION = "hipflex_write"
# How long a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_MS = 30_000
#: Key of the PostgreSQL advisory lock a writer holds until commit (see _configure_postgresql).
POSTGRES_WRITE_LOCK_KEY = 0x68697066  # "hipf"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer locks at BEGIN, so it waits on busy_timeout instead of failing mid-way
        # with "database is locked" when it upgrades a read lock.
        writer = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # SQLite's BEGIN IMMEDIATE, on PostgreSQL: one writer at a time, so a read-then-write
        # (saving preferences, migrating an empty database) cannot race another process.
        if connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK_KEY})")


def make_engine(url: str) -> Engine:
    """An engine for the store at `url`; creates the folder of a SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if parsed.get_backend_name() == "postgresql":
        _configure_postgresql(engine)
    return engine


def backup_sqlite(engine: Engine, target: Path) -> None:
    """SQLite's online backup of `engine`'s database into the file `target`, made whole."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        if not isinstance(source, sqlite3.Connection):
            msg = f"an online backup needs a SQLite database, not {engine.dialect.name}"
            raise TypeError(msg)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
            # A backup is one self-contained file: no write-ahead log beside it.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        raw.close()
