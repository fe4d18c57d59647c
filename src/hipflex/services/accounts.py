"""Team mode's accounts: add, list, disable, invitations, passwords and logins.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, RFC 9106's second
recommended option: 64 MiB, 3 passes); an invitation's token only as its SHA-256. Failed
logins are counted in the database, so every app process on it throttles alike."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from hipflex.domain.accounts import (
    LOGIN_WINDOW,
    MAX_EMAIL_LENGTH,
    SESSION_LIFETIME,
    Account,
    Role,
    check_new_password,
    invitation_expires,
    login_allowed,
    normalise_email,
)
from hipflex.domain.errors import BadInput, NotSignedIn, TooManyTries
from hipflex.domain.plurals import counted
from hipflex.services import data
from hipflex.services.context import AppContext

if TYPE_CHECKING:
    from argon2 import PasswordHasher

#: Where an invitation link points, under the server's address.
INVITATION_PATH = "/invitations/"
#: The same words for an unknown address, a wrong password and a disabled account: the
#: answer must not tell which addresses have accounts.
WRONG_LOGIN = "the e-mail address or the password is not right"


@cache
def _hasher() -> PasswordHasher:
    """argon2's hasher, imported on first use (listing the accounts hashes nothing)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _stand_in_hash() -> str:
    """A hash no password is checked against for real (an address without an account)."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The password's argon2id hash, after the password rules (BadInput otherwise)."""
    return _hasher().hash(check_new_password(password))


def _token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewAccount:
    account: Account
    #: The one-time link to set a password (None when a password was given).
    invitation_link: str | None


def invite(app: AppContext, email: str, server_url: str) -> str:
    """A new one-time invitation link for the account (an older open one stops working)."""
    token = secrets.token_urlsafe(32)
    now = app.clock.now()
    app.store.add_invitation(
        email,
        token_sha256=_token_sha256(token),
        issued_at=now,
        expires_at=invitation_expires(now),
    )
    return f"{server_url.rstrip('/')}{INVITATION_PATH}{token}"


def add_account(
    app: AppContext,
    email: str,
    role: Role,
    *,
    password: str | None,
    server_url: str,
    adopt_existing_data: bool = False,
) -> NewAccount:
    """Add an account with a password, or without one and with an invitation link;
    `adopt_existing_data` gives it the single-user store's data (nothing is copied or
    lost: the rows only change owner)."""
    address = normalise_email(email)
    hashed = hash_password(password) if password is not None else None
    account = app.store.add_account(
        address,
        role,
        password_hash=hashed,
        at=app.clock.now(),
        adopt_unowned=adopt_existing_data,
    )
    link = None if password is not None else invite(app, address, server_url)
    return NewAccount(account, link)


def accounts(app: AppContext) -> list[Account]:
    """Every account but the removed ones (erased, kept only as other people's records
    name them)."""
    return [account for account in app.store.accounts() if not account.removed]


def disable_account(app: AppContext, email: str) -> Account:
    return app.store.disable_account(normalise_email(email), at=app.clock.now())


def reset_password(app: AppContext, email: str, server_url: str) -> str:
    """A new invitation link for the account to set a new password (the old password
    keeps working until then)."""
    address = normalise_email(email)
    app.store.account(address)  # NotFound before anything is written
    return invite(app, address, server_url)


def accept_invitation(app: AppContext, token: str, password: str) -> Account:
    """Set the password through an invitation link's token (once, before it expires)."""
    hashed = hash_password(password)
    return app.store.use_invitation(_token_sha256(token), hashed, at=app.clock.now())


def invitation_email(app: AppContext, token: str) -> str | None:
    """Whose an invitation link is, while it still works (None: used, expired, replaced
    or never issued; which one is not said)."""
    return app.store.invitation_email(_token_sha256(token), at=app.clock.now())


