"""The app factory: nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from hipflex import __version__
from hipflex.config import Settings
from hipflex.domain.errors import BadSetting, HipflexError
from hipflex.services.clock import Clock, SystemClock
from hipflex.services.context import AppContext
from hipflex.web.security import (
    CSRF_COOKIE,
    LocalGuard,
    RemotePassword,
    SecurityHeaders,
    Throttle,
    allowed_hosts,
    https_only,
    new_token,
)

API_PREFIX = "/api/v1"
DOCS_URL = f"{API_PREFIX}/docs"
#: Swagger UI's files, from the fastapi-offline package (no CDN: the docs work offline).
DOCS_ASSETS_URL = f"{DOCS_URL}/assets"


class HipflexApp(FastAPI):
    """FastAPI with the security headers outside everything else, so that they are on
    every answer: the guard's refusals and the server-error page too."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(
            super().build_middleware_stack(), cacheable=("/static/", f"{DOCS_ASSETS_URL}/")
        )


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    *,
    bind_host: str = "127.0.0.1",
    password: str | None = None,
    throttle: Throttle | None = None,
) -> FastAPI:
    """The web app over one AppContext (one store, one clock). With a password (remote
    mode) only its hash is kept; a password too short is refused (BadInput); wrong ones
    are throttled per client address (`throttle`, given by tests to move its clock)."""
    remote_password = RemotePassword(password) if password is not None else None
    context = AppContext(settings or Settings(), clock or SystemClock())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        context.open()  # migrate before the first request, not in a race between two
        from hipflex.web.rendering import warm_up

        warm_up()  # before the first request, not racing it for the CPU
        yield
        context.close()

    app = HipflexApp(
        title="hipflex",
        version=__version__,
        description="A local-first coach for desk workers with tight hip flexors.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # our own page below: Swagger UI from the package, its script a file
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.context = context

    from hipflex.web.rendering import domain_error, http_error, invalid_request

    app.add_exception_handler(HipflexError, domain_error)  # hipflex/errors.py's table
    app.add_exception_handler(RequestValidationError, invalid_request)  # JSON-safe 422

    @app.middleware("http")
    async def csrf_cookie(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Every visitor gets a CSRF token cookie; forms and scripts echo it back."""
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        request.state.csrf_token = token
        response = await call_next(request)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(
                CSRF_COOKIE,
                token,
                httponly=False,
                samesite="strict",
                secure=https_only(request),
            )
        return response

    from hipflex.web import api, pages, pwa
    from hipflex.web.api import downloads
    from hipflex.web.rendering import templates

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return templates().TemplateResponse(
            request,
            "api_docs.html",
            {
                "openapi_url": app.openapi_url,
                "assets": DOCS_ASSETS_URL,
                "csrf_token": request.state.csrf_token,
            },
        )

    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(downloads.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.include_router(pwa.router)  # the manifest, the icons and the service worker
    app.add_exception_handler(StarletteHTTPException, http_error)  # a friendly 404 page
    app.mount("/static", StaticFiles(packages=[("hipflex.web", "static")]), name="static")
    app.mount(
        DOCS_ASSETS_URL, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets"
    )
    # Team mode answers to the address people open it at, behind its proxy too.
    public = urlsplit(context.settings.public_url).hostname if context.settings.team else None
    app.add_middleware(
        LocalGuard,
        hosts=allowed_hosts(bind_host, extra=[public] if public else ()),
        any_host=bind_host in ("0.0.0.0", "::") and remote_password is not None,  # noqa: S104
        password=remote_password,
        throttle=throttle,
    )
    return app


def team_app() -> FastAPI:
    """The team server's app, built in each worker process (`hipflex serve --team
    --workers N` gives uvicorn this factory); its settings come from HIPFLEX_*."""
    settings = Settings()
    if not settings.team:
        msg = "team_app is for team mode: set HIPFLEX_TEAM=1"
        raise BadSetting(msg)
    return create_app(settings, bind_host="0.0.0.0")  # noqa: S104 - hosts: HIPFLEX_PUBLIC_URL's
