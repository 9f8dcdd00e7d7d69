"""People management: only admins manage users; anyone can issue their own API token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import users as store_users
from monitor.web.app import create_app
from tests.web.conftest import PASSWORD, sign_in


def test_reviewers_cannot_manage_users(ann: tuple[TestClient, str]) -> None:
    client, token = ann
    assert client.get("/users").status_code == 403
    response = client.post("/users", data={"csrf_token": token, "username": "eve",
                                           "password": "a long password", "role": "admin"})
    assert response.status_code == 403 and "only an admin" in response.text.lower()
    assert 'href="/users"' not in client.get("/").text


def test_admin_adds_and_disables_a_user(app: App) -> None:
    with TestClient(create_app(app, secret_key="k" * 40)) as admin, \
            TestClient(create_app(app, secret_key="k" * 40)) as newbie:
        token = sign_in(admin, "bob")
        bad = admin.post("/users", data={"csrf_token": token, "username": "carol",
                                         "password": "short", "role": "reviewer"})
        assert bad.status_code == 400 and "at least 10 characters" in bad.text
        assert 'value="carol"' in bad.text  # the form keeps what was typed
        added = admin.post("/users", data={"csrf_token": token, "username": "carol",
                                           "password": "carol's long secret",
                                           "role": "reviewer"})
        assert added.status_code == 200 and "Added reviewer carol." in added.text
        assert admin.post("/users", data={"csrf_token": token, "username": "carol",
                                          "password": "another secret!",
                                          "role": "reviewer"}).status_code == 409
        sign_in(newbie, "carol", "carol's long secret")
        assert newbie.get("/").status_code == 200
        with app.engine.begin() as conn:
            carol = store_users.by_name(conn, "carol")
            api_token = store_users.issue_token(conn, carol.id, "x", app.clock())
        admin.post("/users/carol/disable", data={"csrf_token": token})
        assert newbie.get("/", follow_redirects=False).status_code == 303
        assert newbie.get("/api/items", headers={"Authorization": f"Bearer {api_token}"}
                          ).status_code == 401
        selfish = admin.post("/users/bob/disable", data={"csrf_token": token})
        assert selfish.status_code == 400 and "cannot disable yourself" in selfish.text
        admin.post("/users/carol/enable", data={"csrf_token": token})
        assert newbie.get("/", follow_redirects=False).status_code == 303  # signed out
        sign_in(newbie, "carol", "carol's long secret")


def test_anyone_can_issue_their_own_api_token(ann: tuple[TestClient, str], app: App) -> None:
    client, token = ann
    page = client.post("/account/tokens", data={"csrf_token": token, "label": "script"})
    match = re.search(r'<pre class="token" id="new-token">([^<]+)</pre>', page.text)
    assert match
    api = TestClient(create_app(app, secret_key="other-key" * 5))
    listed = api.get("/api/items", headers={"Authorization": f"Bearer {match.group(1)}"})
    assert listed.status_code == 200 and listed.json()["items"]
    assert match.group(1) not in client.get("/account").text
    assert PASSWORD not in page.text
