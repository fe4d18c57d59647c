"""Movement-break outcomes from the reminder.

Revision ID: 0004_break_events
Revises: 0003_logs
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0004_break_events"
down_revision = "0003_logs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "break_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_events")),
    )
    op.create_index(op.f("ix_break_events_at"), "break_events", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_break_events_at"), table_name="break_events")
    op.drop_table("break_events")
