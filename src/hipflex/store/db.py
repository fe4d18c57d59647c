"""Engines: SQLite in WAL mode with short BEGIN IMMEDIATE writes; PostgreSQL likewise serial."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from hipflex.domain.errors import BadSetting
from hipflex.store.faults import name_faults, shown_url
from hipflex.store.sqlite_faults import backup_into

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
            # Wait for another writer as long as SQLite does, then say "locked".
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK_KEY})")


#: The databases hipflex can keep its data in.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
SETTING = "HIPFLEX_DATABASE_URL"


def checked_url(url: str) -> URL:
    """The URL parsed, or BadSetting: not a URL, a database hipflex does not support, or a
    SQLite database in memory (everything would be lost when hipflex stops)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        msg = f"{SETTING} is not a database URL: {shown_url(url)!r}"
        raise BadSetting(msg) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        msg = (
            f"{SETTING}={shown_url(url)}: hipflex keeps your data in SQLite or PostgreSQL, "
            f"not {backend} (for example sqlite:////home/you/hipflex.db or "
            "postgresql+psycopg://you@host/hipflex)"
        )
        raise BadSetting(msg)
    if backend == "sqlite" and _in_memory(parsed):
        msg = (
            f"{SETTING}={shown_url(url)} keeps your data in memory only, and it would be lost "
            "when hipflex stops: give a file, for example sqlite:////home/you/hipflex.db"
        )
        raise BadSetting(msg)
    return parsed


def _in_memory(parsed: URL) -> bool:
    database = parsed.database or ""
    mode = parsed.query.get("mode")
    return (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or mode == "memory"
        or "mode=memory" in database
    )


def make_engine(url: str) -> Engine:
    """An engine for the store at `url`; creates the folder of a SQLite file. Its storage
    faults (read-only, locked, full, damaged) are raised as hipflex's (store/faults.py)."""
    parsed = checked_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
            _configure_postgresql(engine)
    except (ImportError, NoSuchModuleError) as exc:
        msg = (
            f"{SETTING}={shown_url(url)} needs a database driver that is not installed "
            f"({exc}); for PostgreSQL use postgresql+psycopg://"
        )
        raise BadSetting(msg) from None
    name_faults(engine, url)
    return engine


def backup_sqlite(engine: Engine, target: Path) -> None:
    """SQLite's online backup of `engine`'s database into the file `target`, made whole."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        if not isinstance(source, sqlite3.Connection):
            msg = f"an online backup needs a SQLite database, not {engine.dialect.name}"
            raise TypeError(msg)
        backup_into(source, target)
    finally:
        raw.close()
