"""Hacker News adapter against a fake Algolia API: created_at_i cursor, page walking, HN's
HTML comments, stories, deleted items."""

from __future__ import annotations

import httpx
import pytest

from monitor.adapters.base import FeedAdapter
from monitor.errors import SourceUnavailable

from .cases import fetch_all, ids, make, poll
from .fakenets import NOW, FakeHackerNews
from .fakeserver import FakeServer, json_response


def build(server: FakeServer, client: httpx.Client, **options: object
          ) -> tuple[FeedAdapter, FakeHackerNews]:
    net = FakeHackerNews()
    net.install(server)
    opts = {"base_url": f"{server.url}/api/v1", "query": "acme", "page_size": 5,
            "backoff": 0.01, **options}
    return make("hackernews", opts, client), net


def test_walks_pages_then_moves_the_created_at_i_floor(server: FakeServer,
                                                       client: httpx.Client) -> None:
    adapter, net = build(server, client, overlap=60.0)
    first = net.add(12)
    stored: set[str] = set()
    result = poll(adapter, None, stored)
    assert sorted(result.new) == sorted(first)
    pages = server.hits("/api/v1/search_by_date")
    assert [r.arg("page") for r in pages] == ["0", "1", "2"]
    lookback_floor = int(NOW.timestamp()) - 86400 - 60
    assert {r.arg("numericFilters") for r in pages} == {f"created_at_i>={lookback_floor}"}
    assert pages[0].arg("tags") == "(story,comment)"
    newest = int(net.posts[-1].created.timestamp())
    assert result.cursor == {"since": newest}
    poll(adapter, result.cursor, stored)
    assert server.hits()[-1].arg("numericFilters") == f"created_at_i>={newest - 60}"


def test_comment_html_becomes_plain_text(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(html="Same here &#x2F; Acme support closed my ticket&#x27;s thread.<p>Switched "
                 "providers. <a href=\"https:&#x2F;&#x2F;example.com\">link</a>")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == ("Same here / Acme support closed my ticket's thread.\n\n"
                            "Switched providers. link")
    assert mention.author == "user1"
    assert mention.url == "https://news.ycombinator.com/item?id=43360001"
    assert mention.reply_to_id == "43350001" and mention.thread_id == "43350000"
    assert mention.language is None and mention.author_followers is None


def test_stories_use_title_and_story_text(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(text="Acme outage takes down checkout \U0001F525", story=True,
            story_text="<p>Status page says &quot;degraded&quot;</p>")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == (
        "Acme outage takes down checkout \U0001F525\n\nStatus page says \"degraded\"")
    assert mention.reply_to_id is None and mention.thread_id == "43360001"


def test_deleted_items_are_skipped_but_advance_the_cursor(server: FakeServer,
                                                          client: httpx.Client) -> None:
    adapter, net = build(server, client)
    kept = net.add(1)
    net.add(1, deleted=True)
    items = fetch_all(adapter)
    assert ids(items) == kept


def test_right_to_left_and_zero_width(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(html="acme \u05E9\u05D9\u05E8\u05D5\u05EA\u200f \u0020 ok\u200b!")
    assert adapter.normalise(adapter.fetch(None).items[0]).text == (
        "acme \u05E9\u05D9\u05E8\u05D5\u05EA\u200f ok!")


def test_algolia_error_message_is_shown(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    server.script(json_response({"message": "invalid numericFilters"}, 400))
    with pytest.raises(SourceUnavailable, match="invalid numericFilters"):
        adapter.fetch(None)
