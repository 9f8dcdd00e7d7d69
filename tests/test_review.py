"""Review on both databases: queue order, keyset paging, filters, actions, audit, conflicts."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.app import App
from monitor.errors import Conflict, InvalidTransition, NotFound
from monitor.model import Status
from monitor.review.actions import classification_of as review_classification
from monitor.review.actions import mention_of as review_mention
from monitor.review.state import TRANSITIONS, Action, allowed_actions, next_status
from monitor.store import queue as store_queue
from tests.conftest import FakeClock


@pytest.fixture
def app(demo_app: Any) -> Any:
    return demo_app


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


def test_relabel_venting_to_fix_request_redrafts_rebands_and_keeps_the_classifier_label(
        app: App, clock: FakeClock) -> None:
    from monitor.classify.priority import BANDS
    from monitor.model import Label
    from monitor.store import labels as store_labels

    reviewer = app.reviewer()
    vent = pending(app, label="venting")[0]
    assert vent.draft is not None and vent.draft.template.startswith("venting/")
    clock.advance(minutes=5)
    fixed = reviewer.relabel(vent.id, by="alice", label="fix_request", version=vent.version)
    assert fixed.label == "fix_request" and fixed.status == "pending"
    assert fixed.version == vent.version + 1
    assert fixed.draft is not None and fixed.draft.template.startswith("fix_request/")
    low, high = BANDS[Label.FIX_REQUEST]
    assert low <= fixed.priority <= high and fixed.priority > vent.priority
    # Every venting item now ranks below it: the band decides, as for the classifier's labels.
    assert all(i.priority < fixed.priority for i in pending(app, label="venting"))
    with app.engine.connect() as conn:
        assert store_queue.get_item(conn, vent.id).classifier_label == "venting"
        event = store_queue.history(conn, vent.id)[-1]
        assert store_labels.relabels(conn, [vent.id])[vent.id].from_label == "venting"
    assert event.action == "relabel" and event.actor == "alice"
    assert (event.from_status, event.to_status) == ("pending", "pending")
    assert event.detail is not None
    assert event.detail["from_label"] == "venting" and event.detail["to_label"] == "fix_request"
    assert event.detail["draft_id"] == fixed.draft.id
    # Back to the classifier's label: the priority it had, from the same strength.
    back = reviewer.relabel(vent.id, by="bob", label="venting", version=fixed.version)
    assert back.priority == pytest.approx(vent.priority, abs=0.002)
    assert back.draft is not None and back.draft.template.startswith("venting/")


def test_relabel_checks_the_version_and_the_label(app: App) -> None:
    reviewer = app.reviewer()
    item = pending(app, label="venting")[0]
    reviewer.relabel(item.id, by="alice", label="fix_request", version=item.version)
    with pytest.raises(Conflict):
        reviewer.relabel(item.id, by="bob", label="praise", version=item.version)
    with pytest.raises(InvalidTransition, match="already labelled fix_request"):
        reviewer.relabel(item.id, by="bob", label="fix_request")
    from monitor.errors import InputError
    with pytest.raises(InputError, match="unknown label"):
        reviewer.relabel(item.id, by="bob", label="angry")
    with pytest.raises(NotFound):
        reviewer.relabel(999_999, by="bob", label="venting")
    assert reviewer.get(item.id).label == "fix_request"


def test_skipped_neutral_relabelled_fix_request_joins_the_queue_with_a_draft(app: App) -> None:
    reviewer = app.reviewer()
    skipped = pending(app, statuses=("skipped",))[0]
    assert skipped.label == "neutral" and skipped.draft is None
    item = reviewer.relabel(skipped.id, by="alice", label="fix_request")
    assert item.status == "pending" and item.priority >= 0.5
    assert item.draft is not None and item.draft.template.startswith("fix_request/")
    with app.engine.connect() as conn:
        event = store_queue.history(conn, item.id)[-1]
    assert (event.from_status, event.to_status) == ("skipped", "pending")


def test_relabel_to_neutral_skips_and_praise_gets_a_thank_you(app: App) -> None:
    reviewer = app.reviewer()
    vent, other = pending(app, label="venting")[:2]
    neutral = reviewer.relabel(vent.id, by="alice", label="neutral")
    assert neutral.status == "skipped" and neutral.draft is None and neutral.priority < 0.2
    with app.engine.connect() as conn:
        drafts = store_queue.drafts_of(conn, neutral.mention.id)
        event = store_queue.history(conn, vent.id)[-1]
    assert drafts  # the earlier draft stays on record
    assert event.to_status == "skipped" and "draft_id" not in (event.detail or {})
    praise = reviewer.relabel(other.id, by="alice", label="praise")
    assert praise.status == "pending" and praise.draft is not None
    # A Spanish post gets the Spanish praise wording (templates/lang/es/praise/...).
    assert praise.draft.template.removeprefix(f"lang/{praise.language}/").startswith("praise/")


def test_decided_items_are_reopened_before_a_relabel(app: App) -> None:
    reviewer = app.reviewer()
    item = pending(app, label="venting")[0]
    approved = reviewer.approve(item.id, by="alice")
    with pytest.raises(InvalidTransition, match="cannot relabel an item that is approved"):
        reviewer.relabel(item.id, by="alice", label="fix_request")
    rejected = reviewer.reject(pending(app, label="venting")[0].id, by="alice")
    with pytest.raises(InvalidTransition, match="rejected"):
        reviewer.relabel(rejected.id, by="alice", label="fix_request")
    reopened = reviewer.reopen(approved.id, by="alice")
    assert reviewer.relabel(reopened.id, by="alice", label="fix_request").label == "fix_request"


def test_label_export_holds_relabelled_and_approved_items(app: App) -> None:
    from monitor.store import labels as store_labels

    reviewer = app.reviewer()
    vents = pending(app, label="venting")
    reviewer.relabel(vents[0].id, by="alice", label="fix_request")
    reviewer.approve(vents[1].id, by="bob")
    reviewer.reject(vents[2].id, by="bob")
    skipped = pending(app, statuses=("skipped",))[0]
    reviewer.relabel(skipped.id, by="carol", label="praise")
    reviewer.relabel(skipped.id, by="dave", label="venting")
    with app.engine.connect() as conn:
        rows = {r.id: r for r in store_labels.export(conn, batch=2)}
    assert set(rows) == {vents[0].id, vents[1].id, skipped.id}
    assert (rows[vents[0].id].label, rows[vents[0].id].classifier_label,
            rows[vents[0].id].by) == ("fix_request", "venting", "alice")
    assert (rows[vents[1].id].label, rows[vents[1].id].classifier_label,
            rows[vents[1].id].by) == ("venting", "venting", "bob")
    assert (rows[skipped.id].label, rows[skipped.id].by) == ("venting", "dave")
    assert rows[skipped.id].text == skipped.mention.text
    assert rows[skipped.id].as_dict().keys() == {"id", "text", "label", "classifier_label",
                                                 "by", "at"}


def test_drafting_again_after_a_relabel_keeps_the_topic_evidence(app: App) -> None:
    """The classifier's evidence for the topic is stored with its verdict, so the reply a
    relabel (and then a redraft) writes names the topic as a draft from the classifier's
    own classification does, and passes the never-invent check on it."""
    from dataclasses import replace

    from monitor.model import Label

    checked = 0
    for item in pending(app, label="fix_request"):
        mention = review_mention(item)
        fresh = app.classifier.classify(mention.text)
        if not fresh.evidence or fresh.topic != item.topic:
            continue
        assert item.evidence == fresh.evidence  # stored at ingest, read back
        venting = replace(review_classification(item), label=Label.VENTING)
        if (app.drafter.draft(mention, venting).text
                == app.drafter.draft(mention, replace(venting, evidence=())).text):
            continue  # this case's wording does not name the topic: nothing to tell apart
        relabelled = app.reviewer().relabel(item.id, by="ann", label="venting")
        assert relabelled.draft is not None and relabelled.draft.violations == ()
        expected = app.drafter.draft(mention, replace(
            venting, confidence=1.0, priority=relabelled.priority))
        assert relabelled.draft.text == expected.text
        assert relabelled.draft.text != app.drafter.draft(mention, replace(
            venting, confidence=1.0, priority=relabelled.priority, evidence=())).text
        again = app.reviewer().redraft(item.id, by="ann", variant=0)
        assert again.draft is not None and again.draft.violations == ()
        as_relabelled = replace(venting, confidence=1.0, priority=relabelled.priority)
        assert again.draft.text == app.drafter.draft(mention, as_relabelled, variant=0).text
        assert again.draft.text != app.drafter.draft(
            mention, replace(as_relabelled, evidence=()), variant=0).text
        checked += 1
    assert checked >= 3
