"""Page data for /stats: the three charts' categories and series, and the geometry of their
SVG bar charts.

The numbers come from monitor.store.stats (aggregated in the database); this module only
names buckets, fills empty days and lays out bars. Chart geometry is plain data (rectangles
and labels) that the template draws as SVG, so Jinja's autoescape covers every label. This
module must not query tables itself (fold_counts asks monitor.store.rollup) or render HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
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


# --- chart geometry -----------------------------------------------------------------------

@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    texts: list[Text]
    grid: list[tuple[float, float, float, float]]
    total: int


def _nice_max(value: int) -> float:
    """The top of a 4-step axis at or above `value`, on a 1-2-2.5-5 x 10^k step."""
    if value <= 4:
        return 4.0
    magnitude = 1.0
    while True:
        for mult in (1, 2, 2.5, 5):
            step = mult * magnitude
            if step * 4 >= value:
                return step * 4
        magnitude *= 10


def bar_chart(categories: Sequence[str], series: Mapping[str, Sequence[int]], *,
              width: int = 560, height: int = 240, unit: str = "") -> Chart:
    """Stacked vertical bars: one bar per category, one segment per series (in order)."""
    left, right, top, bottom = 34.0, 8.0, 14.0, 26.0
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[i] for s in series.values()) for i in range(len(categories))]
    peak = _nice_max(max(totals, default=0))
    slot = plot_w / max(1, len(categories))
    bar_w = max(4.0, slot * 0.64)
    rects: list[Rect] = []
    texts: list[Text] = []
    grid: list[tuple[float, float, float, float]] = []
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        grid.append((left, y, width - right, y))
        texts.append(Text(left - 6, y + 4, f"{value:g}", anchor="end"))
    for i, name in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for key, values in series.items():
            n = values[i]
            if n <= 0:
                continue
            h = plot_h * n / peak
            y -= h
            rects.append(Rect(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1),
                              f"fill-{key}", _title(name, n, key, len(series), unit)))
        if totals[i]:
            texts.append(Text(round(x + bar_w / 2, 1), round(y - 3, 1), str(totals[i]),
                              css="bar-value"))
        texts.append(Text(round(x + bar_w / 2, 1), height - 8, name))
    return Chart(width=width, height=height, rects=rects, texts=texts, grid=grid,
                 total=sum(totals))


def _title(name: str, n: int, key: str, n_series: int, unit: str) -> str:
    what = key.replace("_", " ") if n_series > 1 else unit
    return f"{name}: {n} {what}".rstrip()


def fold_counts(engine: Engine) -> None:
    """Fold the rollups' deltas into their counts (reads are exact either way; this keeps
    them one row per hour). A failure is not the page's problem."""
    try:
        with engine.begin() as conn:
            store_rollup.compact(conn)
    except DBAPIError:
        log.warning("could not fold the item counts", exc_info=True)


def charts(conn: Connection, now: datetime) -> dict[str, Chart]:
    days, per_label = mentions_per_day(conn, now)
    backlog = backlog_by_age(conn, now)
    decided = decision_times(conn, now)
    return {
        "per_day": bar_chart(days, per_label, width=1100, height=220),
        "backlog": bar_chart([b[0] for b in BACKLOG_BUCKETS], {"warn": backlog},
                             width=600, height=250, unit="pending"),
        "decisions": bar_chart([b[0] for b in DECISION_BUCKETS], {"accent": decided},
                               width=600, height=250, unit="decisions"),
    }
