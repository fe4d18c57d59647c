"""The authorization matrix of team mode: every route of the app (pages and API, every
method) is called by six people (nobody logged in, member A, member B, a clinician A
shares with, a clinician A does not share with, an admin), on SQLite and PostgreSQL.

Each answer must have the status its route's kind allows that person, and no answer may
carry anything of another person's (their notes, their e-mail address) unless that
person shares with the one asking and the route is the clinician's view. Afterwards A's
data, exported, is exactly what it was: nobody else's request changed it.

The routes are read from the app itself, so a route added later is in the matrix at
once; a path parameter the matrix has no value for fails the test until it gets one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from hipflex.domain.accounts import Role
from hipflex.services.clock import FixedClock
from hipflex.web.deps import SESSION_COOKIE
from tests.web.conftest import API, TEAM_PASSWORD, context_of, log_in, record_tight, team_client

PASSWORD = TEAM_PASSWORD


class Who(Enum):
    NOBODY = "nobody logged in"
    ANA = "member A"
    BO = "member B"
    LEE = "a clinician A shares with"
    KIM = "a clinician A does not share with"
    MAX = "an admin"


ACCOUNTS = {
    Who.ANA: ("ana@example.org", Role.MEMBER),
    Who.BO: ("bo@example.org", Role.MEMBER),
    Who.LEE: ("lee@clinic.org", Role.CLINICIAN),
    Who.KIM: ("kim@clinic.org", Role.CLINICIAN),
    Who.MAX: ("max@example.org", Role.ADMIN),
}

#: What only its owner may see (and a clinician they share with, in the clinician's view).
SECRETS = {
    Who.ANA: ("ana@example.org", "ana-matrix-note-7f3c"),
    Who.BO: ("bo@example.org", "bo-matrix-note-91ad"),
}


class Kind(Enum):
    PUBLIC = "anyone, logged in or not"
    OWN = "the person logged in, their own data"
    CLINICIAN = "a clinician, of the people who share with them"
    ADMIN = "an admin, the team's totals"


#: Logging out ends the session it is called with: it has its own test below.
LOG_OUT = f"{API}/auth/logout"

#: Routes anyone may call: nothing in them is a person's.
PUBLIC = frozenset(
    {
        f"{API}/openapi.json",
        f"{API}/docs",
        f"{API}/csrf",
        f"{API}/auth/login",
        LOG_OUT,
        "/manifest.webmanifest",
        "/icons/hipflex.svg",
        "/icons/hipflex-{name}.png",
        "/sw.js",
        "/learn",
        "/learn/{topic}",
        "/faq",
        "/login",
        "/invitations/{token}",
    }
)


def kind_of(path: str) -> Kind:
    if path in PUBLIC:
        return Kind.PUBLIC
    if path.startswith((f"{API}/clinician", "/clinician")):
        return Kind.CLINICIAN
    if path.startswith((f"{API}/admin", "/admin")):
        return Kind.ADMIN
    return Kind.OWN


@dataclass(frozen=True)
class Call:
    method: str
    template: str

    @property
    def kind(self) -> Kind:
        return kind_of(self.template)

    @property
    def is_api(self) -> bool:
        return self.template.startswith(API)

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD")

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def calls(app: FastAPI) -> list[Call]:
    """Every method of every route the app has (mounted static files aside)."""
    found: list[Call] = []
    for route in iter_route_contexts(app.routes):
        methods = route.methods or ()
        path = route.path or ""
        found.extend(Call(m, path) for m in sorted(methods) if m != "HEAD")
    return found


@dataclass
class Team:
    client: TestClient
    cookies: dict[Who, str]
    #: A's ids, for the path parameters ({member_id}, {share_id}, {log_id}).
    values: dict[str, str]

    def as_(self, who: Who) -> TestClient:
        self.client.cookies.delete(SESSION_COOKIE)
        if who is not Who.NOBODY:
            self.client.cookies.set(SESSION_COOKIE, self.cookies[who])
        return self.client


def _with_data(client: TestClient, who: Who) -> None:
    """A person with an assessment, a pain rating, a note and a session begun."""
    record_tight(client)
    _, note = SECRETS[who]
    for path, body in (("logs/pain", {"score": 4}), ("logs/notes", {"text": note})):
        response = client.post(f"{API}/{path}", json=body)
        assert response.status_code == 201, response.text


@pytest.fixture
def team(
    tmp_path: Path, database_url: str, clock: FixedClock, cheap_password_hashes: None
) -> Iterator[Team]:
    roles = dict(ACCOUNTS.values())
    folder = tmp_path / "app-data"
    with team_client(folder, database_url, clock, roles, follow_redirects=False) as client:
        cookies = {who: log_in(client, email) for who, (email, _) in ACCOUNTS.items()}
        team = Team(client, cookies, {})
        for who in (Who.ANA, Who.BO):
            _with_data(team.as_(who), who)
        ana = team.as_(Who.ANA)
        started = ana.post(f"{API}/sessions", json={"pain_before": 3})
        assert started.status_code == 201, started.text
        shared = ana.post(f"{API}/shares", json={"clinician_email": ACCOUNTS[Who.LEE][0]})
        assert shared.status_code == 201, shared.text
        team.values = {
            "member_id": str(context_of(client).store.account(ACCOUNTS[Who.ANA][0]).id),
            "share_id": str(shared.json()["id"]),
            "log_id": str(started.json()["id"]),
            "name": "pain",
            "topic": "stretching",
            "exercise_id": "half_kneeling_hip_flexor",
            "kind": "json",
            "token": "no-such-token",
        }
        yield team


#: Routes called with each of several values for one parameter (and every report: both kinds).
EACH = {
    f"{API}/exports/{{kind}}": ("kind", ("json", "csv", "fhir")),
    "/icons/hipflex-{name}.png": ("name", ("192",)),
}


def _paths(call: Call, values: dict[str, str]) -> list[str]:
    """The call's path with A's values (every kind of an export and of a report)."""
    missing = [name for name in re.findall(r"{(\w+)}", call.template) if name not in values]
    assert not missing, f"{call}: the matrix needs a value for {missing}"
    reports = ("kind", ("html", "pdf")) if call.template.endswith("/report.{kind}") else None
    name, each = EACH.get(call.template) or reports or ("", ("",))
    return [call.template.format_map({**values, name: value}) for value in each]


def _is_login_redirect(response: Response) -> bool:
    return response.status_code == 303 and response.headers.get("location", "").startswith("/login")


def _anonymous_problem(call: Call, response: Response) -> str | None:
    if call.kind is Kind.PUBLIC or response.status_code == 401:
        return None
    if not call.is_api and _is_login_redirect(response):
        return None
    return f"{response.status_code} without a login (401, or a redirect to /login, expected)"


def _role_problem(call: Call, who: Who, status: int) -> str | None:
    role = ACCOUNTS[who][1]
    wanted = Role.CLINICIAN if call.kind is Kind.CLINICIAN else Role.ADMIN
    if role is not wanted:
        return None if status == 403 else f"{status}, not 403, for a {role.value}"
    return f"{status}: the {role.value} is refused their own view" if status in (401, 403) else None


def status_problem(call: Call, who: Who, response: Response) -> str | None:
    """What is wrong with the answer's status for this person (None: nothing)."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if who is Who.NOBODY:
        return _anonymous_problem(call, response)
    if call.kind is Kind.PUBLIC:
        return None  # a wrong login's 401 on the login page, say
    if call.kind is Kind.OWN:
        return f"{status}: a person logged in is refused" if status in (401, 403) else None
    return _role_problem(call, who, status)


