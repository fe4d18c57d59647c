"""Every row of a person's data names its owner: an account in team mode, nobody (null)
in single-user mode, where every existing row stays as it was.

Revision ID: 0008_owners
Revises: 0007_accounts
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_owners"
down_revision = "0007_accounts"
branch_labels = None
depends_on = None

#: Parents before children (the order the rows were created in).
OWNED_TABLES = (
    "assessments",
    "assessment_sides",
    "photos",
    "preferences",
    "blocks",
    "session_logs",
    "exercise_logs",
    "pain_ratings",
    "sitting_logs",
    "notes",
    "clearances",
    "break_events",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The single-user row was written with id 1 given, which PostgreSQL's sequence
        # did not count: an account's first preferences would take id 1 again.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('preferences', 'id'), "
            "COALESCE((SELECT MAX(id) FROM preferences), 0) + 1, false)"
        )
    for table in OWNED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_{table}_account_id_accounts"),
                "accounts",
                ["account_id"],
                ["id"],
                ondelete="CASCADE",
            )
            batch.create_index(op.f(f"ix_{table}_account_id"), ["account_id"], unique=False)
            if table == "preferences":
                batch.create_unique_constraint(op.f("uq_preferences_account_id"), ["account_id"])


def downgrade() -> None:
    for table in reversed(OWNED_TABLES):
        with op.batch_alter_table(table) as batch:
            if table == "preferences":
                batch.drop_constraint(op.f("uq_preferences_account_id"), type_="unique")
            batch.drop_index(op.f(f"ix_{table}_account_id"))
            batch.drop_constraint(op.f(f"fk_{table}_account_id_accounts"), type_="foreignkey")
            batch.drop_column("account_id")
