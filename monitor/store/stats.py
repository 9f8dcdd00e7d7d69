"""Aggregates over the review queue for the statistics page and the metrics: items per day
and label, items per status (capped), pending items by age, decisions by time taken.

Counts come from the hourly rollups (monitor.store.rollup, kept by triggers), so they cost
one row per hour, label and status, not a scan of the items; only the hours a boundary cuts
through ("older than 4 hours" from now) are counted from the items themselves, over an index
range of at most an hour that holds the status (no row reads). Nothing here loads whole
tables. Results are plain values (ints, small dataclasses): bucket names, chart geometry
and page layout belong to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.model import Status
from monitor.store import rollup
from monitor.store.rollup_sql import DECISION_BOUNDS
from monitor.store.schema import daemons, feeds, review_items

HOUR = timedelta(hours=1)

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
    particular order; days or labels without items are absent). From the hourly rollup when
    `since` starts an hour (the statistics page's midnight), else a range on
    ix_review_items_mention_created_status."""
    if since == _floor_day(since):
        return [DayCount(day.date(), label, n) for day, label, n in _by_day_label(
            rollup.items(conn, daily=True, since=since))]
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
    """Items per status, each count stopping at cap + 1 (shown as "10,000+"). Read from the
    daily rollup (a row per day, label and status), so the queue page's tabs cost the same
    at a million items as at ten thousand; counting index entries up to the cap grew with
    the queue until every status passed the cap."""
    totals = rollup.totals(conn)
    out = dict.fromkeys(statuses, 0)
    for (status, _label), n in totals.items():
        if status in out:
            out[status] += n
    return {status: min(n, cap + 1) for status, n in out.items()}


def _floor_hour(value: datetime) -> datetime:
    return value.replace(minute=0, second=0, microsecond=0)


def _floor_day(value: datetime) -> datetime:
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


def _by_day_label(rows: Sequence[tuple[datetime, str, str, int]]
                  ) -> list[tuple[datetime, str, int]]:
    totals: dict[tuple[datetime, str], int] = {}
    for day, label, _status, n in rows:
        totals[(day, label)] = totals.get((day, label), 0) + n
    return [(day, label, n) for (day, label), n in totals.items() if n]


def pending_by_age(conn: Connection, now: datetime, bounds: Bounds) -> list[int]:
    """Pending items by the age of their mention at `now`, one count per bucket of `bounds`;
    an age equal to a bound counts in that bound's bucket. Whole hours come from the rollup;
    the hours holding a bucket's boundary are counted item by item."""
    finite = [b for b in bounds if b is not None]
    edges = sorted({_floor_hour(now - timedelta(seconds=b)) for b in finite})
    counts = _pending_by_age_scan(conn, now, bounds, edges)
    # Hours from the day of the oldest boundary on; whole days before it are older than
    # every boundary, so only an open-ended last bucket takes them.
    cut = _floor_day(now - timedelta(seconds=max(finite, default=0)))
    for hour, _label, _status, n in rollup.items(conn, daily=False, since=cut,
                                                 statuses=["pending"], excluding=edges):
        for i, bound in enumerate(bounds):  # no boundary inside this hour: its start decides
            if bound is None or hour >= now - timedelta(seconds=bound):
                counts[i] += n
                break
    if bounds and bounds[-1] is None:
        counts[-1] += sum(n for *_, n in rollup.items(conn, daily=True, before=cut,
                                                       statuses=["pending"]))
    return counts


