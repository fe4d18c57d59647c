"""Progress: the numbers and the charts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response

from hipflex.services.progress import progress
from hipflex.services.progress_json import progress_json
from hipflex.web.deps import Context

router = APIRouter()
Json = dict[str, Any]


@router.get("/progress", summary="Adherence, pain verdict, tests over time, sitting")
def get_progress(app: Context) -> Json:
    return progress_json(progress(app))


@router.get(
    "/charts/{name}.svg",
    summary="A progress chart as SVG",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def chart(name: Literal["pain", "adherence", "sitting"], app: Context) -> Response:
    from hipflex.reports import charts

    draw = {
        "pain": charts.pain_chart,
        "adherence": charts.adherence_chart,
        "sitting": charts.sitting_chart,
    }[name]
    return Response(draw(progress(app)).svg, media_type="image/svg+xml")
