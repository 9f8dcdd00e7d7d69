"""Bluesky adapter against a fake PDS: one login reused, refresh on an expired token, search
paging backwards with a seen-set cursor, plain text with emoji and right-to-left scripts."""

from __future__ import annotations

import httpx
import pytest

from monitor.adapters.base import FeedAdapter
from monitor.errors import AuthFailed, ConfigError

from .cases import fetch_all, ids, make, poll
from .fakenets import FakeBluesky
from .fakeserver import FakeServer, json_response

ENV = {"ACME_BSKY_PASSWORD": "app-pass-1234"}


def build(server: FakeServer, client: httpx.Client, net: FakeBluesky | None = None,
          environ: dict[str, str] | None = None, **options: object
          ) -> tuple[FeedAdapter, FakeBluesky]:
    net = net or FakeBluesky()
    net.install(server)
    opts = {"base_url": server.url, "query": "acme", "identifier": "acme.com",
            "password_env": "ACME_BSKY_PASSWORD", "page_size": 5, "backoff": 0.01, **options}
    return make("bluesky", opts, client, ENV if environ is None else environ), net


def test_logs_in_once_and_reuses_the_session(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(3)
    stored: set[str] = set()
    cursor = None
    for _ in range(3):
        cursor = poll(adapter, cursor, stored).cursor
    assert net.logins == 1
    assert len(stored) == 3
    assert "access" not in str(cursor) and "refresh" not in str(cursor)


def test_expired_access_token_is_refreshed_once(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    adapter.fetch(None)
    net.add(2)
    net.expired = True  # the PDS now answers 400 ExpiredToken to the old access token
    page = adapter.fetch(None)
    assert len(page.items) == 2
    assert (net.logins, net.refreshes) == (1, 1)
    assert server.hits("/xrpc/com.atproto.server.refreshSession")[0].headers[
        "authorization"] == "Bearer refresh-1"


def test_wrong_password_says_which_variable_to_check(server: FakeServer,
                                                     client: httpx.Client) -> None:
    adapter, _ = build(server, client, environ={"ACME_BSKY_PASSWORD": "wrong-pass-999"})
    with pytest.raises(AuthFailed) as info:
        adapter.fetch(None)
    message = str(info.value)
    assert message.startswith("login refused: check ACME_BSKY_PASSWORD")
    assert "wrong-pass-999" not in message
    assert info.value.feed == "acme-bluesky"


def test_refresh_refused_then_fails_after_one_new_login(server: FakeServer,
                                                        client: httpx.Client) -> None:
    adapter, net = build(server, client)
    adapter.fetch(None)
    expired = json_response({"error": "ExpiredToken", "message": "Token has expired"}, 400)
    # search: expired; refreshSession: expired; new login: ok; search again: expired.
    server.script(expired, expired)
    net.password = "rotated"  # the login is refused too
    with pytest.raises(AuthFailed, match="login refused: check ACME_BSKY_PASSWORD"):
        adapter.fetch(None)
    assert net.logins == 1  # no lock-out loop: one refresh, one login attempt, then stop


def test_access_token_mode_fails_without_refresh(server: FakeServer, client: httpx.Client) -> None:
    net = FakeBluesky()
    net.install(server)
    adapter = make("bluesky", {"base_url": server.url, "query": "acme",
                               "token_env": "ACME_BSKY_TOKEN"}, client,
                   {"ACME_BSKY_TOKEN": "stale"})
    with pytest.raises(AuthFailed, match="check ACME_BSKY_TOKEN"):
        adapter.fetch(None)
    assert net.logins == 0 and net.refreshes == 0


def test_forbidden_search_is_an_auth_failure(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    adapter.fetch(None)
    server.script(json_response({"error": "Forbidden",
                                 "message": "Request forbidden by administrative rules"}, 403))
    with pytest.raises(AuthFailed, match="administrative rules"):
        adapter.fetch(None)


def test_search_request_shape_and_backward_paging(server: FakeServer,
                                                  client: httpx.Client) -> None:
    adapter, net = build(server, client)
    expected = net.add(12)
    items = fetch_all(adapter)
    assert sorted(ids(items)) == sorted(expected)
    searches = server.hits("/xrpc/app.bsky.feed.searchPosts")
    assert [r.arg("cursor") for r in searches] == [None, "5", "10"]
    assert {r.arg("sort") for r in searches} == {"latest"}
    assert all(r.arg("since", "").endswith("Z") for r in searches)  # type: ignore[union-attr]


def test_normalises_reply_refs_language_and_unicode(server: FakeServer,
                                                    client: httpx.Client) -> None:
    adapter, net = build(server, client)
    text = ("acme \u05D4\u05D6\u05DE\u05E0\u05D4 \u0644\u0645 \u062A\u0635\u0644 "
            "\U0001F621\U0001F3FD zero\u200bwidth")
    net.add(text=text, langs=["ar", "he"], reply_to="at://did:plc:x/app.bsky.feed.post/p",
            root="at://did:plc:x/app.bsky.feed.post/r")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == text.replace("\u200b", "")
    assert mention.language == "ar"
    assert mention.author == "@user1.bsky.social" and mention.author_name == "User 1"
    assert mention.url == "https://bsky.app/profile/user1.bsky.social/post/3lkq000000001"
    assert mention.reply_to_id == "at://did:plc:x/app.bsky.feed.post/p"
    assert mention.thread_id == "at://did:plc:x/app.bsky.feed.post/r"
    assert mention.created_at.isoformat() == "2026-11-24T10:01:00+00:00"


def test_needs_a_login(client: httpx.Client) -> None:
    with pytest.raises(ConfigError, match=r"feeds\[acme-bluesky\]\.password_env"):
        make("bluesky", {"base_url": "https://bsky.social", "query": "acme"}, client)
    with pytest.raises(ConfigError, match="ACME_BSKY_PASSWORD is not set"):
        make("bluesky", {"base_url": "https://bsky.social", "query": "acme",
                         "identifier": "acme.com", "password_env": "ACME_BSKY_PASSWORD"}, client)


def test_follower_counts_come_from_get_profiles_in_batches_of_25(
        server: FakeServer, client: httpx.Client) -> None:
    """Issue 16, item 21: a postView has no follower count; getProfiles (25 actors a call)
    does."""
    adapter, net = build(server, client, page_size=100)
    net.add(30)
    page = adapter.fetch(None)
    mentions = [adapter.normalise(i) for i in page.items]
    assert len(mentions) == 30
    by_author = {m.author: m.author_followers for m in mentions}
    assert by_author["@user1.bsky.social"] == 101 and by_author["@user30.bsky.social"] == 130
    calls = server.hits("/xrpc/app.bsky.actor.getProfiles")
    assert [len(c.query["actors"]) for c in calls] == [25, 5]
    assert all(c.headers["authorization"] == "Bearer access-1" for c in calls)


def test_posts_are_kept_without_counts_when_get_profiles_fails(
        server: FakeServer, client: httpx.Client) -> None:
    net = FakeBluesky()
    net.profiles_down = True
    adapter, _ = build(server, client, net=net, retries=0)
    net.add(3)
    page = adapter.fetch(None)
    mentions = [adapter.normalise(i) for i in page.items]
    assert len(mentions) == 3 and not page.problems
    assert all(m.author_followers is None for m in mentions)
