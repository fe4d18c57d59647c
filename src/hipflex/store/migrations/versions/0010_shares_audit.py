"""Team mode: a member's consent for a clinician to see their data, and the audit trail.

Revision ID: 0010_shares_audit
Revises: 0009_web_sessions
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hipflex.store.models import UTCDateTime

revision = "0010_shares_audit"
down_revision = "0009_web_sessions"
branch_labels = None
depends_on = None


def _account(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["accounts.id"], name=op.f(f"fk_{table}_{column}_accounts"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        _account("member_id", "shares"),
        _account("clinician_id", "shares"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    op.create_index(op.f("ix_shares_member_id"), "shares", ["member_id"], unique=False)
    op.create_index(op.f("ix_shares_clinician_id"), "shares", ["clinician_id"], unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _account("member_id", "audit_events"),
        _account("actor_id", "audit_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_member_id"), "audit_events", ["member_id"], unique=False)
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_member_id"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_shares_clinician_id"), table_name="shares")
    op.drop_index(op.f("ix_shares_member_id"), table_name="shares")
    op.drop_table("shares")
