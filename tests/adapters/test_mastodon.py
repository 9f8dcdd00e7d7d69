"""Mastodon adapter against a fake Mastodon API: min_id paging, several sources, HTML content,
boosts, edits, tokens and the ISO rate-limit reset."""

from __future__ import annotations

import httpx
import pytest

from monitor.adapters.base import FeedAdapter, RawItem
from monitor.errors import AuthFailed, ConfigError, RateLimited

from .cases import fetch_all, ids, make, poll
from .fakenets import NOW, FakeMastodon
from .fakeserver import FakeServer, json_response

TOKEN = "mastodon-token-abc"


def build(server: FakeServer, client: httpx.Client, net: FakeMastodon | None = None,
          **options: object) -> tuple[FeedAdapter, FakeMastodon]:
    net = net or FakeMastodon()
    net.install(server)
    environ = {"ACME_MASTODON_TOKEN": TOKEN} if net.token else {}
    opts = {"base_url": server.url, "hashtags": ["acme"], "page_size": 5, "backoff": 0.01,
            **options}
    return make("mastodon", opts, client, environ), net


def test_pages_forward_with_min_id_oldest_page_first(server: FakeServer,
                                                     client: httpx.Client) -> None:
    adapter, net = build(server, client)
    expected = net.add(12)
    items = fetch_all(adapter)
    assert ids(items) == expected  # oldest first, no gap, no repeat
    min_ids = [r.arg("min_id") for r in server.hits("/api/v1/timelines/tag/acme")]
    local = [net.sid(p) for p in net.posts]  # paging goes by the instance's own ids
    assert min_ids[1:] == [local[4], local[9]]
    assert all(r.arg("limit") == "5" for r in server.hits())


