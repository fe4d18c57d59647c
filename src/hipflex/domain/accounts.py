"""Accounts of a team or clinic server (team mode): who someone is, what their role lets
them do, and the rules for passwords, invitations and failed logins. Pure: the store
keeps the rows, the services hash the passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hipflex.domain.errors import BadInput

#: A password shorter than this is refused (NIST SP 800-63B asks for at least 8 when
#: chosen by a person; hipflex asks for a passphrase). The --allow-remote password too.
MIN_PASSWORD_LENGTH = 12
#: Longer is refused: hashing megabytes on every login attempt would be a cheap attack.
MAX_PASSWORD_LENGTH = 1024
#: An address longer than this is not one (RFC 5321's path limit).
MAX_EMAIL_LENGTH = 254
#: An invitation link works this long, then a new one is needed.
INVITATION_LIFETIME = timedelta(days=7)
#: A login lasts this long at most, then the person logs in again (a working day and more).
SESSION_LIFETIME = timedelta(hours=12)
#: Failed logins are counted over this window.
LOGIN_WINDOW = timedelta(minutes=15)
#: Within the window, this many failures for one account stop its logins...
MAX_FAILURES_PER_ACCOUNT = 5
#: ...and this many from one network address stop that address's (several accounts).
MAX_FAILURES_PER_ADDRESS = 20

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

#: An account erased by the operator (`hipflex users erase`) while other people's records
#: still name it (a clinician's notes for members, the members' audit trails) keeps its
#: row under an address at this domain (reserved, RFC 2606: never a real one), with no
#: password, disabled: those records then show it as REMOVED_ACCOUNT.
REMOVED_DOMAIN = "removed.invalid"
REMOVED_ACCOUNT = "a removed account"


class Role(StrEnum):
    """What an account may do: a member keeps their own programme; a clinician also sees
    the members who share with them; an admin manages accounts and sees team totals."""

    MEMBER = "member"
    CLINICIAN = "clinician"
    ADMIN = "admin"


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: Role
    created_at: datetime
    has_password: bool
    disabled_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @property
    def removed(self) -> bool:
        return is_removed(self.email)


def removed_address(account_id: int) -> str:
    """The address an erased account's row keeps, when other people's records name it."""
    return f"removed-{account_id}@{REMOVED_DOMAIN}"


def is_removed(email: str) -> bool:
    return email.endswith("@" + REMOVED_DOMAIN)


def shown_address(email: str) -> str:
    """An account's address as other people's records show it (REMOVED_ACCOUNT once erased)."""
    return REMOVED_ACCOUNT if is_removed(email) else email


def normalise_email(text: str) -> str:
    """The address as accounts are keyed: trimmed and in lower case; BadInput when it is
    not an address."""
    email = text.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email) or is_removed(email):
        msg = f"{text.strip()[:60]!r} is not an e-mail address"
        raise BadInput(msg)
    return email


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used, or None when it can."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "the password is only spaces"
    return None


def check_new_password(password: str) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise BadInput(problem)
    return password


def invitation_expires(issued_at: datetime) -> datetime:
    return issued_at + INVITATION_LIFETIME


def login_allowed(failures_for_account: int, failures_for_address: int) -> bool:
    """Whether a login may be tried, given the failures within LOGIN_WINDOW: a right
    password is not even looked at beyond either limit."""
    return (
        failures_for_account < MAX_FAILURES_PER_ACCOUNT
        and failures_for_address < MAX_FAILURES_PER_ADDRESS
    )


class AuditAction(StrEnum):
    """What someone else did with a member's data."""

    LISTED = "listed"
    READ_PROGRESS = "read_progress"
    READ_REPORT = "read_report"
    CLEARED_EXERCISE = "cleared_exercise"
    WROTE_NOTE = "wrote_note"
    READ_NOTES = "read_notes"


#: Each action in words, after the person's address ("lee@clinic.org read your progress").
AUDIT_WORDS = {
    AuditAction.LISTED: "saw your summary in their list of people",
    AuditAction.READ_PROGRESS: "read your progress",
    AuditAction.READ_REPORT: "downloaded your report",
    # Recorded when asked, before it is done: a refused clear (the exercise was not
    # paused) is in the trail too, so nothing done is ever missing from it.
    AuditAction.CLEARED_EXERCISE: "asked to clear an exercise that was paused after sharp pain",
    AuditAction.WROTE_NOTE: "left you a note",
    AuditAction.READ_NOTES: "read the notes they left you",
}


@dataclass(frozen=True)
class Share:
    """A member's consent: this clinician may see their data until it is revoked."""

    id: int
    clinician_email: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class ClinicianNote:
    """A note a clinician left for a member (kept with the member's data)."""

    id: int
    author_email: str
    at: datetime
    text: str


@dataclass(frozen=True)
class AuditEntry:
    """One read of (or action on) a member's data by someone else."""

    actor_email: str
    action: AuditAction
    at: datetime
