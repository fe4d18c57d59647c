"""The database's own errors, recognised as hipflex's storage faults (hipflex/errors.py
names them and says what to do): read-only, locked, full, damaged. Everything reaching
the database goes through the engine's handle_error hook, so no caller sees a driver's
traceback for these."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url

from hipflex.domain.errors import (
    ReadOnlyStore,
    StorageFault,
    StoreCorrupt,
    StoreFull,
    StoreLocked,
)
from hipflex.errors import storage_fault
from hipflex.store.sqlite_faults import first_line, sqlite_fault

# PostgreSQL's SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_POSTGRES_FAULTS: dict[str, type[StorageFault]] = {
    "25006": ReadOnlyStore,  # read_only_sql_transaction
    "55P03": StoreLocked,  # lock_not_available (lock_timeout)
    "53100": StoreFull,  # disk_full
    "53200": StoreFull,  # out_of_memory
    "XX001": StoreCorrupt,  # data_corrupted
    "XX002": StoreCorrupt,  # index_corrupted
}


def shown_url(url: str) -> str:
    """A database URL as hipflex shows it: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown without what may be secret
        if "@" not in url:
            return url
        scheme, _, _ = url.partition("://")
        return f"{scheme}://..."


def where(url: str) -> str:
    """The database in a user's words: the file of SQLite, the server's URL otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return str(parsed.database)
    # The server and the database, without the password or the connection's options.
    server = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )
    return server.render_as_string(hide_password=True)


def fault_of(error: BaseException, *, url: str) -> StorageFault | None:
    """The storage fault a driver's error means, if it is one."""
    backend = make_url(url).get_backend_name()
    if isinstance(error, sqlite3.Error):
        return sqlite_fault(error, where(url))
    kind = _POSTGRES_FAULTS.get(str(getattr(error, "sqlstate", "") or ""))
    if kind is None:
        return None
    return storage_fault(kind, where(url), first_line(error), backend=backend)


def name_faults(engine: Engine, url: str) -> None:
    """Raise hipflex's storage faults instead of the driver's errors on this engine."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> Any:
        if context.is_pre_ping:  # the pool's liveness check reads the driver's own error
            return None
        fault = fault_of(context.original_exception, url=url)
        if fault is not None:
            raise fault from context.original_exception
        return None
