"""Team mode's account rules: addresses, password lengths, invitation lifetime and the
login throttle's limits (the numbers issue 13 and the threat model rely on)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.accounts import (
    INVITATION_LIFETIME,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    REMOVED_ACCOUNT,
    check_new_password,
    invitation_expires,
    login_allowed,
    normalise_email,
    password_problem,
    removed_address,
    shown_address,
)
from hipflex.domain.errors import BadInput


def test_the_published_numbers() -> None:
    assert MIN_PASSWORD_LENGTH == 12
    assert timedelta(days=7) == INVITATION_LIFETIME
    assert (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS) == (5, 20)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Ana@Example.org", "ana@example.org"),
        ("  b.c+hip@clinic.co.uk ", "b.c+hip@clinic.co.uk"),
    ],
)
def test_addresses_are_kept_trimmed_and_in_lower_case(given: str, kept: str) -> None:
    assert normalise_email(given) == kept


@pytest.mark.parametrize(
    "text", ["", "ana", "ana@", "@example.org", "ana@example", "a b@example.org", "a@b@c.org"]
)
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(BadInput, match="not an e-mail address"):
        normalise_email(text)


def test_an_address_too_long_is_refused() -> None:
    with pytest.raises(BadInput):
        normalise_email("a" * 250 + "@example.org")


@given(st.integers(min_value=0, max_value=MAX_PASSWORD_LENGTH + 5))
def test_a_password_is_accepted_exactly_within_its_lengths(length: int) -> None:
    password = "x" * length
    accepted = MIN_PASSWORD_LENGTH <= length <= MAX_PASSWORD_LENGTH
    assert (password_problem(password) is None) is accepted
    if not accepted:
        with pytest.raises(BadInput):
            check_new_password(password)


def test_a_password_of_spaces_is_refused() -> None:
    assert password_problem(" " * 20) == "the password is only spaces"


def test_an_invitation_lasts_seven_days() -> None:
    issued = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert invitation_expires(issued) == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_logins_stop_at_either_limit(for_account: int, for_address: int) -> None:
    expected = for_account < MAX_FAILURES_PER_ACCOUNT and for_address < MAX_FAILURES_PER_ADDRESS
    assert login_allowed(for_account, for_address) is expected


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_a_removed_accounts_address_is_never_one_anyone_can_use(account_id: int) -> None:
    """A removed account shows as REMOVED_ACCOUNT, and no command or login takes its
    address (so nobody can add, log in as, share with or erase it)."""
    address = removed_address(account_id)
    assert shown_address(address) == REMOVED_ACCOUNT
    with pytest.raises(BadInput):
        normalise_email(address.upper())
    assert shown_address("ana@example.org") == "ana@example.org"
