"""Web limits bench: what the security probe of issue 16 measured, against the real server.

Starts `complaint-monitor serve` on 127.0.0.1 (a fresh SQLite database, the demo config), then
1. sends four 60 MB `POST /api/check` bodies at once with no credentials, declared with
   Content-Length, then four streamed without it (chunked), and reads the server's VmRSS and
   peak VmHWM from /proc before and after: with the body limit, memory stays where it was;
2. sends a 100 MB body with a bogus bearer token: 401 (sign-in before parsing) or 413;
3. times failed sign-ins for the existing `admin` and for an unknown name (median of a few,
   each from a fresh session, under the throttles' limits): the ratio should be near 1.
Prints figures and ratios within this run; never asserts.

    .venv/bin/python bench/web_limits.py [--mb 60] [--parallel 4] [--tries 7]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import free_port, status_kb

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CHUNK = b"x" * (1 << 20)


def body(mb: int) -> Iterator[bytes]:
    for _ in range(mb):
        yield CHUNK


def big_posts(base: str, mb: int, parallel: int, declared: bool) -> list[str]:
    results: list[str] = [""] * parallel

    def one(i: int) -> None:
        headers = {"Content-Type": "application/json"}
        if declared:
            headers["Content-Length"] = str(mb << 20)
        try:
            r = httpx.post(f"{base}/api/check", content=body(mb), headers=headers, timeout=120)
            results[i] = str(r.status_code)
        except httpx.HTTPError as exc:  # the server may close the connection mid-upload
            results[i] = type(exc).__name__

    threads = [threading.Thread(target=one, args=(i,)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def failed_sign_in(base: str, username: str) -> float:
    with httpx.Client(base_url=base, timeout=30) as client:
        match = CSRF.search(client.get("/login").text)
        assert match
        start = time.perf_counter()
        client.post("/login", data={"username": username, "password": "not the password",
                                    "csrf_token": match.group(1)})
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--tries", type=int, default=7, help="sign-ins timed per username "
                                                             "(at most 9: the limit is 10)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cm-web-limits-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    env["COMPLAINT_MONITOR_DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
    env["PYTHONPATH"] = str(ROOT)
    server = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve", "--port", str(port)], cwd=work, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        rss0, hwm0 = status_kb(server.pid, "VmRSS"), status_kb(server.pid, "VmHWM")
        declared = big_posts(base, args.mb, args.parallel, declared=True)
        rss1 = status_kb(server.pid, "VmRSS")
        chunked = big_posts(base, args.mb, args.parallel, declared=False)
        rss2, hwm = status_kb(server.pid, "VmRSS"), status_kb(server.pid, "VmHWM")
        bogus = httpx.post(f"{base}/api/check", content=body(100), timeout=120,
                           headers={"Authorization": "Bearer cm_bogus",
                                    "Content-Type": "application/json"})
        print(f"server RSS at start {rss0 / 1024:.0f} MB (peak so far {hwm0 / 1024:.0f} MB, "
              "argon2's 64 MB while hashing included)")
        print(f"{args.parallel} x {args.mb} MB with Content-Length: {declared}; "
              f"RSS {rss1 / 1024:.0f} MB")
        print(f"{args.parallel} x {args.mb} MB chunked: {chunked}; RSS {rss2 / 1024:.0f} MB, "
              f"peak {hwm / 1024:.0f} MB; RSS after / at start = {rss2 / rss0:.2f}, "
              f"peak after / before = {hwm / hwm0:.2f}")
        print(f"100 MB with a bogus bearer token: {bogus.status_code}")
        real = [failed_sign_in(base, "admin") for _ in range(args.tries)]
        ghost = [failed_sign_in(base, f"ghost{n}") for n in range(args.tries)]
        r, g = statistics.median(real), statistics.median(ghost)
        print(f"failed sign-in, median of {args.tries}: existing user {r * 1000:.0f} ms, "
              f"unknown user {g * 1000:.0f} ms; ratio {r / g:.2f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
