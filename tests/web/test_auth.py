"""Sign-in throttling and lockout (stored in the users table), disabled users, the first admin
that `run`/`serve` create, the `users` commands, and `serve` on a real port."""

from __future__ import annotations

import io
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import users as store_users
from monitor.web.auth import LOCK_AFTER, LOCK_SECONDS, lock_for
from monitor.web.server import ensure_first_user, serve
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, csrf_of

ROOT = Path(__file__).resolve().parents[2]


def attempt(client: TestClient, password: str, username: str = "ann") -> tuple[int, str]:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.text


def user(app: App, name: str = "ann") -> store_users.User:
    with app.engine.connect() as conn:
        return store_users.by_name(conn, name)


def test_lock_grows_then_locks_for_a_while() -> None:
    waits = [lock_for(n) for n in range(1, LOCK_AFTER + 1)]
    assert waits[:2] == [0.0, 0.0]
    assert all(a < b for a, b in itertools.pairwise(waits[2:]))
    assert waits[-1] == LOCK_SECONDS


def test_failures_slow_down_then_lock_the_account(anon: TestClient, app: App,
                                                  clock: FakeClock) -> None:
    assert attempt(anon, "wrong one 1")[0] == 401
    assert attempt(anon, "wrong one 2")[0] == 401
    assert user(app).failed_logins == 2 and user(app).locked_until is None
    assert attempt(anon, "wrong one 3")[0] == 401
    # Third failure: a short wait, during which even the right password is refused.
    assert user(app).locked_until == clock() + timedelta(seconds=2)
    status, text = attempt(anon, PASSWORD)
    assert status == 401 and "try again in" in text
    clock.advance(seconds=3)
    assert attempt(anon, PASSWORD)[0] == 303
    assert user(app).failed_logins == 0 and user(app).last_login_at == clock()

    # A run of failures (each after the wait) ends in a long lock.
    anon.cookies.clear()
    last = ""
    for n in range(LOCK_AFTER):
        status, last = attempt(anon, f"guess {n}")
        assert status == 401
        clock.advance(seconds=lock_for(n + 1) + 1 if n + 1 < LOCK_AFTER else 1)
    assert "locked for 15 minutes" in last
    assert user(app).failed_logins == LOCK_AFTER
    status, text = attempt(anon, PASSWORD)
    assert status == 401 and "try again in" in text
    clock.advance(minutes=15)
    assert attempt(anon, PASSWORD)[0] == 303


def test_unknown_users_are_not_told_apart_and_not_locked(anon: TestClient) -> None:
    for _ in range(LOCK_AFTER + 2):
        status, text = attempt(anon, "whatever it is", username="ghost")
        assert status == 401 and "wrong username or password" in text


def test_a_disabled_user_is_signed_out(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    assert client.get("/").status_code == 200
    with app.engine.begin() as conn:
        store_users.set_disabled(conn, user(app).id, True)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert attempt(client, PASSWORD)[0] == 401


def test_first_admin_is_created_once_and_its_password_works(tmp_path: Path,
                                                            clock: FakeClock) -> None:
    from tests.web.conftest import web_settings

    app = App(web_settings(tmp_path), environ={}, clock=clock)
    app.migrate()
    out = io.StringIO()
    password = ensure_first_user(app, out=out)
    assert password and password in out.getvalue() and "admin" in out.getvalue()
    again = io.StringIO()
    assert ensure_first_user(app, out=again) is None and again.getvalue() == ""
    from monitor.web.app import create_app

    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        assert attempt(client, password, username="admin")[0] == 303
        assert "admin" in client.get("/").text
    assert user(app, "admin").is_admin
    app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_a_real_port_and_stops_when_asked(app: App) -> None:
    port = free_port()
    thread = threading.Thread(target=serve, args=(app,),
                              kwargs={"host": "127.0.0.1", "port": port, "announce": False})
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        assert response.status_code == 200
        login = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False, timeout=2)
        assert login.status_code == 303
    finally:
        app.stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()


def run_cli(*args: str, db: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    env["COMPLAINT_MONITOR_DATABASE_URL"] = db
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "monitor", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.slow
def test_users_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    made = run_cli("users", "add", "carol", "--role", "admin", "--password-stdin", db=db,
                   stdin="a long enough secret\n")
    assert made.returncode == 0, made.stderr
    assert "created admin carol" in made.stdout
    dup = run_cli("users", "add", "carol", "--password-stdin", db=db,
                  stdin="a long enough secret\n")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    short = run_cli("users", "add", "dave", "--password-stdin", db=db, stdin="short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    bad = run_cli("users", "add", "<x>", "--password-stdin", db=db, stdin="long enough pw\n")
    assert bad.returncode == 2 and "username" in bad.stderr
    listed = json.loads(run_cli("users", "list", "--format", "json", db=db).stdout)
    assert [(u["username"], u["role"]) for u in listed] == [("carol", "admin")]
    token = run_cli("users", "token", "carol", db=db)
    assert token.returncode == 0 and token.stdout.strip().startswith("cm_")
