"""The `demo` feed: the bundled Northwind Kettles mentions, served like a real paged feed.

Every mention carries platform "demo" so its ids can never collide with a real network's;
the network a post pretends to come from is kept in `raw["network"]` and in its URL. Times
are placed so the newest post is a few minutes older than the injected clock at construction,
which makes queue ages look real on any day while external ids stay stable.

This adapter does no network or file I/O, reads no wall clock of its own and holds no state
between calls beyond what its constructor fixed: the cursor says where a poll resumes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from monitor.adapters.base import AdapterContext, Cursor, Page, RawItem, freeze, parse_options
from monitor.adapters.demo_data import POSTS, DemoPost
from monitor.config import FeedSettings
from monitor.errors import ConfigError, FetchError, NormaliseError
from monitor.model import Mention

PLATFORM = "demo"
PAGE_SIZE = 25
NEWEST_AGE = timedelta(minutes=3)
"""How long before the clock the newest post appears: recent, but not 'this very second'."""
URL_BASE = "https://demo.northwind.example"


@dataclass(frozen=True)
class DemoOptions:
    """The demo feed takes no keys of its own; an empty dataclass makes parse_options
    refuse any key it is given, naming it."""


class DemoAdapter:
    """Serves `POSTS` oldest first, `PAGE_SIZE` at a time, with cursor {"offset": n}."""

    kind: ClassVar[str] = "demo"

    def __init__(
        self,
        feed: FeedSettings,
        ctx: AdapterContext,
        *,
        posts: Sequence[DemoPost] = POSTS,
    ) -> None:
        parse_options(DemoOptions, feed)
        if feed.platform not in (None, PLATFORM):
            # A demo mention posing as a real network's would share its id space.
            raise ConfigError(
                f"a demo feed is always platform {PLATFORM!r}, not {feed.platform!r}",
                key=feed.key("platform"),
            )
        self.name = feed.name
        self.platform = PLATFORM
        now = ctx.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise TypeError("AdapterContext.clock must return a timezone-aware datetime")
        # Whole minutes, so two adapters built in the same minute place posts identically.
        newest = now.astimezone(UTC).replace(second=0, microsecond=0) - NEWEST_AGE
        # Oldest first, as a chronological feed pages; the id breaks ties so order is total.
        self._posts = tuple(sorted(posts, key=lambda p: (-p.minutes_ago, p.id)))
        by_id = {p.id: p for p in self._posts}
        if len(by_id) != len(self._posts):
            raise ValueError("demo posts must have unique ids")
        self._roots = {p.id: _thread_root(p, by_id) for p in self._posts}
        self._newest = newest

    def fetch(self, cursor: Cursor | None) -> Page:
        start = _offset(cursor, len(self._posts), feed=self.name)
        end = min(start + PAGE_SIZE, len(self._posts))
        items = tuple(
            RawItem(external_id=post.id, payload=self._payload(post))
            for post in self._posts[start:end]
        )
        return Page(items=items, cursor={"offset": end}, more=end < len(self._posts))

    def normalise(self, raw: RawItem) -> Mention:
        p = raw.payload
        ext = raw.external_id or None
        try:
            ident = _text(p, "id")
            network = _text(p, "network")
            created = datetime.fromisoformat(_text(p, "created_at"))
            if created.tzinfo is None or created.utcoffset() is None:
                raise ValueError("created_at has no time zone")
            followers = p["followers"]
            if not isinstance(followers, int) or isinstance(followers, bool) or followers < 0:
                raise ValueError("followers must be a whole number >= 0")
            reply_to = _optional_text(p, "reply_to")
            thread_id = _optional_text(p, "thread_id")
            return Mention(
                feed=self.name,
                platform=PLATFORM,
                external_id=ident,
                text=_text(p, "text"),
                author=_text(p, "handle"),
                created_at=created.astimezone(UTC),
                url=f"{URL_BASE}/{network}/{ident}",
                author_name=_text(p, "name"),
                author_followers=followers,
                language=_text(p, "lang"),
                reply_to_id=reply_to,
                thread_id=thread_id,
                raw=freeze(dict(p)),
            )
        except KeyError as exc:
            raise NormaliseError(
                f"demo item {ext or '(no id)'} has no {exc.args[0]!r}",
                external_id=ext,
                feed=self.name,
            ) from exc
        except ValueError as exc:
            raise NormaliseError(
                f"demo item {ext or '(no id)'} is malformed: {exc}", external_id=ext, feed=self.name
            ) from exc

    def _payload(self, post: DemoPost) -> dict[str, Any]:
        """The JSON-serialisable item as a network would send it, time already placed."""
        created = self._newest - timedelta(minutes=post.minutes_ago)
        return {
            "id": post.id,
            "network": post.network,
            "handle": post.handle,
            "name": post.name,
            "followers": post.followers,
            "created_at": created.isoformat(),
            "text": post.text,
            "lang": post.lang,
            "reply_to": post.reply_to,
            "thread_id": self._roots[post.id],
            # The project's own labels, for tests, demos and `eval`; not for the classifier.
            "demo": {"intent": post.intent, "topic": post.topic, "tags": list(post.tags)},
        }


def _offset(cursor: Cursor | None, total: int, *, feed: str) -> int:
    if cursor is None:
        return 0
    value = cursor.get("offset") if isinstance(cursor, Mapping) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FetchError(
            f"demo feed {feed}: saved cursor {cursor!r} is not {{'offset': n}} with n >= 0; "
            "reset this feed's cursor",
            feed=feed,
        )
    # A cursor past the end (the bundled data shrank) means "nothing new", not an error.
    return min(value, total)


def _text(payload: Mapping[str, Any], key: str) -> str:
    value = payload[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _optional_text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be a string or null")
    return value


def _thread_root(post: DemoPost, by_id: Mapping[str, DemoPost]) -> str | None:
    """The first post of the conversation `post` answers, or None for a standalone post."""
    root: str | None = None
    seen: set[str] = set()
    current = post
    while current.reply_to is not None and current.reply_to not in seen:
        seen.add(current.reply_to)
        root = current.reply_to
        parent = by_id.get(current.reply_to)
        if parent is None:
            break
        current = parent
    return root
