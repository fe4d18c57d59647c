"""Team mode's pages for members: logging in and out, the login page instead of an error
for a page without a login, accepting an invitation, changing a password, sharing with
a clinician and the audit trail, on SQLite and PostgreSQL; single-user mode unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.accounts import (
    AUDIT_WORDS,
    INVITATION_LIFETIME,
    MAX_FAILURES_PER_ACCOUNT,
    MIN_PASSWORD_LENGTH,
    AuditAction,
    Role,
)
from hipflex.services import accounts
from hipflex.services.clock import FixedClock
from hipflex.web.deps import SESSION_COOKIE
from hipflex.web.logins import safe_next
from hipflex.web.rendering import NAV, TEAM_NAV
from hipflex.web.security import CSRF_HEADER
from tests.web.conftest import API, TEAM_PASSWORD, arm_csrf, context_of, record_tight, team_client

PASSWORD = TEAM_PASSWORD
NEW_PASSWORD = "another long passphrase"  # noqa: S105
WRONG_PASSWORD = "not the password"  # noqa: S105
ANA, BO, LEE = "ana@example.org", "bo@example.org", "lee@clinic.org"
ROLES = {ANA: Role.MEMBER, BO: Role.MEMBER, LEE: Role.CLINICIAN}


@pytest.fixture
def team(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[TestClient]:
    """A team-mode app with two members and a clinician; redirects are not followed."""
    folder = tmp_path / "app-data"
    with team_client(folder, database_url, clock, ROLES, follow_redirects=False) as client:
        yield client


def _page_login(
    client: TestClient, email: str = ANA, password: str = PASSWORD, target: str = ""
) -> TestClient:
    client.post("/login", data={"email": email, "password": password, "next": target})
    return client


def _as(client: TestClient, email: str) -> str:
    """Log the client in through the login page; the new session's token."""
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    token: str = client.cookies[SESSION_COOKIE]
    return token


# Logging in


