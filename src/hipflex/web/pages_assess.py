"""The assessment wizard (/assess) and the safety page (/safety)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from hipflex.domain.assessment import AssessmentKind, SafetyQuestionsUnanswered
from hipflex.domain.errors import HipflexError
from hipflex.domain.inputs import is_written_number
from hipflex.domain.protocol import RedFlag, Side
from hipflex.errors import kind_of
from hipflex.services import assessments, blocks, safety
from hipflex.services.presenters.photo import guide_model
from hipflex.services.safety import current_red_flags
from hipflex.web.api.assessments import AssessmentBody
from hipflex.web.deps import Context, context_of, csrf_protected
from hipflex.web.rendering import render
from hipflex.web.security import MAX_BODY_BYTES

router = APIRouter()


def _kind(retest: object, safety: object) -> str:
    """The wizard's kind: the safety questions only, a re-test, or a baseline."""
    if safety:
        return AssessmentKind.SAFETY_CHECK.value
    return AssessmentKind.RETEST.value if retest else AssessmentKind.BASELINE.value


def _photo_guide() -> dict[str, Any]:
    """The points each self-test reads, for the photo control (a JSON block in the page)."""
    return guide_model(MAX_BODY_BYTES).model_dump(mode="json")


@router.get("/assess", dependencies=[Depends(context_of)])  # team mode: logged in only
def assess_page(request: Request, retest: str | None = None, safety: str | None = None) -> Response:
    return render(
        request, "assess.html", kind=_kind(retest, safety), error=None, photo_guide=_photo_guide()
    )


def safety_answers(form: FormData) -> frozenset[RedFlag]:
    """The safety questions from the form: each one must be answered, yes or no (never
    answered is never taken as no)."""
    answers = {flag: form.get(f"red_flag_{flag.value}") for flag in RedFlag}
    if any(answer not in ("yes", "no") for answer in answers.values()):
        raise SafetyQuestionsUnanswered
    return frozenset(flag for flag, answer in answers.items() if answer == "yes")


def _number(form: FormData, name: str) -> float | None:
    """A number field: blank means not given; anything else must be a number."""
    text = str(form.get(name) or "").strip()
    if text == "":
        return None
    if not is_written_number(text):  # nan, inf, 1_0: reported by the caller
        msg = f"not a number: {text!r}"
        raise ValueError(msg)
    return float(text)


def measured_how(form: FormData, test: str, side: Side) -> dict[str, Any]:
    """How a side's answers were measured, from the wizard's hidden fields: `method` from
    `{test}_{side}_method` ("self" or "photo"), `pelvis_checked` from
    `{test}_{side}_pelvis_checked` ("yes", "no", blank for not known; a photo's only)."""
    if form.get(f"{test}_{side}_method") != "photo":
        return {"method": "self", "pelvis_checked": None}
    pelvis = form.get(f"{test}_{side}_pelvis_checked")
    return {
        "method": "photo",
        "pelvis_checked": pelvis == "yes" if pelvis in ("yes", "no") else None,
    }


def body_from_form(form: FormData) -> AssessmentBody:
    """The wizard's fields (the same names the script reads) as the API's body."""
    thomas: dict[str, dict[str, Any]] = {}
    extension: dict[str, dict[str, Any]] = {}
    for side in Side:
        if not form.get("thomas_skip"):
            thigh = form.get(f"thomas_{side}_thigh")
            entry: dict[str, Any] = {"knee_flexion_deg": _number(form, f"thomas_{side}_knee")}
            if thigh == "angle":
                entry["thigh_angle_deg"] = _number(form, f"thomas_{side}_angle")
            elif thigh in ("flat", "raised"):
                entry["thigh"] = thigh
            if any(value is not None for value in entry.values()):
                thomas[side.value] = entry | measured_how(form, "thomas", side)
        if not form.get("extension_skip"):
            degrees = _number(form, f"extension_{side}_degrees")
            compensated = form.get(f"extension_{side}_compensated") == "yes"
            if degrees is not None or compensated:
                extension[side.value] = {
                    "degrees": degrees,
                    "compensated": compensated,
                } | measured_how(form, "extension", side)
    return AssessmentBody.model_validate(
        {
            "thomas": thomas,
            "hip_extension": extension,
            "sitting_hours": _number(form, "sitting_hours"),
            "signs": [str(s) for s in form.getlist("signs")],
            "red_flags": [f.value for f in RedFlag if form.get(f"red_flag_{f.value}") == "yes"],
            "kind": "retest" if form.get("kind") == "retest" else "baseline",
        }
    )


@router.post("/assess", dependencies=[Depends(csrf_protected)])
async def assess_submit(request: Request, app: Context) -> Response:
    """The wizard without JavaScript: a plain form post, answered by a redirect."""
    form = await request.form()
    kind = _kind(form.get("kind") == "retest", form.get("kind") == "safety_check")
    try:
        if kind == AssessmentKind.SAFETY_CHECK:
            check = assessments.record_safety_check(app, safety_answers(form))
            target = "/plan" if check.assessment.safe_to_exercise else "/safety"
            return RedirectResponse(target, status_code=303)
        body = body_from_form(form)
        report = blocks.save_assessment(app, body.answers(), body.kind)
    except (ValueError, ValidationError) as exc:
        problem = "Please check your answers: every angle and hour must be a number."
        if isinstance(exc, ValidationError):
            problem = "Please check your answers: " + exc.errors()[0]["msg"]
        return render(
            request,
            "assess.html",
            status_code=422,
            kind=kind,
            error=problem,
            photo_guide=_photo_guide(),
        )
    except HipflexError as exc:
        status = kind_of(exc).http_status
        return render(
            request,
            "assess.html",
            status_code=status,
            kind=kind,
            error=str(exc),
            photo_guide=_photo_guide(),
        )
    target = "/plan" if report.assessment.safe_to_exercise else "/safety"
    return RedirectResponse(target, status_code=303)


@router.get("/safety")
def safety_page(request: Request, app: Context) -> Response:
    answered = current_red_flags(app)  # the newest answers, a safety check's included
    flagged = [f for f in RedFlag if f in answered]
    advice = safety.red_flag_advice(app)
    return render(request, "safety.html", flagged=flagged, advice=advice)
