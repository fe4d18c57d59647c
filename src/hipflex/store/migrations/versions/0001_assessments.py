"""Assessments and their two sides.

Revision ID: 0001_assessments
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0001_assessments"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sitting_hours", sa.Float(), nullable=True),
        sa.Column("sitting_band", sa.String(length=16), nullable=True),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("safe_to_exercise", sa.Boolean(), nullable=False),
        sa.Column("knee_floor_deg", sa.Float(), nullable=False),
        sa.Column("thigh_tolerance_deg", sa.Float(), nullable=False),
        sa.Column("extension_floor_deg", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index(
        op.f("ix_assessments_recorded_at"), "assessments", ["recorded_at"], unique=False
    )
    op.create_table(
        "assessment_sides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("thomas_thigh_given", sa.String(length=8), nullable=True),
        sa.Column("thomas_thigh_angle_deg", sa.Float(), nullable=True),
        sa.Column("thomas_knee_flexion_deg", sa.Float(), nullable=True),
        sa.Column("thomas_thigh", sa.String(length=8), nullable=True),
        sa.Column("thomas_result", sa.String(length=32), nullable=False),
        sa.Column("extension_deg", sa.Float(), nullable=True),
        sa.Column("extension_compensated", sa.Boolean(), nullable=False),
        sa.Column("extension_result", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_sides_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_sides")),
        sa.UniqueConstraint(
            "assessment_id", "side", name=op.f("uq_assessment_sides_assessment_id")
        ),
    )
    op.create_index(
        op.f("ix_assessment_sides_assessment_id"),
        "assessment_sides",
        ["assessment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_assessment_sides_assessment_id"), table_name="assessment_sides")
    op.drop_table("assessment_sides")
    op.drop_index(op.f("ix_assessments_recorded_at"), table_name="assessments")
    op.drop_table("assessments")
