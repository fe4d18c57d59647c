"""The pose extra on real photographs (../shared/fixtures/photos, see SOURCES.md there):
a person in each people photo and none in the empty ones, BlazePose's landmarks where the
MediaPipe runtime puts them, and hip angles that make sense on a hip flexor stretch."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import POINT_NAMES, Facing, measure
from hipflex.domain.ids import Side
from hipflex.services.measure import Photo, find_landmarks, load_photo
from tests.photos import KNEELING, NOBODY, PEOPLE, WARRIOR, photo_path, require_pose

# The warrior II photo's 33 landmarks in MediaPipe's order, pixels (x, y), as the MediaPipe
# runtime finds them (tensorflow/tfjs-models, pose-detection/src/blazepose_mediapipe/
# mediapipe_test.ts, Apache-2.0; listed in SOURCES.md beside the photos), and the
# tolerance that test allows.
WARRIOR_REFERENCE = [
    (460, 283), (467, 273), (471, 273), (474, 273), (465, 273), (465, 273), (466, 273),
    (491, 277), (480, 277), (470, 294), (465, 294), (545, 319), (453, 329), (622, 323),
    (375, 316), (696, 316), (299, 307), (719, 316), (278, 306), (721, 311), (274, 304),
    (713, 313), (283, 306), (520, 476), (467, 471), (612, 550), (358, 490), (701, 613),
    (349, 611), (709, 624), (363, 630), (730, 633), (303, 628),
]  # fmt: skip
WARRIOR_TOLERANCE_PX = 11.0


@pytest.fixture(autouse=True)
def _pose() -> None:
    require_pose()


def _photo(name: str) -> Photo:
    return load_photo(photo_path(name).read_bytes())


@pytest.mark.parametrize("name", PEOPLE)
def test_a_person_is_found_in_each_people_photo(name: str):
    photo = _photo(name)
    landmarks = find_landmarks(photo)
    assert set(landmarks.points) <= set(POINT_NAMES)
    # the body points a side photo needs, inside the photo
    for point in ("shoulder", "hip", "knee"):
        for side in Side:
            x, y = landmarks.points[f"{point}_{side.value}"]
            assert 0 <= x <= photo.width
            assert 0 <= y <= photo.height
    assert landmarks.near_side in tuple(Side)


@pytest.mark.parametrize("name", NOBODY)
def test_nobody_is_found_in_the_empty_photos(name: str):
    from hipflex.pose import detect

    photo = _photo(name)
    assert photo.image.mode == "RGB"
    assert detect(photo.image) is None
    with pytest.raises(BadInput, match="no person was found"):
        find_landmarks(photo)


def test_the_rgba_photo_loses_its_alpha():
    from PIL import Image

    path = photo_path("no_person_mug_mediapipe_samples.png")
    with Image.open(path) as original:
        assert original.mode == "RGBA"
    assert _photo(path.name).image.mode == "RGB"


def test_warrior_landmarks_match_the_mediapipe_runtime():
    from hipflex.pose.blazepose import LANDMARK_COUNT, raw_landmarks

    found = raw_landmarks(_photo(WARRIOR).image)
    assert found is not None
    assert len(found) == LANDMARK_COUNT == len(WARRIOR_REFERENCE) == 33
    distances = [
        math.dist((mark.x, mark.y), expected)
        for mark, expected in zip(found, WARRIOR_REFERENCE, strict=True)
    ]
    worst = max(range(33), key=lambda i: distances[i])
    assert distances[worst] <= WARRIOR_TOLERANCE_PX, (worst, found[worst], distances[worst])


def test_named_points_are_the_models_landmarks():
    from hipflex.pose.blazepose import LANDMARK_INDEX, raw_landmarks

    photo = _photo(WARRIOR)
    raw = raw_landmarks(photo.image)
    landmarks = find_landmarks(photo)
    assert raw is not None
    # MediaPipe's numbering: the subject's own left and right, the foot index for the toe
    expected = {"nose": 0, "shoulder_left": 11, "shoulder_right": 12, "hip_left": 23}
    expected |= {"hip_right": 24, "knee_left": 25, "knee_right": 26, "ankle_left": 27}
    expected |= {"ankle_right": 28, "toe_left": 31, "toe_right": 32}
    assert dict(LANDMARK_INDEX) == expected
    for name, index in expected.items():
        assert landmarks.points[name] == (raw[index].x, raw[index].y)


def test_the_kneeling_stretch_has_one_hip_extended_and_one_bent():
    """Half-kneeling hip flexor stretch, side on, facing right: the back leg's hip is in
    extension and the front leg's in flexion. Which leg is the back one is read from the
    picture (its knee is behind the hip), so the test holds whichever side BlazePose calls
    it (the model calls the back leg the right one, the one nearer the camera)."""
    photo = _photo(KNEELING)
    landmarks = find_landmarks(photo)
    angles = measure(landmarks)
    assert angles.facing is Facing.RIGHT
    points = landmarks.points
    back, front = sorted(Side, key=lambda side: points[f"knee_{side.value}"][0])
    assert points[f"knee_{back.value}"][0] < points[f"hip_{back.value}"][0]  # behind the hip
    assert points[f"knee_{front.value}"][0] > points[f"hip_{front.value}"][0]  # ahead of it
    back_hip, front_hip = angles.hip_extension_deg[back], angles.hip_extension_deg[front]
    assert back_hip is not None
    assert back_hip > 10  # in extension, well clear of the line
    assert front_hip is not None
    assert front_hip < -45  # in flexion
    trunk = angles.trunk_lean(landmarks.near_side or Side.RIGHT)
    assert trunk is not None
    assert trunk < 10  # he kneels upright


@pytest.mark.parametrize(
    ("name", "facing"),
    [
        ("side_walking_woman_sports2d.jpg", Facing.LEFT),
        ("side_deep_squat_man_sports2d.jpg", Facing.RIGHT),
        (KNEELING, Facing.RIGHT),
    ],
)
def test_side_photos_face_the_way_they_do_and_say_which_side_is_near(name: str, facing: Facing):
    """Seen from the side, a person facing right shows the camera their right side."""
    landmarks = find_landmarks(_photo(name))
    assert measure(landmarks).facing is facing
    assert landmarks.near_side is (Side.RIGHT if facing is Facing.RIGHT else Side.LEFT)


def test_the_model_loads_once_per_process():
    from hipflex.pose import blazepose

    find_landmarks(_photo(KNEELING))
    model = blazepose._MODEL._pose
    assert model is not None
    find_landmarks(_photo(WARRIOR))
    assert blazepose._MODEL._pose is model


NO_NETWORK = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("no network in this test")

socket.socket.connect = refuse
socket.create_connection = refuse
from mediapipe.python.solutions import download_utils
download_utils.download_oss_model = refuse

from hipflex.services.measure import find_landmarks, load_photo
found = find_landmarks(load_photo(open(sys.argv[1], "rb").read()))
print(len(found.points))
"""


def test_the_model_ships_in_the_wheel_and_needs_no_network():
    """model_complexity=1 uses the model inside the wheel; nothing is downloaded."""
    path = photo_path(KNEELING)
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "11"
    # the model's native start-up logs are held back: nothing reaches the user
    assert result.stderr == ""


def test_the_model_file_is_in_the_installed_package():
    import mediapipe

    model = Path(mediapipe.__file__).parent / "modules/pose_landmark/pose_landmark_full.tflite"
    assert model.is_file()
