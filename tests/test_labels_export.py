"""store.labels.export across many batches, on both databases: the rows it writes are worked
out here from the review actions the test itself takes (who relabelled or approved what, and
when), not from another query, and every batch size gives the same rows in the same order."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.store import labels as store_labels
from monitor.store import queue as store_queue
from monitor.store.schema import review_items
from tests.conftest import FakeClock, make_settings

RELABEL_TO = ("fix_request", "venting", "praise")


@pytest.fixture
def app(demo_app: Any) -> Any:
    return demo_app


def _other_label(label: str, k: int) -> str:
    choices = [x for x in RELABEL_TO if x != label]
    return choices[k % len(choices)]


def test_export_rows_are_the_same_for_every_batch_size(app: App, clock: FakeClock) -> None:
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=1000).items
    ids = sorted(i.id for i in items)
    status = {i.id: i.status for i in items}
    label = {i.id: i.label for i in items}
    reviewer = app.reviewer()
    # who/when the export must name for each item it holds: the latest relabel's reviewer
    # and time if there is one, else the approval's decider and time.
    relabelled: dict[int, tuple[str, str]] = {}
    approved: dict[int, tuple[str, str]] = {}
    published: list[int] = []
    failed: list[int] = []

    def relabel(item_id: int, by: str, k: int) -> None:
        clock.advance(seconds=7)
        label[item_id] = reviewer.relabel(item_id, by=by, label=_other_label(label[item_id],
                                                                            k)).label
        relabelled[item_id] = (by, clock.now.isoformat())

    def approve(item_id: int, by: str) -> None:
        clock.advance(seconds=5)
        reviewer.approve(item_id, by=by, force=True)
        approved[item_id] = (by, clock.now.isoformat())

    # Actions in a shuffled item order, so the relabel events' ids do not follow the items'
    # ids and a batch's latest relabels sit among other batches' events.
    order = list(enumerate(ids))
    random.Random(7).shuffle(order)
    for k, item_id in order:
        role = k % 8
        if status[item_id] == "skipped" and role in (1, 3, 5, 6):
            role = 0 if role in (1, 5) else 7  # a skipped item has no draft to approve
        if role == 0:  # relabelled once
            relabel(item_id, f"ann{k}", k)
        elif role == 1:  # approved as labelled
            approve(item_id, f"bob{k}")
        elif role == 2:  # relabelled twice, then approved: the second relabel names it
            relabel(item_id, "cat", k)
            relabel(item_id, f"dan{k}", k + 1)
            clock.advance(seconds=3)
            reviewer.approve(item_id, by="eve", force=True)
        elif role == 3:  # rejected: not exported
            clock.advance(seconds=2)
            reviewer.reject(item_id, by="fay")
        elif role == 4:  # relabelled, then rejected: the relabel is still a human label
            relabel(item_id, f"gus{k}", k)
            clock.advance(seconds=2)
            reviewer.reject(item_id, by="hal")
        elif role == 5:  # approved, then reopened and edited: no longer exported
            clock.advance(seconds=2)
            reviewer.approve(item_id, by="ivy", force=True)
            clock.advance(seconds=2)
            reviewer.reopen(item_id, by="ivy")
            clock.advance(seconds=2)
            reviewer.edit(item_id, by="ivy", text="Sorry to hear that; please DM us. ^NK")
        elif role == 6:  # approved, then sent (or its send failed): still an approval
            approve(item_id, f"jo{k}")
            (published if k // 8 % 2 else failed).append(item_id)
        # role 7: left as ingested
    with app.engine.begin() as conn:
        # The publisher's outcome, set directly: only the status matters to the export.
        for ids_, to in ((published, "published"), (failed, "failed")):
            conn.execute(sa.update(review_items).where(review_items.c.id.in_(ids_))
                         .values(status=to))

    expected: list[dict[str, Any]] = []
    with app.engine.connect() as conn:
        for item_id in ids:
            who = relabelled.get(item_id) or approved.get(item_id)
            if who is None:
                continue
            item = store_queue.get_item(conn, item_id)
            assert item.label == label[item_id]
            expected.append({"id": item_id, "text": item.mention.text, "label": item.label,
                             "classifier_label": item.classifier_label, "by": who[0],
                             "at": who[1]})
        assert len(expected) > 4 * 5 and published and failed
        assert any(r["label"] != r["classifier_label"] for r in expected)
        assert any(r["label"] == r["classifier_label"] for r in expected)
        for batch in (1, 2, 3, 5, 8, len(expected) - 1, len(expected), len(expected) + 1, 500):
            got = [r.as_dict() for r in store_labels.export(conn, batch=batch)]
            assert got == expected, f"batch={batch}"


def test_export_refuses_an_empty_batch(sqlite_url: str, clock: FakeClock,
                                       tmp_path: Path) -> None:
    app = App(make_settings(sqlite_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    try:
        app.migrate()
        with app.engine.connect() as conn, pytest.raises(ValueError, match="at least 1"):
            next(store_labels.export(conn, batch=0))
    finally:
        app.close()
