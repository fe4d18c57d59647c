"""SQLite's own errors as hipflex's storage faults, without SQLAlchemy: the one table of
result codes, read by the engine's hook (store/faults.py) and by the lean reader
(store/lite.py), the size up to which a file is checked whole at opening, and the
integrity check and online backup both of them make on a sqlite3 connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

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


def integrity_problems(
    execute: Callable[[str], Iterable[Sequence[Any]]], *, quick: bool = False
) -> list[str]:
    """What SQLite's integrity check (or its quick check) finds wrong (nothing: []), run
    through `execute` (a sqlite3 connection's, or SQLAlchemy's exec_driver_sql)."""
    pragma = "quick_check" if quick else "integrity_check"
    found = [str(row[0]) for row in execute(f"PRAGMA {pragma}")]
    return [] if found == ["ok"] else found


def backup_into(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup of `source`'s database into the file `target`, made whole."""
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        # A backup is one self-contained file: no write-ahead log beside it.
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        destination.close()
