"""Shared helpers for the ingest, growth, many-feeds and memory benches.

Loads the first customer tweet of each TwACS airline thread straight from
../shared/data/twacs-airline-conversations.csv.bz2 (bz2 + csv, never copied into the repo),
writes them as a jsonl feed file in a temporary folder, builds Settings for a database URL,
and makes throw-away PostgreSQL schemas. It must not measure anything itself and must not
assert on times: each bench prints its own ratios.
"""

from __future__ import annotations

import bz2
import csv
import dataclasses
import json
import os
import re
import shlex
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from monitor.config import FeedSettings, Settings, demo_settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data"
TWACS = DATA_DIR / "twacs-airline-conversations.csv.bz2"
PG_URL = os.environ.get("COMPLAINT_MONITOR_BENCH_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BRAND_HANDLE = "@northwindair"

# The corpus wraps each utterance as "<cust__  __company__  text __cust>"; names are redacted.
_WRAPPER = re.compile(r"^\s*<cust__\s*|\s*__cust>\s*$")
_SPACES = re.compile(r"[ \t]{2,}")

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server the bench starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def status_kb(pid: int, field: str) -> int:
    """A process's memory figure in kB from /proc/PID/status ("VmRSS", "VmHWM")."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def command_line() -> str:
    """The exact command this bench was started with, for the first line of its output."""
    return " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])


def clean_utterance(raw: str) -> str:
    """A TwACS utterance as a mention text: wrapper markers gone, redactions as handles."""
    text = _WRAPPER.sub("", raw)
    text = text.replace("__company__", BRAND_HANDLE).replace("__cust__", "@customer")
    return _SPACES.sub(" ", text).strip()


def load_texts(n: int, path: Path = TWACS) -> list[str]:
    """The first `n` first-customer-tweets of the threads (43,072 exist), cleaned."""
    if not path.is_file():
        raise SystemExit(f"{path} not found: the shared data lives in ../shared/data")
    texts: list[str] = []
    with bz2.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = clean_utterance(row["first_utterance"])
            if text:
                texts.append(text)
            if len(texts) >= n:
                break
    if len(texts) < n:
        raise SystemExit(f"only {len(texts)} texts in {path}, asked for {n}")
    return texts


def mention_rows(texts: Sequence[str], *, prefix: str = "tw",
                 start: datetime | None = None) -> Iterator[dict[str, object]]:
    """jsonl rows (id, text, author, created_at, url) for the texts, ids unique per prefix."""
    base = start or datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    for i, text in enumerate(texts):
        yield {
            "id": f"{prefix}{i}", "text": text, "author": f"@traveller{i % 5000}",
            "created_at": (base + timedelta(seconds=i)).isoformat(),
            "url": f"https://example.social/{prefix}/{i}",
        }


def write_jsonl(path: Path, rows: Iterator[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def jsonl_feed(path: Path, name: str = "import", page_size: int = 1000) -> FeedSettings:
    return FeedSettings(name=name, kind="jsonl", every=60.0,
                        options={"path": str(path), "page_size": page_size})


def settings_for(db_url: str, *feeds: FeedSettings, base_dir: str = ".",
                 workers: int = 8) -> Settings:
    """The demo settings (brand, replies) pointed at `db_url` with these feeds."""
    base = demo_settings(base_dir)
    return dataclasses.replace(
        base,
        database=dataclasses.replace(base.database, url=db_url),
        feeds=tuple(feeds),
        scheduler=dataclasses.replace(base.scheduler, workers=workers),
    )


@contextmanager
def database(kind: str, tmp: Path, name: str = "bench") -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file in `tmp`, or a PostgreSQL schema that is
    dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / (name + '.db')}"
        return
    if kind != "postgresql":
        raise SystemExit(f"--db is sqlite or postgresql, not {kind!r}")
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        raise SystemExit(f"PostgreSQL not reachable at {PG_URL}: {exc.orig}") from exc
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """fn's result and its wall time in seconds (perf_counter)."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by other load."""
    best = float("inf")
    for _ in range(repeat):
        _, seconds = timed(fn)
        best = min(best, seconds)
    return best


def verdict(ratio: float, target: float, *, higher_is_better: bool) -> str:
    ok = ratio >= target if higher_is_better else ratio <= target
    sign = ">=" if higher_is_better else "<="
    return f"{'MET' if ok else 'MISSED'} (target {sign} {target:g})"


def prefill(engine: sa.Engine, n: int, texts: Sequence[str], *, feed: str = "prefill",
            batch: int = 5000, on_batch: Callable[[int], None] | None = None) -> None:
    """Store `n` mentions straight through monitor.store.ingest.store, with SYNTHETIC
    classifications and drafts (no classifier or drafter run): a fast way to make a big
    database whose rows look like real ones (real texts, every label, spread priorities)."""
    from monitor.model import Classification, Draft, Label, Mention, Sentiment, Status
    from monitor.store import feeds as store_feeds
    from monitor.store import ingest

    labels = [Label.FIX_REQUEST, Label.VENTING, Label.PRAISE, Label.NEUTRAL]
    topics = ["delivery", "billing", "account", "product", "outage", "other"]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    with engine.begin() as conn:
        feed_id = store_feeds.ensure(conn, feed, "jsonl", now).id
    for start in range(0, n, batch):
        rows: list[ingest.Processed] = []
        for i in range(start, min(n, start + batch)):
            label = labels[i % 4]
            mention = Mention(
                feed=feed, platform="jsonl", external_id=f"{feed}-{i}",
                text=texts[i % len(texts)], author=f"@traveller{i % 5000}",
                created_at=base + timedelta(seconds=60 * i),
                url=f"https://example.social/pre/{i}",
            )
            classification = Classification(
                label=label, sentiment=Sentiment(0.2, 0.7, 0.1, -0.3),
                topic=topics[i % len(topics)], priority=((i * 7919) % 1000) / 1000,
                reasons=("synthetic",), classifier="prefill",
            )
            draft = None if label is Label.NEUTRAL else Draft(
                f"@traveller{i % 5000} Sorry about that; we have sent you a DM. ^NK",
                f"{label.value}/other")
            status = Status.SKIPPED if draft is None else Status.PENDING
            rows.append(ingest.Processed(mention, classification, draft, status))
        with engine.begin() as conn:
            ingest.store(conn, feed_id, rows, now)
        if on_batch is not None:
            on_batch(start + len(rows))
