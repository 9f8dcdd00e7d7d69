"""Indexes for the queue at scale: every-status order, statistics by day and by decision.

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_review_items_order", "review_items",
        [sa.text("priority DESC"), "mention_created_at", "id"],
    )
    op.create_index("ix_review_items_mention_created_at", "review_items",
                    ["mention_created_at"])
    op.create_index("ix_review_items_decided_at", "review_items", ["decided_at"])


def downgrade() -> None:
    op.drop_index("ix_review_items_decided_at", table_name="review_items")
    op.drop_index("ix_review_items_mention_created_at", table_name="review_items")
    op.drop_index("ix_review_items_order", table_name="review_items")
