"""Team mode's shares, the clinician's list and the audit trail as JSON."""

from __future__ import annotations

from collections.abc import Sequence

from hipflex.domain.accounts import AUDIT_WORDS, AuditAction, AuditEntry, Share
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import PainVerdict
from hipflex.services.presenters.common import Moment, Out
from hipflex.services.team import MemberSummary


class ShareOut(Out):
    id: int
    clinician_email: str
    created_at: Moment


class SharesOut(Out):
    shares: list[ShareOut]


class MemberOut(Out):
    id: int
    email: str
    #: Red flags, sharp pain, pain worse or a paused exercise: look at this person first.
    needs_attention: bool
    red_flags: bool
    sharp_pain: int
    pain_worse: bool
    paused: list[ExerciseId]
    sessions_done: int
    sessions_planned: int
    verdict: PainVerdict
    #: False until the person has done their first assessment.
    assessed: bool


class MembersOut(Out):
    members: list[MemberOut]


class AuditEntryOut(Out):
    actor_email: str
    action: AuditAction
    #: The action in words, for the member to read.
    words: str
    at: Moment


class AuditOut(Out):
    entries: list[AuditEntryOut]


def share_model(share: Share) -> ShareOut:
    return ShareOut(id=share.id, clinician_email=share.clinician_email, created_at=share.created_at)


def shares_model(shares: Sequence[Share]) -> SharesOut:
    return SharesOut(shares=[share_model(share) for share in shares])


def members_model(members: Sequence[MemberSummary]) -> MembersOut:
    return MembersOut(
        members=[
            MemberOut(
                id=member.account.id,
                email=member.account.email,
                needs_attention=member.needs_attention,
                red_flags=member.red_flags,
                sharp_pain=member.sharp_pain,
                pain_worse=member.pain_worse,
                paused=sorted(member.paused),
                sessions_done=member.sessions_done,
                sessions_planned=member.sessions_planned,
                verdict=member.verdict,
                assessed=member.assessed,
            )
            for member in members
        ]
    )


def audit_model(entries: Sequence[AuditEntry]) -> AuditOut:
    return AuditOut(
        entries=[
            AuditEntryOut(
                actor_email=entry.actor_email,
                action=entry.action,
                words=f"{entry.actor_email} {AUDIT_WORDS[entry.action]}",
                at=entry.at,
            )
            for entry in entries
        ]
    )
