"""A red-flagged or never-screened user gets no stretch, squeeze or strengthening
exercise from any command, page, API route, calendar or reminder (PROTOCOL.md 2.5 and
section 4: safety overrides everything)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.content import load_content
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
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
STATES = ["never screened", "red flag"]


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
        yield client


PAGES = ["/", "/plan", "/today", "/session", "/session?slot=morning", "/break", "/safety"]
API_READS = ["plan", "today", "sessions/script", "break/script", "calendar.ics"]


def test_no_page_offers_an_exercise(web: TestClient):
    for path in PAGES:
        response = web.get(path)
        assert response.status_code in (200, 409, 422), (path, response.status_code)
        main = response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert offered(main) == [], path


def test_the_library_shows_the_stop_notice_instead_of_doses(web: TestClient, state: str):
    for path in ["/exercises", *(f"/exercises/{e.value}" for e in load_content().exercises)]:
        page = web.get(path)
        assert page.status_code == 200
        assert "stop-notice" in page.text, path
        assert doses(page.text) == [], path
    words = "Answer the safety questions first" if state == STATES[0] else "No exercises for now"
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
    assert script["screening"] == ("unscreened" if state == STATES[0] else "red_flag")
    assert script["stop"]
    assert [s["kind"] for s in script["steps"]] == ["lead_in", "activity", "done"]
    assert "if it is comfortable" in script["steps"][1]["title"]
    page = web.get("/break").text
    assert 'id="break-stop"' in page
    assert ("/assess" in page) is (state == STATES[0])


@pytest.fixture
def cli(state: str) -> Cli:
    runner = Cli()
    if state == "red flag":
        tests = ["--thomas-left", "raised", "--knee-left", "70", "--sitting-hours", "9"]
        runner.json("assess", "--json", *tests, "--red-flag", "leg_weakness")
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
    expected = "hipflex assess" if state == STATES[0] else "doctor or physiotherapist"
    assert expected in result.stdout


def test_the_reminder_offers_a_walk_not_a_stretch(app: AppContext, state: str):
    if state == "red flag":
        from hipflex.domain.assessment import AssessmentInput, AssessmentKind, assess
        from hipflex.domain.protocol import RedFlag

        flagged = assess(AssessmentInput(red_flags=frozenset({RedFlag.LEG_WEAKNESS})))
        app.store.add_assessment(flagged, at=app.clock.now(), kind=AssessmentKind.BASELINE)
    prompt = reminder_prompt(app, 40, how_to_screen="Run `hipflex assess`.")
    assert offered(prompt.body) == []
    assert "start" not in [action for action, _ in prompt.labelled()]
    assert "if it is comfortable" in prompt.body
