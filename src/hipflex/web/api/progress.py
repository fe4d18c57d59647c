"""Progress: the numbers and the charts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from hipflex.services.presenters.progress import ProgressOut, progress_model
from hipflex.services.progress import progress
from hipflex.web.api.refusals import refusals
from hipflex.web.deps import Context

router = APIRouter()


@router.get(
    "/progress",
    summary="Adherence, pain verdict, tests over time, sitting",
    responses=refusals(409),
)
def get_progress(app: Context) -> ProgressOut:
    return progress_model(progress(app))


@router.get(
    "/charts/{name}.svg",
    summary="A progress chart as SVG",
    response_class=Response,
    responses={
        200: {"description": "The chart", "content": {"image/svg+xml": {}}},
        **refusals(409, 422),
    },
)
def chart(name: Literal["pain", "adherence", "sitting"], app: Context) -> Response:
    from hipflex.reports.charts import progress_charts

    (drawn,) = [c for c in progress_charts(progress(app)) if c.name == name]  # cached
    return Response(drawn.svg, media_type="image/svg+xml")
