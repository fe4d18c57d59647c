"""The wizard's photo goniometer: the automatic points on an uploaded photo, and the
angles and a self-test's result from points marked in the browser with only the photo's
size (services.measure and hipflex.domain.goniometry do the work; the page does no
geometry). Nothing here stores a photo or a measurement: saving is the assessment's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hipflex.domain.goniometry import Landmarks
from hipflex.domain.ids import Side
from hipflex.services import measure
from hipflex.services.measure import MarkedPoints, PhotoMeasurement, TestName

if TYPE_CHECKING:
    from hipflex.services.context import AppContext  # the store stays unloaded for the CLI

#: The browser shrinks a photo to this long side before it asks for the automatic points:
#: the pose model reads a person at 256 px, hand marks stay finer than a screen shows, and
#: the upload fits the app's request limit without raising it (web/security.py). Drawing
#: it on a canvas also leaves the photo's EXIF, its location included, in the browser.
UPLOAD_LONG_SIDE_PX = 1600
#: What a multipart envelope adds around the photo, kept free under the request limit.
UPLOAD_ENVELOPE_BYTES = 16 * 1024


@dataclass(frozen=True)
class PointToMark:
    """A point the page asks the user to mark: a name of hipflex.domain.goniometry (a body
    point without its side, which the page sends apart), and what to look for."""

    name: str
    label: str
    hint: str
    optional: bool = False


@dataclass(frozen=True)
class MarkingGuide:
    """The points one self-test reads, in the order to mark them, and the lines the page
    draws between them (drawing only: the angles come from the server)."""

    test: TestName
    points: tuple[PointToMark, ...]
    segments: tuple[tuple[str, str], ...]


_LEG = (
    PointToMark("hip", "Hip", "the bony point at the side of the hip, atop the thigh bone"),
    PointToMark("knee", "Knee", "the middle of the side of the knee"),
    PointToMark("ankle", "Ankle", "the bony bump on the outside of the ankle"),
)

#: The Thomas test reads the thigh against the table edge and the knee bend (PROTOCOL.md
#: 2.1); the shoulder lets the angles say whether the trunk, and so the pelvis, was seen.
#: The extension test reads the thigh against the trunk and the trunk's lean (2.2); the
#: toe says which way you face. The floor line is the level when the camera tilts.
GUIDES: Mapping[TestName, MarkingGuide] = {
    TestName.THOMAS: MarkingGuide(
        TestName.THOMAS,
        (
            PointToMark("table_a", "Table edge", "a point on the edge of the table top"),
            PointToMark("table_b", "Table edge, further along", "another point on the same edge"),
            *_LEG,
            PointToMark(
                "shoulder",
                "Shoulder",
                "the middle of the shoulder: it shows whether your back stayed flat",
                optional=True,
            ),
        ),
        (("table_a", "table_b"), ("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle")),
    ),
    TestName.EXTENSION: MarkingGuide(
        TestName.EXTENSION,
        (
            PointToMark("shoulder", "Shoulder", "the middle of the shoulder"),
            *_LEG,
            PointToMark("toe", "Toe", "the tip of the same foot: it shows which way you face"),
            PointToMark(
                "table_a",
                "Floor",
                "a point on the floor line: it helps when the camera is not level",
                optional=True,
            ),
            PointToMark(
                "table_b",
                "Floor, further along",
                "another point on the floor line",
                optional=True,
            ),
        ),
        (
            ("shoulder", "hip"),
            ("hip", "knee"),
            ("knee", "ankle"),
            ("ankle", "toe"),
            ("table_a", "table_b"),
        ),
    ),
}


@dataclass(frozen=True)
class FoundPoints:
    """The pose model's points on a photo, and the photo's size (upright)."""

    width: int
    height: int
    landmarks: Landmarks


def find_points(data: bytes) -> FoundPoints:
    """The automatic points on an uploaded photo: read in memory, never kept. Raises
    PoseUnavailable without the pose extra, BadInput for no photo or no person in it."""
    photo = measure.load_photo(data)
    return FoundPoints(photo.width, photo.height, measure.find_landmarks(photo))


def measure_marked(
    app: AppContext,
    marked: MarkedPoints,
    *,
    width: float,
    height: float,
    side: Side | None = None,
    test: TestName = TestName.ANY,
) -> PhotoMeasurement:
    """Every angle the points allow and the named test read by the protocol's rules (the
    settings' cut-offs), as `hipflex measure` reads them. A bad point is bad input; a test
    the points cannot give yet is not (its `problem`): the page asks again after each
    change, while the user is still marking."""
    return measure.measure_marked(
        marked, width=width, height=height, test=test, side=side, settings=app.settings
    )
