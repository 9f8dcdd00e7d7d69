"""One feed's poll: fetch -> normalise -> store if new -> classify -> draft -> enqueue.

Each fetched page is stored in one transaction together with the cursor that covers it, so a
process killed at any point loses nothing and duplicates nothing: the next poll resumes from
the last committed cursor, and UNIQUE(platform, external_id) drops anything seen before.
Per-feed failures are values (FeedResult.failure), never exceptions to the caller; one feed
failing never stops the others.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from monitor.adapters.base import Cursor, FeedAdapter, FillsAuthors, Page, RawItem
from monitor.classify import BatchClassifier, Classifier
from monitor.config import FeedSettings
from monitor.draft import ReplyDrafter
from monitor.errors import (
    ConfigError,
    MonitorError,
    NormaliseError,
    RateLimited,
)
from monitor.metrics import Metrics
from monitor.model import Classification, ClassifyContext, Mention, Status
from monitor.store import feeds as store_feeds
from monitor.store import ingest
from monitor.text import clean_text

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 10
MAX_BACKOFF = timedelta(hours=1)
# In the feed's saved summary: the fingerprint of the definition the poll ran with.
DEFINITION_KEY = "definition"


@dataclass
class FeedResult:
    """What one poll of one feed did, for the summary line and `feeds list`."""

    feed: str
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    errors: int = 0
    own_posts: int = 0
    pages: int = 0
    failure: str | None = None
    retry_at: datetime | None = None
    waiting: bool = False
    rate_limited: bool = False
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failure is None

    def line(self) -> str:
        text = (f"{self.feed}: fetched {self.fetched}, new {self.new}, "
                f"duplicates {self.duplicates}, errors {self.errors}")
        if self.failure:
            text += f" - FAILED: {self.failure}"
        elif self.waiting and self.retry_at:
            text += f" - not polled: waiting until {self.retry_at:%Y-%m-%d %H:%M} UTC"
        return text

    def summary(self) -> dict[str, object]:
        return {
            "fetched": self.fetched, "new": self.new, "duplicates": self.duplicates,
            "errors": self.errors, "own_posts": self.own_posts, "pages": self.pages,
            "rate_limited": self.rate_limited, "notices": list(self.notices),
        }


def backoff(failures: int, every: float, rng: random.Random) -> timedelta:
    """Exponential back-off from the feed's interval, capped at an hour, with full jitter."""
    base = min(MAX_BACKOFF.total_seconds(), every * (2 ** min(failures, 10)))
    return timedelta(seconds=base / 2 + rng.uniform(0, base / 2))


def _handle_key(handle: str) -> str:
    h = handle.strip().lower().lstrip("@")
    return h.split("@", 1)[0] if "@" in h else h.removeprefix("u/")


