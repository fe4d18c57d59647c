"""Results and plan (/plan) and today's timeline (/today)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from hipflex.domain.assessment import parse_choice
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import ExerciseId
from hipflex.services import assessments, due, programme, tracking
from hipflex.services.presenters.assessments import report_model
from hipflex.services.presenters.due import due_model
from hipflex.services.presenters.plan import plan_model, plan_today_model, today_model
from hipflex.web.deps import Context, csrf_protected
from hipflex.web.rendering import render

router = APIRouter()


def _week(text: str | None) -> int | None:
    if text is None or text.strip() == "":
        return None
    try:
        return int(text)
    except ValueError:
        msg = f"week '{text}' is not a number: choose a week of your block, such as 1"
        raise BadInput(msg) from None


def exercise_cards(plan: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each exercise of the week once, in order of first use, with its distinct doses."""
    cards: dict[str, list[str]] = {}
    offered = [*plan["sessions"], {"exercises": plan.get("optional", [])}]
    for session in offered:
        for exercise in session["exercises"]:
            doses = cards.setdefault(exercise["id"], [])
            if exercise["description"] not in doses:
                doses.append(exercise["description"])
    return list(cards.items())


@router.get("/plan")
def plan_page(request: Request, app: Context, week: str | None = None) -> Response:
    view = programme.plan_week(app, _week(week))
    plan = plan_model(view).model_dump(mode="json")
    findings = report_model(
        assessments.explain(view.assessment.assessment, view.assessment)
    ).model_dump(mode="json")
    today = None  # the plan opens with what to do today, on the current week's page
    if not view.projected and plan.get("week") == plan.get("current_week"):
        found = plan_today_model(programme.today_of(app, view))
        today = None if found is None else found.model_dump(mode="json")
    return render(
        request,
        "plan.html",
        plan=plan,
        findings=findings,
        cards=exercise_cards(plan),
        today=today,
    )


@router.get("/today")
def today_page(request: Request, app: Context) -> Response:
    view = programme.today(app)
    today = today_model(view).model_dump(mode="json")
    reminders = due_model(due.due_today(app, view.plan)).model_dump(mode="json")
    return render(request, "today.html", today=today, due=reminders)


@router.post("/plan/checked", dependencies=[Depends(csrf_protected)])
async def exercise_checked(request: Request, app: Context) -> Response:
    """The form under a paused exercise: a clinician has checked it, so it comes back."""
    form = await request.form()
    chosen = form.get("exercise_id")
    exercise = parse_choice(ExerciseId, chosen if isinstance(chosen, str) else "", "exercise")
    tracking.clear_exercise(app, exercise)
    return RedirectResponse("/plan", status_code=303)
