"""Team mode's logins: POST /auth/login sets the session cookie, /auth/logout ends it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hipflex.domain.accounts import SESSION_LIFETIME
from hipflex.services import accounts
from hipflex.services.presenters.accounts import LoggedInOut, LoggedOutOut, logged_in_model
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import SESSION_COOKIE, RequestBody, team_server
from hipflex.web.security import https_only

router = APIRouter(prefix="/auth", tags=["team"])


class LoginIn(RequestBody):
    email: str
    password: str


def _client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


@router.post(
    "/login",
    summary="Log in (team mode): sets the session cookie",
    responses=refusals(*WRITE, 401, 404, 422, 429),
)
def login(body: LoginIn, request: Request, response: Response) -> LoggedInOut:
    context = team_server(request)
    account = accounts.log_in(context, body.email, body.password, address=_client_address(request))
    token = accounts.start_session(context, account)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=https_only(request),
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    return logged_in_model(account)


@router.post("/logout", summary="Log out (team mode)", responses=refusals(*WRITE, 404, 422))
def logout(request: Request, response: Response) -> LoggedOutOut:
    context = team_server(request)
    accounts.end_session(context, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE)
    return LoggedOutOut(logged_in=False)
