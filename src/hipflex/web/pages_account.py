"""Team mode's own pages: logging in and out (/login, /logout), accepting an invitation
(the link `hipflex users add` prints) and the account page (/account: a new password,
logging out everywhere, erasing all your data). The cookie is web/logins.py's, the same
as the API's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from hipflex.domain.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from hipflex.domain.errors import BadInput, HipflexError, NotFound
from hipflex.errors import kind_of, printable
from hipflex.services import accounts
from hipflex.services.accounts import INVITATION_PATH
from hipflex.web.api.team import Team, acting
from hipflex.web.deps import csrf_protected, team_server
from hipflex.web.logins import (
    LOGIN_PAGE,
    clear_session_cookie,
    client_address,
    safe_next,
    session_token,
    set_session_cookie,
)
from hipflex.web.rendering import render

router = APIRouter()
CSRF = [Depends(csrf_protected)]
#: The password rules as data for the forms (domain/accounts.py keeps the rules).
PASSWORD_RULES = {"min_length": MIN_PASSWORD_LENGTH, "max_length": MAX_PASSWORD_LENGTH}
#: Where to go after logging in (?next=/plan); web/logins.safe_next keeps it on this server.
NextQuery = Annotated[str | None, Query(alias="next")]
NOT_THE_SAME = "the two new passwords are not the same: type the same one twice"


def sentence(error: HipflexError | str) -> str:
    """An error's one line as a sentence to show on a form."""
    text = printable(str(error))
    return text[:1].upper() + text[1:]


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def status_of(error: HipflexError) -> int:
    return kind_of(error).http_status


# Logging in and out


@router.get(LOGIN_PAGE)
def login_page(request: Request, target: NextQuery = None) -> Response:
    team_server(request)  # single-user mode has no logins: 404
    return render(request, "login.html", page_title="Log in", next=safe_next(target), email="")


@router.post(LOGIN_PAGE, dependencies=CSRF)
async def login_submit(request: Request) -> Response:
    context = team_server(request)
    form = await request.form()
    email, target = field(form, "email"), safe_next(field(form, "next"))
    try:
        account = accounts.log_in(
            context, email, field(form, "password"), address=client_address(request)
        )
    except HipflexError as error:  # the same words for every wrong login; the wait for 429
        return render(
            request,
            "login.html",
            status_code=status_of(error),
            page_title="Log in",
            next=target,
            email=email,
            problem=sentence(error),
        )
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, accounts.start_session(context, account))
    return response


@router.post("/logout", dependencies=CSRF)
def logout(request: Request) -> Response:
    accounts.end_session(team_server(request), session_token(request))
    response = RedirectResponse(LOGIN_PAGE, status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/logout/everywhere", dependencies=CSRF)
def logout_everywhere(who: Team) -> Response:
    accounts.end_all_sessions(who.app, who.account)
    response = RedirectResponse(LOGIN_PAGE, status_code=303)
    clear_session_cookie(response)
    return response


# Invitations: choose a password, then in


def _invitation(request: Request, token: str, status_code: int = 200, **extra: Any) -> Response:
    email = accounts.invitation_email(team_server(request), token)
    if email is None:
        return render(
            request, "invitation_gone.html", status_code=404, page_title="This link has expired"
        )
    return render(
        request,
        "invitation.html",
        status_code=status_code,
        page_title="Choose your password",
        email=email,
        rules=PASSWORD_RULES,
        **extra,
    )


@router.get(INVITATION_PATH + "{token}")
def invitation_page(request: Request, token: str) -> Response:
    return _invitation(request, token)


@router.post(INVITATION_PATH + "{token}", dependencies=CSRF)
async def invitation_submit(request: Request, token: str) -> Response:
    context = team_server(request)
    form = await request.form()
    password = field(form, "password")
    try:
        if password != field(form, "password_again"):
            raise BadInput(NOT_THE_SAME)
        account = accounts.accept_invitation(context, token, password)
    except NotFound:
        return _invitation(request, token)  # used, expired or replaced meanwhile
    except HipflexError as error:
        return _invitation(request, token, status_of(error), problem=sentence(error))
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, accounts.start_session(context, account))
    return response


# The account page


def _account_page(request: Request, status_code: int = 200, **extra: Any) -> Response:
    return render(
        request,
        "account.html",
        status_code=status_code,
        page_title="Your account",
        rules=PASSWORD_RULES,
        **extra,
    )


@router.get("/account", dependencies=[Depends(acting)])  # a login first
def account_page(
    request: Request, changed: str | None = None, erased: str | None = None
) -> Response:
    return _account_page(request, changed=changed is not None, erased=erased is not None)


@router.post("/account/password", dependencies=CSRF)
async def password_submit(request: Request, who: Team) -> Response:
    form = await request.form()
    new = field(form, "new_password")
    try:
        if new != field(form, "new_password_again"):
            raise BadInput(NOT_THE_SAME)
        accounts.change_password(
            who.app,
            who.account,
            field(form, "current_password"),
            new,
            address=client_address(request),
            token=session_token(request) or "",
        )
    except HipflexError as error:  # a wrong current password counts as a failed login
        return _account_page(request, status_of(error), problem=sentence(error))
    return RedirectResponse("/account?changed=1", status_code=303)


#: Said when the box that confirms the erase is not ticked.
TICK_THE_BOX = "nothing was erased: tick the box to say you know it cannot be undone"


@router.post("/account/erase", dependencies=CSRF)
async def erase_submit(request: Request, who: Team) -> Response:
    form = await request.form()
    try:
        if field(form, "confirm") != "yes":
            raise BadInput(TICK_THE_BOX)
        accounts.erase_own_data(
            who.app, who.account, field(form, "password"), address=client_address(request)
        )
    except HipflexError as error:  # a wrong password counts as a failed login
        return _account_page(request, status_of(error), erase_problem=sentence(error))
    return RedirectResponse("/account?erased=1", status_code=303)
