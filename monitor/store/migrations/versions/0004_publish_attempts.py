"""Publishing replies: one publish_attempts row per item (lease, in-flight send, reply id).

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publish_attempts",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("retry_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("in_flight_draft_id", sa.Integer(), nullable=True),
        sa.Column("in_flight_key", sa.String(length=128), nullable=True),
        sa.Column("in_flight_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("reply_id", sa.String(length=255), nullable=True),
        sa.Column("reply_url", sa.Text(), nullable=True),
        sa.Column("published_draft_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["review_items.id"],
                                name="fk_publish_attempts_item_id_review_items"),
        sa.PrimaryKeyConstraint("item_id", name="pk_publish_attempts"),
    )


def downgrade() -> None:
    op.drop_table("publish_attempts")
