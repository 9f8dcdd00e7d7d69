"""Issue 16, the review app: the network on every row and item (a demo mention's, the one it
imitates) with that network's length limit, an explicit "approve anyway" naming the failing
check, and one age format shared with the CLI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from monitor.app import App
from monitor.store import queue as store_queue
from monitor.web import filters
from tests.web.conftest import item_ids


def pending(app: App) -> list[store_queue.QueueItem]:
    with app.engine.connect() as conn:
        return store_queue.list_items(conn, store_queue.QueueFilter(), limit=1000).items


def demo_on(app: App, network: str) -> store_queue.QueueItem:
    return next(i for i in pending(app)
                if i.mention.platform == "demo" and i.mention.network == network
                and i.draft is not None)


# --- 17. the network --------------------------------------------------------------------------

def test_every_row_names_its_network(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    html = client.get("/").text
    rows = item_ids(html)
    networks = re.findall(r'<span class="network network-([a-z]+)" data-network="\1">([^<]+)<',
                          html)
    assert len(networks) == len(rows) > 0
    shown = dict(networks)
    assert shown.get("x") == "X" and shown.get("bluesky") == "Bluesky"
    assert "demo / demo" not in html and ">Network</th>" in html


def test_a_demo_x_post_is_counted_against_xs_limit(ann: tuple[TestClient, str],
                                                   app: App) -> None:
    client, csrf = ann
    item = demo_on(app, "x")
    page = client.get(f"/items/{item.id}").text
    assert '<span id="limit">280</span>' in page and "(X's limit)" in page
    assert '<span class="network network-x" id="item-network">X</span> (a demo mention)' in page
    body = client.get(f"/api/items/{item.id}").json()
    assert body["mention"]["platform"] == "demo" and body["mention"]["network"] == "x"
    checked = client.post("/api/check", json={"item_id": item.id, "text": "a" * 300},
                          headers={"X-CSRF-Token": csrf}).json()
    assert checked["limit"] == 280 and checked["network"] == "x"
    assert any("280" in v for v in checked["violations"])


def test_a_real_platforms_network_is_itself(app: App) -> None:
    hostile = next(i for i in pending(app) if i.mention.feed == "import")
    assert hostile.mention.network == ""
    assert hostile.mention.network_name == hostile.mention.platform
    assert hostile.mention.as_dict()["network"] == hostile.mention.platform


# --- 18. approve anyway ------------------------------------------------------------------------

def test_approve_is_off_while_a_check_fails_and_anyway_names_it(
        ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    item = demo_on(app, "x")
    failing = app.reviewer().edit(item.id, by="ann", text=item.draft.text + " " + "x" * 300)
    assert failing.draft and failing.draft.violations
    page = client.get(f"/items/{item.id}").text
    approve = re.search(r'<button[^>]*id="approve-btn"[^>]*>', page)
    anyway = re.search(r'<button[^>]*id="approve-anyway-btn"[^>]*>(.*?)</button>', page, re.S)
    assert approve and " disabled" in approve.group(0)
    assert anyway and " hidden" not in anyway.group(0) and 'name="force"' in anyway.group(0)
    first = failing.draft.violations[0]
    assert "Approve anyway, although it fails:" in anyway.group(1)
    assert first.split(":")[0] in anyway.group(1)
    # Without the override the server refuses too; with it, the item is approved.
    plain = client.post(f"/items/{item.id}/approve",
                        data={"csrf_token": csrf, "version": failing.version})
    assert plain.status_code == 409
    forced = client.post(f"/items/{item.id}/approve", follow_redirects=False,
                         data={"csrf_token": csrf, "version": failing.version, "force": "1"})
    assert forced.status_code == 303
    with app.engine.connect() as conn:
        assert store_queue.get_item(conn, item.id).status == "approved"


def test_a_passing_draft_has_plain_approve_only(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    item = next(i for i in pending(app) if i.draft and not i.draft.violations)
    page = client.get(f"/items/{item.id}").text
    approve = re.search(r'<button[^>]*id="approve-btn"[^>]*>', page)
    anyway = re.search(r'<button[^>]*id="approve-anyway-btn"[^>]*>', page)
    assert approve and "disabled" not in approve.group(0)
    assert anyway and " hidden" in anyway.group(0)


# --- 19. one age format -----------------------------------------------------------------------

def test_ages_read_the_same_in_the_app_and_the_cli() -> None:
    from monitor.cli.queue_cmds import _age
    from monitor.text import age

    now = datetime(2026, 11, 24, 9, 0)
    for delta, shown in ((timedelta(seconds=5), "5s"), (timedelta(minutes=12), "12m"),
                         (timedelta(hours=5), "5h"), (timedelta(hours=46), "1d 22h"),
                         (timedelta(days=3), "3d"), (timedelta(days=12, hours=5), "12d")):
        assert age(delta.total_seconds()) == shown
        assert filters.ago(now - delta, now) == shown
        assert _age(now - delta, now) == shown


def test_the_store_reads_a_demo_mentions_network_on_both_databases(demo_app: App) -> None:
    items = pending(demo_app)
    networks = {i.mention.network for i in items}
    assert {"x", "bluesky", "mastodon", "reddit"} <= networks
    assert all(i.mention.platform == "demo" for i in items)
    with demo_app.engine.connect() as conn:
        one = store_queue.get_item(conn, demo_on(demo_app, "x").id)
    assert one.mention.as_dict()["network"] == "x"
