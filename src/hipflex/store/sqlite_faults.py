"""SQLite's own errors as hipflex's storage faults, without SQLAlchemy: the one table of
result codes, read by the engine's hook (store/faults.py) and by the lean reader
(store/lite.py), and the size up to which a file is checked whole at opening."""

from __future__ import annotations

import sqlite3

from hipflex.domain.errors import (
    ReadOnlyStore,
    StorageFault,
    StoreCorrupt,
    StoreFull,
    StoreLocked,
)
from hipflex.errors import storage_fault

#: A SQLite file up to this size gets a quick integrity check at opening (about 3 ms for
#: 8 MB here); a larger one is checked whole by `backup`.
QUICK_CHECK_MAX_BYTES = 8 * 1024 * 1024

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_FAULTS: dict[int, type[StorageFault]] = {
    5: StoreLocked,  # SQLITE_BUSY
    6: StoreLocked,  # SQLITE_LOCKED
    8: ReadOnlyStore,  # SQLITE_READONLY
    11: StoreCorrupt,  # SQLITE_CORRUPT
    13: StoreFull,  # SQLITE_FULL
    26: StoreCorrupt,  # SQLITE_NOTADB
}


def sqlite_fault(error: sqlite3.Error, where: str) -> StorageFault | None:
    """The storage fault a SQLite error means, if it is one; `where` is the file."""
    code = getattr(error, "sqlite_errorcode", None)
    kind = None if code is None else SQLITE_FAULTS.get(code & 0xFF)
    if kind is None:
        return None
    return storage_fault(kind, where, first_line(error), backend="sqlite")


def first_line(error: BaseException) -> str:
    """An error's first line, or its class's name when it says nothing."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