def test_html_content_becomes_plain_text(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(html='<p>Third refund request ignored by <a href="https://example.social/tags/acme" '
                 'class="mention hashtag" rel="tag">#<span>acme</span></a> support &amp; still '
                 'no reply</p><p>Order&nbsp;#1234</p>', display_name="Jane Doe :verified:",
            acct="jdoe")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == ("Third refund request ignored by #acme support & still no reply"
                            "\n\nOrder #1234")
    assert mention.author == "@jdoe@other.example"  # a local acct gets its server
    assert mention.author_name == "Jane Doe :verified:"
    assert mention.author_followers == 301
    assert mention.language == "en"
    assert mention.url == "https://other.example/@user1/1"
    assert mention.created_at.isoformat() == "2026-11-24T10:01:00+00:00"
    assert mention.raw["content"].startswith("<p>Third refund")


def test_emoji_rtl_and_zero_width_text(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    family = "\U0001F469\u200D\U0001F467"
    net.add(html=f"<p>Ac\u200bme \U0001F621 {family} \u05E9\u05D9\u05E8\u05D5\u05EA "
                 "\u05D2\u05E8\u05D5\u05E2 \u0627\u0644\u062F\u0639\u0645</p>", language="he")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == (f"Acme \U0001F621 {family} \u05E9\u05D9\u05E8\u05D5\u05EA "
                            "\u05D2\u05E8\u05D5\u05E2 \u0627\u0644\u062F\u0639\u0645")
    assert mention.language == "he"


def test_content_warning_is_kept_with_the_text(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(html="<p>refund please</p>", spoiler_text="acme rant")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == "acme rant\n\nrefund please"


def test_an_edited_status_keeps_its_id_and_is_not_fetched_again(
        server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    [first] = net.add(html="<p>aceme broke</p>")
    stored: set[str] = set()
    result = poll(adapter, None, stored)
    net.posts[0].extra.update(html="<p>acme broke (edited)</p>",
                              edited_at="2026-11-24T11:00:00.000Z")
    again = poll(adapter, result.cursor, stored)
    assert result.new == [first] and again.new == [] and again.fetched == 0


def test_boosts_are_unwrapped_to_the_boosted_status(client: httpx.Client) -> None:
    adapter = make("mastodon", {"base_url": "https://example.social", "hashtags": ["acme"]},
                   client)
    net = FakeMastodon()
    net.add()
    original = net.status(net.posts[0])
    boost = {**net.status(net.posts[0]), "id": "999999999999999999", "reblog": original}
    items, problems, newest = adapter._items(  # type: ignore[attr-defined]
        [boost, {"no": "id"}], "tag:acme")
    assert [i.external_id for i in items] == [original["uri"]]
    assert newest == "999999999999999999"  # the timeline position is the boost's
    assert len(problems) == 1


def test_token_adds_mentions_and_search(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client, FakeMastodon(token=TOKEN),
                         token_env="ACME_MASTODON_TOKEN", query="acme")
    tagged = net.add(3)
    mentioned = net.add(2, text="@acme where is my order", mention=True, tags=[])
    searched = net.add(1, text="acme app keeps crashing", searchable=True, tags=[])
    stored: set[str] = set()
    poll(adapter, None, stored)
    assert stored == set(tagged) | set(mentioned) | set(searched)
    assert server.hits("/api/v1/notifications")[0].arg("types[]") == "mention"
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.hits())


def test_refused_token_names_the_variable(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client, FakeMastodon(token="another-token"),
                       token_env="ACME_MASTODON_TOKEN")
    with pytest.raises(AuthFailed) as info:
        adapter.fetch(None)
    assert str(info.value) == "access token refused: check ACME_MASTODON_TOKEN"


def test_missing_token_variable_is_a_config_error(client: httpx.Client) -> None:
    with pytest.raises(ConfigError) as info:
        make("mastodon", {"base_url": "https://example.social", "token_env": "NOPE_TOKEN"},
             client, {})
    assert "feeds[acme-mastodon].token_env" in str(info.value) and "NOPE_TOKEN" in str(info.value)


def test_needs_a_source(client: httpx.Client) -> None:
    with pytest.raises(ConfigError, match=r"feeds\[acme-mastodon\]\.hashtags"):
        make("mastodon", {"base_url": "https://example.social"}, client)


def test_iso_reset_on_429(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    server.script(json_response({"error": "Too many requests"}, 429, **{
        "X-RateLimit-Reset": "2026-11-24T12:07:30.123456Z", "X-RateLimit-Remaining": "0"}))
    with pytest.raises(RateLimited) as info:
        adapter.fetch(None)
    assert info.value.retry_at.isoformat() == "2026-11-24T12:07:30.123456+00:00"
    assert str(info.value) == "rate limited until 12:07 UTC"


def test_first_poll_starts_a_lookback_ago(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client, lookback=1800.0)
    net.add(119)  # one a minute, the newest a minute before NOW
    items = fetch_all(adapter)
    assert len(items) == 30
    assert all(
        adapter.normalise(i).created_at >= NOW.replace(minute=0, hour=11, second=0)
        for i in items
    )


def test_normalise_keeps_a_status_without_account_but_not_one_without_a_time(
        client: httpx.Client) -> None:
    from monitor.errors import NormaliseError
    adapter = make("mastodon", {"base_url": "https://example.social", "hashtags": ["acme"]},
                   client)
    kept = adapter.normalise(RawItem("1", {"id": "1", "created_at": "2026-11-24T10:00:00Z",
                                           "content": "<p>acme lost my parcel</p>"}))
    assert (kept.author, kept.text) == ("unknown", "acme lost my parcel")
    with pytest.raises(NormaliseError) as info:
        adapter.normalise(RawItem("2", {"id": "2", "content": "<p>no time</p>"}))
    assert info.value.external_id == "2"


def test_a_status_seen_on_two_instances_is_one_mention(client: httpx.Client) -> None:
    """Issue 16, item 21: each instance gives a federated status its own id; the ActivityPub
    `uri` is the same everywhere, so it is the external id (and a status without a usable
    uri keeps its local id)."""
    here = make("mastodon", {"base_url": "https://example.social", "hashtags": ["acme"]},
                client)
    there = make("mastodon", {"base_url": "https://fosstodon.example", "hashtags": ["acme"]},
                 client)
    net = FakeMastodon()
    net.add()
    status = net.status(net.posts[0])
    elsewhere = {**status, "id": "109876543210987654"}  # the same post, the other instance
    [a], _, _ = here._items([status], "tag:acme")  # type: ignore[attr-defined]
    [b], _, _ = there._items([elsewhere], "tag:acme")  # type: ignore[attr-defined]
    assert a.external_id == b.external_id == status["uri"]
    assert here.normalise(a).url == status["url"]
    [c], _, _ = here._items([{**status, "uri": None}], "tag:acme")  # type: ignore[attr-defined]
    assert c.external_id == status["id"]


def test_a_reply_goes_to_the_status_id_on_its_own_instance(client: httpx.Client) -> None:
    from monitor.adapters.mastodon import _local_id
    from monitor.model import OutgoingReply

    uri = "https://other.example/users/jo/statuses/1"
    new = OutgoingReply(item_id=1, draft_id=1, key="k", text="hi", in_reply_to=uri,
                        raw={"id": "117670835650560001", "uri": uri})
    assert _local_id(new) == "117670835650560001"
    old = OutgoingReply(item_id=1, draft_id=1, key="k", text="hi", in_reply_to="1176708",
                        raw={})
    assert _local_id(old) == "1176708"  # stored before external ids became uris
