"""The refusals a route documents in OpenAPI. Each answers `{"detail": "..."}` (the web
maps domain errors to these statuses once, in app.py); a 422 may instead list the fields
FastAPI refused. Every route may answer 503 when the database cannot be opened."""

from __future__ import annotations

from typing import Any

from hipflex.services.presenters.errors import ErrorOut, UnprocessableOut

REASONS = {
    400: "The request cannot be read, or carried out now (the reason is in `detail`)",
    401: "Team mode: not logged in, or the e-mail address or password is not right",
    403: "Missing or wrong CSRF token (state-changing requests); team mode: not allowed",
    404: "Not found",
    409: "No assessment saved yet: record one first",
    413: "The request body is too large",
    422: "Bad input: a value out of range, unknown or contradictory",
    429: "Team mode: too many failed logins lately; wait, then try again",
    503: "The database is unavailable",
}

#: What a state-changing request may meet before its route runs: a body that is not
#: text (400), no CSRF token (403), a body too large (413).
WRITE = (400, 403, 413)


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that may answer with these statuses (and 503)."""
    return {
        status: {
            "model": UnprocessableOut if status == 422 else ErrorOut,
            "description": REASONS[status],
        }
        for status in sorted({*statuses, 503})
    }
