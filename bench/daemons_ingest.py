"""Ingest with several daemons: real mention texts through 1, 2 and 4 `run` daemons sharing
one PostgreSQL database, against bare VADER on the same texts.

The texts are split over 8 jsonl feeds (so every daemon gets a share); each daemon count gets
a fresh database. The daemons start on empty files polled every second; once every daemon holds
its share of the feeds, the full files are moved into place and the clock starts, until the
last mention is stored (start-up, migrations and model loading left out). The rate is given
as a ratio to bare VADER's mentions per second in the same run. Never asserts a time.

    .venv/bin/python bench/daemons_ingest.py [--n 20000] [--daemons 1,2,4]
        [--classifier model|rules]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench._common import (
    command_line,
    database,
    free_port,
    load_texts,
    mention_rows,
    write_jsonl,
)
from bench.ingest import bare_vader

FEEDS = 8


def run(url: str, files: list[Path], daemons: int, n: int, tmp: Path,
        classifier: str) -> tuple[float, int]:
    live = [tmp / f"live-{daemons}-{i}.jsonl" for i in range(len(files))]
    for path in live:
        path.write_text("")
    config = tmp / f"d{daemons}.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[classifier]\nkind = "{classifier}"\n'
        "[scheduler]\nlease_seconds = 10\nworkers = 4\n"
        + "".join(f'[[feeds]]\nname = "f{i}"\nkind = "jsonl"\nevery = "1s"\npath = "{f}"\n'
                  f"page_size = 500\nmax_pages = 10000\n" for i, f in enumerate(live)),
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    env["COMPLAINT_MONITOR_SECRET_KEY"] = "b" * 40
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    engine = sa.create_engine(url)
    procs = [subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run",
                               "--port", str(free_port())], cwd=tmp, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(daemons)]
    first: float | None = None
    stored = 0
    holders = 0
    try:
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                with engine.connect() as conn:
                    stored = conn.execute(sa.text("SELECT count(*) FROM mentions")).scalar_one()
                    holders = conn.execute(sa.text(
                        "SELECT count(DISTINCT lease_owner) FROM feeds")).scalar_one()
                    unheld = conn.execute(sa.text(
                        "SELECT count(*) FROM feeds WHERE lease_owner IS NULL")).scalar_one()
            except sa.exc.DBAPIError:
                continue  # not migrated yet
            if first is None and holders == daemons and unheld == 0:
                time.sleep(3)  # the last daemon's model loads on its first poll
                for full, path in zip(files, live, strict=True):
                    os.replace(full, path)
                first = time.monotonic()
            if first is not None and stored >= n:
                break
        last = time.monotonic()
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
        engine.dispose()
    if stored < n or first is None:
        raise SystemExit(f"{daemons} daemon(s) stored {stored} of {n}")
    return last - first, holders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--daemons", default="1,2,4")
    parser.add_argument("--classifier", default="model")
    args = parser.parse_args()
    print(f"$ {command_line()}")
    texts = load_texts(args.n)
    vader = args.n / bare_vader(texts)
    print(f"bare VADER: {vader:,.0f} mentions/s on {args.n:,} texts (cores: {os.cpu_count()})")
    with tempfile.TemporaryDirectory(prefix="bench-daemons-") as tmpdir:
        tmp = Path(tmpdir)
        per = -(-args.n // FEEDS)
        for k in (int(x) for x in args.daemons.split(",")):
            files = [write_jsonl(tmp / f"f{i}.jsonl",
                                 mention_rows(texts[i * per:(i + 1) * per], prefix=f"f{i}-"))
                     for i in range(FEEDS)]
            with database("postgresql", tmp, f"d{k}") as url:
                seconds, holders = run(url, files, k, args.n, tmp, args.classifier)
            rate = args.n / seconds
            print(f"{k} daemon(s) ({holders} holding feeds), {args.classifier}: "
                  f"{args.n:,} mentions in {seconds:.1f} s = {rate:,.0f}/s; "
                  f"ratio to bare VADER {rate / vader:.2f}", flush=True)


if __name__ == "__main__":
    main()
