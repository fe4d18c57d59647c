"""Alembic environment: hipflex passes an open connection in config.attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from hipflex.store.db import make_engine
from hipflex.store.migrate import migrating
from hipflex.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:  # the alembic command line, for developers writing a migration
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url (alembic -x or alembic.ini) to a database URL")
    with migrating(make_engine(url)) as connection:
        _run(connection)
