"""Growth bench: does the monitor stay fast as its database grows?

1. Ingest: the per-mention cost of polling 5,000 new real mentions (jsonl feed, the whole
   pipeline) into a database already holding 200,000 mentions, against the same into an empty
   one. Target: ratio at most 1.3.
2. Reading: `complaint-monitor queue list --limit 50` (in process, through the click command)
   and the web queue page (GET / signed in, FastAPI TestClient) with 200,000 items against
   1,000. Target: ratio at most 1.5.

The 200,000 (and 1,000) pre-filled mentions are stored straight through
monitor.store.ingest.store with SYNTHETIC classifications and drafts (real texts), which is
far faster than the pipeline; the measured ingests go through the real pipeline. Never asserts
a time; prints each figure and its ratio.

    .venv/bin/python bench/growth.py [--big 200000] [--small 1000] [--new 5000]
        [--db sqlite|postgresql] [--profile] [--vacuum]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    best_of,
    command_line,
    database,
    jsonl_feed,
    load_texts,
    mention_rows,
    prefill,
    settings_for,
    timed,
    verdict,
    write_jsonl,
)
from monitor.app import App

INGEST_TARGET = 1.3
READ_TARGET = 1.5
PASSWORD = "bench password 123"


def ingest_seconds(app: App, tmp: Path, texts: list[str], tag: str) -> float:
    """Seconds per mention to poll `texts` as new mentions through the whole pipeline."""
    feed_file = write_jsonl(tmp / f"new-{tag}.jsonl", mention_rows(texts, prefix=f"{tag}-"))
    feed = jsonl_feed(feed_file, name=f"new-{tag}")
    result, seconds = timed(lambda: app.poll_feed(feed))
    if not result.ok or result.new != len(texts):
        raise SystemExit(f"ingest {tag} went wrong: {result.line()}")
    return seconds / len(texts)


class Reader:
    """The two read paths, warmed up, against one database."""

    def __init__(self, app: App, config: Path) -> None:
        from click.testing import CliRunner
        from fastapi.testclient import TestClient

        from monitor.cli import _register, cli
        from monitor.store import users as store_users
        from monitor.web.app import create_app
        from monitor.web.auth import hash_password

        if "queue" not in cli.commands:
            _register()
        self._cli, self._runner, self._config = cli, CliRunner(), config
        with app.engine.begin() as conn:
            store_users.create(conn, "bench", hash_password(PASSWORD), "reviewer", app.clock())
        self.client = TestClient(create_app(app, secret_key="k" * 40))
        self.client.__enter__()
        login = self.client.get("/login").text
        token = login.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.client.post("/login", data={"username": "bench", "password": PASSWORD,
                                                     "csrf_token": token},
                                    follow_redirects=False)
        if response.status_code != 303:
            raise SystemExit(f"could not sign in to the web app: {response.status_code}")

    def queue_list(self) -> None:
        result = self._runner.invoke(self._cli, ["--config", str(self._config), "queue", "list",
                                                 "--limit", "50"])
        if result.exit_code != 0 or result.output.count("\n") < 50:
            raise SystemExit(f"queue list failed: {result.output[-500:]}")

    def web_page(self) -> None:
        response = self.client.get("/")
        if response.status_code != 200 or "/items/" not in response.text:
            raise SystemExit(f"queue page failed: {response.status_code}")

    def close(self) -> None:
        self.client.__exit__(None, None, None)


def make_app(url: str, tmp: Path) -> tuple[App, Path]:
    config = tmp / f"{abs(hash(url))}.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    app = App(settings_for(url, base_dir=str(tmp)), environ={})
    app.migrate()
    return app, config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--new", type=int, default=5_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20, help="reads per figure (best of)")
    parser.add_argument("--profile", action="store_true",
                        help="time the web page's queries; cProfile queue list")
    parser.add_argument("--vacuum", action="store_true",
                        help="PostgreSQL: VACUUM ANALYZE after the pre-fill")
    args = parser.parse_args()
    print(f"$ {command_line()}")
    texts = load_texts(20_000 + 4 * args.new)
    pool, fresh = texts[:20_000], texts[20_000:]
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmpdir:
        tmp = Path(tmpdir)
        with database(args.db, tmp, "big") as big_url, \
                database(args.db, tmp, "small") as small_url:
            big, big_cfg = make_app(big_url, tmp)
            small, small_cfg = make_app(small_url, tmp)
            for app in (big, small):
                _ = app.classifier, app.drafter  # start-up is not per-mention work
            _, fill_s = timed(lambda: prefill(
                big.engine, args.big, pool,
                on_batch=lambda k: print(f"  pre-filled {k:,}", flush=True)
                if k % 50_000 == 0 else None))
            print(f"pre-filled {args.big:,} mentions in {fill_s:.0f} s ({args.db}; direct "
                  "ingest.store with synthetic classifications and drafts)")
            prefill(small.engine, args.small, pool)
            if args.vacuum and args.db == "postgresql":
                for app in (big, small):
                    with app.engine.connect().execution_options(
                            isolation_level="AUTOCOMMIT") as conn:
                        conn.exec_driver_sql("VACUUM ANALYZE")
                print("ran VACUUM ANALYZE after the pre-fill (what autovacuum does in time)")
            # Empty first (the small DB starts empty: its pre-fill comes after), alternating,
            # and the best of two rounds each, to damp other load on the machine.
            chunks = [fresh[i * args.new:(i + 1) * args.new] for i in range(4)]
            with database(args.db, tmp, "empty") as empty_url:
                empty, _ = make_app(empty_url, tmp)
                _ = empty.classifier, empty.drafter
                e1 = ingest_seconds(empty, tmp, chunks[0], "e1")
                b1 = ingest_seconds(big, tmp, chunks[1], "b1")
                e2 = ingest_seconds(empty, tmp, chunks[2], "e2")
                b2 = ingest_seconds(big, tmp, chunks[3], "b2")
                empty.close()
            e, b = min(e1, e2), min(b1, b2)
            ratio = b / e
            print(f"ingest {args.new:,} new mentions (whole pipeline): empty DB "
                  f"{e * 1e6:.0f} us/mention (runs {e1 * 1e6:.0f}, {e2 * 1e6:.0f}), "
                  f"{args.big:,}-mention DB {b * 1e6:.0f} us/mention (runs {b1 * 1e6:.0f}, "
                  f"{b2 * 1e6:.0f}); ratio {ratio:.2f} "
                  f"{verdict(ratio, INGEST_TARGET, higher_is_better=False)}")

            big_reader, small_reader = Reader(big, big_cfg), Reader(small, small_cfg)
            for name, attr in (("queue list --limit 50", "queue_list"),
                               ("web queue page GET /", "web_page")):
                for reader in (big_reader, small_reader):
                    getattr(reader, attr)()  # warm caches and compiled statements
                s_small = best_of(args.repeat, getattr(small_reader, attr))
                s_big = best_of(args.repeat, getattr(big_reader, attr))
                ratio = s_big / s_small
                print(f"{name}: {args.small:,} items {s_small * 1e3:.1f} ms, "
                      f"{args.big + 2 * args.new:,} items {s_big * 1e3:.1f} ms "
                      f"(best of {args.repeat}); ratio {ratio:.2f} "
                      f"{verdict(ratio, READ_TARGET, higher_is_better=False)}")
            if args.profile:
                # The page runs two queries; time each on both databases (best of N).
                from monitor.store import queue as store_queue
                from monitor.store import stats as store_stats

                def page_query(app: App) -> None:
                    with app.engine.connect() as conn:
                        store_queue.list_items(conn, store_queue.QueueFilter(), limit=50)

                def counts_query(app: App) -> None:
                    with app.engine.connect() as conn:
                        store_stats.status_counts(conn)

                queries: list[tuple[str, Callable[[App], None]]] = [
                    ("list_items(limit=50)", page_query),
                    ("status_counts (capped at 10,000 each)", counts_query)]
                for label, fn in queries:
                    small_s = best_of(args.repeat, functools.partial(fn, small))
                    big_s = best_of(args.repeat, functools.partial(fn, big))
                    print(f"    {label}: {small_s * 1e3:.1f} ms vs {big_s * 1e3:.1f} ms")
                profiler = cProfile.Profile()
                for _ in range(5):
                    profiler.runcall(big_reader.queue_list)
                print("    cProfile of queue list on the big database, top 12 by own time:")
                pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
            big_reader.close()
            small_reader.close()
            big.close()
            small.close()


if __name__ == "__main__":
    main()
