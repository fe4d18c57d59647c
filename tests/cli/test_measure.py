"""`hipflex measure`: hand-marked points on a drawn photo, the pose model on a real one,
the JSON contract, the annotated picture, and one line for every bad input."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from hipflex.domain.goniometry import NO_TABLE_WARNING, Facing, Landmarks
from hipflex.domain.ids import Side
from tests.cli.conftest import Cli
from tests.photos import KNEELING, NOBODY, photo_path, require_pose

HIPFLEX = Path(sys.executable).parent / "hipflex"
SIZE = (800, 600)


def _leg(hip: tuple[float, float], thigh_deg: float, knee_deg: float) -> dict[str, list[float]]:
    """A hip, a knee 150 px away with the thigh at thigh_deg above level (towards +x),
    and an ankle 130 px on with the knee bent knee_deg."""
    t = math.radians(thigh_deg)
    knee = (hip[0] + 150 * math.cos(t), hip[1] - 150 * math.sin(t))
    s = math.radians(thigh_deg - knee_deg)
    ankle = (knee[0] + 130 * math.cos(s), knee[1] - 130 * math.sin(s))
    return {"hip": list(hip), "knee": list(knee), "ankle": list(ankle)}


THOMAS_POINTS = {
    "table_a": [40, 300],
    "table_b": [420, 300],
    "shoulder": [100, 292],
    "nose": [40, 280],
    **_leg((400, 300), thigh_deg=12.0, knee_deg=70.0),
}


@pytest.fixture
def drawing(tmp_path: Path) -> Path:
    """A 'photo' drawn with Pillow: a table and a leg hanging off it."""
    image = Image.new("RGB", SIZE, (235, 235, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 300, 420, 320), fill=(120, 80, 40))
    leg = THOMAS_POINTS
    draw.line([tuple(leg["hip"]), tuple(leg["knee"]), tuple(leg["ankle"])], fill="black", width=12)
    path = tmp_path / "thomas.jpg"
    image.save(path, format="JPEG")
    return path


def _points_file(tmp_path: Path, points: object, **extra: object) -> Path:
    path = tmp_path / "points.json"
    path.write_text(json.dumps({"points": points, **extra}))
    return path


def test_json_contract_with_hand_points(cli: Cli, drawing: Path, tmp_path: Path):
    points = _points_file(tmp_path, THOMAS_POINTS, facing="left")
    data = cli.json("measure", str(drawing), "--points", str(points), "--side", "left", "--json")
    assert list(data) == [
        "points",
        "angles",
        "facing",
        "near_side",
        "warnings",
        "test",
        "sides",
        "thomas",
        "hip_extension",
        "problem",
        "width",
        "height",
    ]
    assert data["points"]["knee_left"] == pytest.approx(THOMAS_POINTS["knee"], abs=0.05)
    assert set(data["points"]) == {
        "table_a", "table_b", "shoulder_left", "nose", "hip_left", "knee_left", "ankle_left"
    }  # fmt: skip
    angles = data["angles"]
    assert list(angles) == [
        "knee_flexion_deg",
        "thigh_angle_deg",
        "hip_extension_deg",
        "trunk_lean_deg",
    ]
    assert angles["knee_flexion_deg"] == {"left": pytest.approx(70.0, abs=0.05), "right": None}
    assert angles["thigh_angle_deg"] == {"left": pytest.approx(12.0, abs=0.05), "right": None}
    assert angles["hip_extension_deg"]["right"] is None
    assert isinstance(angles["hip_extension_deg"]["left"], float)
    assert angles["trunk_lean_deg"] == {"left": pytest.approx(88.5, abs=0.05), "right": None}
    assert data["facing"] == "left"
    assert data["near_side"] is None
    assert data["warnings"] == []
    assert data["test"] == "any"
    assert data["sides"] == ["left"]
    assert data["thomas"] == {}
    assert data["hip_extension"] == {}
    assert data["problem"] is None
    assert (data["width"], data["height"]) == SIZE


def test_thomas_result_by_the_protocols_rules(cli: Cli, drawing: Path, tmp_path: Path):
    points = _points_file(tmp_path, THOMAS_POINTS)
    args = ["measure", str(drawing), "--points", str(points), "--side", "right", "--json"]
    data = cli.json(*args, "--test", "thomas")
    assert data["sides"] == ["right"]
    assert data["thomas"] == {
        "right": {
            "result": "both_tight",  # the thigh rises and the knee bends less than 80
            "title": "Iliopsoas and rectus femoris look tight",
            "thigh": "raised",
            "thigh_angle_deg": 12.0,
            "knee_flexion_deg": 70.0,
            "pelvis_checked": True,  # the shoulder is marked: the trunk is seen
        }
    }
    assert data["facing"] == "left"  # from the nose
    result = cli(*args[:-1], "--test", "thomas")
    assert result.exit_code == 0, result.output
    assert "Thomas test, right side: the thigh is raised, the knee bends 70°" in result.stdout
    assert "iliopsoas and rectus femoris look tight" in result.stdout
    assert "Knee bend: 70.0°" in result.stdout
    assert "Thigh: 12.0° above the table edge" in result.stdout
    assert "does not diagnose" in result.stdout


def test_extension_result_and_warnings_in_words(cli: Cli, drawing: Path, tmp_path: Path):
    standing = {
        "shoulder_right": [400, 100],
        "hip_right": [400, 300],
        "knee_right": [361.18, 444.89],  # 150 px, 15 degrees behind (facing right)
        "ankle_right": [340, 580],
    }
    points = _points_file(tmp_path, standing, facing="right")
    args = ["measure", str(drawing), "--points", str(points), "--test", "extension"]
    data = cli.json(*args, "--json")
    assert data["hip_extension"] == {
        "right": {
            "result": "normal",
            "title": "Normal hip extension",
            "degrees": 15.0,
            "compensated": False,
            "pelvis_checked": True,  # the trunk lean was measured
        }
    }
    assert data["warnings"] == [NO_TABLE_WARNING]
    text = cli(*args).stdout
    assert "Hip: 15.0° behind the trunk line (extension)" in text
    assert (
        "Hip extension test, right side: 15°, the trunk upright; by the protocol's rules: " in text
    )
    assert "Check:\n  - no table edge" in text


def test_annotated_picture(cli: Cli, drawing: Path, tmp_path: Path):
    points = _points_file(tmp_path, THOMAS_POINTS)
    out = tmp_path / "annotated.png"
    result = cli(
        "measure", str(drawing), "--points", str(points), "--side", "left", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}." in result.stdout
    with Image.open(out) as picture:
        assert picture.format == "PNG"
        assert picture.mode == "RGB"  # opaque: the same on light and dark viewers
        assert picture.width == SIZE[0]
        assert picture.height > SIZE[1]  # the caption band under the photo
        knee = tuple(round(v) for v in THOMAS_POINTS["knee"])
        assert picture.getpixel(knee) != (0, 0, 0)  # a point drawn over the black leg
    assert not list(tmp_path.glob(".*.partial"))
    # with --json the JSON stays alone on stdout
    data = cli(
        "measure",
        str(drawing),
        "--points",
        str(points),
        "--side",
        "left",
        "--json",
        "--out",
        str(out),
    )
    assert data.exit_code == 0
    json.loads(data.stdout)
    assert f"Wrote {out}." in data.stderr


@pytest.mark.parametrize(
    ("points", "extra_args", "message"),
    [
        ({"knee_left": [900, 10]}, [], "outside the 800x600 image"),
        ({"elbow_left": [1, 1]}, [], "unknown point 'elbow_left'"),
        ({"knee": [1, 1]}, [], "needs a side"),
        ({"knee_left": [1, 1]}, ["--side", "middle"], "unknown --side 'middle'"),
        ({"knee_left": [1, 1]}, ["--test", "squat"], "unknown --test 'squat'"),
        ({"knee_left": [1, 1]}, ["--auto"], "give --points FILE.json or --auto, not both"),
        ({"knee_left": [1, 1]}, ["--out", "x.jpg"], "--out must end in .png"),
        ({"hip_left": [1, 1]}, ["--test", "thomas", "--side", "left"], "needs its hip, knee"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Cli, drawing: Path, points: object, extra_args: list[str], message: str
):
    path = _points_file(drawing.parent, points)
    result = cli("measure", str(drawing), "--points", str(path), *extra_args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("hipflex: error: ")
    assert message in line


def test_bad_files_are_one_line_and_exit_2(cli: Cli, drawing: Path, tmp_path: Path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"points": {"knee_left": [1, 1],}}')
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("hello")
    good = _points_file(tmp_path, {"knee_left": [1, 1]})
    for args, message in [
        ([str(drawing), "--points", str(bad_json)], "the points file is not valid JSON"),
        ([str(drawing), "--points", str(tmp_path / "none.json")], "cannot read"),
        ([str(tmp_path / "none.jpg"), "--points", str(good)], "cannot read"),
        ([str(not_a_photo), "--points", str(good)], "not a photo hipflex can read"),
    ]:
        result = cli("measure", *args)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        assert message in line


def test_an_unwritable_out_is_one_line(cli: Cli, drawing: Path, tmp_path: Path):
    points = _points_file(tmp_path, THOMAS_POINTS)
    out = tmp_path / "no-such-folder" / "a.png"
    result = cli("measure", str(drawing), "--points", str(points), "--out", str(out))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "does not exist" in line
    assert result.stdout == ""


def test_auto_without_the_pose_extra_says_how_to_get_it(
    cli: Cli, drawing: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "mediapipe", None)
    monkeypatch.delitem(sys.modules, "hipflex.pose.blazepose", raising=False)
    for args in (["--auto"], []):  # --auto is the default without --points
        result = cli("measure", str(drawing), *args)
        assert result.exit_code == 2
        (line,) = result.stderr.strip().splitlines()
        assert "pip install 'hipflex[pose]'" in line


#: What a stand-in pose model finds on the drawing: standing, facing right, the right side
#: nearer the camera, its hip 15 degrees behind the upright trunk; the far leg's hip only.
STANDING = {
    "shoulder_right": (400.0, 100.0),
    "hip_right": (400.0, 300.0),
    "knee_right": (361.18, 444.89),
    "ankle_right": (340.0, 580.0),
    "hip_left": (405.0, 300.0),
}


@pytest.fixture
def pose_model(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """A stand-in for the pose extra (hipflex.pose.detect): STANDING on any photo. Records
    the size of each photo it reads."""
    seen: list[tuple[int, int]] = []

    def detect(image: Image.Image) -> Landmarks:
        seen.append(image.size)
        return Landmarks(STANDING, Facing.RIGHT, near_side=Side.RIGHT)

    monkeypatch.setattr("hipflex.pose.detect", detect)
    return seen


def test_auto_reads_the_side_nearer_the_camera(
    cli: Cli, drawing: Path, pose_model: list[tuple[int, int]]
):
    for auto in (["--auto"], []):  # --auto is the default without --points
        data = cli.json("measure", str(drawing), *auto, "--test", "extension", "--json")
        assert data["near_side"] == "right"
        assert data["facing"] == "right"
        assert data["sides"] == ["right"]
        assert data["points"]["knee_right"] == [361.2, 444.9]
        assert data["hip_extension"]["right"]["degrees"] == pytest.approx(15.0, abs=0.1)
        assert data["hip_extension"]["right"]["result"] == "normal"
    assert pose_model == [SIZE, SIZE]
    text = cli("measure", str(drawing)).stdout
    assert "Points found by the pose model. Your right side is nearer the camera." in text
    assert "Right side (nearer the camera, read):" in text


def test_side_chooses_the_leg_read(cli: Cli, drawing: Path, pose_model: list[tuple[int, int]]):
    data = cli.json("measure", str(drawing), "--side", "left", "--json")
    assert data["sides"] == ["left"]
    assert data["near_side"] == "right"
    result = cli("measure", str(drawing), "--side", "left", "--test", "extension")
    assert result.exit_code == 2  # the far leg's knee is not among the points
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        "hipflex: error: the hip extension on the left side needs its shoulder, hip and knee, "
        "and which way you face"
    )


def test_no_person_found_by_the_model_is_one_line_and_exit_2(
    cli: Cli, drawing: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("hipflex.pose.detect", lambda _image: None)
    result = cli("measure", str(drawing), "--auto", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("hipflex: error: no person was found in the photo")


def test_help_names_every_option(cli: Cli):
    result = cli("measure", "--help")
    assert result.exit_code == 0
    for option in ("--test", "--side", "--points", "--auto", "--out", "--json"):
        assert option in result.stdout
    assert "thomas|extension|any" in result.stdout
    assert "table_a" in result.stdout


def test_auto_on_a_real_photo(cli: Cli, tmp_path: Path):
    require_pose()
    photo = photo_path(KNEELING)
    data = cli.json("measure", str(photo), "--auto", "--json")
    assert data["facing"] == "right"
    assert data["near_side"] == "right"
    assert data["sides"] == ["right"]
    assert len(data["points"]) == 11  # every body point, no table
    assert data["angles"]["hip_extension_deg"]["right"] > 10
    assert data["angles"]["hip_extension_deg"]["left"] < -45
    out = tmp_path / "kneeling.png"
    result = cli("measure", str(photo), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Points found by the pose model. Your right side is nearer the camera." in result.stdout
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("name", NOBODY)
def test_no_person_found_is_one_line_and_exit_2(cli: Cli, name: str):
    require_pose()
    result = cli("measure", str(photo_path(name)), "--auto")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "no person was found in the photo" in line


@pytest.mark.slow
def test_the_whole_command_prints_only_its_json():
    """As a process: the model's native logs never reach the terminal."""
    require_pose()
    env = {**os.environ}
    env.pop("HIPFLEX_DATABASE_URL", None)
    result = subprocess.run(
        [str(HIPFLEX), "measure", str(photo_path(KNEELING)), "--json", "--test", "extension"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["hip_extension"]["right"]["degrees"] > 10


def test_the_drawing_is_a_real_jpeg(drawing: Path):
    with Image.open(io.BytesIO(drawing.read_bytes())) as image:
        assert image.format == "JPEG"


# --save: the measurement becomes a re-test, measured from a photo


def _assessed(cli: Cli) -> None:
    result = cli(
        "assess",
        *("--thomas-left", "flat", "--thomas-right", "flat"),
        *("--knee-left", "85", "--knee-right", "85"),
        *("--extension-left", "12", "--extension-right", "12"),
        *("--sitting-hours", "8", "--no-red-flags", "--json"),
    )
    assert result.exit_code == 0, result.output


def test_save_records_a_retest_with_the_photo_method(cli: Cli, drawing: Path, tmp_path: Path):
    _assessed(cli)
    points = _points_file(tmp_path, THOMAS_POINTS)
    args = ["measure", str(drawing), "--points", str(points), "--side", "right"]
    data = cli.json(*args, "--test", "thomas", "--save", "--json")
    assert data["saved"] == {
        "assessment_id": 2,
        "test": "thomas",
        "sides": ["right"],
        "pelvis_checked": {"right": True},
        "photo_kept": False,
    }
    history = cli.json("history", "--json")
    assert [each["kind"] for each in history] == ["retest", "baseline"]
    retest = history[0]
    assert retest["thomas"]["right"] == {
        "result": "both_tight",
        "thigh": "raised",
        "thigh_angle_deg": 12.0,
        "knee_flexion_deg": 70.0,
        "method": "photo",
        "pelvis_checked": True,
    }
    # the other side and the other test are carried over, typed in as they were
    assert retest["thomas"]["left"]["method"] == "self"
    assert retest["thomas"]["left"]["knee_flexion_deg"] == 85.0
    assert retest["hip_extension"]["right"]["degrees"] == 12.0
    assert retest["red_flags"] == []


def test_save_says_what_it_recorded_and_keeps_the_photo_only_when_asked(
    cli: Cli, drawing: Path, tmp_path: Path
):
    _assessed(cli)
    points = _points_file(tmp_path, {k: v for k, v in THOMAS_POINTS.items() if k != "shoulder"})
    args = ["measure", str(drawing), "--points", str(points), "--side", "right", "--test", "thomas"]
    result = cli(*args, "--save", "--keep-photo")
    assert result.exit_code == 0, result.output
    assert "Saved as a re-test (#2): the Thomas test on your right side" in result.stdout
    assert "your pelvis could not be checked" in result.stdout  # no shoulder marked
    assert "The photo is kept, without its EXIF data" in result.stdout
    erased = cli("data", "erase", "--yes")
    assert erased.exit_code == 0, erased.output
    assert "kept photo" in erased.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--save"], "--save records one test: add --test thomas or --test extension"),
        (["--keep-photo", "--test", "thomas"], "--keep-photo keeps the photo of a saved result"),
    ],
)
def test_save_without_a_test_or_keep_without_save_is_one_line(
    cli: Cli, drawing: Path, tmp_path: Path, extra: list[str], message: str
):
    points = _points_file(tmp_path, THOMAS_POINTS)
    result = cli("measure", str(drawing), "--points", str(points), "--side", "right", *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_save_before_any_assessment_saves_nothing(cli: Cli, drawing: Path, tmp_path: Path):
    points = _points_file(tmp_path, THOMAS_POINTS)
    args = ["measure", str(drawing), "--points", str(points), "--side", "right"]
    result = cli(*args, "--test", "thomas", "--save")
    assert result.exit_code == 1
    assert "take the assessment first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.json("history", "--json") == []
