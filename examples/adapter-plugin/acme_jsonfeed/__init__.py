"""An example third-party adapter: a JSON Feed (jsonfeed.org) read through the monitor's
injected HTTP client, one page per poll, conditional GET on ETag.

It uses only the public adapter API (monitor.adapters.base, monitor.errors, monitor.model):
no private helpers, no global state, no I/O outside `fetch`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx

from monitor.adapters.base import AdapterContext, Cursor, ItemProblem, Page, RawItem, parse_options
from monitor.config import FeedSettings
from monitor.errors import NormaliseError, RateLimited, SourceUnavailable
from monitor.model import Mention

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class JsonFeedOptions:
    url: str


class JsonFeedAdapter:
    kind: ClassVar[str] = "jsonfeed"

    def __init__(self, feed: FeedSettings, ctx: AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        self._opts = parse_options(JsonFeedOptions, feed)
        self._ctx = ctx

    def fetch(self, cursor: Cursor | None) -> Page:
        headers = {}
        if cursor and isinstance(cursor.get("etag"), str):
            headers["If-None-Match"] = cursor["etag"]
        try:
            response = self._ctx.http.get(self._opts.url, headers=headers)
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"cannot fetch {self._opts.url}: {type(exc).__name__}",
                                    feed=self.name) from exc
        if response.status_code == 304:
            return Page(items=[], cursor=dict(cursor or {}), not_modified=True)
        if response.status_code == 429:
            raise RateLimited("rate limited", retry_at=self._ctx.clock(), feed=self.name)
        if response.status_code != 200:
            raise SourceUnavailable(f"status {response.status_code} from {self._opts.url}",
                                    feed=self.name)
        try:
            body = response.json()
        except ValueError as exc:
            raise SourceUnavailable(f"{self._opts.url} is not JSON", feed=self.name) from exc
        items, problems = [], []
        for index, item in enumerate(body.get("items", [])):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                items.append(RawItem(item["id"], item))
            else:
                problems.append(ItemProblem(f"item {index}", "no string id"))
        etag = response.headers.get("etag")
        return Page(items=items, cursor={"etag": etag} if etag else {}, problems=problems)

    def normalise(self, raw: RawItem) -> Mention:
        item: dict[str, Any] = dict(raw.payload)
        text = item.get("content_text") or html.unescape(
            _TAG.sub(" ", str(item.get("content_html") or "")))
        try:
            created = datetime.fromisoformat(str(item["date_published"])).astimezone(UTC)
        except (KeyError, ValueError) as exc:
            raise NormaliseError("no date_published", external_id=raw.external_id,
                                 feed=self.name) from exc
        authors = item.get("authors") or [{}]
        return Mention(
            feed=self.name, platform=self.platform, external_id=raw.external_id,
            text=" ".join(str(text).split()), author=str(authors[0].get("name") or "unknown"),
            created_at=created, url=item.get("url"), language=item.get("language"), raw=item,
        )
