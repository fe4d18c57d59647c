"""The photo goniometer's API in-process: the automatic points on an upload (the pose extra
missing, a photo, not a photo, no person, too large) and the angles of marked points, read
by the protocol's rules through the domain; nothing is stored."""

from __future__ import annotations

import io
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from hipflex.config import Settings
from hipflex.domain.goniometry import POINT_NAMES, SIDED_POINTS, Facing, Landmarks, measure
from hipflex.domain.ids import Side
from hipflex.services.clock import FixedClock
from hipflex.services.photo_points import GUIDES
from hipflex.web.app import create_app
from hipflex.web.security import MAX_BODY_BYTES
from tests.web.conftest import API, arm_csrf, web_settings

LANDMARKS = f"{API}/measurements/landmarks"
MEASURE = f"{API}/measurements"

#: A Thomas test seen from the left, 800x600: the table edge level, the thigh rising
#: 30 px over 160 px, the shin hanging down and a little forward.
THOMAS_POINTS = {
    "table_a": [50, 300],
    "table_b": [750, 300],
    "hip": [400, 300],
    "knee": [560, 270],
    "ankle": [600, 420],
}


@pytest.fixture
def api(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    """The app in-process on SQLite (these routes never touch the store), CSRF armed."""
    with TestClient(create_app(web_settings(tmp_path / "app-data"), clock)) as client:
        arm_csrf(client)
        yield client


def png(width: int = 64, height: int = 48, *, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    out = io.BytesIO()
    if orientation is None:
        image.save(out, "PNG")
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation  # Orientation
        image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client: TestClient, data: bytes, name: str = "photo.png") -> Any:
    return client.post(LANDMARKS, files={"photo": (name, data, "image/png")})


def expected_thomas(points: dict[str, list[float]]) -> tuple[float, float]:
    """The thigh angle and knee bend the domain gives for left-side points."""
    named = {
        (f"{n}_left" if n in SIDED_POINTS else n): (float(x), float(y))
        for n, (x, y) in points.items()
    }
    angles = measure(Landmarks(named))
    thigh, knee = angles.thigh_angle_deg[Side.LEFT], angles.knee_flexion_deg[Side.LEFT]
    assert thigh is not None
    assert knee is not None
    return round(thigh, 1), round(knee, 1)


# The automatic points


def test_without_the_pose_extra_the_landmarks_are_503_with_the_way_to_get_it(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # as if the extra were not installed
    monkeypatch.delitem(sys.modules, "hipflex.pose.blazepose", raising=False)
    response = upload(api, png())
    assert response.status_code == 503, response.text
    assert "pip install 'hipflex[pose]'" in response.json()["detail"]
    assert "by hand" in response.json()["detail"]


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"not a photo at all", "notes.txt"), (b"", "empty.png"), (b"\x89PNG\r\n\x1a\n", "cut.png")],
)
def test_a_file_that_is_not_a_photo_is_422(api: TestClient, data: bytes, name: str):
    response = upload(api, data, name)
    assert response.status_code == 422, response.text
    assert response.json() == {
        "detail": "that file is not a photo hipflex can read (JPEG, PNG or WebP)"
    }


