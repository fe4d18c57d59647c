"""How each test was measured, through the API and the progress page: `method` and
`pelvis_checked` per side per test on POST /api/v1/assessments, and progress judging a
change by the larger error of its two methods (PROTOCOL.md section 4)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from hipflex.domain.goniometry import PHOTO_SEM_DEG
from hipflex.domain.tracking import ANGLE_MDC_DEG, minimal_detectable_change
from hipflex.services.clock import FixedClock
from hipflex.services.words import NO_PELVIS_WORDS
from tests.web.conftest import API

DAY = 24 * 3600


def body_of(
    knee: float, *, method: str = "photo", pelvis: bool | None = True, kind: str = "baseline"
) -> dict[str, Any]:
    """The Thomas test on the left and the extension on both sides measured by `method`,
    the right Thomas test typed in."""
    measured: dict[str, Any] = {"method": method}
    if method == "photo":
        measured["pelvis_checked"] = pelvis
    return {
        "thomas": {
            "left": {"thigh_angle_deg": 2.0, "knee_flexion_deg": knee, **measured},
            "right": {"thigh": "flat", "knee_flexion_deg": 70},
        },
        "hip_extension": {
            "left": {"degrees": 6, **measured},
            "right": {"degrees": 7, **measured},
        },
        "sitting_hours": 8,
        "red_flags": [],
        "kind": kind,
    }


def post(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{API}/assessments", json=body)
    assert response.status_code == 201, response.text
    report: dict[str, Any] = response.json()
    return report


def knee_change(client: TestClient) -> dict[str, Any]:
    progress = client.get(f"{API}/progress").json()
    (change,) = [
        c for c in progress["changes"] if c["side"] == "left" and c["measure"] == "knee_flexion_deg"
    ]
    return change


def test_the_method_and_pelvis_check_come_back_per_side_per_test(client: TestClient):
    report = post(client, body_of(70, pelvis=False))
    findings = report
    assert findings["thomas"]["left"]["method"] == "photo"
    assert findings["thomas"]["left"]["pelvis_checked"] is False
    assert findings["thomas"]["right"]["method"] == "self"
    assert findings["thomas"]["right"]["pelvis_checked"] is None
    assert findings["hip_extension"]["right"]["method"] == "photo"
    listed = client.get(f"{API}/assessments").json()[0]
    assert listed["thomas"]["left"]["pelvis_checked"] is False


def test_without_a_method_a_test_is_typed_in(client: TestClient):
    body = body_of(70, method="self")
    assert post(client, body)["thomas"]["left"]["method"] == "self"


@pytest.mark.parametrize(
    ("side", "detail"),
    [
        ({"method": "photo"}, "measured from a photo, but no result"),
        ({"knee_flexion_deg": 70, "thigh": "flat", "pelvis_checked": True}, "photo measurement"),
        ({"knee_flexion_deg": 70, "thigh": "flat", "method": "tape"}, "method"),
    ],
)
def test_a_method_that_does_not_fit_is_refused(
    client: TestClient, side: dict[str, Any], detail: str
):
    response = client.post(f"{API}/assessments", json={"thomas": {"left": side}, "red_flags": []})
    assert response.status_code == 422, response.text
    assert detail in response.text
    assert client.get(f"{API}/assessments").json() == []


def test_progress_judges_photo_changes_by_the_photo_error(client: TestClient, clock: FixedClock):
    """A 5 degree gain measured on photos both times is beyond measurement error; the same
    gain with the baseline typed in is within it (the larger error of the two)."""
    post(client, body_of(70))
    clock.advance(14 * DAY)
    post(client, body_of(75, kind="retest"))
    change = knee_change(client)
    assert (change["before_method"], change["after_method"]) == ("photo", "photo")
    assert change["beyond_measurement_error"] is True
    assert change["sem_deg"] == PHOTO_SEM_DEG
    assert change["measurement_error_deg"] == round(minimal_detectable_change(PHOTO_SEM_DEG), 1)
    assert change["methods_text"] == "both from photos"

    page = client.get("/progress")
    assert page.status_code == 200
    assert "both from photos" in page.text
    assert "beyond measurement error" in page.text
    assert "measured from a photo" in page.text


def test_progress_mixing_methods_takes_the_larger_error(client: TestClient, clock: FixedClock):
    post(client, body_of(70, method="self"))
    clock.advance(14 * DAY)
    post(client, body_of(75, kind="retest", pelvis=False))
    progress = client.get(f"{API}/progress").json()
    change = knee_change(client)
    assert (change["before_method"], change["after_method"]) == ("self", "photo")
    assert change["beyond_measurement_error"] is False
    assert change["measurement_error_deg"] == round(ANGLE_MDC_DEG, 1)
    assert change["methods_text"] == "self-measured, then from a photo"
    latest = progress["tests"][-1]["results"]["left"]
    assert latest["thomas_method"] == "photo"
    assert latest["thomas_pelvis_checked"] is False
    assert NO_PELVIS_WORDS in latest["thomas_measured"]
    assert progress["tests"][0]["results"]["left"]["thomas_measured"] is None
    assert progress["measurement_errors"]["photo"]["sem_deg"] == PHOTO_SEM_DEG

    page = client.get("/progress").text
    assert NO_PELVIS_WORDS in page
    assert "within measurement error" in page
