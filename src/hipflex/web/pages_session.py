"""The guided session player (/session) and the movement break (/break). The page only
names what will be played; the script itself comes from the API and plays in the browser."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hipflex.domain.safety import stop_words
from hipflex.domain.script import StepKind
from hipflex.services import guided, library, safety
from hipflex.services.context import AppContext
from hipflex.web.deps import Context
from hipflex.web.rendering import render

router = APIRouter()


def _render_player(
    request: Request, app: AppContext, mode: str, chosen: guided.GuidedSession
) -> Response:
    script = chosen.script
    parts = [s.title for s in script.steps if s.kind not in (StepKind.LEAD_IN, StepKind.DONE)]
    return render(
        request,
        "player.html",
        page_title=script.name,
        mode=mode,
        name=script.name,
        slot=None if chosen.slot is None else chosen.slot.value,
        exercises=[e.value for e in script.exercise_ids()],
        minutes=max(1, round(script.total_seconds / 60)),
        exercise_names={e.id.value: e.name for e in library.library().exercises.values()},
        screening=chosen.screening.value,
        stop=stop_words(chosen.screening),
        advice=safety.red_flag_advice(app),
        parts=parts,
    )


@router.get("/session")
def session_page(request: Request, app: Context, slot: str | None = None) -> Response:
    return _render_player(request, app, "session", guided.choose_session(app, slot or None))


@router.get("/break")
def break_page(request: Request, app: Context) -> Response:
    return _render_player(request, app, "break", guided.break_session(app))
