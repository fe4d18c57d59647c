"""The one error table: each kind of domain error -> its HTTP status and its command-line
exit status. The web app's handlers and the command line's `guarded` both read it; the
message is always the error's own one line. The storage faults' words are here too: what
went wrong with the database and what you can do about it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hipflex.domain.errors import (
    BadInput,
    BadSetting,
    CannotWrite,
    Conflict,
    Forbidden,
    HipflexError,
    MissingExtra,
    NewerStore,
    NotFound,
    NotReady,
    NotSignedIn,
    OlderStore,
    ReadOnlyStore,
    StorageFault,
    StoreCorrupt,
    StoreFull,
    StoreLocked,
    TooLarge,
    TooManyTries,
    Unavailable,
)

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2  # the usual status for a usage error
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl+C


@dataclass(frozen=True)
class ErrorKind:
    error: type[HipflexError]
    http_status: int
    exit_status: int


#: Most specific first: the first row an error is an instance of applies.
ERROR_TABLE = (
    ErrorKind(TooLarge, 413, EXIT_BAD_INPUT),
    ErrorKind(BadInput, 422, EXIT_BAD_INPUT),
    ErrorKind(NotFound, 404, EXIT_FAILURE),
    ErrorKind(NotReady, 409, EXIT_FAILURE),
    ErrorKind(Conflict, 409, EXIT_FAILURE),
    ErrorKind(NotSignedIn, 401, EXIT_FAILURE),
    ErrorKind(Forbidden, 403, EXIT_FAILURE),
    ErrorKind(TooManyTries, 429, EXIT_FAILURE),
    ErrorKind(MissingExtra, 503, EXIT_BAD_INPUT),
    ErrorKind(BadSetting, 503, EXIT_BAD_INPUT),
    # Storage faults: the request was fine, the database cannot take it now.
    ErrorKind(ReadOnlyStore, 503, EXIT_FAILURE),
    ErrorKind(StoreLocked, 503, EXIT_FAILURE),
    ErrorKind(StoreFull, 503, EXIT_FAILURE),
    ErrorKind(StoreCorrupt, 503, EXIT_FAILURE),
    ErrorKind(NewerStore, 503, EXIT_FAILURE),
    ErrorKind(OlderStore, 503, EXIT_FAILURE),
    ErrorKind(Unavailable, 503, EXIT_FAILURE),
    ErrorKind(CannotWrite, 503, EXIT_FAILURE),
    ErrorKind(HipflexError, 400, EXIT_FAILURE),
)


def kind_of(error: HipflexError) -> ErrorKind:
    """The table's row for an error (HipflexError's row when nothing closer matches)."""
    return next(row for row in ERROR_TABLE if isinstance(error, row.error))


#: What each storage fault means and what to do; {where} is the database (a file, or a
#: URL without its password), {detail} the database's own words.
STORAGE_FAULT_WORDS: dict[type[StorageFault], str] = {
    ReadOnlyStore: (
        "cannot save to the database {where}: it is read-only; check that you may write "
        "to it (and, for SQLite, to its folder), then try again (nothing was saved)"
    ),
    StoreLocked: (
        "the database {where} is locked by another program: close it (another hipflex, "
        "or a database tool) and try again (nothing was saved)"
    ),
    StoreFull: (
        "cannot save to the database {where}: the disk is full; free some space and try "
        "again (nothing was saved)"
    ),
    StoreCorrupt: (
        "the database {where} is damaged ({detail}): stop using it and restore your latest "
        'backup{how}; see "Your data" in the README'
    ),
    OlderStore: (
        "the database {where} has an older schema ({detail}) than this hipflex: run "
        "`hipflex db upgrade` first (team mode does not upgrade it while serving)"
    ),
    NewerStore: (
        "this database was written by a newer hipflex (schema {detail}), so this version "
        "cannot use it: upgrade hipflex ({where} was not changed)"
    ),
    StorageFault: "the database {where} cannot be used: {detail}",
}


#: How to get your data back from a damaged database, per kind of database.
RECOVERY_WORDS = {
    "sqlite": (
        " (move the file aside, copy the backup to its place), or rescue what is readable "
        "with `sqlite3 {where} .recover | sqlite3 recovered.db`"
    ),
    "postgresql": " (pg_restore of your last pg_dump) or ask whoever runs the server",
}


def storage_fault(
    kind: type[StorageFault], where: str, detail: str = "", *, backend: str = "sqlite"
) -> StorageFault:
    """The fault of that kind, in its words."""
    words = next(text for cls, text in STORAGE_FAULT_WORDS.items() if issubclass(kind, cls))
    how = RECOVERY_WORDS.get(backend, "").format(where=where)
    return kind(words.format(where=where, detail=detail, how=how))


def printable(message: str) -> str:
    """A message safe to print or send as UTF-8 whatever it quotes (a lone surrogate from
    bytes that were not UTF-8 is shown escaped, as \\udcff)."""
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(message: str) -> str:
    """A message as one printable line whatever it quotes: control characters and line
    breaks shown escaped (as \\n), like the surrogates of `printable`."""
    return _LINE_BREAKING.sub(
        lambda found: found.group().encode("unicode_escape").decode("ascii"), printable(message)
    )
