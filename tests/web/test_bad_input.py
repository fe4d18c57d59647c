"""Bad input at the API's edge: refused with a 4xx (never a 5xx, never the value echoed in
a way JSON cannot carry), and nothing saved; a guided session's log only grows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipflex.domain.protocol import RedFlag
from hipflex.services import data
from hipflex.services.data import Snapshot
from hipflex.web.security import CSRF_COOKIE
from tests.web.conftest import API, context_of, record_tight


def stored(client: TestClient) -> Snapshot:
    return data.snapshot(context_of(client))


def send(client: TestClient, method: str, path: str, text: str) -> Any:
    """A raw JSON text, as a script or a proxy might send it (NaN and all)."""
    return client.request(
        method, f"{API}{path}", content=text, headers={"content-type": "application/json"}
    )


def with_value(body: dict[str, Any], key: str, fragment: str) -> str:
    """`body` as JSON text with `key` holding the raw JSON `fragment`."""
    return json.dumps({**body, key: "\x01HOLE\x01"}).replace('"\\u0001HOLE\\u0001"', fragment)


DEEP = "[" * 5000 + "]" * 5000
#: Raw JSON values no field takes as a good value: non-finite and huge numbers, booleans
#: and strings for numbers, text hipflex cannot store, deep nesting, the wrong shapes.
BAD_FRAGMENTS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "1e308",
    "5e-324",
    "true",
    "false",
    str(2**31),
    str(2**63),
    str(-(2**63)),
    "9" * 5000,
    '"\\ud800"',
    '"a\\u0000b"',
    '"\\udfff"',
    '"1_0"',
    '"10"',
    DEEP,
    '{"a": {"b": [NaN]}}',
    "[]",
    "{}",
]


@st.composite
def fragments(draw: st.DrawFn) -> str:
    """A raw JSON value: one of the known bad ones, or any number or text (surrogates and
    NUL included) hypothesis finds."""
    return draw(
        st.sampled_from(BAD_FRAGMENTS)
        | st.floats().map(json.dumps)
        | st.integers(min_value=-(2**70), max_value=2**70).map(str)
        | st.text(max_size=12).map(json.dumps)
        | st.lists(st.floats(allow_nan=True), max_size=3).map(json.dumps)
    )


#: Every JSON body the API takes, with a good value for each key.
BODIES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/logs/pain", {"score": 3, "when": "2026-11-02T08:00:00+00:00"}),
    ("POST", "/logs/sitting", {"hours": 6.5, "date": "2026-11-01"}),
    ("POST", "/logs/notes", {"text": "stiff after the meeting"}),
    ("POST", "/logs/breaks", {"outcome": "done", "when": "2026-11-02T08:00:00+00:00"}),
    ("POST", "/logs/checked", {"exercise_id": "plank"}),
    (
        "POST",
        "/logs/sessions",
        {"slot": "morning", "skipped": [], "sharp_pain": [], "pain_before": 2, "pain_after": 2},
    ),
    ("POST", "/sessions", {"slot": "morning", "pain_before": 2}),
    (
        "POST",
        "/sessions/{id}/entries",
        {"exercise_id": "plank", "side": None, "set_number": 1, "hold_seconds": 20, "reps": None},
    ),
    ("POST", "/sessions/{id}/finish", {"pain_after": 2, "note": "fine"}),
    ("POST", "/break/sharp-pain", {"exercise_id": "standing_quad_hip_flexor", "side": "left"}),
    (
        "PUT",
        "/preferences",
        {
            "sessions_per_day": 2,
            "block_weeks": 4,
            "break_minutes": 30,
            "work_days": "mon-fri",
            "work_hours": "09:00-17:00",
            "floor_at_work": True,
            "sit_stand_desk": False,
            "timezone": "Europe/Berlin",
        },
    ),
    (
        "POST",
        "/assessments",
        {
            "thomas": {"left": {"knee_flexion_deg": 70, "thigh_angle_deg": 5}},
            "hip_extension": {"right": {"degrees": 5, "compensated": False}},
            "sitting_hours": 9,
            "signs": ["swayback"],
            "red_flags": [],
        },
    ),
    ("POST", "/assessments/preview", {"sitting_hours": 9, "red_flags": []}),
    ("POST", "/safety-checks", {"red_flags": []}),
    (
        "POST",
        "/measurements",
        {"points": {"hip": [10, 10], "knee": [50, 12]}, "width": 100, "height": 100},
    ),
]


@pytest.fixture
def session_client(client: TestClient) -> TestClient:
    """A user with a plan and a guided session open (its id in client.session_id)."""
    record_tight(client)
    started = client.post(f"{API}/sessions", json={})
    assert started.status_code == 201, started.text
    client.session_id = started.json()["id"]  # type: ignore[attr-defined]
    return client


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(BODIES),
    fragment=fragments(),
    data_=st.data(),
)
def test_no_bad_value_in_any_body_is_a_5xx_or_saves_anything(
    session_client: TestClient,
    route: tuple[str, str, dict[str, Any]],
    fragment: str,
    data_: st.DataObject,
):
    method, path, body = route
    key = data_.draw(st.sampled_from(sorted(body)), label="key")
    path = path.replace("{id}", str(session_client.session_id))  # type: ignore[attr-defined]
    before = stored(session_client)
    response = send(session_client, method, path, with_value(body, key, fragment))
    assert response.status_code < 500, response.text
    response.json()  # the answer is JSON whatever the request held
    if response.status_code >= 400:
        assert stored(session_client) == before


def test_a_refused_entry_starts_no_block_even_when_a_new_plan_is_due(
    session_client: TestClient,
) -> None:
    """A new baseline's block starts when its plan is first needed; a refused entry's
    check needs it, but the refusal keeps nothing (the order hypothesis found above)."""
    record_tight(session_client)  # a new baseline: its block is not started yet
    before = stored(session_client)
    path = f"{API}/sessions/{session_client.session_id}/entries"  # type: ignore[attr-defined]
    refused = session_client.post(path, json={"exercise_id": "glute_bridge", "set_number": 99})
    assert refused.status_code == 422, refused.text
    assert stored(session_client) == before
    shown = session_client.get(f"{API}/plan")  # the plan, once shown, starts it
    assert shown.status_code == 200, shown.text
    assert len(stored(session_client).blocks) == len(before.blocks) + 1


@pytest.mark.parametrize("fragment", ["NaN", "Infinity", "-Infinity", "1e309"])
def test_a_non_finite_number_is_a_422_not_a_500(client: TestClient, fragment: str):
    for path, body, key in (
        ("/logs/pain", {}, "score"),
        ("/logs/sitting", {}, "hours"),
        ("/assessments", {"red_flags": []}, "sitting_hours"),
    ):
        response = send(client, "POST", path, with_value(body, key, fragment))
        assert response.status_code == 422, response.text
        assert "finite" in response.text
    assert stored(client).empty


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/logs/pain", {"score": True}),
        ("/logs/pain", {"score": 4.0}),
        ("/logs/pain", {"score": "4"}),
        ("/logs/sitting", {"hours": True}),
        ("/preferences", {"sessions_per_day": True}),
        ("/preferences", {"floor_at_work": 1}),
    ],
)
def test_a_number_is_a_number_and_a_flag_a_flag(
    client: TestClient, path: str, body: dict[str, Any]
):
    method = "PUT" if path == "/preferences" else "POST"
    response = send(client, method, path, json.dumps(body))
    assert response.status_code == 422, response.text
    assert stored(client).empty


@pytest.mark.parametrize(
    ("text", "problem"), [("a\\u0000b", "NUL"), ("a\\ud800b", "not UTF-8"), ("\\udc80", "UTF-8")]
)
def test_text_hipflex_cannot_store_is_a_422_anywhere_in_a_body(
    client: TestClient, text: str, problem: str
):
    for path, raw in (
        ("/logs/notes", f'{{"text": "{text}"}}'),
        ("/logs/checked", f'{{"exercise_id": "{text}"}}'),
        ("/logs/notes", f'{{"{text}": "x"}}'),
    ):
        response = send(client, "POST", path, raw)
        assert response.status_code == 422, response.text
        assert problem in response.text
    assert stored(client).empty


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-01:00"])
def test_a_time_at_the_calendars_ends_is_a_422(client: TestClient, when: str):
    for path, body in (("/logs/pain", {"score": 3}), ("/logs/breaks", {"outcome": "done"})):
        response = client.post(f"{API}{path}", json={**body, "when": when})
        assert response.status_code == 422, response.text
        assert "1970 to 2999" in response.json()["detail"]
    assert stored(client).empty


def test_an_assessment_with_no_answers_at_all_is_refused(client: TestClient):
    response = client.post(f"{API}/assessments", json={"red_flags": []})
    assert response.status_code == 422, response.text
    assert "nothing to save" in response.json()["detail"]
    assert stored(client).empty
    # A warning sign is an answer: it is saved (and stops the plan).
    assert client.post(f"{API}/assessments", json={"red_flags": ["trauma"]}).status_code == 201


# A guided session's log only grows.


def first_holds(client: TestClient, count: int) -> list[dict[str, Any]]:
    """The first holds or sets of today's session, as the player posts them."""
    script = client.get(f"{API}/sessions/script", params={"slot": "morning"}).json()
    steps = [step for step in script["steps"] if step["records"]][:count]
    return [
        {
            "exercise_id": step["exercise_id"],
            "side": step["side"],
            "set_number": step["number"],
            "hold_seconds": step["hold_seconds"],
            "reps": step["reps"],
        }
        for step in steps
    ]


