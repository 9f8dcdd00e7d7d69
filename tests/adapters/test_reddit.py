"""Reddit adapter against a fake Reddit: app-only OAuth with one token re-fetch on 401,
anonymous .json search, errors inside a 200, deleted and edited posts, Reddit's headers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from monitor.adapters.base import FeedAdapter
from monitor.errors import AuthFailed, ConfigError, RateLimited, SourceUnavailable

from .cases import fetch_all, ids, make, poll
from .fakenets import NOW, FakeReddit
from .fakeserver import FakeServer, json_response

UA = "python:com.acme.complaint-monitor:v0.1 (by /u/acme_support)"
ENV = {"ACME_REDDIT_ID": "cid-123", "ACME_REDDIT_SECRET": "reddit-secret-xyz"}


def build(server: FakeServer, client: httpx.Client, *, oauth: bool = True,
          environ: dict[str, str] | None = None, **options: object
          ) -> tuple[FeedAdapter, FakeReddit]:
    net = FakeReddit("cid-123", "reddit-secret-xyz") if oauth else FakeReddit()
    net.install(server)
    opts: dict[str, object] = {"base_url": server.url, "auth_url": server.url, "query": "acme",
                               "user_agent": UA, "page_size": 5, "backoff": 0.01, **options}
    if oauth:
        opts.update(client_id_env="ACME_REDDIT_ID", client_secret_env="ACME_REDDIT_SECRET")
    return make("reddit", opts, client, ENV if environ is None else environ), net


def test_app_only_token_is_fetched_once_and_sent(server: FakeServer,
                                                 client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(7)
    stored: set[str] = set()
    poll(adapter, poll(adapter, None, stored).cursor, stored)
    assert net.tokens_issued == 1
    searches = server.hits("/search")
    assert all(r.headers["authorization"] == "bearer tok-1" for r in searches)
    assert all(r.headers["user-agent"] == UA for r in server.hits())
    first = searches[0]
    assert (first.arg("sort"), first.arg("t"), first.arg("raw_json"), first.arg("limit")) == (
        "new", "day", "1", "5")
    assert server.hits("/api/v1/access_token")[0].form() == {"grant_type": "client_credentials"}


def test_a_401_fetches_a_new_token_once(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    adapter.fetch(None)
    net.add(2)
    net.valid_token = "revoked-elsewhere"  # the old token stops working
    net.tokens_issued = 1
    page = adapter.fetch(None)
    assert len(page.items) == 2 and net.tokens_issued == 2


def test_refused_app_credentials(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client, environ={"ACME_REDDIT_ID": "cid-123",
                                                "ACME_REDDIT_SECRET": "not-the-secret"})
    with pytest.raises(AuthFailed) as info:
        adapter.fetch(None)
    assert str(info.value) == ("Reddit refused the app credentials: check ACME_REDDIT_ID and "
                               "ACME_REDDIT_SECRET")


def test_anonymous_search_uses_json_on_the_www_host(server: FakeServer,
                                                    client: httpx.Client) -> None:
    adapter, net = build(server, client, oauth=False, environ={}, subreddit="Frugal")
    net.add(2)
    assert len(adapter.fetch(None).items) == 2
    [request] = server.hits()
    assert request.path == "/r/Frugal/search.json"
    assert request.arg("restrict_sr") == "1" and "authorization" not in request.headers


def test_ratelimit_error_inside_a_200(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    adapter.fetch(None)
    server.script(json_response({"json": {"errors": [
        ["RATELIMIT", "You are doing that too much. Try again in 6 minutes.", "ratelimit"]]}}))
    with pytest.raises(RateLimited) as info:
        adapter.fetch(None)
    assert info.value.retry_at == NOW + timedelta(minutes=6)
    assert "12:06 UTC" in str(info.value)


@pytest.mark.parametrize(
    ("body", "error", "words"),
    [
        ({"error": 403, "message": "Forbidden"}, AuthFailed, "Reddit said 403 Forbidden"),
        ({"json": {"errors": [["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"]]}},
         SourceUnavailable, "Reddit error SUBREDDIT_NOEXIST: that subreddit doesn't exist"),
        ({"kind": "t3", "data": {}}, SourceUnavailable, "something other than a listing"),
    ],
)
def test_other_errors_inside_a_200(server: FakeServer, client: httpx.Client, body: object,
                                   error: type[Exception], words: str) -> None:
    adapter, _ = build(server, client)
    adapter.fetch(None)
    server.script(json_response(body))
    with pytest.raises(error, match=words):
        adapter.fetch(None)


def test_429_reads_seconds_until_reset(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    adapter.fetch(None)
    server.script(json_response({"message": "Too Many Requests", "error": 429}, 429, **{
        "x-ratelimit-remaining": "0.0", "x-ratelimit-used": "100", "x-ratelimit-reset": "90"}))
    with pytest.raises(RateLimited) as info:
        adapter.fetch(None)
    assert info.value.retry_at == NOW + timedelta(seconds=90)


def test_deleted_and_removed_posts_are_skipped_edited_kept(server: FakeServer,
                                                          client: httpx.Client) -> None:
    adapter, net = build(server, client)
    [kept] = net.add(1, selftext="Charged twice, **no reply**.")
    net.add(1, selftext="[removed]", removed_by_category="moderator")
    [deleted] = net.add(1)
    net.posts[-1].author = "[deleted]"
    [edited] = net.add(1, edited=1764000000.5)
    items = fetch_all(adapter)
    assert ids(items) == [kept, edited]
    assert deleted not in ids(items)
    mention = adapter.normalise(items[0])
    assert mention.text == "Acme post number 1 about a late refund\n\nCharged twice, **no reply**."
    assert mention.author == "u/user1"
    assert mention.url == "https://www.reddit.com/r/Frugal/comments/0000001/post_1/"
    assert mention.created_at.isoformat() == "2026-11-24T10:01:00+00:00"
    assert adapter.normalise(items[1]).raw["edited"] == 1764000000.5


def test_unicode_survives_raw_json(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(1, title="acme \u0627\u0644\u062E\u062F\u0645\u0629 \U0001F92C & <fine> "
                     "zero\u200bwidth")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == "acme \u0627\u0644\u062E\u062F\u0645\u0629 \U0001F92C & <fine> zerowidth"


def test_user_agent_must_be_descriptive(client: httpx.Client) -> None:
    with pytest.raises(ConfigError, match=r"feeds\[acme-reddit\]\.user_agent"):
        make("reddit", {"query": "acme", "user_agent": "python-httpx/0.28"}, client)
    with pytest.raises(ConfigError, match="ACME_REDDIT_SECRET is not set"):
        make("reddit", {"query": "acme", "user_agent": UA, "client_id_env": "ACME_REDDIT_ID",
                        "client_secret_env": "ACME_REDDIT_SECRET"}, client,
             {"ACME_REDDIT_ID": "x"})
