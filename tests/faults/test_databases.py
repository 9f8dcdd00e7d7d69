"""The database misbehaves under a working poller.

* SQLite held busy by another process (a second connection holding the write lock for a few
  seconds): the poller's writes wait (busy timeout) and then go through; nothing is lost,
  neither the poller's mentions nor the other process's write.
* PostgreSQL "restarted" under a running App: every connection the App holds is killed with
  pg_terminate_backend from another connection (a real restart is not safe on a shared test
  server); the next poll reconnects (pool_pre_ping) and carries on with nothing lost.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.config import FeedSettings
from monitor.store.schema import feeds, mentions

from ._support import count, settings_for, tally, write_jsonl

HOLD_SECONDS = 3.0

LOCKER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")  # take the write lock now and keep it
    conn.execute(
        "INSERT INTO feeds (name, kind, cursor, consecutive_failures, created_at) "
        "VALUES ('locker', 'jsonl', NULL, 0, '2026-11-24 09:00:00.000000')")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    print("released", flush=True)
""")


def _texts(n: int, tag: str) -> list[str]:
    return [f"my Northwind kettle #{tag}{i} arrived broken, please send a refund"
            for i in range(n)]


def _feed(path: Path) -> FeedSettings:
    return FeedSettings(name="import", kind="jsonl", every=60.0,
                        options={"path": str(path), "page_size": 200})


@pytest.mark.slow
def test_sqlite_writers_wait_for_a_lock_held_by_another_process(
        sqlite_url: str, tmp_path: Path, clock: Any) -> None:
    feed_file = write_jsonl(tmp_path / "m.jsonl", _texts(1000, "a"))
    app = App(settings_for(sqlite_url, _feed(feed_file), base_dir=str(tmp_path)), environ={},
              clock=clock)
    try:
        app.migrate()
        db_path = sqlite_url.removeprefix("sqlite:///")
        locker = subprocess.Popen([sys.executable, "-c", LOCKER, db_path, str(HOLD_SECONDS)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert locker.stdout is not None
            assert locker.stdout.readline().strip() == "locked"
            # The lock is held now: this poll must wait for it, not fail.
            [result] = app.poll_all()
            out, err = locker.communicate(timeout=30)
        finally:
            if locker.poll() is None:
                locker.kill()
                locker.wait()
        assert locker.returncode == 0, err
        assert "released" in out
        assert result.ok, result.failure
        assert result.new == 1000
        final = tally(app.engine)
        assert final.mentions == final.items == final.classifications == 1000
        with app.engine.connect() as conn:
            ids = {row.name: row.id for row in conn.execute(sa.select(feeds.c.name, feeds.c.id))}
        # The other process's write survived too, and came first: the poller's first write
        # (its feed row) really waited for the lock to be released.
        assert set(ids) == {"import", "locker"}
        assert ids["locker"] < ids["import"]
    finally:
        app.close()


def test_postgresql_connections_killed_under_a_running_app(
        db_url: str, tmp_path: Path, clock: Any) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    tag = f"cm_fault_{uuid.uuid4().hex[:8]}"
    url = f"{db_url}&application_name={tag}"
    feed_file = write_jsonl(tmp_path / "m.jsonl", _texts(300, "a"))
    app = App(settings_for(url, _feed(feed_file), base_dir=str(tmp_path)), environ={},
              clock=clock)
    admin = sa.create_engine(db_url.split("?")[0])
    try:
        app.migrate()
        [first] = app.poll_all()
        assert first.ok and first.new == 300
        # The App's pool now holds idle connections, as a running daemon's does.
        with admin.connect() as conn:
            killed = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :tag"), {"tag": tag}).scalar_one()
        assert killed >= 1, "no connection of the App was found to kill"

        with feed_file.open("a", encoding="utf-8") as fh:  # more mentions meanwhile
            fh.write("".join(
                f'{{"id": "b{i}", "text": "my kettle leaks again #{i}, refund please", '
                f'"author": "@b{i}"}}\n' for i in range(200)))
        clock.advance(minutes=2)
        [second] = app.poll_all()
        assert second.ok, second.failure
        assert second.new == 200
        assert count(app.engine, mentions) == 500
        final = tally(app.engine)
        assert final.items == final.item_mentions == final.classifications == 500
    finally:
        app.close()
        admin.dispose()
