"""Review on both databases: queue order, keyset paging, filters, actions, audit, conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monitor.app import App
from monitor.errors import Conflict, InvalidTransition, NotFound
from monitor.model import Status
from monitor.review.actions import classification_of as review_classification
from monitor.review.actions import mention_of as review_mention
from monitor.review.state import TRANSITIONS, Action, allowed_actions, next_status
from monitor.store import queue as store_queue
from tests.conftest import FakeClock, make_settings


@pytest.fixture
def app(db_url: str, clock: FakeClock, tmp_path: Path) -> Any:
    application = App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    application.migrate()
    [result] = application.poll_all()  # the demo feed
    assert result.ok and result.new >= 60
    yield application
    application.close()


def pending(app: App, **kw: Any) -> list[store_queue.QueueItem]:
    with app.engine.connect() as conn:
        return store_queue.list_items(conn, store_queue.QueueFilter(**kw), limit=1000).items


def test_queue_order_is_priority_then_age_and_fix_requests_lead(app: App) -> None:
    items = pending(app)
    keys = [(-i.priority, i.mention.created_at, i.id) for i in items]
    assert keys == sorted(keys)
    labels = [i.label for i in items]
    assert labels[0] == "fix_request"
    fix = [i.priority for i in items if i.label == "fix_request"]
    vent = [i.priority for i in items if i.label == "venting"]
    assert fix and vent and sum(fix) / len(fix) > sum(vent) / len(vent)


def test_keyset_pages_cover_the_queue_exactly_once(app: App) -> None:
    everything = pending(app, statuses=None)
    seen: list[int] = []
    after = None
    with app.engine.connect() as conn:
        while True:
            page = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None), limit=7,
                                          after=after, with_total=True)
            assert page.total == len(everything)
            seen.extend(i.id for i in page.items)
            if page.next_after is None:
                break
            after = page.next_after
    assert seen == [i.id for i in everything]


def test_filters(app: App) -> None:
    assert all(i.label == "venting" for i in pending(app, label="venting"))
    assert all(i.topic == "billing" for i in pending(app, statuses=None, topic="billing"))
    assert pending(app, feed="nope") == []
    found = pending(app, statuses=None, text="NW-48213")
    assert found and all("NW-48213" in i.mention.text for i in found)
    assert pending(app, statuses=None, text="%") == [] or all(
        "%" in i.mention.text or "%" in i.mention.author for i in pending(app, statuses=None,
                                                                          text="%"))


def test_neighbours_follow_queue_order(app: App) -> None:
    items = pending(app)
    f = store_queue.QueueFilter()
    with app.engine.connect() as conn:
        assert store_queue.neighbours(conn, items[0], f) == (None, items[1].id)
        assert store_queue.neighbours(conn, items[3], f) == (items[2].id, items[4].id)
        assert store_queue.neighbours(conn, items[-1], f)[1] is None


def test_approve_edit_reject_are_audited(app: App, clock: FakeClock) -> None:
    reviewer = app.reviewer()
    first, second = pending(app, label="fix_request")[:2]
    handle = first.mention.author if first.mention.author.startswith("@") else ""
    edited = reviewer.edit(first.id, by="alice",
                           text=f"{handle} Thanks for telling us, we are on it. ^NK".strip(),
                           version=first.version)
    assert edited.draft is not None and edited.draft.violations == ()
    assert edited.draft is not None and edited.draft.created_by == "alice"
    assert edited.version == first.version + 1
    clock.advance(minutes=1)
    approved = reviewer.approve(first.id, by="alice", version=edited.version)
    assert approved.status == "approved" and approved.decided_by == "alice"
    rejected = reviewer.reject(second.id, by="bob", reason="duplicate of an earlier post")
    assert rejected.status == "rejected" and rejected.reject_reason.startswith("duplicate")
    with app.engine.connect() as conn:
        history = [(e.action, e.actor, e.to_status) for e in store_queue.history(conn, first.id)]
        drafts = store_queue.drafts_of(conn, first.mention.id)
    assert history == [("queued", "system", "pending"), ("edit", "alice", "pending"),
                       ("approve", "alice", "approved")]
    assert len(drafts) == 2  # the original draft is kept


def test_second_reviewer_gets_a_conflict_not_an_overwrite(app: App) -> None:
    reviewer = app.reviewer()
    item = pending(app, label="fix_request")[0]
    reviewer.approve(item.id, by="alice", version=item.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        reviewer.reject(item.id, by="bob", reason="no", version=item.version)
    assert reviewer.get(item.id).status == "approved"


def test_invalid_transitions_and_missing_items(app: App) -> None:
    reviewer = app.reviewer()
    item = pending(app, label="venting")[0]
    reviewer.reject(item.id, by="alice")
    with pytest.raises(InvalidTransition, match="cannot approve an item that is rejected"):
        reviewer.approve(item.id, by="alice")
    reopened = reviewer.reopen(item.id, by="alice")
    assert reopened.status == "pending"
    with pytest.raises(NotFound):
        reviewer.approve(999_999, by="alice")
    with pytest.raises(InvalidTransition, match="empty"):
        reviewer.edit(reopened.id, by="alice", text="   ")


def test_unsafe_edit_keeps_its_violations_and_blocks_plain_approval(app: App) -> None:
    reviewer = app.reviewer()
    item = pending(app, label="fix_request")[0]
    edited = reviewer.edit(item.id, by="alice",
                           text="WHY ARE YOU SHOUTING!!! see http://evil.example @thirdparty")
    assert edited.draft is not None and edited.draft.violations
    with pytest.raises(InvalidTransition, match="fails its checks"):
        reviewer.approve(item.id, by="alice")
    assert reviewer.approve(item.id, by="alice", force=True).status == "approved"


def test_skipped_item_can_get_a_draft_and_another_wording(app: App) -> None:
    reviewer = app.reviewer()
    skipped = pending(app, statuses=("skipped",))[0]
    assert skipped.draft is None
    drafted = reviewer.redraft(skipped.id, by="alice")
    assert drafted.status == "pending" and drafted.draft is not None
    fix = pending(app, label="fix_request")[0]
    assert fix.draft is not None
    other = reviewer.redraft(fix.id, by="alice")
    assert other.draft is not None
    if app.drafter.variants(review_mention(fix), review_classification(fix)) > 1:
        assert other.draft.text != fix.draft.text


@pytest.mark.parametrize("status", list(Status))
def test_state_machine_is_closed(status: Status) -> None:
    for action in Action:
        if (status, action) in TRANSITIONS:
            assert next_status(status, action) in Status
            assert action in allowed_actions(status)
        else:
            with pytest.raises(InvalidTransition):
                next_status(status, action)
    if status is Status.PUBLISHED:
        assert allowed_actions(status) == []