def open_session(client: TestClient) -> int:
    record_tight(client)
    started = client.post(f"{API}/sessions", json={"slot": "morning", "pain_before": 2})
    assert started.status_code == 201, started.text
    session_id: int = started.json()["id"]
    return session_id


def session_log(client: TestClient, session_id: int) -> Any:
    return context_of(client).store.session_log(session_id)


def test_a_hold_posted_twice_is_logged_once(client: TestClient):
    session_id = open_session(client)
    (hold,) = first_holds(client, 1)
    for _ in range(2):
        response = client.post(f"{API}/sessions/{session_id}/entries", json=hold)
        assert response.status_code == 201, response.text
    assert len(session_log(client, session_id).entries) == 1
    other = {**hold, "hold_seconds": (hold["hold_seconds"] or 0) + 5, "reps": None}
    response = client.post(f"{API}/sessions/{session_id}/entries", json=other)
    assert response.status_code == 409, response.text
    assert len(session_log(client, session_id).entries) == 1


def test_only_the_sessions_own_holds_are_logged(client: TestClient):
    session_id = open_session(client)
    (hold,) = first_holds(client, 1)
    for wrong in ({"set_number": 99}, {"exercise_id": "pigeon_pose"}):
        response = client.post(f"{API}/sessions/{session_id}/entries", json={**hold, **wrong})
        assert response.status_code == 422, response.text
        assert "is not in session" in response.json()["detail"]
    assert session_log(client, session_id).entries == ()


