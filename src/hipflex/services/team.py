"""Team mode between people: a member's consent for a clinician, the clinician's view of
the members who share, and the audit trail each member can read (DESIGN.md habit 17: a
clinician's store is built only here, through the consent check that writes the audit
entry)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from hipflex.domain import aggregate
from hipflex.domain.accounts import (
    Account,
    AuditAction,
    AuditEntry,
    ClinicianNote,
    Role,
    Share,
    normalise_email,
)
from hipflex.domain.assessment import RecordedAssessment
from hipflex.domain.errors import Forbidden, NoAssessment, NotFound
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import Clearance, PainVerdict, check_note
from hipflex.services import tracking
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


def require_clinician(account: Account) -> None:
    if account.role is not Role.CLINICIAN:
        msg = "only a clinician's account can see the people who share with it"
        raise Forbidden(msg)


def member_context(
    app: AppContext, clinician: Account, member_id: int, action: AuditAction
) -> AppContext:
    """The member's data, for a clinician they share with now; the read is recorded in
    the member's audit trail first. NotFound for anyone else (whether the person exists
    is not said)."""
    require_clinician(clinician)
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
    latest_test: RecordedAssessment | None = None  # the block's newest test, both sides

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
        latest_test=view.tests[-1] if view.tests else None,
    )


def members(app: AppContext, clinician: Account) -> list[MemberSummary]:
    """The members who share with the clinician now, safety first (red flags, sharp
    pain, pain worse, paused exercises), then by address; each read is audited."""
    require_clinician(clinician)
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


def clear_exercise(
    app: AppContext, clinician: Account, member_id: int, exercise_id: ExerciseId
) -> Clearance:
    """The clinician has checked an exercise paused after sharp pain: it comes back to
    the member's plan (as `hipflex log checked` does for one person). Audited when asked,
    before it is done; BadInput when the exercise is not paused."""
    theirs = member_context(app, clinician, member_id, AuditAction.CLEARED_EXERCISE)
    return tracking.clear_exercise(theirs, exercise_id)


def leave_note(app: AppContext, clinician: Account, member_id: int, text: str) -> ClinicianNote:
    """A note from the clinician that the member sees; the text is checked before the
    consent check writes the audit entry, so a refused text leaves no entry."""
    require_clinician(clinician)
    cleaned = check_note(text)
    theirs = member_context(app, clinician, member_id, AuditAction.WROTE_NOTE)
    return theirs.store.add_clinician_note(clinician.id, cleaned, at=app.clock.now())


def notes_written(app: AppContext, clinician: Account, member_id: int) -> list[ClinicianNote]:
    """The notes this clinician left for the member (not other clinicians'), newest first."""
    theirs = member_context(app, clinician, member_id, AuditAction.READ_NOTES)
    return theirs.store.clinician_notes(author_id=clinician.id)


def notes_for_me(app: AppContext) -> list[ClinicianNote]:
    """The notes clinicians left for the account `app` is bound to, newest first (none
    in single-user mode)."""
    return app.store.clinician_notes()


def require_admin(account: Account) -> None:
    if account.role is not Role.ADMIN:
        msg = "only an admin's account can see the team's totals"
        raise Forbidden(msg)


def team_summary(app: AppContext, admin: Account) -> aggregate.TeamSummary:
    """How many accounts there are and are active, and the sessions done each week,
    across the whole team; every figure about fewer than MIN_GROUP_SIZE people is
    withheld. About no one person, so not in anyone's audit trail."""
    require_admin(admin)
    now = app.clock.now()
    starts = aggregate.week_starts(now)
    first = datetime.combine(starts[0], time(), tzinfo=UTC)
    accounts, active, sessions = app.store.team_counts(
        active_since=now - aggregate.ACTIVE_WINDOW, sessions_since=first
    )
    return aggregate.summary(accounts, active, sessions, now)


@dataclass(frozen=True)
class MemberPage:
    """One member's page for a clinician: their progress (None before their first
    assessment) and the notes this clinician left them."""

    account: Account
    view: ProgressView | None
    notes: list[ClinicianNote]


def member_page(app: AppContext, clinician: Account, member_id: int) -> MemberPage:
    """Read once, audited once (as a read of their progress)."""
    theirs = member_context(app, clinician, member_id, AuditAction.READ_PROGRESS)
    account = next((a for a in app.store.sharing_members(clinician.id) if a.id == member_id), None)
    if account is None:  # the share ended a moment ago
        msg = f"nobody with id {member_id} shares their data with you"
        raise NotFound(msg)
    try:
        view: ProgressView | None = progress(theirs)
    except NoAssessment:
        view = None
    return MemberPage(account, view, theirs.store.clinician_notes(author_id=clinician.id))
