"""Preferences and programme blocks.

Revision ID: 0002_preferences_blocks
Revises: 0001_assessments
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0002_preferences_blocks"
down_revision = "0001_assessments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sessions_per_day", sa.Integer(), nullable=False),
        sa.Column("block_weeks", sa.Integer(), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("work_days", sa.String(length=32), nullable=False),
        sa.Column("work_start", sa.String(length=5), nullable=False),
        sa.Column("work_end", sa.String(length=5), nullable=False),
        sa.Column("floor_at_work", sa.Boolean(), nullable=False),
        sa.Column("sit_stand_desk", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preferences")),
    )
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_blocks_assessment_id_assessments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
    )
    op.create_index(op.f("ix_blocks_assessment_id"), "blocks", ["assessment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_blocks_assessment_id"), table_name="blocks")
    op.drop_table("blocks")
    op.drop_table("preferences")
