"""Feed leases in the database (monitor.store.leases) and the daemon register: claims skip
rows another daemon is claiming, a lapsed lease is taken over, a feed starts one poll per
interval whoever holds it, a second daemon on SQLite is refused, `feeds list` names the
holder, and the shared-feeds daemon scans for incidents once per tick, not once per poll."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.errors import ConfigError
from monitor.scheduler import FeedSharing, build_scheduler, register_daemon, single_daemon
from monitor.store import incidents as incident_store
from monitor.store import leases
from tests.conftest import FakeClock, jsonl_feed, make_settings

LEASE = timedelta(seconds=30)
NAMES = [f"f{i}" for i in range(6)]


def migrated(db_url: str, clock: FakeClock, tmp_path: Path) -> App:
    app = App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    app.migrate()
    with app.engine.begin() as conn:
        leases.ensure_rows(conn, dict.fromkeys(NAMES, "jsonl"), clock())
        leases.ensure_rows(conn, dict.fromkeys(NAMES, "jsonl"), clock())  # twice: no error
    return app


def test_claims_never_overlap_and_a_lapsed_lease_is_taken_over(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    app = migrated(db_url, clock, tmp_path)
    now = clock()
    try:
        if app.engine.dialect.name == "postgresql":
            # A's claim is not committed yet: B skips A's rows instead of waiting for them.
            with app.engine.connect() as a, app.engine.connect() as b:
                got_a = leases.claim(a, "A", NAMES, now, LEASE, 2)
                got_b = leases.claim(b, "B", NAMES, now, LEASE, 10)
                assert len(got_a) == 2 and len(got_b) == 4
                assert not set(got_a) & set(got_b)
                a.commit()
                b.commit()
        else:
            with app.engine.begin() as conn:
                got_a = leases.claim(conn, "A", NAMES, now, LEASE, 2)
                got_b = leases.claim(conn, "B", NAMES, now, LEASE, 10)
        with app.engine.begin() as conn:
            assert leases.claim(conn, "C", NAMES, now, LEASE, 10) == []
            assert leases.held(conn, "A") == set(got_a)
            # B's heartbeat goes on, A's stops: after the lease C gets A's feeds only.
            clock.advance(seconds=20)
            assert leases.heartbeat(conn, "B", "h", 1, clock(), LEASE) == set(got_b)
            clock.advance(seconds=15)
            assert sorted(leases.claim(conn, "C", NAMES, clock(), LEASE, 10)) == sorted(got_a)
            # A comes back: its heartbeat renews nothing, it holds nothing.
            assert leases.heartbeat(conn, "A", "h", 2, clock(), LEASE) == set()
            assert leases.release(conn, "C") == 2
            assert leases.held(conn, "C") == set()
    finally:
        app.close()


def test_a_feed_starts_one_poll_per_interval_whoever_holds_it(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    app = migrated(db_url, clock, tmp_path)
    every = timedelta(seconds=60)
    try:
        with app.engine.begin() as conn:
            assert leases.claim(conn, "A", ["f0"], clock(), LEASE, 1) == ["f0"]
            assert leases.due(conn, "A", clock()) == {"f0"}
            assert not leases.start_poll(conn, "f0", "B", clock(), every)  # not B's lease
            assert leases.start_poll(conn, "f0", "A", clock(), every)
            assert not leases.start_poll(conn, "f0", "A", clock(), every)  # not due again
            assert leases.due(conn, "A", clock()) == set()
            # A hands the feed over (its share shrank): B may not poll before it is due.
            leases.release(conn, "A", ["f0"])
            assert leases.claim(conn, "B", ["f0"], clock(), LEASE, 1) == ["f0"]
            clock.advance(seconds=30)
            assert not leases.start_poll(conn, "f0", "B", clock(), every)
            clock.advance(seconds=30)
            leases.heartbeat(conn, "B", "h", 1, clock(), LEASE)
            assert leases.start_poll(conn, "f0", "B", clock(), every)
    finally:
        app.close()


def test_a_second_daemon_on_sqlite_is_refused_naming_postgresql(
        sqlite_url: str, clock: FakeClock, tmp_path: Path) -> None:
    first = App(make_settings(sqlite_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    first.migrate()
    second = App(make_settings(sqlite_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    try:
        single_daemon(first)
        with pytest.raises(ConfigError, match="PostgreSQL") as info:
            single_daemon(second)
        assert info.value.key == "database.url"
        assert f"pid {os.getpid()}" in str(info.value)
        # A daemon killed with -9 leaves its row; a process gone from this host is no obstacle.
        with first.engine.begin() as conn:
            conn.execute(sa.text("UPDATE daemons SET pid = 999999999"))
        single_daemon(second)
        # Nor is one whose heartbeat is older than the lease (another host, long gone).
        clock.advance(seconds=first.settings.scheduler.lease_seconds + 1)
        third = App(make_settings(sqlite_url, base_dir=str(tmp_path)), environ={}, clock=clock)
        single_daemon(third)
        third.close()
    finally:
        first.close()
        second.close()


def test_the_daemon_on_postgresql_has_one_sharing_job_and_registers(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    feed = jsonl_feed(tmp_path / "m.jsonl")
    (tmp_path / "m.jsonl").write_text("")
    app = App(make_settings(db_url, feed, base_dir=str(tmp_path)), environ={}, clock=clock)
    app.migrate()
    try:
        scheduler = build_scheduler(app)
        jobs = {j.id for j in scheduler.get_jobs()} - {"learn"}
        shared = app.engine.dialect.name == "postgresql"
        assert jobs == ({"feeds"} if shared else {"feed:import", "heartbeat"})
        register_daemon(app, scheduler)
        with app.engine.connect() as conn:
            names = [d.name for d in leases.live(conn, clock(), LEASE)]
        assert names == [app.daemon_name]
    finally:
        app.close()


def test_feeds_list_names_the_holder(db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    from tests.test_cli import run

    (tmp_path / "m.jsonl").write_text("")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "{db_url}"\n[[feeds]]\nname = "import"\nkind = "jsonl"\n'
                   'path = "m.jsonl"\n')
    run(tmp_path, "--config", str(cfg), "db", "upgrade")
    app = App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    with app.engine.begin() as conn:
        leases.ensure_rows(conn, {"import": "jsonl"}, clock())
        leases.claim(conn, "host:42:abcd", ["import"], clock(), LEASE, 1)
    app.close()
    [row] = json.loads(run(tmp_path, "--config", str(cfg), "feeds", "list", "--format",
                           "json").stdout)
    assert row["holder"] == "host:42:abcd"
    assert row["held_since"] == clock().isoformat()
    table = run(tmp_path, "--config", str(cfg), "feeds", "list").stdout
    assert "HELD BY" in table and "host:42:abcd" in table


class _RunNow:
    """An executor that runs each task at once, so a tick's polls and scan end inside it."""

    def submit(self, fn: Callable[..., None], *args: object) -> Future[None]:
        future: Future[None] = Future()
        fn(*args)
        future.set_result(None)
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


