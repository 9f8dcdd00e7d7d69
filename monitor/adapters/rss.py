"""RSS and Atom feeds (Google Alerts among them): one conditional GET per poll (ETag and
Last-Modified kept in the cursor), parsed with feedparser from the bytes httpx fetched.

A 304 is a page with `not_modified=True`. A permanent redirect (301, 308) is saved in the
cursor as the feed's new URL, polled from then on, and noted on every poll until the config
names it. Entries become JSON-serialisable payloads at fetch
time; `normalise` strips their HTML and unwraps Google redirect links. feedparser never
fetches anything itself here: all HTTP goes through the injected client.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import feedparser
import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import html_to_text, plain_text, unwrap_google_redirect
from monitor.config import FeedSettings
from monitor.errors import ConfigError, NormaliseError, SourceUnavailable
from monitor.model import Mention


@dataclass(frozen=True)
class RssOptions(net.HttpOptionsBase):
    url: str
    user_agent: str = "complaint-monitor (+https://github.com/) feed reader"


class RssAdapter:
    kind: ClassVar[str] = "rss"

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(RssOptions, feed)
        if not opts.url.startswith(("http://", "https://")):
            raise ConfigError("must be an http:// or https:// feed URL", key=feed.key("url"))
        self._opts = opts
        self._clock = ctx.clock
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.SECONDS, "retry-after")

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        headers = {"User-Agent": self._opts.user_agent}
        # Validators are sent back verbatim (ETag with its quotes and any W/ prefix).
        if isinstance(state.get("etag"), str):
            headers["If-None-Match"] = state["etag"]
        if isinstance(state.get("last_modified"), str):
            headers["If-Modified-Since"] = state["last_modified"]
        # A permanent redirect seen before is followed from the cursor, for as long as the
        # config still names the URL it moved from (a new `url` in the config wins).
        configured = self._opts.url
        url = configured
        if state.get("moved_from") == configured and isinstance(state.get("url"), str):
            url = state["url"]
        else:
            state.pop("url", None)
            state.pop("moved_from", None)
        response = self._http.send("GET", url, headers=headers, follow_redirects=True)
        moved = _permanent_target(url, response)
        if moved is not None:
            url = moved
        where = net.display_url(url)
        notices: list[str] = []
        if url != configured:
            notices.append(f"the feed moved permanently from {net.display_url(configured)} to "
                           f"{where}; polled there from now on (the new address is kept with "
                           f"the feed's state): set url = \"{url}\" in the config")
        if response.status_code == 304:
            kept = {**state, "url": url, "moved_from": configured} if url != configured \
                else dict(state)
            return base.Page(items=[], cursor=kept, not_modified=True, notices=notices)
        if response.status_code in (401, 403):
            raise self._http.auth_failed(f"the feed {where} refused access "
                                         f"({response.status_code}); check url")
        if response.status_code == 404 or response.status_code == 410:
            raise SourceUnavailable(f"no feed at {where} ({response.status_code}): check url",
                                    feed=self.name)
        if response.status_code != 200:
            raise self._http.unexpected(response)

        parsed = feedparser.parse(
            response.content, response_headers={k.lower(): v for k, v in response.headers.items()}
        )
        entries = list(parsed.get("entries") or [])
        if not parsed.get("version") and not entries:
            reason = parsed.get("bozo_exception")
            raise SourceUnavailable(
                f"{where} did not answer with an RSS or Atom feed"
                + (f" ({reason})" if reason else "")
                + (" but with an HTML page" if b"<html" in response.content[:500].lower() else ""),
                feed=self.name,
            )
        problems: list[base.ItemProblem] = []
        if parsed.get("bozo"):
            problems.append(base.ItemProblem(where, f"the feed is not well-formed "
                                               f"({parsed.get('bozo_exception')}); "
                                               f"used the {len(entries)} entries recovered"))
        fetched_at = self._clock().astimezone(UTC).isoformat()
        feed_title = str(parsed.get("feed", {}).get("title") or "")
        items: list[base.RawItem] = []
        for entry in entries:
            payload = _payload(entry, feed_title, fetched_at)
            items.append(base.RawItem(_entry_id(payload), payload))
        out: dict[str, Any] = {}
        # A server that drops its validators gets none sent back next time.
        if etag := response.headers.get("etag"):
            out["etag"] = etag
        if modified := response.headers.get("last-modified"):
            out["last_modified"] = modified
        if url != configured:
            out.update(url=url, moved_from=configured)
        return base.Page(items=items[::-1], cursor=out, problems=problems, notices=notices)

    def normalise(self, raw: base.RawItem) -> Mention:
        entry = raw.payload
        title = _html_or_text(entry.get("title"), entry.get("title_type"))
        summary = _html_or_text(entry.get("content") or entry.get("summary"), "text/html")
        text = f"{title}\n\n{summary}".strip() if summary and summary != title else title
        if not text:
            raise NormaliseError("entry has neither title nor summary",
                                 external_id=raw.external_id, feed=self.name)
        link = entry.get("link")
        url = unwrap_google_redirect(link) if isinstance(link, str) and link else None
        created = (net.parse_time(entry.get("published")) or net.parse_time(entry.get("updated"))
                   or net.parse_time(entry.get("fetched_at")))
        if created is None:
            raise NormaliseError("entry has no usable date", external_id=raw.external_id,
                                 feed=self.name)
        author = plain_text(str(entry.get("author") or ""))
        if not author:
            # Google Alerts leaves the author empty: the site that published it says more.
            author = (urlsplit(url).hostname or "") if url else ""
            author = author or plain_text(str(entry.get("feed_title") or "")) or self.name
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            text=text,
            author=author,
            created_at=created,
            url=url,
            language=entry.get("language") if isinstance(entry.get("language"), str) else None,
            raw=base.thaw(entry),
        )


def _permanent_target(url: str, response: httpx.Response) -> str | None:
    """Where the redirects that began the chain to `response` permanently moved `url` (301
    or 308, each in turn), if they did and the chain ended in a feed; None otherwise. A
    temporary redirect (302, 303, 307) ends what counts as moved."""
    if response.status_code not in (200, 304):
        return None
    target: str | None = None
    for hop in response.history:
        if hop.status_code not in (301, 308) or "location" not in hop.headers:
            break
        nxt = str(hop.url.join(hop.headers["location"]))
        if not nxt.startswith(("http://", "https://")):
            break
        target = nxt
    return target if target is not None and target != url else None


def _html_or_text(value: Any, kind: Any) -> str:
    if not isinstance(value, str):
        return ""
    if isinstance(kind, str) and "html" not in kind:
        return plain_text(value)
    return html_to_text(value)


def _time(parsed: Any) -> str | None:
    """feedparser's UTC struct_time as ISO-8601 text."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except ValueError:
        return None