def test_the_login_page_logs_in_and_goes_back_to_the_page_asked_for(team: TestClient) -> None:
    page = team.get("/login", params={"next": "/plan?week=2"})
    assert page.status_code == 200
    assert 'name="next" value="/plan?week=2"' in page.text
    response = team.post(
        "/login", data={"email": ANA.upper(), "password": PASSWORD, "next": "/plan?week=2"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/plan?week=2"
    cookie = response.headers["set-cookie"]  # the same cookie as the API's login
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert team.get(f"{API}/preferences").status_code == 200
    home = team.get("/")
    assert ANA in home.text
    assert "(member)" in home.text
    assert 'id="log-out"' in home.text
    for href, _ in TEAM_NAV:
        assert f'href="{href}"' in home.text
    assert "runs on your own computer" not in home.text  # a server, not this computer


@pytest.mark.parametrize(
    ("email", "password"),
    [(ANA, "not the password"), ("nobody@example.org", PASSWORD), (BO, PASSWORD)],
    ids=["wrong password", "unknown address", "disabled"],
)
def test_a_wrong_login_gets_the_form_again_with_the_same_words(
    team: TestClient, email: str, password: str
) -> None:
    accounts.disable_account(context_of(team), BO)
    response = team.post("/login", data={"email": email, "password": password, "next": "/plan"})
    assert response.status_code == 401
    assert "The e-mail address or the password is not right" in response.text
    assert 'id="login-form"' in response.text
    assert f'value="{email}"' in response.text  # the address is kept, the password not
    assert SESSION_COOKIE not in team.cookies


def test_too_many_wrong_logins_say_how_long_to_wait(team: TestClient) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert _page_login(team, ANA, WRONG_PASSWORD).cookies.get(SESSION_COOKIE) is None
    response = team.post("/login", data={"email": ANA, "password": PASSWORD})
    assert response.status_code == 429
    assert "wait 15 minutes" in response.text


HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "http://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "evil.example",
    "/login?next=//evil.example",
]


def test_a_login_never_goes_to_another_site(team: TestClient) -> None:
    for target in HOSTILE_NEXT:
        assert 'name="next" value="/"' in team.get("/login", params={"next": target}).text
        response = team.post("/login", data={"email": ANA, "password": PASSWORD, "next": target})
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


#: Starts a hostile `next` may have; anything may follow.
HOSTILE_STARTS = ("/", "//", "/\\", "\\", "http://", "https:", "javascript:", " /", "/\t/", "\x00/")


@given(
    st.text(max_size=40)
    | st.tuples(st.sampled_from(HOSTILE_STARTS + tuple(HOSTILE_NEXT)), st.text(max_size=20)).map(
        "".join
    )
)
def test_safe_next_is_always_a_path_here(target: str) -> None:
    chosen = safe_next(target)
    parts = urlsplit(chosen)
    assert chosen.startswith("/")
    assert not chosen.startswith("//")
    assert "\\" not in chosen
    assert not parts.scheme
    assert not parts.netloc
    assert all(ch.isprintable() and not ch.isspace() for ch in chosen)
    assert chosen in (target, "/")


def test_logging_out_ends_the_login(team: TestClient) -> None:
    _as(team, ANA)
    response = team.post("/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert team.get(f"{API}/preferences").status_code == 401


# Pages without a login


def test_a_page_without_a_login_goes_to_the_login_page(team: TestClient) -> None:
    for path in ("/", "/plan?week=2", "/settings", "/sharing", "/sharing/audit", "/account"):
        response = team.get(path)
        assert response.status_code == 303
        location = urlsplit(response.headers["location"])
        assert location.path == "/login"
        assert parse_qs(location.query).get("next", ["/"]) == [path]
        login = team.get(response.headers["location"])
        assert login.status_code == 200
        assert 'id="log-out"' not in login.text
        assert 'href="/plan"' not in login.text  # no navigation before a login


def test_the_api_still_answers_401_without_a_login(team: TestClient) -> None:
    for path in ("/plan", "/shares", "/audit"):
        response = team.get(f"{API}{path}")
        assert response.status_code == 401
        assert response.json() == {"detail": "log in first"}
    assert team.post("/sharing", data={"clinician_email": LEE}).status_code == 303


# Invitations


def _invitation(team: TestClient, email: str = "cy@example.org") -> str:
    made = accounts.add_account(
        context_of(team), email, Role.MEMBER, password=None, server_url="http://x"
    )
    assert made.invitation_link is not None
    return urlsplit(made.invitation_link).path


def test_an_invitation_sets_the_password_once_and_logs_in(team: TestClient) -> None:
    path = _invitation(team)
    page = team.get(path)
    assert page.status_code == 200
    assert "cy@example.org" in page.text
    assert f'minlength="{MIN_PASSWORD_LENGTH}"' in page.text
    assert f"at least {MIN_PASSWORD_LENGTH} characters" in page.text
    short = "x" * (MIN_PASSWORD_LENGTH - 1)
    refused = team.post(path, data={"password": short, "password_again": short})
    assert refused.status_code == 422
    assert f"use at least {MIN_PASSWORD_LENGTH} characters" in refused.text
    differ = team.post(path, data={"password": PASSWORD, "password_again": NEW_PASSWORD})
    assert differ.status_code == 422
    assert "not the same" in differ.text
    done = team.post(path, data={"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 303
    assert done.headers["location"] == "/"
    assert team.get(f"{API}/preferences").status_code == 200  # logged in
    for again in (
        team.get(path),
        team.post(path, data={"password": PASSWORD, "password_again": PASSWORD}),
    ):
        assert again.status_code == 404
        assert "Ask the person who runs this server for a new link" in again.text
    team.cookies.clear()
    arm_csrf(team)
    assert _page_login(team, "cy@example.org").cookies.get(SESSION_COOKIE)


def test_an_expired_or_unknown_invitation_asks_for_a_new_link(
    team: TestClient, clock: FixedClock
) -> None:
    path = _invitation(team)
    clock.advance(INVITATION_LIFETIME.total_seconds() + 1)
    for link in (path, "/invitations/not-a-token"):
        response = team.get(link)
        assert response.status_code == 404
        assert "Ask the person who runs this server for a new link" in response.text
        assert "Traceback" not in response.text
    posted = team.post(path, data={"password": PASSWORD, "password_again": PASSWORD})
    assert posted.status_code == 404
    assert SESSION_COOKIE not in team.cookies


# Your account: a new password, logging out everywhere


def test_a_new_password_ends_the_other_logins_and_not_this_one(team: TestClient) -> None:
    other = _as(team, ANA)
    team.cookies.clear()
    arm_csrf(team)
    _as(team, ANA)
    response = team.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303
    assert "Your password is changed" in team.get(response.headers["location"]).text
    assert team.get(f"{API}/preferences").status_code == 200  # this login goes on
    this = team.cookies[SESSION_COOKIE]
    team.cookies.set(SESSION_COOKIE, other)
    assert team.get(f"{API}/preferences").status_code == 401  # the other one ended
    team.cookies.clear()
    arm_csrf(team)
    assert _page_login(team, ANA, PASSWORD).cookies.get(SESSION_COOKIE) is None
    assert _page_login(team, ANA, NEW_PASSWORD).cookies.get(SESSION_COOKIE)
    assert this != team.cookies[SESSION_COOKIE]


def test_the_api_changes_a_password_too(team: TestClient) -> None:
    other = _as(team, BO)
    team.cookies.clear()
    arm_csrf(team)
    _as(team, BO)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = team.post(f"{API}/auth/password", json=body)
    assert changed.status_code == 200
    assert changed.json()["email"] == BO
    assert team.get(f"{API}/preferences").status_code == 200
    team.cookies.set(SESSION_COOKIE, other)
    assert team.get(f"{API}/preferences").status_code == 401
    assert team.post(f"{API}/auth/password", json=body).status_code == 401  # no login


def test_a_wrong_current_password_counts_as_a_failed_login(team: TestClient) -> None:
    _as(team, ANA)
    wrong = {
        "current_password": "not the password",
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        response = team.post("/account/password", data=wrong)
        assert response.status_code == 422
        assert "Your current password is not right" in response.text
    right = {**wrong, "current_password": PASSWORD}
    throttled = team.post("/account/password", data=right)
    assert throttled.status_code == 429
    assert "wait 15 minutes" in throttled.text
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert team.post(f"{API}/auth/password", json=body).status_code == 429
    team.cookies.clear()
    arm_csrf(team)
    assert team.post("/login", data={"email": ANA, "password": PASSWORD}).status_code == 429


def test_logging_out_everywhere_ends_every_login(team: TestClient) -> None:
    other = _as(team, ANA)
    team.cookies.clear()
    arm_csrf(team)
    bo = _as(team, BO)
    team.cookies.clear()
    arm_csrf(team)
    _as(team, ANA)
    response = team.post("/logout/everywhere")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    for token, status in ((other, 401), (bo, 200)):
        team.cookies.set(SESSION_COOKIE, token)
        assert team.get(f"{API}/preferences").status_code == status


# Sharing and the audit trail


def _members_of_lee(team: TestClient, lee: str) -> list[str]:
    team.cookies.set(SESSION_COOKIE, lee)
    return [m["email"] for m in team.get(f"{API}/clinician/members").json()["members"]]


def test_sharing_and_stopping_on_the_page_take_effect_at_once(team: TestClient) -> None:
    lee = _as(team, LEE)
    ana = _as(team, ANA)
    assert "You share your data with nobody" in team.get("/sharing").text
    response = team.post("/sharing", data={"clinician_email": f" {LEE.upper()} "})
    assert response.status_code == 303
    page = team.get("/sharing")
    assert LEE in page.text
    assert "since 2 November 2026" in page.text
    assert _members_of_lee(team, lee) == [ANA]
    team.cookies.set(SESSION_COOKIE, ana)
    share_id = team.get(f"{API}/shares").json()["shares"][0]["id"]
    assert team.post(f"/sharing/{share_id}/revoke").status_code == 303
    assert LEE not in team.get("/sharing").text
    assert _members_of_lee(team, lee) == []
    team.cookies.set(SESSION_COOKIE, ana)
    again = team.post(f"/sharing/{share_id}/revoke")
    assert again.status_code == 404
    assert f"You have no share {share_id}" in again.text


def test_sharing_with_someone_not_a_clinician_is_refused_on_the_page(team: TestClient) -> None:
    _as(team, ANA)
    for address, status in ((BO, 404), ("not an address", 422), ("kim@clinic.org", 404)):
        response = team.post("/sharing", data={"clinician_email": address})
        assert response.status_code == status
        assert 'id="share-form"' in response.text
        assert 'id="sharing-error"' in response.text
    assert team.get(f"{API}/shares").json() == {"shares": []}


def test_the_audit_page_lists_a_clinicians_read(team: TestClient) -> None:
    lee = _as(team, LEE)
    ana = _as(team, ANA)
    record_tight(team)
    preferences = team.get(f"{API}/preferences").json()
    changed = team.put(f"{API}/preferences", json={**preferences, "timezone": "Europe/Paris"})
    assert changed.status_code == 200, changed.text
    assert "Nobody else has seen your data" in team.get("/sharing/audit").text
    team.post("/sharing", data={"clinician_email": LEE})
    team.cookies.set(SESSION_COOKIE, lee)
    ana_id = context_of(team).store.account(ANA).id
    assert team.get(f"{API}/clinician/members/{ana_id}/progress").status_code == 200
    team.cookies.set(SESSION_COOKIE, ana)
    page = team.get("/sharing/audit")
    assert page.status_code == 200
    assert f"{LEE} {AUDIT_WORDS[AuditAction.READ_PROGRESS]}" in page.text
    assert "2 November 2026, 10:00" in page.text  # the clock's 09:00 UTC, in ana's zone
    assert "Europe/Paris" in page.text


# CSRF and single-user mode


FORMS = (
    "/login",
    "/logout",
    "/logout/everywhere",
    "/account/password",
    "/account/erase",
    "/sharing",
    "/sharing/1/revoke",
    "/invitations/some-token",
)


def test_every_form_needs_the_csrf_token(team: TestClient) -> None:
    _as(team, ANA)
    del team.headers[CSRF_HEADER]
    form = {"email": ANA, "password": PASSWORD, "clinician_email": LEE}
    for path in FORMS:
        assert team.post(path, data=form).status_code == 403, path
        assert team.post(path, data={**form, "csrf_token": "forged"}).status_code == 403, path
    assert team.get(f"{API}/preferences").status_code == 200  # not even a logout
    assert team.get(f"{API}/shares").json() == {"shares": []}


def test_single_user_mode_has_no_login_pages_and_the_same_navigation(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert 'id="log-out"' not in home.text
    assert 'id="signed-in"' not in home.text
    links = [line for line in home.text.splitlines() if "<li><a href=" in line]
    assert [line.split('"')[1] for line in links] == [href for href, _ in NAV]
    assert "runs on your own computer" in home.text
    for path in ("/login", "/sharing", "/sharing/audit", "/account", "/invitations/x"):
        assert client.get(path).status_code == 404
