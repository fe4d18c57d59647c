"""`hipflex users`: add (with an invitation link or a password on stdin), list, disable,
reset-password; each mistake one line and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from hipflex.services import accounts
from hipflex.services.context import open_app
from tests.cli.conftest import Cli


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
