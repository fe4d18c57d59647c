"""The pain rules as the pages and the API show them (PROTOCOL.md section 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from hipflex.domain.progression import daily_rise_warning
from hipflex.domain.protocol import RedFlag
from hipflex.domain.tracking import MEANINGFUL_CHANGE_WORDS, RESPONDER_FLOOR_WORDS
from hipflex.services.clock import FixedClock
from hipflex.web.security import CSRF_COOKIE
from tests.web.conftest import API, TIGHT_ASSESSMENT, record_tight

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the fixture clock


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_the_progress_page_names_the_responder_rule_from_the_domain(client: TestClient):
    record_tight(client)
    page = client.get("/progress")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    assert MEANINGFUL_CHANGE_WORDS in text
    assert RESPONDER_FLOOR_WORDS in text
    assert "at least 2 out of 10" in text


# --- a daily rating's warning ------------------------------------------------------------


def test_a_daily_rating_answers_with_its_warning(client: TestClient, clock: FixedClock):
    record_tight(client)
    assert client.get(f"{API}/plan").status_code == 200  # the block starts today
    for _ in range(7):
        clock.advance(24 * 3600)
        if clock.now() < MONDAY + timedelta(weeks=1):
            ok(client.post(f"{API}/logs/pain", json={"score": 3}), 201)
    assert ok(client.post(f"{API}/logs/pain", json={"score": 4}), 201)["warning"] is None
    clock.advance(60)
    warned = ok(client.post(f"{API}/logs/pain", json={"score": 5}), 201)
    assert warned["warning"] == daily_rise_warning(5, 3.0)
    plan = ok(client.get(f"{API}/plan"))
    assert plan["needs"] == "safety_check"


# --- the safety questions answered again -------------------------------------------------


def test_post_safety_checks_needs_the_answers(client: TestClient):
    assert client.post(f"{API}/safety-checks", json={}).status_code == 422
    unknown = client.post(f"{API}/safety-checks", json={"red_flags": ["cartwheel"]})
    assert unknown.status_code == 422
    assert "unknown red flag" in unknown.json()["detail"]
    extra = client.post(f"{API}/safety-checks", json={"red_flags": [], "thomas": {}})
    assert extra.status_code == 422


def test_post_safety_checks_records_a_safety_check(client: TestClient):
    record_tight(client)
    answered = ok(client.post(f"{API}/safety-checks", json={"red_flags": []}), 201)
    assert answered["kind"] == "safety_check"
    assert answered["screening"] == "clear"
    assert answered["safe_to_exercise"] is True
    assert answered["advice"] is None
    assert set(answered) == {
        "id", "recorded_at", "kind", "red_flags", "safe_to_exercise", "screening", "advice"
    }  # fmt: skip
    history = ok(client.get(f"{API}/assessments"))
    assert [h["kind"] for h in history] == ["safety_check", "baseline"]
    # the plan's findings are still the self-tests'
    plan_page = client.get("/plan").text
    assert 'id="findings-heading"' in plan_page
    assert "look tight" in plan_page or "looks tight" in plan_page
    flagged = ok(client.post(f"{API}/safety-checks", json={"red_flags": ["trauma"]}), 201)
    assert flagged["screening"] == "red_flag"
    assert flagged["red_flags"] == ["trauma"]


def test_a_safety_check_is_not_an_assessment_kind_to_post(client: TestClient):
    body = {**TIGHT_ASSESSMENT, "kind": "safety_check"}
    assert client.post(f"{API}/assessments", json=body).status_code == 422


def test_openapi_describes_the_new_contract(client: TestClient):
    schema = ok(client.get(f"{API}/openapi.json"))
    assert f"{API}/safety-checks" in schema["paths"]
    components = schema["components"]["schemas"]
    assert "warning" in components["PainLoggedOut"]["properties"]
    assert "eased_off" in components["PlanOut"]["properties"]
    assert "safety_check" in str(components["NoPlanOut"]["properties"]["needs"])


def test_the_wizard_asks_only_the_safety_questions_at_safety_1(client: TestClient):
    record_tight(client)
    page = client.get("/assess?safety=1")
    assert page.status_code == 200
    assert 'id="step-safety"' in page.text
    for step in ("step-sitting", "step-thomas", "step-extension", "step-review"):
        assert f'id="{step}"' not in page.text
    assert 'name="kind" value="safety_check"' in page.text
    assert "Answer the safety questions again" in page.text


def _form(token: str, **answers: str) -> dict[str, str]:
    return {"csrf_token": token, "kind": "safety_check", **answers}


def test_the_safety_check_form_without_script(client: TestClient):
    record_tight(client)
    token = client.cookies.get(CSRF_COOKIE) or ""
    half = {f"red_flag_{f.value}": "no" for f in list(RedFlag)[:3]}
    refused = client.post("/assess", data=_form(token, **half), follow_redirects=False)
    assert refused.status_code == 422
    assert "safety questions are not answered" in refused.text
    every = {f"red_flag_{f.value}": "no" for f in RedFlag}
    saved = client.post("/assess", data=_form(token, **every), follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/plan"
    flagged = {**every, "red_flag_night_pain": "yes"}
    stopped = client.post("/assess", data=_form(token, **flagged), follow_redirects=False)
    assert stopped.headers["location"] == "/safety"
    assert "constant night pain" in client.get("/safety").text.lower()
