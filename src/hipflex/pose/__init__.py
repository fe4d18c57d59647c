"""Automatic landmarks from a photo: the optional `pose` extra (mediapipe's BlazePose,
the model shipped in its wheel; never a model downloaded at run time).

Importing `detect` raises ImportError when the extra is not installed; the services turn
that into a message that says how to get it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

    from hipflex.domain.goniometry import Landmarks


def detect(image: Image) -> Landmarks | None:
    """The landmarks of the person in an RGB photo, or None when no person is found."""
    from hipflex.pose.blazepose import detect_person  # ImportError without the extra

    return detect_person(image)
