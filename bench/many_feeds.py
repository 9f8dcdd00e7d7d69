"""Many-feeds bench: one poll cycle over 200 RSS feeds whose server waits 50 ms per request.

A local server on 127.0.0.1 (port 0) serves 200 RSS feeds (real mention texts, ETag on each)
and sleeps 50 ms before every answer. Measured in one run:
  * the same 200 GETs one after another (the floor for a poll that does not overlap);
  * cycle 1: App.poll_all over the 200 feeds (fetch, parse, classify, draft, store);
  * cycle 2: the same again with nothing new: conditional requests (If-None-Match -> 304).
Target: cycle 1 at most a fifth of the sequential time; cycle 2 cheap. Never asserts a time.

    .venv/bin/python bench/many_feeds.py [--feeds 200] [--items 5] [--delay 0.05]
        [--db sqlite|postgresql] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench._common import command_line, database, load_texts, settings_for, timed, verdict
from monitor.app import App
from monitor.config import FeedSettings

TARGET = 0.2


class FeedServer:
    """200 RSS documents at /feed/N, each answered after `delay` seconds; 304 when the
    client's If-None-Match equals the feed's ETag. Counts statuses it sent."""

    def __init__(self, documents: list[bytes], delay: float) -> None:
        self.documents = documents
        self.delay = delay
        self.statuses: dict[int, int] = {}
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one segment, Nagle off: otherwise delayed ACKs add ~40 ms
            # to every keep-alive request and the sequential baseline is not 50 ms each.
            disable_nagle_algorithm = True
            wbufsize = 65536

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                time.sleep(outer.delay)
                index = int(self.path.rsplit("/", 1)[-1])
                etag = f'"v1-{index}"'
                if self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                else:
                    status, body = 200, outer.documents[index]
                with outer._lock:
                    outer.statuses[status] = outer.statuses.get(status, 0) + 1
                self.send_response(status)
                self.send_header("ETag", etag)
                if status == 200:
                    self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.request_queue_size = 256
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset_counts(self) -> dict[int, int]:
        with self._lock:
            counts, self.statuses = self.statuses, {}
        return counts

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def rss(index: int, texts: list[str], start: datetime) -> bytes:
    items = "".join(
        f"<item><guid>feed{index}-item{i}</guid><title>{escape(text[:60])}</title>"
        f"<description>{escape(text)}</description>"
        f"<link>https://news.example/{index}/{i}</link>"
        f"<pubDate>{format_datetime(start + timedelta(minutes=i))}</pubDate></item>"
        for i, text in enumerate(texts)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Alerts {index}</title><link>https://news.example/{index}</link>"
            f"<description>mentions</description>{items}</channel></rss>").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=5, help="entries per feed")
    parser.add_argument("--delay", type=float, default=0.05, help="server wait per request, s")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=None,
                        help="poll threads (default: the config default, scheduler.workers)")
    args = parser.parse_args()
    print(f"$ {command_line()}")
    texts = load_texts(args.feeds * args.items)
    start = datetime.now(UTC) - timedelta(hours=2)
    docs = [rss(i, texts[i * args.items:(i + 1) * args.items], start) for i in range(args.feeds)]
    server = FeedServer(docs, args.delay)
    try:
        urls = [f"{server.url}/feed/{i}" for i in range(args.feeds)]
        with httpx.Client(timeout=10) as client:
            def sequential() -> None:
                for url in urls:
                    client.get(url).raise_for_status()

            _, seq_s = timed(sequential)
        server.reset_counts()
        print(f"{args.feeds} feeds x {args.items} entries (real mention texts)")
        print(f"{args.feeds} GETs one after another: {seq_s:.2f} s "
              f"({args.delay * 1e3:.0f} ms server wait each)")
        feeds = tuple(FeedSettings(name=f"rss{i}", kind="rss", every=300.0,
                                   options={"url": url}) for i, url in enumerate(urls))
        with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmpdir, \
                database(args.db, Path(tmpdir), "feeds") as url:
            settings = settings_for(url, *feeds, base_dir=tmpdir)
            if args.workers is not None:
                settings = dataclasses.replace(settings, scheduler=dataclasses.replace(
                    settings.scheduler, workers=args.workers))
            app = App(settings, environ={})
            try:
                app.migrate()
                _ = app.classifier, app.drafter
                workers = settings.scheduler.workers
                floor = -(-args.feeds // workers) * args.delay
                print(f"poll threads: scheduler.workers = {workers}; network floor "
                      f"(feeds / threads x wait) {floor:.2f} s = {floor / seq_s:.2f} of "
                      "sequential")
                for cycle in (1, 2):
                    results, seconds = timed(app.poll_all)
                    counts = server.reset_counts()
                    new = sum(r.new for r in results)
                    failed = [r.line() for r in results if not r.ok]
                    ratio = seconds / seq_s
                    shown = verdict(ratio, TARGET, higher_is_better=False) if cycle == 1 else (
                        f"({seconds / args.feeds * 1e3:.1f} ms per feed)")
                    print(f"cycle {cycle}: {seconds:.2f} s, {new} new mentions, "
                          f"HTTP {dict(sorted(counts.items()))}, {len(failed)} failed; "
                          f"cycle/sequential = {ratio:.2f} {shown}")
                    for line in failed[:3]:
                        print(f"    {line}")
            finally:
                app.close()
    finally:
        server.close()


if __name__ == "__main__":
    main()
