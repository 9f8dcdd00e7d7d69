"""Publishing approved replies end to end: mentions polled from the fake Mastodon and X APIs,
approved, then posted back exactly once, on SQLite and PostgreSQL.

Covers: off by default, the approved (edited) text is what goes out, the network's id and
link are kept, a time-out followed by a retry finds the first post instead of sending a
second, two publishers racing for one item send it once, a text failing the draft checks is
never sent, rate limits and refused credentials leave the item approved, a refusal fails it
(with the reason in its history) and it can be approved again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor.app import App, open_app
from monitor.config import BrandSettings, FeedSettings, PublishSettings, Settings
from monitor.errors import ConfigError
from monitor.review.publish import Outcome, reply_key
from monitor.scheduler import build_scheduler
from monitor.store import publish as store_publish
from monitor.store import queue as store_queue
from tests.adapters.fakenets import NOW, FakeBluesky, FakeMastodon, FakeReddit, FakeX
from tests.adapters.fakeserver import FakeServer, Response, json_response
from tests.conftest import FakeClock, make_settings

FAR = 10 * 365 * 86400.0
MASTODON_TOKEN = "mastodon-write-token"
X_TOKEN = "x-user-context-token"
ENVIRON = {"ACME_MASTODON_TOKEN": MASTODON_TOKEN, "ACME_X_TOKEN": X_TOKEN,
           "ACME_BSKY_PASSWORD": "app-pass-1234", "ACME_REDDIT_ID": "cid-123",
           "ACME_REDDIT_SECRET": "reddit-secret-xyz", "ACME_REDDIT_PASSWORD": "reddit-pass"}
CREATE_PATHS = {"acme-mastodon": "/api/v1/statuses", "acme-x": "/2/tweets",
                "acme-bluesky": "/xrpc/com.atproto.repo.createRecord",
                "acme-reddit": "/api/comment"}
CLIENT_TIMEOUT = 0.5
COMPLAINT = "@acme @AcmeSupport my Acme kettle refund is late, order 1234, please fix this"


@dataclass
class Env:
    server: FakeServer
    mastodon: FakeMastodon
    x: FakeX
    bluesky: FakeBluesky
    reddit: FakeReddit
    settings: Settings
    clock: FakeClock
    client: httpx.Client
    apps: list[App]

    def app(self, http: httpx.Client | None = None, **publish: Any) -> App:
        """An app on the shared client, or on `http` (its time-out then sizes the lease
        check, as a daemon's own client's does)."""
        settings = self.settings
        if publish:
            settings = dataclasses.replace(
                settings, publish=dataclasses.replace(settings.publish, **publish))
        if http is not None:
            timeout = http.timeout.read
            assert timeout is not None
            settings = dataclasses.replace(settings, scheduler=dataclasses.replace(
                settings.scheduler, http_timeout_seconds=timeout))
        application = App(settings, environ=ENVIRON, clock=self.clock,
                          http=http or self.client)
        self.apps.append(application)
        return application

    def posts(self, feed: str) -> list[Any]:
        return [r for r in self.server.hits(CREATE_PATHS[feed]) if r.method == "POST"]


def _settings(db_url: str, url: str) -> Settings:
    feeds = (
        FeedSettings(name="acme-mastodon", kind="mastodon", every=60.0, options={
            "base_url": url, "hashtags": ["acme"], "token_env": "ACME_MASTODON_TOKEN",
            "lookback": FAR, "retries": 0}),
        FeedSettings(name="acme-x", kind="x", every=60.0, options={
            "base_url": url, "query": "acme", "token_env": "ACME_X_TOKEN", "retries": 0}),
        FeedSettings(name="acme-bluesky", kind="bluesky", every=60.0, options={
            "base_url": url, "query": "acme", "identifier": "acme.com",
            "password_env": "ACME_BSKY_PASSWORD", "lookback": FAR, "retries": 0}),
        FeedSettings(name="acme-reddit", kind="reddit", every=60.0, options={
            "base_url": url, "auth_url": url, "query": "acme", "time_filter": "all",
            "user_agent": "python:com.acme.complaint-monitor:v0.1 (by /u/acme_support)",
            "client_id_env": "ACME_REDDIT_ID", "client_secret_env": "ACME_REDDIT_SECRET",
            "username": "acme_support", "password_env": "ACME_REDDIT_PASSWORD", "retries": 0}),
    )
    base = make_settings(db_url, *feeds)
    return dataclasses.replace(
        base, brand=BrandSettings(name="Acme", handles=("@acme",), keywords=("acme",)),
        # The injected client's time-out, so the lease check sizes attempts by it.
        scheduler=dataclasses.replace(base.scheduler, http_timeout_seconds=CLIENT_TIMEOUT),
        publish=PublishSettings(enabled=True, lease_seconds=120.0, recheck_seconds=300.0),
    )


@pytest.fixture
def env(db_url: str) -> Iterator[Env]:
    server = FakeServer(now=NOW).start()
    mastodon, x = FakeMastodon(token=MASTODON_TOKEN), FakeX(token=X_TOKEN)
    bluesky, reddit = FakeBluesky(), FakeReddit("cid-123", "reddit-secret-xyz")
    for net in (mastodon, x, bluesky, reddit):
        net.install(server)
        net.add(2, text=COMPLAINT)
    client = httpx.Client(timeout=CLIENT_TIMEOUT)
    e = Env(server, mastodon, x, bluesky, reddit, _settings(db_url, server.url),
            FakeClock(NOW), client, [])
    first = e.app()
    first.migrate()
    results = first.poll_all()
    assert [r.new for r in results] == [2, 2, 2, 2], results
    try:
        yield e
    finally:
        for application in e.apps:
            application.close()
        client.close()
        server.stop()


def item_of(app: App, feed: str, n: int = 0) -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None, feed=feed),
                                       limit=10).items
    return sorted(items, key=lambda i: i.id)[n]


def approve(app: App, feed: str, n: int = 0, **kw: Any) -> store_queue.QueueItem:
    item = item_of(app, feed, n)
    approved: store_queue.QueueItem = app.reviewer().approve(item.id, by="jo", **kw)
    return approved


def history(app: App, item_id: int) -> list[store_queue.Event]:
    with app.engine.connect() as conn:
        return store_queue.history(conn, item_id)


def attempt(app: App, item_id: int) -> store_publish.Attempt:
    with app.engine.connect() as conn:
        found = store_publish.get(conn, item_id)
    assert found is not None
    return found


FEEDS = ["acme-mastodon", "acme-x", "acme-bluesky", "acme-reddit"]


def test_publishing_is_off_by_default(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, base_dir=str(tmp_path))
    assert settings.publish.enabled is False
    app = App(settings, environ={})
    app.migrate()
    try:
        with pytest.raises(ConfigError, match=r"publish\.enabled"):
            app.publish()
        assert app.publisher_for("demo") is None
        jobs = [j.id for j in build_scheduler(app).get_jobs()]
        polls = (["feeds"] if app.engine.dialect.name == "postgresql"
                 else ["feed:demo", "heartbeat"])
        assert sorted(j for j in jobs if j != "learn") == polls  # learning: tests/test_learn
    finally:
        app.close()


def test_the_daemon_gets_one_publishing_job_when_enabled(env: Env) -> None:
    scheduler = build_scheduler(env.app())
    scheduler.start(paused=True)  # jobs get their defaults when the scheduler starts
    try:
        jobs = {j.id: j for j in scheduler.get_jobs()}
        # PostgreSQL: one job shares and polls every feed (tests/test_leases.py).
        polls = ({"feeds"} if env.app().engine.dialect.name == "postgresql"
                 else {f"feed:{f}" for f in FEEDS} | {"heartbeat"})
        assert set(jobs) - {"learn"} == polls | {"publish"}
        assert jobs["publish"].max_instances == 1
        assert jobs["publish"].trigger.interval == timedelta(seconds=60)
    finally:
        scheduler.shutdown(wait=False)


@pytest.mark.parametrize("feed", FEEDS)
def test_an_approved_reply_is_posted_once_and_its_id_kept(env: Env, feed: str) -> None:
    app = env.app()
    item = approve(app, feed)
    assert item.draft is not None
    [result] = app.publish()
    assert result.outcome is Outcome.PUBLISHED, result.line()
    [post] = env.posts(feed)
    body = json.loads(post.body) if feed != "acme-reddit" else {}
    if feed == "acme-mastodon":
        assert body["status"] == item.draft.text
        assert body["in_reply_to_id"] == local_id(env, item.mention.external_id)
        assert body["visibility"] == "public"
        assert post.headers["idempotency-key"] == reply_key(item.id, item.draft.id)
        assert post.headers["authorization"] == f"Bearer {MASTODON_TOKEN}"
        sent = env.mastodon.replies[0]
        assert result.ref is not None and result.ref.id == sent["id"]
        assert result.ref.url == sent["url"]
    elif feed == "acme-x":
        assert body == {"text": item.draft.text,
                        "reply": {"in_reply_to_tweet_id": item.mention.external_id}}
        assert result.ref is not None and result.ref.id == env.x.replies[0]["id"]
        assert result.ref.url == f"https://x.com/i/status/{result.ref.id}"
    elif feed == "acme-bluesky":
        record = body["record"]
        assert record["text"] == item.draft.text
        # The strong ref (uri + cid) survived the trip through the database.
        assert record["reply"]["parent"]["uri"] == item.mention.external_id
        assert record["reply"]["parent"]["cid"].startswith("bafyrei")
        assert result.ref is not None and result.ref.id == env.bluesky.records[0]["uri"]
    else:
        assert post.form()["thing_id"] == item.mention.external_id
        assert post.form()["text"] == item.draft.text
        assert result.ref is not None and result.ref.id == env.reddit.comments[0]["name"]
    after = item_of(app, feed)
    assert after.status == "published"
    last = history(app, item.id)[-1]
    assert (last.actor, last.action, last.from_status, last.to_status) == (
        "publisher", "publish", "approved", "published")
    assert last.detail is not None and last.detail["reply_id"] == result.ref.id
    assert attempt(app, item.id).published() == {
        "reply_id": result.ref.id, "url": result.ref.url, "at": NOW.isoformat()}
    # Nothing is due any more; asking again by id does not post again.
    assert app.publish() == []
    [again] = app.publish([item.id])
    assert again.outcome is Outcome.SKIPPED
    assert len(env.posts(feed)) == 1


def test_only_approved_items_publish_and_the_edited_text_goes_out(env: Env) -> None:
    app = env.app()
    pending = item_of(app, "acme-mastodon", 1)
    edited = "@user1@other.example Sorry about the wait. We have sent you a DM. ^NK"
    item = approve(app, "acme-mastodon", 0, text=edited)
    results = app.publish([pending.id, item.id])
    assert [r.outcome for r in results] == [Outcome.SKIPPED, Outcome.PUBLISHED]
    assert "pending, not approved" in results[0].message
    [post] = env.posts("acme-mastodon")
    assert json.loads(post.body)["status"] == edited
    assert item_of(app, "acme-mastodon", 1).status == "pending"


@pytest.mark.parametrize("feed", FEEDS)
def test_after_a_time_out_the_first_post_is_found_and_not_sent_again(env: Env,
                                                                     feed: str) -> None:
    app = env.app()
    net: Any = {"acme-mastodon": env.mastodon, "acme-x": env.x, "acme-bluesky": env.bluesky,
                "acme-reddit": env.reddit}[feed]
    net.reply_delay = CLIENT_TIMEOUT * 3  # the post is made, the answer comes too late
    item = approve(app, feed)
    [first] = app.publish()
    assert first.outcome is Outcome.DEFERRED, first.line()
    assert "may or may not have been posted" in first.message
    assert item_of(app, feed).status == "approved"
    record = attempt(app, item.id)
    assert record.in_flight_key is not None and record.attempts == 1
    made = {"acme-mastodon": "replies", "acme-x": "replies", "acme-bluesky": "records",
            "acme-reddit": "comments"}[feed]
    assert len(getattr(net, made)) == 1  # the network did take it
    # Before the re-check time it waits; then it looks, finds the post, and sends nothing.
    assert app.publish() == []
    env.clock.advance(seconds=301)
    [second] = app.publish()
    assert second.outcome is Outcome.PUBLISHED, second.line()
    id_key = {"acme-bluesky": "uri", "acme-reddit": "name"}.get(feed, "id")
    assert second.ref is not None and second.ref.id == getattr(net, made)[0][id_key]
    assert len(env.posts(feed)) == 1
    assert len(getattr(net, made)) == 1
    assert item_of(app, feed).status == "published"
    assert attempt(app, item.id).in_flight_key is None


def test_an_unknown_outcome_not_found_is_sent_again_with_the_same_key(env: Env) -> None:
    app = env.app()
    item = approve(app, "acme-mastodon")
    env.server.script(Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}))
    [first] = app.publish()
    assert first.outcome is Outcome.DEFERRED
    env.clock.advance(seconds=301)
    [second] = app.publish()
    assert second.outcome is Outcome.PUBLISHED
    posts = env.posts("acme-mastodon")
    assert len(posts) == 2 and len(env.mastodon.replies) == 1
    assert {p.headers["idempotency-key"] for p in posts} == {
        reply_key(item.id, item.draft.id if item.draft else 0)}
    # The thread was looked at before the second send.
    assert env.server.hits(
        f"/api/v1/statuses/{local_id(env, item.mention.external_id)}/context")


def local_id(env: Env, uri: str) -> str:
    """The fake instance's id of the status stored under ActivityPub `uri`."""
    [post] = [p for p in env.mastodon.posts if env.mastodon.uri(p) == uri]
    return env.mastodon.sid(post)


