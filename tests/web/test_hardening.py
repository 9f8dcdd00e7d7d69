"""Issue 16, the security probe's findings: sessions that end on the server, the body limit
before reading and sign-in before parsing, API tokens (expiry, list, revoke, minted only by a
signed-in session), HSTS and the first admin password, range-checked ids and cursors,
security headers on 500s, log lines user text cannot forge, and X-Forwarded-For believed only
from a configured proxy."""

from __future__ import annotations

import io
import logging
import socket
import stat
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import queue as store_queue
from monitor.store import users as store_users
from monitor.text import LogSafeFilter, printable
from monitor.web.app import SESSION_COOKIE, create_app
from monitor.web.auth import IP_FAILURES, hash_password
from monitor.web.server import PASSWORD_FILE, ensure_first_user
from tests.conftest import FakeClock
from tests.web.conftest import CSRF_RE, build_app, sign_in

HUGE = "99999999999999999999"


def first_pending(app: App) -> int:
    with app.engine.connect() as conn:
        return store_queue.list_items(conn, store_queue.QueueFilter(), limit=1).items[0].id


def ann_id(app: App) -> int:
    with app.engine.connect() as conn:
        return store_users.by_name(conn, "ann").id


# --- 1. sessions end on the server ------------------------------------------------------------

def test_a_cookie_replayed_after_sign_out_reads_and_changes_nothing(app: App) -> None:
    asgi = create_app(app, secret_key="k" * 40)
    with TestClient(asgi) as client:
        csrf = sign_in(client)
        stolen = client.cookies.get(SESSION_COOKIE)
        assert stolen
        out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert out.status_code == 303
    item = first_pending(app)
    with TestClient(asgi, cookies={SESSION_COOKIE: stolen}) as replay:
        page = replay.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        api = replay.post(f"/api/items/{item}/reject", json={"reason": "replayed"},
                          headers={"X-CSRF-Token": csrf})
        assert api.status_code == 401
    with app.engine.connect() as conn:
        assert store_queue.get_item(conn, item).status == "pending"


