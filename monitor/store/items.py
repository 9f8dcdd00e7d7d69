"""The write side of review: status changes with optimistic concurrency, new drafts, events.

Every change bumps the item's version and adds a review event in the same transaction; a
caller that read an older version gets Conflict, so no reviewer overwrites another silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.errors import Conflict, NotFound
from monitor.store.schema import drafts, review_events, review_items


def stale(item_id: int) -> Conflict:
    """The error for a change based on an older version of the item."""
    return Conflict(
        f"item {item_id} was changed by someone else meanwhile; reload it and try again"
    )


def current(conn: Connection, item_id: int) -> tuple[str, int, int]:
    """(status, version, mention_id) of an item."""
    row = conn.execute(
        sa.select(review_items.c.status, review_items.c.version, review_items.c.mention_id)
        .where(review_items.c.id == item_id)
    ).first()
    if row is None:
        raise NotFound(f"no review item {item_id}")
    return row.status, row.version, row.mention_id


def add_draft(
    conn: Connection, mention_id: int, text: str, template: str, violations: Sequence[str],
    by: str, now: datetime, note: str | None = None,
) -> int:
    return int(
        conn.execute(
            sa.insert(drafts).returning(drafts.c.id),
            {"mention_id": mention_id, "text": text, "template": template,
             "violations": list(violations), "created_by": by, "created_at": now,
             "note": note},
        ).scalar_one()
    )


def transition(
    conn: Connection, item_id: int, *, expected_version: int, from_status: str, to_status: str,
    actor: str, action: str, now: datetime, values: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Apply one change if the item is still at `expected_version`; returns the new version."""
    result = conn.execute(
        sa.update(review_items)
        .where(review_items.c.id == item_id, review_items.c.version == expected_version)
        .values(status=to_status, version=expected_version + 1, updated_at=now,
                **dict(values or {}))
    )
    if result.rowcount != 1:
        raise stale(item_id)
    conn.execute(
        sa.insert(review_events).values(
            item_id=item_id, at=now, actor=actor, action=action, from_status=from_status,
            to_status=to_status, detail=dict(detail) if detail else None,
        )
    )
    return expected_version + 1
