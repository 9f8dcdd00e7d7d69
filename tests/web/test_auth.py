"""Sign-in failures answered alike and throttled (never a lock), disabled users, the first admin
that `run`/`serve` create, the `users` commands, and `serve` on a real port."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import users as store_users
from monitor.web.auth import ACCOUNT_FAILURES, REFUSED
from monitor.web.server import ensure_first_user, serve
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, csrf_of

ROOT = Path(__file__).resolve().parents[2]


def attempt(client: TestClient, password: str, username: str = "ann") -> tuple[int, str]:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.text


def page(html: str, username: str) -> str:
    """A sign-in page with what differs per request (CSRF tokens) and the typed name cut."""
    return re.sub(r'((?:csrf_token" value|csrf-token" content)=")[^"]+', r"\1",
                  html).replace(username, "NAME")


def user(app: App, name: str = "ann") -> store_users.User:
    with app.engine.connect() as conn:
        return store_users.by_name(conn, name)


def test_failures_are_answered_alike_and_nobody_can_lock_the_owner_out(
        app: App, clock: FakeClock) -> None:
    """Issue 16 item 3: a real user's failures and an unknown name's get the same answer
    (status and words, one argon2 verification each), the username's limit is a sliding
    window rather than a lock, and a browser that signed in to the account before is not
    held back by someone guessing at its name."""
    from monitor.web.app import create_app

    asgi = create_app(app, secret_key="k" * 40)
    # Addresses apart, so that only the per-username limit is at work.
    owner = TestClient(asgi, client=("10.0.0.1", 5000))
    guesser = TestClient(asgi, client=("10.0.0.2", 5000))
    stranger = TestClient(asgi, client=("10.0.0.3", 5000))
    assert attempt(owner, PASSWORD)[0] == 303  # the owner's browser now knows the account
    answers = set()
    for n in range(ACCOUNT_FAILURES):
        real = attempt(guesser, f"guess {n}")
        ghost = attempt(guesser, f"guess {n}", username="ghost")
        assert real[0] == ghost[0] == 401 and REFUSED in real[1]
        assert page(real[1], "ann") == page(ghost[1], "ghost")
        answers.add(page(real[1], "ann"))
    assert len(answers) == 1
    # Now both names are throttled, in the same words: nothing tells them apart.
    real_status, real_text = attempt(stranger, PASSWORD)
    ghost_status, ghost_text = attempt(stranger, PASSWORD, username="ghost")
    assert real_status == ghost_status == 429
    assert "too many failed sign-ins for this username" in real_text
    assert page(real_text, "ann") == page(ghost_text, "ghost")
    # The owner's browser still gets in with the right password: no lock.
    assert attempt(owner, PASSWORD)[0] == 303
    assert attempt(owner, "a typo")[0] == 401  # its mistakes are still plain failures
    # And the window slides: later the name is free again for everyone.
    clock.advance(minutes=16)
    assert attempt(stranger, PASSWORD)[0] == 303


def test_every_failure_costs_one_verification(app: App, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """Unknown, disabled and real users with a wrong password all verify one hash."""
    from monitor.web.app import create_app

    asgi = create_app(app, secret_key="k" * 40)
    auth = asgi.state.web.auth
    calls: list[str] = []
    original = auth._verify

    def counting(stored: str, password: str) -> bool:
        calls.append(stored)
        return bool(original(stored, password))

    monkeypatch.setattr(auth, "_verify", counting)
    with app.engine.begin() as conn:
        store_users.set_disabled(conn, user(app, "bob").id, True)
    client = TestClient(asgi)
    for name in ("ann", "ghost", "bob"):
        calls.clear()
        assert attempt(client, "not the password", username=name)[0] == 401
        assert len(calls) == 1, name


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
    password = ensure_first_user(app, out=out, terminal=True)
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
    assert "it never expires" in token.stderr
    short_lived = run_cli("users", "token", "carol", "--label", "ci", "--expires-days", "30",
                          db=db)
    assert short_lived.returncode == 0 and "it expires 20" in short_lived.stderr
    assert run_cli("users", "token", "carol", "--expires-days", "0", db=db).returncode == 2
    tokens = json.loads(run_cli("users", "tokens", "carol", "--format", "json", db=db).stdout)
    assert [t["label"] for t in tokens] == ["ci", "api"]
    assert tokens[0]["expires_at"] and tokens[1]["expires_at"] is None
    assert all(t["last_used_at"] is None and not t["expired"] for t in tokens)
    assert "cm_" not in json.dumps(tokens)
    table = run_cli("users", "tokens", db=db).stdout
    assert "LAST USED" in table and "never" in table
    revoked = run_cli("users", "revoke-token", str(tokens[0]["id"]), db=db)
    assert revoked.returncode == 0 and "revoked token" in revoked.stdout
    assert run_cli("users", "revoke-token", str(tokens[0]["id"]), db=db).returncode == 1
    left = json.loads(run_cli("users", "tokens", "--format", "json", db=db).stdout)
    assert [t["label"] for t in left] == ["api"]
