"""Sign-in throttling per client address: unknown and known usernames alike, 429 with
Retry-After, other addresses unaffected, the window sliding on the app's clock, and the
counts shared by every process on the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.web.app import create_app
from monitor.web.auth import IP_FAILURES, Authenticator, Throttle
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, csrf_of


@contextmanager
def clients(app: App, *addresses: str, limit: int | None = None) -> Iterator[list[TestClient]]:
    """One web app; a test client per (made-up, loopback) peer address."""
    asgi = create_app(app, secret_key="k" * 40)
    if limit is not None:
        asgi.state.web.auth.ip_throttle = Throttle(app.accounts, "address", limit=limit,
                                                   window_seconds=600)
    made = [TestClient(asgi, client=(a, 50000)) for a in addresses]
    try:
        yield made
    finally:
        for c in made:
            c.close()


def attempt(client: TestClient, username: str, password: str) -> tuple[int, str, str | None]:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.text, response.headers.get("retry-after")


def test_the_window_slides_and_counts_addresses_apart(app: App, clock: FakeClock) -> None:
    throttle = Throttle(app.accounts, "address", limit=3, window_seconds=60)
    for _ in range(3):
        assert throttle.retry_after("a", clock()) == 0
        throttle.record_failure("a", clock())
        clock.advance(seconds=10)
    # Now 30 s after the first failure: it leaves the window at 60 s.
    assert throttle.retry_after("a", clock()) == 31
    assert throttle.retry_after("b", clock()) == 0
    assert Throttle(app.accounts, "account", limit=3, window_seconds=60).retry_after(
        "a", clock()) == 0  # an address and a username of the same text are apart
    clock.advance(seconds=31)
    assert throttle.retry_after("a", clock()) == 0


def test_failures_out_of_the_window_are_deleted_and_keys_not_kept_in_clear(
        app: App, clock: FakeClock) -> None:
    import sqlalchemy as sa

    throttle = Throttle(app.accounts, "account", limit=1, window_seconds=60)
    for n in range(50):
        throttle.record_failure(f"typed-password-{n}", clock())
    clock.advance(seconds=61)
    throttle.record_failure("client-49", clock())
    with app.engine.connect() as conn:
        keys = conn.execute(sa.text("SELECT key FROM login_failures")).scalars().all()
    assert len(keys) == 1 and "client" not in keys[0] and len(keys[0]) == 64


def test_processes_on_one_database_count_failures_together(
        db_url: str, clock: FakeClock, tmp_path: Path) -> None:
    """Three web processes (each its own engine and authenticator, as three daemons have)
    allow the limit between them, not the limit each, by address and by username."""
    from tests.conftest import make_settings

    apps = [App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
            for _ in range(3)]
    apps[0].migrate()
    try:
        auths = [Authenticator.build(a.accounts) for a in apps]
        for auth in auths:
            auth.ip_throttle = Throttle(auth.accounts, "address", limit=4, window_seconds=600)
            auth.account_throttle = Throttle(auth.accounts, "account", limit=3,
                                             window_seconds=600)
        answers = [auths[n % 3].login(f"ghost{n}", "wrong", clock(), client="203.0.113.9")
                   for n in range(5)]
        assert [a.retry_after is None for a in answers] == [True] * 4 + [False]
        assert "network address" in answers[-1].message
        named = [auths[n % 3].login("admin", "wrong", clock(), client=f"198.51.100.{n}")
                 for n in range(4)]
        assert [a.retry_after is None for a in named] == [True] * 3 + [False]
        assert "for this username" in named[-1].message
    finally:
        for a in apps:
            a.close()


def test_unknown_usernames_are_throttled_by_default(app: App) -> None:
    with clients(app, "127.0.0.2") as [guesser]:
        for n in range(IP_FAILURES):
            assert attempt(guesser, f"ghost{n}", "whatever it is")[0] == 401
        status, text, retry = attempt(guesser, "ghost", "whatever it is")
        assert status == 429 and retry is not None and int(retry) > 0
        assert "too many failed sign-ins from your network address" in text


def test_throttled_address_is_refused_even_the_right_password_others_are_not(
        app: App, clock: FakeClock) -> None:
    with clients(app, "127.0.0.2", "127.0.0.3", limit=3) as [guesser, colleague]:
        # Unknown usernames count, and so do wrong passwords for a real account.
        assert attempt(guesser, "nobody", "guess one")[0] == 401
        assert attempt(guesser, "ghost", "guess two")[0] == 401
        assert attempt(guesser, "bob", "guess three")[0] == 401
        status, text, retry = attempt(guesser, "ann", PASSWORD)
        assert status == 429 and retry == "601"
        assert "try again in 11 minutes" in text and 'id="password"' in text
        assert guesser.get("/", follow_redirects=False).status_code == 303  # not signed in

        # Another address signs in as usual, to the same account.
        assert attempt(colleague, "ann", PASSWORD)[0] == 303
        assert colleague.get("/").status_code == 200

        clock.advance(minutes=10, seconds=1)
        assert attempt(guesser, "ann", PASSWORD)[0] == 303
