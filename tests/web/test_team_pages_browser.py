"""Team mode's member pages in a real Chromium: an invitation to the first login, sharing,
the audit trail, the account page and logging out, each page with no serious axe finding,
every control reachable with Tab and no Content-Security-Policy violation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import expect

from hipflex.config import Settings
from hipflex.domain.accounts import Role
from hipflex.services import accounts
from hipflex.services.context import AppContext
from hipflex.web import create_app
from tests.web.conftest import MONDAY_MORNING, LiveServer, RunningClock, shot
from tests.web.test_accessibility import check_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "a long enough passphrase"  # noqa: S105 - the test's own account
LEE = "lee@clinic.org"


class TeamServer(LiveServer):
    """The live server in team mode (SQLite in the folder, its schema made first)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder, RunningClock(MONDAY_MORNING))
        url = f"sqlite:///{folder / 'team.db'}"
        folder.mkdir(parents=True, exist_ok=True)
        AppContext.upgrade_database(url)
        settings = Settings(data_dir=folder, database_url=url, team=True)
        self.app = create_app(settings, RunningClock(MONDAY_MORNING))
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)


@pytest.fixture
def team_server(tmp_path: Path, cheap_password_hashes: None) -> Iterator[TeamServer]:
    with TeamServer(tmp_path / "team-data") as server:
        accounts.add_account(
            server.context, LEE, Role.CLINICIAN, password=PASSWORD, server_url="http://x"
        )
        yield server


def test_a_members_pages_from_the_invitation_to_logging_out(
    team_server: TeamServer, page: Page
) -> None:
    made = accounts.add_account(
        team_server.context, "ana@example.org", Role.MEMBER, password=None, server_url="http://x"
    )
    assert made.invitation_link is not None
    page.goto(team_server.url + urlsplit(made.invitation_link).path)
    check_page(page, "the invitation")
    page.fill("#new-password", PASSWORD)
    page.fill("#new-password-again", PASSWORD)
    page.click("#invitation-submit")
    expect(page.locator("#signed-in-email")).to_have_text("ana@example.org")
    page.goto(f"{team_server.url}/sharing")
    check_page(page, "/sharing, nobody yet")
    page.fill("#clinician-email", LEE)
    page.click("#share-submit")
    expect(page.locator("#shares")).to_contain_text(LEE)
    check_page(page, "/sharing")
    shot(page, "team-sharing")
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: nothing wider
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "team-sharing-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{team_server.url}/sharing/audit")
    check_page(page, "/sharing/audit")
    page.goto(f"{team_server.url}/account")
    page.fill("#current-password", "not the password")
    page.fill("#new-password", PASSWORD + "!")
    page.fill("#new-password-again", PASSWORD + "!")
    page.click("#password-submit")
    expect(page.locator("#password-error")).to_contain_text("current password is not right")
    check_page(page, "/account with a wrong password")
    page.click("#log-out")
    expect(page).to_have_url(f"{team_server.url}/login")
    page.goto(f"{team_server.url}/plan")  # no login: the login page, then back
    page.fill("#login-email", "ana@example.org")
    page.fill("#login-password", "not the password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("not right")
    check_page(page, "/login with a wrong password")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(f"{team_server.url}/plan")
