"""Refusals as JSON: every domain error answers `{"detail": "..."}` (the web maps each
error to its status once); a request the API cannot read answers 422 with the list of
what is wrong in it, as FastAPI words it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hipflex.services.presenters.common import Out


class ErrorOut(Out):
    """What went wrong, in one plain line."""

    detail: str


class InvalidFieldOut(BaseModel):
    """One thing wrong in a request, as FastAPI reports it (it may add more keys)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    loc: list[str | int]
    msg: str
    type: str


class UnprocessableOut(Out):
    """Bad input: one plain line from hipflex, or the list of fields FastAPI refused."""

    detail: str | list[InvalidFieldOut]
