"""Rollups of the review items for /stats and the metrics: items per hour of their mention,
label and status, and decisions per hour and time taken (each also per day), kept by triggers on review_items
(deltas appended, folded into the counts by monitor.store.rollup), and filled from the
items already there.

Revision ID: 0010
Revises: 0009
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from monitor.store import rollup_sql

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_counts",
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "label", "status", name=op.f("pk_item_counts")),
    )
    op.create_table(
        "item_count_deltas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_count_deltas")),
    )
    op.create_table(
        "decision_counts",
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "bucket", name=op.f("pk_decision_counts")),
    )
    op.create_table(
        "decision_count_deltas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_count_deltas")),
    )
    op.create_table(
        "item_counts_daily",
        sa.Column("day", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "label", "status", name=op.f("pk_item_counts_daily")),
    )
    op.create_table(
        "decision_counts_daily",
        sa.Column("day", sa.DateTime(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "bucket", name=op.f("pk_decision_counts_daily")),
    )
    dialect = op.get_bind().dialect.name
    for statement in rollup_sql.backfill(dialect):
        op.execute(statement)
    for statement in (rollup_sql.PG_TRIGGERS if dialect == "postgresql"
                      else rollup_sql.SQLITE_TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in rollup_sql.PG_DROP if dialect == "postgresql" else rollup_sql.SQLITE_DROP:
        op.execute(statement)
    for table in ("decision_counts_daily", "item_counts_daily", "decision_count_deltas",
                  "decision_counts", "item_count_deltas", "item_counts"):
        op.drop_table(table)
