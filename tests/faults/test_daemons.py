"""Three real `run` daemons on one PostgreSQL database share 60 RSS feeds served on 127.0.0.1.

The server counts the requests for each feed: once all three daemons hold feeds, every feed
is fetched once per interval (never twice within one, none skipped); then one daemon is
killed with SIGKILL and its feeds are fetched again within one interval of their due time
by the two left. Each feed publishes a new item every two seconds and shows the last 30 s of
them, as a real feed does: at the end every item served is stored exactly once, with no gap.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import sqlalchemy as sa

from monitor.store import engine as store_engine
from monitor.store.schema import feeds, mentions

from ._support import Reply, ScriptServer, Seen, cli_command, cli_env, wait_until

FEEDS = 60
EVERY = 6.0  # seconds between polls of one feed
LEASE = 2.0  # a killed daemon's feeds are free after this
ITEM_EVERY = 2.0  # a new item on every feed this often
WINDOW = 30.0  # a feed shows the items of the last WINDOW seconds
SLACK = 3.5  # the tick (0.5 s), the poll itself and a busy two-core machine (a skipped
# interval shows as a gap of 2 x EVERY, still well over EVERY + SLACK)

pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Feeds:
    """The route: /feed/N is an RSS document of feed N's recent items; every request is
    timed and every item served remembered."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.times: dict[int, list[float]] = defaultdict(list)
        self.served: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        n = int(seen.path.rsplit("/", 1)[1])
        now = time.monotonic()
        newest = int((now - self.start) // ITEM_EVERY)
        oldest = max(0, newest - int(WINDOW // ITEM_EVERY))
        guids = [f"f{n}-i{k}" for k in range(oldest, newest + 1)]
        with self.lock:
            self.times[n].append(now)
            self.served.update(guids)
        items = "".join(
            f"<item><guid>{g}</guid><title>kettle {g}</title><link>https://example.com/{g}"
            f"</link><description>{escape(f'my northwind kettle stopped working {g}')}"
            "</description><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>"
            for g in guids)
        body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f"<link>https://example.com/</link>{items}</channel></rss>").encode()
        return Reply(200, body, {"Content-Type": "application/rss+xml"})

    def gaps(self, since: float, until: float) -> dict[int, list[float]]:
        """Per feed, the time between consecutive requests that both fall in the window."""
        out: dict[int, list[float]] = {}
        with self.lock:
            for n, times in self.times.items():
                inside = [t for t in times if since <= t <= until]
                out[n] = [b - a for a, b in pairwise(inside)]
        return out


def holders(engine: sa.Engine) -> dict[str, str | None]:
    try:
        with engine.connect() as conn:
            return {r.name: r.lease_owner for r in conn.execute(
                sa.select(feeds.c.name, feeds.c.lease_owner))}
    except sa.exc.DBAPIError:  # not migrated yet
        return {}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_three_daemons_share_feeds_and_survive_a_kill(db_url: str, tmp_path: Path) -> None:
    route = Feeds()
    engine = store_engine.make_engine(db_url)
    procs: list[subprocess.Popen[bytes]] = []
    with ScriptServer(route) as server:
        feed_tables = "".join(
            f'[[feeds]]\nname = "f{n}"\nkind = "rss"\nevery = "{EVERY}s"\n'
            f'url = "{server.url}/feed/{n}"\n' for n in range(FEEDS))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\nurl = "{db_url}"\n[classifier]\nkind = "rules"\n'
            f"[scheduler]\nlease_seconds = {LEASE}\nworkers = 4\n{feed_tables}",
            encoding="utf-8")
        env = cli_env()
        env["COMPLAINT_MONITOR_SECRET_KEY"] = "x" * 40
        try:
            for i in range(3):
                procs.append(subprocess.Popen(
                    cli_command(config, "run", "--port", str(free_port())), cwd=tmp_path,
                    env=env, stdout=subprocess.DEVNULL,
                    stderr=(tmp_path / f"daemon{i}.log").open("wb")))

            def shared_by_three() -> bool:
                held = holders(engine)
                return (len(held) == FEEDS and None not in held.values()
                        and len(set(held.values())) == 3)

            assert wait_until(shared_by_three, timeout=60, every=0.2), (
                "the feeds were never shared by three daemons: "
                + (tmp_path / "daemon0.log").read_text()[-2000:])
            settled = time.monotonic()
            time.sleep(4 * EVERY)
            steady = time.monotonic()
            all_gaps = route.gaps(settled, steady)
            assert len(all_gaps) == FEEDS
            for n, gaps in all_gaps.items():
                assert len(gaps) >= 2, (n, gaps)
                assert min(gaps) >= EVERY - 0.1, f"feed {n} polled twice in one interval: {gaps}"
                assert max(gaps) <= EVERY + SLACK, f"feed {n} skipped an interval: {gaps}"

            victim = procs[0]
            held_by_victim = [n for n, h in holders(engine).items()
                              if h is not None and h.split(":")[1] == str(victim.pid)]
            assert held_by_victim
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)
            killed = time.monotonic()
            time.sleep(3 * EVERY)
            after = time.monotonic()
            for n, gaps in route.gaps(settled, after).items():
                assert min(gaps) >= EVERY - 0.1, f"feed {n} polled twice in one interval: {gaps}"
                # Due at most EVERY after its last poll; taken over within LEASE + a tick.
                assert max(gaps) <= EVERY + LEASE + SLACK, f"feed {n} resumed late: {gaps}"
            for name in held_by_victim:
                n = int(name[1:])
                assert any(t > killed for t in route.times[n]), f"{name} never resumed"
            alive = {h.split(":")[1] for h in holders(engine).values() if h}
            assert alive == {str(p.pid) for p in procs[1:]}
            for p in procs[1:]:
                p.send_signal(signal.SIGTERM)
            for p in procs[1:]:
                assert p.wait(timeout=30) == 0
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
    with engine.connect() as conn:
        stored = list(conn.execute(sa.select(mentions.c.external_id)).scalars())
        left = conn.execute(sa.select(sa.func.count()).select_from(feeds)
                            .where(feeds.c.lease_owner.is_not(None))).scalar_one()
    engine.dispose()
    assert left == 0, "a clean stop gives its leases back"
    assert len(stored) == len(set(stored)), "a mention stored twice"
    assert route.served <= set(stored), sorted(route.served - set(stored))[:10]
    by_feed: dict[str, list[int]] = defaultdict(list)
    for guid in stored:
        feed, item = guid.split("-i")
        by_feed[feed].append(int(item))
    for feed, items in by_feed.items():
        assert sorted(items) == list(range(min(items), max(items) + 1)), f"{feed} has a gap"
