"""Team mode's login cookie, shared by the API (web/api/auth.py) and the pages
(pages_account.py), and where a login may send the browser afterwards."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import Request, Response

from hipflex.domain.accounts import SESSION_LIFETIME
from hipflex.web.deps import SESSION_COOKIE
from hipflex.web.security import https_only

LOGIN_PAGE = "/login"
#: A `next` longer than this is not a page of ours.
MAX_NEXT_LENGTH = 2000


def client_address(request: Request) -> str:
    """The address failed logins are counted for (the proxy's client, with --proxy-headers)."""
    return request.client.host if request.client is not None else "unknown"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The login cookie: HttpOnly (no script reads it), SameSite=Lax, Secure over HTTPS,
    kept as long as a login lasts."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=https_only(request),
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def safe_next(target: str | None) -> str:
    """Where to go after a login: a path on this server only ("/" for anything else: an
    address elsewhere, //host, a backslash, a control character or space a browser might
    drop or read as a slash)."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return "/"
    if target.startswith("//") or "\\" in target:
        return "/"
    if any(ch.isspace() or not ch.isprintable() for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(LOGIN_PAGE):
        return "/"
    return target


def login_page_for(request: Request) -> str:
    """The login page, asked to come back to this page afterwards (GET requests only:
    a form posted without a login starts again from home)."""
    if request.method not in ("GET", "HEAD"):
        return LOGIN_PAGE
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = safe_next(here)
    return LOGIN_PAGE if target == "/" else f"{LOGIN_PAGE}?{urlencode({'next': target})}"