def _payload(entry: dict[str, Any], feed_title: str, fetched_at: str) -> dict[str, Any]:
    """The JSON-serialisable parts of a feedparser entry the monitor uses."""
    content = entry.get("content")
    body = None
    if isinstance(content, list) and content and isinstance(content[0], Mapping):
        body = content[0].get("value")
    title_detail = entry.get("title_detail")
    return {
        "id": entry.get("id"),
        "link": entry.get("link"),
        "title": entry.get("title"),
        "title_type": title_detail.get("type") if isinstance(title_detail, Mapping) else None,
        "summary": entry.get("summary"),
        "content": body,
        "author": entry.get("author"),
        "published": _time(entry.get("published_parsed")) or entry.get("published"),
        # dict.get: feedparser's own get() maps a missing `updated` onto `published` (and warns).
        "updated": _time(dict.get(entry, "updated_parsed")) or dict.get(entry, "updated"),
        "language": (entry.get("title_detail") or {}).get("language")
        if isinstance(entry.get("title_detail"), Mapping) else None,
        "tags": [t.get("term") for t in entry.get("tags", []) if isinstance(t, Mapping)],
        "feed_title": feed_title,
        "fetched_at": fetched_at,
    }


def _entry_id(payload: Mapping[str, Any]) -> str:
    """The entry's id, else its link, else a hash of title and date (guid is optional)."""
    for key in ("id", "link"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    basis = f"{payload.get('title')}|{payload.get('published') or payload.get('updated')}"
    return "sha256:" + hashlib.sha256(basis.encode()).hexdigest()[:32]
