"""Local-mode safety: Host check (DNS rebinding), CSRF on state-changing requests, body
size limit, and a password when the app is reachable from other machines."""

from __future__ import annotations

import base64
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, Iterable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hipflex.domain.errors import TooLarge

CSRF_COOKIE = "hipflex_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 1_000_000  # logs and answers are small; a report upload does not exist
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host header names the app answers to: loopback names, plus the bound host."""
    names = {"localhost", "127.0.0.1", "[::1]", "testserver", *extra}
    if not is_loopback(bind_host) and bind_host not in ("0.0.0.0", "::"):  # noqa: S104
        names.add(bind_host)
    return frozenset(names)


def _host_name(header: str) -> str:
    if header.startswith("["):  # [::1]:8765
        return header.split("]", maxsplit=1)[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class LocalGuard:
    """ASGI middleware: the checks every request passes before any route runs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: frozenset[str],
        any_host: bool = False,
        password: str | None = None,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.any_host = any_host
        self.password = password
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refuse(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if "content-length" not in request.headers:
            # A streamed body: read it here, so that one too long is a 413, not whatever
            # the route makes of an error raised while it reads.
            messages = await self._read_streamed(receive)
            if messages is None:
                too_large = JSONResponse({"detail": "The request is too large."}, status_code=413)
                await too_large(scope, receive, send)
                return
            receive = _replay(messages, receive)
        await self.app(scope, self._limited(receive), send)

    async def _read_streamed(self, receive: Receive) -> list[Message] | None:
        """The request's messages up to the end of its body; None past the size limit."""
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                return None
            if not message.get("more_body", False):
                return messages

    def _refuse(self, request: Request) -> Response | None:
        host = _host_name(request.headers.get("host", ""))
        if not self.any_host and host not in self.hosts:
            # A page on another site that resolves its name to 127.0.0.1 (DNS rebinding).
            return PlainTextResponse("Unknown host.", status_code=400)
        if self.password is not None and not self._authorised(request):
            return PlainTextResponse(
                "Password needed.",
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="hipflex"'},
            )
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return JSONResponse({"detail": "The request is too large."}, status_code=413)
        return None

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic" or self.password is None:
            return False
        try:
            _, _, given = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(given.encode(), self.password.encode())

    def _limited(self, receive: Receive) -> Receive:
        """Count streamed bodies too (no Content-Length): stop past the limit."""
        seen = 0
        limit = self.max_body

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    msg = "request body too large"
                    raise BodyTooLarge(msg)
            return message

        return wrapped


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the messages already read, then the server's own."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


class BodyTooLarge(TooLarge):
    """A streamed body passed the size limit."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def check_csrf(request: Request) -> str | None:
    """None when a state-changing request carries the token of its cookie; else why not."""
    if request.method in SAFE_METHODS:
        return None
    cookie = request.cookies.get(CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER) or None  # an empty header is no header
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not cookie or not given or not hmac.compare_digest(cookie, given):
        return "Missing or wrong CSRF token: reload the page and try again."
    return None


CsrfCheck = Callable[[Request], Awaitable[str | None]]
