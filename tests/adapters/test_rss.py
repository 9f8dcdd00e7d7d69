"""RSS/Atom adapter against a fake Google Alerts feed: conditional GET, Google redirect links,
HTML titles, recovered malformed feeds, RSS 2.0 items without guid."""

from __future__ import annotations

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
