"""The plan page and API for each kind of plan: corrective, prevention, no programme
needed, and the next step at the end of a block (PROTOCOL.md section 4)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from hipflex.services.clock import FixedClock
from tests.web.conftest import API, TIGHT_ASSESSMENT, record_tight

NORMAL: dict[str, Any] = {
    "thomas": {
        "left": {"thigh": "flat", "knee_flexion_deg": 85},
        "right": {"thigh": "flat", "knee_flexion_deg": 88},
    },
    "hip_extension": {"left": {"degrees": 12}, "right": {"degrees": 13}},
    "signs": [],
    "red_flags": [],
}


def record(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post(f"{API}/assessments", json=body)
    assert response.status_code == 201, response.text


def test_normal_tests_and_little_sitting_need_no_programme(client: TestClient):
    record(client, {**NORMAL, "sitting_hours": 3})
    plan = client.get(f"{API}/plan").json()
    assert (plan["kind"], plan["sessions"]) == ("breaks", [])
    assert [e["id"] for e in plan["optional"]] == [
        "half_kneeling_hip_flexor",
        "standing_quad_hip_flexor",
    ]
    page = client.get("/plan").text
    assert "No programme needed" in page
    assert 'id="optional"' in page
    assert "Start the" not in page  # no session to start
    today = client.get(f"{API}/today").json()
    assert {item["kind"] for item in today["items"]} == {"break"}


def test_normal_tests_and_long_sitting_get_the_stretch_once_a_day(client: TestClient):
    record(client, {**NORMAL, "sitting_hours": 7})
    plan = client.get(f"{API}/plan").json()
    assert plan["kind"] == "prevention"
    (session,) = plan["sessions"]
    assert session["slot"] == "evening"
    assert [e["id"] for e in session["exercises"]] == ["half_kneeling_hip_flexor"]
    assert plan["sessions_per_week"] == 7


def test_the_next_step_is_the_same_words_on_the_page_and_in_the_api(
    client: TestClient, clock: FixedClock
):
    record_tight(client)
    client.get(f"{API}/plan")  # the block starts
    clock.advance(7 * 24 * 3600 * 6 + 3600)  # past its six weeks
    plan = client.get(f"{API}/plan").json()
    assert plan["next_step"]["kind"] == "retest_to_decide"
    assert plan["block_complete"] is True
    page = client.get("/plan").text
    assert plan["next_step"]["text"] in page
    assert '<p class="note" id="next-step">' in page
    assert 'href="/assess?retest=1"' in page


def test_a_final_retest_tells_what_it_decided(client: TestClient, clock: FixedClock):
    record_tight(client)
    client.get(f"{API}/plan")
    clock.advance(7 * 24 * 3600 * 5 + 3600)  # the block's last week
    retest = client.post(
        f"{API}/assessments", json={**NORMAL, "sitting_hours": 7, "kind": "retest"}
    ).json()
    assert retest["block_decision"]["phase"] == "maintenance"
    plan = client.get(f"{API}/plan").json()
    assert (plan["phase"], plan["kind"]) == ("maintenance", "maintenance")
    assert plan["heading"].startswith("Maintenance")
    page = client.get("/plan").text
    assert "Maintenance" in page
    assert 'id="prev-week"' not in page
    tight_again = client.post(
        f"{API}/assessments", json={**TIGHT_ASSESSMENT, "kind": "retest"}
    ).json()
    assert tight_again["block_decision"]["phase"] == "block"
