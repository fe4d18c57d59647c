"""Accounts as JSON: `hipflex users list --json` (and the team server's admin API)."""

from __future__ import annotations

from collections.abc import Sequence

from hipflex.domain.accounts import Account, Role
from hipflex.services.presenters.common import Moment, Out


class AccountOut(Out):
    id: int
    email: str
    role: Role
    created_at: Moment
    #: False until the person has chosen a password through their invitation.
    has_password: bool
    active: bool
    disabled_at: Moment | None


class AccountsOut(Out):
    accounts: list[AccountOut]


def account_model(account: Account) -> AccountOut:
    return AccountOut(
        id=account.id,
        email=account.email,
        role=account.role,
        created_at=account.created_at,
        has_password=account.has_password,
        active=account.active,
        disabled_at=account.disabled_at,
    )


def accounts_model(accounts: Sequence[Account]) -> AccountsOut:
    return AccountsOut(accounts=[account_model(account) for account in accounts])


class LoggedInOut(Out):
    """Team mode: who is logged in now (the session cookie is set with this answer)."""

    email: str
    role: Role


class LoggedOutOut(Out):
    logged_in: bool


def logged_in_model(account: Account) -> LoggedInOut:
    return LoggedInOut(email=account.email, role=account.role)
