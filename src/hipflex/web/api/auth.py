"""Team mode's logins: POST /auth/login sets the session cookie, /auth/logout ends it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from hipflex.domain.errors import BadInput
from hipflex.services import accounts
from hipflex.services.presenters.accounts import (
    ErasedOut,
    LoggedInOut,
    LoggedOutOut,
    erased_model,
    logged_in_model,
)
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Flag, RequestBody, context_of, team_server
from hipflex.web.logins import (
    clear_session_cookie,
    client_address,
    session_token,
    set_session_cookie,
)

router = APIRouter(prefix="/auth", tags=["team"])
#: Your account as a whole (team mode).
account_router = APIRouter(prefix="/account", tags=["team"])


class LoginIn(RequestBody):
    email: str
    password: str


class PasswordIn(RequestBody):
    current_password: str
    new_password: str


@router.post(
    "/login",
    summary="Log in (team mode): sets the session cookie",
    responses=refusals(*WRITE, 401, 404, 422, 429),
)
def login(body: LoginIn, request: Request, response: Response) -> LoggedInOut:
    context = team_server(request)
    account = accounts.log_in(context, body.email, body.password, address=client_address(request))
    set_session_cookie(request, response, accounts.start_session(context, account))
    return logged_in_model(account)


@router.post("/logout", summary="Log out (team mode)", responses=refusals(*WRITE, 404, 422))
def logout(request: Request, response: Response) -> LoggedOutOut:
    context = team_server(request)
    accounts.end_session(context, session_token(request))
    clear_session_cookie(response)
    return LoggedOutOut(logged_in=False)


@router.post(
    "/password",
    summary="Change your password (team mode): your other logins end, this one goes on",
    responses=refusals(*WRITE, 401, 404, 422, 429),
    dependencies=[Depends(context_of)],  # NotSignedIn (401) before the body is read
)
def change_password(body: PasswordIn, request: Request) -> LoggedInOut:
    context = team_server(request)
    account = request.state.account
    accounts.change_password(
        context,
        account,
        body.current_password,
        body.new_password,
        address=client_address(request),
        token=session_token(request) or "",
    )
    return logged_in_model(account)


class EraseIn(RequestBody):
    password: str
    #: true: you know that everything goes and that it cannot be undone.
    confirm: Flag


#: Said when the body's `confirm` is not true.
NOT_CONFIRMED = 'nothing was erased: send "confirm": true to erase all your data'


@account_router.post(
    "/erase",
    summary="Erase all your data (team mode): your password again; the account stays",
    responses=refusals(*WRITE, 401, 404, 422, 429),
    dependencies=[Depends(context_of)],  # NotSignedIn (401) before the body is read
)
def erase_my_data(body: EraseIn, request: Request) -> ErasedOut:
    context = team_server(request)
    if not body.confirm:
        raise BadInput(NOT_CONFIRMED)
    erased = accounts.erase_own_data(
        context, request.state.account, body.password, address=client_address(request)
    )
    return erased_model(erased)
