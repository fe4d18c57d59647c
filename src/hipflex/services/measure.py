"""Measuring the self-tests from a side photo: load it (EXIF orientation applied, nothing
kept), find the landmarks (the optional pose model) or take the points marked by hand,
compute the angles (hipflex.domain.goniometry) and read them by the protocol's rules.

Photos are processed on this machine only. Nothing here stores a photo."""

from __future__ import annotations

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
from hipflex.domain.errors import BadInput, Unavailable
from hipflex.domain.goniometry import (
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


class PoseUnavailable(Unavailable):
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


def load_photo(data: bytes) -> Photo:
    """Decode a photo: EXIF orientation applied, alpha dropped; bad data is bad input."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_PHOTO_BYTES:
        msg = f"the photo is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB"
        raise BadInput(msg)
    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        msg = "that file is not a photo hipflex can read (JPEG, PNG or WebP)"
        raise BadInput(msg) from None
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


def hand_landmarks(
    photo: Photo,
    points: Mapping[str, Point],
    *,
    side: Side | None = None,
    facing: Facing | None = None,
) -> Landmarks:
    """Points marked by hand, checked against the photo."""
    named = name_points(points, side, width=photo.width, height=photo.height)
    return Landmarks(named, facing)


@dataclass(frozen=True)
class PhotoMeasurement:
    """The angles, and the tests read from them for each side measured."""

    landmarks: Landmarks
    angles: Angles
    test: TestName
    sides: tuple[Side, ...]
    thomas: Mapping[Side, ThomasFinding]
    extension: Mapping[Side, ExtensionFinding]


def measure_landmarks(
    landmarks: Landmarks,
    *,
    test: TestName = TestName.ANY,
    side: Side | None = None,
    thresholds: Thresholds | None = None,
    lean_limit_deg: float = TRUNK_LEAN_LIMIT_DEG,
) -> PhotoMeasurement:
    """The angles; for a named test, its result by the protocol's rules per side."""
    limits = thresholds or Thresholds()
    angles = measure(landmarks)
    sides = measured_sides(angles, side)
    thomas: dict[Side, ThomasFinding] = {}
    extension: dict[Side, ExtensionFinding] = {}
    if test is not TestName.ANY:
        for each in sides:
            if test is TestName.THOMAS:
                given = thomas_answer(angles, each)
                if given is None:
                    msg = f"the Thomas test on the {each} side needs its hip, knee and ankle"
                    raise BadInput(msg)
                thomas[each] = assess_thomas(each, given, limits)
            else:
                answer = extension_answer(angles, each, lean_limit_deg=lean_limit_deg)
                if answer is None:
                    msg = (
                        f"the hip extension on the {each} side needs its shoulder, hip and "
                        "knee, and which way you face"
                    )
                    raise BadInput(msg)
                extension[each] = assess_extension(each, answer, limits)
    return PhotoMeasurement(landmarks, angles, test, sides, thomas, extension)


@dataclass(frozen=True)
class MarkedPoints:
    """Points marked by hand (a points file, the web's editor), and the facing if given."""

    points: Mapping[str, Point]
    facing: Facing | None = None


def lean_limit_from(settings: Settings) -> float:
    """The trunk lean above which the extension test counts as compensated (a setting)."""
    return check_lean_limit(settings.trunk_lean_limit_deg)


def measure_photo(
    photo: Photo,
    marked: MarkedPoints | None,
    *,
    test: TestName = TestName.ANY,
    side: Side | None = None,
    settings: Settings,
) -> PhotoMeasurement:
    """The angles from the points marked by hand, else from the pose model (the `pose`
    extra), and the test read by the protocol's rules with the configured thresholds."""
    from hipflex.services.thresholds import thresholds_from

    if marked is None:
        landmarks = find_landmarks(photo)
    else:
        landmarks = hand_landmarks(photo, marked.points, side=side, facing=marked.facing)
    return measure_landmarks(
        landmarks,
        test=test,
        side=side,
        thresholds=thresholds_from(settings),
        lean_limit_deg=lean_limit_from(settings),
    )
