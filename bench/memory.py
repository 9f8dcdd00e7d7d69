"""Memory bench: resident memory of `complaint-monitor run` while its database grows to 200,000.

Starts the real daemon (`run`, scheduler plus web app on 127.0.0.1) on a SQLite database with
a jsonl feed polled every second. Then, step by step, this script (a separate process) grows
the database by 40,000 mentions (direct ingest.store, SYNTHETIC classifications and drafts,
real texts) and appends 1,000 new real mentions to the feed file; once the daemon has stored
them (through its whole pipeline) and served the queue page, it reads the daemon's VmRSS and
VmHWM from /proc/PID/status. Flat memory means nothing loads a whole table. Never asserts.

    .venv/bin/python bench/memory.py [--steps 5] [--step-size 40000] [--per-step 1000]
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa

from bench._common import (
    ROOT,
    command_line,
    free_port,
    load_texts,
    mention_rows,
    prefill,
    settings_for,
    status_kb,
)
from monitor.app import App
from monitor.store.schema import mentions

TARGET_GROWTH = 1.2  # last step's RSS over the first step's, for "flat"


def count_feed(engine: sa.Engine, platform_ids: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(mentions).where(
            mentions.c.external_id.like(f"{platform_ids}%"))).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--step-size", type=int, default=40_000)
    parser.add_argument("--per-step", type=int, default=1_000)
    args = parser.parse_args()
    print(f"$ {command_line()}")
    texts = load_texts(20_000 + args.steps * args.per_step + args.per_step)
    pool, fresh = texts[:20_000], texts[20_000:]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmpdir:
        tmp = Path(tmpdir)
        url = f"sqlite:///{tmp / 'memory.db'}"
        feed_file = tmp / "live.jsonl"
        feed_file.write_text("", encoding="utf-8")
        port = free_port()
        config = tmp / "config.toml"
        config.write_text(
            f'[database]\nurl = "{url}"\n\n[scheduler]\njitter_seconds = 0.1\n\n'
            f'[[feeds]]\nname = "live"\nkind = "jsonl"\nevery = "1s"\npath = "{feed_file}"\n',
            encoding="utf-8")
        app = App(settings_for(url, base_dir=tmpdir), environ={})
        app.migrate()
        exe = ROOT / ".venv" / "bin" / "complaint-monitor"
        log = (tmp / "daemon.log").open("w")
        daemon = subprocess.Popen([str(exe), "--config", str(config), "run", "--host",
                                   "127.0.0.1", "--port", str(port)], cwd=tmp, stdout=log,
                                  stderr=subprocess.STDOUT)
        rows = list(mention_rows(fresh, prefix="live"))
        total_live = 0
        first_rss = 0
        try:
            deadline = time.monotonic() + 60
            while True:  # wait for the web app to listen
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).raise_for_status()
                    break
                except httpx.TransportError:
                    if daemon.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the daemon did not start; its log:\n"
                                         + (tmp / "daemon.log").read_text()[-3000:]) from None
                    time.sleep(0.2)
            print(f"{'DB mentions':>12} {'VmRSS MB':>9} {'VmHWM MB':>9}  (daemon pid {daemon.pid})")
            for step in range(args.steps + 1):
                if step > 0:
                    prefill(app.engine, args.step_size, pool, feed=f"prefill{step}")
                with feed_file.open("a", encoding="utf-8") as fh:
                    for row in rows[total_live:total_live + args.per_step]:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                total_live += args.per_step
                deadline = time.monotonic() + 300
                while count_feed(app.engine, "live") < total_live:
                    if daemon.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the daemon stopped or fell behind; see its log:\n"
                                         + (tmp / "daemon.log").read_text()[-3000:])
                    time.sleep(0.2)
                # The review page is part of the daemon's work too.
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).raise_for_status()
                httpx.get(f"http://127.0.0.1:{port}/login", timeout=10).raise_for_status()
                with app.engine.connect() as conn:
                    n = int(conn.execute(sa.select(sa.func.count()).select_from(mentions)
                                         ).scalar_one())
                rss = status_kb(daemon.pid, "VmRSS")
                first_rss = first_rss or rss
                print(f"{n:>12,} {rss / 1024:>9.1f} {status_kb(daemon.pid, 'VmHWM') / 1024:>9.1f}",
                      flush=True)
            ratio = rss / first_rss
            print(f"VmRSS last/first = {ratio:.2f} "
                  f"({'FLAT' if ratio <= TARGET_GROWTH else 'GROWING'}: "
                  f"target <= {TARGET_GROWTH} while the database grew "
                  f"to {n:,} mentions)")
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                code = daemon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                daemon.kill()
                code = daemon.wait()
            print(f"daemon stopped by SIGTERM with exit code {code}")
            log.close()
            app.close()


if __name__ == "__main__":
    main()
