"""`hipflex users`: add (with an invitation link or a password on stdin), list, disable,
reset-password; each mistake one line and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from hipflex.cli import users_cmd
from hipflex.domain.accounts import REMOVED_ACCOUNT, AuditAction
from hipflex.domain.errors import NotSignedIn
from hipflex.services import accounts, team, tracking
from hipflex.services.context import open_app
from tests.cli.conftest import Cli
from tests.team_rows import rows_naming

PASSWORD = "a long passphrase"  # noqa: S105 - the tests' own accounts
ANA, BO, LEE, KIM = "ana@example.org", "bo@example.org", "lee@clinic.org", "kim@clinic.org"


@pytest.fixture
def users(cli: Cli, database: str, cheap_password_hashes: None) -> Cli:
    return cli


def test_add_prints_a_one_time_link(users: Cli) -> None:
    result = users("users", "add", "Ana@Example.org", "--role", "clinician")
    assert result.exit_code == 0, result.output
    assert "Added ana@example.org as clinician." in result.stdout
    assert "works once, for 7 days" in result.stdout
    assert "http://127.0.0.1:8765/invitations/" in result.stdout


def test_add_with_a_password_from_stdin_can_log_in(users: Cli) -> None:
    result = users(
        "users", "add", "bo@example.org", "--password-stdin", input="a long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "invitations" not in result.stdout
    app = open_app()
    try:
        assert accounts.log_in(app, "bo@example.org", "a long passphrase", address="::1")
    finally:
        app.close()


def test_list_and_disable(users: Cli) -> None:
    users("users", "add", "ana@example.org", "--role", "admin")
    users("users", "add", "bo@example.org", "--password-stdin", input="a long passphrase\n")
    assert users("users", "disable", "BO@example.org").exit_code == 0
    listed = users.json("users", "list", "--json")["accounts"]
    assert [(a["email"], a["role"], a["has_password"], a["active"]) for a in listed] == [
        ("ana@example.org", "admin", False, True),
        ("bo@example.org", "member", True, False),
    ]
    text = users("users", "list").stdout
    assert "ana@example.org  admin  invited" in text
    assert "bo@example.org  member  disabled" in text


@pytest.mark.parametrize(
    ("arguments", "stdin", "status", "words"),
    [
        (["add", "not-an-address"], None, 2, "is not an e-mail address"),
        (["add", "ana@example.org", "--password-stdin"], "short\n", 2, "too short"),
        (["add", "ana@example.org", "--role", "boss"], None, 2, "boss"),
        (["disable", "nobody@example.org"], None, 1, "there is no account"),
        (["reset-password", "nobody@example.org"], None, 1, "there is no account"),
        (["erase", "nobody@example.org", "--yes"], None, 1, "there is no account"),
        (["erase", "not-an-address", "--yes"], None, 2, "is not an e-mail address"),
    ],
)
def test_mistakes_are_one_line(
    users: Cli, arguments: list[str], stdin: str | None, status: int, words: str
) -> None:
    result = users("users", *arguments, input=stdin)
    assert result.exit_code == status
    assert words in result.output
    assert "Traceback" not in result.output


def test_an_address_is_added_once(users: Cli) -> None:
    assert users("users", "add", "ana@example.org").exit_code == 0
    again = users("users", "add", "ANA@example.org")
    assert again.exit_code == 1
    assert "already an account" in again.output
    assert json.loads(users("users", "list", "--json").stdout)["accounts"][0]["role"] == "member"


def test_adopting_the_existing_data(users: Cli, assessed: None) -> None:
    before = users.json("history", "--json")
    result = users("users", "add", "me@example.org", "--adopt-existing-data")
    assert result.exit_code == 0, result.output
    assert "now this account's" in result.stdout
    app = open_app()
    try:
        account = app.store.account("me@example.org")
        mine = app.store.for_account(account.id)
        assert len(mine.assessments()) == len(before) == 1
        assert app.store.snapshot().empty
    finally:
        app.close()


# Erasing an account and its data


@pytest.fixture
def people(users: Cli, assessed: None) -> dict[str, int]:
    """A (a member, with the data kept before team mode and a login), B (a member, with
    an open invitation), lee (a clinician both share with, who read their progress and
    left each a note) and kim (a clinician nobody shares with); their ids."""
    for email, role in ((ANA, "member"), (BO, "member"), (LEE, "clinician"), (KIM, "clinician")):
        adopt = ["--adopt-existing-data"] if email == ANA else []
        added = users(
            "users", "add", email, "--role", role, "--password-stdin", *adopt, input=PASSWORD
        )
        assert added.exit_code == 0, added.output
    app = open_app()
    try:
        ids = {email: app.store.account(email).id for email in (ANA, BO, LEE, KIM)}
        lee = app.store.account(LEE)
        for email in (ANA, BO):
            mine = app.for_account(ids[email])
            tracking.log_pain(mine, 3)
            tracking.log_note(mine, f"{email} own note")
            team.share(app, app.store.account(email), LEE)
            team.member_context(app, lee, ids[email], AuditAction.READ_PROGRESS)
            team.leave_note(app, lee, ids[email], f"for {email}")
        accounts.start_session(app, app.store.account(ANA))
        accounts.reset_password(app, BO, "http://x")
    finally:
        app.close()
    return ids


def _rows(ids: dict[str, int]) -> dict[str, dict[str, int]]:
    app = open_app()
    try:
        return {email: rows_naming(app.store.engine, id_) for email, id_ in ids.items()}
    finally:
        app.close()


def _addresses(users: Cli) -> list[str]:
    return [a["email"] for a in users.json("users", "list", "--json")["accounts"]]


def test_erasing_a_member_removes_the_account_and_all_that_names_it(
    users: Cli, people: dict[str, int]
) -> None:
    before = _rows(people)
    assert before[ANA]["assessments.account_id"] == 1
    result = users("users", "erase", "ANA@example.org", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erased the account ana@example.org and its data: 1 assessment" in result.stdout
    assert "1 note from clinicians" in result.stdout
    after = _rows(people)
    assert set(after[ANA].values()) == {0}  # data, logins, shares, trail: nothing is left
    assert after[BO] == before[BO]  # every row naming B, table by table
    assert after[LEE] == {
        **before[LEE],
        "shares.clinician_id": 1,
        "audit_events.actor_id": 2,  # B's trail: lee read B's progress, left B a note
        "clinician_notes.author_id": 1,
    }
    assert _addresses(users) == [BO, LEE, KIM]
    again = users("users", "add", ANA, "--password-stdin", input=PASSWORD)
    assert again.exit_code == 0, again.output  # the address is free, the new account empty
    app = open_app()
    try:
        account = accounts.log_in(app, ANA, PASSWORD, address="::1")
        assert app.for_account(account.id).store.snapshot().empty
        assert team.notes_for_me(app.for_account(account.id)) == []
        assert team.audit(app, account) == []
    finally:
        app.close()


def test_erasing_a_clinician_keeps_their_notes_for_the_members(
    users: Cli, people: dict[str, int]
) -> None:
    before = _rows(people)
    result = users("users", "erase", LEE, "--yes")
    assert result.exit_code == 0, result.output
    after = _rows(people)
    assert after[ANA] == {**before[ANA], "shares.member_id": 0}
    assert after[LEE]["shares.clinician_id"] == 0
    assert after[LEE]["clinician_notes.author_id"] == 2  # the members' notes stay
    app = open_app()
    try:
        ana = app.store.account(ANA)
        notes = team.notes_for_me(app.for_account(ana.id))
        assert [(n.author_email, n.text) for n in notes] == [(REMOVED_ACCOUNT, f"for {ANA}")]
        assert {e.actor_email for e in team.audit(app, ana)} == {REMOVED_ACCOUNT}
        assert team.shares(app, ana) == []
        with pytest.raises(NotSignedIn):
            accounts.log_in(app, LEE, PASSWORD, address="::1")
    finally:
        app.close()
    assert _addresses(users) == [ANA, BO, KIM]
    assert users("users", "add", LEE, "--role", "clinician").exit_code == 0  # a new account
    # A clinician nothing names goes entirely.
    assert users("users", "erase", KIM, "--yes").exit_code == 0
    assert set(_rows({KIM: people[KIM]})[KIM].values()) == {0}
    assert _addresses(users) == [ANA, BO, LEE]


def test_erase_shows_what_goes_and_asks_first(
    users: Cli, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _rows(people)
    refused = users("users", "erase", ANA)  # no terminal here, and no --yes
    assert refused.exit_code == 2
    [line] = refused.output.strip().splitlines()
    assert line.endswith("there is no terminal to ask you: add --yes to erase it")
    monkeypatch.setattr(users_cmd, "_has_terminal", lambda: True)
    kept = users("users", "erase", ANA, input="n\n")
    assert kept.exit_code == 1
    assert "This deletes the account ana@example.org (member) and all its data: 1 assessment" in (
        kept.stdout
    )
    assert "Nothing was erased." in kept.stdout
    asked = users("users", "erase", LEE, input="\n")  # no answer is not a yes
    assert "stay with the members, shown as from a removed account" in asked.stdout
    assert _rows(people) == before
    done = users("users", "erase", ANA, input="y\n")
    assert done.exit_code == 0, done.output
    assert set(_rows({ANA: people[ANA]})[ANA].values()) == {0}
