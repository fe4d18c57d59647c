"""The photo goniometer as JSON: the automatic points on an uploaded photo (POST
/measurements/landmarks), a photo measurement (POST /measurements and `hipflex measure
--json`: one model for both), and the marking guide the page reads (the points to mark per
test)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from hipflex.domain.assessment import ExtensionResult, ThighPosition, ThomasResult
from hipflex.domain.goniometry import Facing, Point
from hipflex.domain.ids import Side
from hipflex.services.measure import PhotoMeasurement, TestName
from hipflex.services.photo_points import (
    GUIDES,
    UPLOAD_ENVELOPE_BYTES,
    UPLOAD_LONG_SIDE_PX,
    FoundPoints,
)
from hipflex.services.presenters.common import Out

if TYPE_CHECKING:
    from hipflex.services.photo_tests import SavedMeasurement

#: A point in pixels of the photo, [x, y] (origin top left, y down).
PointOut = Annotated[list[float], Field(min_length=2, max_length=2)]
#: Points to a tenth of a pixel, angles to a tenth of a degree: finer is noise.
POINT_DECIMALS = 1
ANGLE_DECIMALS = 1


def _points(points: Mapping[str, Point]) -> dict[str, list[float]]:
    return {
        name: [round(x, POINT_DECIMALS), round(y, POINT_DECIMALS)]
        for name, (x, y) in points.items()
    }


class PhotoLandmarksOut(Out):
    """The pose model's points on the photo sent (nothing is kept), named as the points of
    POST /measurements, in the pixels of the photo as sent, turned upright."""

    width: int
    height: int
    points: dict[str, PointOut]
    facing: Facing | None  # which way the person faces in the photo, when the model says
    near_side: Side | None  # the side nearer the camera: the one a side photo measures


def landmarks_model(found: FoundPoints) -> PhotoLandmarksOut:
    landmarks = found.landmarks
    return PhotoLandmarksOut(
        width=found.width,
        height=found.height,
        points=_points(landmarks.points),
        facing=landmarks.facing,
        near_side=landmarks.near_side,
    )


class PerSideOut(Out):
    """An angle on each side, in degrees; null where a point it needs is not marked."""

    left: float | None
    right: float | None


class PhotoAnglesOut(Out):
    knee_flexion_deg: PerSideOut  # 0 straight, 90 with the shin at right angles
    thigh_angle_deg: PerSideOut  # against the table edge (or the photo), + knee above hip
    hip_extension_deg: PerSideOut  # against the trunk line, + behind it
    trunk_lean_deg: PerSideOut  # the trunk against the vertical


class PhotoThomasOut(Out):
    """The Thomas test on a side as measured, read by the protocol's rules; the values to
    send as that side's answer to POST /assessments."""

    result: ThomasResult
    title: str
    thigh: ThighPosition | None
    thigh_angle_deg: float | None
    knee_flexion_deg: float | None
    pelvis_checked: bool  # whether the trunk, and so the pelvis, could be checked


class PhotoExtensionOut(Out):
    """The standing hip extension test on a side as measured (compensated when the trunk
    leans past the limit), read by the protocol's rules; the answer to send."""

    result: ExtensionResult
    title: str
    degrees: float | None
    compensated: bool
    pelvis_checked: bool  # whether the trunk, and so the pelvis, could be checked


class PhotoMeasurementOut(Out):
    """What a photo measured. `points` are the points as used, [x, y] in pixels of the
    upright `width` x `height` photo, every name with its side; `sides` are the sides a
    test reads (the one asked for, else the one nearer the camera, else each side
    measured); `thomas` and `hip_extension` hold the named test's result on each of them
    ({} otherwise); `problem` says why the points do not give the named test yet (null
    when they do, or when no test was named). Nothing is saved."""

    points: dict[str, PointOut]
    angles: PhotoAnglesOut
    facing: Facing | None
    near_side: Side | None  # the side nearer the camera (from the pose model)
    warnings: list[str]
    test: TestName
    sides: list[Side]
    thomas: dict[Side, PhotoThomasOut]
    hip_extension: dict[Side, PhotoExtensionOut]
    problem: str | None
    width: float
    height: float


