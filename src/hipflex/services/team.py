"""Team mode between people: a member's consent for a clinician, the clinician's view of
the members who share, and the audit trail each member can read (DESIGN.md habit 17: a
clinician's store is built only here, through the consent check that writes the audit
entry)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hipflex.domain.accounts import Account, AuditAction, AuditEntry, Role, Share, normalise_email
from hipflex.domain.errors import Forbidden, NoAssessment, NotFound
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import PainVerdict
from hipflex.services.context import AppContext
from hipflex.services.progress import ProgressView, progress
from hipflex.services.timezones import zone_for


def share(app: AppContext, member: Account, clinician_email: str) -> Share:
    """The member lets one clinician see their data, from now until they revoke it."""
    address = normalise_email(clinician_email)
    return app.store.add_share(member.id, address, at=app.clock.now())


def shares(app: AppContext, member: Account) -> list[Share]:
    return app.store.shares(member.id)


def revoke(app: AppContext, member: Account, share_id: int) -> None:
    """End a share at once: the clinician's next request no longer sees the member."""
    app.store.revoke_share(member.id, share_id, at=app.clock.now())


def audit(app: AppContext, member: Account) -> list[AuditEntry]:
    return app.store.audit(member.id)


def audit_for_reading(app: AppContext, member: Account) -> tuple[list[AuditEntry], str]:
    """The audit trail with its times in the member's own time zone, and that zone's
    name (their setting, else the server's): for their page."""
    zone = zone_for(app.for_account(member.id).store.preferences().timezone)
    entries = [replace(entry, at=entry.at.astimezone(zone)) for entry in audit(app, member)]
    return entries, zone.key


def _require_clinician(account: Account) -> None:
    if account.role is not Role.CLINICIAN:
        msg = "only a clinician's account can see the people who share with it"
        raise Forbidden(msg)


def member_context(
    app: AppContext, clinician: Account, member_id: int, action: AuditAction
) -> AppContext:
    """The member's data, for a clinician they share with now; the read is recorded in
    the member's audit trail first. NotFound for anyone else (whether the person exists
    is not said)."""
    _require_clinician(clinician)
    if member_id == clinician.id or not app.store.shares_with(member_id, clinician.id):
        msg = f"nobody with id {member_id} shares their data with you"
        raise NotFound(msg)
    app.store.add_audit(member_id, clinician.id, action, at=app.clock.now())
    return app.for_account(member_id)


@dataclass(frozen=True)
class MemberSummary:
    """One line of the clinician's list: what needs attention first, then how it goes."""

    account: Account
    red_flags: bool
    sharp_pain: int  # sharp-pain reports in the current block
    pain_worse: bool
    paused: frozenset[ExerciseId]
    sessions_done: int
    sessions_planned: int
    verdict: PainVerdict
    assessed: bool

    @property
    def needs_attention(self) -> bool:
        return self.red_flags or self.sharp_pain > 0 or self.pain_worse or bool(self.paused)


def _summary(account: Account, view: ProgressView | None) -> MemberSummary:
    if view is None:
        return MemberSummary(
            account=account,
            red_flags=False,
            sharp_pain=0,
            pain_worse=False,
            paused=frozenset(),
            sessions_done=0,
            sessions_planned=0,
            verdict=PainVerdict.NO_DATA,
            assessed=False,
        )
    return MemberSummary(
        account=account,
        red_flags=any(event.kind == "red_flags" for event in view.safety),
        sharp_pain=sum(event.kind == "sharp_pain" for event in view.safety),
        pain_worse=view.pain.verdict is PainVerdict.WORSE,
        paused=view.paused,
        sessions_done=view.sessions_done,
        sessions_planned=view.sessions_planned,
        verdict=view.pain.verdict,
        assessed=True,
    )


def members(app: AppContext, clinician: Account) -> list[MemberSummary]:
    """The members who share with the clinician now, safety first (red flags, sharp
    pain, pain worse, paused exercises), then by address; each read is audited."""
    _require_clinician(clinician)
    found = []
    for account in app.store.sharing_members(clinician.id):
        theirs = member_context(app, clinician, account.id, AuditAction.LISTED)
        try:
            view: ProgressView | None = progress(theirs)
        except NoAssessment:
            view = None
        found.append(_summary(account, view))
    return sorted(
        found,
        key=lambda s: (
            not s.red_flags,
            -s.sharp_pain,
            not s.pain_worse,
            not s.paused,
            s.account.email,
        ),
    )
