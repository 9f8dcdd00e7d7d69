"""RSS/Atom adapter against a fake Google Alerts feed: conditional GET, Google redirect links,
HTML titles, recovered malformed feeds, RSS 2.0 items without guid."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

from monitor.adapters.base import FeedAdapter
from monitor.errors import SourceUnavailable

from .cases import fetch_all, ids, make
from .fakenets import FakeAtom
from .fakeserver import FakeServer, Request, Response


def build(server: FakeServer, client: httpx.Client) -> tuple[FeedAdapter, FakeAtom]:
    net = FakeAtom()
    net.install(server)
    return make("rss", {"url": f"{server.url}/alerts/feeds/0123/9876", "backoff": 0.01},
                client), net


def test_conditional_get_gives_not_modified(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    first = net.add(3)
    page = adapter.fetch(None)
    assert sorted(ids(page.items)) == sorted(first)
    assert page.cursor is not None and page.cursor["etag"].startswith('"')
    assert page.cursor["last_modified"].endswith("GMT")
    again = adapter.fetch(page.cursor)
    assert again.not_modified and list(again.items) == [] and again.cursor == page.cursor
    sent = server.hits()[-1].headers
    assert sent["if-none-match"] == page.cursor["etag"]
    assert sent["if-modified-since"] == page.cursor["last_modified"]
    later = net.add(1)
    changed = adapter.fetch(again.cursor)
    assert not changed.not_modified and later[0] in ids(changed.items)
    assert changed.cursor != page.cursor


def test_server_without_validators_gets_none_back(server: FakeServer,
                                                  client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.conditional = False
    net.add(1)
    page = adapter.fetch({"etag": '"old"'})
    assert page.cursor == {}
    assert "if-none-match" in server.hits()[-1].headers


def test_google_alert_entry_normalised(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(1, title_html="Customers complain about <b>Acme support</b> delays &amp; more",
            link="https://news.example.com/2025/03/14/acme-support-delays/",
            content="Several readers said <b>Acme support</b> took weeks")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == ("Customers complain about Acme support delays & more\n\n"
                            "Several readers said Acme support took weeks ...")
    assert mention.url == "https://news.example.com/2025/03/14/acme-support-delays/"
    assert mention.author == "news.example.com"  # Alerts leave the author empty
    assert mention.external_id == "tag:google.com,2013:googlealerts/feed:1122334456"
    assert mention.created_at.isoformat() == "2026-11-24T10:01:00+00:00"


def test_emoji_rtl_zero_width_in_titles(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(1, title_html="<b>Acme</b> \u05E9\u05D9\u05E8\u05D5\u05EA \U0001F44E zero\u200bwidth",
            content="x")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text.startswith("Acme \u05E9\u05D9\u05E8\u05D5\u05EA \U0001F44E zerowidth")


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>
<item><title>Acme recall notice</title><link>https://blog.example.org/acme-recall</link>
<pubDate>Fri, 14 Mar 2025 09:41:15 +0000</pubDate><dc:creator>Sam Writer</dc:creator>
<description>&lt;p&gt;Acme issued a recall&amp;hellip;&lt;/p&gt;</description></item>
<item><title>Acme undated and unlinked</title><description>no date</description></item>
</channel></rss>"""


def test_rss2_items_without_guid_or_date(server: FakeServer, client: httpx.Client) -> None:
    server.route("GET", "/blog.xml", lambda _req: Response(
        200, RSS, {"Content-Type": "application/rss+xml"}))
    adapter = make("rss", {"url": f"{server.url}/blog.xml"}, client)
    items = fetch_all(adapter)
    by_title = {adapter.normalise(i).text.split("\n")[0]: i for i in items}
    dated = adapter.normalise(by_title["Acme recall notice"])
    assert dated.external_id == "https://blog.example.org/acme-recall"
    assert dated.author == "Sam Writer"
    assert dated.text == "Acme recall notice\n\nAcme issued a recall…"
    assert dated.created_at.isoformat() == "2025-03-14T09:41:15+00:00"
    undated = adapter.normalise(by_title["Acme undated and unlinked"])
    assert undated.external_id.startswith("sha256:")
    assert undated.created_at.isoformat() == "2026-11-24T12:00:00+00:00"  # when it was fetched
    assert undated.author == "Blog"
    again = fetch_all(adapter)
    assert ids(again) == ids(items), "ids are stable between fetches"


def test_recoverable_malformed_feed_keeps_entries_and_reports(server: FakeServer,
                                                              client: httpx.Client) -> None:
    broken = RSS.replace(b"</channel></rss>", b"<item><title>Acme & co</title></item>")
    server.route("GET", "/broken.xml", lambda _req: Response(200, broken, {
        "Content-Type": "application/rss+xml"}))
    adapter = make("rss", {"url": f"{server.url}/broken.xml"}, client)
    page = adapter.fetch(None)
    assert len(page.items) >= 1
    assert page.problems and "not well-formed" in page.problems[0].message