def _per_side(values: Mapping[Side, float | None]) -> PerSideOut:
    def rounded(side: Side) -> float | None:
        value = values.get(side)
        return None if value is None else round(value, ANGLE_DECIMALS)

    return PerSideOut(left=rounded(Side.LEFT), right=rounded(Side.RIGHT))


def _title(measured: PhotoMeasurement, side: Side) -> str:
    title = measured.result_title(side)
    assert title is not None  # a side with a result has its title
    return title


def measurement_model(measured: PhotoMeasurement) -> PhotoMeasurementOut:
    angles = measured.angles
    return PhotoMeasurementOut(
        points=_points(measured.landmarks.points),
        angles=PhotoAnglesOut(
            knee_flexion_deg=_per_side(angles.knee_flexion_deg),
            thigh_angle_deg=_per_side(angles.thigh_angle_deg),
            hip_extension_deg=_per_side(angles.hip_extension_deg),
            trunk_lean_deg=_per_side(angles.trunk_lean_deg),
        ),
        facing=angles.facing,
        near_side=angles.near_side,
        warnings=list(angles.warnings),
        test=measured.test,
        sides=list(measured.sides),
        thomas={
            side: PhotoThomasOut(
                result=found.result,
                title=_title(measured, side),
                thigh=found.thigh,
                thigh_angle_deg=found.thigh_angle_deg,
                knee_flexion_deg=found.knee_flexion_deg,
                pelvis_checked=measured.angles.pelvis_checked(side),
            )
            for side, found in measured.thomas.items()
        },
        hip_extension={
            side: PhotoExtensionOut(
                result=found.result,
                title=_title(measured, side),
                degrees=found.degrees,
                compensated=found.compensated,
                pelvis_checked=measured.angles.pelvis_checked(side),
            )
            for side, found in measured.extension.items()
        },
        problem=measured.problem,
        width=measured.width,
        height=measured.height,
    )


class SavedOut(Out):
    """What `hipflex measure --save` recorded."""

    assessment_id: int  # the new re-test
    test: TestName
    sides: list[Side]  # the sides whose answers came from the photo
    pelvis_checked: dict[Side, bool]
    photo_kept: bool


class SavedPhotoMeasurementOut(PhotoMeasurementOut):
    saved: SavedOut


def saved_model(measured: PhotoMeasurement, saved: SavedMeasurement) -> SavedPhotoMeasurementOut:
    return SavedPhotoMeasurementOut(
        **measurement_model(measured).model_dump(),
        saved=SavedOut(
            assessment_id=saved.assessment_id,
            test=TestName(saved.test.value),
            sides=list(saved.sides),
            pelvis_checked=saved.pelvis_checked,
            photo_kept=saved.photo is not None,
        ),
    )


# The guide the wizard reads (a JSON block in the page): which points, in which order.


class PointToMarkOut(Out):
    name: str  # a point name of POST /measurements (a body point without its side)
    label: str
    hint: str  # where exactly to put it
    optional: bool


class MarkingGuideOut(Out):
    points: list[PointToMarkOut]
    segments: list[tuple[str, str]]  # lines drawn between two marked points


class PhotoGuideOut(Out):
    """What the wizard's photo control needs: the points of each test, and how large a
    photo it may send for the automatic points (it shrinks the photo first)."""

    tests: dict[TestName, MarkingGuideOut]
    upload_long_side_px: int
    upload_max_bytes: int


def guide_model(max_body_bytes: int) -> PhotoGuideOut:
    return PhotoGuideOut(
        tests={
            test: MarkingGuideOut(
                points=[
                    PointToMarkOut(name=p.name, label=p.label, hint=p.hint, optional=p.optional)
                    for p in guide.points
                ],
                segments=list(guide.segments),
            )
            for test, guide in GUIDES.items()
        },
        upload_long_side_px=UPLOAD_LONG_SIDE_PX,
        upload_max_bytes=max_body_bytes - UPLOAD_ENVELOPE_BYTES,
    )
