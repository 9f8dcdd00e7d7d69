"""The mention-time index of the review items also holds the status, so /stats counts the
pending items of the hours an age boundary cuts through from the index alone, without
reading each item's row (those hours grow with the queue: about 700 items each at a
million). It replaces ix_review_items_mention_created_at, so writes keep as many indexes.

Revision ID: 0011
Revises: 0010
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_review_items_mention_created_status", "review_items",
                    ["mention_created_at", "status"])
    op.drop_index("ix_review_items_mention_created_at", table_name="review_items")


def downgrade() -> None:
    op.create_index("ix_review_items_mention_created_at", "review_items",
                    ["mention_created_at"])
    op.drop_index("ix_review_items_mention_created_status", table_name="review_items")
