"""Route tests for the pages: sign-in everywhere, CSRF, review actions with history, conflicts,
escaping of hostile mentions, queue filters and keyset pages."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import queue as store_queue
from monitor.web.app import create_app
from tests.conftest import FakeClock
from tests.web.conftest import (
    HOSTILE_TEXT,
    PASSWORD,
    build_app,
    csrf_of,
    item_ids,
    sign_in,
)


def pending_ids(app: App) -> list[int]:
    with app.engine.connect() as conn:
        page = store_queue.list_items(conn, store_queue.QueueFilter(), limit=1000)
    return [i.id for i in page.items]


def get_item(app: App, item_id: int) -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        return store_queue.get_item(conn, item_id)


def history(app: App, item_id: int) -> list[store_queue.Event]:
    """The reviewers' events (the pipeline's own 'queued' event left out)."""
    with app.engine.connect() as conn:
        return [e for e in store_queue.history(conn, item_id) if e.actor != "system"]


def hostile_id(app: App) -> int:
    with app.engine.connect() as conn:
        page = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None, feed="import"),
                                      limit=5)
    [item] = page.items
    return item.id


def test_healthz_answers_without_login(anon: TestClient) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_every_page_and_api_call_needs_a_signed_in_user(anon: TestClient, app: App) -> None:
    some_id = pending_ids(app)[0]
    for path in ("/", f"/items/{some_id}", "/feeds", "/stats", "/logout", "/?status=all"):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
    for path in ("/api/items", f"/api/items/{some_id}", "/api/openapi.json"):
        response = anon.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
    # A form post with a valid CSRF token but no user is sent to sign in, and changes nothing.
    token = csrf_of(anon.get("/login").text)
    response = anon.post(f"/items/{some_id}/approve", data={"csrf_token": token},
                         follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert get_item(app, some_id).status == "pending"


def test_login_sets_a_hardened_cookie_and_returns_to_next(anon: TestClient, app: App) -> None:
    token = csrf_of(anon.get("/login").text)
    some_id = pending_ids(app)[0]
    response = anon.post("/login", data={"username": "ann", "password": PASSWORD,
                                         "csrf_token": token, "next": f"/items/{some_id}"},
                         follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/items/{some_id}"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    # The CSRF token changes at sign-in (no fixation of a pre-login token).
    assert csrf_of(anon.get("/").text) != token


def test_login_never_redirects_off_site(anon: TestClient) -> None:
    token = csrf_of(anon.get("/login").text)
    response = anon.post("/login", data={"username": "ann", "password": PASSWORD,
                                         "csrf_token": token, "next": "//evil.example/x"},
                         follow_redirects=False)
    assert response.headers["location"] == "/"


def test_cookie_is_secure_under_https(tmp_path: Path, clock: FakeClock, template: Path) -> None:
    app = build_app(tmp_path / "https", clock, template, https=True)
    try:
        with TestClient(create_app(app, secret_key="s" * 40), base_url="https://testserver") as c:
            token = csrf_of(c.get("/login").text)
            response = c.post("/login", data={"username": "ann", "password": PASSWORD,
                                              "csrf_token": token}, follow_redirects=False)
            assert "secure" in response.headers["set-cookie"].lower()
    finally:
        app.close()


def test_wrong_password_is_refused_without_saying_which_part(anon: TestClient) -> None:
    token = csrf_of(anon.get("/login").text)
    wrong = anon.post("/login", data={"username": "ann", "password": "nope nope nope",
                                      "csrf_token": token})
    unknown = anon.post("/login", data={"username": "nobody", "password": "nope nope nope",
                                        "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong username or password" in wrong.text
    assert "wrong username or password" in unknown.text
    assert anon.get("/", follow_redirects=False).status_code == 303


def test_a_post_without_csrf_token_is_refused(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    item_id = pending_ids(app)[0]
    for data in ({}, {"csrf_token": "forged-token-forged-token-forged"}):
        for action in ("approve", "reject", "edit"):
            response = client.post(f"/items/{item_id}/{action}",
                                   data={**data, "text": "hi", "reason": "x"})
            assert response.status_code == 403, (action, data)
            assert "security token" in response.text
    assert get_item(app, item_id).status == "pending"
    assert history(app, item_id) == []
    # The login form and logout need it too.
    assert client.post("/logout").status_code == 403
    assert client.post("/login", data={"username": "ann", "password": PASSWORD}
                       ).status_code == 403


def test_approve_moves_on_to_the_next_item_and_is_audited(ann: tuple[TestClient, str],
                                                          app: App) -> None:
    client, token = ann
    first, second = pending_ids(app)[:2]
    page = client.get(f"/items/{first}")
    version = get_item(app, first).version
    assert f'name="version" value="{version}"' in page.text
    response = client.post(f"/items/{first}/approve",
                           data={"csrf_token": token, "version": str(version)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/items/{second}"
    item = get_item(app, first)
    assert item.status == "approved" and item.decided_by == "ann"
    [event] = history(app, first)
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        "ann", "approve", "pending", "approved")
    nxt = client.get(response.headers["location"])
    assert f"Approved item {first}." in nxt.text
    assert first not in item_ids(client.get("/").text)


def test_edit_saves_a_new_draft_and_approve_with_changed_text_edits_first(
        ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    item_id = pending_ids(app)[0]
    before = get_item(app, item_id)
    assert before.draft is not None
    text = "Sorry about this. We have sent you a DM so we can sort out the order. ^NK"
    response = client.post(f"/items/{item_id}/edit",
                           data={"csrf_token": token, "version": str(before.version),
                                 "text": text})
    assert response.status_code == 200  # followed the redirect back to the item
    after = get_item(app, item_id)
    assert after.draft is not None and after.draft.text == text
    assert after.status == "pending" and after.version == before.version + 1
    assert "Draft saved" in response.text
    assert [e.action for e in history(app, item_id)] == ["edit"]
    # History is shown on the page, with the previous draft kept.
    assert re.search(r'class="action action-edit">edit<', response.text)
    assert "2 drafts of this reply" in response.text

    changed = text.replace("Sorry", "Apologies")
    client.post(f"/items/{item_id}/approve",
                data={"csrf_token": token, "version": str(after.version), "text": changed})
    final = get_item(app, item_id)
    assert final.status == "approved" and final.draft is not None
    assert final.draft.text == changed
    assert [e.action for e in history(app, item_id)] == ["edit", "edit", "approve"]


def test_reject_keeps_the_reason_in_the_item_and_history(ann: tuple[TestClient, str],
                                                        app: App) -> None:
    client, token = ann
    item_id = pending_ids(app)[0]
    client.post(f"/items/{item_id}/reject",
                data={"csrf_token": token, "reason": "already answered by phone",
                      "version": str(get_item(app, item_id).version)})
    item = get_item(app, item_id)
    assert item.status == "rejected" and item.reject_reason == "already answered by phone"
    [event] = history(app, item_id)
    assert event.detail == {"reason": "already answered by phone"}
    page = client.get(f"/items/{item_id}").text
    assert "already answered by phone" in page
    assert "Back to the queue" in page  # reopen is offered


def test_second_reviewer_gets_409_and_nothing_is_overwritten(app: App) -> None:
    with TestClient(create_app(app, secret_key="k" * 40)) as one, \
            TestClient(create_app(app, secret_key="k" * 40)) as two:
        t1, t2 = sign_in(one, "ann"), sign_in(two, "bob")
        item_id = pending_ids(app)[0]
        version = str(get_item(app, item_id).version)
        one.get(f"/items/{item_id}")
        two.get(f"/items/{item_id}")
        assert one.post(f"/items/{item_id}/edit", data={
            "csrf_token": t1, "version": version,
            "text": "We are sorry. We have sent you a DM to sort it out. ^NK"}).status_code == 200
        late = two.post(f"/items/{item_id}/reject", data={
            "csrf_token": t2, "version": version, "reason": "dup"})
        assert late.status_code == 409
        assert "changed by someone else" in late.text
        assert f'href="/items/{item_id}"' in late.text  # a way back to reload it
        item = get_item(app, item_id)
        assert item.status == "pending" and item.reject_reason is None
        assert [e.actor for e in history(app, item_id)] == ["ann"]


def test_illegal_action_is_a_clear_409(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    item_id = pending_ids(app)[0]
    client.post(f"/items/{item_id}/approve", data={"csrf_token": token})
    again = client.post(f"/items/{item_id}/reject", data={"csrf_token": token})
    assert again.status_code == 409 and "Cannot reject an item that is approved" in again.text


def test_missing_item_is_404(ann: tuple[TestClient, str]) -> None:
    client, _ = ann
    response = client.get("/items/999999")
    assert response.status_code == 404 and "No review item 999999" in response.text


def test_hostile_mention_is_shown_as_text(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    evil = hostile_id(app)
    for html in (client.get(f"/items/{evil}").text, client.get("/?feed=import").text):
        assert "<script>window.__pwned" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert 'href="javascript:' not in html
    page = client.get(f"/items/{evil}").text
    assert "&lt;script&gt;window.__pwned = 1; alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in page
    assert "@mallory&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript:' not in page  # the post's link is not http(s): not a link
    assert HOSTILE_TEXT not in page


def test_pages_send_a_strict_content_security_policy(ann: tuple[TestClient, str]) -> None:
    client, _ = ann
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/").headers["x-content-type-options"] == "nosniff"


def test_queue_is_in_priority_order_and_pages_cover_it_once(tmp_path: Path, clock: FakeClock,
                                                           template: Path) -> None:
    app = build_app(tmp_path / "paged", clock, template, page_size=7)
    try:
        with TestClient(create_app(app, secret_key="k" * 40)) as client:
            sign_in(client)
            seen: list[int] = []
            url: str | None = "/"
            pages = 0
            while url:
                html = client.get(url).text
                seen.extend(item_ids(html))
                pages += 1
                match = re.search(r'<a href="([^"]+)" rel="next">', html)
                url = match.group(1).replace("&amp;", "&") if match else None
            assert seen == pending_ids(app)
            assert pages == -(-len(seen) // 7)
    finally:
        app.close()


def test_queue_filters_by_label_text_and_status(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    html = client.get("/?label=praise&status=all").text
    ids = item_ids(html)
    assert ids and all(get_item(app, i).label == "praise" for i in ids)
    html = client.get("/?q=refund").text
    assert all("refund" in get_item(app, i).mention.text.lower()
               or "refund" in get_item(app, i).mention.author.lower() for i in item_ids(html))
    first = pending_ids(app)[0]
    client.post(f"/items/{first}/approve", data={"csrf_token": token})
    assert item_ids(client.get("/?status=approved").text) == [first]
    bad = client.get("/?status=bogus")
    assert bad.status_code == 400 and "unknown status &#39;bogus&#39;" in bad.text


def test_queue_page_quick_approve_returns_to_the_queue(ann: tuple[TestClient, str],
                                                      app: App) -> None:
    client, token = ann
    first = pending_ids(app)[0]
    response = client.post(f"/items/{first}/approve",
                           data={"csrf_token": token, "return_to": "queue", "version": "1"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"


def test_redraft_gives_another_wording(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    item_id = pending_ids(app)[0]
    before = get_item(app, item_id)
    client.post(f"/items/{item_id}/redraft",
                data={"csrf_token": token, "version": str(before.version)})
    after = get_item(app, item_id)
    assert after.version == before.version + 1
    assert [e.action for e in history(app, item_id)] == ["draft"]


def test_logout_ends_the_session(ann: tuple[TestClient, str]) -> None:
    client, token = ann
    assert client.post("/logout", data={"csrf_token": token},
                       follow_redirects=False).headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303
