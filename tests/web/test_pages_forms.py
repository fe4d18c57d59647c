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


def test_the_progress_page_and_the_report_show_a_session_note(client: TestClient):
    record_tight(client)
    started = client.post(f"{API}/sessions", json={"slot": "evening"})
    assert started.status_code == 201, started.text
    note = {"note": "Right hip stiff after the train"}  # the player's finish screen
    finished = client.post(f"{API}/sessions/{started.json()['id']}/finish", json=note)
    assert finished.status_code == 200, finished.text
    assert client.post(f"{API}/logs/notes", json={"text": "Slept badly"}).status_code == 201
    page = client.get("/progress").text
    assert "end-of-day session:</span> Right hip stiff after the train" in page
    assert "Slept badly" in page
    report = client.get(f"{API}/report.html")
    assert report.status_code == 200, report.text
    assert "<td>End-of-day session</td><td>Right hip stiff after the train</td>" in report.text
    assert "<td>Free note</td><td>Slept badly</td>" in report.text
