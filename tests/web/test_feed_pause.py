"""Pause and Resume on /feeds: admins only, CSRF-checked, recorded with the admin's name, and
honoured by the next poll."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import feeds as store_feeds
from monitor.web.app import create_app
from tests.conftest import FakeClock
from tests.web.conftest import sign_in


@pytest.fixture
def bob(app: App) -> Iterator[tuple[TestClient, str]]:
    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        yield client, sign_in(client, "bob")


def demo_state(app: App) -> store_feeds.FeedState:
    with app.engine.connect() as conn:
        state = store_feeds.get(conn, "demo")
    assert state is not None
    return state


def test_admin_pauses_and_resumes_a_feed(bob: tuple[TestClient, str], app: App,
                                         clock: FakeClock) -> None:
    client, token = bob
    page = client.get("/feeds").text
    assert 'action="/feeds/demo/pause"' in page and ">Pause</button>" in page

    paused = client.post("/feeds/demo/pause",
                         data={"csrf_token": token, "reason": "supplier <b>outage</b>"},
                         follow_redirects=False)
    assert paused.status_code == 303 and paused.headers["location"] == "/feeds"
    state = demo_state(app)
    assert state.paused and state.paused_by == "bob" and state.paused_at == clock()
    assert state.pause_reason == "supplier <b>outage</b>"
    page = client.get("/feeds").text
    assert "Paused demo" in page  # the flash
    assert "by bob" in page and "supplier &lt;b&gt;outage&lt;/b&gt;" in page
    assert 'action="/feeds/demo/resume"' in page

    told: list[str] = []
    assert app.poll_all("demo", on_paused=lambda s: told.append(s.name)) == []
    assert told == ["demo"]

    clock.advance(minutes=5)
    resumed = client.post("/feeds/demo/resume", data={"csrf_token": token})
    assert resumed.status_code == 200 and "Resumed demo" in resumed.text
    state = demo_state(app)
    assert not state.paused and (state.resumed_by, state.resumed_at) == ("bob", clock())
    assert 'action="/feeds/demo/pause"' in resumed.text


def test_pause_without_the_csrf_token_is_refused(bob: tuple[TestClient, str],
                                                 app: App) -> None:
    client, _ = bob
    for token in (None, "forged-token-forged-token"):
        data = {"reason": "x"} if token is None else {"reason": "x", "csrf_token": token}
        response = client.post("/feeds/demo/pause", data=data, follow_redirects=False)
        assert response.status_code == 403 and "security token" in response.text
    assert not demo_state(app).paused


def test_reviewers_cannot_pause_or_resume(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    page = client.get("/feeds").text
    assert "/pause" not in page and "an admin can pause" in page
    response = client.post("/feeds/demo/pause", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 403 and "only an admin" in response.text.lower()
    assert not demo_state(app).paused
    app.pause_feed("demo", "bob", None)
    response = client.post("/feeds/demo/resume", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 403
    assert demo_state(app).paused
    assert "paused" in client.get("/feeds").text  # reviewers still see the state


def test_unknown_feed_is_a_clear_400(bob: tuple[TestClient, str]) -> None:
    client, token = bob
    response = client.post("/feeds/nosuch/pause", data={"csrf_token": token})
    assert response.status_code == 400 and "no feed named" in response.text
