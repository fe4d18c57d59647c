"""Measurements from a photo (the wizard's photo goniometer): the automatic points on an
uploaded photo, and the angles and a self-test's result from marked points. Nothing is
stored: the answers are saved with the assessment (POST /assessments)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from pydantic import Field

from hipflex.domain.goniometry import POINT_NAMES, Facing
from hipflex.domain.ids import Side
from hipflex.services import photo_points
from hipflex.services.measure import MarkedPoints, TestName
from hipflex.services.presenters.errors import ErrorOut
from hipflex.services.presenters.photo import (
    PhotoLandmarksOut,
    PhotoMeasurementOut,
    landmarks_model,
    measurement_model,
)
from hipflex.web.api.refusals import WRITE, refusals
from hipflex.web.deps import Context, Number, RequestBody, Whole, context_of

router = APIRouter()

#: The largest photo side, in pixels, that a measurement may name (a 100-megapixel photo
#: is about 12000 px wide).
MAX_PHOTO_SIDE_PX = 20_000

NO_POSE = {
    "model": ErrorOut,
    "description": (
        "The automatic points need the pose extra (pip install 'hipflex[pose]'), or the "
        "database is unavailable: mark the points by hand"
    ),
}


def _with_pose(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    return {**responses, 503: NO_POSE}


@router.post(
    "/measurements/landmarks",
    summary="The automatic points on a photo (the pose extra); the photo is not kept",
    responses=_with_pose(refusals(*WRITE, 422)),
    dependencies=[Depends(context_of)],  # team mode: for people logged in only
)
def photo_landmarks(
    photo: Annotated[
        UploadFile,
        File(
            description=(
                "A JPEG, PNG or WebP photo, side on, whole body in frame; the request limit "
                f"applies (the wizard shrinks a photo to {photo_points.UPLOAD_LONG_SIDE_PX} px "
                "first)"
            )
        ),
    ],
) -> PhotoLandmarksOut:
    return landmarks_model(photo_points.find_points(photo.file.read()))


PhotoSide = Annotated[Whole, Field(gt=0, le=MAX_PHOTO_SIDE_PX)]


class MeasurementBody(RequestBody):
    points: dict[str, tuple[Number, Number]] = Field(
        description=(
            "Points in pixels of the photo, [x, y] from its top left corner, by name: "
            + ", ".join(POINT_NAMES)
            + ". A body point without its side (shoulder, hip, knee, ankle, toe) is on "
            "`side`."
        ),
        max_length=len(POINT_NAMES),
    )
    width: PhotoSide
    height: PhotoSide
    side: Side | None = Field(
        default=None, description="The leg measured (a side photo shows one); else both"
    )
    facing: Facing | None = Field(
        default=None, description="Which way the person faces in the photo; else from the points"
    )
    test: TestName = Field(
        default=TestName.ANY,
        description="A self-test to read from the angles by the protocol's rules, or any",
    )

    def marked(self) -> MarkedPoints:
        return MarkedPoints(points=self.points, facing=self.facing)


@router.post(
    "/measurements",
    summary="The angles of points marked on a photo, and a self-test read from them",
    responses=refusals(*WRITE, 422),
)
def measure_points(body: MeasurementBody, app: Context) -> PhotoMeasurementOut:
    measured = photo_points.measure_marked(
        app, body.marked(), width=body.width, height=body.height, side=body.side, test=body.test
    )
    return measurement_model(measured)
