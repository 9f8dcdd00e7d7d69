"""Feeds shared out among daemons: who holds each feed's lease, until when and since when,
and one row per running daemon with its heartbeat.

Revision ID: 0009
Revises: 0008
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("held_since", sa.DateTime(), nullable=True))
    op.create_table(
        "daemons",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_daemons")),
    )


def downgrade() -> None:
    op.drop_table("daemons")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("held_since")
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
