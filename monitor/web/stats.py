"""Page data for /stats: the geometry of its three SVG bar charts.

The numbers come from monitor.review.insights (aggregated in the database); this module only
lays out bars. Chart geometry is plain data (rectangles and labels) that the template draws
as SVG, so Jinja's autoescape covers every label. This module must not query the database
or render HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from monitor.review.insights import (
    BACKLOG_BUCKETS,
    DAYS,
    DECISION_BUCKETS,
    DECISION_WINDOW_DAYS,
    LABELS,
    StatsNumbers,
)

# What the /stats template shows beside the charts, named here for the page.
__all__ = ["DAYS", "DECISION_WINDOW_DAYS", "LABELS", "Chart", "Rect", "Text", "bar_chart",
           "charts"]


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


def charts(numbers: StatsNumbers) -> dict[str, Chart]:
    return {
        "per_day": bar_chart(numbers.days, numbers.per_label, width=1100, height=220),
        "backlog": bar_chart([b[0] for b in BACKLOG_BUCKETS], {"warn": numbers.backlog},
                             width=600, height=250, unit="pending"),
        "decisions": bar_chart([b[0] for b in DECISION_BUCKETS], {"accent": numbers.decided},
                               width=600, height=250, unit="decisions"),
    }
