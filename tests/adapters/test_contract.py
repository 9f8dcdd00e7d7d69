"""The contract every network adapter keeps, run against each one's fake API on 127.0.0.1:
empty feeds, paging to the end, incremental polls, resuming after a crash between pages,
429 / 5xx / time-out / malformed / HTML answers, pure normalising, config errors naming keys.
"""

from __future__ import annotations

import json
from datetime import UTC

import httpx
import pytest

from monitor.adapters.base import FeedAdapter
from monitor.errors import AuthFailed, ConfigError, RateLimited, SourceUnavailable
from monitor.model import Mention

from .cases import CASES, Case, make, poll
from .fakenets import NOW
from .fakeserver import HTML_ERROR, MALFORMED_JSON, SERVER_ERROR, FakeServer, Response

pytestmark = pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])


def warmed(case: Case, server: FakeServer, client: httpx.Client, **overrides: object
           ) -> FeedAdapter:
    """An adapter that has already polled once (so logins and tokens are done), leaving any
    scripted answers for the request under test."""
    adapter, _ = case.build(server, client, **overrides)
    adapter.fetch(None)
    return adapter


def test_has_kind_name_and_platform(case: Case, server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = case.build(server, client)
    assert isinstance(adapter, FeedAdapter)
    assert type(adapter).kind == case.kind
    assert adapter.name == f"acme-{case.kind}"
    assert adapter.platform == case.kind


def test_empty_feed_gives_an_empty_page(case: Case, server: FakeServer,
                                        client: httpx.Client) -> None:
    adapter, _ = case.build(server, client)
    page = adapter.fetch(None)
    assert list(page.items) == []
    assert page.more is False
    assert list(page.problems) == []
    json.dumps(page.cursor)  # the pipeline stores it as JSON


def test_pages_through_everything_then_only_new(case: Case, server: FakeServer,
                                                client: httpx.Client) -> None:
    adapter, net = case.build(server, client)
    first = net.add(23)
    stored: set[str] = set()
    result = poll(adapter, None, stored, max_pages=20)
    assert sorted(result.new) == sorted(first)
    if case.pages:
        assert result.pages > 2, "23 items at 5 (X: 10) per page take several requests"
    later = net.add(4)
    again = poll(adapter, result.cursor, stored, max_pages=20)
    assert sorted(again.new) == sorted(later)
    quiet = poll(adapter, again.cursor, stored, max_pages=20)
    assert quiet.new == []


def test_a_crash_between_pages_loses_nothing(case: Case, server: FakeServer,
                                             client: httpx.Client) -> None:
    """Only the cursor stored with page 1 survives; a fresh adapter (a restarted process)
    carries on from it, even after more posts arrived."""
    adapter, net = case.build(server, client)
    first = net.add(17)
    stored: set[str] = set()
    one = poll(adapter, None, stored, max_pages=1)
    later = net.add(3)
    restarted = make(case.kind, {**case.options(server.url), "backoff": 0.01}, client,
                     case.environ)
    cursor = one.cursor
    for _ in range(4):  # a few capped polls, as the scheduler would run them
        cursor = poll(restarted, cursor, stored, max_pages=3).cursor
    assert stored == set(first) | set(later)


def test_max_pages_cap_is_resumed_next_poll(case: Case, server: FakeServer,
                                            client: httpx.Client) -> None:
    adapter, net = case.build(server, client)
    everything = net.add(23)
    stored: set[str] = set()
    capped = poll(adapter, None, stored, max_pages=2)
    assert capped.pages <= 2
    rest = poll(adapter, capped.cursor, stored, max_pages=20)
    assert stored == set(everything)
    assert set(capped.new).isdisjoint(rest.new)


def test_every_item_normalises_to_a_plain_text_mention(case: Case, server: FakeServer,
                                                       client: httpx.Client) -> None:
    adapter, net = case.build(server, client)
    net.add(6)
    stored: set[str] = set()
    cursor = None
    mentions: list[Mention] = []
    for _ in range(5):
        page = adapter.fetch(cursor)
        mentions += [adapter.normalise(item) for item in page.items]
        cursor = page.cursor
        if not page.more:
            break
    assert len(mentions) == 6
    for mention in mentions:
        assert mention.feed == f"acme-{case.kind}" and mention.platform == case.kind
        assert mention.external_id not in stored
        stored.add(mention.external_id)
        assert "Acme post number" in mention.text
        assert "<" not in mention.text and "&amp;" not in mention.text
        assert mention.author
        assert mention.created_at.tzinfo is not None
        assert mention.created_at.utcoffset() == UTC.utcoffset(None)
        assert mention.created_at < NOW
        assert mention.url is not None and mention.url.startswith("https://")
        json.dumps(mention.raw)


def test_normalise_is_pure(case: Case, server: FakeServer, client: httpx.Client) -> None:
    adapter, net = case.build(server, client)
    net.add(2)
    item = adapter.fetch(None).items[0]
    before = len(server.requests)
    assert adapter.normalise(item) == adapter.normalise(item)
    assert len(server.requests) == before


def test_429_is_rate_limited_with_a_retry_time(case: Case, server: FakeServer,
                                               client: httpx.Client) -> None:
    adapter = warmed(case, server, client)
    server.script(case.rate_limited)
    with pytest.raises(RateLimited) as info:
        adapter.fetch(None)
    error = info.value
    assert error.feed == f"acme-{case.kind}"
    assert error.retry_at.tzinfo is not None
    # Every fake says "five minutes from NOW" in its own header dialect.
    assert abs((error.retry_at - NOW).total_seconds() - 300) < 2
    assert "rate limited until 12:05 UTC" in str(error)


def test_server_errors_are_retried_then_reported(case: Case, server: FakeServer,
                                                 client: httpx.Client) -> None:
    adapter = warmed(case, server, client)
    before = len(server.requests)
    server.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR)
    with pytest.raises(SourceUnavailable) as info:
        adapter.fetch(None)
    assert len(server.requests) - before == 3  # one try and two retries
    assert "server error 500 from http://127.0.0.1" in str(info.value)
    assert "?" not in str(info.value), "no query strings (they may hold keys) in messages"