def test_missing_feed_says_check_url(server: FakeServer, client: httpx.Client) -> None:
    def gone(_req: Request) -> Response:
        return Response(404, b"not here", {"Content-Type": "text/plain"})
    server.route("GET", "/gone.xml", gone)
    adapter = make("rss", {"url": f"{server.url}/gone.xml"}, client)
    with pytest.raises(SourceUnavailable, match="check url"):
        adapter.fetch(None)


def test_redirects_are_followed(server: FakeServer, client: httpx.Client) -> None:
    _, net = build(server, client)
    net.add(1)
    server.route("GET", "/old.xml", lambda _req: Response(
        301, b"", {"Location": f"{server.url}/alerts/feeds/0123/9876"}))
    adapter = make("rss", {"url": f"{server.url}/old.xml"}, client)
    assert len(adapter.fetch(None).items) == 1


def test_a_permanent_redirect_is_saved_as_the_feed_url_and_noted(
        server: FakeServer, client: httpx.Client) -> None:
    """Issue 16, item 21: a feed that moved for good was fetched through the redirect on
    every poll; its new URL is kept in the cursor and the operator is told to update it."""
    net = FakeAtom()
    net.install(server)
    server.route("GET", "/old/", lambda _req: Response(
        301, b"", {"Location": "/alerts/feeds/0123/9876"}))
    old, new = f"{server.url}/old/feed.xml", f"{server.url}/alerts/feeds/0123/9876"
    adapter = make("rss", {"url": old, "backoff": 0.01}, client)
    first = net.add(2)
    page = adapter.fetch(None)
    assert sorted(ids(page.items)) == sorted(first)
    assert page.cursor is not None
    assert (page.cursor["url"], page.cursor["moved_from"]) == (new, old)
    [notice] = page.notices
    assert "moved permanently" in notice and f'url = "{new}"' in notice
    again = adapter.fetch(page.cursor)  # straight to the new address, conditionally
    assert again.not_modified and again.cursor == page.cursor and again.notices
    assert len(server.hits("/old/")) == 1
    fixed = make("rss", {"url": new, "backoff": 0.01}, client)  # the config now names it
    later = fixed.fetch(page.cursor)
    assert not later.notices and later.cursor is not None and "moved_from" not in later.cursor
    elsewhere = make("rss", {"url": f"{server.url}/alerts/feeds/0123/0000", "backoff": 0.01},
                     client)  # another url in the config: the saved redirect is forgotten
    assert "moved_from" not in (elsewhere.fetch(page.cursor).cursor or {})


def test_a_temporary_redirect_is_followed_but_not_saved(
        server: FakeServer, client: httpx.Client) -> None:
    net = FakeAtom()
    net.install(server)
    server.route("GET", "/tmp/", lambda _req: Response(
        302, b"", {"Location": "/alerts/feeds/0123/9876"}))
    adapter = make("rss", {"url": f"{server.url}/tmp/feed.xml", "backoff": 0.01}, client)
    net.add(1)
    page = adapter.fetch(None)
    assert len(page.items) == 1 and not page.notices
    assert page.cursor is not None and "url" not in page.cursor


def test_poll_prints_the_move_and_keeps_it_in_the_feed_state(
        server: FakeServer, client: httpx.Client, tmp_path: Path) -> None:
    from monitor.app import App
    from monitor.config import DatabaseSettings, FeedSettings, demo_settings
    from monitor.store import feeds as store_feeds

    net = FakeAtom()
    net.install(server)
    server.route("GET", "/old/", lambda _req: Response(
        308, b"", {"Location": f"{server.url}/alerts/feeds/0123/9876"}))
    feed = FeedSettings(name="alerts", kind="rss", every=60.0,
                        options={"url": f"{server.url}/old/feed.xml", "backoff": 0.01})
    settings = dataclasses.replace(
        demo_settings(str(tmp_path)), feeds=(feed,),
        database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'r.db'}"))
    app = App(settings, environ={}, http=client)
    try:
        app.migrate()
        net.add(2)
        [result] = app.poll_all()
        assert result.ok and result.new == 2 and "moved permanently" in result.notices[0]
        with app.engine.connect() as conn:
            state = store_feeds.get(conn, "alerts")
        assert state is not None and state.cursor is not None
        assert state.cursor["url"] == f"{server.url}/alerts/feeds/0123/9876"
        assert state.last_summary is not None and state.last_summary["notices"]
    finally:
        app.close()
