"""Logs: sessions and their exercises, pain, sitting, notes, clearances; re-test weeks.

Revision ID: 0003_logs
Revises: 0002_preferences_blocks
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0003_logs"
down_revision = "0002_preferences_blocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("block_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("block_week", sa.Integer(), nullable=True))
    op.create_table(
        "session_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("slot", sa.String(length=16), nullable=True),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
    )
    op.create_index(
        op.f("ix_session_logs_started_at"), "session_logs", ["started_at"], unique=False
    )
    op.create_table(
        "exercise_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=40), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=True),
        sa.Column("set_number", sa.Integer(), nullable=False),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("sharp_pain", sa.Boolean(), nullable=False),
        sa.Column("logged_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session_logs.id"],
            name=op.f("fk_exercise_logs_session_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_logs")),
    )
    op.create_index(
        op.f("ix_exercise_logs_session_id"), "exercise_logs", ["session_id"], unique=False
    )
    op.create_table(
        "pain_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_ratings")),
    )
    op.create_index(op.f("ix_pain_ratings_at"), "pain_ratings", ["at"], unique=False)
    op.create_table(
        "sitting_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitting_logs")),
    )
    op.create_index(op.f("ix_sitting_logs_day"), "sitting_logs", ["day"], unique=False)
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_at"), "notes", ["at"], unique=False)
    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=40), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )


def downgrade() -> None:
    op.drop_table("clearances")
    op.drop_index(op.f("ix_notes_at"), table_name="notes")
    op.drop_table("notes")
    op.drop_index(op.f("ix_sitting_logs_day"), table_name="sitting_logs")
    op.drop_table("sitting_logs")
    op.drop_index(op.f("ix_pain_ratings_at"), table_name="pain_ratings")
    op.drop_table("pain_ratings")
    op.drop_index(op.f("ix_exercise_logs_session_id"), table_name="exercise_logs")
    op.drop_table("exercise_logs")
    op.drop_index(op.f("ix_session_logs_started_at"), table_name="session_logs")
    op.drop_table("session_logs")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("block_week")
        batch.drop_column("block_id")
