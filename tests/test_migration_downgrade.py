"""Downgrades of a database in use: from the head back past 0006 (drafts lose their note
column, reply memory and saved answers go) and up again, with polled items, drafts, an
approved reply and leased feeds in place, on both databases. On SQLite a downgrade copies
tables whose rows other tables point at; it must not trip over the foreign keys, and the keys
must be enforced again afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from monitor.app import App
from monitor.store import engine as store_engine
from monitor.store import queue as store_queue
from tests.conftest import FakeClock, make_settings


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in ("feeds", "mentions", "drafts", "review_items", "review_events")}


def test_downgrade_past_0006_with_drafts_and_up_again(db_url: str, clock: FakeClock,
                                                       tmp_path: Path) -> None:
    app = App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    app.migrate()
    try:
        assert all(r.ok and r.new for r in app.poll_all())
        with app.engine.connect() as conn:
            item = store_queue.list_items(conn, store_queue.QueueFilter(), limit=1).items[0]
        app.reviewer().approve(item.id, by="ann")  # a reply remembered in reply_memory
        before = _counts(app.engine)
        assert before["drafts"] > 0
        config = store_engine.alembic_config(app.engine)
        command.downgrade(config, "0005")
        inspector = sa.inspect(app.engine)
        assert "reply_memory" not in inspector.get_table_names()
        assert "note" not in {c["name"] for c in inspector.get_columns("drafts")}
        assert _counts(app.engine) == before  # no row of the tables 0005 knows was lost
        store_engine.upgrade(app.engine)
        assert _counts(app.engine) == before
        assert app.queries.detail(item.id).item.status == "approved"
        if app.engine.dialect.name == "sqlite":
            # Enforced again once the migrations are done.
            with pytest.raises(sa.exc.IntegrityError), app.engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO review_events (item_id, at, actor, action) "
                                     "VALUES (987654, '2026-11-24 09:00:00', 'x', 'edit')"))
    finally:
        app.close()
