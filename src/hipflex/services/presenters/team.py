"""Team mode's shares, the clinician's list and the audit trail as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hipflex.domain.accounts import AUDIT_WORDS, AuditAction, AuditEntry, ClinicianNote, Share
from hipflex.domain.aggregate import ACTIVE_WINDOW, MIN_GROUP_SIZE, TeamSummary
from hipflex.domain.assessment import ExtensionResult, RecordedAssessment, ThomasResult
from hipflex.domain.ids import Side
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


class SideTestOut(Out):
    thomas: ThomasResult
    hip_extension: ExtensionResult


class LatestTestOut(Out):
    """The block's newest self-test (the first assessment or a re-test), per side."""

    recorded_at: Moment
    results: dict[Side, SideTestOut]


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
    #: The newest self-test of the current block (null before the first assessment).
    latest_test: LatestTestOut | None


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
                latest_test=_latest_test(member.latest_test),
            )
            for member in members
        ]
    )


def _latest_test(test: RecordedAssessment | None) -> LatestTestOut | None:
    if test is None:
        return None
    return LatestTestOut(
        recorded_at=test.recorded_at,
        results={
            side: SideTestOut(
                thomas=test.assessment.sides[side].thomas.result,
                hip_extension=test.assessment.sides[side].extension.result,
            )
            for side in Side
        },
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


class NoteOut(Out):
    id: int
    #: The clinician who wrote it.
    author_email: str
    at: Moment
    text: str


class NotesOut(Out):
    #: Newest first.
    notes: list[NoteOut]


def note_model(note: ClinicianNote) -> NoteOut:
    return NoteOut(id=note.id, author_email=note.author_email, at=note.at, text=note.text)


def notes_model(notes: Sequence[ClinicianNote]) -> NotesOut:
    return NotesOut(notes=[note_model(note) for note in notes])


class WeekTotalOut(Out):
    #: The week's Monday (weeks run Monday to Sunday, UTC).
    starts: dt.date
    #: Sessions done that week across the team; null when fewer than `min_group_size`
    #: people did them.
    sessions: int | None
    #: How many people did them; null when fewer than `min_group_size`.
    people: int | None


class TeamSummaryOut(Out):
    #: No figure about a group smaller than this is shown (it is null instead).
    min_group_size: int
    #: Days without a login or anything logged after which an account is not active.
    active_window_days: int
    #: Enabled accounts (null below `min_group_size`).
    accounts: int | None
    #: Of them, active within the window (null below `min_group_size`).
    active: int | None
    #: The last weeks, oldest first, this week last.
    weeks: list[WeekTotalOut]


def team_summary_model(summary: TeamSummary) -> TeamSummaryOut:
    return TeamSummaryOut(
        min_group_size=MIN_GROUP_SIZE,
        active_window_days=ACTIVE_WINDOW.days,
        accounts=summary.accounts,
        active=summary.active,
        weeks=[
            WeekTotalOut(starts=week.starts, sessions=week.sessions, people=week.people)
            for week in summary.weeks
        ],
    )