def _pending_by_age_scan(conn: Connection, now: datetime, bounds: Bounds,
                         hours: Sequence[datetime]) -> list[int]:
    """pending_by_age over the items of the given hours only."""
    if not hours:
        return [0] * len(bounds)
    sums = []
    previous: datetime | None = None
    col = review_items.c.mention_created_at
    # The status is tested in the sums, not the WHERE: the WHERE is then only a range on
    # ix_review_items_mention_created_status, which SQLite would otherwise trade for the
    # status index and read every pending item. That index holds the status (migration
    # 0011), so the range is counted from the index alone, without reading each item's row:
    # these hours hold ~700 items each at a million, and reading their rows was most of
    # /stats' growth from ten thousand items.
    for bound in bounds:
        cond = [review_items.c.status == "pending"]
        if bound is not None:
            cond.append(col >= now - timedelta(seconds=bound))
        if previous is not None:
            cond.append(col < previous)
        sums.append(sa.func.sum(sa.case((sa.and_(*cond), 1), else_=0)))
        previous = now - timedelta(seconds=bound) if bound is not None else None
    out = [0] * len(bounds)
    for h in hours:  # one index range each, an hour long
        row = conn.execute(sa.select(*sums).where(col >= h, col < h + HOUR)).one()
        out = [a + int(v or 0) for a, v in zip(out, row, strict=True)]
    return out


def decisions_by_time_taken(conn: Connection, since: datetime, bounds: Bounds) -> list[int]:
    """Items decided at or after `since`, by time from mention to decision: one count per
    bucket of `bounds`, a time equal to a bound counting in the next bucket up. With the
    rollup's bounds (DECISION_BOUNDS, those of /stats) whole hours come from the rollup and
    only the part-hour after `since` from the items; other bounds read the items (a range on
    ix_review_items_decided_at)."""
    if tuple(bounds) != DECISION_BOUNDS:
        return _decisions_scan(conn, since, None, bounds)
    hour = _floor_hour(since)
    if hour < since:
        hour += HOUR
    day = _floor_day(since)
    if day < since:
        day += timedelta(days=1)
    counts = _decisions_scan(conn, since, hour, bounds) if hour > since else [0] * len(bounds)
    for _h, bucket, n in rollup.decisions(conn, daily=False, since=hour, before=day):
        counts[bucket] += n
    for _d, bucket, n in rollup.decisions(conn, daily=True, since=day):
        counts[bucket] += n
    return counts


def _decisions_scan(conn: Connection, since: datetime, until: datetime | None,
                    bounds: Bounds) -> list[int]:
    seconds = _seconds_between(conn.dialect.name, review_items.c.decided_at,
                               review_items.c.mention_created_at)
    bucket = _bucketed(seconds, bounds).label("bucket")
    rows = conn.execute(
        sa.select(bucket, sa.func.count().label("n"))
        .where(review_items.c.decided_at.is_not(None), review_items.c.decided_at >= since,
               *([review_items.c.decided_at < until] if until is not None else []))
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


def oldest_pending(conn: Connection) -> datetime | None:
    """When the oldest pending item's mention was created: the rollup finds its hour, the
    items of that hour the moment."""
    day = rollup.oldest(conn, "pending", daily=True)
    if day is None:
        return None
    hour = rollup.oldest(conn, "pending", daily=False, since=day) or day
    col = review_items.c.mention_created_at
    value = conn.execute(sa.select(sa.func.min(col)).where(
        review_items.c.status == "pending", col >= hour, col < hour + HOUR)).scalar_one()
    return value if isinstance(value, datetime) else hour


def snapshot(conn: Connection, now: datetime, lease: timedelta) -> Any:
    """What the metrics read from the database at a scrape (monitor.metrics.Snapshot's
    fields, as a dict): queue by status and label, the oldest pending age, leases held."""
    oldest = oldest_pending(conn)
    held = conn.execute(sa.select(feeds.c.lease_owner, sa.func.count())
                        .where(feeds.c.lease_owner.is_not(None))
                        .group_by(feeds.c.lease_owner)).all()
    alive = conn.execute(sa.select(sa.func.count()).select_from(daemons)
                         .where(daemons.c.heartbeat_at > now - lease)).scalar_one()
    return {
        "queue": rollup.totals(conn),
        "oldest_pending_seconds": None if oldest is None
        else max(0.0, (now - oldest).total_seconds()),
        "leases": {str(owner): int(n) for owner, n in held},
        "daemons": int(alive),
    }
