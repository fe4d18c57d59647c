"""SQLAlchemy tables. Changing one needs an Alembic migration in migrations/versions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Any,  # noqa: ARG002 - SQLAlchemy's signature
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given to the store; pass an aware one"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Any,  # noqa: ARG002 - SQLAlchemy's signature
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Owned:
    """A row that belongs to one person. In team mode that is an account; in single-user
    mode nobody (None). The Store is bound to one owner and adds the owner to every query
    and every new row itself (hipflex.store.repository), so no query can forget it."""

    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )


class AssessmentRow(Owned, Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sitting_hours: Mapped[float | None] = mapped_column(Float)
    sitting_band: Mapped[str | None] = mapped_column(String(16))
    signs: Mapped[list[str]] = mapped_column(JSON)
    red_flags: Mapped[list[str]] = mapped_column(JSON)
    safe_to_exercise: Mapped[bool]
    knee_floor_deg: Mapped[float] = mapped_column(Float)
    thigh_tolerance_deg: Mapped[float] = mapped_column(Float)
    extension_floor_deg: Mapped[float] = mapped_column(Float)
    # A re-test belongs to a block and a week of it; a baseline starts its own block.
    block_id: Mapped[int | None]
    block_week: Mapped[int | None]

    sides: Mapped[list[AssessmentSideRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentSideRow.side"
    )


class AssessmentSideRow(Owned, Base):
    """One side of one assessment: what was given and what it meant."""

    __tablename__ = "assessment_sides"
    __table_args__ = (UniqueConstraint("assessment_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(8))
    thomas_thigh_given: Mapped[str | None] = mapped_column(String(8))
    thomas_thigh_angle_deg: Mapped[float | None] = mapped_column(Float)
    thomas_knee_flexion_deg: Mapped[float | None] = mapped_column(Float)
    thomas_thigh: Mapped[str | None] = mapped_column(String(8))
    thomas_result: Mapped[str] = mapped_column(String(32))
    extension_deg: Mapped[float | None] = mapped_column(Float)
    extension_compensated: Mapped[bool]
    extension_result: Mapped[str] = mapped_column(String(16))
    # How each test was measured ("self" or "photo"), and for a photo whether the trunk,
    # and so the pelvis, could be checked (null: typed in).
    thomas_method: Mapped[str] = mapped_column(String(8), server_default="self")
    thomas_pelvis_checked: Mapped[bool | None] = mapped_column(Boolean)
    extension_method: Mapped[str] = mapped_column(String(8), server_default="self")
    extension_pelvis_checked: Mapped[bool | None] = mapped_column(Boolean)

    assessment: Mapped[AssessmentRow] = relationship(back_populates="sides")


class PhotoRow(Owned, Base):
    """A test's photo, kept only when the user asked (EXIF stripped, upright)."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    test: Mapped[str] = mapped_column(String(16))
    sides: Mapped[list[str]] = mapped_column(JSON)
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PreferencesRow(Owned, Base):
    """A person's preferences: one row each (id 1 for the single-user store's); absent
    means the defaults."""

    __tablename__ = "preferences"
    __table_args__ = (UniqueConstraint("account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sessions_per_day: Mapped[int]
    block_weeks: Mapped[int]
    break_minutes: Mapped[int]
    work_days: Mapped[str] = mapped_column(String(32))
    work_start: Mapped[str] = mapped_column(String(5))
    work_end: Mapped[str] = mapped_column(String(5))
    floor_at_work: Mapped[bool]
    sit_stand_desk: Mapped[bool]
    timezone: Mapped[str | None] = mapped_column(String(64))
    floor_get_ready_seconds: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlockRow(Owned, Base):
    """A programme block: its start day and the assessment it was built from."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_on: Mapped[date] = mapped_column(Date)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    phase: Mapped[str] = mapped_column(String(16), server_default="block")
    start_level: Mapped[int] = mapped_column(Integer, server_default="0")
    start_couch_weeks: Mapped[int] = mapped_column(Integer, server_default="0")


class SessionLogRow(Owned, Base):
    """A session done, guided or typed in afterwards; its exercises are separate rows."""

    __tablename__ = "session_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str | None] = mapped_column(String(16))
    pain_before: Mapped[int | None]
    pain_after: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    entries: Mapped[list[ExerciseLogRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="ExerciseLogRow.id"
    )


class ExerciseLogRow(Owned, Base):
    """One hold or set of one exercise on one side, committed as it completes."""

    __tablename__ = "exercise_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session_logs.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String(40))
    side: Mapped[str | None] = mapped_column(String(8))
    set_number: Mapped[int]
    hold_seconds: Mapped[int | None]
    reps: Mapped[int | None]
    skipped: Mapped[bool]
    sharp_pain: Mapped[bool]
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[SessionLogRow] = relationship(back_populates="entries")


class PainRatingRow(Owned, Base):
    __tablename__ = "pain_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    score: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SittingLogRow(Owned, Base):
    """Hours sat on a day; entries are kept, the latest one for a day is the figure."""

    __tablename__ = "sitting_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteRow(Owned, Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[str] = mapped_column(Text)


class ClinicianNoteRow(Owned, Base):
    """A note a clinician left for a member (team mode): the member's data, so it is
    erased with it; `author_id` is the clinician's account."""

    __tablename__ = "clinician_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[str] = mapped_column(Text)


class ClearanceRow(Owned, Base):
    """An exercise paused for sharp pain that the user has had checked."""

    __tablename__ = "clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class BreakEventRow(Owned, Base):
    """A movement-break reminder's outcome: done, skipped or snoozed."""

    __tablename__ = "break_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Team mode: accounts, their invitations and failed logins (empty in single-user mode).


class AccountRow(Base):
    """A person who signs in to a team or clinic server."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    #: argon2id's encoded hash (algorithm, cost, salt and hash in one text); None until
    #: the person accepts their invitation.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InvitationRow(Base):
    """A one-time link to set a password; only the token's SHA-256 is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailureRow(Base):
    """A failed login, counted per account and per address for throttling (in the
    database, so every app process sees the same count)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class WebSessionRow(Base):
    """A login to the team server: the cookie's token is kept only as its SHA-256, so a
    copy of the database opens no session. In the database, so every app process knows
    it, and a revoke takes effect at once everywhere."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ShareRow(Base):
    """A member's consent for one clinician to see their data (revoked: no longer)."""

    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """Who read or acted on a member's data, and when. Only ever added to."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
