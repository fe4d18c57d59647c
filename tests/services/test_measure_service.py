"""Measuring from a photo as a service: reading the photo, the points marked by hand, the
pose model missing, and the settings the tests are read with."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from hipflex.config import Settings
from hipflex.domain.assessment import ExtensionResult, ThomasResult
from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import NO_FACING_WARNING, Facing
from hipflex.domain.ids import Side
from hipflex.services import measure as measure_service
from hipflex.services.measure import (
    MarkedPoints,
    PoseUnavailable,
    find_landmarks,
    load_photo,
    measure_marked,
    measure_photo,
    read_photo,
)
from hipflex.services.points_file import parse_points, read_points

# A Thomas test drawn by hand on an 800x600 photo: the table edge level at y=300, the
# hip on it, the thigh 10 degrees above it, the knee bent 70 degrees.
THOMAS = {
    "table_a": [100, 300],
    "table_b": [700, 300],
    "shoulder": [150, 290],
    "hip": [400, 300],
    "knee": [498.48, 282.64],  # 100 px from the hip, 10 degrees up
    "ankle": [548.48, 369.24],  # 100 px on, the shin turned 70 degrees down from the thigh
}


def _png(width: int = 800, height: int = 600, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_load_photo_turns_it_upright_and_drops_alpha():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to view
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG", exif=exif)
    photo = load_photo(out.getvalue())
    assert (photo.width, photo.height) == (30, 40)
    assert load_photo(_png(mode="RGBA")).image.mode == "RGB"


def test_read_photo_refuses_what_is_not_a_readable_photo(tmp_path: Path, monkeypatch):
    with pytest.raises(BadInput, match="cannot read"):
        read_photo(tmp_path / "missing.jpg")
    with pytest.raises(BadInput, match="cannot read"):
        read_photo(tmp_path)  # a folder
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    with pytest.raises(BadInput, match="not a photo hipflex can read"):
        read_photo(text)
    large = tmp_path / "large.png"
    large.write_bytes(_png())
    monkeypatch.setattr(measure_service, "MAX_PHOTO_BYTES", 100)
    with pytest.raises(BadInput, match="larger than"):
        read_photo(large)


def test_hand_points_measure_the_thomas_test():
    photo = load_photo(_png())
    marked = parse_points(json.dumps({"points": THOMAS, "facing": "right"}))
    measured = measure_photo(
        photo, marked, test=measure_service.TestName.THOMAS, side=Side.LEFT, settings=Settings()
    )
    assert measured.sides == (Side.LEFT,)
    thomas = measured.thomas[Side.LEFT]
    assert thomas.thigh_angle_deg == pytest.approx(10.0, abs=0.05)
    assert thomas.knee_flexion_deg == pytest.approx(70.0, abs=0.05)
    assert thomas.result is ThomasResult.BOTH_TIGHT
    assert measured.angles.warnings == ()
    assert measured.landmarks.facing is Facing.RIGHT


def test_the_thomas_knee_floor_setting_is_used():
    photo = load_photo(_png())
    marked = parse_points(json.dumps({"points": THOMAS}))
    settings = Settings(thomas_knee_floor_deg=67.0)  # some clinical papers use 67
    measured = measure_photo(
        photo, marked, test=measure_service.TestName.THOMAS, side=Side.LEFT, settings=settings
    )
    assert measured.thomas[Side.LEFT].result is ThomasResult.TIGHT_ILIOPSOAS


def test_the_trunk_lean_limit_setting_is_used():
    # standing, facing right: the trunk leans 12 degrees forward, the hip extended 15
    points = {
        "shoulder_right": [431.19, 153.28],
        "hip_right": [400, 300],
        "knee_right": [354.60, 389.10],
        "ankle_right": [330, 470],
    }
    photo = load_photo(_png())
    marked = MarkedPoints({k: (v[0], v[1]) for k, v in points.items()}, Facing.RIGHT)

    def read(settings: Settings) -> ExtensionResult:
        measured = measure_photo(
            photo, marked, test=measure_service.TestName.EXTENSION, settings=settings
        )
        assert measured.extension[Side.RIGHT].degrees == pytest.approx(15.0, abs=0.1)
        return measured.extension[Side.RIGHT].result

    assert read(Settings()) is ExtensionResult.TIGHT  # compensated: more than 10 degrees
    assert read(Settings(trunk_lean_limit_deg=15.0)) is ExtensionResult.NORMAL
    with pytest.raises(BadInput, match="trunk lean limit"):
        read(Settings(trunk_lean_limit_deg=90.0))


def test_a_test_without_its_points_is_bad_input():
    photo = load_photo(_png())
    marked = parse_points(json.dumps({"points": {"hip_left": [1, 1], "knee_left": [50, 50]}}))
    with pytest.raises(BadInput, match="needs its hip, knee and ankle"):
        measure_photo(
            photo, marked, test=measure_service.TestName.THOMAS, side=Side.LEFT, settings=Settings()
        )
    with pytest.raises(BadInput, match="needs its shoulder, hip and knee"):
        measure_photo(
            photo,
            marked,
            test=measure_service.TestName.EXTENSION,
            side=Side.LEFT,
            settings=Settings(),
        )


def test_the_photo_and_the_photos_size_alone_give_the_same_measurement():
    """The command line (a photo) and the web (its size) go one way from points to angles:
    the same measurement; only a test the points do not give differs, an error for the
    command, a `problem` for the page that asks again while the user marks."""
    photo = load_photo(_png())
    marked = parse_points(json.dumps({"points": THOMAS}))
    thomas = measure_service.TestName.THOMAS
    from_photo = measure_photo(photo, marked, test=thomas, side=Side.LEFT, settings=Settings())
    from_size = measure_marked(
        marked, width=800, height=600, test=thomas, side=Side.LEFT, settings=Settings()
    )
    assert from_size == from_photo
    assert from_photo.problem is None
    assert from_photo.result_title(Side.LEFT) == "Iliopsoas and rectus femoris look tight"
    assert from_photo.result_title(Side.RIGHT) is None
    half = parse_points(json.dumps({"points": {"hip_left": [1, 1], "knee_left": [50, 50]}}))
    pending = measure_marked(
        half, width=800, height=600, test=thomas, side=Side.LEFT, settings=Settings()
    )
    assert pending.thomas == {}
    assert pending.problem == "the Thomas test on the left side needs its hip, knee and ankle"
    with pytest.raises(BadInput, match="needs its hip, knee and ankle"):
        pending.checked()
    with pytest.raises(BadInput, match="width and height must be above 0"):
        measure_marked(marked, width=0, height=600, settings=Settings())


def test_points_outside_the_photo_are_bad_input():
    photo = load_photo(_png(width=400))
    marked = parse_points(json.dumps({"points": THOMAS}))
    with pytest.raises(BadInput, match=r"outside the 400x600 image"):
        measure_photo(photo, marked, side=Side.LEFT, settings=Settings())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must look like"),
        ('{"points": []}', "must look like"),
        ('{"points": {}, "colour": 1}', "unknown keys"),
        ('{"points": {}, "facing": "up"}', "facing must be left or right"),
        ('{"points": {"knee_left": [1]}}', "not a pair of numbers"),
        ('{"points": {"knee_left": {"x": 1, "y": 2}}}', "not a pair of numbers"),
        # The parser's limits (json_values.parse_json), within the file's size limit.
        ("[" * 30_000 + "]" * 30_000, "nests deeper than 32 levels"),
        ('{"points": {"knee_left": [' + "9" * 5000 + ", 1]}}", "longer than 40"),
        ('{"points": {"knee_left": [1e999, 1]}}', "too large"),
        ('{"points": {"knee_left": [NaN, 1]}}', "not a number JSON allows"),
    ],
)
def test_a_bad_points_file_is_bad_input(text: str, message: str):
    with pytest.raises(BadInput, match=message):
        parse_points(text)


def test_read_points_refuses_missing_large_and_binary_files(tmp_path: Path):
    with pytest.raises(BadInput, match="cannot read"):
        read_points(tmp_path / "missing.json")
    large = tmp_path / "large.json"
    large.write_text(" " * 70_000)
    with pytest.raises(BadInput, match="too large"):
        read_points(large)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(BadInput, match="not UTF-8"):
        read_points(binary)


def test_without_the_pose_extra_the_message_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # import mediapipe fails
    monkeypatch.delitem(sys.modules, "hipflex.pose.blazepose", raising=False)
    with pytest.raises(PoseUnavailable, match=r"pip install 'hipflex\[pose\]'") as raised:
        find_landmarks(load_photo(_png()))
    assert "automatic landmarks need the pose model" in str(raised.value)


def test_a_broken_pose_install_says_what_is_missing(monkeypatch):
    import hipflex.pose

    def broken(image: object) -> None:
        raise ImportError("libGL.so.1: cannot open shared object file")

    monkeypatch.setattr(hipflex.pose, "detect", broken)
    with pytest.raises(PoseUnavailable, match=r"cannot load \(libGL.so.1"):
        find_landmarks(load_photo(_png()))


@pytest.mark.parametrize(
    ("test", "warned"),
    [
        (measure_service.TestName.THOMAS, False),  # reads no hip extension: facing is moot
        (measure_service.TestName.ANY, True),  # the hip extension angle stays unknown
    ],
)
def test_an_unknown_facing_is_a_warning_only_where_hip_extension_is_read(
    test: measure_service.TestName, warned: bool
):
    marked = parse_points(json.dumps({"points": THOMAS}))  # no facing, no nose, no toe
    measured = measure_marked(
        marked, width=800, height=600, test=test, side=Side.LEFT, settings=Settings()
    )
    assert measured.angles.facing is None
    assert measured.angles.hip_extension_deg[Side.LEFT] is None
    assert (NO_FACING_WARNING in measured.angles.warnings) is warned
