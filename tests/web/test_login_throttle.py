"""Sign-in throttling per client address: unknown and known usernames alike, 429 with
Retry-After, other addresses unaffected, and the window sliding on the app's clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.web.app import create_app
from monitor.web.auth import IP_FAILURES, IpThrottle
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, csrf_of


@contextmanager
def clients(app: App, *addresses: str, limit: int | None = None) -> Iterator[list[TestClient]]:
    """One web app; a test client per (made-up, loopback) peer address."""
    asgi = create_app(app, secret_key="k" * 40)
    if limit is not None:
        asgi.state.web.auth.ip_throttle = IpThrottle(limit=limit, window_seconds=600)
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


def test_the_window_slides_and_counts_addresses_apart(clock: FakeClock) -> None:
    throttle = IpThrottle(limit=3, window_seconds=60)
    for _ in range(3):
        assert throttle.retry_after("a", clock()) == 0
        throttle.record_failure("a", clock())
        clock.advance(seconds=10)
    # Now 30 s after the first failure: it leaves the window at 60 s.
    assert throttle.retry_after("a", clock()) == 31
    assert throttle.retry_after("b", clock()) == 0
    clock.advance(seconds=31)
    assert throttle.retry_after("a", clock()) == 0


def test_tracking_is_bounded(clock: FakeClock) -> None:
    throttle = IpThrottle(limit=1, window_seconds=60, max_tracked=5)
    for n in range(50):
        throttle.record_failure(f"client-{n}", clock())
    assert throttle.retry_after("client-49", clock()) > 0  # the newest are kept
    assert throttle.retry_after("client-0", clock()) == 0


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
