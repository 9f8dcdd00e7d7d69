"""Publishing's durable record: per-item leases, the in-flight send, and the reply it got.

A publisher claims an item with one conditional UPDATE (the lease is free and the item is
approved), so on SQLite and PostgreSQL alike only one daemon wins. Before a request leaves, the
draft and key being sent are written (`mark_in_flight`) and committed; they are cleared only
once the outcome is known. This module never changes an item's status (the review service
does that, in the same transaction as `succeed` or `fail`) and never talks to a network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from monitor.errors import Conflict
from monitor.model import Status
from monitor.store.schema import mentions, publish_attempts, review_items

_T = publish_attempts


@dataclass(frozen=True, slots=True)
class Attempt:
    item_id: int
    lease_owner: str | None
    lease_until: datetime | None
    retry_at: datetime | None
    attempts: int
    in_flight_draft_id: int | None
    in_flight_key: str | None
    in_flight_at: datetime | None
    last_error: str | None
    reply_id: str | None
    reply_url: str | None
    published_at: datetime | None

    def published(self) -> dict[str, Any] | None:
        """The reply's id, link and time, for `queue show` and JSON; None until published."""
        if self.reply_id is None:
            return None
        return {"reply_id": self.reply_id, "url": self.reply_url,
                "at": self.published_at.isoformat() if self.published_at else None}


def _attempt(row: Any) -> Attempt:
    return Attempt(
        item_id=row.item_id, lease_owner=row.lease_owner, lease_until=row.lease_until,
        retry_at=row.retry_at, attempts=row.attempts, in_flight_draft_id=row.in_flight_draft_id,
        in_flight_key=row.in_flight_key, in_flight_at=row.in_flight_at,
        last_error=row.last_error, reply_id=row.reply_id, reply_url=row.reply_url,
        published_at=row.published_at,
    )


def get(conn: Connection, item_id: int) -> Attempt | None:
    row = conn.execute(sa.select(_T).where(_T.c.item_id == item_id)).first()
    return None if row is None else _attempt(row)


def records(conn: Connection, item_ids: Iterable[int]) -> dict[int, Attempt]:
    ids = list(item_ids)
    found: dict[int, Attempt] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = conn.execute(sa.select(_T).where(_T.c.item_id.in_(ids[start:start + 500])))
        found.update({r.item_id: _attempt(r) for r in rows})
    return found


def fields(conn: Connection, items: Iterable[tuple[int, str]]) -> dict[int, dict[str, Any]]:
    """The publish fields of the queue's JSON, per (item id, status): `published` (the reply's
    id, link and time, once published) and `publish_error` (the last attempt's problem while
    not published), both None otherwise."""
    pairs = list(items)
    found = records(conn, [item_id for item_id, _ in pairs])
    return {item_id: fields_of(found.get(item_id), status) for item_id, status in pairs}


def fields_of(record: Attempt | None, status: str) -> dict[str, Any]:
    """`fields` of one item whose attempt record was already read."""
    published = record.published() if record and status == "published" else None
    error = record.last_error if record and not published else None
    return {"published": published, "publish_error": error}


def _ensure_row(conn: Connection, item_id: int, now: datetime) -> None:
    values = {"item_id": item_id, "attempts": 0, "updated_at": now}
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(_T).values(values).on_conflict_do_nothing())
    elif conn.dialect.name == "sqlite":
        conn.execute(sqlite.insert(_T).values(values).on_conflict_do_nothing())
    elif get(conn, item_id) is None:  # pragma: no cover - other databases
        conn.execute(sa.insert(_T).values(values))


def claim(conn: Connection, item_id: int, *, owner: str, now: datetime,
          lease_until: datetime) -> bool:
    """Take the item's lease if it is free, the item is approved and no retry time lies
    ahead. True when this caller holds the lease now. A lease this owner already holds is
    not taken twice: the daemon's job and the web app's button share one owner."""
    _ensure_row(conn, item_id, now)
    approved = sa.exists().where(review_items.c.id == item_id,
                                 review_items.c.status == Status.APPROVED.value)
    result = conn.execute(
        sa.update(_T)
        .where(
            _T.c.item_id == item_id,
            sa.or_(_T.c.lease_until.is_(None), _T.c.lease_until <= now),
            sa.or_(_T.c.retry_at.is_(None), _T.c.retry_at <= now),
            approved,
        )
        .values(lease_owner=owner, lease_until=lease_until, updated_at=now)
    )
    return result.rowcount == 1


