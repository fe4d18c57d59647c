"""Migrating a new database once per backend per test session, then replaying that SQL.

Most tests start from an empty database that the store migrates to head on opening:
Alembic loading twelve scripts and reflecting tables costs ~0.2 s on SQLite (more on a
loaded machine), several times what the SQL itself costs. The first empty database of a
session on each backend is migrated by Alembic for real, and the statements it sends are
recorded; every later empty database gets the same statements, in the same order, in the
same transaction, through the same SQLAlchemy connection (so its events, such as the
store's fault naming, still see them). Anything else (an older revision, a downgrade, a
database with tables but no revision) runs Alembic as before, and tests marked
`real_migrations` run it always.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, inspect

from hipflex.store import migrate

Upgrade = Callable[[Connection, str], None]


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


@dataclass
class MigrationReplay:
    """`upgrade` is hipflex.store.migrate.upgrade for a test session (see the module)."""

    real: Upgrade
    recorded: dict[str, list[Statement]] = field(default_factory=dict)

    def upgrade(self, connection: Connection, revision: str = "head") -> None:
        if revision != "head" or inspect(connection).get_table_names():
            self.real(connection, revision)
            return
        backend = connection.dialect.name
        statements = self.recorded.get(backend)
        if statements is None:
            self.recorded[backend] = self._record(connection)
            return
        for statement in statements:
            connection.exec_driver_sql(statement.sql, statement.parameters)

    def _record(self, connection: Connection) -> list[Statement]:
        statements: list[Statement] = []

        def keep(*args: Any) -> None:
            _, _, sql, parameters, _, _ = args
            statements.append(Statement(sql, parameters))

        event.listen(connection, "before_cursor_execute", keep)
        try:
            self.real(connection, "head")
        finally:
            event.remove(connection, "before_cursor_execute", keep)
        assert migrate.current_revision(connection) == migrate.HEAD_REVISION
        return statements
