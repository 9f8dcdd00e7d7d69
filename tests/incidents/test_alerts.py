"""Alerts through apprise to a real local HTTP endpoint that records what it receives: a
suggested incident, a feed failing polls in a row, an old pending fix-request; each once,
and a failing target never stops polling."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from monitor.app import App
from monitor.config import AlertsSettings, FeedSettings
from monitor.incidents.alerts import alert_urls
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.incidents import traffic

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
ENV = "COMPLAINT_MONITOR_ALERT_URLS"


class Recorder:
    """An HTTP server on 127.0.0.1 that keeps every request body it gets."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorder.bodies.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hook"

    def titles(self) -> list[str]:
        return [str(b.get("title")) for b in self.bodies]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(db_url: str, tmp_path: Path, clock: FakeClock, urls: str,
          *feeds: FeedSettings) -> App:
    settings = make_settings(db_url, *(feeds or (jsonl_feed(tmp_path / "m.jsonl"),)),
                             base_dir=str(tmp_path))
    app = App(settings, environ={ENV: urls}, clock=clock)
    app.migrate()
    return app


def test_urls_come_from_the_environment() -> None:
    settings = AlertsSettings()
    assert alert_urls(settings, {}) == ()
    assert alert_urls(settings, {ENV: " json://a/b, ntfy://t \n"}) == ("json://a/b", "ntfy://t")


def test_a_suggested_incident_is_alerted_once(db_url: str, tmp_path: Path,
                                              recorder: Recorder) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 28))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 8))
    clock = FakeClock(START + timedelta(hours=28, minutes=30))
    app = build(db_url, tmp_path, clock, recorder.url)
    try:
        app.poll_all()
        [incident] = app.incidents.listing()
        traffic.write(path, traffic.surge(START + timedelta(hours=28, minutes=25), 6,
                                          first_id=20_000))
        clock.advance(minutes=10)
        app.poll_all()  # the same incident grows: no second alert
        app.poll_all()
    finally:
        app.close()
    suggested = [b for b in recorder.bodies if "Possible incident" in str(b.get("title"))]
    assert len(suggested) == 1
    assert f"#{incident.id}" in suggested[0]["title"] and "login" in suggested[0]["title"]
    assert "incidents show" in suggested[0]["message"]


def test_a_failing_target_never_stops_polling(db_url: str, tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 28))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 8))
    app = build(db_url, tmp_path, FakeClock(START + timedelta(hours=28, minutes=30)),
                f"json://127.0.0.1:{closed_port()}/hook")
    try:
        [result] = app.poll_all()
        assert result.ok and result.new == 92
        assert len(app.incidents.listing()) == 1
    finally:
        app.close()
    assert any("could not be delivered" in r.getMessage() for r in caplog.records)


def test_a_failing_feed_and_an_old_fix_request_are_alerted_once(
        db_url: str, tmp_path: Path, recorder: Recorder) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 2))
    missing = jsonl_feed(tmp_path / "missing.jsonl", name="broken")
    clock = FakeClock(START + timedelta(hours=2))
    app = build(db_url, tmp_path, clock, recorder.url, jsonl_feed(path), missing)
    try:
        for _ in range(5):
            app.poll_all()
            clock.advance(hours=2)  # past each back-off, so every round polls both feeds
    finally:
        app.close()
    titles = recorder.titles()
    failing = [t for t in titles if t.startswith("Feed broken failed")]
    assert failing == ["Feed broken failed 3 polls in a row"]
    waited = [t for t in titles if t.startswith("A fix-request has waited")]
    assert len(waited) == 1, titles