def test_one_server_error_then_success(case: Case, server: FakeServer,
                                       client: httpx.Client) -> None:
    adapter = warmed(case, server, client)
    server.script(SERVER_ERROR)
    page = adapter.fetch(None)
    assert list(page.items) == []


def test_time_out_is_source_unavailable(case: Case, server: FakeServer,
                                        client: httpx.Client) -> None:
    adapter = warmed(case, server, client, retries=1)
    slow = Response(200, b"{}", {"Content-Type": "application/json"}, delay=0.6)
    server.script(slow, slow)
    with pytest.raises(SourceUnavailable) as info:
        adapter.fetch(None)
    assert "no answer from" in str(info.value)


def test_malformed_body_is_source_unavailable(case: Case, server: FakeServer,
                                              client: httpx.Client) -> None:
    adapter = warmed(case, server, client)
    broken = MALFORMED_JSON if case.kind != "rss" else Response(
        200, b"this is { not a feed", {"Content-Type": "application/xml"})
    server.script(broken)
    with pytest.raises(SourceUnavailable):
        adapter.fetch(None)


def test_html_page_with_status_200_is_source_unavailable(case: Case, server: FakeServer,
                                                         client: httpx.Client) -> None:
    adapter = warmed(case, server, client)
    server.script(HTML_ERROR)
    with pytest.raises(SourceUnavailable) as info:
        adapter.fetch(None)
    assert "HTML" in str(info.value)


def test_refused_credentials_never_show_the_secret(case: Case, server: FakeServer,
                                                   client: httpx.Client) -> None:
    if not case.secrets:
        pytest.skip("this network takes no credentials")
    adapter = warmed(case, server, client)
    refused = Response(401, b'{"error": "AuthenticationRequired", "message": "nope"}',
                       {"Content-Type": "application/json"})
    server.script(*[refused] * 6)
    with pytest.raises(AuthFailed) as info:
        adapter.fetch(None)
    message = str(info.value)
    assert all(secret not in message for secret in case.secrets)
    assert any(var in message for var in case.environ), "names the variable to check"


def test_unknown_option_names_the_key(case: Case, server: FakeServer,
                                      client: httpx.Client) -> None:
    with pytest.raises(ConfigError) as info:
        make(case.kind, {**case.options(server.url), "bogus": 1}, client, case.environ)
    assert f"feeds[acme-{case.kind}].bogus" in str(info.value)


def test_shared_http_keys_are_known_and_type_checked(case: Case, server: FakeServer,
                                                    client: httpx.Client) -> None:
    with pytest.raises(ConfigError) as unknown:
        make(case.kind, {**case.options(server.url), "bogus": 1}, client, case.environ)
    known = str(unknown.value).split(f"a {case.kind} feed's own: ", 1)[1]
    assert {"timeout", "retries", "backoff"} <= set(known.rstrip(")").split(", "))
    with pytest.raises(ConfigError) as wrong:
        make(case.kind, {**case.options(server.url), "retries": "two"}, client, case.environ)
    assert f"feeds[acme-{case.kind}].retries" in str(wrong.value)
    adapter = make(case.kind, {**case.options(server.url), "timeout": 5.0, "retries": 0,
                               "backoff": 0.25}, client, case.environ)
    policy = adapter._http.policy  # type: ignore[attr-defined]
    assert (adapter._http.timeout, policy.retries, policy.backoff) == (5.0, 0, 0.25)  # type: ignore[attr-defined]


# Where each network puts a post's author (X: the user joined in from includes.users).
AUTHOR_KEYS = {"mastodon": "account", "bluesky": "author", "reddit": "author",
               "hackernews": "author", "rss": "author", "x": "author"}


def test_a_post_without_its_author_is_kept(case: Case, server: FakeServer,
                                           client: httpx.Client) -> None:
    """Issue 16, item 20: a mention is never dropped for a missing optional field."""
    from monitor.adapters.base import RawItem

    adapter, net = case.build(server, client)
    net.add(1)
    [item] = adapter.fetch(None).items
    payload = {k: v for k, v in item.payload.items() if k != AUTHOR_KEYS[case.kind]}
    if case.kind == "reddit":  # a Reddit listing wraps the post: strip it inside too
        payload = json.loads(json.dumps(dict(item.payload)))
        payload.pop("author", None)
        if isinstance(payload.get("data"), dict):
            payload["data"].pop("author", None)
    mention = adapter.normalise(RawItem(item.external_id, payload))
    assert mention.external_id == item.external_id and mention.text
    assert mention.author and mention.author_followers is None
