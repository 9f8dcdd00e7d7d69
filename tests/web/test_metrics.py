"""GET /metrics: the Prometheus text format, readable with the scrape token or by a
signed-in user and by nobody else; poll counters, queue depth by status and label, the oldest
pending age and the classify and draft latencies."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from monitor.app import App
from monitor.store.schema import review_items
from monitor.web.app import create_app
from tests.conftest import FakeClock
from tests.web.conftest import build_app, sign_in


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_need_the_scrape_token_or_a_sign_in(tmp_path: Path, clock: FakeClock) -> None:
    app = build_app(tmp_path, clock, metrics_token_env="SCRAPE_TOKEN")
    app = dataclasses.replace(app, environ={"SCRAPE_TOKEN": "s3cret-scrape-token"})
    app.migrate()
    results = app.poll_all()  # the polls this process made are counted
    try:
        with TestClient(create_app(app, secret_key="k" * 40)) as client:
            assert client.get("/metrics", follow_redirects=False).status_code in (302, 303, 401)
            bad = client.get("/metrics", headers={"Authorization": "Bearer wrong"},
                             follow_redirects=False)
            assert bad.status_code == 401
            ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
            assert ok.status_code == 200
            assert ok.headers["content-type"].startswith("text/plain")
            got = samples(ok.text)
            for r in results:
                assert got[("complaint_monitor_polls_total", (("feed", r.feed),))] == 1
                assert got[("complaint_monitor_mentions_fetched_total",
                            (("feed", r.feed),))] == r.fetched
            with app.engine.connect() as conn:
                rows = conn.execute(sa.select(review_items.c.status, review_items.c.label,
                                              sa.func.count()).group_by(
                    review_items.c.status, review_items.c.label)).all()
            for status, label, n in rows:
                assert got[("complaint_monitor_queue_items",
                            (("label", label), ("status", status)))] == n
            assert got[("complaint_monitor_oldest_pending_age_seconds", ())] > 0
            assert ("complaint_monitor_classify_seconds_count", ()) in got
            assert ("complaint_monitor_draft_seconds_count", ()) in got
            sign_in(client)
            assert client.get("/metrics").status_code == 200
    finally:
        app.close()


def test_metrics_without_a_token_configured_take_only_a_sign_in(anon: TestClient,
                                                                app: App) -> None:
    assert app.settings.web.metrics_token_env == ""
    assert anon.get("/metrics", follow_redirects=False).status_code in (302, 303, 401)
    sign_in(anon)
    text = anon.get("/metrics").text
    assert re.search(r'^complaint_monitor_queue_items\{label="\w+",status="pending"\} \d',
                     text, re.M)
