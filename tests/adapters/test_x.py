"""X adapter against a fake v2 recent-search API: since_id rounds with next_token, the empty
answer without `data`, edits, entities, long posts, partial errors, bearer refusal."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor.adapters.base import FeedAdapter, FillsAuthors
from monitor.config import DatabaseSettings
from monitor.errors import AuthFailed, ConfigError, RateLimited

from .cases import fetch_all, ids, make, poll
from .fakenets import NOW, FakeX
from .fakeserver import FakeServer, json_response


def build(server: FakeServer, client: httpx.Client, **options: object
          ) -> tuple[FeedAdapter, FakeX]:
    net = FakeX()
    net.install(server)
    opts = {"base_url": server.url, "query": "acme -is:retweet", "token_env": "ACME_X_TOKEN",
            "page_size": 10, "backoff": 0.01, **options}
    return make("x", opts, client, {"ACME_X_TOKEN": "x-bearer-secret"}), net


def test_since_id_round_follows_next_token_and_saves_the_first_newest(
        server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    first = net.add(25)
    stored: set[str] = set()
    result = poll(adapter, None, stored)
    assert sorted(result.new) == sorted(first)
    pages = server.hits("/2/tweets/search/recent")
    assert [r.arg("next_token") for r in pages] == [None, "t10", "t20"]
    assert result.cursor == {"since_id": first[-1]}
    assert "author_id" in (pages[0].arg("expansions") or "")
    assert "created_at" in (pages[0].arg("tweet.fields") or "")
    later = net.add(3)
    again = poll(adapter, result.cursor, stored)
    assert sorted(again.new) == sorted(later) and again.pages == 1
    assert server.hits()[-1].arg("since_id") == first[-1]


def test_mid_round_cursor_keeps_the_old_since_id(server: FakeServer,
                                                 client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(15)
    page = adapter.fetch({"since_id": "1"})
    assert page.more
    assert page.cursor == {"since_id": "1", "next_token": "t10",
                           "newest_id": "1900512345678900015"}


def test_empty_answer_has_no_data_key(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    page = adapter.fetch({"since_id": "1900512345678900099"})
    assert list(page.items) == [] and not page.more
    assert page.cursor == {"since_id": "1900512345678900099"}


def test_an_edit_keeps_the_original_id(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    [original] = net.add(1)
    net.add(1, text="Acme post number 1 about a late refund (edited)", original_id=original)
    assert ids(fetch_all(adapter)) == [original, original]  # the pipeline keeps one


def test_normalises_entities_author_and_reply(server: FakeServer, client: httpx.Client) -> None:
    adapter, net = build(server, client)
    net.add(1, raw_text="@AcmeSupport refund &amp; no reply &lt;3 \U0001F624 "
                        "\u0645\u0631\u062D\u0628\u0627\u200b", reply_to="1900000000000000001",
            lang="ar")
    mention = adapter.normalise(adapter.fetch(None).items[0])
    assert mention.text == ("@AcmeSupport refund & no reply <3 \U0001F624 "
                            "\u0645\u0631\u062D\u0628\u0627")
    assert mention.author == "@user1" and mention.author_name == "User 1"
    assert mention.author_followers == 401
    assert mention.url == "https://x.com/user1/status/1900512345678900001"
    assert mention.reply_to_id == "1900000000000000001"
    assert mention.thread_id == "1900000000000000001"
    assert mention.language == "ar"
    assert mention.created_at.isoformat() == "2026-11-24T10:01:00+00:00"


def test_long_posts_use_note_tweet(client: httpx.Client) -> None:
    from monitor.adapters.base import RawItem
    adapter = make("x", {"query": "acme", "token_env": "T"}, client, {"T": "tok"})
    raw = RawItem("1", {"id": "1", "text": "Acme is… https://t.co/x", "created_at":
                        "2026-11-24T10:00:00.000Z", "note_tweet": {"text": "Acme is " + "a" * 300},
                        "author": {"username": "jo", "name": "Jo"}, "lang": "und"})
    mention = adapter.normalise(raw)
    assert mention.text == "Acme is " + "a" * 300 and mention.language is None


def test_partial_errors_become_item_problems(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    server.script(json_response({"data": [], "meta": {"result_count": 0}, "errors": [
        {"resource_id": "42", "resource_type": "user", "title": "Not Found Error",
         "detail": "Could not find user with id: [42].", "type": "https://api.x.com/2/problems/"
         "resource-not-found"}]}))
    page = adapter.fetch(None)
    assert [(p.where, p.message) for p in page.problems] == [
        ("42", "Could not find user with id: [42].")]


def test_usage_cap_is_rate_limited(server: FakeServer, client: httpx.Client) -> None:
    adapter, _ = build(server, client)
    reset = int(NOW.timestamp()) + 3600
    server.script(json_response({"title": "UsageCapExceeded", "detail": "Usage cap exceeded: "
                                 "Monthly product cap", "type": "https://api.twitter.com/2/"
                                 "problems/usage-capped", "period": "Monthly"}, 429,
                                **{"x-rate-limit-reset": str(reset)}))
    with pytest.raises(RateLimited) as info:
        adapter.fetch(None)
    assert info.value.retry_at.timestamp() == reset


def test_refused_bearer(server: FakeServer, client: httpx.Client) -> None:
    net = FakeX(token="rotated")
    net.install(server)
    adapter = make("x", {"base_url": server.url, "query": "acme", "token_env": "ACME_X_TOKEN"},
                   client, {"ACME_X_TOKEN": "x-bearer-secret"})
    with pytest.raises(AuthFailed) as info:
        adapter.fetch(None)
    assert str(info.value) == "bearer token refused: check ACME_X_TOKEN"


def test_config_checks(client: httpx.Client) -> None:
    with pytest.raises(ConfigError, match=r"feeds\[acme-x\]\.token_env: .*ACME_X_TOKEN"):
        make("x", {"query": "acme", "token_env": "ACME_X_TOKEN"}, client, {})
    with pytest.raises(ConfigError, match=r"feeds\[acme-x\]\.page_size"):
        make("x", {"query": "acme", "token_env": "T", "page_size": 5}, client, {"T": "t"})


def test_a_post_whose_author_is_not_in_includes_is_kept_under_its_author_id(
        server: FakeServer, client: httpx.Client) -> None:
    """Issue 16, item 20: such posts were all dropped ("post has no author in
    includes.users")."""
    adapter, net = build(server, client)
    net.add(2)
    [hidden] = net.add(1, unnamed=True)
    page = adapter.fetch(None)
    mentions = {m.external_id: m for m in (adapter.normalise(i) for i in page.items)}
    assert len(mentions) == 3 and not page.problems
    kept = mentions[hidden]
    assert kept.author == "id:1456789003" and kept.author_followers is None
    assert kept.url == f"https://x.com/i/status/{hidden}"
    assert kept.text.startswith("Acme post number 3")
    assert page.cursor is not None and page.cursor["unnamed"] == ["1456789003"]
    assert isinstance(adapter, FillsAuthors)
    assert all(adapter.author_placeholder(m) is None for m in mentions.values())
    # The author appears in a later answer: that post is marked for the handle to be filled.
    later = net.add(1, by_n=3)
    again = adapter.fetch(page.cursor)
    [named] = [adapter.normalise(i) for i in again.items if i.external_id == later[0]]
    assert named.author == "@user4"
    assert adapter.author_placeholder(named) == "id:1456789003"
    assert again.cursor is not None and "unnamed" not in again.cursor


def test_the_handle_is_filled_in_when_the_author_appears_later(
        server: FakeServer, client: httpx.Client, tmp_path: Path) -> None:
    from monitor.app import App
    from monitor.config import FeedSettings, demo_settings

    net = FakeX()
    net.install(server)
    feed = FeedSettings(name="acme-x", kind="x", every=60.0, options={
        "base_url": server.url, "query": "acme", "token_env": "ACME_X_TOKEN",
        "page_size": 10, "backoff": 0.01})
    settings = dataclasses.replace(
        demo_settings(str(tmp_path)), feeds=(feed,),
        database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'x.db'}"))
    app = App(settings, environ={"ACME_X_TOKEN": "x-bearer-secret"}, http=client)
    try:
        app.migrate()
        [hidden] = net.add(1, unnamed=True)
        [first] = app.poll_all()
        assert first.ok and first.new == 1 and first.errors == 0
        assert authors(app) == {hidden: "id:1456789001"}
        net.posts[0].extra.pop("unnamed")  # reinstated: X names the author again
        net.posts[0].author = "user1"
        [later] = net.add(1, by_n=1)
        net.posts[1].author = "user1"
        [second] = app.poll_all()
        assert second.ok and second.new == 1
        assert authors(app) == {hidden: "@user1", later: "@user1"}
    finally:
        app.close()


def authors(app: Any) -> dict[str, str]:
    import sqlalchemy as sa

    from monitor.store.schema import mentions

    with app.engine.connect() as conn:
        return dict(conn.execute(sa.select(mentions.c.external_id, mentions.c.author)).all())
