"""Fixtures for the web tests: a migrated SQLite database filled from the demo feed plus one
hostile mention, two users, and signed-in test clients (FastAPI's TestClient)."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.config import FeedSettings, Settings, demo_settings
from monitor.store import users as store_users
from monitor.web.app import create_app
from monitor.web.auth import hash_password
from tests.conftest import FakeClock

PASSWORD = "correct horse battery"
HOSTILE_TEXT = ("@northwindkettles my kettle order #4411 never arrived, please refund "
                "<script>window.__pwned = 1; alert('x')</script> "
                "<img src=x onerror=\"window.__pwned=2\"> & \"quotes\"")
HOSTILE_AUTHOR = "@mallory<b>bold</b>"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_settings(tmp_path: Path, **web: Any) -> Settings:
    tmp_path.mkdir(parents=True, exist_ok=True)
    base = demo_settings(str(tmp_path))
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps({
        "id": "evil-1", "text": HOSTILE_TEXT, "author": HOSTILE_AUTHOR,
        "created_at": "2026-11-24T08:00:00Z", "url": "javascript:alert(document.cookie)",
    }) + "\n", encoding="utf-8")
    feeds = (*base.feeds, FeedSettings(name="import", kind="jsonl", every=60.0,
                                       options={"path": str(hostile)}))
    return dataclasses.replace(
        base, feeds=feeds,
        database=dataclasses.replace(base.database, url=f"sqlite:///{tmp_path / 'w.db'}"),
        scheduler=dataclasses.replace(base.scheduler, workers=1),
        web=dataclasses.replace(base.web, **web),
    )


def build_app(tmp_path: Path, clock: FakeClock, template: Path | None = None,
              **web: Any) -> App:
    """A migrated database holding the demo queue, the hostile mention, ann and bob.

    With `template` (a folder made by this function once per session), the database file is
    copied instead of rebuilt: polling and argon2 hashing then happen once, not per test."""
    settings = web_settings(tmp_path, **web)
    if template is not None:
        for name in ("w.db", "w.db-wal", "w.db-shm"):
            if (template / name).exists():
                shutil.copyfile(template / name, tmp_path / name)
        app = App(settings, environ={}, clock=clock)
        app.migrate()
        return app
    app = App(settings, environ={}, clock=clock)
    app.migrate()
    results = app.poll_all()
    assert all(r.ok for r in results), results
    with app.engine.begin() as conn:
        store_users.create(conn, "ann", hash_password(PASSWORD), "reviewer", clock())
        store_users.create(conn, "bob", hash_password(PASSWORD), "admin", clock())
    return app


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    build_app(folder, FakeClock()).close()  # closing checkpoints the WAL into w.db
    return folder


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock, template: Path) -> Iterator[App]:
    application = build_app(tmp_path, clock, template)
    yield application
    application.close()


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no csrf_token field"
    return match.group(1)


def sign_in(client: TestClient, username: str = "ann", password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


@pytest.fixture
def anon(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        yield client


@pytest.fixture
def ann(app: App) -> Iterator[tuple[TestClient, str]]:
    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        yield client, sign_in(client)


def item_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr class="row" data-id="(\d+)"', html)]
