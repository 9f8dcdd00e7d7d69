"""APScheduler wiring only: one interval job per feed (jitter, coalescing, one instance at a
time), plus one publishing job when `[publish] enabled`. When a feed is polled (and that a
paused feed is skipped) is decided here; what a poll or a publish does lives elsewhere.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config import FeedSettings
from monitor.pipeline import Pipeline
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
    for index, feed in enumerate(f for f in settings.feeds if f.enabled):
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