def test_an_upload_without_the_photo_field_is_422(api: TestClient):
    response = api.post(LANDMARKS, files={"picture": ("a.png", png(), "image/png")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "photo"]


def test_a_photo_past_the_request_limit_is_413(api: TestClient):
    response = upload(api, b"\xff" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413


def test_an_upload_needs_the_csrf_token(api: TestClient):
    del api.headers["X-CSRF-Token"]
    assert upload(api, png()).status_code == 403


@pytest.fixture
def pose_model(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """A stand-in for the pose extra: a person facing right, left side near the camera, at
    fractions of the photo's size. Records the size of each photo it is given."""
    seen: list[tuple[int, int]] = []

    def detect(image: Any) -> Landmarks | None:
        width, height = image.size
        seen.append((width, height))
        at = {"shoulder_left": (0.5, 0.2), "hip_left": (0.5, 0.5), "knee_left": (0.45, 0.7)}
        points = {name: (x * width, y * height) for name, (x, y) in at.items()}
        return Landmarks(points, Facing.RIGHT, near_side=Side.LEFT)

    monkeypatch.setattr("hipflex.pose.detect", detect)
    return seen


def test_the_pose_models_points_come_back_named_with_the_photos_size(
    api: TestClient, pose_model: list[tuple[int, int]]
):
    body = upload(api, png(200, 100)).json()
    assert body == {
        "width": 200,
        "height": 100,
        "points": {
            "shoulder_left": [100.0, 20.0],
            "hip_left": [100.0, 50.0],
            "knee_left": [90.0, 70.0],
        },
        "facing": "right",
        "near_side": "left",
    }


def test_the_photo_is_turned_upright_before_the_model_reads_it(
    api: TestClient, pose_model: list[tuple[int, int]]
):
    body = upload(api, png(200, 100, orientation=6), "phone.jpg").json()  # rotated 90
    assert (body["width"], body["height"]) == (100, 200)
    assert pose_model == [(100, 200)]


def test_no_person_in_the_photo_is_422(api: TestClient, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("hipflex.pose.detect", lambda _image: None)
    response = upload(api, png())
    assert response.status_code == 422
    assert response.json()["detail"].startswith("no person was found in the photo")


# The angles of marked points


def test_marked_points_give_the_angles_and_the_thomas_test_by_the_protocols_rules(
    api: TestClient,
):
    body = {"points": THOMAS_POINTS, "width": 800, "height": 600, "side": "left"}
    answer = api.post(MEASURE, json={**body, "test": "thomas"})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    thigh, knee = expected_thomas(THOMAS_POINTS)
    assert (thigh, knee) == (10.6, 85.7)  # atan(30/160); the shin 15 deg short of square
    assert found["test"] == "thomas"
    assert found["sides"] == ["left"]
    assert found["points"]["hip_left"] == [400.0, 300.0]
    assert found["points"]["table_a"] == [50.0, 300.0]
    assert found["angles"]["thigh_angle_deg"] == {"left": thigh, "right": None}
    assert found["angles"]["knee_flexion_deg"] == {"left": knee, "right": None}
    assert found["thomas"] == {
        "left": {
            "result": "tight_iliopsoas",  # the thigh rises, the knee bends 80 or more
            "title": "Iliopsoas looks tight",
            "thigh": "raised",
            "thigh_angle_deg": thigh,
            "knee_flexion_deg": knee,
        }
    }
    assert found["hip_extension"] == {}
    assert found["problem"] is None
    assert not any("table edge" in w for w in found["warnings"])


def test_the_cut_offs_come_from_the_settings(tmp_path: Path, clock: FixedClock):
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}", thomas_knee_floor_deg=90
    )
    with TestClient(create_app(settings, clock)) as client:
        arm_csrf(client)
        body = {"points": THOMAS_POINTS, "width": 800, "height": 600, "side": "left"}
        found = client.post(MEASURE, json={**body, "test": "thomas"}).json()
    assert found["thomas"]["left"]["result"] == "both_tight"  # 85.7 is under 90


def _leaning_extension() -> dict[str, Any]:
    """Facing right; the trunk leans 20 degrees forward; the thigh 15 degrees behind it."""
    hip = (300.0, 300.0)
    lean = math.radians(20)
    shoulder = (hip[0] + 200 * math.sin(lean), hip[1] - 200 * math.cos(lean))
    back = math.radians(20 + 15)  # the trunk line continued down and back, then 15 deg more
    knee = (hip[0] - 180 * math.sin(back), hip[1] + 180 * math.cos(back))
    return {
        "points": {"shoulder": shoulder, "hip": hip, "knee": knee},
        "facing": "right",
        "side": "right",
        "width": 600,
        "height": 600,
        "test": "extension",
    }


def test_the_trunk_lean_limit_comes_from_the_settings(tmp_path: Path, clock: FixedClock):
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}", trunk_lean_limit_deg=25
    )
    with TestClient(create_app(settings, clock)) as client:
        arm_csrf(client)
        found = client.post(MEASURE, json=_leaning_extension()).json()
    assert found["hip_extension"]["right"]["compensated"] is False  # 20 is within 25
    assert found["hip_extension"]["right"]["result"] == "normal"


