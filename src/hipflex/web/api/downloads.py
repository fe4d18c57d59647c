"""Downloads: the report, the calendar and the data exports."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response

from hipflex.reports.formats import ExportFormat
from hipflex.services.context import AppContext
from hipflex.web.api.refusals import refusals
from hipflex.web.deps import Context, WeekQuery

router = APIRouter()

ReportKind = Literal["pdf", "html"]


def download(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """A download's 200 with its media types (no JSON schema: a file, not an answer)."""
    return {200: {"description": "The file", "content": {m: {} for m in media_types}}}


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
    responses={
        **download("application/json", "text/csv", "application/fhir+json"),
        **refusals(422),
    },
)
def export(kind: ExportFormat, app: Context) -> Response:
    from hipflex.reports.exports import render_export
    from hipflex.services import data

    made = render_export(kind, data.snapshot(app), app.clock.now())
    return _attachment(made.text, made.media_type, made.filename)


@router.get(
    "/calendar.ics",
    summary="Sessions and breaks as a calendar",
    response_class=Response,
    responses={**download("text/calendar"), **refusals(400, 409, 422)},
)
def calendar(app: Context, weeks: WeekQuery = None) -> Response:
    from hipflex.reports.calendar import build_calendar
    from hipflex.services.programme import calendar_plan

    return _attachment(build_calendar(calendar_plan(app, weeks)), "text/calendar", "hipflex.ics")


@router.get(
    "/report.{kind}",
    summary="The progress report, PDF or HTML",
    response_class=Response,
    responses={**download("application/pdf", "text/html"), **refusals(409, 422)},
)
def report(kind: ReportKind, app: Context) -> Response:
    return report_response(kind, app)


def report_response(kind: ReportKind, app: AppContext) -> Response:
    """The progress report of `app`'s person as a download (PDF) or a web page (HTML)."""
    from hipflex.reports.render import to_html, to_pdf
    from hipflex.reports.report import build_report
    from hipflex.services.progress import progress

    document = build_report(progress(app), app.clock.now())
    if kind == "pdf":
        return _attachment(to_pdf(document), "application/pdf", "hipflex-report.pdf")
    return Response(to_html(document), media_type="text/html")
