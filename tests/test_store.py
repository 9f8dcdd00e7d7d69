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