def test_a_session_is_finished_once(client: TestClient):
    session_id = open_session(client)
    (hold,) = first_holds(client, 1)
    client.post(f"{API}/sessions/{session_id}/entries", json=hold)
    finish = {"pain_after": 3, "note": "fine"}
    first = client.post(f"{API}/sessions/{session_id}/finish", json=finish)
    assert first.status_code == 200, first.text
    closed = session_log(client, session_id)
    # A retry of the same finish is answered the same and changes nothing.
    again = client.post(f"{API}/sessions/{session_id}/finish", json=finish)
    assert again.json() == first.json()
    # Another finish, or another entry, is refused: pain after and the end time stay.
    other = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_after": 7})
    assert other.status_code == 409, other.text
    late = client.post(f"{API}/sessions/{session_id}/entries", json=hold)
    assert late.status_code == 409, late.text
    assert "finished" in late.json()["detail"]
    assert session_log(client, session_id) == closed


@pytest.mark.parametrize("hours", ["nan", "inf", "1_0", "1e3", "\u0661\u0660"])
def test_the_assessment_form_takes_numbers_as_written(client: TestClient, hours: str):
    """The wizard without script reads its numbers as the command line does."""
    token = client.cookies.get(CSRF_COOKIE) or ""
    form = {"csrf_token": token, "kind": "baseline", "sitting_hours": hours}
    form |= {f"red_flag_{flag.value}": "no" for flag in RedFlag}
    refused = client.post("/assess", data=form, follow_redirects=False)
    assert refused.status_code == 422, refused.text
    assert "must be a number" in refused.text
    assert stored(client).empty
    saved = client.post("/assess", data={**form, "sitting_hours": "9.5"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
