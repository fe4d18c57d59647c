"""What every route shares: the app's context and the CSRF check (FastAPI dependencies).

Routes import these from here, never from app.py, so the app factory can import the
routers without an import circle."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict

from hipflex.domain.limits import BLOCK_WEEKS_RANGE
from hipflex.services.context import AppContext
from hipflex.web.security import check_csrf


def context_of(request: Request) -> AppContext:
    """The app's context (one store, one clock)."""
    context: AppContext = request.app.state.context
    return context


async def csrf_protected(request: Request) -> None:
    """State-changing requests must echo the page's CSRF token."""
    problem = await check_csrf(request)
    if problem is not None:
        raise HTTPException(status_code=403, detail=problem)


Context = Annotated[AppContext, Depends(context_of)]
#: A week of a block (1 to the longest block).
WeekQuery = Annotated[int | None, Query(ge=1, le=BLOCK_WEEKS_RANGE[1])]


class RequestBody(BaseModel):
    """A JSON request body: unknown keys are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")
