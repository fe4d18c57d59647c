"""Blocks carry their phase (a block or maintenance) and the dose they start at.

Revision ID: 0005_block_phase
Revises: 0004_break_events
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_block_phase"
down_revision = "0004_break_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blocks") as batch:
        batch.add_column(
            sa.Column("phase", sa.String(length=16), nullable=False, server_default="block")
        )
        batch.add_column(sa.Column("start_level", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("start_couch_weeks", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("blocks") as batch:
        batch.drop_column("start_couch_weeks")
        batch.drop_column("start_level")
        batch.drop_column("phase")
