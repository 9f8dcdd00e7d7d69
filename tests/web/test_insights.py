"""/feeds and /stats: feed state in words, and chart numbers that match the database."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.review import insights
from monitor.store import queue as store_queue
from monitor.web import stats


def test_feeds_page_lists_every_configured_feed_with_its_state(
        ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    html = client.get("/feeds").text
    rows = re.findall(r"<tr>\s*<td><strong>([^<]+)</strong>", html)
    assert rows == [f.name for f in app.settings.feeds]
    assert html.count('class="state-ok">ok<') == len(rows)
    assert "fetched 70, new 69" in html


def test_feeds_page_says_when_a_feed_fails(ann: tuple[TestClient, str], app: App) -> None:
    Path(app.settings.feeds[1].options["path"]).unlink()
    [result] = app.poll_all(only="import")
    assert not result.ok
    client, _ = ann
    html = client.get("/feeds").text
    assert 'class="state-failing">failing<' in html
    assert "file not found" in html
    assert "retry 2026-11-24 09:00 UTC" in html  # the back-off time, as next poll


def test_stats_numbers_match_the_queue(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=1000).items
    decided = [i.id for i in items if i.status == "pending"][:5]
    for item_id in decided:
        client.post(f"/items/{item_id}/approve", data={"csrf_token": token})
    now = app.clock()
    with app.engine.connect() as conn:
        days, per_label = insights.mentions_per_day(conn, now)
        backlog = insights.backlog_by_age(conn, now)
        decisions = insights.decision_times(conn, now)
        counts = store_queue.counts_by_status(conn)
    first_day = now.date() - timedelta(days=stats.DAYS - 1)
    in_window = [i for i in items if i.mention.created_at.date() >= first_day]
    assert len(days) == stats.DAYS
    assert sum(sum(v) for v in per_label.values()) == len(in_window)
    for label, values in per_label.items():
        assert sum(values) == sum(1 for i in in_window if i.label == label)
    assert sum(backlog) == counts["pending"]
    assert sum(decisions) == len(decided)
    html = client.get("/stats").text
    assert html.count("<svg") == 3
    assert f"{counts['pending']} waiting" in html
    assert f"{len(decided)} decisions" in html


def test_bar_chart_geometry_stacks_and_scales() -> None:
    chart = stats.bar_chart(["a", "b"], {"x": [3, 0], "y": [1, 2]}, width=200, height=100)
    assert chart.total == 6
    heights = {r.title: r.h for r in chart.rects}
    assert set(heights) == {"a: 3 x", "a: 1 y", "b: 2 y"}
    assert heights["a: 3 x"] == 3 * heights["a: 1 y"]
    # Stacked: the second segment of bar a sits right on top of the first.
    a_x, a_y = (r for r in chart.rects if r.title.startswith("a:"))
    assert round(a_y.y + a_y.h, 1) == a_x.y
