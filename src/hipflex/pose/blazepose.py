"""BlazePose (mediapipe 0.10.14, `mp.solutions.pose`, model_complexity=1: the model in the
wheel) mapped to hipflex's named points. To be written with the pose extra."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

    from hipflex.domain.goniometry import Landmarks


def detect_person(image: Image) -> Landmarks | None:  # noqa: ARG001 - the stub
    raise ImportError("mediapipe")
