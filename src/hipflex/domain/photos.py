"""A test's photo kept for side-by-side comparison over time (only when the user asks;
DESIGN.md: photos stay on the machine, EXIF stripped, stored only by choice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hipflex.domain.errors import BadInput
from hipflex.domain.ids import Side

#: A kept photo's longer edge is at most this many pixels: plenty to compare, small to keep.
MAX_KEPT_EDGE_PX = 2048
#: The only formats a kept photo is stored in (re-encoded, so no metadata comes along).
KEPT_MEDIA_TYPES = ("image/jpeg", "image/png")


class PhotoTest(StrEnum):
    """Which self-test a photo shows."""

    THOMAS = "thomas"
    EXTENSION = "extension"


@dataclass(frozen=True)
class KeptImage:
    """An image as stored: re-encoded pixels only (no EXIF, no location), upright."""

    data: bytes
    media_type: str
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.media_type not in KEPT_MEDIA_TYPES:
            msg = f"a kept photo is JPEG or PNG, not {self.media_type}"
            raise BadInput(msg)
        if not (0 < self.width <= MAX_KEPT_EDGE_PX and 0 < self.height <= MAX_KEPT_EDGE_PX):
            msg = f"a kept photo is at most {MAX_KEPT_EDGE_PX} pixels on a side"
            raise BadInput(msg)
        if not self.data:
            msg = "a kept photo has no data"
            raise BadInput(msg)


@dataclass(frozen=True)
class RecordedPhoto:
    """A kept photo: the test it shows, on which sides, and the assessment it measured."""

    id: int
    assessment_id: int
    test: PhotoTest
    sides: tuple[Side, ...]
    image: KeptImage
    recorded_at: datetime
