"""Rendering for the pages: one Jinja environment (built on first use), the layout's
shared context, and friendly HTML errors for the pages (the API keeps its JSON)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from hipflex.domain import limits
from hipflex.domain.accounts import Account, Role
from hipflex.domain.errors import HipflexError, NoAssessment, NotSignedIn
from hipflex.domain.plurals import counted
from hipflex.errors import kind_of, printable
from hipflex.services import library, pictures
from hipflex.web.logins import login_page_for, session_token
from hipflex.web.pwa import THEME_COLOUR, brand_mark_svg

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


#: Team mode adds these for the person logged in (after NAV).
TEAM_NAV = (
    ("/sharing", "Sharing"),
    ("/sharing/audit", "Who saw your data"),
)

#: And these for a role's own pages (after TEAM_NAV).
ROLE_NAV: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.CLINICIAN: (("/clinician", "People"),),
    Role.ADMIN: (("/admin", "Team totals"),),
}


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
    environment.filters["counted"] = counted  # {{ n | counted("day") }}: "1 day", "2 days"
    # Drawn pictures (partials/picture.html): {{ exercise_picture(id, side) }}, a PictureOut.
    environment.globals["exercise_picture"] = pictures.exercise_picture
    environment.globals["self_test_picture"] = pictures.self_test_picture
    environment.globals["picture_sides"] = pictures.sides_drawn
    environment.globals["theme_colour"] = THEME_COLOUR  # the installed app's bar
    environment.globals["brand_mark"] = brand_mark_svg()  # our own SVG: `| safe` in base.html
    return Jinja2Templates(env=environment)


def warm_up() -> None:
    """Compile every template, load the content and map the store's tables once, at
    start-up, so the first visitor of each page waits for none of them (bench/page_bench.py's
    cold column). All are kept for the process: a second app in it pays nothing."""
    from sqlalchemy.orm import configure_mappers

    from hipflex.content import load_content

    load_content()
    configure_mappers()  # the store's tables, mapped once (else on the first query)
    environment = templates().env
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)


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


def _who(request: Request) -> tuple[bool, Account | None]:
    """Whether this is a team server, and the account logged in (None: nobody)."""
    if not request.app.state.context.settings.team:
        return False, None
    if not hasattr(request.state, "account"):  # a page that reads no one's data
        from hipflex.services.accounts import signed_in

        try:
            request.state.account = signed_in(request.app.state.context, session_token(request))
        except HipflexError:  # no login (or no database, on an error page): nobody
            request.state.account = None
    account: Account | None = request.state.account
    return True, account


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page in the shared layout; on a team server, with who is logged in and their
    pages (and no navigation before a login)."""
    team, account = _who(request)
    nav: tuple[tuple[str, str], ...] = NAV
    if team:
        nav = NAV + TEAM_NAV + ROLE_NAV.get(account.role, ()) if account else ()
    path = request.url.path
    shared = {
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "nav": nav,
        "team": team,
        "account": account,
        "section": path if path in dict(TEAM_NAV) else _section(path),
        "content": library.library(),
        "limits": limits.as_json(),
    }
    return templates().TemplateResponse(
        request, template, {**shared, **context}, status_code=status_code
    )


#: The heading of "No assessment yet" on the pages that need one.
NO_ASSESSMENT_TITLES = {
    "/plan": "Your plan",
    "/today": "Today",
    "/progress": "Progress",
    "/session": "Guided session",
}


def _is_page(request: Request) -> bool:
    """A page asked for by a browser (the API and static files keep their own errors)."""
    path = request.url.path
    return request.method in ("GET", "HEAD") and not path.startswith(("/api/", "/static/"))


def error_page(request: Request, error: HipflexError) -> Response:
    """A domain error met while building a page: the page that says what to do, with the
    table's status (a page that needs an assessment says how to make one)."""
    if isinstance(error, NoAssessment):
        title = NO_ASSESSMENT_TITLES.get(request.url.path, "hipflex")
        return render(request, "no_assessment.html", page_title=title)
    message = printable(str(error))
    return render(
        request,
        "error.html",
        status_code=kind_of(error).http_status,
        title="That didn't work",
        message=message[:1].upper() + message[1:],
    )


async def domain_error(request: Request, exc: Exception) -> Response:
    """Every domain error, mapped once: JSON {"detail"} for the API, a page for pages;
    a page or form without a login (team mode) goes to the login page instead."""
    assert isinstance(exc, HipflexError)
    if (
        isinstance(exc, NotSignedIn)
        and request.app.state.context.settings.team
        and not request.url.path.startswith(("/api/", "/static/"))
    ):
        return RedirectResponse(login_page_for(request), status_code=303)
    if _is_page(request):
        return error_page(request, exc)
    detail = printable(str(exc)) or type(exc).__name__
    return JSONResponse({"detail": detail}, status_code=kind_of(exc).http_status)


async def invalid_request(_: Request, exc: Exception) -> Response:
    """A request FastAPI could not read into its body or parameters: 422 with what is
    wrong where, never the value itself (NaN, a lone surrogate or a NUL cannot always be
    sent back as JSON)."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {
            "loc": [p if isinstance(p, int) else printable(str(p)) for p in error.get("loc", ())],
            "msg": printable(str(error.get("msg", ""))),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


async def http_error(request: Request, exc: Exception) -> Response:
    """HTML for page requests that fail (a friendly 404); the API keeps its JSON errors."""
    assert isinstance(exc, StarletteHTTPException)
    if not _is_page(request):
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
