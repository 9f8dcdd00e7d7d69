"""A feed server that fails in every common way, then recovers: nothing is lost.

The server speaks the Hacker News (Algolia) search API on 127.0.0.1. Between a first healthy
poll and a last one it answers 500, 429 with Retry-After, hangs past the client's time-out,
sends malformed and truncated JSON, and an HTML error page with status 200. For each,
`complaint-monitor poll` (a real subprocess) must exit 3 and say what went wrong in words, the
saved cursor must not move, and the last healthy poll must bring every mention published
meanwhile.

The pipeline stores `retry_at` after a failure and skips the feed until then. The CLI runs on
the real clock, so between steps this test CLEARS retry_at in the database (after first
checking, for the 429, that a poll before retry_at is skipped without a request). The
in-process test at the end instead ADVANCES a fake clock past retry_at.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.config import FeedSettings
from monitor.store import engine as store_engine
from monitor.store.schema import feeds, mentions

from ._support import (
    Reply,
    ScriptServer,
    Seen,
    count,
    run_cli,
    serving,
    settings_for,
    write_config,
)

HTML_ERROR = Reply(200, b"<!DOCTYPE html><html><head><title>Down for maintenance</title>"
                        b"</head><body><h1>We'll be right back</h1></body></html>",
                   {"Content-Type": "text/html; charset=utf-8"})


class FakeAlgolia:
    """search_by_date over a growing list of hits, honouring numericFilters and paging."""

    def __init__(self) -> None:
        self.hits: list[dict[str, Any]] = []

    def publish(self, n: int, at: int) -> None:
        start = len(self.hits)
        for i in range(start, start + n):
            self.hits.append({
                "objectID": str(9000 + i), "author": f"hn_user{i}", "created_at_i": at + i,
                "comment_text": f"<p>Northwind kettle #{i} broke after a week, need a refund</p>",
                "story_id": 1, "parent_id": 1,
            })

    def __call__(self, seen: Seen) -> Reply:
        floor = int(seen.query["numericFilters"][0].split(">=")[1])
        per_page = int(seen.query["hitsPerPage"][0])
        page = int(seen.query["page"][0])
        matching = sorted((h for h in self.hits if h["created_at_i"] >= floor),
                          key=lambda h: -h["created_at_i"])
        pages = max(1, -(-len(matching) // per_page))
        body = {"hits": matching[page * per_page:(page + 1) * per_page], "nbPages": pages,
                "page": page, "hitsPerPage": per_page}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def algolia() -> FakeAlgolia:
    return FakeAlgolia()


@pytest.fixture
def server(algolia: FakeAlgolia) -> Iterator[ScriptServer]:
    yield from serving(algolia)


def _feed_row(engine: sa.Engine) -> sa.Row[Any]:
    with engine.connect() as conn:
        return conn.execute(sa.select(feeds).where(feeds.c.name == "hn")).one()


def _clear_retry(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(feeds).where(feeds.c.name == "hn").values(retry_at=None))


FAILURES = [
    ("500", Reply(500, b"Internal Server Error", {"Content-Type": "text/plain"}),
     "server error 500"),
    ("hang", Reply(200, b'{"hits": []}', {"Content-Type": "application/json"}, delay=2.0),
     "no answer from"),
    ("malformed", Reply(200, b'{"hits": [nope]}', {"Content-Type": "application/json"}),
     "malformed JSON"),
    ("truncated", Reply(200, b'{"hits": [{"objectID": "9001", "autho',
                        {"Content-Type": "application/json"}), "malformed JSON"),
    ("html", HTML_ERROR, "got an HTML page instead of data"),
]


@pytest.mark.slow
def test_every_failure_reported_cursor_kept_then_everything_arrives(
        sqlite_url: str, tmp_path: Path, server: ScriptServer, algolia: FakeAlgolia) -> None:
    now = int(time.time())
    algolia.publish(10, at=now - 3600)
    config = write_config(
        tmp_path / "config.toml", sqlite_url,
        f'[[feeds]]\nname = "hn"\nkind = "hackernews"\nquery = "northwind"\n'
        f'base_url = "{server.url}"\nretries = 0\ntimeout = 0.5\npage_size = 5\n',
    )
    engine = store_engine.make_engine(sqlite_url)
    try:
        first = run_cli(config, "poll", "--no-progress", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "hn: fetched 10, new 10," in first.stdout
        cursor = _feed_row(engine).cursor
        assert cursor == {"since": now - 3600 + 9}

        algolia.publish(10, at=now - 1800)  # published while the server misbehaves

        # 429 with Retry-After: reported, and the feed is left alone until then.
        server.queue(Reply(429, b'{"message": "slow down"}',
                           {"Content-Type": "application/json", "Retry-After": "120"}))
        limited = run_cli(config, "poll", "--no-progress", cwd=tmp_path)
        assert limited.returncode == 3, limited.stdout + limited.stderr
        assert "FAILED: rate limited until" in limited.stdout
        row = _feed_row(engine)
        assert row.cursor == cursor
        assert row.retry_at is not None
        assert 100 <= row.retry_at.timestamp() - time.time() <= 125
        requests = len(server.seen)
        waiting = run_cli(config, "poll", "--no-progress", cwd=tmp_path)
        assert "not polled: waiting until" in waiting.stdout
        assert len(server.seen) == requests, "polled a feed that asked us to wait"
        _clear_retry(engine)

        for name, reply, words in FAILURES:
            server.queue(reply)
            before = len(server.seen)
            failed = run_cli(config, "poll", "--no-progress", cwd=tmp_path)
            assert failed.returncode == 3, (name, failed.stdout, failed.stderr)
            assert "hn: fetched 0, new 0, duplicates 0, errors 0 - FAILED: " in failed.stdout
            assert words in failed.stdout, (name, failed.stdout)
            assert "Traceback" not in failed.stderr
            assert len(server.seen) == before + 1, f"{name}: retried although retries = 0"
            row = _feed_row(engine)
            assert row.cursor == cursor, f"{name} moved the cursor"
            assert words in row.last_error, (name, row.last_error)
            assert row.retry_at is not None  # back-off stored...
            _clear_retry(engine)  # ...and cleared, so the next step polls at once
        assert count(engine, mentions) == 10
        assert _feed_row(engine).consecutive_failures == 1 + len(FAILURES)

        healthy = run_cli(config, "poll", "--no-progress", cwd=tmp_path)
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        assert "new 10," in healthy.stdout
        # The healthy poll searched from the saved cursor (minus the 300 s overlap).
        floors = {s.query["numericFilters"][0] for s in server.seen[-2:]}
        assert floors == {f"created_at_i>={now - 3600 + 9 - 300}"}
        with engine.connect() as conn:
            ids = set(conn.execute(sa.select(mentions.c.external_id)).scalars())
        assert ids == {str(9000 + i) for i in range(20)}
        row = _feed_row(engine)
        assert row.last_error is None and row.consecutive_failures == 0
        assert row.cursor == {"since": now - 1800 + 19}
    finally:
        engine.dispose()


def test_retry_after_honoured_on_a_fake_clock(db_url: str, tmp_path: Path, clock: Any,
                                             server: ScriptServer, algolia: FakeAlgolia) -> None:
    """In process, on both databases: a 429 parks the feed until Retry-After on the app's
    clock; advancing the clock past it resumes from the unchanged cursor."""
    algolia.publish(4, at=int(clock().timestamp()) - 600)
    feed = FeedSettings(name="hn", kind="hackernews", every=60.0, options={
        "query": "northwind", "base_url": server.url, "retries": 0, "timeout": 0.5})
    with httpx.Client(timeout=1.0) as http:
        app = App(settings_for(db_url, feed, base_dir=str(tmp_path)), environ={}, clock=clock,
                  http=http)
        try:
            app.migrate()
            server.queue(Reply(429, b"{}", {"Content-Type": "application/json",
                                            "Retry-After": "300"}))
            [limited] = app.poll_all()
            assert not limited.ok and limited.failure is not None
            assert limited.failure.startswith("rate limited until")
            assert limited.retry_at == clock() + timedelta(seconds=300)
            clock.advance(seconds=299)
            [parked] = app.poll_all()
            assert parked.waiting and parked.fetched == 0
            assert len(server.seen) == 1
            clock.advance(seconds=2)
            [resumed] = app.poll_all()
            assert resumed.ok and resumed.new == 4
            assert count(app.engine, mentions) == 4
        finally:
            app.close()
