"""The review-item rollups (migration 0010) stay equal to a full count of the items after a
mix of every change an item goes through (approve, reject, relabel, redraft, edit, reopen,
publish, delete), on both databases, folded or not; and the /stats aggregates and the metrics
read from them give the same numbers as counting the items one by one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.app import App
from monitor.errors import MonitorError
from monitor.store import items as store_items
from monitor.store import queue as store_queue
from monitor.store import rollup
from monitor.store import stats as store_stats
from monitor.store.rollup_sql import DECISION_BOUNDS
from monitor.store.schema import item_count_deltas, review_items
from tests.conftest import FakeClock

BACKLOG = (3600, 4 * 3600, 86400, 3 * 86400, None)


def full_counts(app: App) -> Counter[tuple[str, str]]:
    with app.engine.connect() as conn:
        rows = conn.execute(sa.select(review_items.c.status, review_items.c.label))
        return Counter((r.status, r.label) for r in rows)


def scanned(app: App, now: Any) -> tuple[list[int], list[int], Counter[tuple[Any, str]]]:
    """The /stats numbers counted item by item (the pre-rollup queries)."""
    with app.engine.connect() as conn:
        rows = conn.execute(sa.select(review_items)).all()
    backlog = [0] * len(BACKLOG)
    for r in rows:
        if r.status != "pending":
            continue
        age = (now - r.mention_created_at).total_seconds()
        for i, bound in enumerate(BACKLOG):
            if bound is None or age <= bound:
                backlog[i] += 1
                break
    since = now - timedelta(days=30)
    decisions = [0] * len(DECISION_BOUNDS)
    for r in rows:
        if r.decided_at is None or r.decided_at < since:
            continue
        taken = (r.decided_at - r.mention_created_at).total_seconds()
        for i, bound in enumerate(DECISION_BOUNDS):
            if bound is None or taken < bound:
                decisions[i] += 1
                break
    day0 = (now - timedelta(days=13)).replace(hour=0, minute=0, second=0, microsecond=0)
    days = Counter((r.mention_created_at.date(), r.label) for r in rows
                   if r.mention_created_at >= day0)
    return backlog, decisions, days


def check(app: App, now: Any) -> None:
    with app.engine.connect() as conn:
        assert rollup.totals(conn) == dict(full_counts(app))
        backlog = store_stats.pending_by_age(conn, now, BACKLOG)
        decisions = store_stats.decisions_by_time_taken(conn, now - timedelta(days=30),
                                                        DECISION_BOUNDS)
        day0 = (now - timedelta(days=13)).replace(hour=0, minute=0, second=0, microsecond=0)
        days = Counter({(d.day, d.label): d.count
                        for d in store_stats.per_day_and_label(conn, day0)})
        snap = store_stats.snapshot(conn, now, timedelta(seconds=30))
        tabs = store_stats.status_counts(conn, cap=10**9)
    want_backlog, want_decisions, want_days = scanned(app, now)
    assert backlog == want_backlog
    assert decisions == want_decisions
    assert days == want_days
    assert snap["queue"] == dict(full_counts(app))
    per_status = Counter[str]()
    for (status, _label), n in full_counts(app).items():
        per_status[status] += n
    assert tabs == {s: per_status[s] for s in store_stats.STATUSES}
    with app.engine.connect() as conn:
        oldest = conn.execute(sa.select(sa.func.min(review_items.c.mention_created_at))
                              .where(review_items.c.status == "pending")).scalar_one()
    if oldest is None:
        assert snap["oldest_pending_seconds"] is None
    else:
        assert snap["oldest_pending_seconds"] == (now - oldest.replace(tzinfo=now.tzinfo)
                                                  ).total_seconds()


def test_rollups_equal_a_full_count_after_every_kind_of_change(
        demo_app: App, clock: FakeClock) -> None:
    app = demo_app
    # Spread the mentions over three weeks, minutes off the hour, so every age bucket and
    # every boundary hour has items.
    with app.engine.begin() as conn:
        ids = list(conn.execute(sa.select(review_items.c.id).order_by(review_items.c.id))
                   .scalars())
        for n, item_id in enumerate(ids):
            conn.execute(sa.update(review_items).where(review_items.c.id == item_id).values(
                mention_created_at=clock() - timedelta(minutes=37 * n * n + 7)))
    clock.advance(minutes=23)
    check(app, clock())
    reviewer = app.reviewer()
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=1000).items
    pending = [i for i in items if i.status == "pending" and i.draft is not None
               and not i.draft.violations]
    skipped = [i for i in items if i.status == "skipped"]
    done = Counter[str]()
    for n, item in enumerate(pending[:30]):
        clock.advance(minutes=11 * n)
        try:
            match n % 6:
                case 0:
                    reviewer.approve(item.id, by="ann")
                case 1:
                    reviewer.reject(item.id, by="ann", reason="spam")
                case 2:
                    reviewer.relabel(item.id, by="ann", label="venting")
                case 3:
                    reviewer.redraft(item.id, by="ann")
                case 4:
                    reviewer.approve(item.id, by="ann")
                    reviewer.reopen(item.id, by="ann")
                case 5:
                    approved = reviewer.approve(item.id, by="ann")
                    with app.engine.begin() as conn:
                        store_items.transition(
                            conn, item.id, expected_version=approved.version,
                            from_status="approved", to_status="published", actor="publisher",
                            action="publish", now=clock(), values={"published_ref": "x"})
            done[str(n % 6)] += 1
        except MonitorError:
            continue
    if skipped:
        reviewer.relabel(skipped[0].id, by="ann", label="fix_request")
    assert len(done) == 6, done
    check(app, clock())
    # Folding the deltas changes no number; nor does a deleted item.
    with app.engine.begin() as conn:
        assert rollup.compact(conn) > 0
        assert conn.execute(sa.select(sa.func.count()).select_from(item_count_deltas)
                            ).scalar_one() == 0
    check(app, clock())
    victim = pending[-1].id
    with app.engine.begin() as conn:
        for table in ("review_events", "publish_attempts", "reply_memory", "saved_answers"):
            conn.execute(sa.text(f"DELETE FROM {table} WHERE item_id = :i"), {"i": victim})
        conn.execute(sa.delete(review_items).where(review_items.c.id == victim))
    clock.advance(hours=5)
    check(app, clock())


def statements(app: App, read: Callable[[Connection], object]) -> list[tuple[str, Any]]:
    """The SQL statements `read` runs, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        seen.append((statement, parameters))

    with app.engine.connect() as conn:
        sa.event.listen(conn, "before_cursor_execute", record)
        read(conn)
        sa.event.remove(conn, "before_cursor_execute", record)
    return seen


