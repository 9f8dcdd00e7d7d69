"""Incidents in the review app: the queue's banner while one is open, the incident page with
its mentions (escaped), confirm / dismiss / resolve as CSRF-checked admin posts, and the JSON
API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import users as store_users
from monitor.web.app import create_app
from monitor.web.auth import hash_password
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.incidents import traffic
from tests.web.conftest import PASSWORD, csrf_of, sign_in

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
SUMMARY = "Sign-in to the app fails for some customers. We are rolling back the update."
HOSTILE = "@northwindkettles app login error 503 <script>window.__pwned=1</script>"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 30))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 9))
    traffic.write(path, [traffic.row(99_999, HOSTILE, "@mallory",
                                     START + timedelta(hours=28, minutes=20))])
    clock = FakeClock(START + timedelta(hours=30))
    application = App(make_settings(f"sqlite:///{tmp_path / 'w.db'}", jsonl_feed(path),
                                    base_dir=str(tmp_path)), environ={}, clock=clock)
    application.migrate()
    application.poll_all()
    with application.engine.begin() as conn:
        store_users.create(conn, "ann", hash_password(PASSWORD), "reviewer", clock())
        store_users.create(conn, "bob", hash_password(PASSWORD), "admin", clock())
    yield application
    application.close()


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app, secret_key="k" * 40)) as c:
        yield c


def incident_id(app: App) -> int:
    [incident] = app.incidents.listing()
    return int(incident.id)


def test_pages_need_sign_in(client: TestClient, app: App) -> None:
    for path in ("/incidents", f"/incidents/{incident_id(app)}", "/api/incidents"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (303, 401), path


def test_banner_page_and_escaping(client: TestClient, app: App) -> None:
    sign_in(client, "ann")
    queue = client.get("/").text
    number = incident_id(app)
    assert "Possible incident #" in queue and f'href="/incidents/{number}"' in queue
    page = client.get(f"/incidents/{number}").text
    assert "login" in page and page.count('href="/items/') == 10
    assert "<script>window.__pwned" not in page and "&lt;script&gt;" in page
    assert "/confirm" not in page  # a reviewer sees it, an admin acts on it
    assert client.get("/incidents").status_code == 200


def test_admin_confirms_and_resolves_with_csrf(client: TestClient, app: App) -> None:
    number = incident_id(app)
    token = sign_in(client, "ann")
    refused = client.post(f"/incidents/{number}/confirm",
                          data={"summary": SUMMARY, "csrf_token": token},
                          follow_redirects=False)
    assert refused.status_code == 403
    client.get("/logout")
    client.cookies.clear()
    sign_in(client, "bob")
    page = client.get(f"/incidents/{number}").text
    token = csrf_of(page)
    no_csrf = client.post(f"/incidents/{number}/confirm", data={"summary": SUMMARY},
                          follow_redirects=False)
    assert no_csrf.status_code == 403
    bad_link = client.post(f"/incidents/{number}/confirm",
                           data={"summary": SUMMARY, "status_url": "https://evil.example",
                                 "csrf_token": token}, follow_redirects=False)
    assert bad_link.status_code == 400 and "not an allowed status link" in bad_link.text
    done = client.post(f"/incidents/{number}/confirm",
                       data={"summary": SUMMARY, "csrf_token": token}, follow_redirects=True)
    assert done.status_code == 200 and "pending drafts now say" in done.text
    assert SUMMARY in done.text and 'data-incident-key="r"' in done.text
    assert "incident/default" in done.text
    assert "Incident #" in client.get("/").text
    resolved = client.post(f"/incidents/{number}/resolve", data={"csrf_token": token},
                           follow_redirects=True)
    assert "follow-up drafts are in the queue" in resolved.text
    assert "incident/resolved" in resolved.text
    assert "incident #" not in client.get("/").text.lower().replace("incidents", "")


def test_json_api(client: TestClient, app: App) -> None:
    number = incident_id(app)
    token = sign_in(client, "bob")
    listed = client.get("/api/incidents?status=open").json()["incidents"]
    assert [i["id"] for i in listed] == [number]
    one = client.get(f"/api/incidents/{number}").json()
    for key in ("id", "status", "topic", "terms", "count", "first_seen", "last_seen",
                "item_ids"):
        assert key in one
    assert client.get("/api/incidents?status=nope").status_code == 400
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    dismissed = client.post(f"/api/incidents/{number}/dismiss",
                            content=json.dumps({"reason": "test"}), headers=headers)
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    again = client.post(f"/api/incidents/{number}/resolve", headers=headers)
    assert again.status_code == 409
    assert client.get("/api/incidents/999").status_code == 404
