"""APScheduler wiring only: when and by which daemon a feed is polled, plus one publishing
job when `[publish] enabled`. What a poll or a publish does lives elsewhere.

On SQLite one daemon runs one interval job per feed (jitter, coalescing, one instance at a
time), and a second daemon is refused at start. On PostgreSQL any number of daemons share
the feeds through leases in the database (monitor.store.leases): each daemon's tick renews
its leases, takes its fair share of free or expired feeds (feeds / live daemons, rounded
up), gives back what is over its share, and polls the held feeds that are due. Incident
detection runs at most once per tick, when some poll finished since the last one.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor as Pool
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App, pid_alive
from monitor.config import FeedSettings
from monitor.errors import ConfigError
from monitor.pipeline import Pipeline
from monitor.store import leases, rollup
from monitor.store.feeds import FeedState

log = logging.getLogger(__name__)


def build_scheduler(app: App) -> BackgroundScheduler:
    """A scheduler with one job per enabled feed; the first poll of each starts at once."""
    settings = app.settings
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max(1, settings.scheduler.workers))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    pipeline = app.pipeline()
    start = app.clock()
    enabled = [f for f in settings.feeds if f.enabled]
    lease = settings.scheduler.lease_seconds
    if app.shared_database:
        sharing = FeedSharing(app, pipeline, enabled)
        scheduler.add_job(sharing.tick, trigger=IntervalTrigger(seconds=sharing.tick_seconds,
                                                                timezone="UTC"),
                          id="feeds", name="share and poll feeds", next_run_time=start)
    else:
        scheduler.add_job(_heartbeat_job, trigger=IntervalTrigger(seconds=lease / 3,
                                                                  timezone="UTC"),
                          args=(app,), id="heartbeat", name="daemon heartbeat")
    for index, feed in enumerate(enabled if not app.shared_database else ()):
        scheduler.add_job(
            _poll_job,
            trigger=IntervalTrigger(seconds=feed.every, jitter=settings.scheduler.jitter_seconds,
                                    timezone="UTC"),
            args=(app, feed, pipeline, scheduler),
            id=f"feed:{feed.name}",
            name=f"poll {feed.name}",
            # Stagger first polls a little so many feeds do not start in the same instant.
            next_run_time=start + timedelta(seconds=min(index * 0.2, 30)),
        )
    if settings.publish.enabled:
        scheduler.add_job(
            _publish_job,
            trigger=IntervalTrigger(seconds=settings.publish.interval_seconds, timezone="UTC"),
            args=(app,), id="publish", name="publish approved replies",
            next_run_time=start + timedelta(seconds=5),
        )
    learn_every = settings.classifier.learn_seconds(settings.source)
    if learn_every and settings.classifier.kind == "model" and settings.classifier.brand_head:
        scheduler.add_job(
            _learn_job, trigger=IntervalTrigger(seconds=learn_every, timezone="UTC"),
            args=(app, pipeline), id="learn", name="learn the brand from its reviewers",
            # Soon after a start too (a daemon restarted daily would otherwise never learn);
            # a run with too few new labels since the last one does nothing.
            next_run_time=start + timedelta(seconds=60),
        )
    return scheduler


def register_daemon(app: App, scheduler: BackgroundScheduler) -> None:
    """Before the scheduler starts: record this daemon in the database (on SQLite,
    ConfigError if another daemon is alive there)."""
    sharing = _sharing(scheduler)
    if sharing is not None:
        sharing.start()
    else:
        single_daemon(app)


def _sharing(scheduler: BackgroundScheduler) -> FeedSharing | None:
    job = scheduler.get_job("feeds")
    sharing = getattr(job.func, "__self__", None) if job is not None else None
    return sharing if isinstance(sharing, FeedSharing) else None


def stop_scheduler(app: App, scheduler: BackgroundScheduler) -> None:
    """Stop cleanly: running polls finish their page, then this daemon's leases and its row
    go, so the other daemons take its feeds over at their next tick instead of after the
    lease runs out."""
    sharing = _sharing(scheduler)
    scheduler.shutdown(wait=True)
    if sharing is not None:
        sharing.shutdown()
    try:
        with app.engine.begin() as conn:
            leases.unregister(conn, app.daemon_name)
    except Exception:
        log.warning("could not remove this daemon's row; it lapses after its lease",
                    exc_info=True)


def single_daemon(app: App) -> None:
    """On SQLite: register this daemon, or ConfigError if another one is alive on the same
    database file (two would poll every feed twice and race on its cursor)."""
    now = app.clock()
    lease = timedelta(seconds=app.settings.scheduler.lease_seconds)
    host = socket.gethostname()
    with app.engine.begin() as conn:
        alive = [d for d in leases.live(conn, now, lease) if d.name != app.daemon_name]
        for gone in [d for d in alive if d.host == host and not pid_alive(d.pid)]:
            # Killed on this host: its feed leases go now, not when they would lapse, so
            # this daemon polls them from its first round.
            leases.unregister(conn, gone.name)
        others = [d for d in alive if not (d.host == host and not pid_alive(d.pid))]
        if others:
            d = others[0]
            raise ConfigError(
                f"another daemon ({d.host}, pid {d.pid}, since "
                f"{d.started_at:%Y-%m-%d %H:%M} UTC) is running on this SQLite database; "
                "stop it, or move to PostgreSQL to run several daemons (url = "
                "\"postgresql+psycopg://USER@HOST/DB\")", key="database.url",
                path=app.settings.source)
        leases.register(conn, app.daemon_name, host, os.getpid(), now)
        leases.ensure_rows(conn, {f.name: f.kind for f in app.settings.feeds if f.enabled}, now)


def _heartbeat_job(app: App) -> None:
    try:
        with app.engine.begin() as conn:
            leases.heartbeat(conn, app.daemon_name, socket.gethostname(), os.getpid(),
                             app.clock(), timedelta(seconds=app.settings.scheduler.lease_seconds))
            rollup.compact(conn)  # the /stats and metrics counts: one row per hour again
    except Exception:
        log.warning("daemon heartbeat failed; will retry", exc_info=True)


class FeedSharing:
    """One daemon's part in sharing the feeds on PostgreSQL (see the module docstring)."""

    def __init__(self, app: App, pipeline: Pipeline, feeds: list[FeedSettings]) -> None:
        self.app = app
        self.pipeline = pipeline
        self.feeds = {f.name: f for f in feeds}
        self.lease = timedelta(seconds=app.settings.scheduler.lease_seconds)
        # Often enough that a due feed waits at most a second and a lease is renewed several
        # times before it lapses.
        self.tick_seconds = min(1.0, self.lease.total_seconds() / 4)
        self.name = app.daemon_name
        self.host = socket.gethostname()
        self.running: set[str] = set()
        self.held: set[str] = set()
        self.due: set[str] = set()
        self._lock = threading.Lock()
        self._pool = Pool(max(1, app.settings.scheduler.workers), thread_name_prefix="poll")
        # Detection reads the whole trailing baseline, so it runs once per tick for all the
        # polls that finished since the last one, not once per feed poll. It runs on its own
        # thread so that a long scan never holds up the tick that renews the leases.
        self._polled = False
        self._scanner = Pool(1, thread_name_prefix="incident-scan")
        self._scan: Future[None] | None = None

    def start(self) -> None:
        """Register this daemon and make sure every feed has its row to lease."""
        now = self.app.clock()
        with self.app.engine.begin() as conn:
            leases.ensure_rows(conn, {f.name: f.kind for f in self.feeds.values()}, now)
            leases.register(conn, self.name, self.host, os.getpid(), now)

    def shutdown(self) -> None:
        # Posts of the last polls that no scan saw are scanned by the next daemon's first
        # scan: the scan mark lives in the database.
        self._pool.shutdown(wait=True)
        self._scanner.shutdown(wait=True)

    def tick(self) -> None:
        if self.app.stop.is_set():
            return
        try:
            self._share()
        except Exception:
            # The database may be away: our leases lapse and others carry on; so do we
            # once it is back.
            log.exception("could not renew or take feed leases; will retry")
            return
        for name in sorted(self.due):
            if self.app.stop.is_set():
                return
            with self._lock:
                if name in self.running:
                    continue
            try:
                with self.app.engine.begin() as conn:
                    go = leases.start_poll(conn, name, self.name, self.app.clock(),
                                           timedelta(seconds=self.feeds[name].every))
            except Exception:
                log.exception("could not start the poll of %s", name)
                continue
            if go:
                with self._lock:
                    self.running.add(name)
                future = self._pool.submit(self._poll, self.feeds[name])
                future.add_done_callback(self._done(name))
        self._scan_if_polled()

    def _scan_if_polled(self) -> None:
        """Start one incident scan (and the alerts) if a poll finished since the last
        scan started and no scan is running; otherwise a later tick starts it."""
        with self._lock:
            if not self._polled or (self._scan is not None and not self._scan.done()):
                return
            self._polled = False
        self._scan = self._scanner.submit(self._after_polls)

    def _after_polls(self) -> None:
        self.app.after_poll()  # incident detection and alerts; logs its own failures

    def _done(self, name: str) -> Callable[[Future[None]], None]:
        def done(_f: Future[None]) -> None:
            with self._lock:
                self.running.discard(name)
        return done

    def _share(self) -> None:
        now = self.app.clock()
        with self.app.engine.begin() as conn:
            held = leases.heartbeat(conn, self.name, self.host, os.getpid(), now, self.lease)
            alive = max(1, len(leases.live(conn, now, self.lease)))
            share = math.ceil(len(self.feeds) / alive)
            held &= set(self.feeds)
            if len(held) > share:
                with self._lock:
                    idle = sorted(held - self.running)
                extra = idle[: len(held) - share]
                leases.release(conn, self.name, extra)
                held -= set(extra)
            elif len(held) < share:
                held |= set(leases.claim(conn, self.name, set(self.feeds) - held, now,
                                         self.lease, share - len(held)))
            leases.forget_dead(conn, now, self.lease * 20)
            due = leases.due(conn, self.name, now) & held
        with self.app.engine.begin() as conn:
            rollup.compact(conn)  # the /stats and metrics counts: one row per hour again
        self.held, self.due = held, due

    def _poll(self, feed: FeedSettings) -> None:
        try:
            result = self.app.poll_feed(feed, self.pipeline)
        except Exception:
            log.exception("poll of %s failed; will retry at the next interval", feed.name)
            return
        log.info("%s", result.line())
        with self._lock:
            self._polled = True  # the next tick scans, once for every poll finished by then


