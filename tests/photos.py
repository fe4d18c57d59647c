"""The real photographs for the pose and measurement tests, used where they lie:
../shared/fixtures/photos beside the repository (SOURCES.md there names each one's source
and licence; never copy them into the repository)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from tests.conftest import missing

#: HIPFLEX_FIXTURE_PHOTOS points elsewhere when the shared folder is not beside the clone.
PHOTOS = Path(
    os.environ.get("HIPFLEX_FIXTURE_PHOTOS")
    or Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "photos"
)
PEOPLE = (
    "side_walking_woman_sports2d.jpg",
    "side_deep_squat_man_sports2d.jpg",
    "oblique_leg_extended_back_pose2sim.jpg",
    "lunge_warrior2_beach_tfjs_mediapipe.jpg",
    "seated_fullbody_woman_mediapipe_samples.jpg",
    "side_kneeling_hip_flexor_stretch_free_exercise_db.jpg",
)
NOBODY = ("no_person_porch_camera_ambianic.jpg", "no_person_mug_mediapipe_samples.png")
WARRIOR = "lunge_warrior2_beach_tfjs_mediapipe.jpg"
KNEELING = "side_kneeling_hip_flexor_stretch_free_exercise_db.jpg"
POSE_HINT = "the pose extra is not installed (pip install -e '.[dev,pose]'; make test does)"


def photo_path(name: str) -> Path:
    """A fixture photo; skips (fails under HIPFLEX_STRICT=1) when the folder is absent."""
    path = PHOTOS / name
    if not path.is_file():
        missing(
            f"the fixture photos are not in {PHOTOS} "
            "(the shared folder beside the repo; or set HIPFLEX_FIXTURE_PHOTOS)"
        )
    return path


def require_pose() -> None:
    """Skips (fails under HIPFLEX_STRICT=1) without the pose extra (mediapipe)."""
    if importlib.util.find_spec("mediapipe") is None:
        missing(POSE_HINT)
