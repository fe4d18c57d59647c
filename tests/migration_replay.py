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

LivedHistory does the same for a long history a fixture lives through the services (weeks
of sessions): lived once per backend, its row writes replayed for the next test, and the
result checked against the lived one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, inspect

from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
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


#: The statements that change a database's rows (reads, BEGIN and locks are left out).
_WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class _Lived:
    writes: list[Statement]
    snapshot: Any
    ended_at: datetime


@dataclass
class LivedHistory:
    """A long history lived through the services once per backend per test session (its
    row writes recorded), then written again for the next test: `live(app, clock)` builds
    it for real the first time; later, the same writes go into the test's new database in
    one transaction, the clock moves to where the history left it, and the store's
    snapshot must equal the one the real history left, or the test fails."""

    live: Callable[[AppContext, FixedClock], None]
    recorded: dict[str, _Lived] = field(default_factory=dict)

    def __call__(self, app: AppContext, clock: FixedClock) -> None:
        engine = app.store.engine  # opened (and migrated) before recording
        backend = engine.dialect.name
        lived = self.recorded.get(backend)
        if lived is None:
            self.recorded[backend] = self._record(app, clock)
            return
        assert clock.now() <= lived.ended_at
        with engine.begin() as connection:
            for statement in lived.writes:
                connection.exec_driver_sql(statement.sql, statement.parameters)
        clock.advance((lived.ended_at - clock.now()).total_seconds())
        assert app.store.snapshot() == lived.snapshot, "the written history is not the lived one"

    def _record(self, app: AppContext, clock: FixedClock) -> _Lived:
        writes: list[Statement] = []

        def keep(*args: Any) -> None:
            _, _, sql, parameters, _, _ = args
            if sql.lstrip().upper().startswith(_WRITES):
                writes.append(Statement(sql, parameters))

        engine = app.store.engine
        event.listen(engine, "before_cursor_execute", keep)
        try:
            self.live(app, clock)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        return _Lived(writes, app.store.snapshot(), clock.now())
