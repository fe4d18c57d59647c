"""Alembic migrations, run in-process; cheap when the database is already at head."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from hipflex.store.db import WRITE_OPTION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest revision; a test checks it matches the scripts, so opening can skip Alembic.
HEAD_REVISION = "0003_logs"


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run Alembic's upgrade on an open connection (inside its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade_if_needed(engine: Engine) -> None:
    with engine.connect() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
    # One writer at a time: a second process waits, then finds the work done.
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if current_revision(connection) != HEAD_REVISION:
            upgrade(connection)
