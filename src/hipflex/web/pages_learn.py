"""Learn (/learn, /learn/{topic}, /faq) and the exercise library (/exercises)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from hipflex.domain.errors import BadInput
from hipflex.domain.safety import stop_words
from hipflex.services import library
from hipflex.services.context import AppContext
from hipflex.services.safety import current_screening
from hipflex.web.deps import Context
from hipflex.web.rendering import render

router = APIRouter()


@router.get("/learn")
def learn_page(request: Request) -> Response:
    return render(request, "learn_index.html", topics=library.topics())


@router.get("/learn/{topic}")
def topic_page(request: Request, topic: str) -> Response:
    try:
        entry = library.find_topic(topic)
    except BadInput:
        return render(request, "not_found.html", status_code=404)
    return render(request, "learn_topic.html", topic=entry, topics=library.topics())


@router.get("/faq")
def faq_page() -> Response:
    return RedirectResponse("/learn/faq", status_code=307)


def _gate(app: AppContext) -> dict[str, Any]:
    """The safety gate's words for the cards: shown instead of doses while no exercise may
    be prescribed (a red flag standing, or the safety questions not answered)."""
    state = current_screening(app)
    return {"stop": stop_words(state), "screening": state.value}


@router.get("/exercises")
def exercises_page(request: Request, app: Context) -> Response:
    return render(request, "exercises.html", **_gate(app))


@router.get("/exercises/{exercise_id}")
def exercise_page(request: Request, app: Context, exercise_id: str) -> Response:
    try:
        exercise = library.find_exercise(exercise_id)
    except BadInput:
        return render(request, "not_found.html", status_code=404)
    return render(request, "exercise.html", exercise=exercise, **_gate(app))