def test_a_password_change_or_disabling_ends_existing_sessions(app: App) -> None:
    asgi = create_app(app, secret_key="k" * 40)
    with TestClient(asgi) as client:
        sign_in(client)
        assert client.get("/", follow_redirects=False).status_code == 200
        with app.engine.begin() as conn:  # what `users password ann` does
            store_users.set_password(conn, ann_id(app), hash_password("another long one"))
        assert client.get("/", follow_redirects=False).status_code == 303
        sign_in(client, password="another long one")
        assert client.get("/", follow_redirects=False).status_code == 200
        with app.engine.begin() as conn:
            store_users.set_disabled(conn, ann_id(app), True)
            store_users.set_disabled(conn, ann_id(app), False)
        # Enabled again, but the session from before the disabling stays dead.
        assert client.get("/", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_users_other_sessions_too(app: App) -> None:
    asgi = create_app(app, secret_key="k" * 40)
    with TestClient(asgi) as laptop, TestClient(asgi) as phone:
        csrf = sign_in(laptop)
        sign_in(phone)
        laptop.post("/logout", data={"csrf_token": csrf})
        assert phone.get("/", follow_redirects=False).status_code == 303


# --- 2. body limit before reading, sign-in before parsing --------------------------------------

def test_a_body_over_the_limit_is_refused_before_sign_in_or_parsing(anon: TestClient) -> None:
    big = b"x" * (1_048_576 + 1)
    response = anon.post("/api/check", content=big,
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "max_body_bytes" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page = anon.post("/login", content=big,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413


def test_a_chunked_body_is_cut_off_at_the_limit(ann: tuple[TestClient, str]) -> None:
    client, csrf = ann
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(40):  # 2.5 MB in 64 KB pieces, with no Content-Length
            sent += 1
            yield b" " * 65536

    response = client.post("/api/check", content=chunks(),
                           headers={"Content-Type": "application/json",
                                    "X-CSRF-Token": csrf})
    assert response.status_code == 413


def test_a_bad_token_gets_401_whatever_the_body(anon: TestClient) -> None:
    for body in (b"{not json", b'{"item_id": "x"}', b"[]"):
        response = anon.post("/api/check", content=body,
                             headers={"Authorization": "Bearer cm_bogus",
                                      "Content-Type": "application/json"})
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"
    assert anon.post("/api/check", content=b"{not json",
                     headers={"Content-Type": "application/json"}).status_code == 401


def test_the_limit_is_configurable(tmp_path: Path, clock: FakeClock, template: Path) -> None:
    app = build_app(tmp_path, clock, template, max_body_bytes=2048)
    try:
        with TestClient(create_app(app, secret_key="k" * 40)) as client:
            assert client.post("/login", content=b"a=" + b"b" * 3000).status_code == 413
            # Under the limit, the form is read (and refused for its missing CSRF token).
            assert client.post("/login", data={"username": "x"}).status_code == 403
    finally:
        app.close()


# --- 5. API tokens ---------------------------------------------------------------------------

def test_tokens_expire_are_listed_with_last_use_and_revoked_one_by_one(
        app: App, clock: FakeClock) -> None:
    with app.engine.begin() as conn:
        uid = ann_id(app)
        short = store_users.issue_token(conn, uid, "short", clock(),
                                        clock() + timedelta(days=1))
        keep = store_users.issue_token(conn, uid, "keep", clock())
        other = store_users.issue_token(conn, uid, "other", clock())
    asgi = create_app(app, secret_key="k" * 40)
    with TestClient(asgi) as client:
        for token in (short, keep, other):
            assert client.get("/api/items?limit=1",
                              headers={"Authorization": f"Bearer {token}"}).status_code == 200
        clock.advance(days=2)
        assert client.get("/api/items", headers={"Authorization": f"Bearer {short}"}
                          ).status_code == 401
        csrf = sign_in(client)
        page = client.get("/account").text
        for label in ("short", "keep", "other"):
            assert f"<td>{label}</td>" in page
        assert "(expired)" in page and "2026-11-24 09:00 UTC" in page  # its last use
        with app.engine.connect() as conn:
            listed = {t.label: t for t in store_users.tokens(conn, uid)}
        gone = listed["other"].id
        revoked = client.post(f"/account/tokens/{gone}/revoke", data={"csrf_token": csrf},
                              follow_redirects=False)
        assert revoked.status_code == 303
        assert client.get("/api/items", headers={"Authorization": f"Bearer {other}"}
                          ).status_code == 401
        assert client.get("/api/items?limit=1", headers={"Authorization": f"Bearer {keep}"}
                          ).status_code == 200
        # Someone else's token id is not found among yours.
        with app.engine.begin() as conn:
            bobs = store_users.issue_token(conn, store_users.by_name(conn, "bob").id, "b",
                                           clock())
            bob_id = store_users.tokens(conn, store_users.by_name(conn, "bob").id)[0].id
        assert client.post(f"/account/tokens/{bob_id}/revoke",
                           data={"csrf_token": csrf}).status_code == 404
        assert client.get("/api/items?limit=1", headers={"Authorization": f"Bearer {bobs}"}
                          ).status_code == 200


def test_only_a_signed_in_session_mints_or_revokes_tokens(app: App, clock: FakeClock) -> None:
    with app.engine.begin() as conn:
        token = store_users.issue_token(conn, ann_id(app), "script", clock())
    with TestClient(create_app(app, secret_key="k" * 40)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        minted = client.post("/account/tokens", data={"label": "more"}, headers=auth)
        assert minted.status_code == 403 and "cm_" not in minted.text
        with app.engine.connect() as conn:
            tid = store_users.tokens(conn, ann_id(app))[0].id
        assert client.post(f"/account/tokens/{tid}/revoke", headers=auth).status_code == 403
        with app.engine.connect() as conn:
            assert len(store_users.tokens(conn, ann_id(app))) == 1
        csrf = sign_in(client)
        made = client.post("/account/tokens", data={"label": "new", "expires_days": "30",
                                                    "csrf_token": csrf})
        assert made.status_code == 200 and "cm_" in made.text
        bad = client.post("/account/tokens", data={"label": "new", "expires_days": "-3",
                                                   "csrf_token": csrf})
        assert bad.status_code == 400 and "expires after 1 to 3650 whole days" in bad.text
    with app.engine.connect() as conn:
        new = [t for t in store_users.tokens(conn, ann_id(app)) if t.label == "new"]
    assert [t.expires_at for t in new] == [clock() + timedelta(days=30)]


# --- 6. HSTS and the first admin password -----------------------------------------------------

def test_hsts_only_over_https(tmp_path: Path, clock: FakeClock, template: Path,
                              anon: TestClient) -> None:
    assert "strict-transport-security" not in anon.get("/login").headers
    app = build_app(tmp_path / "https", clock, template, https=True)
    try:
        with TestClient(create_app(app, secret_key="k" * 40),
                        base_url="https://testserver") as client:
            for path in ("/login", "/healthz", "/static/app.css", "/nowhere", "/api/items"):
                assert client.get(path).headers["strict-transport-security"] == \
                    "max-age=31536000", path
    finally:
        app.close()


def test_first_admin_password_goes_to_a_private_file_off_a_terminal(
        tmp_path: Path, clock: FakeClock) -> None:
    from tests.web.conftest import web_settings

    app = App(web_settings(tmp_path), environ={}, clock=clock)
    app.migrate()
    try:
        out = io.StringIO()  # not a terminal: like systemd's journal
        password = ensure_first_user(app, out=out)
        assert password and password not in out.getvalue()
        path = Path(app.settings.base_dir) / PASSWORD_FILE
        assert str(path.resolve()) in out.getvalue()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text(encoding="utf-8").split() == ["admin", password]
    finally:
        app.close()


def test_the_password_file_is_never_written_through_an_existing_name(
        tmp_path: Path, clock: FakeClock) -> None:
    from tests.web.conftest import web_settings

    folder = tmp_path / "cfg"
    settings = web_settings(folder)
    target = tmp_path / "elsewhere"
    (Path(settings.base_dir) / PASSWORD_FILE).symlink_to(target)
    app = App(settings, environ={}, clock=clock)
    app.migrate()
    try:
        password = ensure_first_user(app, out=io.StringIO())
        assert not target.exists()
        second = Path(settings.base_dir) / f"{PASSWORD_FILE}.1"
        assert password and password in second.read_text(encoding="utf-8")
    finally:
        app.close()


# --- 7. ids and cursors in range; headers on 500s ---------------------------------------------

def test_out_of_range_ids_and_cursors_are_client_errors(ann: tuple[TestClient, str]) -> None:
    client, csrf = ann
    api = {"X-CSRF-Token": csrf}
    assert client.get(f"/api/items/{HUGE}").status_code == 422
    assert client.get("/api/items/2147483648").status_code == 422
    assert client.get("/api/items/0").status_code == 422
    assert client.post(f"/api/items/{HUGE}/approve", json={}, headers=api).status_code == 422
    assert client.post("/api/check", json={"item_id": int(HUGE), "text": "x"},
                       headers=api).status_code == 422
    assert client.get(f"/items/{HUGE}").status_code == 422
    assert client.post(f"/items/{HUGE}/approve", data={"csrf_token": csrf}).status_code == 422



DAMAGED_CURSORS = (
    f"0.5_2026-11-24T08:00:00+00:00_{HUGE}", "1e999_2026-11-24T08:00:00+00:00_5",
    "nan_2026-11-24T08:00:00+00:00_5", "0.5_2026-11-24T08:00:00+00:00_0",
    "0.5_0001-01-01T00:00:00+14:00_5",  # before any UTC time: overflows on conversion
    "0.5_2026-11-24T08:00:00_5", "x", "a_b_c_d", "0.5_2026-13-45T08:00:00+00:00_5")


def test_damaged_cursors_are_validation_errors_like_the_rest(
        ann: tuple[TestClient, str]) -> None:
    """422 with the API's validation shape, as an out-of-range id or limit gets; the page
    gets a friendly 4xx page with a way back, and every answer its security headers."""
    client, _ = ann
    limit = client.get("/api/items", params={"limit": HUGE})
    assert limit.status_code == 422 and limit.json()["detail"].startswith("bad request: ")
    for cursor in DAMAGED_CURSORS:
        listed = client.get("/api/items", params={"after": cursor})
        assert listed.status_code == 422, cursor
        assert listed.json() == {
            "error": "unprocessable entity",
            "detail": "bad request: query.after: that page link is damaged; start again "
                      "from the first page"}
        page = client.get("/", params={"after": cursor, "label": "venting"})
        assert page.status_code == 422, cursor
        assert "That page link is damaged; start again from the first page" in page.text
        assert 'href="/"' in page.text and "Traceback" not in page.text
        for response in (listed, page):
            assert response.headers["x-frame-options"] == "DENY"
            assert "content-security-policy" in response.headers


def test_incident_ids_are_range_checked_like_item_ids(app: App) -> None:
    from monitor.errors import NotFound
    from monitor.store import incidents as store_incidents

    with TestClient(create_app(app, secret_key="k" * 40),
                    raise_server_exceptions=False) as client:
        csrf = sign_in(client, "bob")  # an admin: the confirm form gets as far as the id
        api = {"X-CSRF-Token": csrf}
        for path in (f"/api/incidents/{HUGE}", "/api/incidents/0", "/api/incidents/2147483648"):
            got = client.get(path)
            assert got.status_code == 422, path
            assert got.json()["detail"].startswith("bad request: path.incident_id")
        assert client.post(f"/api/incidents/{HUGE}/resolve", headers=api).status_code == 422
        page = client.get(f"/incidents/{HUGE}")
        assert page.status_code == 422 and "no incident with that number" in page.text
        assert client.post(f"/incidents/{HUGE}/confirm",
                           data={"csrf_token": csrf}).status_code == 422
        assert client.get("/api/incidents/2147483647").status_code == 404  # in range
    with app.engine.connect() as conn, pytest.raises(NotFound):
        store_incidents.get(conn, int(HUGE))


def test_an_out_of_range_item_page_leads_back_to_the_queue(ann: tuple[TestClient, str]) -> None:
    client, _ = ann
    page = client.get(f"/items/{HUGE}")
    assert page.status_code == 422
    assert "no item with that number" in page.text and "Back to the queue" in page.text


def test_the_store_refuses_an_id_no_database_can_hold(app: App) -> None:
    from monitor.errors import NotFound

    with app.engine.connect() as conn, pytest.raises(NotFound):
        store_queue.get_item(conn, int(HUGE))


def test_a_500_carries_the_security_headers_and_no_detail(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    with TestClient(create_app(app, secret_key="k" * 40),
                    raise_server_exceptions=False) as client:
        csrf = sign_in(client)
        item = first_pending(app)
        monkeypatch.setattr(store_queue, "get_item", broken)
        for path in (f"/items/{item}", f"/api/items/{item}"):
            response = client.get(path, headers={"X-CSRF-Token": csrf})
            assert response.status_code == 500, path
            assert "secret internals" not in response.text
            for name in ("content-security-policy", "x-content-type-options",
                         "x-frame-options", "referrer-policy", "cache-control"):
                assert name in response.headers, (path, name)


# --- 8. log forging --------------------------------------------------------------------------

def test_user_text_cannot_start_a_fake_log_line(ann: tuple[TestClient, str]) -> None:
    client, csrf = ann
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogSafeFilter())
    logger = logging.getLogger("monitor.web.admin")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        forged = "api\n2026-11-24 09:00:00 INFO monitor.web.auth: bob signed in\r\x1b[2J"
        assert client.post("/account/tokens", data={"label": forged, "csrf_token": csrf}
                           ).status_code == 200
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "\\n2026-11-24" in lines[0] and "\\x1b" in lines[0]


def test_printable_escapes_every_control_character() -> None:
    assert printable("a\nb\r\tc\x00\x7f\x85\u2028é😀") == \
        "a\\nb\\r\\tc\\x00\\x7f\\x85\\u2028é😀"


def test_the_cli_logs_through_the_filter() -> None:
    from click.testing import CliRunner

    from monitor.cli import _register, cli

    _register()
    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        root.handlers = []
        CliRunner().invoke(cli, ["users", "--help"])  # runs the group: logging set up
        assert root.handlers and all(
            any(isinstance(f, LogSafeFilter) for f in h.filters) for h in root.handlers)
    finally:
        root.handlers = saved


# --- 4. X-Forwarded-For only from a configured proxy -------------------------------------------

def _serve(app: App) -> tuple[threading.Thread, int]:
    from monitor.web.server import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    thread = threading.Thread(target=serve, args=(app,),
                              kwargs={"host": "127.0.0.1", "port": port, "announce": False})
    thread.start()
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return thread, port
        except httpx.TransportError:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)


def _statuses_with_forged_addresses(app: App, tries: int) -> list[int]:
    """`tries` failed sign-ins over real HTTP from 127.0.0.1, each claiming another client
    address in X-Forwarded-For (and another username, so only the address limit counts)."""
    thread, port = _serve(app)
    statuses = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for n in range(tries):
                form = client.get("/login").text
                token = CSRF_RE.search(form)
                assert token
                response = client.post("/login", data={
                    "username": f"nobody{n}", "password": "wrong password",
                    "csrf_token": token.group(1)},
                    headers={"X-Forwarded-For": f"203.0.113.{n + 1}"})
                statuses.append(response.status_code)
    finally:
        app.stop.set()
        thread.join(timeout=15)
    return statuses


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app: App) -> None:
    statuses = _statuses_with_forged_addresses(app, IP_FAILURES + 1)
    assert statuses[:IP_FAILURES] == [401] * IP_FAILURES
    assert statuses[-1] == 429  # every try counted against 127.0.0.1, whatever it claimed


def test_forwarded_for_is_believed_from_a_trusted_proxy(tmp_path: Path, clock: FakeClock,
                                                        template: Path) -> None:
    app = build_app(tmp_path, clock, template, trusted_proxies=("127.0.0.1",))
    try:
        statuses = _statuses_with_forged_addresses(app, IP_FAILURES + 1)
    finally:
        app.close()
    assert statuses == [401] * (IP_FAILURES + 1)  # 21 different clients, none throttled


def test_trusted_proxies_must_be_addresses() -> None:
    from monitor.config import parse
    from monitor.errors import ConfigError

    assert parse({"web": {"trusted_proxies": ["10.0.0.0/8", "::1"]}}).web.trusted_proxies == (
        "10.0.0.0/8", "::1")
    with pytest.raises(ConfigError, match=r"web\.trusted_proxies") as info:
        parse({"web": {"trusted_proxies": ["*"]}})
    assert "'*' is not an IP address" in str(info.value)
    with pytest.raises(ConfigError, match=r"web\.max_body_bytes"):
        parse({"web": {"max_body_bytes": 10}})


def test_a_message_already_holding_user_text_is_one_line_too() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogSafeFilter())
    logger = logging.getLogger("tests.logsafe")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("feed " + "evil\nINFO fake: admin signed in")
        logger.warning("%s and %d", "a\rb", 3)
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed for %s", "x\ny")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "feed evil\\nINFO fake: admin signed in"
    assert lines[1] == "a\\rb and 3"
    assert lines[2] == "failed for x\\ny" and lines[3].startswith("Traceback")


def test_no_admin_is_left_without_a_password_when_the_file_cannot_be_written(
        tmp_path: Path, clock: FakeClock) -> None:
    import dataclasses

    from monitor.errors import ConfigError
    from tests.web.conftest import web_settings

    settings = dataclasses.replace(web_settings(tmp_path), base_dir=str(tmp_path / "gone"))
    app = App(settings, environ={}, clock=clock)
    app.migrate()
    try:
        with pytest.raises(ConfigError, match="cannot write the first admin password"):
            ensure_first_user(app, out=io.StringIO())
        with app.engine.connect() as conn:
            assert store_users.count(conn) == 0
        assert ensure_first_user(app, out=io.StringIO(), terminal=True)  # tried again: works
    finally:
        app.close()


# --- 2 (continued). Page forms: sign-in before the body is read -------------------------------

PAGE_POSTS = ("/items/1/approve", "/items/1/reject", "/items/1/edit", "/items/1/relabel",
              "/items/1/save-answer", "/users", "/users/ann/disable", "/feeds/demo/pause",
              "/account/tokens", "/account/tokens/1/revoke", "/incidents/1/confirm",
              "/logout", "/nowhere")


def test_anonymous_page_posts_get_the_sign_in_redirect_not_a_form_error(
        anon: TestClient) -> None:
    """The same 303 to the sign-in form as a GET, whatever the body: no CSRF complaint, no
    validation error, nothing parsed."""
    expected = anon.get("/items/1", follow_redirects=False)
    assert expected.status_code == 303
    for path in PAGE_POSTS:
        for body in ({"csrf_token": "forged", "text": "x"}, {"version": "not a number"}):
            response = anon.post(path, data=body, follow_redirects=False)
            assert response.status_code == 303, (path, response.text)
            assert response.headers["location"].startswith("/login?next=%2F"), path
            assert response.headers["x-frame-options"] == "DENY"
    assert anon.post("/items/1/reject", content=b"\xff\xfe not a form",
                     headers={"Content-Type": "multipart/form-data; boundary=x"},
                     follow_redirects=False).headers["location"] == "/login?next=%2Fitems%2F1"
    bad_token = anon.post("/items/1/reject", data={"reason": "x"},
                          headers={"Authorization": "Bearer cm_bogus"}, follow_redirects=False)
    assert bad_token.status_code == 303
    # /login itself reads its form without a user (and refuses it for the missing token).
    assert anon.post("/login", data={"username": "ann"}).status_code == 403


def _call_without_reading(asgi: object, method: str, path: str,
                          headers: list[tuple[bytes, bytes]]) -> tuple[list[dict[str, object]],
                                                                       int]:
    """Runs one request through the ASGI app; the messages sent, and how often the app asked
    for the body."""
    import anyio

    reads = 0
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"csrf_token=x&reason=spam", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 50000),
             "server": ("testserver", 80), "state": {},
             "headers": [(b"host", b"testserver"), *headers]}
    anyio.run(asgi, scope, receive, send)  # type: ignore[arg-type]
    return sent, reads


def test_an_anonymous_page_post_is_answered_without_reading_its_body(app: App) -> None:
    asgi = create_app(app, secret_key="k" * 40)
    form = [(b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"24")]
    for path in ("/items/1/reject", "/users", "/account/tokens"):
        sent, reads = _call_without_reading(asgi, "POST", path, form)
        assert reads == 0, path
        start = sent[0]
        assert start["status"] == 303
        assert (b"connection", b"close") in start["headers"]  # type: ignore[operator]
    sent, reads = _call_without_reading(asgi, "POST", "/login", form)
    assert reads == 1 and sent[0]["status"] == 403  # the sign-in form is read: no CSRF token
