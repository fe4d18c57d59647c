"""Each test per side records how it was measured (typed in or from a photo) and, for a
photo, whether the pelvis could be checked; photos kept by choice get their own table.

Revision ID: 0006_measurement_method
Revises: 0005_block_phase
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0006_measurement_method"
down_revision = "0005_block_phase"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every test recorded before photos existed was typed in: "self".
    with op.batch_alter_table("assessment_sides") as batch:
        batch.add_column(
            sa.Column("thomas_method", sa.String(length=8), nullable=False, server_default="self")
        )
        batch.add_column(sa.Column("thomas_pelvis_checked", sa.Boolean(), nullable=True))
        batch.add_column(
            sa.Column(
                "extension_method", sa.String(length=8), nullable=False, server_default="self"
            )
        )
        batch.add_column(sa.Column("extension_pelvis_checked", sa.Boolean(), nullable=True))
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=16), nullable=False),
        sa.Column("sides", sa.JSON(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_photos_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    op.create_index(op.f("ix_photos_assessment_id"), "photos", ["assessment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_assessment_id"), table_name="photos")
    op.drop_table("photos")
    with op.batch_alter_table("assessment_sides") as batch:
        batch.drop_column("extension_pelvis_checked")
        batch.drop_column("extension_method")
        batch.drop_column("thomas_pelvis_checked")
        batch.drop_column("thomas_method")
