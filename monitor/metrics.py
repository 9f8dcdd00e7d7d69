"""The daemon's Prometheus metrics: counters and latency histograms this process records, in a
registry of its own (one per App; nothing global), plus a collector that reads the queue and
the feed leases from the database at each scrape.

Records and renders only: the HTTP endpoint and who may read it are monitor.web's business,
and the numbers read at a scrape come from a callable handed in (monitor.store.stats), so
this module runs no query itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

PREFIX = "complaint_monitor"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds per mention: rules take microseconds, the model classifier milliseconds, a writer
# model seconds.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                   2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Snapshot:
    """What the database says at a scrape (monitor.store.stats.snapshot)."""

    queue: Mapping[tuple[str, str], int]  # (status, label) -> items
    oldest_pending_seconds: float | None
    leases: Mapping[str, int]  # holder -> feeds held
    daemons: int


class _Database(Collector):
    def __init__(self, read: Callable[[], Snapshot]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        snap = self._read()
        depth = GaugeMetricFamily(f"{PREFIX}_queue_items", "Review items by status and label",
                                  labels=["status", "label"])
        for (status, label), n in sorted(snap.queue.items()):
            depth.add_metric([status, label], n)
        yield depth
        oldest = GaugeMetricFamily(
            f"{PREFIX}_oldest_pending_age_seconds",
            "Age of the oldest pending item's mention (0 with none pending)")
        oldest.add_metric([], snap.oldest_pending_seconds or 0.0)
        yield oldest
        leases = GaugeMetricFamily(f"{PREFIX}_feed_leases", "Feeds held, by daemon",
                                   labels=["holder"])
        for holder, n in sorted(snap.leases.items()):
            leases.add_metric([holder], n)
        yield leases
        daemons = GaugeMetricFamily(f"{PREFIX}_daemons",
                                    "Daemons with a heartbeat within the lease")
        daemons.add_metric([], snap.daemons)
        yield daemons


@dataclass
class Metrics:
    # auto_describe off: registering the database collector must not run its queries (an
    # App builds its metrics before the database is migrated).
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(
        auto_describe=False))

    def __post_init__(self) -> None:
        r = self.registry
        self.polls = Counter(f"{PREFIX}_polls", "Feed polls", ["feed"], registry=r)
        self.poll_failures = Counter(f"{PREFIX}_poll_failures", "Feed polls that failed",
                                     ["feed"], registry=r)
        self.fetched = Counter(f"{PREFIX}_mentions_fetched", "Items fetched from a feed",
                               ["feed"], registry=r)
        self.new = Counter(f"{PREFIX}_mentions_new", "Mentions stored for the first time",
                           ["feed"], registry=r)
        self.classify_seconds = Histogram(f"{PREFIX}_classify_seconds",
                                          "Classifying one mention", registry=r,
                                          buckets=LATENCY_BUCKETS)
        self.draft_seconds = Histogram(f"{PREFIX}_draft_seconds", "Drafting one reply",
                                       registry=r, buckets=LATENCY_BUCKETS)
        self.publish = Counter(f"{PREFIX}_publish", "Publish attempts by outcome",
                               ["outcome"], registry=r)

    def record_poll(self, feed: str, *, ok: bool, fetched: int, new: int) -> None:
        self.polls.labels(feed).inc()
        if not ok:
            self.poll_failures.labels(feed).inc()
        self.fetched.labels(feed).inc(fetched)
        self.new.labels(feed).inc(new)

    def watch_database(self, read: Callable[[], Snapshot]) -> None:
        """Read the queue and leases from the database at each scrape (once per Metrics)."""
        if not getattr(self, "_watching", False):
            self.registry.register(_Database(read))
            self._watching = True

    def render(self) -> bytes:
        return generate_latest(self.registry)
