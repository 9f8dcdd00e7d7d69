"""Feed state: cursors, last poll, last error, back-off, pauses and recorded item problems.

Cursor writes happen inside the caller's transaction, together with the mentions they cover.
Pausing only records the operator's wish (who, when, why); honouring it is the caller's job
(monitor.app and monitor.scheduler), so this module never decides whether to poll.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.schema import feed_problems, feeds


@dataclass(frozen=True, slots=True)
class FeedState:
    id: int
    name: str
    kind: str
    cursor: Mapping[str, Any] | None
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    retry_at: datetime | None
    next_poll_at: datetime | None
    last_summary: Mapping[str, Any] | None
    paused: bool = False
    paused_at: datetime | None = None
    paused_by: str | None = None
    pause_reason: str | None = None
    resumed_at: datetime | None = None
    resumed_by: str | None = None
    holder: str | None = None
    held_since: datetime | None = None
    lease_until: datetime | None = None


MAX_REASON = 500


def _state(row: sa.Row[Any]) -> FeedState:
    return FeedState(
        id=row.id, name=row.name, kind=row.kind, cursor=row.cursor,
        last_poll_at=row.last_poll_at, last_success_at=row.last_success_at,
        last_error=row.last_error, last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures, retry_at=row.retry_at,
        next_poll_at=row.next_poll_at, last_summary=row.last_summary,
        paused=bool(row.paused), paused_at=row.paused_at, paused_by=row.paused_by,
        pause_reason=row.pause_reason, resumed_at=row.resumed_at, resumed_by=row.resumed_by,
        holder=row.lease_owner, held_since=row.held_since, lease_until=row.lease_until,
    )


def ensure(conn: Connection, name: str, kind: str, now: datetime) -> FeedState:
    """The feed's row, created on first use. A changed kind keeps the row but drops the cursor
    (a cursor means nothing to another adapter)."""
    row = conn.execute(sa.select(feeds).where(feeds.c.name == name)).first()
    if row is None:
        conn.execute(sa.insert(feeds).values(name=name, kind=kind, created_at=now))
        row = conn.execute(sa.select(feeds).where(feeds.c.name == name)).one()
    elif row.kind != kind:
        conn.execute(
            sa.update(feeds).where(feeds.c.id == row.id).values(kind=kind, cursor=None)
        )
        row = conn.execute(sa.select(feeds).where(feeds.c.id == row.id)).one()
    return _state(row)


def get(conn: Connection, name: str) -> FeedState | None:
    row = conn.execute(sa.select(feeds).where(feeds.c.name == name)).first()
    return None if row is None else _state(row)


def all_states(conn: Connection) -> list[FeedState]:
    return [_state(r) for r in conn.execute(sa.select(feeds).order_by(feeds.c.name))]


def pause(conn: Connection, name: str, kind: str, actor: str, reason: str | None,
          now: datetime) -> tuple[FeedState, bool]:
    """Pause the feed (its row created if it was never polled); (state, changed). Pausing a
    paused feed changes nothing, so the first pause's who, when and why stay on record. The
    cursor is kept, so a resumed feed carries on where it stopped."""
    state = ensure(conn, name, kind, now)
    text = " ".join((reason or "").split())[:MAX_REASON] or None
    # Guarded on the flag so two operators pausing at once record only one pause.
    changed = conn.execute(
        sa.update(feeds).where(feeds.c.id == state.id, feeds.c.paused == sa.false())
        .values(paused=True, paused_at=now, paused_by=actor[:64], pause_reason=text)
    ).rowcount == 1
    return _reread(conn, state.id), changed


def resume(conn: Connection, name: str, kind: str, actor: str,
           now: datetime) -> tuple[FeedState, bool]:
    """Resume a paused feed; (state, changed). The last pause's who, when and why stay on
    record beside the resume's who and when."""
    state = ensure(conn, name, kind, now)
    changed = conn.execute(
        sa.update(feeds).where(feeds.c.id == state.id, feeds.c.paused == sa.true())
        .values(paused=False, resumed_at=now, resumed_by=actor[:64])
    ).rowcount == 1
    return _reread(conn, state.id), changed


def _reread(conn: Connection, feed_id: int) -> FeedState:
    return _state(conn.execute(sa.select(feeds).where(feeds.c.id == feed_id)).one())


def save_cursor(conn: Connection, feed_id: int, cursor: Mapping[str, Any] | None) -> None:
    conn.execute(sa.update(feeds).where(feeds.c.id == feed_id).values(cursor=cursor))


def record_success(
    conn: Connection, feed_id: int, now: datetime, next_poll_at: datetime | None,
    summary: Mapping[str, Any],
) -> None:
    conn.execute(
        sa.update(feeds).where(feeds.c.id == feed_id).values(
            last_poll_at=now, last_success_at=now, last_error=None, consecutive_failures=0,
            retry_at=None, next_poll_at=next_poll_at, last_summary=dict(summary),
        )
    )


def record_failure(
    conn: Connection, feed_id: int, now: datetime, message: str, retry_at: datetime | None,
    next_poll_at: datetime | None, summary: Mapping[str, Any],
) -> None:
    conn.execute(
        sa.update(feeds).where(feeds.c.id == feed_id).values(
            last_poll_at=now, last_error=message, last_error_at=now,
            consecutive_failures=feeds.c.consecutive_failures + 1, retry_at=retry_at,
            next_poll_at=next_poll_at, last_summary=dict(summary),
        )
    )


def set_next_poll(conn: Connection, name: str, at: datetime | None) -> None:
    conn.execute(sa.update(feeds).where(feeds.c.name == name).values(next_poll_at=at))


def record_problems(
    conn: Connection, feed_id: int, now: datetime, problems: Sequence[tuple[str, str]]
) -> None:
    if problems:
        conn.execute(
            sa.insert(feed_problems),
            [{"feed_id": feed_id, "at": now, "where": w[:255], "message": m}
             for w, m in problems],
        )


def recent_problems(conn: Connection, feed_id: int, limit: int = 20) -> list[tuple[datetime, str,
                                                                                    str]]:
    rows = conn.execute(
        sa.select(feed_problems.c.at, feed_problems.c["where"], feed_problems.c.message)
        .where(feed_problems.c.feed_id == feed_id)
        .order_by(feed_problems.c.id.desc()).limit(limit)
    )
    return [(r[0], r[1], r[2]) for r in rows]