@dataclass
class Pipeline:
    engine: Engine
    classifier: Classifier
    drafter: ReplyDrafter
    clock: Callable[[], datetime]
    brand_handles: Sequence[str] = ()
    stop: threading.Event = field(default_factory=threading.Event)
    on_progress: Callable[[str, int], None] | None = None
    rng: random.Random = field(default_factory=random.Random)
    metrics: Metrics | None = None

    def __post_init__(self) -> None:
        self._own = {_handle_key(h) for h in self.brand_handles}

    def poll(self, feed: FeedSettings, make_adapter: Callable[[], FeedAdapter]) -> FeedResult:
        """Poll one feed to the end of what it has (up to its page cap). Never raises for a
        feed's own failure: that is returned in FeedResult.failure and saved in the feed row."""
        result = FeedResult(feed=feed.name)
        now = self.clock()
        with self.engine.begin() as conn:
            state = store_feeds.ensure(conn, feed.name, feed.kind, now)
        if state.retry_at is not None and state.retry_at > now and not _redefined(state, feed):
            result.waiting = True
            result.retry_at = state.retry_at
            summary = state.last_summary or {}
            if state.last_error and not summary.get("rate_limited"):
                result.failure = state.last_error
            return result
        try:
            adapter = make_adapter()
            self._run(feed, adapter, state.id, state.cursor, result)
        except RateLimited as exc:
            result.failure = f"rate limited until {exc.retry_at:%H:%M:%S} UTC: {exc}"
            result.retry_at = exc.retry_at
            result.rate_limited = True
        except ConfigError as exc:
            result.failure = f"bad config: {exc}"
        except (OperationalError, DBAPIError):
            raise  # the database itself is down: not this feed's fault, let the caller decide
        except MonitorError as exc:  # fetch and auth failures: their message is for the user
            result.failure = str(exc)
        except Exception as exc:  # a bug in one adapter must not stop the other feeds
            log.exception("feed %s: unexpected error", feed.name)
            result.failure = f"internal error ({type(exc).__name__}): {str(exc)[:300]}"
        self._finish(feed, state.id, state.consecutive_failures, result)
        return result

    def _run(self, feed: FeedSettings, adapter: FeedAdapter, feed_id: int,
             cursor: Cursor | None, result: FeedResult) -> None:
        cap = feed.max_pages or int(getattr(adapter, "default_max_pages", DEFAULT_MAX_PAGES))
        while not self.stop.is_set() and result.pages < cap:
            page = adapter.fetch(cursor)
            result.pages += 1
            for notice in page.notices:
                if notice not in result.notices:
                    log.warning("feed %s: %s", feed.name, notice)
                    result.notices.append(notice)
            self._store_page(feed, adapter, feed_id, page, result)
            cursor = page.cursor if page.cursor is not None else cursor
            if self.on_progress is not None:
                self.on_progress(feed.name, result.fetched)
            if not page.more or page.not_modified:
                break

    def _normalise(self, adapter: FeedAdapter, raw: RawItem, page_problems: list[tuple[str, str]],
                   ) -> Mention | None:
        try:
            mention = adapter.normalise(raw)
        except NormaliseError as exc:
            page_problems.append((f"item {exc.external_id or raw.external_id or '?'}", str(exc)))
            return None
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, OSError) as exc:
            page_problems.append((f"item {raw.external_id or '?'}",
                                  f"unreadable item ({type(exc).__name__}: {exc})"))
            return None
        if not mention.external_id:
            page_problems.append(("item ?", "item has no id"))
            return None
        return clean_mention(mention)

    def _store_page(self, feed: FeedSettings, adapter: FeedAdapter, feed_id: int, page: Page,
                    result: FeedResult) -> None:
        problems = [(p.where, p.message) for p in page.problems]
        result.fetched += len(page.items) + len(page.problems)
        mentions: dict[str, Mention] = {}
        named: dict[tuple[str, str], Mention] = {}  # (platform, placeholder) -> a named post
        fills = isinstance(adapter, FillsAuthors)
        for raw in page.items:
            mention = self._normalise(adapter, raw, problems)
            if mention is None:
                continue
            if fills:
                stand_in = adapter.author_placeholder(mention)  # type: ignore[attr-defined]
                if stand_in:
                    named[(mention.platform, stand_in)] = mention
            if _handle_key(mention.author) in self._own:
                result.own_posts += 1
                continue
            if mention.external_id in mentions:
                result.duplicates += 1
                continue
            mentions[mention.external_id] = mention
        result.errors += len(problems)
        result.problems.extend(f"{w}: {m}" for w, m in problems[:20])
        now = self.clock()
        with self.engine.begin() as conn:
            by_platform: dict[str, list[Mention]] = {}
            for m in mentions.values():
                by_platform.setdefault(m.platform, []).append(m)
            fresh: list[Mention] = []
            for platform, group in by_platform.items():
                seen = ingest.existing_ids(conn, platform, (m.external_id for m in group))
                fresh.extend(m for m in group if m.external_id not in seen)
            batch = self._process_all(fresh, now)
            inserted = ingest.store(conn, feed_id, batch, now)
            if named:
                ingest.fill_authors(conn, named)
            result.new += inserted
            result.duplicates += len(mentions) - inserted
            if page.cursor is not None:
                store_feeds.save_cursor(conn, feed_id, dict(page.cursor))
            store_feeds.record_problems(conn, feed_id, now, problems)

    def _process_all(self, fresh: list[Mention], now: datetime) -> list[ingest.Processed]:
        contexts = [ClassifyContext(platform=m.platform, author_followers=m.author_followers,
                                    age_hours=max(0.0, (now - m.created_at).total_seconds()
                                                  / 3600))
                    for m in fresh]
        # A batch classifier (the semantic one) runs its model on the whole page at once,
        # several times cheaper than one text at a time; same answers.
        started = time.perf_counter()
        if isinstance(self.classifier, BatchClassifier) and len(fresh) > 1:
            classes = self.classifier.classify_many([m.text for m in fresh], contexts)
        else:
            classes = [self.classifier.classify(m.text, c)
                       for m, c in zip(fresh, contexts, strict=True)]
        if self.metrics is not None and fresh:
            each = (time.perf_counter() - started) / len(fresh)  # a batch: its mean per post
            for _ in fresh:
                self.metrics.classify_seconds.observe(each)
        return [self._enqueue(m, c) for m, c in zip(fresh, classes, strict=True)]

    def _enqueue(self, mention: Mention, classification: Classification) -> ingest.Processed:
        """A pending item with a draft for every label that needs a reply (fix-requests,
        questions, venting, praise); neutral mentions are stored skipped, with no draft."""
        if not classification.label.needs_reply:
            return ingest.Processed(mention, classification, None, Status.SKIPPED)
        started = time.perf_counter()
        draft = self.drafter.draft(mention, classification)
        if self.metrics is not None:
            self.metrics.draft_seconds.observe(time.perf_counter() - started)
        return ingest.Processed(mention, classification, draft, Status.PENDING)

    def _finish(self, feed: FeedSettings, feed_id: int, failures: int, result: FeedResult
                ) -> None:
        now = self.clock()
        next_poll = now + timedelta(seconds=feed.every)
        summary = {**result.summary(), DEFINITION_KEY: feed.fingerprint()}
        with self.engine.begin() as conn:
            if result.ok:
                store_feeds.record_success(conn, feed_id, now, next_poll, summary)
                return
            retry_at = result.retry_at
            if retry_at is None:
                retry_at = now + backoff(failures, feed.every, self.rng)
                result.retry_at = retry_at
            store_feeds.record_failure(
                conn, feed_id, now, result.failure or "failed", retry_at,
                max(next_poll, retry_at), summary,
            )


def _redefined(state: store_feeds.FeedState, feed: FeedSettings) -> bool:
    """Whether the feed's definition changed since its last failure was recorded: the fix
    for that failure may be the change, so its back-off no longer holds. A rate limit still
    does (the network set it, whatever the config says); so does a failure recorded before
    definitions were (no fingerprint to compare)."""
    summary = state.last_summary or {}
    stored = summary.get(DEFINITION_KEY)
    if not isinstance(stored, str) or summary.get("rate_limited"):
        return False
    return stored != feed.fingerprint()


def clean_mention(mention: Mention) -> Mention:
    """Make every text field storable on SQLite and PostgreSQL alike (see monitor.text)."""
    return replace(
        mention,
        text=clean_text(mention.text),
        author=clean_text(mention.author)[:255] or "unknown",
        author_name=None if mention.author_name is None else clean_text(mention.author_name)[:255],
        external_id=clean_text(mention.external_id)[:255],
    )
