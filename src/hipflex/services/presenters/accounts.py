"""Accounts as JSON: `hipflex users list --json` (and the team server's admin API)."""

from __future__ import annotations

from collections.abc import Sequence

from hipflex.domain.accounts import Account, Role
from hipflex.services.accounts import Erasure
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


class ErasedOut(Out):
    """Team mode: what erasing your data deleted. `records`: how many of each kind (keys
    as in the JSON export); `clinician_notes`: the notes clinicians left you; `summary`:
    the same in words. Your shares and your audit trail went too; the account stays."""

    records: dict[str, int]
    clinician_notes: int
    summary: str


def erased_model(erasure: Erasure) -> ErasedOut:
    return ErasedOut(
        records=erasure.records.counts(),
        clinician_notes=erasure.clinician_notes,
        summary=erasure.described(),
    )
