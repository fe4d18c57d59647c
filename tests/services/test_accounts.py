"""Team mode's accounts on SQLite and PostgreSQL: adding, invitations, passwords kept only
as argon2id hashes, disabling, and the login throttle counted in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from hipflex.domain.accounts import (
    INVITATION_LIFETIME,
    LOGIN_WINDOW,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    Role,
)
from hipflex.domain.errors import BadInput, Conflict, NotFound, NotSignedIn, TooManyTries
from hipflex.services import accounts
from hipflex.services.accounts import INVITATION_PATH, WRONG_LOGIN
from hipflex.services.accounts import _hasher as real_hasher
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext

SERVER = "https://hip.example.org/"
PASSWORD = "a long enough passphrase"  # noqa: S105 - the tests' own account
HERE = "192.0.2.10"
#: Long before any test's clock: every failed login counts after it.
LOGIN_WINDOW_START = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cheap(cheap_password_hashes: None) -> None:
    """Every test here but the one below hashes at the smallest cost."""


def test_the_real_hash_is_argon2id_at_rfc_9106_cost() -> None:
    """RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes."""
    hashed = real_hasher().hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def _token(link: str) -> str:
    assert link.startswith("https://hip.example.org" + INVITATION_PATH)
    return link.rsplit("/", 1)[1]


def _add(app: AppContext, email: str = "ana@example.org", role: Role = Role.MEMBER) -> None:
    accounts.add_account(app, email, role, password=PASSWORD, server_url=SERVER)


def test_a_password_is_kept_only_as_an_argon2id_hash(app: AppContext) -> None:
    _add(app)
    with app.store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.log_in(app, "ANA@example.org", PASSWORD, address=HERE).email == (
        "ana@example.org"
    )


def test_one_account_per_address(app: AppContext) -> None:
    _add(app)
    with pytest.raises(Conflict):
        _add(app, "Ana@Example.org", Role.ADMIN)
    assert [account.role for account in accounts.accounts(app)] == [Role.MEMBER]


def test_a_short_password_saves_nothing(app: AppContext) -> None:
    with pytest.raises(BadInput, match="too short"):
        accounts.add_account(
            app,
            "ana@example.org",
            Role.MEMBER,
            password="short",  # noqa: S106 - too short on purpose
            server_url=SERVER,
        )
    assert accounts.accounts(app) == []


def test_an_invitation_sets_the_password_once(app: AppContext, clock: FixedClock) -> None:
    added = accounts.add_account(
        app, "bo@example.org", Role.CLINICIAN, password=None, server_url=SERVER
    )
    assert added.invitation_link is not None
    assert not added.account.has_password
    with pytest.raises(NotSignedIn):
        accounts.log_in(app, "bo@example.org", PASSWORD, address=HERE)
    token = _token(added.invitation_link)
    assert accounts.invitation_email(app, token) == "bo@example.org"
    assert accounts.accept_invitation(app, token, PASSWORD).has_password
    assert accounts.invitation_email(app, token) is None
    assert accounts.log_in(app, "bo@example.org", PASSWORD, address=HERE).role is Role.CLINICIAN
    with pytest.raises(NotFound, match="not valid"):
        accounts.accept_invitation(app, token, "another long passphrase")


@pytest.mark.parametrize(("after", "valid"), [(-1, True), (0, False), (1, False)])
def test_an_invitation_expires_after_seven_days(
    app: AppContext, clock: FixedClock, after: int, valid: bool
) -> None:
    added = accounts.add_account(
        app, "bo@example.org", Role.MEMBER, password=None, server_url=SERVER
    )
    assert added.invitation_link is not None
    clock.advance(INVITATION_LIFETIME.total_seconds() + after)
    # The page's check (whose link it is) agrees with the one that sets the password.
    shown = accounts.invitation_email(app, _token(added.invitation_link))
    assert shown == ("bo@example.org" if valid else None)
    if valid:
        assert accounts.accept_invitation(app, _token(added.invitation_link), PASSWORD)
    else:
        with pytest.raises(NotFound):
            accounts.accept_invitation(app, _token(added.invitation_link), PASSWORD)


def test_a_reset_link_replaces_the_older_one(app: AppContext) -> None:
    _add(app)
    first = accounts.reset_password(app, "ana@example.org", SERVER)
    second = accounts.reset_password(app, "ana@example.org", SERVER)
    with pytest.raises(NotFound):
        accounts.accept_invitation(app, _token(first), "a brand new passphrase")
    accounts.accept_invitation(app, _token(second), "a brand new passphrase")
    assert accounts.log_in(app, "ana@example.org", "a brand new passphrase", address=HERE)
    with pytest.raises(NotSignedIn):
        accounts.log_in(app, "ana@example.org", PASSWORD, address=HERE)


def test_a_reset_for_nobody_writes_nothing(app: AppContext) -> None:
    with pytest.raises(NotFound):
        accounts.reset_password(app, "nobody@example.org", SERVER)


def test_a_disabled_account_cannot_log_in_or_use_its_link(app: AppContext) -> None:
    _add(app)
    link = accounts.reset_password(app, "ana@example.org", SERVER)
    assert not accounts.disable_account(app, "ana@example.org").active
    with pytest.raises(NotSignedIn) as caught:
        accounts.log_in(app, "ana@example.org", PASSWORD, address=HERE)
    assert str(caught.value) == WRONG_LOGIN
    with pytest.raises(NotFound):
        accounts.accept_invitation(app, _token(link), "a brand new passphrase")


def test_wrong_logins_all_say_the_same(app: AppContext) -> None:
    _add(app)
    said = set()
    for email, password in [
        ("ana@example.org", "not the password!"),
        ("nobody@example.org", PASSWORD),
        ("not an address", PASSWORD),
    ]:
        with pytest.raises(NotSignedIn) as caught:
            accounts.log_in(app, email, password, address=HERE)
        said.add(str(caught.value))
    assert said == {WRONG_LOGIN}


def test_an_account_is_throttled_after_its_failures(app: AppContext, clock: FixedClock) -> None:
    _add(app)
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(NotSignedIn):
            accounts.log_in(
                app, "ana@example.org", "wrong password", address=f"198.51.100.{attempt}"
            )
    with pytest.raises(TooManyTries):  # even the right password, from a new address
        accounts.log_in(app, "ana@example.org", PASSWORD, address="203.0.113.9")
    clock.advance(LOGIN_WINDOW.total_seconds() - 1)
    with pytest.raises(TooManyTries):
        accounts.log_in(app, "ana@example.org", PASSWORD, address="203.0.113.9")
    clock.advance(1)
    assert accounts.log_in(app, "ana@example.org", PASSWORD, address="203.0.113.9")


def test_an_address_is_throttled_across_accounts(app: AppContext) -> None:
    _add(app)
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(NotSignedIn):
            accounts.log_in(app, f"guess{attempt}@example.org", "wrong password", address=HERE)
    with pytest.raises(TooManyTries):
        accounts.log_in(app, "ana@example.org", PASSWORD, address=HERE)
    assert accounts.log_in(app, "ana@example.org", PASSWORD, address="203.0.113.9")


def test_a_right_password_clears_the_account_count(app: AppContext) -> None:
    _add(app)
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(NotSignedIn):
            accounts.log_in(app, "ana@example.org", "wrong password", address=HERE)
    accounts.log_in(app, "ana@example.org", PASSWORD, address=HERE)
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(NotSignedIn):
            accounts.log_in(app, "ana@example.org", "wrong password", address=HERE)
    assert accounts.log_in(app, "ana@example.org", PASSWORD, address=HERE)


def test_two_processes_on_one_database_count_the_same_failures(
    app: AppContext, clock: FixedClock
) -> None:
    """The throttle lives in the database: a second app on it sees the first's failures."""
    _add(app)
    other = AppContext(app.settings, clock)
    try:
        for index in range(MAX_FAILURES_PER_ACCOUNT):
            either = app if index % 2 else other
            with pytest.raises(NotSignedIn):
                accounts.log_in(either, "ana@example.org", "wrong password", address=HERE)
        with pytest.raises(TooManyTries):
            accounts.log_in(other, "ana@example.org", PASSWORD, address=HERE)
    finally:
        other.close()


