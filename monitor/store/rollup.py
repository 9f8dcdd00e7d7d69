"""Reading the review-item rollups (migration 0008) and folding their deltas into the counts.

The triggers in monitor.store.rollup_sql append one delta row per change; `compact` moves
them into item_counts / decision_counts (on PostgreSQL one statement under a try-lock, so two
daemons compacting at once neither wait nor count twice). Every read adds counts and the
deltas not yet folded, so it is exact whether or not anyone compacted. Reads cost one row per
hour, label and status, not one per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.schema import (
    decision_count_deltas,
    decision_counts,
    item_count_deltas,
    item_counts,
)

COMPACT_LOCK = 0x636D7275  # "cmru": one compactor at a time on PostgreSQL
_PAIRS = ((item_count_deltas, item_counts, ("hour", "label", "status")),
          (decision_count_deltas, decision_counts, ("hour", "bucket")))


def compact(conn: Connection) -> int:
    """Fold the deltas into the counts; the number of delta rows folded (0 if another
    process is folding them right now)."""
    done = 0
    if conn.dialect.name == "postgresql":
        if not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"),
                            {"k": COMPACT_LOCK}).scalar_one():
            return 0
        for deltas, counts, keys in _PAIRS:
            cols = ", ".join(keys)
            result = conn.execute(sa.text(
                f"WITH d AS (DELETE FROM {deltas.name} RETURNING {cols}, n), "
                f"s AS (SELECT {cols}, sum(n) AS n, count(*) AS rows FROM d GROUP BY {cols}), "
                f"i AS (INSERT INTO {counts.name} ({cols}, n) SELECT {cols}, n FROM s "
                f"ORDER BY {cols} ON CONFLICT ({cols}) DO UPDATE SET n = {counts.name}.n + "
                f"excluded.n) SELECT coalesce(sum(rows), 0) FROM s"))
            done += int(result.scalar_one())
        return done
    for deltas, counts, keys in _PAIRS:
        top = conn.execute(sa.select(sa.func.max(deltas.c.id))).scalar_one()
        if top is None:
            continue
        cols = ", ".join(keys)
        conn.execute(sa.text(
            f"INSERT INTO {counts.name} ({cols}, n) SELECT {cols}, sum(n) FROM {deltas.name} "
            f"WHERE id <= :top GROUP BY {cols} ON CONFLICT ({cols}) DO UPDATE SET "
            f"n = {counts.name}.n + excluded.n"), {"top": top})
        done += conn.execute(sa.delete(deltas).where(deltas.c.id <= top)).rowcount or 0
    return done


def _items() -> sa.Subquery:
    return sa.union_all(
        sa.select(item_counts.c.hour, item_counts.c.label, item_counts.c.status,
                  item_counts.c.n),
        sa.select(item_count_deltas.c.hour, item_count_deltas.c.label,
                  item_count_deltas.c.status, item_count_deltas.c.n),
    ).subquery("items")


def items_by_hour(conn: Connection, *, since: datetime | None = None,
                  statuses: Sequence[str] | None = None,
                  excluding: Sequence[datetime] = ()) -> list[tuple[datetime, str, str, int]]:
    """(hour, label, status, items) with a non-zero count, for hours at or after `since`
    (an hour's start), in `statuses`, leaving out the hours in `excluding`."""
    u = _items()
    query = sa.select(u.c.hour, u.c.label, u.c.status, sa.func.sum(u.c.n).label("n"))
    if since is not None:
        query = query.where(u.c.hour >= since)
    if statuses is not None:
        query = query.where(u.c.status.in_(list(statuses)))
    if excluding:
        query = query.where(u.c.hour.not_in(list(excluding)))
    query = query.group_by(u.c.hour, u.c.label, u.c.status)
    return [(_aware(r.hour), r.label, r.status, int(r.n)) for r in conn.execute(query)
            if int(r.n)]


def totals(conn: Connection) -> dict[tuple[str, str], int]:
    """Items per (status, label), all hours."""
    u = _items()
    rows = conn.execute(sa.select(u.c.status, u.c.label, sa.func.sum(u.c.n).label("n"))
                        .group_by(u.c.status, u.c.label))
    return {(r.status, r.label): int(r.n) for r in rows if int(r.n)}


def oldest_hour(conn: Connection, status: str) -> datetime | None:
    """The earliest hour holding an item in `status`."""
    u = _items()
    inner = (sa.select(u.c.hour, sa.func.sum(u.c.n).label("n")).where(u.c.status == status)
             .group_by(u.c.hour).subquery())
    value = conn.execute(sa.select(sa.func.min(inner.c.hour)).where(inner.c.n > 0)
                         ).scalar_one_or_none()
    return None if value is None else _aware(value)


def decisions_by_hour(conn: Connection, since: datetime) -> list[tuple[datetime, int, int]]:
    """(hour, bucket, decisions) for hours at or after `since` (an hour's start)."""
    u = sa.union_all(
        sa.select(decision_counts.c.hour, decision_counts.c.bucket, decision_counts.c.n),
        sa.select(decision_count_deltas.c.hour, decision_count_deltas.c.bucket,
                  decision_count_deltas.c.n),
    ).subquery("d")
    rows = conn.execute(sa.select(u.c.hour, u.c.bucket, sa.func.sum(u.c.n).label("n"))
                        .where(u.c.hour >= since).group_by(u.c.hour, u.c.bucket))
    return [(_aware(r.hour), int(r.bucket), int(r.n)) for r in rows if int(r.n)]


def _aware(value: object) -> datetime:
    from monitor.store.schema import UTCDateTime

    out = UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]
    assert out is not None
    return out