def leaks(call: Call, who: Who, response: Response) -> list[str]:
    """Another person's secrets in the answer."""
    if not response.headers.get("content-type", "").startswith(
        ("text/", "application/json", "application/fhir+json", "image/svg")
    ):
        return []
    body = response.text.lower()
    found: list[str] = []
    for owner, secrets in SECRETS.items():
        if owner is who:
            continue
        if who is Who.LEE and owner is Who.ANA and call.kind is Kind.CLINICIAN:
            continue  # A shares with lee: the clinician's view shows A
        found.extend(f"{owner.value}'s {s!r}" for s in secrets if s.lower() in body)
    return found


def _export_of_ana(team: Team) -> str:
    response = team.as_(Who.ANA).get(f"{API}/exports/json")
    assert response.status_code == 200, response.text
    text: str = response.text
    return text


def test_every_route_answers_each_person_as_it_may_and_shows_nobody_elses_data(
    team: Team,
) -> None:
    routes = calls(team.client.app)  # type: ignore[arg-type]
    assert len(routes) > 50  # the app's routes were found
    before = _export_of_ana(team)
    problems = []
    for who in Who:
        for call in routes:
            if (who is Who.ANA and call.writes) or call.template == LOG_OUT:
                continue  # A's own writes would change what is compared below
            for path in _paths(call, team.values):
                client = team.as_(who)
                response = client.request(call.method, path, json={})
                problem = status_problem(call, who, response)
                if problem is not None:
                    problems.append(f"{who.value}: {call.method} {path}: {problem}")
                for leak in leaks(call, who, response):
                    problems.append(f"{who.value}: {call.method} {path}: shows {leak}")
    assert problems == [], "\n".join(problems)
    assert _export_of_ana(team) == before  # nobody else's request changed A's data


