"""Feeds can be paused by an operator: who paused it, when and why, and the last resume.

Revision ID: 0003
Revises: 0002
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table where it cannot alter it in place.
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("paused", sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column("paused_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("paused_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pause_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("resumed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resumed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("resumed_by")
        batch.drop_column("resumed_at")
        batch.drop_column("pause_reason")
        batch.drop_column("paused_by")
        batch.drop_column("paused_at")
        batch.drop_column("paused")
