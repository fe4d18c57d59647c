"""One side's self-test results as JSON, shared by the assessments and the photo
measurements (a light module: `hipflex measure --json` loads no store)."""

from __future__ import annotations

from hipflex.domain.assessment import (
    ExtensionFinding,
    ExtensionResult,
    ThighPosition,
    ThomasFinding,
    ThomasResult,
)
from hipflex.services.presenters.common import Out


class ThomasOut(Out):
    result: ThomasResult
    thigh: ThighPosition | None
    thigh_angle_deg: float | None
    knee_flexion_deg: float | None


class HipExtensionOut(Out):
    result: ExtensionResult
    degrees: float | None
    compensated: bool


def thomas_model(found: ThomasFinding) -> ThomasOut:
    return ThomasOut(
        result=found.result,
        thigh=found.thigh,
        thigh_angle_deg=found.thigh_angle_deg,
        knee_flexion_deg=found.knee_flexion_deg,
    )


def extension_model(found: ExtensionFinding) -> HipExtensionOut:
    return HipExtensionOut(
        result=found.result, degrees=found.degrees, compensated=found.compensated
    )
