"""Downloads: the report, the calendar and the data exports."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from hipflex.reports.formats import ExportFormat
from hipflex.web.deps import Context, WeekQuery

router = APIRouter()


def _attachment(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/exports/{kind}",
    summary="Your data as JSON (for import), CSV or a FHIR R4 Bundle",
    response_class=Response,
)
def export(kind: ExportFormat, app: Context) -> Response:
    from hipflex.reports.exports import render_export
    from hipflex.services import data

    made = render_export(kind, data.snapshot(app), app.clock.now())
    return _attachment(made.text, made.media_type, made.filename)


@router.get("/calendar.ics", summary="Sessions and breaks as a calendar", response_class=Response)
def calendar(app: Context, weeks: WeekQuery = None) -> Response:
    from hipflex.reports.calendar import build_calendar
    from hipflex.services.programme import calendar_plan

    return _attachment(build_calendar(calendar_plan(app, weeks)), "text/calendar", "hipflex.ics")


@router.get("/report.{kind}", summary="The progress report, PDF or HTML", response_class=Response)
def report(kind: Literal["pdf", "html"], app: Context) -> Response:
    from hipflex.reports.render import to_html, to_pdf
    from hipflex.reports.report import build_report
    from hipflex.services.progress import progress

    document = build_report(progress(app), app.clock.now())
    if kind == "pdf":
        return _attachment(to_pdf(document), "application/pdf", "hipflex-report.pdf")
    return Response(to_html(document), media_type="text/html")