def _learn_job(app: App, pipeline: Pipeline) -> None:
    """One learning run once `learn_min_new` labels arrived since the last; after a switch
    the polls classify with the new head."""
    if app.stop.is_set():
        return
    try:
        report = app.learn(min_new=app.settings.classifier.learn_min_new)
    except Exception:
        log.exception("learning from the reviewers' labels failed; will retry at the next "
                      "interval")
        return
    if report.comparison is None:
        log.debug("learn: %s", report.message())
        return
    log.info("learn: %s", report.message())
    if report.switched:
        pipeline.classifier = app.classifier


def _publish_job(app: App) -> None:
    """One round of publishing; max_instances=1 (the job default) keeps rounds apart in this
    process, and the leases in the database keep other daemons off the same items."""
    if app.stop.is_set():
        return
    try:
        results = app.publish()
    except Exception:
        log.exception("publishing failed; will retry at the next interval")
        return
    for result in results:
        log.log(logging.INFO if result.ok else logging.WARNING, "%s", result.line())


def _not_polled(state: FeedState) -> None:
    log.debug("%s is paused (by %s): not polled", state.name, state.paused_by)


def _poll_job(app: App, feed: FeedSettings, pipeline: Pipeline,
              scheduler: BackgroundScheduler) -> None:
    if app.stop.is_set():
        return
    try:
        lease = timedelta(seconds=app.settings.scheduler.lease_seconds)
        with app.engine.begin() as conn:
            held = leases.mark_held(conn, feed.name, feed.kind, app.daemon_name, app.clock(),
                                    lease)
        if not held:
            log.info("%s is being polled by another process (a `poll` run): not polled now",
                     feed.name)
            return
        # A paused feed keeps its job (resuming needs no restart); the job just does nothing.
        if not app.should_poll(feed, _not_polled):
            return
        result = app.poll_feed(feed, pipeline)
    except Exception:
        # The database may be restarting: log it, and the next run of this job tries again.
        log.exception("poll of %s failed; will retry at the next interval", feed.name)
        return
    log.info("%s", result.line())
    app.after_poll()  # detection and alerts; logs its own failures
    job = scheduler.get_job(f"feed:{feed.name}")
    next_run = job.next_run_time if job is not None else None
    try:
        app.note_next_poll(feed, next_run)
    except Exception:
        log.warning("could not save the next poll time of %s", feed.name, exc_info=True)
