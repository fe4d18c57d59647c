"""Consent and the audit trail in team mode: nothing of a member's is visible to a
clinician without their share, a revoke takes effect at once, and every clinician read
is in the member's audit trail, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.domain.accounts import Role
from hipflex.services.clock import FixedClock
from hipflex.web.deps import SESSION_COOKIE
from tests.web.conftest import API, TEAM_PASSWORD, context_of, record_tight, team_client

PASSWORD = TEAM_PASSWORD
ROLES = {
    "ana@example.org": Role.MEMBER,
    "bo@example.org": Role.MEMBER,
    "lee@clinic.org": Role.CLINICIAN,
    "kim@clinic.org": Role.CLINICIAN,
}


class People:
    """One client, logged in as each person in turn."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}
        for email in ROLES:
            response = client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
            assert response.status_code == 200, response.text
            self.cookies[email] = client.cookies[SESSION_COOKIE]

    def as_(self, email: str) -> TestClient:
        self.client.cookies.set(SESSION_COOKIE, self.cookies[email])
        return self.client


@pytest.fixture
def people(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[People]:
    with team_client(tmp_path, database_url, clock, ROLES) as client:
        yield People(client)


def _member_id(people: People, email: str) -> int:
    return context_of(people.client).store.account(email).id


def test_nothing_is_visible_without_a_share(people: People) -> None:
    record_tight(people.as_("ana@example.org"))
    ana = _member_id(people, "ana@example.org")
    lee = people.as_("lee@clinic.org")
    assert lee.get(f"{API}/clinician/members").json() == {"members": []}
    assert lee.get(f"{API}/clinician/members/{ana}/progress").status_code == 404
    assert people.as_("ana@example.org").get(f"{API}/audit").json() == {"entries": []}


def test_a_share_opens_one_clinicians_view_and_each_read_is_audited(people: People) -> None:
    ana_client = people.as_("ana@example.org")
    record_tight(ana_client)
    assert ana_client.post(f"{API}/logs/pain", json={"score": 6}).status_code == 201
    own = ana_client.get(f"{API}/progress").json()
    shared = ana_client.post(f"{API}/shares", json={"clinician_email": "LEE@clinic.org"})
    assert shared.status_code == 201, shared.text
    assert shared.json()["clinician_email"] == "lee@clinic.org"
    ana = _member_id(people, "ana@example.org")

    lee = people.as_("lee@clinic.org")
    listed = lee.get(f"{API}/clinician/members").json()["members"]
    assert [member["email"] for member in listed] == ["ana@example.org"]
    read = lee.get(f"{API}/clinician/members/{ana}/progress")
    assert read.status_code == 200
    seen = read.json()
    # Ana's own progress, nothing less and nothing more; its words speak about her.
    assert {**seen, "pain": {**seen["pain"], "text": None}} == {
        **own,
        "pain": {**own["pain"], "text": None},
    }
    assert "your" not in seen["pain"]["text"].lower()

    kim = people.as_("kim@clinic.org")
    assert kim.get(f"{API}/clinician/members/{ana}/progress").status_code == 404
    assert kim.get(f"{API}/clinician/members").json() == {"members": []}
    bo = people.as_("bo@example.org")
    assert bo.get(f"{API}/clinician/members").status_code == 403
    assert bo.get(f"{API}/progress").status_code == 409  # bo has no data of their own

    entries = people.as_("ana@example.org").get(f"{API}/audit").json()["entries"]
    assert [(e["actor_email"], e["action"]) for e in entries] == [
        ("lee@clinic.org", "read_progress"),
        ("lee@clinic.org", "listed"),
    ]
    assert entries[0]["words"] == "lee@clinic.org read your progress"
    assert people.as_("bo@example.org").get(f"{API}/audit").json() == {"entries": []}


def test_a_revoke_takes_effect_at_once(people: People) -> None:
    ana_client = people.as_("ana@example.org")
    record_tight(ana_client)
    share_id = ana_client.post(f"{API}/shares", json={"clinician_email": "lee@clinic.org"}).json()[
        "id"
    ]
    ana = _member_id(people, "ana@example.org")
    assert people.as_("lee@clinic.org").get(f"{API}/clinician/members/{ana}/progress").is_success
    assert people.as_("bo@example.org").delete(f"{API}/shares/{share_id}").status_code == 404
    assert people.as_("ana@example.org").delete(f"{API}/shares/{share_id}").status_code == 200
    assert people.as_("ana@example.org").get(f"{API}/shares").json() == {"shares": []}
    lee = people.as_("lee@clinic.org")
    assert lee.get(f"{API}/clinician/members/{ana}/progress").status_code == 404
    assert lee.get(f"{API}/clinician/members").json() == {"members": []}


@pytest.mark.parametrize(
    ("address", "status"),
    [("bo@example.org", 404), ("nobody@clinic.org", 404), ("not an address", 422)],
)
def test_only_a_clinician_can_be_shared_with(people: People, address: str, status: int) -> None:
    response = people.as_("ana@example.org").post(
        f"{API}/shares", json={"clinician_email": address}
    )
    assert response.status_code == status


def test_sharing_twice_is_a_conflict(people: People) -> None:
    ana = people.as_("ana@example.org")
    body = {"clinician_email": "lee@clinic.org"}
    assert ana.post(f"{API}/shares", json=body).status_code == 201
    assert ana.post(f"{API}/shares", json=body).status_code == 409
    assert len(ana.get(f"{API}/shares").json()["shares"]) == 1


def test_the_audit_trail_cannot_be_changed_through_the_app(people: People) -> None:
    ana = people.as_("ana@example.org")
    for method in ("put", "patch", "delete", "post"):
        assert ana.request(method, f"{API}/audit").status_code == 405
