"""Reading the review-item rollups (migration 0010) and folding their deltas into the counts.

The triggers in monitor.store.rollup_sql append one delta row per change; `compact` moves
them into the hourly and the daily counts (on PostgreSQL one statement per pair under a
try-lock, so two daemons compacting at once neither wait nor count twice). Every read adds
the counts and the deltas not yet folded, so it is exact whether or not anyone compacted.
Reads over weeks use the daily counts (a row per day, label and status), reads near now the
hourly ones; neither grows with the number of items.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.rollup_sql import day_of
from monitor.store.schema import (
    UTCDateTime,
    decision_count_deltas,
    decision_counts,
    decision_counts_daily,
    item_count_deltas,
    item_counts,
    item_counts_daily,
)

COMPACT_LOCK = 0x636D7275  # "cmru": one compactor at a time on PostgreSQL
_PAIRS = ((item_count_deltas, item_counts, item_counts_daily, ("label", "status")),
          (decision_count_deltas, decision_counts, decision_counts_daily, ("bucket",)))


def compact(conn: Connection) -> int:
    """Fold the deltas into the hourly and daily counts; the number of delta rows folded
    (0 if another process is folding them right now)."""
    done = 0
    dialect = conn.dialect.name
    day = day_of(dialect, "hour")
    if dialect == "postgresql":
        if not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"),
                            {"k": COMPACT_LOCK}).scalar_one():
            return 0
        for deltas, hourly, daily, keys in _PAIRS:
            k = ", ".join(keys)
            result = conn.execute(sa.text(
                f"WITH d AS (DELETE FROM {deltas.name} RETURNING hour, {k}, n), "
                f"h AS (SELECT hour, {k}, sum(n) AS n, count(*) AS rows FROM d "
                f"GROUP BY hour, {k}), "
                f"i AS (INSERT INTO {hourly.name} (hour, {k}, n) SELECT hour, {k}, n FROM h "
                f"ORDER BY hour, {k} ON CONFLICT (hour, {k}) DO UPDATE SET "
                f"n = {hourly.name}.n + excluded.n), "
                f"j AS (INSERT INTO {daily.name} (day, {k}, n) SELECT {day}, {k}, sum(n) FROM h "
                f"GROUP BY {day}, {k} ORDER BY 1, {k} ON CONFLICT (day, {k}) DO UPDATE SET "
                f"n = {daily.name}.n + excluded.n) "
                "SELECT coalesce(sum(rows), 0) FROM h"))
            done += int(result.scalar_one())
        return done
    for deltas, hourly, daily, keys in _PAIRS:
        top = conn.execute(sa.select(sa.func.max(deltas.c.id))).scalar_one()
        if top is None:
            continue
        k = ", ".join(keys)
        conn.execute(sa.text(
            f"INSERT INTO {hourly.name} (hour, {k}, n) SELECT hour, {k}, sum(n) FROM "
            f"{deltas.name} WHERE id <= :top GROUP BY hour, {k} ON CONFLICT (hour, {k}) "
            f"DO UPDATE SET n = {hourly.name}.n + excluded.n"), {"top": top})
        conn.execute(sa.text(
            f"INSERT INTO {daily.name} (day, {k}, n) SELECT {day}, {k}, sum(n) FROM "
            f"{deltas.name} WHERE id <= :top GROUP BY {day}, {k} ON CONFLICT (day, {k}) "
            f"DO UPDATE SET n = {daily.name}.n + excluded.n"), {"top": top})
        done += conn.execute(sa.delete(deltas).where(deltas.c.id <= top)).rowcount or 0
    return done


def _union(conn: Connection, counts: sa.Table, deltas: sa.Table, keys: Sequence[str],
           *, daily: bool, since: datetime | None = None, before: datetime | None = None,
           statuses: Sequence[str] | None = None, excluding: Sequence[datetime] = ()
           ) -> sa.Subquery:
    """Counts and unfolded deltas as one (period, keys..., n) relation, the period an hour or
    a day. The filters go into each branch, so the counts are read by a range on their key."""
    if daily:
        t_delta: Any = sa.literal_column(day_of(conn.dialect.name, deltas.name + ".hour"),
                                         UTCDateTime())
        t_count: Any = counts.c.day
    else:
        t_delta, t_count = deltas.c.hour, counts.c.hour
    branches = []
    for table, t in ((counts, t_count), (deltas, t_delta)):
        query = sa.select(t.label("period"), *[table.c[k] for k in keys], table.c.n)
        if since is not None:
            query = query.where(t >= since)
        if before is not None:
            query = query.where(t < before)
        if statuses is not None:
            query = query.where(table.c.status.in_(list(statuses)))
        if excluding:
            query = query.where(t.not_in(list(excluding)))
        branches.append(query)
    return sa.union_all(*branches).subquery("u")


def items(conn: Connection, *, daily: bool, since: datetime | None = None,
          before: datetime | None = None, statuses: Sequence[str] | None = None,
          excluding: Sequence[datetime] = ()) -> list[tuple[datetime, str, str, int]]:
    """(hour or day, label, status, items) with a non-zero count, for periods starting at or
    after `since` and before `before`, in `statuses`, leaving out the periods in `excluding`."""
    u = _union(conn, item_counts_daily if daily else item_counts, item_count_deltas,
               ("label", "status"), daily=daily, since=since, before=before,
               statuses=statuses, excluding=excluding)
    query = (sa.select(u.c.period, u.c.label, u.c.status, sa.func.sum(u.c.n).label("n"))
             .group_by(u.c.period, u.c.label, u.c.status))
    return [(_aware(r.period), r.label, r.status, int(r.n)) for r in conn.execute(query)
            if int(r.n)]


def totals(conn: Connection) -> dict[tuple[str, str], int]:
    """Items per (status, label), all days."""
    u = _union(conn, item_counts_daily, item_count_deltas, ("label", "status"), daily=True)
    rows = conn.execute(sa.select(u.c.status, u.c.label, sa.func.sum(u.c.n).label("n"))
                        .group_by(u.c.status, u.c.label))
    return {(r.status, r.label): int(r.n) for r in rows if int(r.n)}


def oldest(conn: Connection, status: str, *, daily: bool,
           since: datetime | None = None) -> datetime | None:
    """The earliest day (or hour, at or after `since`) holding an item in `status`."""
    u = _union(conn, item_counts_daily if daily else item_counts, item_count_deltas,
               ("label", "status"), daily=daily, since=since, statuses=[status])
    inner = (sa.select(u.c.period, sa.func.sum(u.c.n).label("n")).group_by(u.c.period)
             .subquery())
    value = conn.execute(sa.select(sa.func.min(inner.c.period)).where(inner.c.n > 0)
                         ).scalar_one_or_none()
    return None if value is None else _aware(value)


def decisions(conn: Connection, *, daily: bool, since: datetime,
              before: datetime | None = None) -> list[tuple[datetime, int, int]]:
    """(hour or day, bucket, decisions) for periods starting in [since, before)."""
    u = _union(conn, decision_counts_daily if daily else decision_counts,
               decision_count_deltas, ("bucket",), daily=daily, since=since, before=before)
    rows = conn.execute(sa.select(u.c.period, u.c.bucket, sa.func.sum(u.c.n).label("n"))
                        .group_by(u.c.period, u.c.bucket))
    return [(_aware(r.period), int(r.bucket), int(r.n)) for r in rows if int(r.n)]


def _aware(value: object) -> datetime:
    out = UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]
    assert out is not None
    return out
