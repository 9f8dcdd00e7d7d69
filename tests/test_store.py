"""Storage on both databases: migrations match the tables, times stay UTC, text round-trips."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from monitor.model import (
    Classification,
    Draft,
    Label,
    Mention,
    Sentiment,
    Status,
    freeze,
    thaw,
)
from monitor.store import engine as store_engine
from monitor.store import feeds as store_feeds
from monitor.store import ingest
from monitor.store import queue as store_queue
from monitor.store.schema import (
    classifications,
    drafts,
    feeds,
    mentions,
    metadata,
    review_events,
    review_items,
)
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


def _full(ext: str, created: datetime, *, label: Label = Label.FIX_REQUEST,
          platform: str = "test") -> ingest.Processed:
    """A mention with every optional field set, and a draft unless the label is neutral."""
    mention = Mention(
        feed="f", platform=platform, external_id=ext, text=f"text {ext} \u00e9\U0001f600",
        author=f"@a{ext}", created_at=created, url=f"https://example.social/{ext}",
        author_name=f"Name {ext}", author_followers=1_000_000 + len(ext), language="en",
        reply_to_id=f"r{ext}", thread_id=f"t{ext}",
        raw=freeze({"id": ext, "nested": {"list": [1, 2.5, None, True, "x\u0000y"]}, "7": "k"}))
    classification = Classification(
        label=label, sentiment=Sentiment(0.1, 0.7, 1 / 3, -0.2), topic="billing",
        priority=0.123456789, reasons=("order number", f"cue {ext}"), classifier="rules-x")
    draft = None if label is Label.NEUTRAL else Draft(
        f"@a{ext} sorry", "fix_request/billing", ("shouting",))
    status = Status.SKIPPED if draft is None else Status.PENDING
    return ingest.Processed(mention, classification, draft, status)


def test_every_column_of_a_stored_page_reads_back_as_given(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, 0, 1, 500, tzinfo=UTC)
    created = datetime(2026, 11, 24, 18, 0, 0, 7, tzinfo=timezone(timedelta(hours=9)))
    batch = [_full("a", created), _full("b", created, label=Label.NEUTRAL),
             _full("c", created, label=Label.VENTING)]
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        assert ingest.store(conn, feed.id, batch, now) == 3
    with engine.connect() as conn:
        rows = {r.external_id: r for r in conn.execute(sa.select(mentions).order_by(mentions.c.id))}
        assert list(rows) == ["a", "b", "c"]  # ids follow the batch order
        for p in batch:
            m, c, d = p.mention, p.classification, p.draft
            row = rows[m.external_id]
            assert (row.feed_id, row.platform, row.text, row.author, row.author_name,
                    row.author_followers, row.url, row.language, row.reply_to_id,
                    row.thread_id, row.created_at, row.fetched_at, row.raw) == (
                feed.id, m.platform, m.text, m.author, m.author_name, m.author_followers,
                m.url, m.language, m.reply_to_id, m.thread_id, m.created_at, now,
                thaw(m.raw))
            cls = conn.execute(sa.select(classifications).where(
                classifications.c.mention_id == row.id)).one()
            assert (cls.label, cls.topic, cls.priority, cls.neg, cls.neu, cls.pos,
                    cls.compound, cls.reasons, cls.classifier, cls.created_at) == (
                c.label.value, c.topic, c.priority, c.sentiment.neg, c.sentiment.neu,
                c.sentiment.pos, c.sentiment.compound, list(c.reasons), c.classifier, now)
            item = conn.execute(sa.select(review_items).where(
                review_items.c.mention_id == row.id)).one()
            assert (item.status, item.label, item.topic, item.priority, item.feed,
                    item.platform, item.mention_created_at, item.version, item.created_at,
                    item.updated_at, item.decided_by) == (
                p.status.value, c.label.value, c.topic, c.priority, m.feed, m.platform,
                m.created_at, 1, now, now, None)
            found = conn.execute(sa.select(drafts).where(drafts.c.mention_id == row.id)).all()
            if d is None:
                assert found == [] and item.draft_id is None
            else:
                assert [(x.id, x.text, x.template, x.violations, x.created_by, x.created_at)
                        for x in found] == [(item.draft_id, d.text, d.template,
                                             list(d.violations), "system", now)]
            events = conn.execute(sa.select(review_events).where(
                review_events.c.item_id == item.id)).all()
            assert [(e.at, e.actor, e.action, e.from_status, e.to_status, e.detail)
                    for e in events] == [(now, "system", "queued", None, p.status.value, None)]
        items = conn.execute(sa.select(review_items.c.id).order_by(
            review_items.c.mention_id)).scalars().all()
        assert items == sorted(items)  # items in batch order too: the queue's last tie-break
        # A mention without raw data stores JSON null, as SQLAlchemy's JSON type does.
        assert conn.execute(sa.select(sa.func.count()).select_from(mentions).where(
            mentions.c.raw.is_(None))).scalar_one() == 0
    engine.dispose()


def test_stored_times_compare_with_times_sqlalchemy_binds(db_url: str) -> None:
    """Times written by the ingest path are the same text/values SQLAlchemy writes, so range
    filters (textual comparisons on SQLite) see them where they should."""
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    t = datetime(2026, 11, 24, 9, 0, 0, 120, tzinfo=UTC)
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", t)
        ingest.store(conn, feed.id, [_full("a", t), _full("b", t + timedelta(microseconds=1))],
                     t)
    with engine.connect() as conn:
        c = mentions.c.created_at
        assert conn.execute(sa.select(mentions.c.external_id).where(c == t)).scalars().all() \
            == ["a"]
        assert conn.execute(sa.select(mentions.c.external_id).where(c > t)).scalars().all() \
            == ["b"]
        assert conn.execute(sa.select(sa.func.count()).select_from(mentions).where(
            mentions.c.fetched_at == t)).scalar_one() == 2
        if engine.dialect.name == "sqlite":
            as_text = sa.select(sa.cast(c, sa.Text)).where(mentions.c.external_id == "a")
            feed_text = sa.select(sa.cast(feeds.c.created_at, sa.Text))
            assert conn.execute(as_text).scalar_one() == conn.execute(feed_text).scalar_one()
    engine.dispose()


def test_the_same_mention_twice_in_one_batch_is_stored_once(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        batch = [_full("a", now), _full("b", now), _full("a", now),
                 _full("a", now, platform="other")]
        assert ingest.store(conn, feed.id, batch, now) == 3
        assert ingest.store(conn, feed.id, batch, now) == 0
    with engine.connect() as conn:
        for table in (mentions, classifications, review_items, review_events, drafts):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)
                                ).scalar_one() == 3, table.name
    engine.dispose()


def test_existing_ids_finds_exactly_the_stored_ones_in_long_and_repeated_lookups(
        db_url: str) -> None:
    """More ids than one SQLite chunk, and more calls than psycopg's prepare threshold."""
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", now)
        ingest.store(conn, feed.id, [_ranked(str(n), now, 0.5) for n in range(0, 1200, 3)], now)
        ingest.store(conn, feed.id, [_full("7", now, platform="other")], now)
    with engine.connect() as conn:
        for _ in range(8):
            asked = [str(n) for n in range(1200)] + ["0", "x"]
            assert ingest.existing_ids(conn, "test", asked) == {
                str(n) for n in range(0, 1200, 3)}
            assert ingest.existing_ids(conn, "other", asked) == {"7"}
            assert ingest.existing_ids(conn, "test", []) == set()
    engine.dispose()


