"""Web fixtures: the real app in-process, served by uvicorn on loopback, and a real Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hipflex.config import Settings
from hipflex.domain.accounts import Role
from hipflex.services.clock import Clock, FixedClock
from hipflex.services.context import AppContext
from hipflex.web.app import create_app
from hipflex.web.security import CSRF_COOKIE
from tests.conftest import missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

API = "/api/v1"
CSRF_HEADER = "X-CSRF-Token"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

#: Both hips tight (iliopsoas and rectus femoris), limited extension, long sitting.
TIGHT_ASSESSMENT: dict[str, Any] = {
    "thomas": {
        "left": {"thigh": "raised", "knee_flexion_deg": 70},
        "right": {"thigh": "raised", "knee_flexion_deg": 72},
    },
    "hip_extension": {"left": {"degrees": 5}, "right": {"degrees": 6}},
    "sitting_hours": 9,
    "signs": ["worse_after_sitting", "tight_front_hips"],
    "red_flags": [],
}


def context_of(client: TestClient) -> AppContext:
    """The AppContext behind a client's app, to look into the store."""
    app: FastAPI = client.app  # type: ignore[assignment]
    context: AppContext = app.state.context
    return context


def record_tight(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Record a tight assessment through the API; its report JSON. The user can get down
    on the floor at work, so every session starts with the half-kneeling stretch and has
    several exercises (without a floor the morning is the standing stretch alone)."""
    response = client.post(f"{API}/assessments", json={**TIGHT_ASSESSMENT, **changes})
    assert response.status_code == 201, response.text
    report: dict[str, Any] = response.json()
    floor = client.put(f"{API}/preferences", json={"floor_at_work": True})
    assert floor.status_code == 200, floor.text
    return report


def web_settings(folder: Path, database_url: str | None = None) -> Settings:
    return Settings(
        data_dir=folder,
        database_url=database_url or f"sqlite:///{folder / 'hipflex.db'}",
    )


def arm_csrf(client: TestClient) -> str:
    response = client.get(f"{API}/csrf")
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    assert client.cookies.get(CSRF_COOKIE) == token
    client.headers[CSRF_HEADER] = token
    return token


#: The team tests' accounts' password (long enough for the rules).
TEAM_PASSWORD = "a long enough passphrase"  # noqa: S105 - the tests' own accounts


@contextmanager
def team_client(
    folder: Path,
    database_url: str,
    clock: Clock,
    roles: Mapping[str, Role],
    *,
    follow_redirects: bool = True,
) -> Iterator[TestClient]:
    """A team-mode app on a database `hipflex db upgrade` made, with these accounts (each
    with TEAM_PASSWORD) and the CSRF token armed; nobody logged in."""
    AppContext.upgrade_database(database_url)
    settings = Settings(data_dir=folder, database_url=database_url, team=True)
    with TestClient(create_app(settings, clock), follow_redirects=follow_redirects) as client:
        from hipflex.services import accounts

        for email, role in roles.items():
            accounts.add_account(
                context_of(client), email, role, password=TEAM_PASSWORD, server_url="http://x"
            )
        arm_csrf(client)
        yield client


def log_in(client: TestClient, email: str) -> str:
    """Log `email` in with TEAM_PASSWORD (any earlier login's cookie dropped); the new
    session's cookie value, to switch between people on one client."""
    from hipflex.web.deps import SESSION_COOKIE

    client.cookies.delete(SESSION_COOKIE)
    response = client.post(f"{API}/auth/login", json={"email": email, "password": TEAM_PASSWORD})
    assert response.status_code == 200, response.text
    token: str = client.cookies[SESSION_COOKIE]
    return token


@pytest.fixture
def client(tmp_path: Path, database_url: str, clock: FixedClock) -> Iterator[TestClient]:
    """The real app in-process on SQLite and PostgreSQL, lifespan run, CSRF armed."""
    app = create_app(web_settings(tmp_path / "app-data", database_url), clock)
    with TestClient(app) as test_client:
        arm_csrf(test_client)
        yield test_client


# A real server on loopback for the browser.


class RunningClock:
    """Real time moving forward from a fixed Monday morning: stable pages, live timers."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)


MONDAY_MORNING = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


@pytest.fixture
def no_pose_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As without the pose extra (the dev install has it): importing mediapipe fails."""

    def detect(_image: object) -> None:
        raise ModuleNotFoundError("No module named 'mediapipe'", name="mediapipe")

    monkeypatch.setattr("hipflex.pose.detect", detect)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving create_app in a thread of the test process."""

    def __init__(self, folder: Path, clock: Clock) -> None:
        import uvicorn

        self.app = create_app(web_settings(folder), clock)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    @property
    def context(self) -> AppContext:
        context: AppContext = self.app.state.context
        return context

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def record_tight(self) -> dict[str, Any]:
        with TestClient(self.app) as api:
            arm_csrf(api)
            return record_tight(api)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app on a free loopback port (SQLite in tmp_path); `.url` is its base URL."""
    with LiveServer(tmp_path / "live-data", RunningClock(MONDAY_MORNING)) as server:
        yield server


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server with data on every page (for pages that are only looked at): a tight
    assessment, a logged session, pain ratings and sitting hours."""
    folder = tmp_path_factory.mktemp("seeded")
    with LiveServer(folder, RunningClock(MONDAY_MORNING)) as server:
        with TestClient(server.app) as api:
            arm_csrf(api)
            record_tight(api)
            for path, body in (
                ("logs/pain", {"score": 5}),
                ("logs/sitting", {"hours": 8.5}),
                ("logs/notes", {"text": "stiff after a long meeting"}),
                ("logs/sessions", {"slot": "morning", "pain_before": 5, "pain_after": 4}),
            ):
                response = api.post(f"{API}/{path}", json=body)
                assert response.status_code == 201, response.text
        yield server


# A real browser: Debian's Chromium, driven by Playwright (never a downloaded browser).


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (Debian: apt-get install chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


#: Reports each Content-Security-Policy violation on the console (an init script runs
#: outside the page's policy), where the browser fixture collects it.
CSP_VIOLATION = "CSP violation"
_REPORT_CSP = (
    'document.addEventListener("securitypolicyviolation", (event) => console.error('
    f'"{CSP_VIOLATION}: " + event.effectiveDirective + " blocked " + (event.blockedURI || '
    '"inline") + " at " + event.sourceFile + ":" + event.lineNumber));'
)


@pytest.fixture
def csp_violations() -> Iterator[list[str]]:
    """The Content-Security-Policy violations seen in the test's browser contexts: any
    left at the end fails the test."""
    violations: list[str] = []
    yield violations
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def browser(
    chromium: Browser, csp_violations: list[str], monkeypatch: pytest.MonkeyPatch
) -> Browser:
    """Chromium (one process per test session); tests open their own contexts. Each
    context reports its Content-Security-Policy violations to `csp_violations`."""
    open_context = chromium.new_context

    def record(message: ConsoleMessage) -> None:
        if CSP_VIOLATION in message.text or "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def new_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context = open_context(*args, **kwargs)
        context.add_init_script(script=_REPORT_CSP)
        context.on("console", record)
        return context

    monkeypatch.setattr(chromium, "new_context", new_context)
    return chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop page (1280 px, light); console errors fail the test. Reduced motion
    turns off the pages' colour transitions, so a theme switch shows at once."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)  # a loaded machine, not a hang
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Keep a screenshot as a test artefact (the whole page, or the first screen)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
