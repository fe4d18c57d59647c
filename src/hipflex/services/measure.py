"""Measuring the self-tests from a side photo: load it (EXIF orientation applied, nothing
kept), find the landmarks (the optional pose model) or take the points marked by hand,
compute the angles (hipflex.domain.goniometry) and read them by the protocol's rules.

Photos are processed on this machine only. Nothing here stores a photo."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from hipflex.domain.assessment import (
    ExtensionFinding,
    ThomasFinding,
    Thresholds,
    assess_extension,
    assess_thomas,
)
from hipflex.domain.errors import BadInput, MissingExtra
from hipflex.domain.goniometry import (
    NO_FACING_WARNING,
    TRUNK_LEAN_LIMIT_DEG,
    Angles,
    Facing,
    Landmarks,
    Point,
    check_lean_limit,
    extension_answer,
    measure,
    measured_sides,
    name_points,
    thomas_answer,
)
from hipflex.domain.ids import Side

if TYPE_CHECKING:
    from PIL.Image import Image

    from hipflex.config import Settings

#: Photos larger than this are refused before decoding (a phone photo is a few MB).
MAX_PHOTO_BYTES = 25 * 1024 * 1024
POSE_HINT = "install the pose extra: pip install 'hipflex[pose]' (or mark the points by hand)"


class PoseUnavailable(MissingExtra):
    """The optional pose model (the `pose` extra) is not installed, or cannot load."""

    def __init__(self, reason: str | None = None) -> None:
        if reason is None:
            super().__init__(f"automatic landmarks need the pose model: {POSE_HINT}")
        else:
            super().__init__(f"the pose model cannot load ({reason}): {POSE_HINT}")


class TestName(StrEnum):
    THOMAS = "thomas"
    EXTENSION = "extension"
    ANY = "any"  # every angle the points allow


@dataclass(frozen=True)
class Photo:
    """A decoded photo, upright (its EXIF orientation applied), as RGB."""

    image: Image

    @property
    def width(self) -> int:
        return int(self.image.width)

    @property
    def height(self) -> int:
        return int(self.image.height)


def open_image(data: bytes, refusal: str) -> Image:
    """Decode image data whole (Pillow's decompression-bomb guard on); data that is not an
    image Pillow reads is BadInput(refusal)."""
    import PIL.Image
    from PIL import UnidentifiedImageError

    try:
        opened = PIL.Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError, ValueError, PIL.Image.DecompressionBombError):
        raise BadInput(refusal) from None
    return opened


def load_photo(data: bytes) -> Photo:
    """Decode a photo: EXIF orientation applied, alpha dropped; bad data is bad input."""
    from PIL import ImageOps

    if len(data) > MAX_PHOTO_BYTES:
        msg = f"the photo is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB"
        raise BadInput(msg)
    opened = open_image(data, "that file is not a photo hipflex can read (JPEG, PNG or WebP)")
    upright = ImageOps.exif_transpose(opened) or opened
    return Photo(upright.convert("RGB"))


def read_photo(path: Path) -> Photo:
    """A photo from a file: a missing, unreadable or too large file is bad input."""
    where = path.expanduser()
    try:
        if where.stat().st_size > MAX_PHOTO_BYTES:
            msg = f"{path} is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB"
            raise BadInput(msg)
        data = where.read_bytes()
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise BadInput(msg) from None
    return load_photo(data)


def find_landmarks(photo: Photo) -> Landmarks:
    """The pose model's points for the person in the photo (the `pose` extra)."""
    try:
        from hipflex.pose import detect

        found = detect(photo.image)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "mediapipe":
            raise PoseUnavailable(str(exc)) from exc  # a broken install: say what is missing
        raise PoseUnavailable from exc  # the extra is not installed
    except ImportError as exc:  # installed, but a library it needs is missing (libGL, ...)
        raise PoseUnavailable(str(exc)) from exc
    if found is None:
        msg = "no person was found in the photo: the whole body, side on, in good light"
        raise BadInput(msg)
    return found


@dataclass(frozen=True)
class MarkedPoints:
    """Points marked by hand (a points file, the web's editor), and the facing if given."""

    points: Mapping[str, Point]
    facing: Facing | None = None

    def landmarks(self, *, width: float, height: float, side: Side | None = None) -> Landmarks:
        """The points named and checked against a photo of this size (a body point without
        its side is on `side`)."""
        if not (width > 0 and height > 0):
            msg = "the photo's width and height must be above 0"
            raise BadInput(msg)
        return Landmarks(name_points(self.points, side, width=width, height=height), self.facing)


@dataclass(frozen=True)
class PhotoMeasurement:
    """The angles of the points on a photo of `width` x `height` pixels and, for a named
    test, its result on each side measured, read with `thresholds`. `problem` says why the
    points do not give the named test (a point missing, an angle the test refuses); the
    results are then empty."""

    landmarks: Landmarks
    angles: Angles
    test: TestName
    sides: tuple[Side, ...]
    thomas: Mapping[Side, ThomasFinding]
    extension: Mapping[Side, ExtensionFinding]
    width: float
    height: float
    thresholds: Thresholds
    problem: str | None = None

    def checked(self) -> PhotoMeasurement:
        """This measurement, or BadInput when the named test could not be read from it."""
        if self.problem is not None:
            raise BadInput(self.problem)
        return self

    def result_title(self, side: Side) -> str | None:
        """The named test's result on a side in a few words, as the assessment's findings
        title it; None when the test was not read on that side."""
        if side in self.thomas:
            return finding_title("thomas", self.thomas[side].result.value, side, self.thresholds)
        if side in self.extension:
            result = self.extension[side].result.value
            return finding_title("hip_extension", result, side, self.thresholds)
        return None


def finding_title(topic: str, result: str, side: Side, thresholds: Thresholds) -> str:
    """A self-test's finding title from the content, its cut-offs filled in."""
    from hipflex.content import load_content
    from hipflex.services.thresholds import finding_values

    title = load_content().findings[topic][result].title
    return title.format(side=side.value, **finding_values(thresholds))


def _read_tests(
    angles: Angles,
    test: TestName,
    sides: tuple[Side, ...],
    thresholds: Thresholds,
    lean_limit_deg: float,
) -> tuple[dict[Side, ThomasFinding], dict[Side, ExtensionFinding]]:
    """The named test on each side by the protocol's rules; BadInput when the points do not
    give it (a point missing) or the rules refuse the angle."""
    thomas: dict[Side, ThomasFinding] = {}
    extension: dict[Side, ExtensionFinding] = {}
    if test is TestName.ANY:
        return thomas, extension
    if not sides:
        msg = f"no side could be measured for the {test.value} test: mark a hip, knee and ankle"
        raise BadInput(msg)
    for each in sides:
        if test is TestName.THOMAS:
            given = thomas_answer(angles, each)
            if given is None:
                msg = f"the Thomas test on the {each} side needs its hip, knee and ankle"
                raise BadInput(msg)
            thomas[each] = assess_thomas(each, given, thresholds)
        else:
            answer = extension_answer(angles, each, lean_limit_deg=lean_limit_deg)
            if answer is None:
                msg = (
                    f"the hip extension on the {each} side needs its shoulder, hip and "
                    "knee, and which way you face"
                )
                raise BadInput(msg)
            extension[each] = assess_extension(each, answer, thresholds)
    return thomas, extension


def measure_landmarks(
    landmarks: Landmarks,
    *,
    width: float,
    height: float,
    test: TestName = TestName.ANY,
    side: Side | None = None,
    thresholds: Thresholds | None = None,
    lean_limit_deg: float = TRUNK_LEAN_LIMIT_DEG,
) -> PhotoMeasurement:
    """The angles; for a named test, its result by the protocol's rules per side, or the
    problem that keeps the points from giving it."""
    limits = thresholds or Thresholds()
    angles = measure(landmarks)
    if test is TestName.THOMAS:  # the Thomas test reads no hip extension: facing is moot
        kept = tuple(w for w in angles.warnings if w != NO_FACING_WARNING)
        angles = dataclasses.replace(angles, warnings=kept)
    sides = measured_sides(angles, side)
    try:
        thomas, extension = _read_tests(angles, test, sides, limits, lean_limit_deg)
    except BadInput as exc:
        return PhotoMeasurement(
            landmarks, angles, test, sides, {}, {}, width, height, limits, str(exc)
        )
    return PhotoMeasurement(
        landmarks, angles, test, sides, thomas, extension, width, height, limits
    )


def lean_limit_from(settings: Settings) -> float:
    """The trunk lean above which the extension test counts as compensated (a setting)."""
    return check_lean_limit(settings.trunk_lean_limit_deg)


def measure_marked(
    marked: MarkedPoints,
    *,
    width: float,
    height: float,
    test: TestName = TestName.ANY,
    side: Side | None = None,
    settings: Settings,
) -> PhotoMeasurement:
    """The angles of points marked on a photo of this size (the photo itself is not
    needed) and the named test with the settings' cut-offs, or its `problem`. A point not
    on the photo or of an unknown name is bad input."""
    landmarks = marked.landmarks(width=width, height=height, side=side)
    return _measured(landmarks, width, height, test=test, side=side, settings=settings)


def measure_photo(
    photo: Photo,
    marked: MarkedPoints | None,
    *,
    test: TestName = TestName.ANY,
    side: Side | None = None,
    settings: Settings,
) -> PhotoMeasurement:
    """The angles from the points marked by hand, else from the pose model (the `pose`
    extra), and the named test read by the protocol's rules with the settings' cut-offs;
    BadInput when the points do not give that test."""
    if marked is not None:
        measured = measure_marked(
            marked, width=photo.width, height=photo.height, test=test, side=side, settings=settings
        )
    else:
        landmarks = find_landmarks(photo)
        measured = _measured(
            landmarks, photo.width, photo.height, test=test, side=side, settings=settings
        )
    return measured.checked()


def _measured(
    landmarks: Landmarks,
    width: float,
    height: float,
    *,
    test: TestName,
    side: Side | None,
    settings: Settings,
) -> PhotoMeasurement:
    """The one way from named points to a measurement: the settings' cut-offs and lean
    limit applied."""
    from hipflex.services.thresholds import thresholds_from

    return measure_landmarks(
        landmarks,
        width=width,
        height=height,
        test=test,
        side=side,
        thresholds=thresholds_from(settings),
        lean_limit_deg=lean_limit_from(settings),
    )
