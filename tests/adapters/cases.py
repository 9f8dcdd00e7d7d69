"""One Case per network adapter: how to build it against a fake server, and how that network
says "rate limited". Shared by the contract suite and the per-adapter tests, with a `poll`
helper that drives an adapter the way the pipeline does (cursor JSON round-trip, de-dup).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from monitor.adapters.base import AdapterContext, FeedAdapter, Page
from monitor.adapters.registry import Registry
from monitor.config import FeedSettings

from .fakenets import (
    NOW,
    FakeAtom,
    FakeBluesky,
    FakeHackerNews,
    FakeMastodon,
    FakeNet,
    FakeReddit,
    FakeX,
)
from .fakeserver import FakeServer, Response, json_response

FAST_RETRY = {"backoff": 0.01, "retries": 2}


@dataclass
class Case:
    kind: str
    net: Callable[[], FakeNet]
    options: Callable[[str], dict[str, Any]]
    rate_limited: Response
    environ: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    pages: bool = True  # False for RSS: a feed is one document

    def build(
        self, server: FakeServer, client: httpx.Client, net: FakeNet | None = None,
        **overrides: Any,
    ) -> tuple[FeedAdapter, FakeNet]:
        net = net or self.net()
        net.install(server)
        options = {**self.options(server.url), **FAST_RETRY, **overrides}
        adapter = make(self.kind, options, client, self.environ)
        return adapter, net


def make(kind: str, options: dict[str, Any], client: httpx.Client,
         environ: dict[str, str] | None = None) -> FeedAdapter:
    feed = FeedSettings(name=f"acme-{kind}", kind=kind, options=options)
    ctx = AdapterContext(http=client, environ=environ or {}, clock=lambda: NOW)
    factory = Registry().get(kind)
    adapter: FeedAdapter = factory(feed, ctx)
    return adapter


def reset_epoch(seconds: int) -> str:
    return str(int((NOW + timedelta(seconds=seconds)).timestamp()))


CASES = [
    Case(
        "mastodon", FakeMastodon,
        lambda url: {"base_url": url, "hashtags": ["acme"], "page_size": 5},
        json_response({"error": "Too many requests"}, 429, **{
            "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": (NOW + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}),
    ),
    Case(
        "bluesky", FakeBluesky,
        lambda url: {"base_url": url, "query": "acme", "identifier": "acme.com",
                     "password_env": "ACME_BSKY_PASSWORD", "page_size": 5},
        json_response({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429,
                      **{"RateLimit-Limit": "3000", "RateLimit-Remaining": "0",
                         "RateLimit-Reset": reset_epoch(300), "Retry-After": "300"}),
        environ={"ACME_BSKY_PASSWORD": "app-pass-1234"}, secrets=("app-pass-1234",),
    ),
    Case(
        "reddit", lambda: FakeReddit("cid-123", "reddit-secret-xyz"),
        lambda url: {"base_url": url, "auth_url": url, "query": "acme",
                     "user_agent": "python:com.acme.complaint-monitor:v0.1 (by /u/acme)",
                     "client_id_env": "ACME_REDDIT_ID", "client_secret_env": "ACME_REDDIT_SECRET",
                     "page_size": 5},
        Response(429, "<html><body>Too Many Requests</body></html>", {
            "Content-Type": "text/html", "x-ratelimit-used": "600",
            "x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "300"}),
        environ={"ACME_REDDIT_ID": "cid-123", "ACME_REDDIT_SECRET": "reddit-secret-xyz"},
        secrets=("reddit-secret-xyz",),
    ),
    Case(
        "hackernews", FakeHackerNews,
        lambda url: {"base_url": f"{url}/api/v1", "query": "acme", "page_size": 5},
        json_response({"message": "Too many requests from this IP"}, 429, **{
            "Retry-After": "300"}),
    ),
    Case(
        "rss", FakeAtom,
        lambda url: {"url": f"{url}/alerts/feeds/0123/9876"},
        Response(429, "slow down", {"Content-Type": "text/plain", "Retry-After": "300"}),
        pages=False,
    ),
    Case(
        "x", FakeX,
        lambda url: {"base_url": url, "query": "acme -is:retweet",
                     "token_env": "ACME_X_TOKEN", "page_size": 10},
        json_response({"title": "Too Many Requests", "detail": "Too Many Requests",
                       "type": "about:blank", "status": 429}, 429, **{
            "x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": reset_epoch(300)}),
        environ={"ACME_X_TOKEN": "x-bearer-secret"}, secrets=("x-bearer-secret",),
    ),
]
BY_KIND = {case.kind: case for case in CASES}


@dataclass
class PollResult:
    new: list[str]  # ids not stored before, in the order they arrived
    fetched: int  # items handed over, duplicates included
    pages: int
    cursor: dict[str, Any] | None


def poll(adapter: FeedAdapter, cursor: dict[str, Any] | None, stored: set[str],
         max_pages: int = 10) -> PollResult:
    """Drive one poll as the pipeline does: fetch while `more`, up to max_pages; store each
    page's items (de-duplicated on id) together with its cursor, which must survive JSON."""
    new: list[str] = []
    fetched = pages = 0
    while pages < max_pages:
        page: Page = adapter.fetch(cursor)
        pages += 1
        fetched += len(page.items)
        for item in page.items:
            if item.external_id not in stored:
                stored.add(item.external_id)
                new.append(item.external_id)
        cursor = json.loads(json.dumps(page.cursor))
        if not page.more:
            break
    return PollResult(new, fetched, pages, cursor)


def fetch_all(adapter: FeedAdapter) -> list[Any]:
    """Every item of one poll (the raw items, not de-duplicated)."""
    items: list[Any] = []
    cursor = None
    for _ in range(20):
        page = adapter.fetch(cursor)
        items.extend(page.items)
        cursor = json.loads(json.dumps(page.cursor))
        if not page.more:
            break
    return items


def ids(items: Iterable[Any]) -> list[str]:
    return [item.external_id for item in items]
