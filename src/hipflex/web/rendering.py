"""Rendering for the pages: one Jinja environment (built on first use), the layout's
shared context, and friendly HTML errors for the pages (the API keeps its JSON)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from hipflex.domain import limits
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.services import library
from hipflex.services.programme import NoAssessment

#: The main navigation: (path, label), in the order shown.
NAV = (
    ("/", "Home"),
    ("/today", "Today"),
    ("/plan", "Plan"),
    ("/log", "Log"),
    ("/progress", "Progress"),
    ("/learn", "Learn"),
    ("/exercises", "Exercises"),
    ("/settings", "Settings"),
)


@cache
def templates() -> Jinja2Templates:
    environment = Environment(
        loader=PackageLoader("hipflex.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["day"] = day_words
    environment.filters["words"] = id_words
    return Jinja2Templates(env=environment)


def day_words(value: str | date | None) -> str:
    """An ISO date or time as a day people read: 26 November 2026."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, date) else datetime.fromisoformat(value)
    return f"{moment.day} {moment:%B %Y}"


def id_words(value: str) -> str:
    """An id as words: tight_rectus_femoris -> tight rectus femoris."""
    return value.replace("_", " ")


def _section(path: str) -> str:
    """The nav entry a page belongs to (/learn/why -> /learn)."""
    if path == "/":
        return "/"
    first = "/" + path.strip("/").split("/", 1)[0]
    return {"/assess": "/", "/safety": "/", "/session": "/today", "/break": "/today"}.get(
        first, first
    )


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page in the shared layout."""
    shared = {
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "nav": NAV,
        "section": _section(request.url.path),
        "content": library.library(),
        "limits": limits.as_json(),
    }
    return templates().TemplateResponse(
        request, template, {**shared, **context}, status_code=status_code
    )


def status_for(error: HipflexError) -> int:
    if isinstance(error, BadInput):
        return 422
    if isinstance(error, NoAssessment):
        return 409
    return 400


def error_page(request: Request, error: HipflexError, title: str = "That didn't work") -> Response:
    """A domain error met while building a page, in words."""
    message = str(error)
    return render(
        request,
        "error.html",
        status_code=status_for(error),
        title=title,
        message=message[:1].upper() + message[1:],
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """HTML for page requests that fail (a friendly 404); the API keeps its JSON errors."""
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or request.method not in ("GET", "HEAD"):
        return await http_exception_handler(request, exc)
    if exc.status_code == 404:
        return render(request, "not_found.html", status_code=404)
    return render(
        request,
        "error.html",
        status_code=exc.status_code,
        title="Something went wrong",
        message=str(exc.detail),
    )
