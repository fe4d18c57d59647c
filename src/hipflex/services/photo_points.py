"""The wizard's photo goniometer: the automatic points on an uploaded photo, and the
angles and a self-test's result from points marked in the browser with only the photo's
size (services.measure and hipflex.domain.goniometry do the work; the page does no
geometry). Nothing here stores a photo or a measurement: saving is the assessment's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hipflex.content import load_content
from hipflex.domain.assessment import Thresholds
from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import Facing, Landmarks, Point, name_points
from hipflex.domain.ids import Side
from hipflex.services import measure
from hipflex.services.context import AppContext
from hipflex.services.measure import PhotoMeasurement, TestName
from hipflex.services.thresholds import thresholds_from

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


@dataclass(frozen=True)
class MarkedPhoto:
    """Points marked on a photo of this size (the photo itself is not needed)."""

    points: Mapping[str, Point]
    width: float
    height: float
    side: Side | None = None
    facing: Facing | None = None
    test: TestName = TestName.ANY


@dataclass(frozen=True)
class MarkedMeasurement:
    """The angles of the marked points; for a named test its result per side, or why the
    points do not give it yet (`problem`: a point missing, an angle the test refuses)."""

    width: float
    height: float
    measurement: PhotoMeasurement
    problem: str | None
    titles: Mapping[Side, str]  # the named test's result per side, in a few words


def measure_marked(app: AppContext, marked: MarkedPhoto) -> MarkedMeasurement:
    """Every angle the points allow and the named test read by the protocol's rules (the
    cut-offs of the settings). A bad point is bad input; a test the points cannot give yet
    is not: the page asks again after each change, while the user is still marking."""
    if not (marked.width > 0 and marked.height > 0):
        msg = "the photo's width and height must be above 0"
        raise BadInput(msg)
    named = name_points(marked.points, marked.side, width=marked.width, height=marked.height)
    landmarks = Landmarks(named, marked.facing)
    thresholds = thresholds_from(app.settings)
    problem: str | None = None
    try:
        result = measure.measure_landmarks(
            landmarks, test=marked.test, side=marked.side, thresholds=thresholds
        )
    except BadInput as exc:
        problem = str(exc)
        result = measure.measure_landmarks(
            landmarks, test=TestName.ANY, side=marked.side, thresholds=thresholds
        )
        result = PhotoMeasurement(
            result.landmarks, result.angles, marked.test, result.sides, {}, {}
        )
    results = [(s, f.result.value) for s, f in result.thomas.items()] + [
        (s, f.result.value) for s, f in result.extension.items()
    ]
    titles = {side: result_title(marked.test, value, side, thresholds) for side, value in results}
    return MarkedMeasurement(marked.width, marked.height, result, problem, titles)


def result_title(test: TestName, result: str, side: Side, thresholds: Thresholds) -> str:
    """A test's result in a few words, as the assessment's findings title it."""
    topic = "thomas" if test is TestName.THOMAS else "hip_extension"
    title = load_content().findings[topic][result].title
    return title.format(
        side=side.value,
        knee_floor=f"{thresholds.knee_floor_deg:g}",
        extension_floor=f"{thresholds.extension_floor_deg:g}",
    )
