"""SQLAlchemy tables. Changing one needs an Alembic migration in migrations/versions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    MetaData,
    String,
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


class AssessmentRow(Base):
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

    sides: Mapped[list[AssessmentSideRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentSideRow.side"
    )


class AssessmentSideRow(Base):
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

    assessment: Mapped[AssessmentRow] = relationship(back_populates="sides")


class PreferencesRow(Base):
    """The user's preferences: one row (id 1); absent means the defaults."""

    __tablename__ = "preferences"

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
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlockRow(Base):
    """A programme block: its start day and the assessment it was built from."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_on: Mapped[date] = mapped_column(Date)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
