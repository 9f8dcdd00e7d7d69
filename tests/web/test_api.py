"""The JSON API: token auth, the contract's item shape, actions, conflicts, escaping in JSON,
the live check endpoint and the OpenAPI document behind sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import queue as store_queue
from monitor.store import users as store_users
from tests.web.conftest import HOSTILE_TEXT


@pytest.fixture
def token(app: App) -> str:
    with app.engine.begin() as conn:
        user = store_users.by_name(conn, "ann")
        return store_users.issue_token(conn, user.id, "tests", app.clock())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def pending(app: App) -> list[store_queue.QueueItem]:
    with app.engine.connect() as conn:
        return store_queue.list_items(conn, store_queue.QueueFilter(), limit=1000).items


def test_tokens_are_stored_hashed_and_bad_ones_refused(anon: TestClient, app: App,
                                                       token: str) -> None:
    import sqlalchemy as sa

    from monitor.store.schema import api_tokens

    with app.engine.connect() as conn:
        stored = conn.execute(sa.select(api_tokens.c.token_hash)).scalars().all()
    assert token not in stored and store_users.token_digest(token) in stored
    assert anon.get("/api/items", headers=bearer(token + "x")).status_code == 401
    assert anon.get("/api/items", headers={"Authorization": token}).status_code == 401


def test_list_pages_through_the_queue_in_order(anon: TestClient, app: App, token: str) -> None:
    expected = [i.id for i in pending(app)]
    seen: list[int] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 10}
        if after:
            params["after"] = after
        body = anon.get("/api/items", params=params, headers=bearer(token)).json()
        seen.extend(i["id"] for i in body["items"])
        after = body["next"]
        if after is None:
            break
    assert seen == expected
    first = anon.get("/api/items", params={"limit": 1}, headers=bearer(token)).json()["items"][0]
    assert set(first) >= {"id", "status", "label", "priority", "topic", "sentiment", "reasons",
                          "mention", "draft", "version"}
    assert set(first["mention"]) >= {"feed", "platform", "external_id", "url", "author", "text",
                                     "created_at"}
    bad = anon.get("/api/items", params={"label": "angry"}, headers=bearer(token))
    assert bad.status_code == 400 and "unknown label 'angry'" in bad.json()["detail"]


def test_actions_through_the_api_are_audited_and_version_checked(anon: TestClient, app: App,
                                                                 token: str) -> None:
    a, b, c = (i.id for i in pending(app)[:3])
    # Bearer-token calls need no CSRF token: they carry no ambient credentials.
    body = anon.post(f"/api/items/{a}/approve", json={"version": 1}, headers=bearer(token)).json()
    assert body["status"] == "approved" and body["decided_by"] == "ann"
    assert [h["action"] for h in body["history"] if h["actor"] == "ann"] == ["approve"]

    edited = anon.post(f"/api/items/{b}/edit", headers=bearer(token), json={
        "text": "We are sorry about this. We have sent you a DM. ^NK"}).json()
    assert edited["draft"]["text"] == "We are sorry about this. We have sent you a DM. ^NK"
    stale = anon.post(f"/api/items/{b}/reject", json={"version": 1, "reason": "x"},
                      headers=bearer(token))
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]

    rejected = anon.post(f"/api/items/{c}/reject", json={"reason": "spam"},
                         headers=bearer(token)).json()
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == "spam"
    again = anon.post(f"/api/items/{c}/approve", json={}, headers=bearer(token))
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert anon.get("/api/items/987654", headers=bearer(token)).status_code == 404
    empty = anon.post(f"/api/items/{b}/edit", json={"text": ""}, headers=bearer(token))
    assert empty.status_code == 422


def test_session_api_calls_need_the_csrf_header(ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    item = pending(app)[0]
    refused = client.post("/api/check", json={"item_id": item.id, "text": "hi"})
    assert refused.status_code == 403
    ok = client.post("/api/check", json={"item_id": item.id, "text": "hi"},
                     headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200


def test_check_counts_and_checks_the_text_as_typed(ann: tuple[TestClient, str],
                                                   app: App) -> None:
    client, csrf = ann
    item = pending(app)[0]
    assert item.draft is not None

    def check(text: str) -> dict[str, Any]:
        response = client.post("/api/check", json={"item_id": item.id, "text": text},
                               headers={"X-CSRF-Token": csrf})
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    short, longer = check("Thanks"), check("Thanks for telling us")
    assert (short["count"], longer["count"]) == (6, 21)
    assert short["limit"] == longer["limit"] > 0
    assert check(item.draft.text)["violations"] == list(item.draft.violations)
    too_long = check("sorry " * 2000)
    assert too_long["remaining"] < 0 and too_long["violations"]
    assert check("   ")["violations"] == ["A reply cannot be empty"]


def test_hostile_text_cannot_be_read_as_markup_in_json(anon: TestClient, app: App,
                                                       token: str) -> None:
    response = anon.get("/api/items", params={"feed": "import", "status": "all"},
                        headers=bearer(token))
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text and "<img" not in response.text
    assert "\\u003cscript\\u003e" in response.text
    [item] = response.json()["items"]
    assert item["mention"]["text"] == HOSTILE_TEXT  # the data itself is unchanged


def test_openapi_document_is_behind_sign_in_and_describes_the_api(anon: TestClient,
                                                                  token: str) -> None:
    assert anon.get("/api/openapi.json").status_code == 401
    assert anon.get("/openapi.json").status_code == 404
    assert anon.get("/docs").status_code == 404
    doc = anon.get("/api/openapi.json", headers=bearer(token)).json()
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for path, method in (("/api/items", "get"), ("/api/items/{item_id}", "get"),
                         ("/api/items/{item_id}/approve", "post"),
                         ("/api/items/{item_id}/reject", "post"),
                         ("/api/items/{item_id}/edit", "post"), ("/api/check", "post")):
        assert method in paths[path], path
    assert not any(p.startswith(("/items", "/login")) for p in paths)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    schemas = doc["components"]["schemas"]
    assert "version" in schemas["ApproveBody"]["properties"]


def test_a_disabled_users_token_stops_working(anon: TestClient, app: App, token: str) -> None:
    assert anon.get("/api/items", headers=bearer(token)).status_code == 200
    with app.engine.begin() as conn:
        store_users.set_disabled(conn, store_users.by_name(conn, "ann").id, True)
    assert anon.get("/api/items", headers=bearer(token)).status_code == 401
