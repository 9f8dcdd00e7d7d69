"""Pausing a feed, on both databases: `feeds pause/resume`, `poll` and the daemon's job skip a
paused feed without fetching, its cursor survives, and `feeds list` says who paused it and why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.scheduler import _poll_job, build_scheduler
from monitor.store import feeds as store_feeds
from monitor.store.schema import mentions
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.test_cli import run


def write_rows(path: Path, start: int, n: int) -> None:
    with path.open("a", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({
                "id": f"p{i}", "text": f"@northwindkettles order #{i} never arrived, refund me",
                "author": f"@user{i}", "created_at": "2026-11-24T08:00:00Z",
            }) + "\n")


def stored_mentions(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(mentions)).scalar_one())


def state(app: App, name: str = "import") -> store_feeds.FeedState:
    with app.engine.connect() as conn:
        found = store_feeds.get(conn, name)
    assert found is not None
    return found


@pytest.fixture
def app(db_url: str, clock: FakeClock, tmp_path: Path) -> Iterator[App]:
    write_rows(tmp_path / "m.jsonl", 0, 5)
    application = App(make_settings(db_url, jsonl_feed(tmp_path / "m.jsonl", page_size=2),
                                    base_dir=str(tmp_path)), environ={}, clock=clock)
    application.migrate()
    yield application
    application.close()


def test_poll_skips_a_paused_feed_and_resumes_from_its_cursor(app: App, tmp_path: Path,
                                                              clock: FakeClock) -> None:
    [first] = app.poll_all()
    assert (first.new, first.fetched) == (5, 5)
    cursor, polled_at = state(app).cursor, state(app).last_poll_at
    assert cursor is not None and polled_at is not None

    clock.advance(minutes=1)
    paused_state, changed = app.pause_feed("import", "olga", "  supplier   outage ")
    assert changed and paused_state.paused
    assert (paused_state.paused_by, paused_state.paused_at) == ("olga", clock())
    assert paused_state.pause_reason == "supplier outage"
    # A second pause changes nothing: the first one's who, when and why stay on record.
    clock.advance(minutes=1)
    again, changed = app.pause_feed("import", "pete", "other")
    assert not changed and (again.paused_by, again.pause_reason) == ("olga", "supplier outage")

    write_rows(tmp_path / "m.jsonl", 5, 3)
    told: list[str] = []
    assert app.poll_all(on_paused=lambda s: told.append(s.name)) == []
    assert app.poll_all("import", on_paused=lambda s: told.append(s.name)) == []
    assert told == ["import", "import"]
    assert stored_mentions(app) == 5
    assert state(app).cursor == cursor and state(app).last_poll_at == polled_at

    clock.advance(minutes=1)
    resumed, changed = app.resume_feed("import", "pete")
    assert changed and not resumed.paused
    assert (resumed.resumed_by, resumed.resumed_at) == ("pete", clock())
    assert resumed.paused_by == "olga"  # the last pause stays on record
    assert not app.resume_feed("import", "pete")[1]
    [after] = app.poll_all()
    # Only the three new lines: the cursor kept through the pause.
    assert (after.fetched, after.new, after.duplicates) == (3, 3, 0)
    assert stored_mentions(app) == 8


def test_the_daemon_job_of_a_paused_feed_stays_scheduled_but_does_not_fetch(
        app: App, tmp_path: Path) -> None:
    scheduler = build_scheduler(app)
    feed = app.settings.feed("import")
    pipeline = app.pipeline()
    app.pause_feed("import", "olga", None)
    _poll_job(app, feed, pipeline, scheduler)
    assert stored_mentions(app) == 0
    assert state(app).last_poll_at is None and state(app).cursor is None
    shared = app.engine.dialect.name == "postgresql"  # one sharing job for every feed
    assert scheduler.get_job("feeds" if shared else "feed:import") is not None
    app.resume_feed("import", "olga")
    _poll_job(app, feed, pipeline, scheduler)
    assert stored_mentions(app) == 5


def test_poll_and_the_daemon_job_ask_the_same_should_poll(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def should_poll(feed: object, on_paused: object = None) -> bool:
        asked.append(getattr(feed, "name", "?"))
        return False

    monkeypatch.setattr(app, "should_poll", should_poll)
    assert app.poll_all() == []
    _poll_job(app, app.settings.feed("import"), app.pipeline(), build_scheduler(app))
    assert asked == ["import", "import"]
    assert stored_mentions(app) == 0


def test_the_daemon_job_records_when_the_feed_is_polled_next(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        # On PostgreSQL the daemons share the feeds through leases: one `feeds` job, whose
        # due times live on the lease (tests/test_leases.py), and no per-feed job.
        pytest.skip("per-feed jobs exist on SQLite only")
    scheduler = build_scheduler(app)
    _poll_job(app, app.settings.feed("import"), app.pipeline(), scheduler)
    job = scheduler.get_job("feed:import")
    assert job is not None
    assert state(app).next_poll_at == job.next_run_time


def test_unknown_feed_names_are_refused(app: App) -> None:
    from monitor.errors import ConfigError

    with pytest.raises(ConfigError, match="no feed named 'nope'"):
        app.pause_feed("nope", "olga", None)
    with pytest.raises(ConfigError, match="no feed named 'nope'"):
        app.resume_feed("nope", "olga")


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    # getpass reads LOGNAME first: the actor recorded when --by is not given.
    return {"COMPLAINT_MONITOR_DATABASE_URL": db_url, "LOGNAME": "olga"}


def listed(tmp_path: Path, env: dict[str, str]) -> dict[str, dict[str, object]]:
    out = run(tmp_path, "feeds", "list", "--format", "json", env=env)
    assert out.returncode == 0, out.stderr
    return {row["name"]: row for row in json.loads(out.stdout)}


def test_cli_pause_list_poll_resume(tmp_path: Path, env: dict[str, str]) -> None:
    # Pausing a feed that was never polled works too (its row is created).
    paused = run(tmp_path, "feeds", "pause", "demo", "--reason", "brand asked for quiet",
                 env=env)
    assert paused.returncode == 0, paused.stderr
    assert "paused by olga" in paused.stdout and "brand asked for quiet" in paused.stdout
    row = listed(tmp_path, env)["demo"]
    assert row["state"] == "paused" and row["paused"] is True
    assert row["paused_by"] == "olga" and row["pause_reason"] == "brand asked for quiet"
    assert isinstance(row["paused_at"], str)
    table = run(tmp_path, "feeds", "list", env=env)
    assert "paused" in table.stdout.splitlines()[1]
    assert "demo: paused by olga at " in table.stdout and "brand asked for quiet" in table.stdout

    for args in (("poll", "--feed", "demo"), ("poll",)):
        polled = run(tmp_path, *args, env=env)
        # Paused is the operator's choice, not a failure: exit 0, and nothing fetched.
        assert polled.returncode == 0, polled.stderr
        assert "demo: paused by olga" in polled.stdout and "not polled" in polled.stdout
        assert "fetched" not in polled.stdout
    assert listed(tmp_path, env)["demo"]["last_poll"] is None

    resumed = run(tmp_path, "feeds", "resume", "demo", "--by", "pete", env=env)
    assert resumed.returncode == 0 and "resumed by pete" in resumed.stdout
    row = listed(tmp_path, env)["demo"]
    assert row["paused"] is False and row["resumed_by"] == "pete" and row["paused_by"] is None
    polled = run(tmp_path, "poll", "--feed", "demo", env=env)
    assert polled.returncode == 0 and "demo: fetched 70, new 69" in polled.stdout


def test_cli_unknown_feed_is_a_usage_error(tmp_path: Path, env: dict[str, str]) -> None:
    for verb in ("pause", "resume"):
        result = run(tmp_path, "feeds", verb, "nosuch", env=env)
        assert result.returncode == 2
        assert "no feed named 'nosuch' (feeds: demo)" in result.stderr
        assert "Traceback" not in result.stderr
