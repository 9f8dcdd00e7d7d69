"""The numbers behind /stats: mentions per day and label, the pending backlog by age and the
decisions by time taken, in named buckets with the empty days filled in.

`Insights` (reached as `App.insights`) reads them in one connection; the counting itself is
aggregated in the database by monitor.store.stats. Laying the numbers out as charts is
monitor.web.stats' work. This module only reads, except `fold_counts`, which folds the
rollups' pending deltas into their hourly rows (the counts read the same either way).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from monitor.model import Label
from monitor.store import rollup as store_rollup
from monitor.store import stats as store_stats

log = logging.getLogger(__name__)

DAYS = 14
DECISION_WINDOW_DAYS = 30
LABELS = tuple(label.value for label in Label)

# (name, upper bound in seconds); the last bucket is open-ended.
BACKLOG_BUCKETS: tuple[tuple[str, float | None], ...] = (
    ("< 1 h", 3600), ("1–4 h", 4 * 3600), ("4–24 h", 86400), ("1–3 d", 3 * 86400),
    ("> 3 d", None),
)
DECISION_BUCKETS: tuple[tuple[str, float | None], ...] = (
    ("< 15 m", 900), ("15–60 m", 3600), ("1–4 h", 4 * 3600), ("4–24 h", 86400),
    ("1–3 d", 3 * 86400), ("> 3 d", None),
)


def mentions_per_day(conn: Connection, now: datetime, days: int = DAYS
                     ) -> tuple[list[str], dict[str, list[int]]]:
    """(day labels 'MM-DD', counts per label per day) for the last `days` days (UTC), oldest
    first, with zeros for days and labels that had no items."""
    start_day = (now - timedelta(days=days - 1)).date()
    start = datetime.combine(start_day, time.min, tzinfo=UTC)
    keys = [start_day + timedelta(days=i) for i in range(days)]
    index = {k: i for i, k in enumerate(keys)}
    series = {label: [0] * days for label in LABELS}
    for row in store_stats.per_day_and_label(conn, start):
        if row.day in index and row.label in series:
            series[row.label][index[row.day]] += row.count
    return [k.isoformat()[5:] for k in keys], series


def backlog_by_age(conn: Connection, now: datetime) -> list[int]:
    """Pending items by the age of their mention, in BACKLOG_BUCKETS order."""
    return store_stats.pending_by_age(conn, now, [bound for _, bound in BACKLOG_BUCKETS])


def decision_times(conn: Connection, now: datetime,
                   days: int = DECISION_WINDOW_DAYS) -> list[int]:
    """Decisions of the last `days` days by time from mention to decision (DECISION_BUCKETS)."""
    return store_stats.decisions_by_time_taken(
        conn, now - timedelta(days=days), [bound for _, bound in DECISION_BUCKETS])


@dataclass(frozen=True, slots=True)
class StatsNumbers:
    """What /stats draws, read in one connection (one consistent view)."""

    days: list[str]
    per_label: dict[str, list[int]]
    backlog: list[int]
    decided: list[int]


@dataclass(frozen=True, slots=True)
class Insights:
    engine: Engine

    def numbers(self, now: datetime) -> StatsNumbers:
        with self.engine.connect() as conn:
            days, per_label = mentions_per_day(conn, now)
            return StatsNumbers(days=days, per_label=per_label,
                                backlog=backlog_by_age(conn, now),
                                decided=decision_times(conn, now))

    def fold_counts(self) -> None:
        """Fold the rollups' deltas into their counts (reads are exact either way; this keeps
        them one row per hour). A failure is not the page's problem."""
        try:
            with self.engine.begin() as conn:
                store_rollup.compact(conn)
        except DBAPIError:
            log.warning("could not fold the item counts", exc_info=True)
