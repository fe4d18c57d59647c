"""Server-rendered pages (placeholder until the pages land)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home() -> str:
    return "<!doctype html><title>hipflex</title><h1>hipflex</h1>"
