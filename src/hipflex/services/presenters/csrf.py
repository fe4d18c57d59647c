"""The CSRF token for scripts, as JSON (GET /csrf)."""

from __future__ import annotations

from hipflex.services.presenters.common import Out


class CsrfTokenOut(Out):
    """The token of the `hipflex_csrf` cookie, and the header to send it back in."""

    token: str
    header: str