def test_each_persons_log_out_ends_their_login_only(team: Team) -> None:
    signed_in = [who for who in Who if who is not Who.NOBODY]
    while signed_in:
        leaving = signed_in.pop(0)
        assert team.as_(leaving).post(LOG_OUT).status_code == 200
        assert team.as_(leaving).get(f"{API}/preferences").status_code == 401
        for who in signed_in:
            assert team.as_(who).get(f"{API}/preferences").status_code == 200, who


def test_the_clinician_a_shares_with_sees_a_and_no_other_clinician_does(team: Team) -> None:
    member = team.values["member_id"]
    lee = team.as_(Who.LEE)
    listed = lee.get(f"{API}/clinician/members").json()
    assert [m["email"] for m in listed["members"]] == [ACCOUNTS[Who.ANA][0]]
    assert lee.get(f"{API}/clinician/members/{member}/progress").status_code == 200
    page = lee.get(f"/clinician/members/{member}")
    assert page.status_code == 200
    assert SECRETS[Who.ANA][1] in page.text  # A's own progress page, A's note on it
    kim = team.as_(Who.KIM)
    assert kim.get(f"/clinician/members/{member}").status_code == 404
    assert kim.get(f"{API}/clinician/members").json() == {"members": []}
    assert kim.get(f"{API}/clinician/members/{member}/progress").status_code == 404
    missing = int(member) + 1000  # nobody: the same answer as someone who does not share
    assert kim.get(f"{API}/clinician/members/{missing}/progress").status_code == 404


#: Erasing your own data (the API and the account page's form): OWN routes.
ERASE_ROUTES = (Call("POST", f"{API}/account/erase"), Call("POST", "/account/erase"))


def test_erasing_ones_own_data_erases_nobody_elses(team: Team) -> None:
    """Everyone but A erases their own data (the matrix's call above sends no password,
    so it erases nothing): A's data, shares and audit trail are as they were."""
    ana = team.as_(Who.ANA)
    before = (_export_of_ana(team), ana.get(f"{API}/shares").json())
    audit = ana.get(f"{API}/audit").json()
    for who in (Who.BO, Who.LEE, Who.KIM, Who.MAX):
        erased = team.as_(who).post(
            f"{API}/account/erase", json={"password": PASSWORD, "confirm": True}
        )
        assert erased.status_code == 200, (who, erased.text)
    page = team.as_(Who.BO).post("/account/erase", data={"password": PASSWORD, "confirm": "yes"})
    assert page.status_code == 303, page.text
    assert SECRETS[Who.BO][1] not in team.as_(Who.BO).get(f"{API}/exports/json").text
    ana = team.as_(Who.ANA)
    assert (_export_of_ana(team), ana.get(f"{API}/shares").json()) == before
    assert ana.get(f"{API}/audit").json() == audit
    member = team.values["member_id"]  # the clinician's own erase kept A's share with them
    assert team.as_(Who.LEE).get(f"{API}/clinician/members/{member}/progress").status_code == 200


def test_each_persons_secrets_are_in_their_own_answers(team: Team) -> None:
    """What the matrix looks for is what the app shows its owner."""
    for who in (Who.ANA, Who.BO):
        _, note = SECRETS[who]
        for path in ("/progress", f"{API}/report.html", f"{API}/exports/json"):
            assert note in team.as_(who).get(path).text, path


def test_the_matrix_knows_every_kind_of_route(team: Team) -> None:
    """Each kind has routes, so a rename cannot quietly empty one of them."""
    routes = calls(team.client.app)  # type: ignore[arg-type]
    kinds = {call.kind for call in routes}
    assert {Kind.PUBLIC, Kind.OWN, Kind.CLINICIAN} <= kinds
    for erase in ERASE_ROUTES:
        assert erase in routes
        assert erase.kind is Kind.OWN


def test_the_leak_check_finds_a_secret_in_any_case() -> None:
    """The leak check finds a secret whatever the case it is written in."""
    response = Response(
        200, headers={"content-type": "application/json"}, text='{"n": "ANA-MATRIX-NOTE-7F3C"}'
    )
    assert leaks(Call("GET", f"{API}/progress"), Who.BO, response) != []
    assert leaks(Call("GET", f"{API}/progress"), Who.ANA, response) == []
    assert leaks(Call("GET", f"{API}/clinician/members/1/progress"), Who.LEE, response) == []
    assert leaks(Call("GET", f"{API}/progress"), Who.LEE, response) != []
