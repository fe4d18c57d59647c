"""Assessments: record the self-tests, preview them, list them; answer the safety
questions again (a safety check)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
    parse_ids,
)
from hipflex.domain.protocol import RedFlag, Side, Sign
from hipflex.services import assessments, blocks
from hipflex.services.presenters.assessments import (
    AssessmentReportOut,
    SafetyCheckOut,
    SavedAssessmentOut,
    history_model,
    report_model,
    safety_check_model,
)
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, Flag, Number, RequestBody

router = APIRouter()


_METHOD = "How the test was measured: typed in ('self', the default) or on a side photo."
_PELVIS = "A photo measurement only: whether the trunk, and so the pelvis, could be checked."


class ThomasSide(RequestBody):
    thigh: ThighPosition | None = None
    thigh_angle_deg: Number | None = None
    knee_flexion_deg: Number | None = None
    method: MeasurementMethod = Field(default=MeasurementMethod.SELF, description=_METHOD)
    pelvis_checked: Flag | None = Field(default=None, description=_PELVIS)


class ExtensionSide(RequestBody):
    degrees: Number | None = None
    compensated: Flag = False
    method: MeasurementMethod = Field(default=MeasurementMethod.SELF, description=_METHOD)
    pelvis_checked: Flag | None = Field(default=None, description=_PELVIS)


class AssessmentBody(RequestBody):
    thomas: dict[Side, ThomasSide] = Field(default_factory=dict)
    hip_extension: dict[Side, ExtensionSide] = Field(default_factory=dict)
    sitting_hours: Number | None = None
    signs: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(
        description=(
            "The warning signs you have, by id: required, since never answered is never "
            "taken as no. An empty list is the answer 'none of them'."
        )
    )
    kind: Literal[AssessmentKind.BASELINE, AssessmentKind.RETEST] = AssessmentKind.BASELINE

    def answers(self) -> AssessmentInput:
        return AssessmentInput(
            thomas={
                side: ThomasInput(
                    thigh=given.thigh,
                    thigh_angle_deg=given.thigh_angle_deg,
                    knee_flexion_deg=given.knee_flexion_deg,
                    method=given.method,
                    pelvis_checked=given.pelvis_checked,
                )
                for side, given in self.thomas.items()
            },
            extension={
                side: ExtensionInput(
                    given.degrees, given.compensated, given.method, given.pelvis_checked
                )
                for side, given in self.hip_extension.items()
            },
            sitting_hours=self.sitting_hours,
            signs=parse_ids(Sign, self.signs, "sign"),
            red_flags=parse_ids(RedFlag, self.red_flags, "red flag"),
        )


@router.post(
    "/assessments",
    status_code=201,
    summary="Record the self-tests",
    responses=refusals(*WRITE, 422),
)
def record_assessment(body: AssessmentBody, app: Context) -> AssessmentReportOut:
    saved = blocks.save_assessment(app, body.answers(), body.kind)
    return report_model(saved)


@router.post(
    "/assessments/preview",
    summary="The findings without saving them",
    responses=refusals(*WRITE, 422),
)
def preview_assessment(body: AssessmentBody, app: Context) -> AssessmentReportOut:
    return report_model(assessments.evaluate(app, body.answers()))


@router.get("/assessments", summary="Saved assessments, newest first", responses=refusals(422))
def list_assessments(
    app: Context, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[SavedAssessmentOut]:
    return history_model(assessments.assessment_history(app, limit))


class SafetyCheckBody(RequestBody):
    red_flags: list[str] = Field(
        description=(
            "The warning signs you have, by id: required, since never answered is never "
            "taken as no. An empty list is the answer 'none of them'."
        )
    )


@router.post(
    "/safety-checks",
    status_code=201,
    summary="Answer the safety questions again (after a pain rise or sharp pain)",
    responses=refusals(*WRITE, 422),
)
def record_safety_check(body: SafetyCheckBody, app: Context) -> SafetyCheckOut:
    flags = parse_ids(RedFlag, body.red_flags, "red flag")
    check = assessments.answer_safety_questions(app, flags)
    return safety_check_model(check.recorded, check.screening)
