"""The player's longer get-ready when an exercise means getting down to the floor or up
from it is a preference (issue 14): existing rows get the default.

Revision ID: 0011_floor_get_ready
Revises: 0010_shares_audit
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.domain.preferences import DEFAULT_FLOOR_GET_READY_SECONDS

revision = "0011_floor_get_ready"
down_revision = "0010_shares_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("preferences") as batch:
        batch.add_column(
            sa.Column(
                "floor_get_ready_seconds",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_FLOOR_GET_READY_SECONDS),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("preferences") as batch:
        batch.drop_column("floor_get_ready_seconds")
