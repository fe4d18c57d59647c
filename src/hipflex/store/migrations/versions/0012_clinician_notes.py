"""Team mode: the notes a clinician leaves for a member, kept with the member's data.

Revision ID: 0012_clinician_notes
Revises: 0011_floor_get_ready
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0012_clinician_notes"
down_revision = "0011_floor_get_ready"
branch_labels = None
depends_on = None


def _account(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["accounts.id"],
        name=op.f(f"fk_clinician_notes_{column}_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "clinician_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        _account("author_id"),
        _account("account_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_notes")),
    )
    for column in ("author_id", "at", "account_id"):
        op.create_index(
            op.f(f"ix_clinician_notes_{column}"), "clinician_notes", [column], unique=False
        )


def downgrade() -> None:
    for column in ("account_id", "at", "author_id"):
        op.drop_index(op.f(f"ix_clinician_notes_{column}"), table_name="clinician_notes")
    op.drop_table("clinician_notes")
