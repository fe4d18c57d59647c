"""Alembic migrations, run in-process; cheap when the database is already at head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy on use: hipflex.store.lite reads HEAD_REVISION without it
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: Every revision this hipflex has a script for (a test checks them against Alembic's).
KNOWN_REVISIONS = frozenset(path.stem for path in (MIGRATIONS_DIR / "versions").glob("0*.py"))
#: The newest revision; a test checks it matches the scripts, so opening can skip Alembic.
HEAD_REVISION = "0012_clinician_notes"


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic(connection: Connection, verb: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    getattr(command, verb)(config, revision)


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run Alembic's upgrade on an open connection (inside its transaction)."""
    _alembic(connection, "upgrade", revision)


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """One write transaction for a migration (a second process waits, then finds the work
    done). On SQLite, foreign keys are off while it runs: batch migrations recreate tables,
    and dropping the old table must not cascade-delete its children's rows; the keys are
    checked before commit instead."""
    from hipflex.store.db import WRITE_OPTION

    with engine.execution_options(**{WRITE_OPTION: True}).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw: Any = connection.connection.driver_connection
        if sqlite:  # a pragma that only takes effect outside a transaction
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        msg = f"the migration left rows pointing nowhere: {broken[:3]}"
                        raise RuntimeError(msg)
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Move the database to `revision` (developers and tests use downgrades)."""
    with migrating(engine) as connection:
        _alembic(connection, "downgrade" if downgrade else "upgrade", revision)


def upgrade_if_needed(engine: Engine, where: str, *, allowed: bool = True) -> str | None:
    """Migrate to this hipflex's schema; NewerStore for a schema it does not know (written
    by a newer hipflex), which is left as it is; OlderStore for an older one when
    upgrading is not `allowed` (team mode). The revision it was at (None: a new one)."""
    from hipflex.domain.errors import NewerStore, OlderStore
    from hipflex.errors import storage_fault

    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision == HEAD_REVISION:
        return revision
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise storage_fault(NewerStore, where, revision)
    if not allowed:
        raise storage_fault(OlderStore, where, revision or "none yet")
    with migrating(engine) as connection:
        if current_revision(connection) != HEAD_REVISION:
            upgrade(connection)
    return revision
