"""`run` as a process: polls on schedule and stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: object, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def mentions_in(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("select count(*) from mentions").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_polls_and_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    feed = tmp_path / "m.jsonl"
    feed.write_text("".join(
        json.dumps({"id": str(i), "text": f"my order {i} never arrived", "author": f"@u{i}",
                    "created_at": "2026-11-24T08:00:00Z"}) + "\n" for i in range(50)))
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[database]\nurl = "sqlite:///monitor.db"\n'
        '[scheduler]\njitter_seconds = 0.1\n'
        '[[feeds]]\nname = "import"\nkind = "jsonl"\nevery = "1s"\npath = "m.jsonl"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "run", "--port",
         str(free_port())],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert wait_for(lambda: mentions_in(tmp_path / "monitor.db") == 50), "nothing polled"
        with feed.open("a") as fh:  # the next scheduled poll picks up new lines
            fh.write(json.dumps({"id": "late", "text": "still waiting for my refund",
                                 "author": "@late"}) + "\n")
        assert wait_for(lambda: mentions_in(tmp_path / "monitor.db") == 51), "no second poll"
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped cleanly" in err
    assert "Traceback" not in err


def test_a_second_run_on_the_same_sqlite_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.jsonl").write_text("")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[database]\nurl = "sqlite:///monitor.db"\n[classifier]\nkind = "rules"\n'
        '[[feeds]]\nname = "import"\nkind = "jsonl"\nevery = "1s"\npath = "m.jsonl"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(cfg), "run", "--port",
             str(free_port())],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def registered() -> bool:
        try:
            with sqlite3.connect(tmp_path / "monitor.db", timeout=5) as conn:
                return bool(conn.execute("select count(*) from daemons").fetchone()[0])
        except sqlite3.OperationalError:
            return False

    first = start()
    try:
        assert wait_for(registered), "the first daemon never registered"
        second = start()
        _out, err = second.communicate(timeout=60)
        assert second.returncode == 2, err
        assert "PostgreSQL" in err and "database.url" in err
        assert "Traceback" not in err
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
        assert first.returncode == 0
        assert not registered()  # a clean stop leaves no row behind
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
