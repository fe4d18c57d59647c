"""What every route shares: the app's context and the CSRF check (FastAPI dependencies).

Routes import these from here, never from app.py, so the app factory can import the
routers without an import circle."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from pydantic import AllowInfNan, BaseModel, ConfigDict, Strict, model_validator

from hipflex.domain.inputs import text_problem
from hipflex.domain.limits import BLOCK_WEEKS_RANGE
from hipflex.services.context import AppContext
from hipflex.web.security import check_csrf

#: Team mode's login cookie (HttpOnly: no script reads it).
SESSION_COOKIE = "hipflex_session"


def context_of(request: Request) -> AppContext:
    """The app's context (one store, one clock). In team mode, the logged-in account's:
    its store reads and writes that account's data only (NotSignedIn, 401, without a
    login), so no route can reach another person's rows."""
    context: AppContext = request.app.state.context
    if not context.settings.team:
        return context
    from hipflex.services.accounts import signed_in

    account = signed_in(context, request.cookies.get(SESSION_COOKIE))
    request.state.account = account
    return context.for_account(account.id)


def team_server(request: Request) -> AppContext:
    """The team server's whole context (not bound to an account): for logins and the
    consent checks. NotFound in single-user mode, which has neither."""
    context: AppContext = request.app.state.context
    if not context.settings.team:
        from hipflex.domain.errors import NotFound

        msg = "this is for team mode (`hipflex serve --team`)"
        raise NotFound(msg)
    return context


async def csrf_protected(request: Request) -> None:
    """State-changing requests must echo the page's CSRF token."""
    problem = await check_csrf(request)
    if problem is not None:
        raise HTTPException(status_code=403, detail=problem)


Context = Annotated[AppContext, Depends(context_of)]
#: A week of a block (1 to the longest block).
WeekQuery = Annotated[int | None, Query(ge=1, le=BLOCK_WEEKS_RANGE[1])]


# A JSON body's values are taken as they are, never converted: pydantic alone would read
# true as 1, 4.5 as a whole number's error only after rounding, and "3" as 3.
#: A whole number (true, 4.0 and "4" are refused).
Whole = Annotated[int, Strict()]
#: A finite number (NaN, Infinity, 1e309, true and "4" are refused; 4 is 4.0).
Number = Annotated[float, Strict(), AllowInfNan(allow_inf_nan=False)]
#: true or false (1 and "yes" are refused).
Flag = Annotated[bool, Strict()]


def raw_problem(data: object) -> str | None:
    """What no JSON value anywhere in a body may be: text hipflex cannot store (a NUL, a
    lone surrogate; keys too) or a number that is not finite. None when all is plain."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                return f"a text value {problem}"
        elif isinstance(value, float) and not math.isfinite(value):
            return "numbers must be finite (not NaN or infinite)"
    return None


class RequestBody(BaseModel):
    """A JSON request body: unknown keys are refused, not ignored; so is any text hipflex
    cannot store and any number that is not finite, wherever it is in the body."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _plain_values(cls, data: Any) -> Any:
        problem = raw_problem(data)
        if problem is not None:
            raise ValueError(problem)
        return data
