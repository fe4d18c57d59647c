"""Plain HTML forms of the pages (they work without JavaScript)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import API, record_tight


def test_a_checked_exercise_comes_back_from_the_plan_page(client: TestClient):
    record_tight(client)  # thigh raised on the left: pigeon pose in the evening
    logged = client.post(
        f"{API}/logs/sessions", json={"slot": "evening", "sharp_pain": ["pigeon_pose"]}
    )
    assert logged.status_code == 201, logged.text
    assert client.get(f"{API}/plan").json()["removed"] == ["pigeon_pose"]
    page = client.get("/plan")
    assert 'id="checked-pigeon_pose"' in page.text
    token = client.cookies["hipflex_csrf"]

    refused = client.post(
        "/plan/checked",
        data={"exercise_id": "pigeon_pose", "csrf_token": "wrong"},
        headers={"X-CSRF-Token": ""},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert client.get(f"{API}/plan").json()["removed"] == ["pigeon_pose"]

    done = client.post(
        "/plan/checked",
        data={"exercise_id": "pigeon_pose", "csrf_token": token},
        headers={"X-CSRF-Token": ""},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/plan"
    assert client.get(f"{API}/plan").json()["removed"] == []
    assert 'id="checked-pigeon_pose"' not in client.get("/plan").text
