"""The classifier's topic evidence (the post's words that name its topic) kept with its
verdict, so that a reply drafted again later (redraft, relabel, reopen) names the topic as
the first draft did. NULL for rows stored before this revision: drafted again, those name
no topic, as before.

Revision ID: 0013
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("classifications") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("classifications") as batch:
        batch.drop_column("evidence")
