"""Pages bench: is every page as fast at a million items as at ten thousand?

Two databases of the same kind in one run, filled in bulk (PostgreSQL: COPY; SQLite:
executemany) with mentions, classifications, drafts and review items spread over the last 60
days (every label and status, a tenth decided). The triggers of migration 0010 fire during the
fill; their deltas are folded once afterwards, as a running daemon does every tick. Then, signed
in through FastAPI's TestClient, best of N each:

  the queue's first page (GET /), a deep page (GET /?after=<the item 90 % down the queue>),
  an item page (GET /items/ID), /stats, and the API listing (GET /api/items with a token).

Target: each page at most 1.5x its time at ten thousand. Never asserts a time; prints each
figure and its ratio.

    .venv/bin/python bench/pages.py [--big 1000000] [--small 10000] [--db sqlite|postgresql]
        [--repeat 10]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench._common import best_of, command_line, database, load_texts, settings_for, timed, verdict
from monitor.app import App
from monitor.store import rollup
from monitor.store.schema import feeds, review_items

TARGET = 1.5
PASSWORD = "bench password 123"
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
LABELS = ["fix_request", "venting", "question", "praise", "neutral"]
TOPICS = ["delivery", "billing", "account", "product", "outage", "other"]
CHUNK = 50_000


def _naive(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(tzinfo=None)


def _sqlite(value: Any) -> Any:
    """A datetime as SQLAlchemy stores it in SQLite (always with microseconds)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def rows(n: int, texts: list[str], feed_id: int) -> Iterator[tuple[list[tuple[Any, ...]], ...]]:
    """Chunks of (mentions, classifications, drafts, review_items) rows, ids 1..n."""
    rng = random.Random(7)
    span = 60 * 86400
    for start in range(1, n + 1, CHUNK):
        m, c, d, r = [], [], [], []
        for i in range(start, min(n, start + CHUNK - 1) + 1):
            label = LABELS[i % 5]
            created = _naive(NOW - timedelta(seconds=rng.randrange(span)))
            priority = ((i * 7919) % 1000) / 1000
            m.append((i, feed_id, "jsonl", f"pre-{i}", texts[i % len(texts)],
                      f"@traveller{i % 5000}", f"https://example.social/pre/{i}", created,
                      created))
            c.append((i, i, label, TOPICS[i % 6], priority, 0.2, 0.7, 0.1, -0.3,
                      '["synthetic"]', "prefill", created, 0.8, "en"))
            draft_id = None
            if label != "neutral":
                draft_id = i
                d.append((i, i, f"@traveller{i % 5000} Sorry about that; we sent you a DM. ^NK",
                          f"{label}/other", "[]", "system", created))
            if label == "neutral":
                status, decided = "skipped", None
            elif i % 10 == 0:
                status = ("approved", "rejected", "published")[i % 3]
                decided = created + timedelta(seconds=rng.randrange(1, 5 * 86400))
                decided = min(decided, _naive(NOW))
            else:
                status, decided = "pending", None
            r.append((i, i, status, label, TOPICS[i % 6], priority, "prefill", "jsonl", created,
                      draft_id, 1, created, decided or created, "bench" if decided else None,
                      decided, 0.8, "en"))
        yield m, c, d, r


COLUMNS = {
    "mentions": ("id", "feed_id", "platform", "external_id", "text", "author", "url",
                 "created_at", "fetched_at"),
    "classifications": ("id", "mention_id", "label", "topic", "priority", "neg", "neu", "pos",
                        "compound", "reasons", "classifier", "created_at", "confidence",
                        "language"),
    "drafts": ("id", "mention_id", "text", "template", "violations", "created_by",
               "created_at"),
    "review_items": ("id", "mention_id", "status", "label", "topic", "priority", "feed",
                     "platform", "mention_created_at", "draft_id", "version", "created_at",
                     "updated_at", "decided_by", "decided_at", "confidence", "language"),
}


