"""Migration 0005 on a database already in use: every row stays, the new confidence and
language columns are NULL for them (unknown, never "check the label"), and the items can be
listed, relabelled and joined by new mentions as before. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from monitor.model import Classification, Label, Mention, Sentiment, Status
from monitor.store import engine as store_engine
from monitor.store import feeds as store_feeds
from monitor.store import ingest, schema
from monitor.store import queue as store_queue

NOW = datetime(2026, 11, 24, 9, 0)  # naive UTC, as the columns hold it


def _fill_at_0004(engine: sa.Engine) -> None:
    """Two mentions with their classification and item, written against the tables as 0004
    left them (reflected, so nothing here knows the new columns)."""
    old = sa.MetaData()
    old.reflect(engine)
    t = old.tables
    with engine.begin() as conn:
        feed_id = conn.execute(t["feeds"].insert().returning(t["feeds"].c.id), {
            "name": "old", "kind": "jsonl", "created_at": NOW}).scalar_one()
        for ext, label, status in (("o1", "fix_request", "pending"),
                                   ("o2", "neutral", "skipped")):
            mention_id = conn.execute(t["mentions"].insert().returning(t["mentions"].c.id), {
                "feed_id": feed_id, "platform": "test", "external_id": ext,
                "text": f"old post {ext}", "author": "@old", "created_at": NOW,
                "fetched_at": NOW}).scalar_one()
            conn.execute(t["classifications"].insert(), {
                "mention_id": mention_id, "label": label, "topic": "other", "priority": 0.6,
                "neg": 0.2, "neu": 0.8, "pos": 0.0, "compound": -0.3, "reasons": ["old"],
                "classifier": "rules", "created_at": NOW})
            draft_id = None
            if status == "pending":
                draft_id = conn.execute(t["drafts"].insert().returning(t["drafts"].c.id), {
                    "mention_id": mention_id, "text": "@old sorry", "template": "x/y",
                    "violations": [], "created_by": "system", "created_at": NOW}).scalar_one()
            conn.execute(t["review_items"].insert(), {
                "mention_id": mention_id, "status": status, "label": label, "topic": "other",
                "priority": 0.6 if label == "fix_request" else 0.0, "feed": "old",
                "platform": "test", "mention_created_at": NOW, "draft_id": draft_id,
                "version": 1, "created_at": NOW, "updated_at": NOW})


def test_0005_keeps_existing_rows_with_unknown_confidence_and_language(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine, "0004")
    assert "confidence" not in {c["name"] for c in sa.inspect(engine).get_columns(
        "review_items")}
    _fill_at_0004(engine)

    store_engine.upgrade(engine)
    inspector = sa.inspect(engine)
    for table in ("classifications", "review_items"):
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        assert columns["confidence"]["nullable"] and columns["language"]["nullable"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.review_items)).scalar_one() == 2
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=10).items
        assert sorted(i.mention.external_id for i in items) == ["o1", "o2"]
        for item in items:
            assert (item.confidence, item.language, item.classifier_confidence) == (
                None, None, None)
            d = item.as_dict(0.6)
            assert (d["confidence"], d["language"], d["check_label"]) == (None, None, False)
            assert d["reasons"] == ["old"]
        assert store_queue.list_items(conn, store_queue.QueueFilter(
            statuses=None, check_below=1.0), limit=10).items == []

    # New mentions join the old ones with their confidence and language.
    mention = Mention(feed="old", platform="test", external_id="n1", text="¿abren el domingo?",
                      author="@new", created_at=datetime(2026, 11, 24, 8, tzinfo=UTC))
    c = Classification(label=Label.QUESTION, sentiment=Sentiment(0, 1, 0, 0), topic="other",
                       priority=0.4, reasons=(), confidence=0.55, language="es")
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "old", "jsonl", datetime(2026, 11, 24, 9, tzinfo=UTC))
        assert ingest.store(conn, feed.id, [ingest.Processed(mention, c, None, Status.PENDING)],
                            datetime(2026, 11, 24, 9, tzinfo=UTC)) == 1
    with engine.connect() as conn:
        listed = store_queue.list_items(conn, store_queue.QueueFilter(), limit=10).items
    assert [(i.mention.external_id, i.label, i.confidence, i.language) for i in listed] == [
        ("o1", "fix_request", None, None), ("n1", "question", 0.55, "es")]
    assert [i.mention.external_id for i in listed if i.check_label(0.6)] == ["n1"]

    engine.dispose()


def test_0005_downgrades_a_database_that_holds_items(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine, "0004")
    _fill_at_0004(engine)
    store_engine.upgrade(engine, "0005")
    command.downgrade(store_engine.alembic_config(engine), "0004")
    for table in ("classifications", "review_items"):
        names = {c["name"] for c in sa.inspect(engine).get_columns(table)}
        assert not names & {"confidence", "language"}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM review_items")).scalar_one() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM classifications")).scalar_one() == 2
    store_engine.upgrade(engine, "0005")  # and up again
    engine.dispose()