def log_in(app: AppContext, email: str, password: str, *, address: str) -> Account:
    """The active account whose password this is; NotSignedIn otherwise (the same words
    whatever the reason), TooManyTries after too many failures lately for the account or
    from the address (a right password is not even checked then)."""
    now = app.clock.now()
    try:
        key = normalise_email(email)
    except BadInput:
        key = email.strip().lower()[:MAX_EMAIL_LENGTH]
    failures = app.store.login_failures_since(key, address, now - LOGIN_WINDOW)
    if not login_allowed(*failures):
        minutes = int(LOGIN_WINDOW.total_seconds() // 60)
        msg = f"too many failed logins lately: wait {minutes} minutes, then try again"
        raise TooManyTries(msg)
    stored = app.store.password_hash(key)
    # An unknown address costs a hash check too: the time taken tells nothing either.
    right = _matches(stored or _stand_in_hash(), password)
    account = app.store.account(key) if right and stored is not None else None
    if account is None or not account.active:
        app.store.prune_login_failures(now - LOGIN_WINDOW)
        app.store.add_login_failure(key, address, at=now)
        raise NotSignedIn(WRONG_LOGIN)
    app.store.clear_login_failures(key)
    if stored is not None and _hasher().check_needs_rehash(stored):
        app.store.set_password_hash(key, _hasher().hash(password))
    return account


def _matches(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# Logins (web sessions): the cookie holds a random token; the database only its SHA-256.


def start_session(app: AppContext, account: Account) -> str:
    """A new login's token for the cookie (good for SESSION_LIFETIME, or until revoked)."""
    token = secrets.token_urlsafe(32)
    now = app.clock.now()
    app.store.add_web_session(
        account.id, token_sha256=_token_sha256(token), at=now, expires_at=now + SESSION_LIFETIME
    )
    return token


def signed_in(app: AppContext, token: str | None) -> Account:
    """The account a session token belongs to; NotSignedIn for no token, an unknown,
    expired or revoked one, or a disabled account."""
    account = (
        app.store.web_session_account(_token_sha256(token), at=app.clock.now()) if token else None
    )
    if account is None:
        msg = "log in first"
        raise NotSignedIn(msg)
    return account


def end_session(app: AppContext, token: str | None) -> None:
    """Log out: the token stops working at once, in every app process."""
    if token:
        app.store.revoke_web_session(_token_sha256(token), at=app.clock.now())


#: Said when the password given again is not the account's (it counts as a failed login).
NOT_THE_CURRENT_ONE = "your current password is not right"
NOT_RIGHT_NOTHING_ERASED = "your password is not right: nothing was erased"


def change_password(
    app: AppContext, account: Account, current: str, new: str, *, address: str, token: str
) -> None:
    """Set a new password after checking the current one the way a login does (a wrong
    one counts as a failed login, and too many stop both); every other login of the
    account ends, the one with `token` goes on."""
    check_new_password(new)
    _check_password(app, account, current, address=address, wrong=NOT_THE_CURRENT_ONE)
    app.store.set_password_hash(account.email, hash_password(new))
    app.store.revoke_web_sessions(account.id, at=app.clock.now(), keep=_token_sha256(token))


def _check_password(
    app: AppContext, account: Account, password: str, *, address: str, wrong: str
) -> None:
    """The account's password, checked the way a login is: a wrong one counts as a
    failed login (BadInput with `wrong`), and too many stop both (TooManyTries)."""
    try:
        log_in(app, account.email, password, address=address)
    except NotSignedIn as error:
        raise BadInput(wrong) from error


def end_all_sessions(app: AppContext, account: Account) -> None:
    """Log out everywhere: every login of the account stops working at once."""
    app.store.revoke_web_sessions(account.id, at=app.clock.now())


# Erasing: a person's own data (the web's /account), or an account and its data (the
# operator's `hipflex users erase`)


@dataclass(frozen=True)
class Erasure:
    """What erasing an account's data takes (or took): its own records, and the notes
    clinicians left for it."""

    account: Account
    records: data.Snapshot
    clinician_notes: int
    #: Other people's records (a clinician's notes for members, the members' audit
    #: trails) name the account, so its row stays as a removed account.
    kept_as_removed: bool = False

    def described(self) -> str:
        """E.g. "2 assessments and your preferences; and 1 note from clinicians"."""
        own = data.describe(self.records)
        if not self.clinician_notes:
            return own
        notes = f"{counted(self.clinician_notes, 'note')} from clinicians"
        return notes if own == "nothing" else f"{own}; and {notes}"


def _erasure(app: AppContext, account: Account) -> Erasure:
    theirs = app.for_account(account.id)
    return Erasure(account, data.snapshot(theirs), len(theirs.store.clinician_notes()))


def erase_own_data(app: AppContext, account: Account, password: str, *, address: str) -> Erasure:
    """Delete everything the account owns (data.erase on its own store: its records, the
    notes clinicians left it, its shares and its audit trail), after its password checked
    the way a login is, so a stolen login is not enough. The account and its logins stay:
    the person goes on with an empty app."""
    _check_password(app, account, password, address=address, wrong=NOT_RIGHT_NOTHING_ERASED)
    before = _erasure(app, account)
    data.erase(app.for_account(account.id))
    return before


def erasure_of(app: AppContext, email: str) -> Erasure:
    """What `erase_account` would delete, for the operator to confirm."""
    return _erasure(app, app.store.account(normalise_email(email)))


def erase_account(app: AppContext, email: str) -> Erasure:
    """Delete the account, its logins, invitations and shares both ways, and all its data
    (as erase_own_data), in one transaction. A clinician's notes for members and the
    members' record of what they read stay with the members, shown as from a removed
    account."""
    before = erasure_of(app, email)
    _, kept = app.store.remove_account(before.account.email, at=app.clock.now())
    return dataclasses.replace(before, kept_as_removed=kept)
