"""Helpers for the fault tests: real mention texts, jsonl files, CLI subprocesses, a scripted
HTTP server on 127.0.0.1 and database counts.

The server binds only to 127.0.0.1 on port 0 and keeps its state on the instance. Nothing here
asserts; the tests do.
"""

from __future__ import annotations

import bz2
import csv
import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from monitor.config import FeedSettings, Settings, demo_settings
from monitor.store.schema import classifications, drafts, mentions, review_events, review_items

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
TWACS = SHARED_DATA / "twacs-airline-conversations.csv.bz2"
_WRAPPER = re.compile(r"^\s*<cust__\s*|\s*__cust>\s*$")


def first_tweets(n: int) -> list[str]:
    """The first customer tweet of the first `n` TwACS threads, markers stripped."""
    out: list[str] = []
    with bz2.open(TWACS, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = _WRAPPER.sub("", row["first_utterance"]).replace("__company__", "@northwind")
            text = text.replace("__cust__", "@customer").strip()
            if text:
                out.append(text)
            if len(out) == n:
                break
    return out


def write_jsonl(path: Path, texts: Iterable[str], prefix: str = "m") -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"{prefix}{i}", "text": text, "author": f"@user{i}",
                                 "created_at": "2026-11-24T08:00:00Z"}) + "\n")
    return path


def settings_for(db_url: str, *feeds: FeedSettings, base_dir: str = ".",
                 workers: int = 2) -> Settings:
    """The demo settings (brand, replies) on `db_url` with these feeds."""
    base = demo_settings(base_dir)
    return dataclasses.replace(
        base, database=dataclasses.replace(base.database, url=db_url), feeds=feeds,
        scheduler=dataclasses.replace(base.scheduler, workers=workers),
    )


def write_config(path: Path, db_url: str, feeds: str) -> Path:
    path.write_text(f'[database]\nurl = "{db_url}"\n\n{feeds}', encoding="utf-8")
    return path


def cli_command(config: Path, *args: str) -> list[str]:
    """`complaint-monitor --config CONFIG ARGS` run with this interpreter (python -m monitor
    is the same entry point, and works wherever the package is importable)."""
    return [sys.executable, "-m", "monitor", "--config", str(config), *args]


def cli_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COMPLAINT_MONITOR_DATABASE_URL", None)
    env.pop("COMPLAINT_MONITOR_CONFIG", None)
    return env


def run_cli(config: Path, *args: str, cwd: Path, timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_command(config, *args), cwd=cwd, env=cli_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def distinct(engine: Engine, column: sa.Column[Any]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count(sa.distinct(column)))).scalar_one())


@dataclass(frozen=True)
class Tally:
    """Row counts that together say 'each mention stored, classified, drafted, queued once'."""

    mentions: int
    external_ids: int
    classifications: int
    classified_mentions: int
    items: int
    item_mentions: int
    drafts: int
    drafted_mentions: int
    pending: int
    events: int


def tally(engine: Engine) -> Tally:
    with engine.connect() as conn:
        pending = conn.execute(
            sa.select(sa.func.count()).select_from(review_items)
            .where(review_items.c.status == "pending")
        ).scalar_one()
    return Tally(
        mentions=count(engine, mentions),
        external_ids=distinct(engine, mentions.c.external_id),
        classifications=count(engine, classifications),
        classified_mentions=distinct(engine, classifications.c.mention_id),
        items=count(engine, review_items),
        item_mentions=distinct(engine, review_items.c.mention_id),
        drafts=count(engine, drafts),
        drafted_mentions=distinct(engine, drafts.c.mention_id),
        pending=int(pending),
        events=count(engine, review_events),
    )


def wait_until(predicate: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


# --- a scripted HTTP server ---------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a hang past the client's time-out)


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


Route = Callable[[Seen], Reply]


class ScriptServer:
    """Answers every request with `route`, unless a scripted reply is queued in front of it."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.script: list[Reply] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(parts.path, parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()})
                reply = outer.answer(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            if self.script:
                return self.script.pop(0)
        return self.route(seen)

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def __enter__(self) -> ScriptServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serving(route: Route) -> Iterator[ScriptServer]:
    with ScriptServer(route) as server:
        yield server
