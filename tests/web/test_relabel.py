"""Relabel on the web: the item page's label control (CSRF-checked form, version-checked),
the history line and the queue's marker, the JSON endpoint with its OpenAPI entry, and the
f/v/q/p/n keys in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import queue as store_queue
from monitor.store import users as store_users
from tests.web.conftest import item_ids
from tests.web.test_browser import Live, live, page, sign_in  # noqa: F401 (fixtures)


def _first(app: App, label: str, status: str = "pending") -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        return store_queue.list_items(
            conn, store_queue.QueueFilter(statuses=(status,), label=label), limit=1).items[0]


def _get(app: App, item_id: int) -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        return store_queue.get_item(conn, item_id)


def test_item_page_relabels_with_the_form_and_shows_who_and_from_what(
        ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    vent = _first(app, "venting")
    html = client.get(f"/items/{vent.id}").text
    form = html[html.index('id="relabel-form"'):]
    form = form[:form.index("</form>")]
    assert 'name="csrf_token"' in form and f'name="version" value="{vent.version}"' in form
    buttons = re.findall(r'<button type="submit" name="label" value="(\w+)"[^>]*?'
                         r'data-key="(\w)"( disabled)?', form)
    assert buttons == [("fix_request", "f", ""), ("venting", "v", " disabled"),
                       ("question", "q", ""), ("praise", "p", ""), ("neutral", "n", "")]
    assert "<kbd>f</kbd> <kbd>v</kbd> <kbd>q</kbd> <kbd>p</kbd> <kbd>n</kbd>" in html  # help

    done = client.post(f"/items/{vent.id}/relabel", data={
        "csrf_token": csrf, "version": str(vent.version), "label": "fix_request"},
        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/items/{vent.id}"
    after = _get(app, vent.id)
    assert after.label == "fix_request" and after.draft is not None
    assert after.draft.template.startswith("fix_request/")
    page_html = client.get(f"/items/{vent.id}").text
    assert "Relabelled fix-request (was venting)" in page_html  # the flash
    assert "Relabelled by ann from Venting" in page_html
    history = page_html[page_html.index('id="history"'):]
    assert re.search(r"<strong>ann</strong> <span class=\"action action-relabel\">relabelled"
                     r"</span>\s*<span class=\"detail relabel-detail\">from Venting to Fix "
                     r"request</span>", history)
    assert "(it said Venting)" in page_html

    queue = client.get("/").text
    row = queue[queue.index(f'data-id="{vent.id}"'):]
    row = row[:row.index("</tr>")]
    assert 'class="relabelled-mark" title="relabelled by ann from Venting"' in row
    others = [i for i in item_ids(queue) if i != vent.id]
    assert queue.count("relabelled-mark") == 1 and others


def test_relabel_form_needs_the_csrf_token_and_a_current_version(
        ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    vent = _first(app, "venting")
    forged = client.post(f"/items/{vent.id}/relabel", data={"label": "praise"},
                         follow_redirects=False)
    assert forged.status_code == 403
    wrong = client.post(f"/items/{vent.id}/relabel",
                        data={"label": "praise", "csrf_token": "x" * len(csrf)},
                        follow_redirects=False)
    assert wrong.status_code == 403
    assert _get(app, vent.id).label == "venting"
    ok = client.post(f"/items/{vent.id}/relabel", data={
        "csrf_token": csrf, "version": str(vent.version), "label": "neutral"},
        follow_redirects=False)
    assert ok.status_code == 303
    skipped = _get(app, vent.id)
    assert (skipped.status, skipped.draft) == ("skipped", None)
    stale = client.post(f"/items/{vent.id}/relabel", data={
        "csrf_token": csrf, "version": str(vent.version), "label": "fix_request"})
    assert stale.status_code == 409
    assert _get(app, vent.id).label == "neutral"


def test_api_relabel_with_openapi_entry(anon: TestClient, app: App) -> None:
    with app.engine.begin() as conn:
        user = store_users.by_name(conn, "ann")
        token = store_users.issue_token(conn, user.id, "tests", app.clock())
    auth = {"Authorization": f"Bearer {token}"}
    skipped = _first(app, "neutral", status="skipped")
    response = anon.post(f"/api/items/{skipped.id}/relabel", headers=auth,
                         json={"label": "fix_request", "version": skipped.version})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert (body["status"], body["label"], body["classifier_label"]) == (
        "pending", "fix_request", "neutral")
    assert body["draft"]["template"].startswith("fix_request/")
    assert body["relabelled"]["by"] == "ann" and body["relabelled"]["from"] == "neutral"
    assert body["history"][-1]["action"] == "relabel"
    assert body["history"][-1]["detail"]["to_label"] == "fix_request"
    assert anon.post(f"/api/items/{skipped.id}/relabel", headers=auth, json={
        "label": "venting", "version": skipped.version}).status_code == 409
    assert anon.post(f"/api/items/{skipped.id}/relabel", headers=auth,
                     json={"label": "angry"}).status_code == 422
    approved = anon.post(f"/api/items/{skipped.id}/approve", headers=auth, json={"force": True})
    assert approved.status_code == 200
    refused = anon.post(f"/api/items/{skipped.id}/relabel", headers=auth,
                        json={"label": "venting"})
    assert refused.status_code == 409 and "approved" in refused.text
    with app.engine.connect() as conn:
        after = store_queue.get_item(conn, skipped.id)
    # The item carries the classifier's verdict as ingest stored it, whatever the reviewer did.
    assert (after.label, after.classifier_label) == ("fix_request", "neutral")
    assert after.priority != skipped.priority == after.classifier_priority

    doc = anon.get("/api/openapi.json", headers=auth).json()
    operation = doc["paths"]["/api/items/{item_id}/relabel"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["required"] == ["label"]
    label_schema = schema["properties"]["label"]
    if "$ref" in label_schema:
        label_schema = doc["components"]["schemas"][label_schema["$ref"].rsplit("/", 1)[1]]
    assert label_schema["enum"] == ["fix_request", "venting", "question", "praise", "neutral"]


def test_api_relabel_without_token_needs_the_csrf_header(ann: tuple[TestClient, str],
                                                         app: App) -> None:
    client, csrf = ann
    vent = _first(app, "venting")
    assert client.post(f"/api/items/{vent.id}/relabel",
                       json={"label": "praise"}).status_code == 403
    ok = client.post(f"/api/items/{vent.id}/relabel", json={"label": "praise"},
                     headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["label"] == "praise"


@pytest.mark.browser
def test_keys_f_and_v_relabel_the_open_item(live: Live, page: Any) -> None:  # noqa: F811
    sign_in(page, live)
    vent = _first(live.app, "venting")
    page.goto(f"{live.base}/items/{vent.id}")
    page.keyboard.press("v")  # already venting: nothing is sent
    page.keyboard.press("f")
    page.wait_for_selector("#relabel-note")
    assert "Relabelled by ann from Venting" in page.inner_text("#relabel-note")
    assert _get(live.app, vent.id).label == "fix_request"
    assert page.is_disabled('#relabel-form button[value="fix_request"]')
    page.keyboard.press("v")
    page.wait_for_selector('#relabel-form button[value="venting"][disabled]')
    back = _get(live.app, vent.id)
    assert back.label == "venting" and back.version == vent.version + 2
    assert not page.js_errors