def _store_in_thread(engine: sa.Engine, feed_id: int, batch: list[ingest.Processed],
                     now: datetime, out: dict[str, object]) -> threading.Thread:
    started = threading.Event()

    def run() -> None:
        try:
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    out["pid"] = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                started.set()
                out["new"] = ingest.store(conn, feed_id, batch, now)
        except Exception as exc:  # reported by the test, not lost in the thread
            out["error"] = exc
        finally:
            started.set()

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(60)
    return thread


def _wait_until_blocked(engine: sa.Engine, admin: sa.Connection, pid: object) -> None:
    """Until the other writer waits on our uncommitted rows (PostgreSQL shows it in
    pg_stat_activity); SQLite cannot show it, so there the other writer gets a moment."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.5)
        return
    for _ in range(600):
        waiting = admin.execute(sa.text(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar_one_or_none()
        admin.rollback()  # pg_stat_activity is read once per transaction
        if waiting == "Lock":
            return
        time.sleep(0.05)
    raise AssertionError("the second writer never waited for the first")


@pytest.mark.parametrize("first_commits", [True, False])
def test_two_writers_racing_on_overlapping_batches_store_each_mention_once(
        db_url: str, first_commits: bool) -> None:
    """Writer A stores 0-9 and holds its transaction open; writer B stores 5-14 meanwhile.
    B waits for A; if A commits, B adds only 10-14, with classifications, items and events
    for those alone; if A rolls back, B adds all of 5-14."""
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        feed_id = store_feeds.ensure(conn, "f", "jsonl", now).id
    labels = (Label.FIX_REQUEST, Label.NEUTRAL, Label.VENTING)
    a = [_full(str(n), now, label=labels[n % 3]) for n in range(10)]
    b = [_full(str(n), now, label=labels[n % 3]) for n in range(5, 15)]
    out: dict[str, object] = {}
    conn = engine.connect()
    tx = conn.begin()
    thread: threading.Thread | None = None
    try:
        assert ingest.store(conn, feed_id, a, now) == 10
        thread = _store_in_thread(engine, feed_id, b, now, out)
        with engine.connect() as admin:
            _wait_until_blocked(engine, admin, out.get("pid"))
        assert thread.is_alive()  # B cannot finish while A's rows are undecided
        if first_commits:
            tx.commit()
    finally:
        if tx.is_active:
            tx.rollback()
        conn.close()
        if thread is not None:
            thread.join(timeout=60)
    assert "error" not in out, out.get("error")
    expected = list(range(15)) if first_commits else list(range(5, 15))
    assert out["new"] == (5 if first_commits else 10)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(mentions.c.id, mentions.c.external_id)).all()
        assert sorted(int(ext) for _, ext in stored) == expected
        ids = {mid for mid, _ in stored}
        for table in (classifications, review_items):
            assert sorted(conn.execute(sa.select(table.c.mention_id)).scalars()) == sorted(ids)
        items = conn.execute(sa.select(review_items)).all()
        events = conn.execute(sa.select(review_events.c.item_id, review_events.c.action)).all()
        assert sorted(events) == sorted((item.id, "queued") for item in items)
        for item in items:  # each item's draft is its own mention's, and only if drafted
            ext = next(e for mid, e in stored if mid == item.mention_id)
            label = labels[int(ext) % 3]
            owner = conn.execute(sa.select(drafts.c.mention_id).where(
                drafts.c.id == item.draft_id)).scalar_one_or_none()
            assert owner == (None if label is Label.NEUTRAL else item.mention_id)
        assert conn.execute(sa.select(sa.func.count()).select_from(drafts)).scalar_one() == \
            sum(1 for item in items if item.draft_id is not None)
    engine.dispose()


def test_a_sqlite_file_in_a_missing_folder_is_refused_naming_the_folder(tmp_path: Path) -> None:
    """Issue 16, item 15: the folder was created silently, so a typo made a new empty
    database."""
    from monitor.errors import ConfigError
    from monitor.store.engine import make_engine

    missing = tmp_path / "no-such-folder"
    with pytest.raises(ConfigError) as info:
        make_engine(f"sqlite:///{missing / 'monitor.db'}")
    assert info.value.key == "database.url" and str(missing) in str(info.value)
    assert not missing.exists()
    make_engine(f"sqlite:///{tmp_path / 'monitor.db'}").dispose()  # an existing folder is fine
