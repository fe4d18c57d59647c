"""Team mode's account tables: accounts, invitations, failed logins."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from hipflex.domain.accounts import (
    Account,
    AuditAction,
    AuditEntry,
    Role,
    Share,
    removed_address,
    shown_address,
)
from hipflex.domain.errors import Conflict, NotFound
from hipflex.store import rows
from hipflex.store.models import (
    AccountRow,
    AuditRow,
    ClinicianNoteRow,
    InvitationRow,
    LoginFailureRow,
    ShareRow,
    WebSessionRow,
)
from hipflex.store.owners import owned_tables, owner_clause


def _row_for(session: Session, email: str) -> AccountRow:
    row = session.scalars(select(AccountRow).where(AccountRow.email == email)).one_or_none()
    if row is None:
        msg = f"there is no account for {email}"
        raise NotFound(msg)
    return row


def _revoke_sessions(
    session: Session, account_id: int, *, at: datetime, keep: str | None = None
) -> None:
    """End the account's open sessions (in the caller's transaction), but the one whose
    token has the SHA-256 `keep`."""
    open_ones = [WebSessionRow.account_id == account_id, WebSessionRow.revoked_at.is_(None)]
    if keep is not None:
        open_ones.append(WebSessionRow.token_sha256 != keep)
    session.execute(update(WebSessionRow).where(*open_ones).values(revoked_at=at))


def erase_person(session: Session, owner: int | None) -> None:
    """Delete every row of the owner's data, in the caller's transaction: the owned
    tables (the notes clinicians left them included) and, for an account, its shares as
    a member and its audit trail (the record of who read their data is theirs). Core
    statements on the connection: no owner binding can narrow them."""
    connection = session.connection()
    for table in reversed(owned_tables()):
        connection.execute(table.delete().where(owner_clause(table, owner)))
    if owner is not None:
        for column in (ShareRow.__table__.c.member_id, AuditRow.__table__.c.member_id):
            connection.execute(column.table.delete().where(column == owner))


def _named_by_others(session: Session, account_id: int) -> bool:
    """Whether other people's records name the account: notes it wrote for members, or
    their audit trails' entries of what it read or did."""
    notes, audit = ClinicianNoteRow.__table__.c, AuditRow.__table__.c
    connection = session.connection()
    return any(
        connection.scalar(select(column).where(column == account_id).limit(1)) is not None
        for column in (notes.author_id, audit.actor_id)
    )


