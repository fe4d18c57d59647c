"""The log forms (/log) and progress (/progress)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from hipflex.domain.plan import retest_weeks
from hipflex.domain.tracking import MEANINGFUL_CHANGE_WORDS, RESPONDER_FLOOR_WORDS
from hipflex.reports.charts import progress_charts
from hipflex.services import programme, team, tracking
from hipflex.services.presenters.plan import plan_model
from hipflex.services.presenters.progress import progress_model
from hipflex.services.presenters.team import notes_model
from hipflex.services.progress import ProgressView, progress
from hipflex.services.words import MEASURE_NAMES, measurement_error_sentence
from hipflex.web.deps import Context
from hipflex.web.rendering import render

router = APIRouter()


@router.get("/log")
def log_page(request: Request, app: Context) -> Response:
    try:
        plan: dict[str, Any] | None = plan_model(programme.plan_week(app)).model_dump(mode="json")
    except programme.NoAssessment:
        plan = None  # the log works before any assessment (pain, sitting, notes)
    return render(request, "log.html", plan=plan, today=tracking.local_today(app).isoformat())


@router.get("/progress")
def progress_page(request: Request, app: Context) -> Response:
    return render(
        request,
        "progress.html",
        clinician_notes=notes_model(team.notes_for_me(app)).model_dump(mode="json")["notes"],
        **progress_page_context(progress(app)),
    )


def progress_page_context(view: ProgressView, *, about_them: bool = False) -> dict[str, Any]:
    """What progress.html shows of one person's progress: theirs, or (`about_them`) a
    clinician's view of it, /clinician/members/{id}, which extends the same template."""
    charts = progress_charts(view)  # inline SVG: the stylesheet gives them the theme's colours
    notes = [
        {"at": n.at.isoformat(), "text": n.text, "session": n.session} for n in view.notes[-5:]
    ]
    return {
        "data": progress_model(view, about_them=about_them).model_dump(mode="json"),
        "about_them": about_them,
        "charts": charts,
        "notes": list(reversed(notes)),
        "measure_names": MEASURE_NAMES,
        "measurement_error": measurement_error_sentence(view.photo_sem_deg),
        "retest_weeks": retest_weeks(view.preferences.block_weeks),
        "meaningful_change": MEANINGFUL_CHANGE_WORDS,
        "responder_floor": RESPONDER_FLOOR_WORDS,
    }