def test_shared_feeds_scan_for_incidents_once_per_tick_not_once_per_feed(
        db_url: str, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feeds = []
    for i in range(3):
        path = tmp_path / f"f{i}.jsonl"
        path.write_text(json.dumps({"id": f"p{i}", "text": f"my order {i} never arrived",
                                    "author": f"@cust{i}",
                                    "created_at": clock().isoformat()}) + "\n")
        feeds.append(jsonl_feed(path, name=f"f{i}"))
    app = App(make_settings(db_url, *feeds, base_dir=str(tmp_path)), environ={}, clock=clock)
    app.migrate()
    scans: list[int] = []
    scan = app.after_poll

    def counted() -> object:
        scans.append(1)
        return scan()

    monkeypatch.setattr(app, "after_poll", counted)
    sharing = FeedSharing(app, app.pipeline(), feeds)
    sharing._pool = sharing._scanner = _RunNow()  # type: ignore[assignment]
    try:
        sharing.start()
        sharing.tick()  # takes the three feeds and polls each: one scan for the three polls
        assert len(scans) == 1
        with app.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT max(id) FROM mentions")).scalar()
            assert conn.execute(sa.text("SELECT count(*) FROM mentions")).scalar() == 3
            assert incident_store.scanned_to(conn) == stored  # the scan saw all three
        sharing.tick()  # nothing due, nothing polled: no scan
        assert len(scans) == 1
        clock.advance(seconds=61)
        sharing.tick()  # all three due again
        assert len(scans) == 2
    finally:
        sharing.shutdown()
        app.close()
