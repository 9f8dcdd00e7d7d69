"""Aggregates over the review queue for the statistics page: items per day and label, items
per status (capped), pending items by age, decisions by time taken.

Every query aggregates in the database (GROUP BY / SUM(CASE ...)) over a bounded time window
or a bounded index walk, so it costs the same at a thousand rows or a million; nothing here
loads whole tables. Results are plain values (ints, small dataclasses): bucket names, chart
geometry and page layout belong to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.model import Status
from monitor.store.schema import review_items

STATUSES = tuple(status.value for status in Status)
COUNT_CAP = 10_000

Bounds = Sequence[float | None]
"""Ascending upper bounds of age buckets in seconds; None (last only) leaves it open-ended."""


@dataclass(frozen=True, slots=True)
class DayCount:
    """Review items whose mention was created on `day` (UTC date) with this label."""

    day: date
    label: str
    count: int


def per_day_and_label(conn: Connection, since: datetime) -> list[DayCount]:
    """Items whose mention was created at or after `since`, counted per day and label (in no
    particular order; days or labels without items are absent). The window is a range on
    ix_review_items_mention_created_at (migration 0002), so only its rows are read."""
    day = sa.func.date(review_items.c.mention_created_at)
    rows = conn.execute(
        sa.select(day.label("day"), review_items.c.label, sa.func.count().label("n"))
        .where(review_items.c.mention_created_at >= since)
        .group_by(day, review_items.c.label)
    ).all()
    # SQLite's date() gives 'YYYY-MM-DD' text, PostgreSQL's a date.
    return [DayCount(date.fromisoformat(str(r.day)[:10]), r.label, int(r.n)) for r in rows]


def status_counts(conn: Connection, statuses: Sequence[str] = STATUSES,
                  cap: int = COUNT_CAP) -> dict[str, int]:
    """Items per status, each count stopping at cap + 1 (shown as "10,000+"), so the queue
    page's tabs cost a bounded index walk, not a scan of every item."""
    out: dict[str, int] = {}
    for status in statuses:
        inner = (sa.select(sa.literal(1)).select_from(review_items)
                 .where(review_items.c.status == status).limit(cap + 1).subquery())
        out[status] = int(conn.execute(
            sa.select(sa.func.count()).select_from(inner)).scalar_one())
    return out


def pending_by_age(conn: Connection, now: datetime, bounds: Bounds) -> list[int]:
    """Pending items by the age of their mention at `now`, one count per bucket of `bounds`;
    an age equal to a bound counts in that bound's bucket."""
    sums = []
    previous: datetime | None = None
    col = review_items.c.mention_created_at
    for bound in bounds:
        cond = [col >= now - timedelta(seconds=bound)] if bound is not None else []
        if previous is not None:
            cond.append(col < previous)
        sums.append(sa.func.sum(sa.case((sa.and_(*cond) if cond else sa.true(), 1), else_=0)))
        previous = now - timedelta(seconds=bound) if bound is not None else None
    row = conn.execute(
        sa.select(*sums).where(review_items.c.status == "pending")
    ).one()
    return [int(v or 0) for v in row]


def decisions_by_time_taken(conn: Connection, since: datetime, bounds: Bounds) -> list[int]:
    """Items decided at or after `since` (a range on ix_review_items_decided_at), by time
    from mention to decision: one count per bucket of `bounds`, a time equal to a bound
    counting in the next bucket up."""
    seconds = _seconds_between(conn.dialect.name, review_items.c.decided_at,
                               review_items.c.mention_created_at)
    bucket = _bucketed(seconds, bounds).label("bucket")
    rows = conn.execute(
        sa.select(bucket, sa.func.count().label("n"))
        .where(review_items.c.decided_at.is_not(None), review_items.c.decided_at >= since)
        .group_by(bucket)
    ).all()
    counts = [0] * len(bounds)
    for r in rows:
        counts[int(r.bucket)] += int(r.n)
    return counts


def _bucketed(value: Any, bounds: Bounds) -> Any:
    """A CASE giving the bucket index of `value` (seconds)."""
    whens = [(value < bound, i) for i, bound in enumerate(bounds) if bound is not None]
    return sa.case(*whens, else_=len(bounds) - 1)


def _seconds_between(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "sqlite":
        return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0
    return sa.func.extract("epoch", later - earlier)
