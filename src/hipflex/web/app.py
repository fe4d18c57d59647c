"""The app factory: nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from hipflex import __version__
from hipflex.config import Settings
from hipflex.domain.errors import HipflexError
from hipflex.services.clock import Clock, SystemClock
from hipflex.services.context import AppContext
from hipflex.web.security import (
    CSRF_COOKIE,
    LocalGuard,
    allowed_hosts,
    new_token,
)

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    *,
    bind_host: str = "127.0.0.1",
    password: str | None = None,
) -> FastAPI:
    """The web app over one AppContext (one store, one clock)."""
    context = AppContext(settings or Settings(), clock or SystemClock())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        context.open()  # migrate before the first request, not in a race between two
        yield
        context.close()

    app = FastAPI(
        title="hipflex",
        version=__version__,
        description="A local-first coach for desk workers with tight hip flexors.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
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
            response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="strict")
        return response

    from hipflex.web import api, pages
    from hipflex.web.api import downloads

    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(downloads.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, http_error)  # a friendly 404 page
    app.mount("/static", StaticFiles(packages=[("hipflex.web", "static")]), name="static")
    app.add_middleware(
        LocalGuard,
        hosts=allowed_hosts(bind_host),
        any_host=bind_host in ("0.0.0.0", "::") and password is not None,  # noqa: S104
        password=password,
    )
    return app