# A new password, and logging out everywhere


NEW_PASSWORD = "another long passphrase"  # noqa: S105


def test_a_new_password_ends_every_other_login(app: AppContext) -> None:
    _add(app)
    _add(app, "bo@example.org")
    ana = app.store.account("ana@example.org")
    this, other = accounts.start_session(app, ana), accounts.start_session(app, ana)
    bo = accounts.start_session(app, app.store.account("bo@example.org"))
    accounts.change_password(app, ana, PASSWORD, NEW_PASSWORD, address=HERE, token=this)
    assert accounts.signed_in(app, this) == ana
    assert accounts.signed_in(app, bo).email == "bo@example.org"
    with pytest.raises(NotSignedIn):
        accounts.signed_in(app, other)
    with pytest.raises(NotSignedIn):
        accounts.log_in(app, ana.email, PASSWORD, address=HERE)
    assert accounts.log_in(app, ana.email, NEW_PASSWORD, address=HERE) == ana


def test_a_wrong_current_password_is_a_failed_login(app: AppContext, clock: FixedClock) -> None:
    _add(app)
    ana = app.store.account("ana@example.org")
    token = accounts.start_session(app, ana)
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(BadInput, match="your current password is not right"):
            accounts.change_password(
                app, ana, "not the password", NEW_PASSWORD, address=HERE, token=token
            )
    with pytest.raises(TooManyTries):
        accounts.change_password(app, ana, PASSWORD, NEW_PASSWORD, address=HERE, token=token)
    with pytest.raises(TooManyTries):
        accounts.log_in(app, ana.email, PASSWORD, address="198.51.100.7")
    clock.advance(LOGIN_WINDOW.total_seconds())
    accounts.change_password(app, ana, PASSWORD, NEW_PASSWORD, address=HERE, token=token)


def test_a_new_password_against_the_rules_changes_and_counts_nothing(app: AppContext) -> None:
    _add(app)
    ana = app.store.account("ana@example.org")
    token = accounts.start_session(app, ana)
    other = accounts.start_session(app, ana)
    with pytest.raises(BadInput, match="too short"):
        accounts.change_password(app, ana, "not the password", "short", address=HERE, token=token)
    assert app.store.login_failures_since(ana.email, HERE, LOGIN_WINDOW_START) == (0, 0)
    assert accounts.signed_in(app, other) == ana
    assert accounts.log_in(app, ana.email, PASSWORD, address=HERE) == ana


def test_logging_out_everywhere_ends_only_that_accounts_logins(app: AppContext) -> None:
    _add(app)
    _add(app, "bo@example.org")
    ana = app.store.account("ana@example.org")
    tokens = [accounts.start_session(app, ana) for _ in range(3)]
    bo = accounts.start_session(app, app.store.account("bo@example.org"))
    accounts.end_all_sessions(app, ana)
    for token in tokens:
        with pytest.raises(NotSignedIn):
            accounts.signed_in(app, token)
    assert accounts.signed_in(app, bo).email == "bo@example.org"