def test_queue_tabs_and_backlog_read_no_item_rows(demo_app: App, clock: FakeClock) -> None:
    """What made the SQLite pages grow with the queue (bench/pages.py): the queue page's tabs
    counted index entries up to the cap, and /stats read the row of every item in the hours
    an age boundary cuts through. Now the tabs come from the rollup alone and the boundary
    hours from the index holding the status (migration 0011)."""
    app = demo_app
    tabs = statements(app, store_stats.status_counts)
    assert tabs and not [sql for sql, _ in tabs if "review_items" in sql]
    with app.engine.connect() as conn:
        capped = store_stats.status_counts(conn, cap=2)
    assert capped["pending"] == 3  # more than two pending: shown as "2+"
    if app.engine.dialect.name != "sqlite":
        return
    # An hour a boundary cuts through holds items, minutes off the hour, so it is scanned.
    now = clock()
    with app.engine.begin() as conn:
        conn.execute(sa.update(review_items).values(
            mention_created_at=now - timedelta(hours=1, minutes=7)))
    plans = []
    with app.engine.connect() as conn:
        for sql, params in statements(
                app, lambda c: store_stats.pending_by_age(c, now, BACKLOG)):
            if "FROM review_items" in sql:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
                plans.append(" ".join(str(r[-1]) for r in rows))
    assert plans, "no boundary hour was counted from the items"
    assert all("COVERING INDEX ix_review_items_mention_created_status" in p for p in plans), plans