def fill(app: App, n: int, texts: list[str]) -> None:
    with app.engine.begin() as conn:
        conn.execute(sa.insert(feeds).values(name="prefill", kind="jsonl", created_at=NOW))
        feed_id = conn.execute(sa.select(feeds.c.id)).scalar_one()
    postgres = app.engine.dialect.name == "postgresql"
    raw = app.engine.raw_connection()
    try:
        cur = raw.cursor()
        for chunk in rows(n, texts, feed_id):
            for table, data in zip(COLUMNS, chunk, strict=True):
                cols = COLUMNS[table]
                if postgres:
                    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                        for row in data:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" for _ in cols)
                    cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                                    [tuple(_sqlite(v) for v in row) for row in data])
            raw.commit()
        if postgres:
            for table in COLUMNS:  # ids were given: move the sequences past them
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
            raw.commit()
    finally:
        raw.close()
    with app.engine.begin() as conn:
        rollup.compact(conn)
    if postgres:
        with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


class Pages:
    def __init__(self, app: App) -> None:
        from fastapi.testclient import TestClient

        from monitor.store import users as store_users
        from monitor.web.app import create_app
        from monitor.web.auth import hash_password
        from monitor.web.views import encode_cursor

        with app.engine.begin() as conn:
            user = store_users.create(conn, "bench", hash_password(PASSWORD), "reviewer", NOW)
            self.token = store_users.issue_token(conn, user.id, "bench", NOW)
            pending = conn.execute(sa.select(sa.func.count()).select_from(review_items)
                                   .where(review_items.c.status == "pending")).scalar_one()
            deep = conn.execute(
                sa.select(review_items.c.priority, review_items.c.mention_created_at,
                          review_items.c.id).where(review_items.c.status == "pending")
                .order_by(review_items.c.priority.desc(), review_items.c.mention_created_at,
                          review_items.c.id).offset(int(pending * 0.9)).limit(1)).one()
            self.item_id = deep.id
        self.deep = encode_cursor((deep.priority, deep.mention_created_at, deep.id))
        self.client = TestClient(create_app(app, secret_key="k" * 40))
        self.client.__enter__()
        login = self.client.get("/login").text
        csrf = login.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.client.post("/login", data={"username": "bench", "password": PASSWORD,
                                                     "csrf_token": csrf},
                                    follow_redirects=False)
        if response.status_code != 303:
            raise SystemExit(f"could not sign in: {response.status_code}")

    def get(self, url: str, **kwargs: Any) -> Callable[[], None]:
        def fetch() -> None:
            response = self.client.get(url, **kwargs)
            if response.status_code != 200:
                raise SystemExit(f"GET {url}: {response.status_code} {response.text[:300]}")
        return fetch

    def figures(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("queue first page  GET /", self.get("/")),
            ("queue deep page   GET /?after=(90 %)", self.get("/", params={"after": self.deep})),
            ("item page         GET /items/ID", self.get(f"/items/{self.item_id}")),
            ("statistics        GET /stats", self.get("/stats")),
            ("API listing       GET /api/items", self.get(
                "/api/items", headers={"Authorization": f"Bearer {self.token}"})),
        ]

    def close(self) -> None:
        self.client.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=10, help="requests per figure (best of)")
    args = parser.parse_args()
    print(f"$ {command_line()}")
    texts = load_texts(20_000)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmpdir:
        tmp = Path(tmpdir)
        with database(args.db, tmp, "big") as big_url, \
                database(args.db, tmp, "small") as small_url:
            apps = {}
            for name, url, n in (("small", small_url, args.small), ("big", big_url, args.big)):
                app = App(settings_for(url, base_dir=str(tmp)), environ={}, clock=lambda: NOW)
                app.migrate()
                _, seconds = timed(lambda app=app, n=n: fill(app, n, texts))
                print(f"filled {n:,} items in {seconds:.0f} s ({args.db}, bulk)", flush=True)
                apps[name] = app
            small, big = Pages(apps["small"]), Pages(apps["big"])
            for (label, s_fn), (_, b_fn) in zip(small.figures(), big.figures(), strict=True):
                s_fn()
                b_fn()  # warm caches and compiled statements
                s = best_of(args.repeat, s_fn)
                b = best_of(args.repeat, b_fn)
                ratio = b / s
                print(f"{label}: {args.small:,} items {s * 1e3:.1f} ms, {args.big:,} items "
                      f"{b * 1e3:.1f} ms (best of {args.repeat}); ratio {ratio:.2f} "
                      f"{verdict(ratio, TARGET, higher_is_better=False)}", flush=True)
            small.close()
            big.close()
            for app in apps.values():
                app.close()


if __name__ == "__main__":
    main()
