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


# --- a one-shot `poll` (cron) beside a daemon ------------------------------------------------

def _two_feeds(db_url: str, clock: FakeClock, tmp_path: Path) -> App:
    from tests.test_feed_pause import write_rows

    write_rows(tmp_path / "a.jsonl", 0, 3)
    write_rows(tmp_path / "b.jsonl", 100, 3)  # other posts: one network, ids unique
    settings = make_settings(db_url, jsonl_feed(tmp_path / "a.jsonl", "a"),
                             jsonl_feed(tmp_path / "b.jsonl", "b"), base_dir=str(tmp_path))
    app = App(settings, environ={}, clock=clock)
    app.migrate()
    return app


def _holders(app: App) -> dict[str, str]:
    with app.engine.connect() as conn:
        return leases.holders(conn, ["a", "b"])


def test_a_one_shot_poll_takes_the_lease_and_leaves_a_daemons_feeds_to_it(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    app = _two_feeds(db_url, clock, tmp_path)
    try:
        with app.engine.begin() as conn:  # a running daemon holds feed a
            leases.ensure_rows(conn, {"a": "jsonl"}, clock())
            assert leases.claim(conn, "daemon:1:x", ["a"], clock(), LEASE, 1) == ["a"]
        during: list[dict[str, str]] = []
        taken_by_other: list[list[str]] = []

        def on_result(_result: object) -> None:
            during.append(_holders(app))
            with app.engine.begin() as conn:  # nobody else can take it meanwhile
                taken_by_other.append(leases.claim(conn, "daemon:2:y", ["b"], clock(),
                                                   LEASE, 1))

        held: list[tuple[str, str]] = []
        results = app.poll_all(on_result=on_result, on_held=lambda *h: held.append(h))
        assert [(r.feed, r.new) for r in results] == [("b", 3)]
        assert held == [("a", "daemon:1:x")]
        assert during == [{"a": "daemon:1:x", "b": app.daemon_name}]
        assert taken_by_other == [[]]
        assert _holders(app) == {"a": "daemon:1:x"}  # given back after the poll
        # The daemon dies (its lease is not renewed): the next run takes feed a over.
        clock.advance(seconds=LEASE.total_seconds() + 1)
        assert sorted((r.feed, r.new) for r in app.poll_all()) == [("a", 3), ("b", 0)]
        assert _holders(app) == {}
        # A poll killed with -9 on this machine (its pid gone) is taken over at once.
        import socket

        with app.engine.begin() as conn:
            leases.claim(conn, f"{socket.gethostname()}:999999999:dead", ["a"], clock(),
                         LEASE, 1)
        assert [r.feed for r in app.poll_all(only="a")] == ["a"]
        assert _holders(app) == {}
    finally:
        app.close()


def test_the_single_daemon_and_a_one_shot_poll_never_poll_a_feed_at_once(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    """The SQLite daemon's per-feed job (run here on either database) and `poll` from cron
    respect each other's lease; a lease left by a killed daemon runs out."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from monitor.scheduler import _poll_job

    daemon = _two_feeds(db_url, clock, tmp_path)
    cron = App(daemon.settings, environ={}, clock=clock)
    feed_a = daemon.settings.feed("a")
    try:
        single_daemon(daemon)
        pipeline = daemon.pipeline()
        idle = BackgroundScheduler()
        with cron.engine.begin() as conn:  # cron is polling feed a right now
            assert leases.claim(conn, cron.daemon_name, ["a"], clock(), LEASE, 1) == ["a"]
        _poll_job(daemon, feed_a, pipeline, idle)
        assert _holders(daemon) == {"a": cron.daemon_name}
        with daemon.engine.connect() as conn:
            assert leases.held(conn, daemon.daemon_name) == set()
        with cron.engine.begin() as conn:
            leases.release(conn, cron.daemon_name)
        # Now the daemon polls it and keeps holding it; cron leaves it alone.
        _poll_job(daemon, feed_a, pipeline, idle)
        assert _holders(daemon) == {"a": daemon.daemon_name}
        held: list[tuple[str, str]] = []
        assert [r.feed for r in cron.poll_all(on_held=lambda *h: held.append(h))] == ["b"]
        assert held == [("a", daemon.daemon_name)]
        # The daemon's heartbeat keeps the lease; killed, it runs out and cron takes over.
        clock.advance(seconds=20)
        with daemon.engine.begin() as conn:
            leases.heartbeat(conn, daemon.daemon_name, "h", 1, clock(), LEASE)
        clock.advance(seconds=20)
        assert [r.feed for r in cron.poll_all(only="a")] == []
        clock.advance(seconds=LEASE.total_seconds())
        assert [r.feed for r in cron.poll_all(only="a")] == ["a"]
    finally:
        cron.close()
        daemon.close()


def test_poll_from_the_command_line_names_the_daemon_that_holds_a_feed(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    from tests.test_cli import run
    from tests.test_feed_pause import write_rows

    write_rows(tmp_path / "m.jsonl", 0, 2)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "{db_url}"\n[[feeds]]\nname = "import"\nkind = "jsonl"\n'
                   'path = "m.jsonl"\n')
    run(tmp_path, "--config", str(cfg), "db", "upgrade")
    app = App(make_settings(db_url, base_dir=str(tmp_path)), environ={})
    with app.engine.begin() as conn:
        leases.ensure_rows(conn, {"import": "jsonl"}, app.clock())
        leases.claim(conn, "host:42:abcd", ["import"], app.clock(), timedelta(minutes=10), 1)
    app.close()
    done = run(tmp_path, "--config", str(cfg), "poll")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("import: held by host:42:abcd (another daemon or poll "
                                   "is polling it) - not polled")


def test_a_daemon_restarted_after_kill_9_on_sqlite_polls_its_feeds_at_once(
        sqlite_url: str, clock: FakeClock, tmp_path: Path) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from monitor.scheduler import _poll_job

    killed = _two_feeds(sqlite_url, clock, tmp_path)
    restarted = App(killed.settings, environ={}, clock=clock)
    try:
        single_daemon(killed)
        _poll_job(killed, killed.settings.feed("a"), killed.pipeline(), BackgroundScheduler())
        assert _holders(killed) == {"a": killed.daemon_name}
        with killed.engine.begin() as conn:  # kill -9: its pid is gone, its lease still live
            conn.execute(sa.text("UPDATE daemons SET pid = 999999999"))
        single_daemon(restarted)
        assert _holders(restarted) == {}
        _poll_job(restarted, restarted.settings.feed("a"), restarted.pipeline(),
                  BackgroundScheduler())
        assert _holders(restarted) == {"a": restarted.daemon_name}
    finally:
        restarted.close()
        killed.close()


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
