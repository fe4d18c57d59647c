"""Assessments as JSON: the findings with their meaning (`hipflex assess --json`, POST
/assessments), the saved ones (`hipflex history --json`, GET /assessments), and the
safety questions answered again (`hipflex assess --safety-only --json`, POST
/safety-checks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from hipflex.content import load_content
from hipflex.domain.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    ExtensionResult,
    MeasurementMethod,
    RecordedAssessment,
    ThighPosition,
    ThomasResult,
)
from hipflex.domain.plan import Phase
from hipflex.domain.protocol import Muscle, RedFlag, Side, Sign, SittingBand
from hipflex.domain.safety import Screening
from hipflex.services.assessments import AssessmentReport
from hipflex.services.presenters.common import Moment, Out


class ThomasOut(Out):
    result: ThomasResult
    thigh: ThighPosition | None
    thigh_angle_deg: float | None
    knee_flexion_deg: float | None
    method: MeasurementMethod  # "self" (typed in) or "photo" (measured on a side photo)
    pelvis_checked: bool | None  # photo only: could the trunk, so the pelvis, be checked


class HipExtensionOut(Out):
    result: ExtensionResult
    degrees: float | None
    compensated: bool
    method: MeasurementMethod  # "self" (typed in) or "photo" (measured on a side photo)
    pelvis_checked: bool | None  # photo only: could the trunk lean be checked


class SideFindingsOut(Out):
    tight_muscles: list[Muscle]
    hip_extension_limited: bool
    any_tight: bool


class SittingOut(Out):
    hours: float | None
    band: SittingBand | None


class SignsOut(Out):
    present: list[Sign]
    count: int


class ThresholdsOut(Out):
    knee_floor_deg: float
    thigh_tolerance_deg: float
    extension_floor_deg: float


class FindingsOut(Out):
    """Every input and result of one assessment, per side."""

    thomas: dict[Side, ThomasOut]
    hip_extension: dict[Side, HipExtensionOut]
    sides: dict[Side, SideFindingsOut]
    sitting: SittingOut
    signs: SignsOut
    red_flags: list[RedFlag]
    safe_to_exercise: bool
    thresholds: ThresholdsOut


class RecordedOut(Out):
    """When an assessment was saved, and as what."""

    id: int
    recorded_at: Moment
    kind: AssessmentKind


# The bases in this order put the keys of RecordedOut first (pydantic collects the fields
# of the bases in reverse method resolution order): id, recorded_at, kind, thomas, ...
class SavedAssessmentOut(FindingsOut, RecordedOut):
    """A saved assessment: when, what kind, and its findings."""


class ExplanationOut(Out):
    """One finding in plain words; `side` is null for findings about the whole body."""

    topic: str
    result: str
    side: Side | None
    title: str
    text: str


class NextStepOut(Out):
    title: str
    text: str


class _Recorded(Out):
    recorded: RecordedOut | None  # null when not saved (a preview, `--no-save`)


class BlockDecisionOut(Out):
    phase: Phase
    text: str


class AssessmentReportOut(FindingsOut, _Recorded):
    """The findings with their meaning: what the user reads after the tests."""

    outcome: AssessmentOutcome
    explanations: list[ExplanationOut]
    next_step: NextStepOut
    disclaimer: str
    # What a re-test at the end of a block decided: another block ("block") or the
    # maintenance programme ("maintenance"), in words; null when it decided nothing.
    block_decision: BlockDecisionOut | None


def findings_model(assessment: Assessment) -> FindingsOut:
    sides = assessment.sides
    return FindingsOut(
        thomas={
            side: ThomasOut(
                result=found.thomas.result,
                thigh=found.thomas.thigh,
                thigh_angle_deg=found.thomas.thigh_angle_deg,
                knee_flexion_deg=found.thomas.knee_flexion_deg,
                method=assessment.thomas_given(side).method,
                pelvis_checked=assessment.thomas_given(side).pelvis_checked,
            )
            for side, found in sides.items()
        },
        hip_extension={
            side: HipExtensionOut(
                result=found.extension.result,
                degrees=found.extension.degrees,
                compensated=found.extension.compensated,
                method=assessment.extension_given(side).method,
                pelvis_checked=assessment.extension_given(side).pelvis_checked,
            )
            for side, found in sides.items()
        },
        sides={
            side: SideFindingsOut(
                tight_muscles=list(found.tight_muscles),
                hip_extension_limited=found.extension_limited,
                any_tight=found.any_tight,
            )
            for side, found in sides.items()
        },
        sitting=SittingOut(hours=assessment.sitting_hours, band=assessment.sitting_band),
        signs=SignsOut(
            present=[s for s in Sign if s in assessment.signs], count=len(assessment.signs)
        ),
        red_flags=[r for r in RedFlag if r in assessment.red_flags],
        safe_to_exercise=assessment.safe_to_exercise,
        thresholds=ThresholdsOut(
            knee_floor_deg=assessment.thresholds.knee_floor_deg,
            thigh_tolerance_deg=assessment.thresholds.thigh_tolerance_deg,
            extension_floor_deg=assessment.thresholds.extension_floor_deg,
        ),
    )


def recorded_model(recorded: RecordedAssessment) -> RecordedOut:
    return RecordedOut(id=recorded.id, recorded_at=recorded.recorded_at, kind=recorded.kind)


def saved_assessment_model(recorded: RecordedAssessment) -> SavedAssessmentOut:
    findings = findings_model(recorded.assessment)
    return SavedAssessmentOut(**dict(recorded_model(recorded)), **dict(findings))


def history_model(recorded: Sequence[RecordedAssessment]) -> list[SavedAssessmentOut]:
    """Saved assessments, in the order given (newest first from the service)."""
    return [saved_assessment_model(r) for r in recorded]


def report_model(report: AssessmentReport) -> AssessmentReportOut:
    return AssessmentReportOut(
        recorded=None if report.recorded is None else recorded_model(report.recorded),
        **dict(findings_model(report.assessment)),
        outcome=report.outcome,
        explanations=[
            ExplanationOut(topic=e.topic, result=e.result, side=e.side, title=e.title, text=e.text)
            for e in report.explanations
        ],
        next_step=NextStepOut(title=report.next_step.title, text=report.next_step.text),
        disclaimer=report.disclaimer,
        block_decision=None
        if report.block_decision is None
        else BlockDecisionOut(phase=report.block_decision.phase, text=report.block_decision.text),
    )


# Safety checks: the safety questions answered again (POST /safety-checks,
# `hipflex assess --safety-only --json`).


class SafetyCheckOut(Out):
    """The safety questions answered again after a pain rise or sharp pain, and where that
    leaves the safety gate: `screening` "clear" brings the plan back; "red_flag" stops
    everything (`advice` says what to do instead)."""

    id: int
    recorded_at: Moment
    kind: Literal[AssessmentKind.SAFETY_CHECK]
    red_flags: list[RedFlag]
    safe_to_exercise: bool
    screening: Screening
    advice: str | None  # null when no warning sign was reported


def safety_check_model(recorded: RecordedAssessment, screening: Screening) -> SafetyCheckOut:
    flags = recorded.assessment.red_flags
    return SafetyCheckOut(
        id=recorded.id,
        recorded_at=recorded.recorded_at,
        kind=AssessmentKind.SAFETY_CHECK,
        red_flags=[f for f in RedFlag if f in flags],
        safe_to_exercise=recorded.assessment.safe_to_exercise,
        screening=screening,
        advice=load_content().red_flag_advice_for(flags).text if flags else None,
    )
