"""Learn (/learn, /learn/{topic}, /faq) and the exercise library (/exercises)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from hipflex.domain.errors import BadInput
from hipflex.services import library
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


@router.get("/exercises")
def exercises_page(request: Request) -> Response:
    return render(request, "exercises.html")


@router.get("/exercises/{exercise_id}")
def exercise_page(request: Request, exercise_id: str) -> Response:
    try:
        exercise = library.find_exercise(exercise_id)
    except BadInput:
        return render(request, "not_found.html", status_code=404)
    return render(request, "exercise.html", exercise=exercise)
