"""The one error table: each kind of domain error -> its HTTP status and its command-line
exit status. The web app's handlers and the command line's `guarded` both read it; the
message is always the error's own one line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hipflex.domain.errors import (
    BadInput,
    Conflict,
    HipflexError,
    MissingExtra,
    NotFound,
    NotReady,
    TooLarge,
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
    ErrorKind(MissingExtra, 503, EXIT_BAD_INPUT),
    ErrorKind(Unavailable, 503, EXIT_FAILURE),
    ErrorKind(HipflexError, 400, EXIT_FAILURE),
)


def kind_of(error: HipflexError) -> ErrorKind:
    """The table's row for an error (HipflexError's row when nothing closer matches)."""
    return next(row for row in ERROR_TABLE if isinstance(error, row.error))


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
