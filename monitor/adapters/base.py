"""The adapter protocol and the small value types adapters exchange with the pipeline.

An adapter does I/O in `fetch` and nothing else; `normalise` is pure. Adapters never touch
the database: the pipeline stores what they return and saves the cursor they hand back.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, TypeVar, get_type_hints, runtime_checkable

import httpx

from monitor.adapters._http import Calls
from monitor.config import FEED_COMMON_KEYS, FeedSettings, coerce
from monitor.errors import ConfigError
from monitor.model import Mention, OutgoingReply, PublishedRef, freeze, thaw

__all__ = ["freeze", "thaw"]  # re-exported for adapters

Cursor = Mapping[str, Any]
"""An adapter's position in its feed: JSON-serialisable, opaque to everyone else."""


@dataclass(frozen=True, slots=True)
class RawItem:
    """One item as the network sent it. `external_id` may be empty when the item is malformed."""

    external_id: str
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ItemProblem:
    """A malformed item that was skipped: where it was (line 12, status 1133...) and why."""

    where: str
    message: str


@dataclass(frozen=True, slots=True)
class Page:
    """What one fetch brought: items, the cursor to save once they are stored, and
    whether another page is waiting (the pipeline fetches it, up to the feed's max_pages)."""

    items: Sequence[RawItem]
    cursor: Cursor | None
    more: bool = False
    problems: Sequence[ItemProblem] = ()
    not_modified: bool = False
    # Things the operator should act on that are not failures (an RSS feed that moved).
    notices: Sequence[str] = ()


@dataclass(frozen=True)
class AdapterContext:
    """What an adapter may use, injected by the composition root (so tests can swap it)."""

    http: httpx.Client
    environ: Mapping[str, str]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    base_dir: str = "."
    brand_handles: tuple[str, ...] = ()


@runtime_checkable
class FeedAdapter(Protocol):
    kind: ClassVar[str]
    platform: str
    name: str

    def fetch(self, cursor: Cursor | None) -> Page:
        """Raises RateLimited, AuthFailed or SourceUnavailable; never returns half a page."""
        ...

    def normalise(self, raw: RawItem) -> Mention:
        """Pure; raises NormaliseError for an item it cannot read."""
        ...


@runtime_checkable
class ReplyPublisher(Protocol):
    """Implemented by adapters whose network can take a reply (not Hacker News or RSS).

    `publish` sends one request and never retries it itself: a time-out after sending raises
    PublishOutcomeUnknown, and the caller asks `find_reply` before sending again. Both raise
    RateLimited, AuthFailed and SourceUnavailable (nothing was sent) and PublishError (the
    network refused the reply for good, with its reason).
    """

    name: str
    # At most how many requests each makes, for sizing the publishing lease: an attempt
    # that outlasted its lease could be taken over and its reply sent twice.
    find_reply_calls: ClassVar[Calls]
    publish_calls: ClassVar[Calls]

    def publish(self, reply: OutgoingReply) -> PublishedRef: ...

    def find_reply(self, reply: OutgoingReply) -> PublishedRef | None: ...

    def longest(self, calls: Calls, default_timeout: float) -> float:
        """The longest `calls` can take in seconds with this feed's time-out and retries
        (`default_timeout` when the feed sets none)."""
        ...


@runtime_checkable
class FillsAuthors(Protocol):
    """Implemented by adapters that may keep a post whose author the network did not name,
    under a placeholder author (X: `id:AUTHOR_ID`). For a mention that does name its author,
    `author_placeholder` gives the placeholder the same author's posts were stored under, so
    the pipeline can fill in the handle."""

    def author_placeholder(self, mention: Mention) -> str | None: ...


class AdapterFactory(Protocol):
    kind: ClassVar[str]

    def __call__(self, feed: FeedSettings, ctx: AdapterContext) -> FeedAdapter: ...


OptionsT = TypeVar("OptionsT")


def parse_options(cls: type[OptionsT], feed: FeedSettings) -> OptionsT:
    """Check a feed's adapter keys against the frozen dataclass `cls`.

    Unknown keys, wrong types and missing required keys raise ConfigError naming
    `feeds[NAME].KEY`. Lists become tuples and tables read-only mappings.
    """
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for key, value in feed.options.items():
        if key not in fields:
            own = sorted(k for k in fields if not k.startswith("_"))
            guess = difflib.get_close_matches(key, [*FEED_COMMON_KEYS, *own], n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise ConfigError(
                f"unknown key for a {feed.kind} feed ({hint}keys every feed takes: "
                f"{', '.join(FEED_COMMON_KEYS)}; a {feed.kind} feed's own: "
                f"{', '.join(own) or 'none'})", key=feed.key(key)
            )
        kwargs[key] = coerce(value, hints[key], key=feed.key(key), path=None)
    for name, f in fields.items():
        if name not in kwargs and f.default is dataclasses.MISSING and (
            f.default_factory is dataclasses.MISSING
        ):
            raise ConfigError(f"a {feed.kind} feed needs this key", key=feed.key(name))
    return cls(**kwargs)


@dataclass(frozen=True)
class NoOptions:
    """For adapters that take no keys of their own."""

    _unused: tuple[str, ...] = field(default=(), repr=False)


def http_url(value: str, feed: FeedSettings, key: str = "base_url") -> str:
    """A feed's base URL without its trailing slash; ConfigError unless it is http(s)."""
    url = value.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError("must start with http:// or https://", key=feed.key(key))
    return url


def search_query(value: str, feed: FeedSettings, key: str = "query") -> str:
    """A non-empty search query, as given."""
    if not value.strip():
        raise ConfigError("the search query cannot be empty", key=feed.key(key))
    return value


def in_range(value: int, low: int, high: int, feed: FeedSettings, key: str) -> int:
    """An integer option within [low, high]."""
    if not low <= value <= high:
        raise ConfigError(f"must be between {low} and {high}", key=feed.key(key))
    return value
