"""The review queue's read model (monitor.review.queries) on both databases: pages, item
views, and the JSON shapes built from them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from monitor.app import App
from monitor.errors import NotFound
from monitor.review.queries import QueueFilter, QueueQueries
from monitor.store import publish as store_publish
from monitor.store import queue as store_queue
from tests.conftest import FakeClock


@pytest.fixture
def app(demo_app: Any) -> Any:
    return demo_app


def test_the_app_exposes_one_read_model(app: App) -> None:
    assert isinstance(app.queries, QueueQueries)
    assert app.queries is app.queries


def test_pages_walk_the_queue_once_in_queue_order(app: App) -> None:
    everything = QueueFilter(statuses=None)
    with app.engine.connect() as conn:
        expected = [i.id for i in store_queue.list_items(conn, everything, limit=1000).items]
    seen: list[int] = []
    after = None
    while True:
        page = app.queries.page(everything, after, limit=9)
        assert set(page.published) == {i.id for i in page.items}
        seen.extend(i.id for i in page.items)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == expected
    assert app.queries.count(everything) == len(expected)
    assert app.queries.count(QueueFilter(feed="nope")) == 0


def test_a_page_carries_publish_fields_and_relabels_only_when_asked(app: App) -> None:
    first = app.queries.page(QueueFilter(), limit=5).items[0]
    app.reviewer().relabel(first.id, by="sam", label="question")
    plain = app.queries.page(QueueFilter(statuses=None), limit=1000)
    assert plain.relabelled == {}
    marked = app.queries.page(QueueFilter(statuses=None), limit=1000, relabels=True)
    assert marked.relabelled[first.id].by == "sam"
    assert marked.relabelled[first.id].to_label == "question"
    dicts = plain.as_dicts(0.6)
    assert [d["id"] for d in dicts] == [i.id for i in plain.items]
    assert all(d["published"] is None and d["publish_error"] is None for d in dicts)
    assert dicts[0] == {**plain.items[0].as_dict(0.6), "published": None,
                        "publish_error": None}


def test_detail_holds_history_relabel_drafts_and_neighbours(app: App) -> None:
    items = app.queries.page(QueueFilter(), limit=3).items
    middle = items[1]
    reviewer = app.reviewer()
    reviewer.redraft(middle.id, by="sam")
    reviewer.relabel(middle.id, by="kim", label="venting")
    bare = app.queries.detail(middle.id)
    assert bare.drafts == [] and (bare.prev_id, bare.next_id) == (None, None)
    assert [e.action for e in bare.events][-2:] == ["draft", "relabel"]
    assert bare.relabel is not None and bare.relabel.by == "kim"

    full = app.queries.detail(items[0].id, drafts=True, around=QueueFilter())
    with app.engine.connect() as conn:
        expected = store_queue.neighbours(conn, full.item, QueueFilter())
        drafts = store_queue.drafts_of(conn, full.item.mention.id)
    assert (full.prev_id, full.next_id) == expected
    assert full.drafts == drafts and full.drafts
    with pytest.raises(NotFound):
        app.queries.detail(10**9)
    with pytest.raises(NotFound):
        app.queries.item(0)


def test_detail_json_shapes_for_the_api_and_queue_show(app: App) -> None:
    item = app.queries.page(QueueFilter(), limit=1).items[0]
    app.reviewer().relabel(item.id, by="kim", label="praise")
    detail = app.queries.detail(item.id)
    api = detail.api_dict(0.6)
    assert api["relabelled"]["by"] == "kim"
    assert api["classifier_label"] == item.classifier_label
    assert api["classifier_confidence"] == item.classifier_confidence
    assert set(api["history"][-1]) == {"at", "actor", "action", "from_status", "to_status",
                                       "detail"}
    short = detail.history("from", "to")
    assert set(short[-1]) == {"at", "actor", "action", "from", "to", "detail"}
    assert short[-1]["to"] == api["history"][-1]["to_status"]
    assert detail.as_dict(0.6) == {**detail.item.as_dict(0.6), "published": None,
                                   "publish_error": None}


def test_a_failed_attempt_shows_as_publish_error_until_published(app: App,
                                                                 clock: FakeClock) -> None:
    item = app.queries.page(QueueFilter(), limit=1).items[0]
    app.reviewer().approve(item.id, by="sam", force=True)
    with app.engine.begin() as conn:
        assert store_publish.claim(conn, item.id, owner="t", now=clock(),
                                   lease_until=clock() + timedelta(minutes=1))
        store_publish.fail(conn, item.id, owner="t", now=clock(), error="rate limited")
    detail = app.queries.detail(item.id)
    assert detail.attempt is not None and detail.attempt.last_error == "rate limited"
    assert detail.published == {"published": None, "publish_error": "rate limited"}
    page = app.queries.page(QueueFilter(statuses=("approved",)))
    assert page.published[item.id] == detail.published


def test_items_reads_many_in_the_order_given(app: App) -> None:
    ids = [i.id for i in app.queries.page(QueueFilter(statuses=None), limit=6).items]
    wanted = list(reversed(ids))
    assert [i.id for i in app.queries.items(wanted)] == wanted
    assert app.queries.items([]) == []
    with pytest.raises(NotFound):
        app.queries.items([ids[0], 10**9])