def _mine(item_id: int, owner: str) -> Any:
    return sa.and_(_T.c.item_id == item_id, _T.c.lease_owner == owner)


def _lost(item_id: int) -> Conflict:
    return Conflict(f"item {item_id}: another publisher took over (the lease ran out)")


def mark_in_flight(conn: Connection, item_id: int, *, owner: str, draft_id: int, key: str,
                   now: datetime) -> None:
    """Record, before the request leaves, which draft is being sent with which key."""
    result = conn.execute(
        sa.update(_T).where(_mine(item_id, owner)).values(
            in_flight_draft_id=draft_id, in_flight_key=key, in_flight_at=now,
            attempts=_T.c.attempts + 1, updated_at=now,
        )
    )
    if result.rowcount != 1:
        raise _lost(item_id)


def succeed(conn: Connection, item_id: int, *, owner: str, draft_id: int, reply_id: str,
            reply_url: str | None, now: datetime) -> None:
    """The network has the reply: keep its id and link, clear the send, free the lease.
    Not conditional on the lease: a reply that went out is recorded whoever holds it now."""
    conn.execute(
        sa.update(_T).where(_T.c.item_id == item_id).values(
            reply_id=reply_id, reply_url=reply_url, published_draft_id=draft_id,
            published_at=now, in_flight_draft_id=None, in_flight_key=None, in_flight_at=None,
            lease_owner=None, lease_until=None, retry_at=None, last_error=None, updated_at=now,
        )
    )


def defer(conn: Connection, item_id: int, *, owner: str, now: datetime, retry_at: datetime,
          error: str, sent_maybe: bool) -> None:
    """Try again at `retry_at`. `sent_maybe` keeps the in-flight record (the outcome is
    unknown, so the next attempt looks for the reply first); otherwise it is cleared."""
    values: dict[str, Any] = {"lease_owner": None, "lease_until": None, "retry_at": retry_at,
                              "last_error": error[:2000], "updated_at": now}
    if not sent_maybe:
        values.update(in_flight_draft_id=None, in_flight_key=None, in_flight_at=None)
    conn.execute(sa.update(_T).where(_mine(item_id, owner)).values(**values))


def fail(conn: Connection, item_id: int, *, owner: str, now: datetime, error: str) -> None:
    """The network refused for good: nothing is in flight; the lease is freed."""
    result = conn.execute(
        sa.update(_T).where(_mine(item_id, owner)).values(
            in_flight_draft_id=None, in_flight_key=None, in_flight_at=None, lease_owner=None,
            lease_until=None, retry_at=None, last_error=error[:2000], updated_at=now,
        )
    )
    if result.rowcount != 1:
        raise _lost(item_id)


def due(conn: Connection, *, now: datetime, feeds: Sequence[str], limit: int) -> list[int]:
    """Approved items of `feeds` whose lease is free and whose retry time has come, oldest
    decision first."""
    if not feeds:
        return []
    query = (
        sa.select(review_items.c.id)
        .select_from(review_items.outerjoin(_T, _T.c.item_id == review_items.c.id))
        .where(
            review_items.c.status == Status.APPROVED.value,
            review_items.c.feed.in_(list(feeds)),
            sa.or_(_T.c.retry_at.is_(None), _T.c.retry_at <= now),
            sa.or_(_T.c.lease_until.is_(None), _T.c.lease_until <= now),
        )
        .order_by(review_items.c.decided_at.asc(), review_items.c.id.asc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def mention_payload(conn: Connection, item_id: int) -> dict[str, Any]:
    """The raw network payload of the item's mention (for thread references)."""
    raw = conn.execute(
        sa.select(mentions.c.raw)
        .select_from(review_items.join(mentions, mentions.c.id == review_items.c.mention_id))
        .where(review_items.c.id == item_id)
    ).scalar()
    return dict(raw) if isinstance(raw, dict) else {}
