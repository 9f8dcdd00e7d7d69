"""Reply memory, saved answers from the review app, and a note on each draft.

reply_memory holds every approved reply with its post (and pairs imported by `replies
import`); saved_answers the answers reviewers saved from approved replies; drafts.note says
where a draft came from when it was not written from a template. Replies approved before
this revision are remembered here too (their current draft, the item's label and language).

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.create_table(
        "reply_memory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("post", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("author", sa.String(length=255), nullable=True),
        sa.Column("author_name", sa.String(length=255), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=True),
        sa.Column("replied_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["review_items.id"],
                                name="fk_reply_memory_item_id_review_items"),
        sa.PrimaryKeyConstraint("id", name="pk_reply_memory"),
        sa.UniqueConstraint("item_id", name="uq_reply_memory_item_id"),
    )
    op.create_index("ix_reply_memory_digest", "reply_memory", ["digest"])
    op.create_table(
        "saved_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["review_items.id"],
                                name="fk_saved_answers_item_id_review_items"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_answers"),
    )
    op.create_index("ix_saved_answers_item_id", "saved_answers", ["item_id"])
    # Replies approved (or published) before this revision: remembered as they stand.
    op.execute("""
        INSERT INTO reply_memory (item_id, post, reply, label, language, author, author_name,
                                  platform, replied_at, source, created_by, created_at)
        SELECT i.id, m.text, d.text, i.label, i.language, m.author, m.author_name, m.platform,
               COALESCE(i.decided_at, i.updated_at), 'approved',
               COALESCE(i.decided_by, 'system'), i.updated_at
        FROM review_items AS i
        JOIN mentions AS m ON m.id = i.mention_id
        JOIN drafts AS d ON d.id = i.draft_id
        WHERE i.status IN ('approved', 'published')
    """)


def downgrade() -> None:
    op.drop_index("ix_saved_answers_item_id", table_name="saved_answers")
    op.drop_table("saved_answers")
    op.drop_index("ix_reply_memory_digest", table_name="reply_memory")
    op.drop_table("reply_memory")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("note")
