"""Hacker News through the Algolia API: search_by_date for stories and comments, newest first.

The cursor is the newest `created_at_i` of the last finished round; a round pages
`page=0..nbPages-1` over `created_at_i >= cursor - overlap` and keeps its page number in the
cursor, so a crash between pages loses nothing (re-seen items are de-duplicated downstream).
Read-only: no auth, nothing posted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import html_to_text, plain_text
from monitor.config import FeedSettings
from monitor.errors import NormaliseError, SourceUnavailable
from monitor.model import Mention


@dataclass(frozen=True)
class HackerNewsOptions(net.HttpOptionsBase):
    query: str
    base_url: str = "https://hn.algolia.com/api/v1"
    tags: str = "(story,comment)"
    page_size: int = 100
    overlap: float = 300.0  # seconds re-searched before the newest item seen (index lag)
    lookback: float = 86400.0  # how far back the very first poll searches, in seconds


class HackerNewsAdapter:
    kind: ClassVar[str] = "hackernews"

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(HackerNewsOptions, feed)
        self._opts = opts
        self._base = base.http_url(opts.base_url, feed)
        base.search_query(opts.query, feed)
        base.in_range(opts.page_size, 1, 1000, feed, "page_size")
        self._clock = ctx.clock
        # Algolia documents no rate-limit headers; a 429 falls back to Retry-After or a wait.
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.EPOCH, "x-ratelimit-reset")

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        since = _int(state.get("since"))
        if since is None:
            since = int(self._clock().timestamp() - self._opts.lookback)
        round_newest = _int(state.get("round_newest")) or since
        page = _int(state.get("page")) or 0

        floor = max(0, since - int(self._opts.overlap))
        params = [
            ("query", self._opts.query), ("tags", self._opts.tags),
            ("numericFilters", f"created_at_i>={floor}"),
            ("hitsPerPage", str(self._opts.page_size)), ("page", str(page)),
        ]
        response = self._http.send("GET", f"{self._base}/search_by_date", params=params)
        body = self._body(response)
        hits = body.get("hits")
        if not isinstance(hits, list):
            raise SourceUnavailable("search_by_date answered without a hits list",
                                    feed=self.name)
        items: list[base.RawItem] = []
        problems: list[base.ItemProblem] = []
        for hit in hits:
            object_id = hit.get("objectID") if isinstance(hit, dict) else None
            if not isinstance(object_id, str) or not object_id:
                problems.append(base.ItemProblem(f"page {page}", "a hit without an objectID"))
                continue
            created = _int(hit.get("created_at_i"))
            if created is not None and created > round_newest:
                round_newest = created
            if not _has_text(hit):
                continue  # deleted or dead items come back without text or title
            items.append(base.RawItem(object_id, hit))
        pages = _int(body.get("nbPages")) or 0
        more = bool(hits) and page + 1 < pages
        out: dict[str, Any]
        if more:
            out = {"since": since, "round_newest": round_newest, "page": page + 1}
        else:
            out = {"since": round_newest}
        return base.Page(items=items[::-1], cursor=out, more=more, problems=problems)

    def _body(self, response: httpx.Response) -> Mapping[str, Any]:
        if response.status_code == 200:
            return self._http.json_object(response)
        if response.status_code in (400, 403):
            raise SourceUnavailable(
                f"Algolia refused the search{net.error_detail(response)}: check query and tags",
                feed=self.name,
            )
        raise self._http.unexpected(response)

    def normalise(self, raw: base.RawItem) -> Mention:
        hit = raw.payload
        author = hit.get("author")
        created = net.parse_time(hit.get("created_at_i")) or net.parse_time(hit.get("created_at"))
        if not isinstance(author, str) or not author:
            author = "unknown"  # kept: the author is optional, the post is what matters
        if created is None:
            raise NormaliseError("item has no created time", external_id=raw.external_id,
                                 feed=self.name)
        comment = hit.get("comment_text")
        if isinstance(comment, str) and comment:
            text = html_to_text(comment)
        else:
            title = plain_text(str(hit.get("title") or ""))
            body = hit.get("story_text")
            body_text = html_to_text(body) if isinstance(body, str) else ""
            text = f"{title}\n\n{body_text}".strip()
        parent, story = hit.get("parent_id"), hit.get("story_id")
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            text=text,
            author=author,
            created_at=created,
            url=f"https://news.ycombinator.com/item?id={raw.external_id}",
            reply_to_id=str(parent) if isinstance(parent, int | str) and parent else None,
            thread_id=str(story) if isinstance(story, int | str) and story else None,
            raw=base.thaw(hit),
        )


def _has_text(hit: Mapping[str, Any]) -> bool:
    return any(isinstance(hit.get(k), str) and hit.get(k) for k in
               ("comment_text", "title", "story_text"))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    return None
