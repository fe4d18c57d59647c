"""Team mode's logins: POST /auth/login sets the session cookie, /auth/logout ends it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hipflex.domain.accounts import SESSION_LIFETIME
from hipflex.services import accounts
from hipflex.services.context import AppContext
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import SESSION_COOKIE, RequestBody

router = APIRouter(prefix="/auth", tags=["team"])


class LoginIn(RequestBody):
    email: str
    password: str


def _team_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    if not context.settings.team:
        from hipflex.domain.errors import NotFound

        msg = "logins are for team mode (`hipflex serve --team`)"
        raise NotFound(msg)
    return context


def _client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


@router.post(
    "/login",
    status_code=204,
    summary="Log in (team mode): sets the session cookie",
    responses=refusals(*WRITE, 401, 404, 422, 429),
)
def login(body: LoginIn, request: Request, response: Response) -> None:
    context = _team_context(request)
    account = accounts.log_in(context, body.email, body.password, address=_client_address(request))
    token = accounts.start_session(context, account)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",  # behind an HTTPS proxy: HTTPS only
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


@router.post(
    "/logout", status_code=204, summary="Log out (team mode)", responses=refusals(*WRITE, 404)
)
def logout(request: Request, response: Response) -> None:
    context = _team_context(request)
    accounts.end_session(context, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE)
