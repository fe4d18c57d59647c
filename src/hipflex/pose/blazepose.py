"""BlazePose (mediapipe 0.10.14's legacy `mp.solutions.pose` in static image mode,
model_complexity=1: BlazePose full, the model shipped in the wheel; 0 or 2 would download
one at run time, which hipflex never does) mapped to hipflex's named points.

Importing this module raises ImportError without the `pose` extra. The model is loaded
once per process, on first use, and serves one photo at a time."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import mediapipe  # the pose extra: ImportError without it
import numpy as np

from hipflex.domain.goniometry import SIDED_POINTS, Landmarks
from hipflex.domain.ids import Side

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL.Image import Image

# BlazePose full: the one pose landmark model that the wheel ships.
MODEL_COMPLEXITY = 1
# mediapipe's body parts behind hipflex's point names (`toe` is the foot index).
_PARTS = {
    "shoulder": "SHOULDER",
    "hip": "HIP",
    "knee": "KNEE",
    "ankle": "ANKLE",
    "toe": "FOOT_INDEX",
}
# Joints whose depth says which side is nearer the camera.
_DEPTH_PARTS = ("shoulder", "hip", "knee")


# --- the typed face of mediapipe (it ships no type hints) ---------------------------------


class _Landmark(Protocol):
    x: float  # 0-1 across the image
    y: float  # 0-1 down the image
    z: float  # depth, the hips' midpoint at 0, smaller nearer the camera, x's scale
    visibility: float


class _LandmarkList(Protocol):
    landmark: Sequence[_Landmark]


class _Result(Protocol):
    pose_landmarks: _LandmarkList | None


class _Pose(Protocol):
    def process(self, image: NDArray[np.uint8]) -> _Result: ...


def _landmark_index() -> Mapping[str, int]:
    """hipflex's point names -> BlazePose's landmark numbers, read from mediapipe's enum."""
    enum = mediapipe.solutions.pose.PoseLandmark
    index: dict[str, int] = {"nose": int(enum.NOSE)}
    for name in SIDED_POINTS:
        for side in Side:
            index[f"{name}_{side.value}"] = int(enum[f"{side.value.upper()}_{_PARTS[name]}"])
    return index


LANDMARK_INDEX = _landmark_index()
#: How many landmarks BlazePose gives, in its own order.
LANDMARK_COUNT = len(mediapipe.solutions.pose.PoseLandmark)


@contextlib.contextmanager
def _native_logs_held() -> Iterator[None]:
    """The model's native start-up logs (TensorFlow Lite, absl) written to stderr are
    held in a temporary file and shown only when loading fails."""
    sys.stderr.flush()
    with tempfile.TemporaryFile() as held:
        saved = os.dup(2)
        os.dup2(held.fileno(), 2)
        failed = True
        try:
            yield
            failed = False
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if failed:
                held.seek(0)
                sys.stderr.write(held.read().decode(errors="replace"))


def _load() -> _Pose:
    with _native_logs_held():
        pose: _Pose = mediapipe.solutions.pose.Pose(
            static_image_mode=True, model_complexity=MODEL_COMPLEXITY
        )
        # The first photo sets up the inference delegate (and logs it): do it here.
        pose.process(np.zeros((64, 64, 3), dtype=np.uint8))
    return pose


class _Model:
    """The one BlazePose graph of this process: loaded on first use, never freed per
    photo; a graph takes one photo at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pose: _Pose | None = None

    def process(self, rgb: NDArray[np.uint8]) -> _Result:
        with self._lock:
            if self._pose is None:
                self._pose = _load()
            with warnings.catch_warnings():
                # protobuf's deprecation notice from inside mediapipe, on every person found
                warnings.filterwarnings("ignore", "SymbolDatabase.GetPrototype", UserWarning)
                return self._pose.process(rgb)


_MODEL = _Model()


@dataclass(frozen=True)
class RawLandmark:
    """One of BlazePose's landmarks in pixels; `z` is its depth in about the same scale
    (the hips' midpoint at 0, smaller nearer the camera), `visibility` 0-1."""

    x: float
    y: float
    z: float
    visibility: float


def raw_landmarks(image: Image) -> tuple[RawLandmark, ...] | None:
    """All of BlazePose's landmarks (33, in its order) for the person in an RGB photo, or
    None when no person is found."""
    rgb: NDArray[np.uint8] = np.asarray(
        image if image.mode == "RGB" else image.convert("RGB"), dtype=np.uint8
    )
    found = _MODEL.process(rgb).pose_landmarks
    if found is None:
        return None
    width, height = image.size
    return tuple(
        RawLandmark(
            float(mark.x) * width,
            float(mark.y) * height,
            float(mark.z) * width,
            float(mark.visibility),
        )
        for mark in found.landmark
    )


def near_side(raw: Sequence[RawLandmark]) -> Side:
    """The side whose shoulder, hip and knee are nearer the camera, on average."""
    depth = {
        side: sum(raw[LANDMARK_INDEX[f"{part}_{side.value}"]].z for part in _DEPTH_PARTS)
        for side in Side
    }
    return Side.LEFT if depth[Side.LEFT] < depth[Side.RIGHT] else Side.RIGHT


def to_landmarks(raw: Sequence[RawLandmark], width: float, height: float) -> Landmarks:
    """hipflex's named points from BlazePose's landmarks (the subject's own left and
    right). A landmark outside the photo is the model's guess: it is left out."""
    points = {
        name: (raw[index].x, raw[index].y)
        for name, index in LANDMARK_INDEX.items()
        if 0 <= raw[index].x <= width and 0 <= raw[index].y <= height
    }
    return Landmarks(points, facing=None, near_side=near_side(raw))


def detect_person(image: Image) -> Landmarks | None:
    """The named points of the person in an RGB photo, or None when no person is found."""
    raw = raw_landmarks(image)
    if raw is None:
        return None
    width, height = image.size
    return to_landmarks(raw, width, height)
