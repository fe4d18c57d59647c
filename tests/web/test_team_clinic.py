"""The clinician's actions and the admin's aggregate in team mode, on SQLite and
PostgreSQL: one member's report, clearing a paused exercise and notes each need the
member's consent now (a revoke takes effect at once) and are in the member's audit trail;
roles are checked; the admin's totals say nothing about one person."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hipflex.config import Settings
from hipflex.domain.accounts import Role
from hipflex.domain.aggregate import MIN_GROUP_SIZE
from hipflex.domain.limits import MAX_NOTE_LENGTH
from hipflex.services import accounts, data
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.web import create_app
from hipflex.web.deps import SESSION_COOKIE
from tests.web.conftest import API, arm_csrf, context_of, record_tight

PASSWORD = "a long enough passphrase"  # noqa: S105 - the tests' own accounts
ANA, BO, LEE, KIM, ADA = (
    "ana@example.org",
    "bo@example.org",
    "lee@clinic.org",
    "kim@clinic.org",
    "ada@corp.example",
)
ROLES = {ANA: Role.MEMBER, BO: Role.MEMBER, LEE: Role.CLINICIAN, KIM: Role.CLINICIAN}
ROLES[ADA] = Role.ADMIN


class People:
    """One client, logged in as each person in turn."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}

    def add(self, email: str, role: Role) -> None:
        accounts.add_account(
            context_of(self.client), email, role, password=PASSWORD, server_url="http://x"
        )
        self.client.cookies.delete(SESSION_COOKIE)
        response = self.client.post(
            f"{API}/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        self.cookies[email] = self.client.cookies[SESSION_COOKIE]

    def as_(self, email: str) -> TestClient:
        self.client.cookies.delete(SESSION_COOKIE)
        self.client.cookies.set(SESSION_COOKIE, self.cookies[email])
        return self.client

    def id_of(self, email: str) -> int:
        return context_of(self.client).store.account(email).id

    def audit(self, email: str) -> list[str]:
        entries = self.as_(email).get(f"{API}/audit").json()["entries"]
        return [f"{entry['actor_email']} {entry['action']}" for entry in entries]

    def share(self, member: str, clinician: str) -> int:
        response = self.as_(member).post(f"{API}/shares", json={"clinician_email": clinician})
        assert response.status_code == 201, response.text
        share_id: int = response.json()["id"]
        return share_id

    def revoke(self, member: str, share_id: int) -> None:
        assert self.as_(member).delete(f"{API}/shares/{share_id}").status_code == 200


@pytest.fixture
def people(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[People]:
    AppContext.upgrade_database(database_url)
    settings = Settings(data_dir=tmp_path, database_url=database_url, team=True)
    with TestClient(create_app(settings, clock)) as client:
        arm_csrf(client)
        found = People(client)
        for email, role in ROLES.items():
            found.add(email, role)
        yield found


def _paused_glute_bridge(people: People) -> None:
    ana = people.as_(ANA)
    record_tight(ana)
    logged = ana.post(f"{API}/logs/sessions", json={"sharp_pain": ["glute_bridge"]})
    assert logged.json()["paused"] == ["glute_bridge"]


def _planned(client: TestClient) -> set[str]:
    plan = client.get(f"{API}/plan").json()
    return {e["id"] for s in plan["sessions"] for e in s["exercises"]}


def test_the_report_needs_consent_now_and_is_audited(people: People) -> None:
    record_tight(people.as_(ANA))
    ana = people.id_of(ANA)
    report = f"{API}/clinician/members/{ana}/report"
    lee = people.as_(LEE)
    assert lee.get(f"{report}.pdf").status_code == 404
    share_id = people.share(ANA, LEE)
    lee = people.as_(LEE)
    pdf = lee.get(f"{report}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    html = lee.get(f"{report}.html")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert people.as_(KIM).get(f"{report}.pdf").status_code == 404
    assert people.audit(ANA) == [f"{LEE} read_report", f"{LEE} read_report"]
    people.revoke(ANA, share_id)
    assert people.as_(LEE).get(f"{report}.pdf").status_code == 404


def test_a_clinician_clears_a_paused_exercise_and_it_comes_back(people: People) -> None:
    _paused_glute_bridge(people)
    assert _planned(people.as_(ANA))  # a plan, with the glute bridge left out
    assert "glute_bridge" not in _planned(people.as_(ANA))
    ana = people.id_of(ANA)
    clear = f"{API}/clinician/members/{ana}/clearances"
    body = {"exercise_id": "glute_bridge"}
    assert people.as_(LEE).post(clear, json=body).status_code == 404  # no share yet
    assert people.audit(ANA) == []
    share_id = people.share(ANA, LEE)
    cleared = people.as_(LEE).post(clear, json=body)
    assert cleared.status_code == 201, cleared.text
    assert cleared.json() == {"exercise_id": "glute_bridge", "paused": False}
    ana_client = people.as_(ANA)
    assert "glute_bridge" in _planned(ana_client)
    assert ana_client.get(f"{API}/progress").json()["paused_exercises"] == []
    assert people.audit(ANA) == [f"{LEE} cleared_exercise"]
    again = people.as_(LEE).post(clear, json=body)
    assert again.status_code == 422
    assert "not paused" in again.json()["detail"]
    # Recorded when asked, before it is done: the refused clear is in the trail too.
    assert people.audit(ANA) == [f"{LEE} cleared_exercise", f"{LEE} cleared_exercise"]
    people.revoke(ANA, share_id)
    assert people.as_(LEE).post(clear, json=body).status_code == 404
    assert people.as_(LEE).post(clear, json={"exercise_id": "no_such"}).status_code == 422


def test_a_note_reaches_the_member_and_each_clinician_sees_their_own(
    people: People, clock: FixedClock
) -> None:
    record_tight(people.as_(ANA))
    ana = people.id_of(ANA)
    notes = f"{API}/clinician/members/{ana}/notes"
    assert people.as_(LEE).post(notes, json={"text": "Keep going"}).status_code == 404
    lee_share = people.share(ANA, LEE)
    people.share(ANA, KIM)
    written = people.as_(LEE).post(notes, json={"text": "  Ease off the lunge this week  "})
    assert written.status_code == 201, written.text
    assert written.json()["text"] == "Ease off the lunge this week"
    assert written.json()["author_email"] == LEE
    clock.advance(300)
    assert people.as_(KIM).post(notes, json={"text": "Well done"}).status_code == 201

    mine = people.as_(ANA).get(f"{API}/notes").json()["notes"]
    assert [(n["author_email"], n["text"]) for n in mine] == [
        (KIM, "Well done"),
        (LEE, "Ease off the lunge this week"),
    ]
    assert mine[0]["at"] > mine[1]["at"]
    assert people.as_(BO).get(f"{API}/notes").json() == {"notes": []}
    lee_sees = people.as_(LEE).get(notes).json()["notes"]
    assert [n["text"] for n in lee_sees] == ["Ease off the lunge this week"]
    page = people.as_(ANA).get("/progress")
    assert "Ease off the lunge this week" in page.text
    assert LEE in page.text

    assert people.audit(ANA)[:3] == [f"{LEE} read_notes", f"{KIM} wrote_note", f"{LEE} wrote_note"]
    people.revoke(ANA, lee_share)
    assert people.as_(LEE).post(notes, json={"text": "more"}).status_code == 404
    assert people.as_(LEE).get(notes).status_code == 404
    assert len(people.as_(ANA).get(f"{API}/notes").json()["notes"]) == 2  # still hers


@pytest.mark.parametrize(
    "text",
    ["", "   ", "a\x00b", "x" * (MAX_NOTE_LENGTH + 1), " " + "x" * MAX_NOTE_LENGTH + "y"],
)
def test_a_notes_text_is_checked_before_anything_is_recorded(people: People, text: str) -> None:
    ana = people.id_of(ANA)
    people.share(ANA, LEE)
    response = people.as_(LEE).post(f"{API}/clinician/members/{ana}/notes", json={"text": text})
    assert response.status_code == 422
    assert people.audit(ANA) == []
    assert people.as_(ANA).get(f"{API}/notes").json() == {"notes": []}


def test_the_longest_note_is_kept_whole(people: People) -> None:
    ana = people.id_of(ANA)
    people.share(ANA, LEE)
    text = "x" * MAX_NOTE_LENGTH
    response = people.as_(LEE).post(f"{API}/clinician/members/{ana}/notes", json={"text": text})
    assert response.status_code == 201
    assert people.as_(ANA).get(f"{API}/notes").json()["notes"][0]["text"] == text


def test_notes_are_erased_with_the_members_data_and_left_out_of_the_export(
    people: People,
) -> None:
    record_tight(people.as_(ANA))
    ana = people.id_of(ANA)
    people.share(ANA, LEE)
    people.as_(LEE).post(f"{API}/clinician/members/{ana}/notes", json={"text": "Hello"})
    base = context_of(people.client)
    theirs = base.for_account(ana)
    exported = people.as_(ANA).get(f"{API}/exports/json")
    assert exported.status_code == 200
    assert "Hello" not in exported.text
    assert "clinician_notes" in data.stored_tables(theirs.store)
    data.erase(theirs)
    assert people.as_(ANA).get(f"{API}/notes").json() == {"notes": []}
    assert data.stored_tables(theirs.store) == []


def _routes(member_id: int) -> list[tuple[str, str, dict[str, Any] | None]]:
    member = f"{API}/clinician/members/{member_id}"
    return [
        ("get", f"{API}/clinician/members", None),
        ("get", f"{member}/progress", None),
        ("get", f"{member}/report.pdf", None),
        ("get", f"{member}/report.html", None),
        ("post", f"{member}/clearances", {"exercise_id": "glute_bridge"}),
        ("post", f"{member}/notes", {"text": "hi"}),
        ("get", f"{member}/notes", None),
        ("get", "/clinician", None),
        ("get", f"/clinician/members/{member_id}", None),
    ]


def test_only_a_clinician_uses_the_clinicians_routes(people: People) -> None:
    _paused_glute_bridge(people)
    people.share(ANA, LEE)
    for email in (BO, ADA):
        client = people.as_(email)
        for method, path, body in _routes(people.id_of(ANA)):
            response = client.request(method, path, json=body)
            assert response.status_code == 403, (email, method, path)
    assert people.audit(ANA) == []


def test_only_an_admin_sees_the_teams_totals(people: People) -> None:
    for email in (ANA, LEE):
        client = people.as_(email)
        assert client.get(f"{API}/admin/summary").status_code == 403
        assert client.get("/admin").status_code == 403


def test_the_clinicians_pages(people: People) -> None:
    _paused_glute_bridge(people)
    ana = people.id_of(ANA)
    lee = people.as_(LEE)
    assert lee.get(f"/clinician/members/{ana}").status_code == 404
    assert lee.get("/clinician/members/999999").status_code == 404
    people.share(ANA, LEE)
    lee = people.as_(LEE)
    listing = lee.get("/clinician")
    assert listing.status_code == 200
    assert ANA in listing.text
    assert "Glute bridge" in listing.text  # the paused exercise, in words
    page = lee.get(f"/clinician/members/{ana}")
    assert page.status_code == 200
    assert f"/api/v1/clinician/members/{ana}/report.pdf" in page.text
    assert 'data-clear="glute_bridge"' in page.text
    assert 'id="clinician-note-form"' in page.text


def _main(html: str) -> str:
    """The page's own content (the header's "Your account" is the reader's), as text."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_clinicians_view_of_a_person_speaks_about_them_not_to_them(
    people: People,
) -> None:
    record_tight(people.as_(ANA))
    people.as_(ANA).post(f"{API}/logs/pain", json={"score": 4})
    own = _main(people.as_(ANA).get("/progress").text)
    people.share(ANA, LEE)
    ana = people.id_of(ANA)
    seen = _main(people.as_(LEE).get(f"/clinician/members/{ana}").text)
    # Words meant for the person themselves (the clinician's own tools do speak to the
    # clinician: "Your notes for ...").
    to_the_member = re.compile(
        r"\byour (pain|plan|band|assessment|last test|weekly|latest notes|\d+-week block)"
        r"|\byou averaged|log them|take the tests again|rate your",
        flags=re.IGNORECASE,
    )
    assert to_the_member.search(own)
    assert not to_the_member.search(seen), to_the_member.findall(seen)
    assert "their" in seen.lower()
    progress = people.as_(LEE).get(f"{API}/clinician/members/{ana}/progress").json()
    assert "your" not in progress["pain"]["text"].lower()


def test_the_admins_totals_withhold_small_groups_and_name_nobody(people: People) -> None:
    # ana and bo, the clinicians and the admin are 5 accounts, all logged in now: active.
    extra = [f"m{n}@example.org" for n in range(MIN_GROUP_SIZE)]
    for done, email in enumerate(extra, start=1):
        people.add(email, Role.MEMBER)
        member = people.as_(email)
        record_tight(member)
        member.post(f"{API}/logs/pain", json={"score": 7})
        assert member.post(f"{API}/logs/sessions", json={"sharp_pain": []}).status_code == 201
        if done < MIN_GROUP_SIZE - 1:
            continue
        response = people.as_(ADA).get(f"{API}/admin/summary")
        assert response.status_code == 200, response.text
        summary = response.json()
        assert summary["min_group_size"] == MIN_GROUP_SIZE
        assert summary["accounts"] == summary["active"] == len(ROLES) + done
        this_week = summary["weeks"][-1]
        if done >= MIN_GROUP_SIZE:
            assert this_week == {"starts": "2026-11-02", "sessions": done, "people": done}
        else:  # 4 people did sessions this week: neither figure is shown
            assert this_week == {"starts": "2026-11-02", "sessions": None, "people": None}
        assert all(week["sessions"] is None for week in summary["weeks"][:-1])
        assert set(summary) == {
            "min_group_size",
            "active_window_days",
            "accounts",
            "active",
            "weeks",
        }
        assert "@" not in response.text
        page = people.as_(ADA).get("/admin")
        assert page.status_code == 200
        withheld = sum(week["sessions"] is None for week in summary["weeks"])
        assert page.text.count('<td colspan="2">not shown</td>') == withheld
        for address in [*ROLES, *extra]:  # the admin's own, in the header, aside
            assert address == ADA or address not in page.text
