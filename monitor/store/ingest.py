"""The write path of a poll: new mentions with their classification, draft and review item.

Runs inside the caller's transaction (with the feed's cursor), so a page is stored whole or
not at all. Duplicates are skipped by the UNIQUE(platform, external_id) constraint, even when
two processes race; only rows that were really inserted get a classification and an item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from monitor.model import Classification, Draft, Mention, Status, thaw
from monitor.store.schema import classifications, drafts, mentions, review_events, review_items

SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class Processed:
    mention: Mention
    classification: Classification
    draft: Draft | None
    status: Status


def existing_ids(conn: Connection, platform: str, external_ids: Iterable[str]) -> set[str]:
    """Which of these external ids are already stored for the platform."""
    ids = list(dict.fromkeys(external_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 500):  # stay under every driver's parameter limit
        chunk = ids[start:start + 500]
        found.update(
            conn.execute(
                sa.select(mentions.c.external_id).where(
                    mentions.c.platform == platform, mentions.c.external_id.in_(chunk)
                )
            ).scalars()
        )
    return found


def _insert_ignoring_duplicates(conn: Connection) -> sa.Insert:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(mentions).on_conflict_do_nothing(
            index_elements=["platform", "external_id"]
        )
    if conn.dialect.name == "sqlite":
        return sqlite.insert(mentions).on_conflict_do_nothing(
            index_elements=["platform", "external_id"]
        )
    return sa.insert(mentions)


def store(conn: Connection, feed_id: int, batch: Sequence[Processed], now: datetime) -> int:
    """Insert the batch; returns how many mentions were new."""
    if not batch:
        return 0
    stmt = _insert_ignoring_duplicates(conn).returning(mentions.c.id, mentions.c.external_id)
    inserted = conn.execute(
        stmt,
        [
            {
                "feed_id": feed_id, "platform": p.mention.platform,
                "external_id": p.mention.external_id, "text": p.mention.text,
                "author": p.mention.author, "author_name": p.mention.author_name,
                "author_followers": p.mention.author_followers, "url": p.mention.url,
                "language": p.mention.language, "reply_to_id": p.mention.reply_to_id,
                "thread_id": p.mention.thread_id, "created_at": p.mention.created_at,
                "fetched_at": now, "raw": thaw(p.mention.raw) if p.mention.raw else None,
            }
            for p in batch
        ],
    ).all()
    ids = {row.external_id: row.id for row in inserted}
    fresh = [(ids[p.mention.external_id], p) for p in batch if p.mention.external_id in ids]
    if not fresh:
        return 0
    conn.execute(
        sa.insert(classifications),
        [
            {
                "mention_id": mid, "label": p.classification.label.value,
                "topic": p.classification.topic, "priority": p.classification.priority,
                "neg": p.classification.sentiment.neg, "neu": p.classification.sentiment.neu,
                "pos": p.classification.sentiment.pos,
                "compound": p.classification.sentiment.compound,
                "reasons": list(p.classification.reasons),
                "classifier": p.classification.classifier, "created_at": now,
            }
            for mid, p in fresh
        ],
    )
    with_draft = [(mid, p) for mid, p in fresh if p.draft is not None]
    draft_ids: dict[int, int] = {}
    if with_draft:
        rows = conn.execute(
            sa.insert(drafts).returning(drafts.c.id, drafts.c.mention_id),
            [
                {
                    "mention_id": mid, "text": p.draft.text, "template": p.draft.template,
                    "violations": list(p.draft.violations), "created_by": SYSTEM_ACTOR,
                    "created_at": now,
                }
                for mid, p in with_draft
                if p.draft is not None
            ],
        ).all()
        draft_ids = {row.mention_id: row.id for row in rows}
    items = conn.execute(
        sa.insert(review_items).returning(review_items.c.id, review_items.c.status),
        [
            {
                "mention_id": mid, "status": p.status.value,
                "label": p.classification.label.value, "topic": p.classification.topic,
                "priority": p.classification.priority, "feed": p.mention.feed,
                "platform": p.mention.platform, "mention_created_at": p.mention.created_at,
                "draft_id": draft_ids.get(mid), "version": 1, "created_at": now,
                "updated_at": now,
            }
            for mid, p in fresh
        ],
    ).all()
    conn.execute(
        sa.insert(review_events),
        [
            {"item_id": row.id, "at": now, "actor": SYSTEM_ACTOR, "action": "queued",
             "from_status": None, "to_status": row.status, "detail": None}
            for row in items
        ],
    )
    return len(fresh)