class AccountStore:
    """Accounts by their (normalised) e-mail address; passwords only as hashes."""

    def _writing(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[Session]:  # pragma: no cover - Store's
        raise NotImplementedError

    def add_account(
        self,
        email: str,
        role: Role,
        *,
        password_hash: str | None,
        at: datetime,
        adopt_unowned: bool = False,
    ) -> Account:
        """A new account; with `adopt_unowned`, the single-user store's data (every row
        with no owner) becomes its own, in the same transaction."""
        with self._writing() as session:
            taken = session.scalar(select(AccountRow.id).where(AccountRow.email == email))
            if taken is not None:
                msg = f"there is already an account for {email}"
                raise Conflict(msg)
            row = AccountRow(email=email, role=role.value, password_hash=password_hash)
            row.created_at = at
            session.add(row)
            session.flush()
            if adopt_unowned:
                for table in owned_tables():
                    session.execute(
                        update(table).where(owner_clause(table, None)).values(account_id=row.id)
                    )
            return rows.account(row)

    def accounts(self) -> list[Account]:
        """Every account, oldest first."""
        with self._reading() as session:
            found = session.scalars(select(AccountRow).order_by(AccountRow.id))
            return [rows.account(row) for row in found]

    def account(self, email: str) -> Account:
        with self._reading() as session:
            return rows.account(_row_for(session, email))

    def password_hash(self, email: str) -> str | None:
        """The account's stored hash (None: no password yet, or no such account)."""
        with self._reading() as session:
            return session.scalar(select(AccountRow.password_hash).where(AccountRow.email == email))

    def set_password_hash(self, email: str, password_hash: str) -> None:
        with self._writing() as session:
            _row_for(session, email).password_hash = password_hash

    def disable_account(self, email: str, *, at: datetime) -> Account:
        """Disable the account (kept, with its data) and void its open invitations."""
        with self._writing() as session:
            row = _row_for(session, email)
            if row.disabled_at is None:
                row.disabled_at = at
            _revoke_sessions(session, row.id, at=at)
            session.execute(
                delete(InvitationRow).where(
                    InvitationRow.account_id == row.id, InvitationRow.used_at.is_(None)
                )
            )
            return rows.account(row)

    def remove_account(self, email: str, *, at: datetime) -> tuple[Account, bool]:
        """Erase the account and all its data in one transaction: its own rows (as
        erase_person), its logins, invitations, failed logins and shares both ways. Its
        row goes too, unless other people's records name it (a clinician's notes and
        reads): then it stays with no address, no password, disabled, and the second
        value is True."""
        with self._writing() as session:
            row = _row_for(session, email)
            account = rows.account(row)
            erase_person(session, row.id)
            connection = session.connection()
            for column in (
                ShareRow.__table__.c.clinician_id,
                InvitationRow.__table__.c.account_id,
                WebSessionRow.__table__.c.account_id,
            ):
                connection.execute(column.table.delete().where(column == row.id))
            failures = LoginFailureRow.__table__.c.email
            connection.execute(failures.table.delete().where(failures == row.email))
            kept = _named_by_others(session, row.id)
            if kept:
                row.email = removed_address(row.id)
                row.password_hash = None
                row.disabled_at = row.disabled_at or at
            else:
                session.delete(row)
            return account, kept

    # Invitations

    def add_invitation(
        self, email: str, *, token_sha256: str, issued_at: datetime, expires_at: datetime
    ) -> None:
        """A new invitation for the account; any earlier one still open is voided."""
        with self._writing() as session:
            row = _row_for(session, email)
            session.execute(
                delete(InvitationRow).where(
                    InvitationRow.account_id == row.id, InvitationRow.used_at.is_(None)
                )
            )
            invitation = InvitationRow(account_id=row.id, token_sha256=token_sha256)
            invitation.issued_at, invitation.expires_at = issued_at, expires_at
            session.add(invitation)

    def use_invitation(self, token_sha256: str, password_hash: str, *, at: datetime) -> Account:
        """Set the password of an open, unexpired invitation's active account, once;
        NotFound for any other token (which reason is not said)."""
        with self._writing() as session:
            invitation = session.scalars(
                select(InvitationRow)
                .where(InvitationRow.token_sha256 == token_sha256)
                .with_for_update()
            ).one_or_none()
            account = session.get(AccountRow, invitation.account_id) if invitation else None
            if (
                invitation is None
                or account is None
                or invitation.used_at is not None
                or invitation.expires_at <= at
                or account.disabled_at is not None
            ):
                msg = (
                    "this invitation link is not valid: it was used, it expired, or it was replaced"
                )
                raise NotFound(msg)
            invitation.used_at = at
            account.password_hash = password_hash
            return rows.account(account)

    def invitation_email(self, token_sha256: str, *, at: datetime) -> str | None:
        """The address of an open, unexpired invitation's active account; None for any
        other token (the same test as use_invitation, which sets the password)."""
        with self._reading() as session:
            return session.scalar(
                select(AccountRow.email)
                .join(InvitationRow, InvitationRow.account_id == AccountRow.id)
                .where(
                    InvitationRow.token_sha256 == token_sha256,
                    InvitationRow.used_at.is_(None),
                    InvitationRow.expires_at > at,
                    AccountRow.disabled_at.is_(None),
                )
            )

    # Failed logins

    def add_login_failure(self, email: str, address: str, *, at: datetime) -> None:
        with self._writing() as session:
            row = LoginFailureRow(email=email, address=address)
            row.at = at
            session.add(row)

    def login_failures_since(self, email: str, address: str, since: datetime) -> tuple[int, int]:
        """Failed logins after `since`: (for this account, from this address)."""
        with self._reading() as session:
            recent = LoginFailureRow.at > since
            for_account = session.scalar(
                select(func.count()).where(recent, LoginFailureRow.email == email)
            )
            for_address = session.scalar(
                select(func.count()).where(recent, LoginFailureRow.address == address)
            )
            return int(for_account or 0), int(for_address or 0)

    def clear_login_failures(self, email: str) -> None:
        """Forget the account's failures (its right password was given)."""
        with self._writing() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.email == email))

    def prune_login_failures(self, before: datetime) -> None:
        """Forget every failure at or before `before` (outside any window that counts)."""
        with self._writing() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= before))

    # Logins (web sessions)

    def add_web_session(
        self, account_id: int, *, token_sha256: str, at: datetime, expires_at: datetime
    ) -> None:
        with self._writing() as session:
            row = WebSessionRow(account_id=account_id, token_sha256=token_sha256)
            row.created_at, row.expires_at = at, expires_at
            session.add(row)

    def web_session_account(self, token_sha256: str, *, at: datetime) -> Account | None:
        """The active account of an open, unexpired session; None for any other token."""
        with self._reading() as session:
            row = session.scalars(
                select(AccountRow)
                .join(WebSessionRow, WebSessionRow.account_id == AccountRow.id)
                .where(
                    WebSessionRow.token_sha256 == token_sha256,
                    WebSessionRow.revoked_at.is_(None),
                    WebSessionRow.expires_at > at,
                    AccountRow.disabled_at.is_(None),
                )
            ).one_or_none()
            return None if row is None else rows.account(row)

    def revoke_web_session(self, token_sha256: str, *, at: datetime) -> None:
        with self._writing() as session:
            session.execute(
                update(WebSessionRow)
                .where(
                    WebSessionRow.token_sha256 == token_sha256,
                    WebSessionRow.revoked_at.is_(None),
                )
                .values(revoked_at=at)
            )

    def revoke_web_sessions(
        self, account_id: int, *, at: datetime, keep: str | None = None
    ) -> None:
        """End every open session of the account at once, but the one whose token has the
        SHA-256 `keep` (the one asking, after a password change)."""
        with self._writing() as session:
            _revoke_sessions(session, account_id, at=at, keep=keep)

    # Consent: a member shares their data with a clinician

    def add_share(self, member_id: int, clinician_email: str, *, at: datetime) -> Share:
        """Share with an active clinician's account; NotFound when the address names
        none, Conflict when it is shared already."""
        with self._writing() as session:
            clinician = session.scalars(
                select(AccountRow).where(
                    AccountRow.email == clinician_email,
                    AccountRow.role == Role.CLINICIAN.value,
                    AccountRow.disabled_at.is_(None),
                )
            ).one_or_none()
            if clinician is None:
                msg = f"there is no clinician with the address {clinician_email}"
                raise NotFound(msg)
            already = session.scalar(
                select(ShareRow.id).where(
                    ShareRow.member_id == member_id,
                    ShareRow.clinician_id == clinician.id,
                    ShareRow.revoked_at.is_(None),
                )
            )
            if already is not None:
                msg = f"you already share with {clinician_email}"
                raise Conflict(msg)
            row = ShareRow(member_id=member_id, clinician_id=clinician.id)
            row.created_at = at
            session.add(row)
            session.flush()
            return Share(row.id, clinician.email, at)

    def shares(self, member_id: int) -> list[Share]:
        """The member's shares still in force, oldest first."""
        with self._reading() as session:
            found = session.execute(
                select(ShareRow, AccountRow.email)
                .join(AccountRow, AccountRow.id == ShareRow.clinician_id)
                .where(ShareRow.member_id == member_id, ShareRow.revoked_at.is_(None))
                .order_by(ShareRow.id)
            )
            return [Share(row.id, email, row.created_at) for row, email in found]

    def revoke_share(self, member_id: int, share_id: int, *, at: datetime) -> None:
        """End one of the member's shares at once; NotFound for any other id."""
        with self._writing() as session:
            done = session.execute(
                update(ShareRow)
                .where(
                    ShareRow.id == share_id,
                    ShareRow.member_id == member_id,
                    ShareRow.revoked_at.is_(None),
                )
                .values(revoked_at=at)
            )
            if not getattr(done, "rowcount", 0):
                msg = f"you have no share {share_id}"
                raise NotFound(msg)

    def shares_with(self, member_id: int, clinician_id: int) -> bool:
        """Whether the member, still active, shares with this clinician now."""
        with self._reading() as session:
            return (
                session.scalar(
                    select(ShareRow.id)
                    .join(AccountRow, AccountRow.id == ShareRow.member_id)
                    .where(
                        ShareRow.member_id == member_id,
                        ShareRow.clinician_id == clinician_id,
                        ShareRow.revoked_at.is_(None),
                        AccountRow.disabled_at.is_(None),
                    )
                )
                is not None
            )

    def sharing_members(self, clinician_id: int) -> list[Account]:
        """The active members who share with this clinician now, by address."""
        with self._reading() as session:
            found = session.scalars(
                select(AccountRow)
                .join(ShareRow, ShareRow.member_id == AccountRow.id)
                .where(
                    ShareRow.clinician_id == clinician_id,
                    ShareRow.revoked_at.is_(None),
                    AccountRow.disabled_at.is_(None),
                )
                .order_by(AccountRow.email)
            )
            return [rows.account(row) for row in found]

    # The audit trail: only ever added to (no method changes or removes an entry)

    def add_audit(
        self, member_id: int, actor_id: int, action: AuditAction, *, at: datetime
    ) -> None:
        with self._writing() as session:
            row = AuditRow(member_id=member_id, actor_id=actor_id, action=action.value)
            row.at = at
            session.add(row)

    def audit(self, member_id: int) -> list[AuditEntry]:
        """Who read or acted on the member's data, newest first."""
        actor = aliased(AccountRow)
        with self._reading() as session:
            found = session.execute(
                select(AuditRow, actor.email)
                .join(actor, actor.id == AuditRow.actor_id)
                .where(AuditRow.member_id == member_id)
                .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            )
            return [
                AuditEntry(shown_address(email), AuditAction(row.action), row.at)
                for row, email in found
            ]
