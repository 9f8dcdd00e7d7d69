"""The composition root: builds engines, adapters, classifier, drafter and pipeline from Settings.

The only place that wires components together; everything is passed in (clock, environment,
HTTP client), so tests build the same objects with fakes. Holds no global state.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.engine import Engine

from monitor import __version__
from monitor.adapters.base import AdapterContext, FeedAdapter, ReplyPublisher
from monitor.adapters.registry import Registry
from monitor.classify import Classifier, build_classifier
from monitor.config import FeedSettings, Settings, read_answers
from monitor.draft import build_drafter
from monitor.draft.answers import AnswerShelf
from monitor.draft.compose import Composer
from monitor.draft.memory import ReplyMemory
from monitor.draft.writer import build_writer, writer_client
from monitor.errors import ConfigError
from monitor.incidents.alerts import Alerter, alert_urls
from monitor.incidents.service import Incidents, ScanReport
from monitor.metrics import Metrics, Snapshot
from monitor.pipeline import FeedResult, Pipeline
from monitor.review.accounts import Accounts
from monitor.review.insights import Insights
from monitor.review.memory import RememberingReviewer
from monitor.review.publish import PublishResult, ReplyPublishing, attempt_seconds
from monitor.review.queries import QueueQueries
from monitor.review.replies import Replies
from monitor.store import engine as store_engine
from monitor.store import feeds as store_feeds
from monitor.store import leases
from monitor.store.feeds import FeedState as FeedState  # named here for the faces
from monitor.store.memory import StoredReplies

if TYPE_CHECKING:  # learn()'s return type; the module itself is imported where it runs
    from monitor.review.learning import LearnReport

log = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def holder_gone(holder: str, host: str) -> bool:
    """Whether a lease holder ("HOST:PID:RANDOM", App.daemon_name) was a process on this
    host that is no longer running (killed with -9: it could not give its leases back)."""
    parts = holder.rsplit(":", 2)
    return (len(parts) == 3 and parts[0] == host and parts[1].isdigit()
            and not pid_alive(int(parts[1])))


def utcnow() -> datetime:
    return datetime.now(UTC)


USER_AGENT = f"complaint-monitor/{__version__} (+https://github.com/complaint-monitor)"


@dataclass
class App:
    settings: Settings
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], datetime] = utcnow
    http: httpx.Client | None = None
    registry: Registry = field(default_factory=Registry)
    stop: threading.Event = field(default_factory=threading.Event)
    _adapters: dict[str, FeedAdapter] = field(default_factory=dict, init=False, repr=False)
    _adapter_lock: threading.Lock = field(default_factory=threading.Lock, init=False,
                                          repr=False)
    _scan_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @cached_property
    def engine(self) -> Engine:
        return store_engine.make_engine(self.settings.database.url,
                                        echo=self.settings.database.echo)

    def migrate(self) -> None:
        store_engine.upgrade(self.engine)

    def describe_database(self) -> str:
        """The database in words, without its password (for the operator's messages)."""
        return store_engine.describe(self.engine)

    @cached_property
    def metrics(self) -> Metrics:
        """This process's metrics (GET /metrics); the database part is read at a scrape."""
        from monitor.store import stats as store_stats

        metrics = Metrics()
        lease = timedelta(seconds=self.settings.scheduler.lease_seconds)

        def read() -> Snapshot:
            with self.engine.connect() as conn:
                return Snapshot(**store_stats.snapshot(conn, self.clock(), lease))

        metrics.watch_database(read)
        return metrics

    @cached_property
    def http_client(self) -> httpx.Client:
        if self.http is not None:
            return self.http
        timeout = self.settings.scheduler.http_timeout_seconds
        return httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
        )

    @cached_property
    def classifier(self) -> Classifier:
        return build_classifier(self.settings)

    @cached_property
    def drafter(self) -> Composer:
        """The template drafter wrapped with saved answers, reply memory and the optional
        writer model (monitor.draft.compose)."""
        replies = self.settings.replies
        stored = StoredReplies(self.engine)
        drafter = build_drafter(self.settings)
        writer = None
        if replies.writer.url:
            writer = build_writer(
                replies.writer, brand=self.settings.brand.name, environ=self.environ,
                links=[u for u in (replies.support_url, replies.status_url) if u],
                sends_dm=replies.brand_sends_dm,
                client=self.writer_http)
        return Composer(
            drafter, answers=AnswerShelf(read_answers(self.settings), stored),
            memory=ReplyMemory(stored, threshold=replies.memory_threshold)
            if replies.memory else None,
            writer=writer, answer_threshold=replies.answer_threshold,
            check_below=drafter.check_below)

    @cached_property
    def writer_http(self) -> httpx.Client:
        """The writer model's own HTTP client: no redirects, no proxies from the environment
        (posts go to the configured host and nowhere else)."""
        return writer_client(self.settings.replies.writer)

    def replies_changed(self) -> None:
        """A reviewer changed the reply memory or the saved answers: look again at once."""
        drafter = self.__dict__.get("drafter")
        for part in (getattr(drafter, "memory", None), getattr(drafter, "answers", None)):
            if part is not None:
                part.invalidate()

    def adapter_context(self) -> AdapterContext:
        return AdapterContext(
            http=self.http_client, environ=self.environ, clock=self.clock,
            base_dir=self.settings.base_dir, brand_handles=self.settings.brand.handles,
        )

    def make_adapter(self, feed: FeedSettings) -> FeedAdapter:
        """The feed's adapter, built once per process and reused by every poll, so sessions
        and tokens (a Bluesky login, a Reddit app token) are not created afresh each time.
        The scheduler never runs two polls of one feed at once, so sharing is safe."""
        with self._adapter_lock:
            adapter = self._adapters.get(feed.name)
            if adapter is None:
                cls = self.registry.get(feed.kind, key=feed.key("kind"))
                adapter = cls(feed, self.adapter_context())
                self._adapters[feed.name] = adapter
            return adapter

    def validate_feeds(self, only: str | None = None) -> None:
        """Build every enabled feed's adapter (and `only`, enabled or not) once, so that a
        key no adapter knows, an unknown kind or a missing secret stops `poll` and `run`
        before anything runs, naming the key and the file; then check that the publishing
        lease outlasts a publish attempt."""
        source = self.settings.source
        for feed in self.settings.feeds:
            if feed.enabled or feed.name == only:
                try:
                    self.make_adapter(feed)
                except ConfigError as exc:
                    if exc.path is not None or source.startswith("built-in"):
                        raise
                    raise ConfigError(exc.message, key=exc.key, path=source) from exc
        self.check_publish_lease()

    def pipeline(self, on_progress: Callable[[str, int], None] | None = None) -> Pipeline:
        return Pipeline(
            engine=self.engine, classifier=self.classifier, drafter=self.drafter,
            clock=self.clock, brand_handles=self.settings.brand.handles, stop=self.stop,
            on_progress=on_progress, metrics=self.metrics,
        )

    @cached_property
    def incidents(self) -> Incidents:
        """The incident lifecycle (monitor.incidents.service.Incidents), with alerts to the
        URLs in `[alerts] urls_env`."""
        alerter = Alerter(self.engine, alert_urls(self.settings.alerts, self.environ),
                          self.clock)
        return Incidents(engine=self.engine, settings=self.settings, drafter=self.drafter,
                         clock=self.clock, alerter=alerter)

    def after_poll(self) -> ScanReport | None:
        """Incident detection over what the polls stored, and the team alerts. A failure
        here is logged and never stops polling; returns the scan report (None on failure)."""
        with self._scan_lock:  # two feeds' jobs finishing at once scan once each, in turn
            try:
                report = self.incidents.scan()
                states = self.feed_states()
                self.incidents.check_alerts([(s.name, s.consecutive_failures,
                                              s.last_success_at) for s in states])
            except Exception:
                log.exception("incident detection or alerts failed; polling goes on")
                return None
            return report

    @cached_property
    def queries(self) -> QueueQueries:
        """The review queue's read model (pages and item views) for the faces."""
        return QueueQueries(self.engine)

    @cached_property
    def accounts(self) -> Accounts:
        """The review app's users, their sign-in and sessions, and their API tokens."""
        return Accounts(self.engine, self.clock)

    @cached_property
    def insights(self) -> Insights:
        """The numbers behind /stats."""
        return Insights(self.engine)

    @cached_property
    def replies(self) -> Replies:
        """Reply memory and the saved answers, for listing, importing and deleting."""
        return Replies(self.engine, self.clock, on_change=self.replies_changed)

    def reviewer(self) -> RememberingReviewer:
        return RememberingReviewer(engine=self.engine, drafter=self.drafter, clock=self.clock,
                                   on_change=self.replies_changed)

    def poll_feed(self, feed: FeedSettings, pipeline: Pipeline | None = None) -> FeedResult:
        pipe = pipeline or self.pipeline()
        result = pipe.poll(feed, lambda: self.make_adapter(feed))
        if not result.waiting:
            self.metrics.record_poll(feed.name, ok=result.ok, fetched=result.fetched,
                                     new=result.new)
        return result

    def pause_feed(self, name: str, by: str,
                   reason: str | None = None) -> tuple[FeedState, bool]:
        """Pause a configured feed (ConfigError for an unknown name); (state, changed)."""
        feed = self.settings.feed(name)
        with self.engine.begin() as conn:
            return store_feeds.pause(conn, feed.name, feed.kind, by, reason, self.clock())

    def resume_feed(self, name: str, by: str) -> tuple[FeedState, bool]:
        """Resume a configured feed (ConfigError for an unknown name); (state, changed)."""
        feed = self.settings.feed(name)
        with self.engine.begin() as conn:
            return store_feeds.resume(conn, feed.name, feed.kind, by, self.clock())

    def feed_states(self) -> list[FeedState]:
        """Every feed's stored state (polls, errors, pauses, leases), configured or not."""
        with self.engine.connect() as conn:
            return store_feeds.all_states(conn)

    def pause_of(self, name: str) -> FeedState | None:
        """The feed's state if an operator paused it, else None."""
        with self.engine.connect() as conn:
            state = store_feeds.get(conn, name)
        return state if state is not None and state.paused else None

    def should_poll(self, feed: FeedSettings,
                    on_paused: Callable[[FeedState], None] | None = None) -> bool:
        """False for a feed an operator paused (its state passed to `on_paused`), else True.
        The one pause check, for `poll_all` and the scheduler's jobs alike. Made here, not in
        the pipeline: pausing is an operator's choice about which feeds to run, the pipeline
        only knows how to poll one."""
        paused = self.pause_of(feed.name)
        if paused is None:
            return True
        if on_paused is not None:
            on_paused(paused)
        return False

    def note_next_poll(self, feed: FeedSettings, at: datetime | None) -> None:
        """Record when the scheduler polls the feed next (shown by `feeds list`)."""
        with self.engine.begin() as conn:
            store_feeds.set_next_poll(conn, feed.name, at)

    def poll_all(self, only: str | None = None,
                 on_result: Callable[[FeedResult], None] | None = None,
                 on_progress: Callable[[str, int], None] | None = None,
                 on_paused: Callable[[FeedState], None] | None = None,
                 on_held: Callable[[str, str], None] | None = None,
                 ) -> list[FeedResult]:
        """Poll every enabled feed (or only `only`) once. Paused feeds are not fetched and get
        no result: each is passed to `on_paused` instead, and keeps its cursor. Each feed is
        polled under its lease, as a daemon polls it: a feed a running daemon holds is left
        to it, with no result, and passed to `on_held` with the daemon's name."""
        wanted = [self.settings.feed(only)] if only else [
            f for f in self.settings.feeds if f.enabled
        ]
        feeds = [feed for feed in wanted if self.should_poll(feed, on_paused)]
        if not feeds:
            return []
        with self._leased(feeds, on_held) as mine:
            return self._poll_each(mine, on_result, on_progress) if mine else []

    @contextmanager
    def _leased(self, feeds: list[FeedSettings], on_held: Callable[[str, str], None] | None,
                ) -> Iterator[list[FeedSettings]]:
        """The `feeds` whose lease this process took (free or lapsed ones, exactly as a
        daemon claims them), renewed while the poll runs and given back after it, so that a
        `poll` run from cron never polls a feed while a daemon polls it too."""
        lease = timedelta(seconds=self.settings.scheduler.lease_seconds)
        names = [f.name for f in feeds]
        host = socket.gethostname()
        with self.engine.begin() as conn:
            leases.ensure_rows(conn, {f.name: f.kind for f in feeds}, self.clock())
            # A holder killed on this machine (a `poll` or daemon killed with -9) cannot
            # give its leases back: they are freed now rather than when they would lapse.
            for gone in {h for h in leases.holders(conn, names).values()
                         if holder_gone(h, host)}:
                leases.release(conn, gone)
            taken = set(leases.claim(conn, self.daemon_name, names, self.clock(), lease,
                                     len(names)))
            held = leases.holders(conn, [n for n in names if n not in taken])
        for name, holder in held.items():
            log.info("%s is held by %s: not polled by this run", name, holder)
            if on_held is not None:
                on_held(name, holder)
        done = threading.Event()

        def keep() -> None:  # a poll can outlast the lease: renew it as a heartbeat does
            while not done.wait(lease.total_seconds() / 3):
                try:
                    with self.engine.begin() as conn:
                        leases.renew(conn, self.daemon_name, self.clock(), lease)
                except Exception:
                    log.warning("could not renew this poll's feed leases", exc_info=True)

        keeper = threading.Thread(target=keep, name="poll-leases", daemon=True)
        keeper.start()
        try:
            yield [f for f in feeds if f.name in taken]
        finally:
            done.set()
            keeper.join()
            with self.engine.begin() as conn:
                leases.release(conn, self.daemon_name, taken)

    def _poll_each(self, feeds: list[FeedSettings],
                   on_result: Callable[[FeedResult], None] | None,
                   on_progress: Callable[[str, int], None] | None) -> list[FeedResult]:
        pipe = self.pipeline(on_progress)

        def one(feed: FeedSettings) -> FeedResult:
            result = self.poll_feed(feed, pipe)
            if on_result is not None:
                on_result(result)
            return result

        workers = max(1, min(self.settings.scheduler.workers, len(feeds)))
        if workers == 1:
            results = [one(f) for f in feeds if not self.stop.is_set()]
        else:
            # Feeds wait mostly on the network, so a few threads poll many feeds at once.
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
                futures = [pool.submit(one, f) for f in feeds]
                results = [f.result() for f in futures]
        self.after_poll()
        return results

    # -- publishing replies ---------------------------------------------------------------

    @cached_property
    def daemon_name(self) -> str:
        """This process's name on feed and publishing leases (unique across daemons and
        restarts: a daemon that comes back is a new holder, never the old one)."""
        return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @property
    def publish_owner(self) -> str:
        return self.daemon_name

    @property
    def shared_database(self) -> bool:
        """True on PostgreSQL, where several daemons may share the feeds."""
        return self.engine.dialect.name == "postgresql"

    def publisher_for(self, feed_name: str) -> ReplyPublisher | None:
        """The feed's adapter if publishing is on, covers this feed, and its network can
        take replies; else None."""
        pub = self.settings.publish
        if not pub.enabled or (pub.feeds and feed_name not in pub.feeds):
            return None
        feed = next((f for f in self.settings.feeds if f.name == feed_name), None)
        if feed is None:
            return None
        adapter = self.make_adapter(feed)
        return adapter if isinstance(adapter, ReplyPublisher) else None

    def publishing_feeds(self) -> dict[str, ReplyPublisher]:
        """The feeds that publish replies (none while `[publish] enabled` is false), each
        with its publisher."""
        names = self.settings.publish.feeds or tuple(f.name for f in self.settings.feeds)
        found = {name: self.publisher_for(name) for name in names}
        return {name: p for name, p in found.items() if p is not None}

    def check_publish_lease(self, publishers: Mapping[str, ReplyPublisher] | None = None
                            ) -> None:
        """ConfigError unless `publish.lease_seconds` outlasts the longest publish attempt of
        every publishing feed (`publishers`, else `publishing_feeds()`; from its time-out,
        retries and the requests its adapter says an attempt makes). Checked here, not in
        config: only the adapters know those requests, and config may not import them."""
        pub = self.settings.publish
        default = self.settings.scheduler.http_timeout_seconds
        if publishers is None:
            publishers = self.publishing_feeds()
        needs = [(attempt_seconds(p, default), name) for name, p in publishers.items()]
        if not needs:
            return
        seconds, name = max(needs)
        if pub.lease_seconds < seconds:
            raise ConfigError(
                f"must be at least {math.ceil(seconds)} for feed {name}, not "
                f"{pub.lease_seconds:g}: one publish attempt there can take {seconds:g} seconds "
                "(its timeout and retries over the requests it makes), and a shorter lease lets "
                "another daemon send the reply again",
                key="publish.lease_seconds", path=self.settings.source)

    def publishing(self) -> ReplyPublishing:
        """The reply publisher; ConfigError while `[publish] enabled` is false or its lease
        is too short."""
        pub = self.settings.publish
        if not pub.enabled:
            raise ConfigError("publishing replies is off: set enabled = true under [publish]",
                              key="publish.enabled", path=self.settings.source)
        publishers = self.publishing_feeds()
        self.check_publish_lease(publishers)
        return ReplyPublishing(
            engine=self.engine, drafter=self.drafter, clock=self.clock,
            publisher_for=self.publisher_for,
            feeds=list(publishers),
            owner=self.publish_owner, lease=timedelta(seconds=pub.lease_seconds),
            recheck=timedelta(seconds=pub.recheck_seconds),
        )

    def publish(self, item_ids: list[int] | None = None) -> list[PublishResult]:
        """Publish the given approved items, or up to `batch_size` due ones."""
        results = list(self.publishing().run(item_ids, limit=self.settings.publish.batch_size,
                                             stop=self.stop.is_set))
        for result in results:
            outcome = getattr(result, "outcome", None)
            self.metrics.publish.labels(str(getattr(outcome, "value", outcome))).inc()
        return results

    # -- learning the brand from its reviewers -------------------------------------------

    def learn(self, **options: Any) -> LearnReport:
        """One learning run (monitor.review.learning.Learning.run); after a switch this
        process classifies with the new head from then on."""
        # Deferred: the learning module brings numpy, which only `learn` and the daemon's
        # learning job need, not every command that opens the App.
        from monitor.review.learning import Learning

        report = Learning.build(self.settings, self.engine, self.classifier,
                                self.clock).run(**options)
        if report.classifier is not None:
            self.__dict__["classifier"] = report.classifier  # the cached_property's value
        return report

    def close(self) -> None:
        if "http_client" in self.__dict__ and self.http is None:
            self.http_client.close()
        if "writer_http" in self.__dict__:
            self.writer_http.close()
        if "engine" in self.__dict__:
            self.engine.dispose()


@contextmanager
def open_app(settings: Settings, **kwargs: Any) -> Iterator[App]:
    app = App(settings, **kwargs)
    try:
        yield app
    finally:
        app.close()
