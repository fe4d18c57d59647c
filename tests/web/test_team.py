"""Team mode on the web: logging in and out, every API route closed without a login,
each person's data their own, and logins and their throttle shared by every app process
on one database (two apps here), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.config import Settings
from hipflex.domain.accounts import MAX_FAILURES_PER_ACCOUNT, Role
from hipflex.domain.errors import OlderStore
from hipflex.services import accounts
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.store.migrate import HEAD_REVISION
from hipflex.web import create_app
from hipflex.web.deps import SESSION_COOKIE
from tests.web.conftest import API, arm_csrf, context_of, record_tight

PASSWORD = "a long enough passphrase"  # noqa: S105 - the tests' own accounts
# Each test starts on a new database: `hipflex db upgrade` (its apps fixture) creates it.
pytestmark = pytest.mark.new_schema
PEOPLE = ("ana@example.org", "bo@example.org")


def _team_settings(folder: Path, database_url: str) -> Settings:
    return Settings(data_dir=folder, database_url=database_url, team=True)


@pytest.fixture
def apps(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two team-mode apps on one database (two processes' worth), with two members."""
    settings = _team_settings(tmp_path / "app-data", database_url)
    assert AppContext.upgrade_database(database_url) is None  # `hipflex db upgrade`
    with (
        TestClient(create_app(settings, clock)) as first,
        TestClient(create_app(settings, clock)) as second,
    ):
        for email in PEOPLE:
            accounts.add_account(
                context_of(first), email, Role.MEMBER, password=PASSWORD, server_url="http://x"
            )
        for client in (first, second):
            arm_csrf(client)
        yield first, second


def _log_in(client: TestClient, email: str, password: str = PASSWORD) -> int:
    return client.post(f"{API}/auth/login", json={"email": email, "password": password}).status_code


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/plan"),
        ("get", "/today"),
        ("get", "/progress"),
        ("get", "/preferences"),
        ("get", "/sessions/interrupted"),
        ("get", "/break/script"),
        ("post", "/logs/pain"),
        ("post", "/assessments"),
    ],
)
def test_every_route_needs_a_login(
    apps: tuple[TestClient, TestClient], method: str, path: str
) -> None:
    client, _ = apps
    response = client.request(method, f"{API}{path}", json={})
    assert response.status_code == 401
    assert response.json() == {"detail": "log in first"}


def test_a_login_sets_an_http_only_same_site_cookie(apps: tuple[TestClient, TestClient]) -> None:
    client, _ = apps
    response = client.post(f"{API}/auth/login", json={"email": PEOPLE[0], "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert PASSWORD not in cookie
    assert client.get(f"{API}/preferences").status_code == 200


def test_a_login_needs_the_csrf_token(apps: tuple[TestClient, TestClient]) -> None:
    client, _ = apps
    del client.headers["X-CSRF-Token"]
    assert _log_in(client, PEOPLE[0]) == 403


def test_wrong_logins_are_401_then_429(apps: tuple[TestClient, TestClient]) -> None:
    first, second = apps
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        either = (first, second)[attempt % 2]  # counted in the database, across processes
        assert _log_in(either, PEOPLE[0], "not the password") == 401
    assert _log_in(first, PEOPLE[0]) == 429
    assert _log_in(second, PEOPLE[0]) == 429
    assert _log_in(second, PEOPLE[1]) == 200  # the other account is not throttled


def test_each_person_sees_only_their_own_data(apps: tuple[TestClient, TestClient]) -> None:
    ana, bo = apps
    assert _log_in(ana, PEOPLE[0]) == 200
    assert _log_in(bo, PEOPLE[1]) == 200
    record_tight(ana)
    assert ana.post(f"{API}/logs/notes", json={"text": "ana's private note"}).status_code == 201
    assert ana.get(f"{API}/plan").status_code == 200
    assert bo.get(f"{API}/plan").status_code == 409  # no assessment of bo's own
    assert "ana's private note" not in bo.get(f"{API}/progress").text
    bo_prefs = bo.get(f"{API}/preferences").json()
    assert bo_prefs["floor_at_work"] is False  # ana's preference is ana's
    assert ana.get(f"{API}/preferences").json()["floor_at_work"] is True


def test_a_login_works_in_every_process_and_a_logout_everywhere(
    apps: tuple[TestClient, TestClient],
) -> None:
    first, second = apps
    assert _log_in(first, PEOPLE[0]) == 200
    second.cookies.set(SESSION_COOKIE, first.cookies[SESSION_COOKIE])
    assert second.get(f"{API}/preferences").status_code == 200
    assert second.post(f"{API}/auth/logout").status_code == 200
    assert first.get(f"{API}/preferences").status_code == 401


def test_disabling_an_account_ends_its_logins(apps: tuple[TestClient, TestClient]) -> None:
    client, _ = apps
    assert _log_in(client, PEOPLE[0]) == 200
    accounts.disable_account(context_of(client), PEOPLE[0])
    assert client.get(f"{API}/preferences").status_code == 401
    assert _log_in(client, PEOPLE[0]) == 401


def test_a_login_expires(apps: tuple[TestClient, TestClient], clock: FixedClock) -> None:
    client, _ = apps
    assert _log_in(client, PEOPLE[0]) == 200
    clock.advance(accounts.SESSION_LIFETIME.total_seconds() - 1)
    assert client.get(f"{API}/preferences").status_code == 200
    clock.advance(1)
    assert client.get(f"{API}/preferences").status_code == 401


def test_single_user_mode_has_no_logins(tmp_path: Path, clock: FixedClock) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}")
    with TestClient(create_app(settings, clock)) as client:
        arm_csrf(client)
        assert client.get(f"{API}/preferences").status_code == 200
        assert _log_in(client, PEOPLE[0]) == 404


def test_team_mode_does_not_upgrade_the_schema_itself(
    tmp_path: Path, database_url: str, clock: FixedClock
) -> None:
    app = create_app(_team_settings(tmp_path, database_url), clock)
    with pytest.raises(OlderStore, match="run `hipflex db upgrade` first"):
        app.state.context.open()
    assert AppContext.upgrade_database(database_url) is None
    assert AppContext.upgrade_database(database_url) == HEAD_REVISION
    app.state.context.open()
    app.state.context.close()
