"""A red-flagged or never-screened user, or one whose pain rose after their last answers
to the safety questions, gets no stretch, squeeze or strengthening exercise from any
command, page, API route, calendar or reminder (PROTOCOL.md 2.5 and section 4: safety
overrides everything; a pain rise or sharp pain asks the red-flag questions again)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.content import load_content
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.guided import report_sharp_pain
from hipflex.services.safety import reminder_prompt
from hipflex.web.app import create_app
from tests.cli.conftest import Cli
from tests.cli.test_session_cli import run
from tests.web.conftest import API, TIGHT_ASSESSMENT, arm_csrf, web_settings

#: Every exercise by name and id, and the break's squeezes: none may be offered.
EXERCISE_WORDS = [
    *(e.name for e in load_content().exercises.values()),
    *(e.id.value for e in load_content().exercises.values()),
    "squeeze",
]
STATES = ["never screened", "red flag", "asked again"]
#: Where each state sends you: the questions (first or again) or a clinician.
ASKS_QUESTIONS = {"never screened": True, "red flag": False, "asked again": True}


def offered(text: str) -> list[str]:
    """The exercise words in a text (case-insensitive)."""
    lowered = text.lower()
    return [word for word in EXERCISE_WORDS if word.lower() in lowered]


def doses(text: str) -> list[str]:
    """Dosage phrases ("2 holds of 30 s", "3 sets of 15") in a text."""
    return re.findall(r"\b\d+ (?:holds?|sets?) of \d+", text)


@pytest.fixture(params=STATES)
def state(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def web(tmp_path: Path, clock: FixedClock, state: str) -> Iterator[TestClient]:
    app = create_app(web_settings(tmp_path / "web-data"), clock)
    with TestClient(app) as client:
        arm_csrf(client)
        if state == "red flag":
            # every test tight, and leg weakness: the plan would be full of exercises
            body = {**TIGHT_ASSESSMENT, "red_flags": ["leg_weakness"]}
            assert client.post(f"{API}/assessments", json=body).status_code == 201
        if state == "asked again":
            rise_after_the_answers(client, clock)
        yield client


def rise_after_the_answers(client: TestClient, clock: FixedClock) -> None:
    """Every test tight and no warning sign; then a session whose pain rose by 3."""
    assert client.post(f"{API}/assessments", json=TIGHT_ASSESSMENT).status_code == 201
    clock.advance(3600)
    body = {"slot": "morning", "pain_before": 2, "pain_after": 5}
    logged = client.post(f"{API}/logs/sessions", json=body)
    assert logged.status_code == 201, logged.text
    assert "safety questions again" in logged.json()["warning"]


PAGES = ["/", "/plan", "/today", "/session", "/session?slot=morning", "/break", "/safety"]
API_READS = ["plan", "today", "sessions/script", "break/script", "calendar.ics", "reminders"]


def test_no_page_offers_an_exercise(web: TestClient):
    for path in PAGES:
        response = web.get(path)
        assert response.status_code in (200, 409, 422), (path, response.status_code)
        main = response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert offered(main) == [], path
        assert "hf-figure" not in main, path


def test_the_library_shows_the_stop_notice_instead_of_doses(web: TestClient, state: str):
    for path in ["/exercises", *(f"/exercises/{e.value}" for e in load_content().exercises)]:
        page = web.get(path)
        assert page.status_code == 200
        assert "stop-notice" in page.text, path
        assert doses(page.text) == [], path
        assert "hf-figure" not in page.text, path  # no picture of how to do it either
    words = {
        "never screened": "Answer the safety questions first",
        "red flag": "No exercises for now",
        "asked again": "Answer the safety questions again",
    }[state]
    assert words in web.get("/exercises").text


def test_no_api_route_offers_an_exercise(web: TestClient):
    for route in API_READS:
        response = web.get(f"{API}/{route}")
        assert response.status_code in (200, 400, 409, 422), (route, response.status_code)
        assert offered(response.text) == [], route
    started = web.post(f"{API}/sessions", json={})
    assert started.status_code in (400, 409, 422)
    assert offered(started.text) == []


def test_the_break_script_is_a_walk_if_comfortable_with_the_reason(web: TestClient, state: str):
    script = web.get(f"{API}/break/script").json()
    screening = {"never screened": "unscreened", "red flag": "red_flag", "asked again": "recheck"}
    assert script["screening"] == screening[state]
    assert script["stop"]
    assert [s["kind"] for s in script["steps"]] == ["lead_in", "activity", "done"]
    assert "if it is comfortable" in script["steps"][1]["title"]
    page = web.get("/break").text
    assert 'id="break-stop"' in page
    assert ("/assess" in page) is ASKS_QUESTIONS[state]
    assert ("/assess?safety=1" in page) is (state == "asked again")


def test_the_web_reminder_offers_what_the_daemon_does(
    web: TestClient, clock: FixedClock, state: str
):
    """Movement breaks alone, each a walk if it is comfortable (never Start the routine),
    with a page to answer the questions, never a command; and the answers recorded."""
    due = web.get(f"{API}/reminders").json()
    assert due["programme"] is False
    assert {item["kind"] for item in due["items"]} <= {"break"}
    reminder = due["next"]
    assert reminder["kind"] == "break"
    assert offered(reminder["body"]) == []
    assert "if it is comfortable" in reminder["body"]
    assert "hipflex assess" not in reminder["body"]
    assert "Run " not in reminder["body"]
    assert [a["id"] for a in reminder["actions"]] == ["done", "snooze", "skip"]
    assert all(a["href"] is None for a in reminder["actions"])
    assert ("answer them again" in reminder["body"]) is (state == "asked again")
    clock.advance(reminder["seconds_until"])  # when it is due
    answered = web.post(f"{API}/reminders/answers", json={"outcome": "snoozed"})
    assert answered.status_code == 201, answered.text
    assert web.get(f"{API}/reminders").json()["next"]["snoozed"] is True


@pytest.fixture
def cli(state: str) -> Cli:
    runner = Cli()
    tests = ["--thomas-left", "raised", "--knee-left", "70", "--sitting-hours", "9"]
    if state == "red flag":
        runner.json("assess", "--json", *tests, "--red-flag", "leg_weakness")
    if state == "asked again":  # the real clock: the session is logged after the answers
        runner.json("assess", "--json", *tests, "--no-red-flags")
        logged = runner("log", "session", "--pain-before", "2", "--pain-after", "6")
        assert logged.exit_code == 0, logged.output
        assert "hipflex assess --safety-only" in " ".join(logged.stdout.split())
    return runner


def test_no_command_offers_an_exercise(cli: Cli, tmp_path: Path):
    for args in (
        ["plan"],
        ["plan", "--json"],
        ["today"],
        ["today", "--json"],
        ["session", "--plain", "--speed", "1000"],
        ["calendar", "export", str(tmp_path / "hipflex.ics")],
    ):
        result = cli(*args)
        assert offered(result.output) == [], args
    assert not (tmp_path / "hipflex.ics").exists()  # no programme, no calendar


@pytest.mark.slow
def test_the_break_command_walks_and_says_why(cli: Cli, state: str):
    result = run("break", "--plain", "--speed", "1000")  # a real process: it reads stdin
    assert result.returncode == 0, result.stderr
    assert offered(result.stdout) == []
    assert "if it is comfortable" in result.stdout
    expected = {
        "never screened": "hipflex assess",
        "red flag": "doctor or physiotherapist",
        "asked again": "hipflex assess --safety-only",
    }[state]
    assert expected in " ".join(result.stdout.split())


def test_the_reminder_offers_a_walk_not_a_stretch(app: AppContext, clock: FixedClock, state: str):
    from hipflex.domain.assessment import AssessmentInput, AssessmentKind, assess
    from hipflex.domain.protocol import RedFlag

    if state == "red flag":
        flagged = assess(AssessmentInput(red_flags=frozenset({RedFlag.LEG_WEAKNESS})))
        app.store.add_assessment(flagged, at=app.clock.now(), kind=AssessmentKind.BASELINE)
    if state == "asked again":  # sharp pain in a break after clear answers
        clear = assess(AssessmentInput(red_flags=frozenset()))
        app.store.add_assessment(clear, at=app.clock.now(), kind=AssessmentKind.BASELINE)
        clock.advance(60)
        report_sharp_pain(app, ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.LEFT)
    prompt = reminder_prompt(
        app, 40, how_to_screen="Run `hipflex assess`.", how_to_recheck="Answer again."
    )
    assert offered(prompt.body) == []
    assert "start" not in [action for action, _ in prompt.labelled()]
    assert "if it is comfortable" in prompt.body
    assert ("Answer again." in prompt.body) is (state == "asked again")


# --- asked again, until answered again ------------------------------------------------------


@pytest.fixture
def asked(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(web_settings(tmp_path / "web-data"), clock)
    with TestClient(app) as client:
        arm_csrf(client)
        rise_after_the_answers(client, clock)
        yield client


def test_asked_again_the_plan_says_why_and_where_to_answer(asked: TestClient):
    plan = asked.get(f"{API}/plan").json()
    assert plan["needs"] == "safety_check"
    assert plan["safe_to_exercise"] is False
    assert plan["sessions"] == []
    assert "answer them again" in plan["reason"]
    for path in ("/plan", "/today", "/"):
        page = asked.get(path).text
        assert 'id="recheck-notice"' in page, path
        assert "/assess?safety=1" in page, path


def test_answering_none_brings_the_eased_plan_back(asked: TestClient, clock: FixedClock):
    clock.advance(60)
    answered = asked.post(f"{API}/safety-checks", json={"red_flags": []})
    assert answered.status_code == 201, answered.text
    assert answered.json()["screening"] == "clear"
    plan = asked.get(f"{API}/plan").json()
    assert plan["safe_to_exercise"] is True
    assert plan["eased_off"]  # the rise still eases this week's plan off
    assert any("during a session" in reason for reason in plan["eased_off"])
    holds = {
        e["hold_seconds"]
        for s in plan["sessions"]
        for e in s["exercises"]
        if e["id"] == "half_kneeling_hip_flexor"
    }
    assert holds == {30}  # week 1 is level 0 already: the floor of the range
    assert asked.get(f"{API}/break/script").json()["screening"] == "clear"
    assert asked.post(f"{API}/sessions", json={}).status_code == 201


def test_answering_a_red_flag_stops_everything(asked: TestClient, clock: FixedClock):
    clock.advance(60)
    answered = asked.post(f"{API}/safety-checks", json={"red_flags": ["night_pain"]})
    assert answered.status_code == 201, answered.text
    body = answered.json()
    assert body["screening"] == "red_flag"
    assert body["safe_to_exercise"] is False
    assert body["advice"]
    plan = asked.get(f"{API}/plan").json()
    assert plan["needs"] == "clinician"
    assert offered(asked.get(f"{API}/plan").text) == []
    assert asked.get(f"{API}/break/script").json()["screening"] == "red_flag"
    assert "night" in asked.get("/safety").text.lower()


def test_a_new_warning_after_the_answers_asks_again(asked: TestClient, clock: FixedClock):
    clock.advance(60)
    assert asked.post(f"{API}/safety-checks", json={"red_flags": []}).status_code == 201
    clock.advance(3600)
    body = {"slot": "evening", "sharp_pain": ["pigeon_pose"]}
    assert asked.post(f"{API}/logs/sessions", json=body).status_code == 201
    assert asked.get(f"{API}/plan").json()["needs"] == "safety_check"