def test_without_a_table_edge_the_photos_horizontal_is_used_with_a_warning(api: TestClient):
    points = {k: v for k, v in THOMAS_POINTS.items() if not k.startswith("table")}
    found = api.post(
        MEASURE, json={"points": points, "width": 800, "height": 600, "side": "left"}
    ).json()
    assert found["test"] == "any"
    assert found["thomas"] == {}
    assert any("table edge" in w for w in found["warnings"])


def test_the_extension_test_leaning_trunk_counts_as_compensated(api: TestClient):
    body = _leaning_extension()
    found = api.post(MEASURE, json=body).json()
    assert found["angles"]["hip_extension_deg"]["right"] == pytest.approx(15, abs=0.1)
    assert found["angles"]["trunk_lean_deg"]["right"] == pytest.approx(20, abs=0.1)
    extension = found["hip_extension"]["right"]
    assert extension["compensated"] is True
    assert extension["result"] == "tight"
    assert extension["degrees"] == pytest.approx(15, abs=0.1)
    assert extension["title"] == "Hip extension looks limited"


def test_points_that_do_not_give_the_test_yet_answer_the_angles_and_what_is_missing(
    api: TestClient,
):
    body = {"points": {"hip": [400, 300], "knee": [560, 270]}, "width": 800, "height": 600}
    found = api.post(MEASURE, json={**body, "side": "left", "test": "thomas"}).json()
    assert found["thomas"] == {}
    assert found["angles"]["thigh_angle_deg"]["left"] is not None
    assert found["problem"] == "the Thomas test on the left side needs its hip, knee and ankle"


def test_an_angle_the_test_refuses_is_a_problem_not_an_error(api: TestClient):
    # The thigh far forward of the trunk: hip flexion, outside the extension test's range.
    body = {
        "points": {"shoulder": [300, 100], "hip": [300, 300], "knee": [480, 300]},
        "facing": "right",
        "side": "left",
        "width": 600,
        "height": 600,
        "test": "extension",
    }
    answer = api.post(MEASURE, json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["hip_extension"] == {}
    assert "hip extension, left side must be between" in answer.json()["problem"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"points": {"elbow": [1, 1]}}, r"unknown point 'elbow'"),
        ({"points": {"knee_left": [900, 1]}}, r"outside the 800x600 image"),
        ({"points": {"knee": [1, 1]}, "side": None}, r"needs a side"),
        ({"width": 0}, None),
        ({"height": -3}, None),
        ({"width": 10**6}, None),
        ({"test": "squat"}, None),
        ({"side": "middle"}, None),
        ({"points": {"knee_left": [1, 2, 3]}}, None),
        ({"colour": "red"}, None),
    ],
)
def test_bad_measurements_are_422(api: TestClient, change: dict[str, Any], message: str | None):
    body = {"points": THOMAS_POINTS, "width": 800, "height": 600, "side": "left", **change}
    answer = api.post(MEASURE, json=body)
    assert answer.status_code == 422, answer.text
    if message is not None:
        assert re.search(message, answer.json()["detail"])


def test_measuring_stores_nothing(api: TestClient, pose_model: list[tuple[int, int]]):
    body = {"points": THOMAS_POINTS, "width": 800, "height": 600, "side": "left"}
    assert api.post(MEASURE, json={**body, "test": "thomas"}).status_code == 200
    assert upload(api, png()).status_code == 200
    assert api.get(f"{API}/assessments").json() == []


def test_the_openapi_document_describes_both_routes(api: TestClient):
    paths = api.get(f"{API}/openapi.json").json()["paths"]
    landmarks = paths["/api/v1/measurements/landmarks"]["post"]
    assert "multipart/form-data" in landmarks["requestBody"]["content"]
    assert {"200", "403", "413", "422", "503"} <= set(landmarks["responses"])
    measured = paths["/api/v1/measurements"]["post"]
    assert {"200", "403", "422"} <= set(measured["responses"])


# The guide the page reads


def test_every_point_the_guides_ask_for_is_a_point_the_domain_knows():
    for guide in GUIDES.values():
        names = [p.name for p in guide.points]
        assert len(names) == len(set(names))
        assert set(names) <= set(SIDED_POINTS) | set(POINT_NAMES)
        assert {n for pair in guide.segments for n in pair} <= set(names)
