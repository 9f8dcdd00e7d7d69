"""Each classification's confidence and the post's language, copied onto its review item.

Rows stored before this revision keep NULL in all four columns (their confidence and
language were never measured): the queue shows no language for them and never marks them
"check the label".

Revision ID: 0005
Revises: 0004
"""
import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("classifications", "review_items")


def upgrade() -> None:
    # Nullable columns without a default: added in place on both databases.
    for table in TABLES:
        op.add_column(table, sa.Column("confidence", sa.Float(), nullable=True))
        op.add_column(table, sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # In place too (SQLite 3.35 and newer can drop a column): rebuilding review_items, which
    # other tables reference, would fail its foreign keys on a database that holds items.
    old_sqlite = op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35)
    for table in reversed(TABLES):
        if old_sqlite:
            with op.batch_alter_table(table) as batch:
                batch.drop_column("language")
                batch.drop_column("confidence")
        else:
            op.drop_column(table, "language")
            op.drop_column(table, "confidence")