def test_two_publishers_racing_for_one_item_post_it_once(env: Env) -> None:
    # A patient client: the winner's send must not time out (a 0.5 s client on a loaded
    # 2-core CI machine once did, so neither posted), while it stays in flight long enough
    # that the other publisher looks while it is still sending.
    with httpx.Client(timeout=5.0) as patient:
        one, two = env.app(http=patient), env.app(http=patient)
        assert one.publish_owner != two.publish_owner
        item = approve(one, "acme-x")
        env.x.reply_delay = 1.0  # the winner is still sending when the other looks
        barrier = threading.Barrier(2)
        results: dict[str, Any] = {}

        def go(name: str, app: App) -> None:
            barrier.wait()
            results[name] = app.publish([item.id])

        threads = [threading.Thread(target=go, args=(n, a)) for n, a in (("one", one),
                                                                          ("two", two))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        outcomes = [r[0].outcome for r in results.values()]
        assert outcomes.count(Outcome.PUBLISHED) == 1, results
        assert {o for o in outcomes if o is not Outcome.PUBLISHED} <= {Outcome.BUSY,
                                                                      Outcome.SKIPPED}
        assert len(env.posts("acme-x")) == 1
        assert item_of(one, "acme-x").status == "published"


def test_a_held_lease_keeps_other_publishers_off_until_it_runs_out(env: Env) -> None:
    one, two = env.app(), env.app()
    item = approve(one, "acme-mastodon")
    with one.engine.begin() as conn:  # as if `one` died right after claiming
        assert store_publish.claim(conn, item.id, owner=one.publish_owner, now=NOW,
                                   lease_until=NOW + timedelta(seconds=120))
    [busy] = two.publish([item.id])
    assert busy.outcome is Outcome.BUSY and "another publisher" in busy.message
    # Nor does the same process take its own lease twice (the daemon's job and the web
    # app's button share one App).
    [same] = one.publish([item.id])
    assert same.outcome is Outcome.BUSY
    assert two.publish() == []
    env.clock.advance(seconds=121)
    [done] = two.publish()
    assert done.outcome is Outcome.PUBLISHED
    assert len(env.posts("acme-mastodon")) == 1


def test_a_text_failing_the_draft_checks_is_not_sent(env: Env) -> None:
    app = env.app()
    bad = "@user1@other.example see http://evil.example/refund for your money"
    item = approve(app, "acme-mastodon", text=bad, force=True)
    assert item.draft is not None and item.draft.violations
    [result] = app.publish()
    assert result.outcome is Outcome.FAILED
    assert "fails the draft checks" in result.message
    assert env.posts("acme-mastodon") == []
    assert item_of(app, "acme-mastodon").status == "failed"
    last = history(app, item.id)[-1]
    assert (last.action, last.to_status) == ("fail", "failed")
    assert last.detail is not None and "draft checks" in last.detail["error"]


def test_a_rate_limit_keeps_the_item_approved_until_the_reset(env: Env) -> None:
    app = env.app()
    reset = NOW + timedelta(minutes=10)
    env.server.script(json_response({"error": "Too many requests"}, 429, **{
        "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "X-RateLimit-Remaining": "0"}))
    item = approve(app, "acme-mastodon")
    [first] = app.publish()
    assert first.outcome is Outcome.DEFERRED and "rate limited" in first.message
    assert item_of(app, "acme-mastodon").status == "approved"
    record = attempt(app, item.id)
    assert record.retry_at == reset and record.in_flight_key is None
    [waiting] = app.publish([item.id])
    assert waiting.outcome is Outcome.BUSY and "waiting until" in waiting.message
    env.clock.advance(minutes=11)
    [done] = app.publish()
    assert done.outcome is Outcome.PUBLISHED
    assert len(env.mastodon.replies) == 1


def test_refused_credentials_keep_the_item_approved(env: Env) -> None:
    app = env.app()
    env.x.token = "rotated"  # the server no longer accepts ours
    approve(app, "acme-x")
    [result] = app.publish()
    assert result.outcome is Outcome.DEFERRED and "token refused" in result.message
    assert X_TOKEN not in result.message
    assert item_of(app, "acme-x").status == "approved"


def test_a_refusal_fails_the_item_with_the_reason_and_it_can_be_approved_again(
        env: Env) -> None:
    app = env.app()
    env.mastodon.max_characters = 20
    item = approve(app, "acme-mastodon")
    [result] = app.publish()
    assert result.outcome is Outcome.FAILED
    assert "Text character limit of 20 exceeded" in result.message
    assert item_of(app, "acme-mastodon").status == "failed"
    last = history(app, item.id)[-1]
    assert last.detail is not None and "character limit" in last.detail["error"]
    assert attempt(app, item.id).last_error == result.message
    env.mastodon.max_characters = 500
    app.reviewer().approve(item.id, by="jo")
    [again] = app.publish()
    assert again.outcome is Outcome.PUBLISHED
    assert len(env.mastodon.replies) == 1


def test_publish_feeds_limits_which_feeds_publish(env: Env) -> None:
    app = env.app(feeds=("acme-x",))
    item = approve(app, "acme-mastodon")
    approve(app, "acme-x")
    results = app.publish()
    assert [r.outcome for r in results] == [Outcome.PUBLISHED]
    [skipped] = app.publish([item.id])
    assert skipped.outcome is Outcome.SKIPPED and "does not publish" in skipped.message
    assert env.posts("acme-mastodon") == []


def _cli(tmp_path: Path, env: Env, *args: str, publish: bool = True,
         lease: float | None = None) -> Any:
    import os
    import subprocess
    import sys

    config = tmp_path / "config.toml"
    config.write_text(f"""
[brand]
name = "Acme"
handles = ["@acme"]
keywords = ["acme"]

[database]
url = "{env.settings.database.url}"

[publish]
enabled = {"true" if publish else "false"}
{"" if lease is None else f"lease_seconds = {lease}"}

[[feeds]]
name = "acme-mastodon"
kind = "mastodon"
base_url = "{env.server.url}"
hashtags = ["acme"]
token_env = "ACME_MASTODON_TOKEN"
retries = 0
""", encoding="utf-8")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    full_env.update(ENVIRON)
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args], cwd=tmp_path,
        env=full_env, capture_output=True, text=True, timeout=120,
    )


def test_queue_publish_from_the_shell(env: Env, tmp_path: Path) -> None:
    app = env.app()
    item = approve(app, "acme-mastodon")
    off = _cli(tmp_path, env, "queue", "publish", publish=False)
    assert off.returncode == 2 and "publish.enabled" in off.stderr
    assert env.posts("acme-mastodon") == []

    done = _cli(tmp_path, env, "queue", "publish")
    assert done.returncode == 0, done.stderr
    reply = env.mastodon.replies[0]
    assert done.stdout.splitlines() == [f"#{item.id} published: {reply['url']}"]
    assert MASTODON_TOKEN not in done.stdout + done.stderr

    shown = _cli(tmp_path, env, "queue", "show", str(item.id), "--format", "json")
    d = json.loads(shown.stdout)
    assert d["status"] == "published"
    published = dict(d["published"])
    assert datetime.fromisoformat(published.pop("at")).tzinfo is not None  # the real clock
    assert published == {"reply_id": reply["id"], "url": reply["url"]}
    assert d["publish_error"] is None
    assert d["history"][-1]["action"] == "publish"
    text = _cli(tmp_path, env, "queue", "show", str(item.id))
    assert f"published as {reply['url']}" in text.stdout
    listed = json.loads(_cli(tmp_path, env, "queue", "list", "--status", "published",
                             "--format", "json").stdout)
    assert [i["published"]["reply_id"] for i in listed] == [reply["id"]]

    again = _cli(tmp_path, env, "queue", "publish", str(item.id))
    assert again.returncode == 1
    assert again.stdout.strip() == f"#{item.id} skipped: it is published, not approved"

    env.mastodon.max_characters = 10
    second = approve(app, "acme-mastodon", 1)
    failed = _cli(tmp_path, env, "queue", "publish")
    assert failed.returncode == 3
    assert failed.stdout.startswith(f"#{second.id} failed: ")
    assert "character limit of 10 exceeded" in failed.stdout
    shown = json.loads(_cli(tmp_path, env, "queue", "show", str(second.id), "--format",
                            "json").stdout)
    assert shown["status"] == "failed" and shown["published"] is None
    assert "character limit" in shown["publish_error"]


@pytest.mark.parametrize(("toml", "key"), [
    ("[publish]\nenabled = \"yes\"\n", "publish.enabled"),
    ("[publish]\nfeeds = [\"nope\"]\n", "publish.feeds"),
    ("[publish]\nlease_seconds = 0\n", "publish.lease_seconds"),
    ("[publish]\ninterval_seconds = 0\n", "publish.interval_seconds"),
    ("[publish]\nbatch_size = 0\n", "publish.batch_size"),
])
def test_bad_publish_settings_name_the_key(toml: str, key: str) -> None:
    import tomllib

    from monitor import config

    with pytest.raises(ConfigError) as caught:
        config.parse(tomllib.loads(toml), path="c.toml")
    assert caught.value.key == key


def _lease_check(lease: float, *, publishing: tuple[str, ...] = (),
                 options: dict[str, dict[str, Any]] | None = None) -> None:
    """App.check_publish_lease over the four feeds: 20 s per request unless a feed sets its
    own `timeout`, `options` merged into the named feeds' own, `publishing` as publish.feeds.
    Nothing touches the database or a network: the check only builds the adapters."""
    settings = _settings("sqlite://", "http://127.0.0.1:9")
    extra = options or {}
    feeds = tuple(dataclasses.replace(f, options={**f.options, **extra.get(f.name, {})})
                  for f in settings.feeds)
    with open_app(dataclasses.replace(
            settings, feeds=feeds,
            publish=dataclasses.replace(settings.publish, lease_seconds=lease, feeds=publishing),
            scheduler=dataclasses.replace(settings.scheduler, http_timeout_seconds=20.0)),
            environ=ENVIRON) as app:
        app.check_publish_lease()


def test_a_lease_shorter_than_a_publish_attempt_is_refused_naming_the_feed() -> None:
    # retries = 0 everywhere, 20 s per request. Bluesky's attempt is the longest: up to 6
    # GETs and 12 single POSTs (getSession, listRecords, logins, renewals, createRecord).
    with pytest.raises(ConfigError) as caught:
        _lease_check(359.0)
    assert caught.value.key == "publish.lease_seconds"
    assert str(caught.value).startswith(
        "built-in demo config: publish.lease_seconds: must be at least 360 for feed "
        "acme-bluesky, not 359: ")
    assert "\n" not in str(caught.value)
    _lease_check(360.0)
    # A feed's own timeout counts, not only the shared client's: Reddit's 12 requests at 40 s.
    with pytest.raises(ConfigError, match="at least 480 for feed acme-reddit, not 360"):
        _lease_check(360.0, options={"acme-reddit": {"timeout": 40.0}})
    # Only the feeds that publish count.
    _lease_check(60.0, publishing=("acme-mastodon",))


def test_the_default_lease_outlasts_every_networks_attempt_at_default_retries() -> None:
    defaults = {name: {"retries": 2, "backoff": 0.5} for name in
                ("acme-mastodon", "acme-x", "acme-bluesky", "acme-reddit")}
    _lease_check(PublishSettings().lease_seconds, options=defaults)
    # Reddit's: 10 retried requests of 3 x 20 s plus 2.25 s of back-off, and 2 POSTs.
    with pytest.raises(ConfigError, match="at least 663 for feed acme-reddit, not 662"):
        _lease_check(662.0, options=defaults)


def test_the_daemon_will_not_start_with_a_lease_too_short(env: Env, tmp_path: Path) -> None:
    # One Mastodon feed, retries = 0, 20 s per request: two GETs and the POST, 60 s.
    refused = _cli(tmp_path, env, "run", "--port", "0", lease=59.0)
    assert refused.returncode == 2
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith(f"error: {tmp_path / 'config.toml'}: publish.lease_seconds: must "
                           "be at least 60 for feed acme-mastodon, not 59: ")
    assert _cli(tmp_path, env, "queue", "publish", lease=59.0).returncode == 2
    assert _cli(tmp_path, env, "queue", "publish", lease=60.0).returncode == 0


def test_the_item_page_publishes_an_approved_reply_with_the_csrf_token(env: Env) -> None:
    from fastapi.testclient import TestClient

    from monitor.store import users as store_users
    from monitor.web.app import create_app
    from monitor.web.auth import hash_password
    from tests.web.conftest import PASSWORD, sign_in

    app = env.app()
    with app.engine.begin() as conn:
        store_users.create(conn, "ann", hash_password(PASSWORD), "reviewer", NOW)
    item = approve(app, "acme-mastodon")
    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        token = sign_in(client)
        page = client.get(f"/items/{item.id}").text
        assert 'id="publish-btn"' in page
        refused = client.post(f"/items/{item.id}/publish", data={}, follow_redirects=False)
        assert refused.status_code in (400, 403)
        assert env.posts("acme-mastodon") == []
        done = client.post(f"/items/{item.id}/publish", data={"csrf_token": token},
                           follow_redirects=False)
        assert done.status_code == 303
        assert done.headers["location"] == f"/items/{item.id}"
        page = client.get(f"/items/{item.id}").text
        url = env.mastodon.replies[0]["url"]
        assert f'Published as <a href="{url}"' in page
        assert 'id="publish-btn"' not in page
        # The JSON API shows the reply as the CLI's queue JSON does.
        one = client.get(f"/api/items/{item.id}").json()
        assert one["status"] == "published" and one["publish_error"] is None
        assert one["published"]["url"] == url
        listed = client.get("/api/items", params={"status": "published"}).json()["items"]
        assert [(i["id"], i["published"]["url"]) for i in listed] == [(item.id, url)]
    assert len(env.posts("acme-mastodon")) == 1
    assert item_of(app, "acme-mastodon").status == "published"


def test_the_daemons_publishing_job_sends_due_items_and_survives_errors(
        env: Env, caplog: pytest.LogCaptureFixture) -> None:
    from monitor.scheduler import _publish_job

    caplog.set_level(logging.INFO, logger="monitor.scheduler")
    app = env.app()
    item = approve(app, "acme-x")
    _publish_job(app)
    assert item_of(app, "acme-x").status == "published"
    assert f"#{item.id} published" in caplog.text
    app.settings = dataclasses.replace(app.settings, publish=PublishSettings(enabled=False))
    _publish_job(app)  # a failing round is logged, and the next one tries again
    assert "publishing failed; will retry" in caplog.text
