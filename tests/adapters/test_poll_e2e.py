"""`poll` and `feeds list` against all six fake network APIs at once: the queue fills with
plain-text mentions whose ids, authors, times and links match the answers; a failing feed and
a refused token are reported in words while the other feeds are still polled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .fakenets import (
    FakeAtom,
    FakeBluesky,
    FakeHackerNews,
    FakeMastodon,
    FakeNet,
    FakeReddit,
    FakeX,
)
from .fakeserver import SERVER_ERROR, FakeServer

ROOT = Path(__file__).resolve().parents[2]
FAR = 10 * 365 * 86400.0  # the fakes' posts carry a fixed date: look back far enough for it


@pytest.fixture
def broken() -> Iterator[FakeServer]:
    fake = FakeServer().start()
    fake.route("GET", "/", lambda _req: SERVER_ERROR)
    try:
        yield fake
    finally:
        fake.stop()


def config(url: str, broken_url: str, db: Path) -> str:
    return f"""
[database]
url = "sqlite:///{db}"

[[feeds]]
name = "acme-mastodon"
kind = "mastodon"
base_url = "{url}"
hashtags = ["acme"]
page_size = 5
lookback = {FAR}

[[feeds]]
name = "acme-bluesky"
kind = "bluesky"
base_url = "{url}"
query = "acme"
identifier = "acme.com"
password_env = "ACME_BSKY_PASSWORD"
lookback = {FAR}

[[feeds]]
name = "acme-reddit"
kind = "reddit"
base_url = "{url}"
auth_url = "{url}"
query = "acme"
user_agent = "python:com.acme.complaint-monitor:v0.1 (by /u/acme_support)"
client_id_env = "ACME_REDDIT_ID"
client_secret_env = "ACME_REDDIT_SECRET"
time_filter = "all"

[[feeds]]
name = "acme-hn"
kind = "hackernews"
base_url = "{url}/api/v1"
query = "acme"
lookback = {FAR}

[[feeds]]
name = "acme-alerts"
kind = "rss"
url = "{url}/alerts/feeds/0123/9876"

[[feeds]]
name = "acme-x"
kind = "x"
base_url = "{url}"
query = "acme"
token_env = "ACME_X_TOKEN"

[[feeds]]
name = "acme-x-stale"
kind = "x"
base_url = "{url}"
query = "acme"
token_env = "ACME_X_OLD_TOKEN"

[[feeds]]
name = "acme-hn-down"
kind = "hackernews"
base_url = "{broken_url}/api/v1"
query = "acme"
retries = 1
backoff = 0.01
"""


ENV = {"ACME_BSKY_PASSWORD": "app-pass-1234", "ACME_REDDIT_ID": "cid-123",
       "ACME_REDDIT_SECRET": "reddit-secret-xyz", "ACME_X_TOKEN": "x-bearer-secret",
       "ACME_X_OLD_TOKEN": "revoked-token"}


def test_poll_fills_the_queue_and_reports_failing_feeds(
        server: FakeServer, broken: FakeServer, tmp_path: Path) -> None:
    nets: dict[str, FakeNet] = {
        "acme-mastodon": FakeMastodon(), "acme-bluesky": FakeBluesky(),
        "acme-reddit": FakeReddit("cid-123", "reddit-secret-xyz"),
        "acme-hn": FakeHackerNews(), "acme-alerts": FakeAtom(), "acme-x": FakeX(),
    }
    for net in nets.values():
        net.install(server)
        net.add(3, text="Acme refund for order 1234 still missing & nobody answers")
    path = tmp_path / "config.toml"
    path.write_text(config(server.url, broken.url, tmp_path / "q.db"), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
        return subprocess.run([sys.executable, "-m", "monitor", "--config", str(path), *args],
                              capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=120)

    polled = run("poll", "--no-progress")
    output = polled.stdout + polled.stderr
    assert polled.returncode == 3, output  # some feeds failed, the rest were processed
    assert "acme-x-stale" in output and "bearer token refused: check ACME_X_OLD_TOKEN" \
        in output
    assert "server error 500 from http://127.0.0.1" in output
    assert "revoked-token" not in output

    listed = run("queue", "list", "--status", "all", "--format", "json", "--limit", "100")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    by_feed: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_feed.setdefault(row["mention"]["feed"], []).append(row["mention"])
    assert set(by_feed) == set(nets)
    for name, net in nets.items():
        got = sorted(m["external_id"] for m in by_feed[name])  # type: ignore[type-var]
        assert got == sorted(net.external_id(p) for p in net.posts), name
        for mention in by_feed[name]:
            text = str(mention["text"])
            assert "missing & nobody answers" in text, (name, text)  # decoded, tags gone
            assert "<" not in text and "&amp;" not in text, (name, text)
            assert str(mention["url"]).startswith("https://"), name
            assert str(mention["created_at"]).startswith("2026-11-24T10:0"), name
    handles = {name: sorted(str(m["author"]) for m in ms) for name, ms in by_feed.items()}
    assert handles["acme-mastodon"][0] == "@user1@other.example"
    assert handles["acme-bluesky"][0] == "@user1.bsky.social"
    assert handles["acme-reddit"][0] == "u/user1"
    assert handles["acme-hn"][0] == "user1"
    assert handles["acme-x"][0] == "@user1"

    feeds = run("feeds", "list", "--format", "json")
    assert feeds.returncode == 0, feeds.stderr
    state = {f["name"]: f for f in json.loads(feeds.stdout)}
    assert len(state) == 8
    assert state["acme-x-stale"]["last_error"].endswith(
        "bearer token refused: check ACME_X_OLD_TOKEN")
    assert "server error 500" in state["acme-hn-down"]["last_error"]
    assert all(state[name]["last_error"] is None for name in nets)
