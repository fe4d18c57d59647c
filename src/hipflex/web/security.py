"""Web safety: Host check (DNS rebinding), CSRF on state-changing requests, body size
limit, the security headers on every response, and a password (kept as a hash, failures
throttled) when the app is reachable from other machines."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hipflex.domain.accounts import MIN_PASSWORD_LENGTH
from hipflex.domain.errors import BadInput, TooLarge

CSRF_COOKIE = "hipflex_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 1_000_000  # logs and answers are small; a report upload does not exist
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
#: The in-process test client (Starlette's TestClient): its Host name, and the peer it
#: puts in the ASGI scope. A real server fills the peer from the socket, so no request
#: from the network can claim it: the test client's name is answered in tests only.
TEST_CLIENT_HOST = "testserver"
TEST_CLIENT_PEER = "testclient"
PLAIN_HTTP_WARNING = (
    "Warning: a browser on another machine reached hipflex over plain HTTP, so the password "
    "and your health data cross the network unencrypted; put an HTTPS proxy in front of "
    "hipflex (or reach it through an SSH tunnel)."
)
log = logging.getLogger("hipflex.web")


def https_only(request: Request) -> bool:
    """Whether a cookie set on this answer is marked Secure: the request came over HTTPS
    (behind an HTTPS proxy: its X-Forwarded-Proto, with `serve --proxy-headers`)."""
    return request.url.scheme == "https"


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host header names the app answers to: loopback names, plus the bound host."""
    names = {"localhost", "127.0.0.1", "[::1]", *extra}
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
        password: RemotePassword | None = None,
        throttle: Throttle | None = None,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.any_host = any_host
        self.password = password
        self.throttle = throttle or Throttle()
        self.max_body = max_body
        self.warned_plain_http = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if self.password is not None and not self.warned_plain_http:
            self._warn_if_plain_http(request)
        refusal = await self._refuse(request)
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

    def _warn_if_plain_http(self, request: Request) -> None:
        """Once: a password crossing the network in clear. An HTTPS proxy on this machine
        (X-Forwarded-Proto, trusted by uvicorn from loopback) makes the scheme https."""
        peer = request.client.host if request.client else ""
        if request.url.scheme == "http" and not is_loopback(peer):
            log.warning(PLAIN_HTTP_WARNING)
            self.warned_plain_http = True

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

    async def _refuse(self, request: Request) -> Response | None:
        if not self._known_host(request):
            # A page on another site that resolves its name to 127.0.0.1 (DNS rebinding).
            return PlainTextResponse("Unknown host.", status_code=400)
        if self.password is not None:
            refusal = await self._check_password(request, self.password)
            if refusal is not None:
                return refusal
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return JSONResponse({"detail": "The request is too large."}, status_code=413)
        return None

    def _known_host(self, request: Request) -> bool:
        host = _host_name(request.headers.get("host", ""))
        if self.any_host or host in self.hosts:
            return True
        peer = request.client.host if request.client else None
        return host == TEST_CLIENT_HOST and peer == TEST_CLIENT_PEER

    async def _check_password(self, request: Request, password: RemotePassword) -> Response | None:
        """None when the request carries the password; else the 401 or, after too many
        wrong ones from its address, the 429 (checked before the password is looked at)."""
        address = request.client.host if request.client else ""
        wait = self.throttle.wait(address)
        if wait > 0:
            return PlainTextResponse(
                "Too many wrong passwords: wait a moment and try again.",
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
        header = request.headers.get("authorization", "")
        if header:  # a first visit without one is no guess
            accepted: bool = await anyio.to_thread.run_sync(password.accepts, header)
            if accepted:
                self.throttle.succeeded(address)
                return None
            self.throttle.failed(address)
        return PlainTextResponse(
            "Password needed.",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="hipflex", charset="UTF-8"'},
        )

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


# The password for --allow-remote


#: scrypt's cost: 16 MiB and about a twentieth of a second a try on one core.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_ACCEPTED_LIMIT = 64


class RemotePassword:
    """The password of `hipflex serve --allow-remote`, kept only as a salted scrypt hash.

    Any user name goes with it (one person's app). A header already accepted once is
    remembered by a keyed digest, so a page's many requests pay for one scrypt."""

    def __init__(self, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            msg = (
                f"the password in HIPFLEX_WEB_PASSWORD is too short: use at least "
                f"{MIN_PASSWORD_LENGTH} characters"
            )
            raise BadInput(msg)
        self._salt = secrets.token_bytes(16)
        self._hash = self._derive(password)
        self._key = secrets.token_bytes(32)
        self._accepted: set[bytes] = set()

    def _derive(self, password: str) -> bytes:
        return hashlib.scrypt(password.encode(), salt=self._salt, **_SCRYPT)

    def matches(self, given: str) -> bool:
        return hmac.compare_digest(self._derive(given), self._hash)

    def accepts(self, authorization: str) -> bool:
        """Whether an Authorization header is Basic with this password (any user name)."""
        seen = hmac.digest(self._key, authorization.encode("utf-8", "replace"), "sha256")
        if seen in self._accepted:
            return True
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _, colon, given = base64.b64decode(value, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        if not colon or not self.matches(given):
            return False
        if len(self._accepted) >= _ACCEPTED_LIMIT:
            self._accepted.clear()
        self._accepted.add(seen)
        return True


@dataclass
class _Failures:
    count: int
    last: float


class Throttle:
    """Wrong passwords per client address: a few are free (typing slips), then each one
    doubles the wait before the next try is looked at, up to MAX_WAIT_S. A right
    password clears the count."""

    FREE_FAILURES = 3
    FIRST_WAIT_S = 1.0
    MAX_WAIT_S = 300.0
    _REMEMBERED = 4096  # addresses kept at most; the ones whose wait is long over go first

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}

    def _delay(self, count: int) -> float:
        over = count - self.FREE_FAILURES
        if over <= 0:
            return 0.0
        return min(self.MAX_WAIT_S, self.FIRST_WAIT_S * 2.0 ** min(over - 1, 30))

    def wait(self, address: str) -> float:
        """Seconds before this address may try a password again (0: now)."""
        failures = self._failures.get(address)
        if failures is None:
            return 0.0
        return max(0.0, failures.last + self._delay(failures.count) - self._clock())

    def failed(self, address: str) -> None:
        now = self._clock()
        failures = self._failures.get(address)
        if failures is None:
            self._forget_old(now)
            self._failures[address] = _Failures(1, now)
        else:
            failures.count += 1
            failures.last = now

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)

    def _forget_old(self, now: float) -> None:
        if len(self._failures) < self._REMEMBERED:
            return
        for address, failures in list(self._failures.items()):
            if now - failures.last > 2 * self.MAX_WAIT_S:
                del self._failures[address]
        if len(self._failures) >= self._REMEMBERED:  # a flood from many addresses
            oldest = min(self._failures, key=lambda a: self._failures[a].last)
            del self._failures[oldest]


# Headers on every response


#: Scripts and styles from this app's own files only (no inline script, no inline style
#: attribute); images may also be the charts (data: SVG) and the photo being measured,
#: which stays in the page (blob:). The service worker and the manifest are this app's own
#: (/sw.js, /manifest.webmanifest). No framing, no plugins, forms post here only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: Files that hold no personal data and may be cached; every other answer is no-store.
CACHEABLE_PREFIXES = ("/static/",)


class SecurityHeaders:
    """ASGI middleware, outermost: the headers go on every answer, errors included."""

    def __init__(self, app: ASGIApp, *, cacheable: tuple[str, ...] = CACHEABLE_PREFIXES) -> None:
        self.app = app
        self.cacheable = cacheable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = not str(scope.get("path", "")).startswith(self.cacheable)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if personal:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
