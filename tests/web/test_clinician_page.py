"""The clinician's page for one person in a browser (team mode): the clear button brings
a paused exercise back to the person's plan, and the note form leaves a note they see."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from hipflex.config import Settings
from hipflex.domain.accounts import Role
from hipflex.services import accounts
from hipflex.services.context import AppContext
from hipflex.web.app import create_app
from hipflex.web.deps import SESSION_COOKIE
from tests.web.conftest import (
    API,
    MONDAY_MORNING,
    LiveServer,
    RunningClock,
    arm_csrf,
    context_of,
    free_port,
    record_tight,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "a long enough passphrase"  # noqa: S105 - the test's own accounts


class TeamServer(LiveServer):
    """The live server in team mode, on a SQLite file."""

    def __init__(self, folder: Path) -> None:
        import uvicorn

        url = f"sqlite:///{folder / 'hipflex.db'}"
        folder.mkdir(parents=True, exist_ok=True)
        AppContext.upgrade_database(url)
        settings = Settings(data_dir=folder, database_url=url, team=True)
        self.app = create_app(settings, RunningClock(MONDAY_MORNING))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)


@pytest.fixture
def team_server(tmp_path: Path, cheap_password_hashes: None) -> Iterator[TeamServer]:
    with TeamServer(tmp_path / "team-data") as server:
        yield server


def _log_in(api: TestClient, email: str, role: Role) -> str:
    accounts.add_account(context_of(api), email, role, password=PASSWORD, server_url="http://x")
    api.cookies.delete(SESSION_COOKIE)
    response = api.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = api.cookies[SESSION_COOKIE]
    return token


def _planned(api: TestClient) -> set[str]:
    plan = api.get(f"{API}/plan").json()
    return {e["id"] for s in plan["sessions"] for e in s["exercises"]}


def test_a_clinician_clears_and_leaves_a_note_from_the_page(
    team_server: TeamServer, page: Page
) -> None:
    with TestClient(team_server.app) as api:
        arm_csrf(api)
        lee = _log_in(api, "lee@clinic.org", Role.CLINICIAN)
        ana = _log_in(api, "ana@example.org", Role.MEMBER)
        record_tight(api)
        api.post(f"{API}/logs/sessions", json={"sharp_pain": ["glute_bridge"]})
        # Sharp pain asks the safety questions again before any more exercise.
        assert api.post(f"{API}/safety-checks", json={"red_flags": []}).status_code == 201
        assert _planned(api)
        assert "glute_bridge" not in _planned(api)
        api.post(f"{API}/shares", json={"clinician_email": "lee@clinic.org"})
        member_id = context_of(api).store.account("ana@example.org").id

        page.context.add_cookies([{"name": SESSION_COOKIE, "value": lee, "url": team_server.url}])
        page.goto(f"{team_server.url}/clinician")
        page.get_by_role("link", name="ana@example.org").click()
        expect(page).to_have_url(f"{team_server.url}/clinician/members/{member_id}")
        page.get_by_role("button", name="Clear the glute bridge").click()
        expect(page.get_by_role("button", name="Clear the glute bridge")).to_have_count(0)
        page.get_by_label("A note they will see on their progress page").fill("Try it gently")
        page.get_by_role("button", name="Leave the note").click()
        expect(page.locator(".clinician-notes")).to_contain_text("Try it gently")

        api.cookies.delete(SESSION_COOKIE)
        api.cookies.set(SESSION_COOKIE, ana)
        assert "glute_bridge" in _planned(api)
        assert api.get(f"{API}/notes").json()["notes"][0]["text"] == "Try it gently"
