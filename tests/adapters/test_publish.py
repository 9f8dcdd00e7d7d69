"""Replying through each network adapter (Mastodon, Bluesky, Reddit, X), table-driven against
the fake APIs: the reply is threaded under the mention, the network's id and link come back,
find_reply finds it (and only it), and every failure maps into the error tree: a time-out or
a 5xx after sending is PublishOutcomeUnknown (never retried by the adapter), 429 RateLimited,
refused credentials AuthFailed (without the secret), a refusal PublishError with the
network's reason. Hacker News and RSS adapters are not ReplyPublishers."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from monitor.adapters.base import FeedAdapter, ReplyPublisher
from monitor.errors import (
    AuthFailed,
    PublishError,
    PublishOutcomeUnknown,
    RateLimited,
    SourceUnavailable,
)
from monitor.model import OutgoingReply, thaw

from .cases import BY_KIND, fetch_all, make
from .fakenets import FakeBluesky, FakeMastodon, FakeNet, FakeReddit, FakeX
from .fakeserver import HTML_ERROR, MALFORMED_JSON, SERVER_ERROR, FakeServer, Response

TEXT = "@user1 Sorry about the wait on your refund. We have sent you a DM. ^NK"


@dataclass
class PubCase:
    kind: str
    net: Callable[[], FakeNet]
    options: Callable[[str], dict[str, Any]]
    environ: dict[str, str]
    create_path: str
    secret: str
    made: Callable[[Any], list[Any]]  # what the network now holds from the brand account
    refuse: Callable[[Any], str]  # makes the next reply a refusal; returns its reason
    break_auth: Callable[[Any], None]
    extra: dict[str, Any] = field(default_factory=dict)


def _mastodon_refuse(net: FakeMastodon) -> str:
    net.max_characters = 10
    return "Text character limit of 10 exceeded"


def _bluesky_refuse(_net: FakeBluesky) -> str:
    # Refused by the record's own check: the case sends a 301-character text.
    return "must not be longer than 300 graphemes"


def _reddit_refuse(net: FakeReddit) -> str:
    net.comment_errors.append(["THREAD_LOCKED", "that thread is locked", ""])
    return "THREAD_LOCKED: that thread is locked"


def _x_refuse(net: FakeX) -> str:
    net.replies.append({"id": "1", "text": TEXT, "referenced_tweets": []})
    return "duplicate content"


def _break_mastodon(net: FakeMastodon) -> None:
    net.token = "another"  # a token the server gave to someone else


def _break_bluesky(net: FakeBluesky) -> None:
    net.password = "changed"
    net.access = net.refresh = "revoked"


def _break_reddit(net: FakeReddit) -> None:
    net.password = "changed"
    net.user_token = "revoked"


def _break_x(net: FakeX) -> None:
    net.token = "another"


CASES = [
    PubCase(
        "mastodon", lambda: FakeMastodon(token="masto-write-secret"),
        lambda url: {"base_url": url, "hashtags": ["acme"], "token_env": "ACME_MASTODON_TOKEN"},
        {"ACME_MASTODON_TOKEN": "masto-write-secret"}, "/api/v1/statuses",
        "masto-write-secret", lambda net: net.replies, _mastodon_refuse, _break_mastodon,
    ),
    PubCase(
        "bluesky", FakeBluesky, BY_KIND["bluesky"].options, BY_KIND["bluesky"].environ,
        "/xrpc/com.atproto.repo.createRecord", "app-pass-1234", lambda net: net.records,
        _bluesky_refuse, _break_bluesky, extra={"long_text": True},
    ),
    PubCase(
        "reddit", lambda: FakeReddit("cid-123", "reddit-secret-xyz"),
        lambda url: {**BY_KIND["reddit"].options(url), "username": "acme_support",
                     "password_env": "ACME_REDDIT_PASSWORD"},
        {**BY_KIND["reddit"].environ, "ACME_REDDIT_PASSWORD": "reddit-pass"}, "/api/comment",
        "reddit-pass", lambda net: net.comments, _reddit_refuse, _break_reddit,
    ),
    PubCase(
        "x", lambda: FakeX(token="x-user-secret"), BY_KIND["x"].options,
        {"ACME_X_TOKEN": "x-user-secret"}, "/2/tweets", "x-user-secret",
        lambda net: net.replies, _x_refuse, _break_x,
    ),
]


@dataclass
class Setup:
    adapter: Any
    net: Any
    reply: OutgoingReply
    mention_id: str


def setup(case: PubCase, server: FakeServer, client: httpx.Client,
          text: str = TEXT) -> Setup:
    net = case.net()
    net.add(1, text="@acme my acme refund is late")
    net.install(server)
    adapter: FeedAdapter = make(case.kind, {**case.options(server.url), "backoff": 0.01,
                                            "lookback": 10 * 365 * 86400.0}
                                if case.kind in ("mastodon", "bluesky")
                                else {**case.options(server.url), "backoff": 0.01},
                                client, case.environ)
    [raw] = fetch_all(adapter)
    mention = adapter.normalise(raw)
    reply = OutgoingReply(item_id=7, draft_id=3, key="k" * 64, text=text,
                          in_reply_to=mention.external_id, raw=thaw(raw.payload))
    return Setup(adapter, net, reply, mention.external_id)


def posts(server: FakeServer, case: PubCase) -> list[Any]:
    return [r for r in server.hits(case.create_path) if r.method == "POST"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_a_reply_is_threaded_under_the_mention_and_found_again(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    s = setup(case, server, client)
    assert isinstance(s.adapter, ReplyPublisher)
    assert s.adapter.find_reply(s.reply) is None
    ref = s.adapter.publish(s.reply)
    [made] = case.made(s.net)
    [post] = posts(server, case)
    if case.kind == "mastodon":
        body = json.loads(post.body)
        # Stored under its ActivityPub uri; the reply names the status's id on the instance.
        assert s.mention_id == s.net.uri(s.net.posts[0])
        assert (body["status"], body["in_reply_to_id"]) == (TEXT, s.net.sid(s.net.posts[0]))
        assert post.headers["idempotency-key"] == s.reply.key
        assert (ref.id, ref.url) == (made["id"], made["url"])
    elif case.kind == "bluesky":
        record = json.loads(post.body)["record"]
        parent = {"uri": s.mention_id, "cid": s.reply.raw["cid"]}
        assert record["text"] == TEXT
        assert record["reply"] == {"root": parent, "parent": parent}
        assert record["createdAt"] == "2026-11-24T12:00:00.000Z"
        assert ref.id == made["uri"]
        assert ref.url == ("https://bsky.app/profile/did:plc:acmeacmeacmeacmeacmeacme/post/"
                           + made["uri"].rsplit("/", 1)[-1])
    elif case.kind == "reddit":
        assert post.form() == {"api_type": "json", "thing_id": s.mention_id, "text": TEXT}
        assert post.headers["user-agent"].startswith("python:com.acme")
        assert (ref.id, ref.url) == (made["name"], "https://www.reddit.com" + made["permalink"])
    else:
        assert json.loads(post.body) == {"text": TEXT,
                                         "reply": {"in_reply_to_tweet_id": s.mention_id}}
        assert ref.id == made["id"] and ref.url == f"https://x.com/i/status/{ref.id}"
    assert s.adapter.find_reply(s.reply) == ref
    other = OutgoingReply(8, 4, "j" * 64, TEXT, "someone-else", {})
    assert s.adapter.find_reply(other) is None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_a_time_out_after_sending_is_an_unknown_outcome_and_find_reply_sees_the_post(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    s = setup(case, server, client)
    s.net.reply_delay = 1.0  # longer than the client's time-out; the post is made first
    with pytest.raises(PublishOutcomeUnknown, match="may or may not"):
        s.adapter.publish(s.reply)
    assert len(posts(server, case)) == 1  # not retried by the adapter
    found = s.adapter.find_reply(s.reply)
    assert found is not None and len(case.made(s.net)) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_a_server_error_after_sending_is_an_unknown_outcome_not_retried(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    s = setup(case, server, client)
    s.adapter.find_reply(s.reply)  # signed in first, so the error meets the POST itself
    server.script(SERVER_ERROR)
    with pytest.raises(PublishOutcomeUnknown, match="server error 500"):
        s.adapter.publish(s.reply)
    assert len(posts(server, case)) == 1


@pytest.mark.parametrize("answer", [HTML_ERROR, MALFORMED_JSON,
                                    Response(200, "{}", {"Content-Type": "application/json"})],
                         ids=["html", "malformed", "no-id"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_a_success_answer_that_names_no_reply_is_an_unknown_outcome(
        case: PubCase, answer: Response, server: FakeServer, client: httpx.Client) -> None:
    # The network said 2xx: the reply may exist, so the caller must look for it before
    # sending again, never treat it as not sent.
    s = setup(case, server, client)
    s.adapter.find_reply(s.reply)  # signed in first, so the answer meets the POST itself
    server.script(answer)
    with pytest.raises(PublishOutcomeUnknown, match="may or may not"):
        s.adapter.publish(s.reply)
    assert len(posts(server, case)) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_rate_limited_replies_say_until_when(case: PubCase, server: FakeServer,
                                             client: httpx.Client) -> None:
    s = setup(case, server, client)
    s.adapter.find_reply(s.reply)
    server.script(BY_KIND[case.kind].rate_limited)
    with pytest.raises(RateLimited) as caught:
        s.adapter.publish(s.reply)
    assert caught.value.retry_at is not None
    assert case.made(s.net) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_a_refusal_is_a_publish_error_with_the_networks_reason(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    text = "x" * 301 if case.extra.get("long_text") else TEXT
    s = setup(case, server, client, text=text)
    reason = case.refuse(s.net)
    with pytest.raises(PublishError) as caught:
        s.adapter.publish(s.reply)
    assert not isinstance(caught.value, PublishOutcomeUnknown)
    assert reason in str(caught.value)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_refused_credentials_are_auth_failed_without_the_secret(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    s = setup(case, server, client)
    case.break_auth(s.net)
    with pytest.raises(AuthFailed) as caught:
        s.adapter.publish(s.reply)
    assert case.secret not in str(caught.value)
    assert case.made(s.net) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_an_unreachable_network_is_source_unavailable(case: PubCase, server: FakeServer,
                                                      client: httpx.Client) -> None:
    s = setup(case, server, client)
    with socket.socket() as sock:  # a port nothing listens on once this closes
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    options = {**case.options(closed), "backoff": 0.01}
    if "auth_url" in options:
        options["auth_url"] = closed
    adapter: Any = make(case.kind, options, client, case.environ)
    with pytest.raises(SourceUnavailable, match="cannot reach"):
        adapter.publish(s.reply)


def _refuse_credentials_once(net: Any) -> None:
    """The next request's credentials are refused, so the adapter renews them (where it can)."""
    if isinstance(net, FakeBluesky):
        net.expired = True
    elif isinstance(net, FakeReddit):
        net.user_token = "revoked"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_an_attempt_makes_no_more_requests_than_its_adapter_declares(
        case: PubCase, server: FakeServer, client: httpx.Client) -> None:
    # The declared counts size the publishing lease: a request beyond them could outlast it.
    s = setup(case, server, client)
    adapter: Any = s.adapter
    start = len(server.hits())
    _refuse_credentials_once(s.net)
    assert adapter.find_reply(s.reply) is None
    looked = len(server.hits()) - start
    _refuse_credentials_once(s.net)
    adapter.publish(s.reply)
    sent = len(server.hits()) - start - looked
    assert 1 <= looked <= adapter.find_reply_calls.total
    assert 1 <= sent <= adapter.publish_calls.total
    assert len(case.made(s.net)) == 1


def test_read_only_networks_take_no_replies(server: FakeServer, client: httpx.Client) -> None:
    for kind in ("hackernews", "rss"):
        adapter, _ = BY_KIND[kind].build(server, client)
        assert not isinstance(adapter, ReplyPublisher)


def test_bluesky_with_an_access_token_asks_the_server_for_its_did(
        server: FakeServer, client: httpx.Client) -> None:
    net = FakeBluesky()
    net.add(1, text="@acme my acme refund is late")
    net.install(server)
    token = net._issue()["accessJwt"]
    adapter: Any = make("bluesky", {"base_url": server.url, "query": "acme",
                                    "token_env": "BSKY_TOKEN", "lookback": 10 * 365 * 86400.0},
                        client, {"BSKY_TOKEN": token})
    [raw] = fetch_all(adapter)
    reply = OutgoingReply(1, 1, "k", TEXT, raw.external_id, thaw(raw.payload))
    ref = adapter.publish(reply)
    assert ref.id.startswith(f"at://{FakeBluesky.DID}/app.bsky.feed.post/")
    assert len(server.hits("/xrpc/com.atproto.server.getSession")) == 1
    assert net.logins == 0
