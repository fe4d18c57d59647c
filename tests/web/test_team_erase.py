"""Team mode: a person erases all their own data from the web (the /account page and
`POST /api/v1/account/erase`), on SQLite and PostgreSQL. Their password again and an
explicit confirmation are needed; everything their account owns goes (the notes
clinicians left them, their shares and audit trail too), nobody else's row changes, and
the account stays, empty."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.domain.accounts import MAX_FAILURES_PER_ACCOUNT, Role
from hipflex.services.clock import FixedClock
from hipflex.web.deps import SESSION_COOKIE
from hipflex.web.security import CSRF_HEADER
from tests.team_rows import rows_naming
from tests.web.conftest import API, TEAM_PASSWORD, context_of, log_in, record_tight, team_client

ANA, BO, LEE = "ana@example.org", "bo@example.org", "lee@clinic.org"
ROLES = {ANA: Role.MEMBER, BO: Role.MEMBER, LEE: Role.CLINICIAN}
ERASE = f"{API}/account/erase"
RIGHT = {"password": TEAM_PASSWORD, "confirm": True}


@dataclass
class People:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, int]

    def as_(self, email: str) -> TestClient:
        self.client.cookies.set(SESSION_COOKIE, self.tokens[email])
        return self.client

    def rows_of(self, email: str) -> dict[str, int]:
        """How many rows of each table name this person, column by column."""
        return rows_naming(context_of(self.client).store.engine, self.ids[email])


def _with_data(people: People, email: str) -> None:
    """An assessment, a pain rating, a note, a session begun, a share with the clinician,
    who reads their progress (an audit entry) and leaves them a note."""
    client = people.as_(email)
    record_tight(client)
    for path, body in (
        ("logs/pain", {"score": 4}),
        ("logs/notes", {"text": f"{email} note"}),
        ("sessions", {"pain_before": 3}),
        ("shares", {"clinician_email": LEE}),
    ):
        response = client.post(f"{API}/{path}", json=body)
        assert response.status_code == 201, response.text
    member = f"{API}/clinician/members/{people.ids[email]}"
    lee = people.as_(LEE)
    assert lee.get(f"{member}/progress").status_code == 200
    assert lee.post(f"{member}/notes", json={"text": f"for {email}"}).status_code == 201


#: The column that names the member in the tables that are not the member's own rows.
MEMBER_COLUMN = {"shares": "member_id", "audit_events": "member_id"}


def _all_gone_but_the_login(rows: dict[str, int]) -> bool:
    """Nothing names the account any more but its logins (kept: it goes on)."""
    assert rows["web_sessions.account_id"] > 0
    return {key: n for key, n in rows.items() if n and key != "web_sessions.account_id"} == {}


@pytest.fixture
def people(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[People]:
    with team_client(
        tmp_path / "app-data", database_url, clock, ROLES, follow_redirects=False
    ) as client:
        store = context_of(client).store
        ids = {email: store.account(email).id for email in ROLES}
        people = People(client, {email: log_in(client, email) for email in ROLES}, ids)
        for email in (ANA, BO):
            _with_data(people, email)
        yield people


def test_a_member_erases_their_data_and_nobody_elses(people: People) -> None:
    mine, bo, lee = people.rows_of(ANA), people.rows_of(BO), people.rows_of(LEE)
    for table in ("assessments", "clinician_notes", "shares", "audit_events"):
        assert mine[f"{table}.{MEMBER_COLUMN.get(table, 'account_id')}"] > 0, table
    response = people.as_(ANA).post(ERASE, json=RIGHT)
    assert response.status_code == 200, response.text
    erased = response.json()
    assert erased["records"]["assessments"] == 1
    assert erased["records"]["notes"] == 1
    assert erased["clinician_notes"] == 1
    assert "1 assessment" in erased["summary"]
    assert _all_gone_but_the_login(people.rows_of(ANA))
    assert people.rows_of(BO) == bo  # every row naming B, table by table
    # The clinician's rows about A (the share, A's trail, the note for A) went with A's.
    assert people.rows_of(LEE) == {
        **lee,
        "shares.clinician_id": 1,
        "audit_events.actor_id": lee["audit_events.actor_id"] - mine["audit_events.member_id"],
        "clinician_notes.author_id": 1,
    }
    # Still logged in, with an empty app; the clinician no longer sees A.
    ana = people.as_(ANA)
    assert ana.get(f"{API}/notes").json() == {"notes": []}
    assert ana.get(f"{API}/shares").json() == {"shares": []}
    assert ana.get(f"{API}/audit").json() == {"entries": []}
    assert ana.get(f"{API}/progress").status_code == 409  # an assessment first
    lee = people.as_(LEE).get(f"{API}/clinician/members").json()
    assert [m["email"] for m in lee["members"]] == [BO]
    assert people.as_(BO).get(f"{API}/notes").json()["notes"][0]["text"] == f"for {BO}"
    # Logging in again: the same, empty app, ready to start again.
    people.tokens[ANA] = log_in(people.client, ANA)
    home = people.as_(ANA).get("/")
    assert home.status_code == 200
    assert f"{ANA} note" not in home.text
    assert people.client.get(f"{API}/exports/json").json()["assessments"] == []
    record_tight(people.client)


#: Each refused: a wrong password, no confirmation, a confirmation that is not true.
REFUSED = (
    {"password": "not the password", "confirm": True},
    {"password": TEAM_PASSWORD, "confirm": False},
    {"password": TEAM_PASSWORD},
    {"password": TEAM_PASSWORD, "confirm": "yes"},
    {"confirm": True},
)


def test_without_the_password_and_the_confirmation_nothing_is_erased(people: People) -> None:
    before = people.rows_of(ANA)
    for body in REFUSED:
        response = people.as_(ANA).post(ERASE, json=body)
        assert response.status_code == 422, (body, response.text)
    assert people.rows_of(ANA) == before


def test_wrong_passwords_count_as_failed_logins(people: People) -> None:
    """A stolen login cannot guess the password: the throttle stops the erase too."""
    before = people.rows_of(ANA)
    ana = people.as_(ANA)
    wrong = {"password": "not the password", "confirm": True}
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert ana.post(ERASE, json=wrong).json()["detail"].endswith("nothing was erased")
    assert ana.post(ERASE, json=RIGHT).status_code == 429
    assert people.rows_of(ANA) == before


def test_without_a_login_or_the_csrf_token_nothing_is_erased(people: People) -> None:
    before = people.rows_of(ANA)
    client = people.as_(ANA)
    token = client.headers.pop(CSRF_HEADER)
    assert client.post(ERASE, json=RIGHT).status_code == 403
    assert client.post("/account/erase", data={"password": TEAM_PASSWORD}).status_code == 403
    client.headers[CSRF_HEADER] = token
    client.cookies.delete(SESSION_COOKIE)
    assert client.post(ERASE, json=RIGHT).status_code == 401
    anonymous = client.post("/account/erase", data={"password": TEAM_PASSWORD})
    assert anonymous.status_code == 303  # a page: to the login page, as every other one
    assert anonymous.headers["location"].startswith("/login")
    assert people.rows_of(ANA) == before


def test_the_account_page_erases_after_the_password_and_the_box(people: People) -> None:
    ana = people.as_(ANA)
    page = ana.get("/account")
    assert 'action="/account/erase"' in page.text
    assert "cannot be undone" in page.text
    assert 'href="/api/v1/exports/json"' in page.text  # a copy first
    before = people.rows_of(ANA)
    unticked = ana.post("/account/erase", data={"password": TEAM_PASSWORD})
    assert unticked.status_code == 422
    assert "tick the box" in unticked.text
    wrong = ana.post("/account/erase", data={"password": "not it", "confirm": "yes"})
    assert wrong.status_code == 422
    assert "Your password is not right: nothing was erased" in wrong.text
    assert people.rows_of(ANA) == before
    done = ana.post("/account/erase", data={"password": TEAM_PASSWORD, "confirm": "yes"})
    assert done.status_code == 303
    assert done.headers["location"] == "/account?erased=1"
    assert "All your data is erased" in ana.get("/account?erased=1").text
    assert _all_gone_but_the_login(people.rows_of(ANA))
    assert people.rows_of(BO)["assessments.account_id"] == 1


def test_single_user_mode_has_no_web_erase(client: TestClient) -> None:
    """The single-user store is erased with `hipflex data erase` on the computer."""
    record_tight(client)
    assert client.post(ERASE, json=RIGHT).status_code == 404
    assert client.get(f"{API}/progress").status_code == 200
