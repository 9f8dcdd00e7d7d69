"""Storage on both databases: migrations match the tables, times stay UTC, text round-trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from monitor.model import Classification, Draft, Label, Mention, Sentiment, Status
from monitor.store import engine as store_engine
from monitor.store import feeds as store_feeds
from monitor.store import ingest
from monitor.store import queue as store_queue
from monitor.store.schema import metadata, review_items
from monitor.text import clean_text


def test_migrations_match_the_tables_and_run_both_ways(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    store_engine.upgrade(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # Expression indexes (priority DESC) cannot be reflected on every backend; ignore those.
    diff = [d for d in diff if not (isinstance(d, tuple) and d[0] in ("add_index",
                                                                      "remove_index"))]
    assert diff == [], f"schema.py and the migrations differ: {diff}"
    command.downgrade(store_engine.alembic_config(engine), "base")
    assert "mentions" not in sa.inspect(engine).get_table_names()
    store_engine.upgrade(engine)
    assert "mentions" in sa.inspect(engine).get_table_names()
    engine.dispose()


def _processed(ext: str, text: str, created: datetime) -> ingest.Processed:
    mention = Mention(feed="f", platform="test", external_id=ext, text=text, author="@a",
                      created_at=created, raw={"nested": {"list": [1, "two"]}})
    classification = Classification(
        label=Label.FIX_REQUEST, sentiment=Sentiment(0.1, 0.8, 0.1, -0.2), topic="delivery",
        priority=0.5, reasons=("order number",))
    return ingest.Processed(mention, classification, Draft("@a thanks", "t/x"), Status.PENDING)


@pytest.mark.parametrize("text", [
    "plain",
    "emoji 👩‍👩‍👧‍👦🎉" * 50,
    "rtl \u202eevil\u202c and zero\u200dwidth",
    "{{ 7*7 }} {% raw %} <script>alert(1)</script> '; DROP TABLE mentions; --",
    "x" * 1_000_000,
])
def test_text_round_trips_exactly(db_url: str, text: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        assert ingest.store(conn, feed.id, [_processed("1", text, now)], now) == 1
    with engine.connect() as conn:
        page = store_queue.list_items(conn, store_queue.QueueFilter(), limit=5)
    assert page.items[0].mention.text == text
    engine.dispose()


def test_unstorable_characters_are_replaced_visibly() -> None:
    assert clean_text("a\x00b") == "a\ufffdb"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_text("pair 😀 kept") == "pair 😀 kept"


def test_times_are_utc_aware_whatever_the_input_zone(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    tokyo = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", tokyo)
        ingest.store(conn, feed.id, [_processed("1", "t", tokyo)], tokyo)
    with engine.connect() as conn:
        item = store_queue.list_items(conn, store_queue.QueueFilter(), limit=1).items[0]
        raw = conn.execute(sa.select(review_items.c.mention_created_at)).scalar_one()
    assert item.mention.created_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert raw.tzinfo is UTC
    engine.dispose()


def test_duplicate_insert_is_ignored_not_an_error(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        assert ingest.store(conn, feed.id, [_processed("1", "a", now)], now) == 1
        # As if another daemon stored it between our check and our insert:
        assert ingest.store(conn, feed.id, [_processed("1", "a", now),
                                            _processed("2", "b", now)], now) == 1
    with engine.connect() as conn:
        assert store_queue.counts_by_status(conn) == {"pending": 2}
    engine.dispose()


def test_postgres_urls_use_psycopg_and_passwords_are_hidden() -> None:
    assert store_engine.normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert store_engine.normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    engine = store_engine.make_engine("postgresql://user:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in store_engine.describe(engine)
    engine.dispose()


def _ranked(ext: str, created: datetime, priority: float,
            label: Label = Label.FIX_REQUEST) -> ingest.Processed:
    mention = Mention(feed="f", platform="test", external_id=ext, text=f"text {ext}",
                      author="@a", created_at=created)
    classification = Classification(
        label=label, sentiment=Sentiment(0.1, 0.8, 0.1, -0.2), topic="delivery",
        priority=priority, reasons=())
    return ingest.Processed(mention, classification, None, Status.PENDING)


def test_stats_aggregates_count_by_day_status_age_and_decision_time(db_url: str) -> None:
    from monitor.store import stats as store_stats

    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    hour = timedelta(hours=1)
    ages = {"a": 0.5 * hour, "b": 1 * hour, "c": 2 * hour, "d": 5 * hour, "e": 50 * hour,
            "f": 100 * hour, "g": 20 * 24 * hour}
    labels = {"a": Label.VENTING, "b": Label.VENTING}
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        ingest.store(conn, feed.id, [
            _ranked(ext, now - age, 0.5, labels.get(ext, Label.FIX_REQUEST))
            for ext, age in ages.items()], now)
        # Decided: e after 10 minutes, f after 2 hours (both recent), g 15 days ago.
        decided = {"e": (now - ages["e"] + timedelta(minutes=10), "approved"),
                   "f": (now - ages["f"] + 2 * hour, "rejected"),
                   "g": (now - 15 * 24 * hour, "approved")}
        for ext, (at, status) in decided.items():
            mention_id = conn.execute(sa.text(
                "SELECT id FROM mentions WHERE external_id = :e"), {"e": ext}).scalar_one()
            conn.execute(review_items.update().where(review_items.c.mention_id == mention_id)
                         .values(status=status, decided_at=at))
    with engine.connect() as conn:
        days = store_stats.per_day_and_label(conn, now - 3 * 24 * hour)
        assert sorted((d.day.isoformat(), d.label, d.count) for d in days) == [
            ("2026-11-22", "fix_request", 1),  # e, 50 h old
            ("2026-11-24", "fix_request", 2),  # c and d
            ("2026-11-24", "venting", 2),  # a and b
        ]
        assert store_stats.status_counts(conn, cap=2) == {
            "pending": 3, "approved": 2, "rejected": 1, "published": 0, "failed": 0,
            "skipped": 0}
        # Pending a-d; an item exactly at a bound counts in the bucket below it.
        bounds = [3600.0, 4 * 3600.0, 86400.0, None]
        assert store_stats.pending_by_age(conn, now, bounds) == [2, 1, 1, 0]
        # e after 10 m, f after 2 h, g after 5 d; g is outside a 10-day window.
        assert store_stats.decisions_by_time_taken(conn, now - 30 * 24 * hour, bounds) == [
            1, 1, 0, 1]
        assert store_stats.decisions_by_time_taken(conn, now - 10 * 24 * hour, bounds) == [
            1, 1, 0, 0]
    engine.dispose()


def test_keyset_pages_match_one_full_listing_with_ties(db_url: str) -> None:
    """Paging (two range scans per page) gives exactly the full ORDER BY listing, even when
    many items share a priority and a mention time, on any page size and filter."""
    from monitor.store.schema import mentions

    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    times = [now - timedelta(hours=h) for h in (1, 2, 2, 5)]  # a tie in time too
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        ingest.store(conn, feed.id, [
            _ranked(str(n), times[n % 4], (0.0, 0.5, 0.5, 0.731, 1.0)[n % 5],
                    (Label.FIX_REQUEST, Label.VENTING, Label.NEUTRAL)[n % 3])
            for n in range(90)], now)
        conn.execute(review_items.update().where(review_items.c.id % 4 == 0)
                     .values(status="approved"))
    p, c, i = review_items.c.priority, review_items.c.mention_created_at, review_items.c.id
    filters = [store_queue.QueueFilter(), store_queue.QueueFilter(statuses=None),
               store_queue.QueueFilter(label="venting"),
               store_queue.QueueFilter(statuses=None, text="text 1")]
    with engine.connect() as conn:
        for f in filters:
            full = [item.id for item in store_queue.list_items(conn, f, limit=1000).items]
            conds = store_queue._where(f)
            plain = conn.execute(
                sa.select(review_items.c.id).select_from(
                    review_items.join(mentions, mentions.c.id == review_items.c.mention_id))
                .where(*conds).order_by(p.desc(), c.asc(), i.asc())).scalars().all()
            assert full == plain and len(plain) > 10, f
            for size in (1, 2, 3, 7, 50):
                paged: list[int] = []
                after = None
                for _ in range(len(plain) + 1):  # a key that does not advance must fail
                    page = store_queue.list_items(conn, f, limit=size, after=after)
                    paged += [item.id for item in page.items]
                    assert len(page.items) <= size
                    if page.next_after is None:
                        break
                    assert len(page.items) == size
                    after = page.next_after
                assert paged == plain, (f, size)
    engine.dispose()


def test_neighbours_are_the_adjacent_items_of_the_listing_with_ties(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    times = [now - timedelta(hours=h) for h in (1, 2, 2, 5)]
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        ingest.store(conn, feed.id, [
            _ranked(str(n), times[n % 4], (0.0, 0.5, 0.5, 1.0)[n % 7 % 4]) for n in range(40)],
            now)
    with engine.connect() as conn:
        f = store_queue.QueueFilter()
        items = store_queue.list_items(conn, f, limit=1000).items
        ids: list[int | None] = [None, *(item.id for item in items), None]
        for n, item in enumerate(items, start=1):
            assert store_queue.neighbours(conn, item, f) == (ids[n - 1], ids[n + 1])
    engine.dispose()
