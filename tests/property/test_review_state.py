"""The review state machine never reaches an illegal state, under random action sequences.

Two levels: the pure table in monitor/review/state.py, and the Reviewer acting on a real
SQLite queue (hypothesis stateful testing), where every action either moves the item exactly
as the table says (status, version + 1, one audit event) or is refused with
InvalidTransition and changes nothing.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from monitor.app import App
from monitor.config import FeedSettings, Settings, demo_settings
from monitor.errors import InvalidTransition
from monitor.model import Status
from monitor.review.actions import Reviewer
from monitor.review.state import TRANSITIONS, Action, allowed_actions, next_status
from monitor.store import engine as store_engine
from monitor.store.schema import review_events, review_items


def settings_for(db_url: str, *feeds: FeedSettings, base_dir: str) -> Settings:
    base = demo_settings(base_dir)
    return dataclasses.replace(base, database=dataclasses.replace(base.database, url=db_url),
                               feeds=feeds)

START = (Status.PENDING, Status.SKIPPED)  # what the pipeline queues
REACHABLE = {Status.PENDING, Status.SKIPPED, Status.APPROVED, Status.REJECTED, Status.PUBLISHED,
             Status.FAILED}


@given(start=st.sampled_from(START), actions=st.lists(st.sampled_from(list(Action)),
                                                      max_size=40))
def test_pure_machine_only_moves_along_the_table(start: Status, actions: list[Action]) -> None:
    status = start
    history = [status]
    for action in actions:
        before = status
        try:
            status = next_status(status, action)
        except InvalidTransition as exc:
            assert action not in allowed_actions(before)
            assert action.value in str(exc) and before.value in str(exc)
            continue
        assert (before, action) in TRANSITIONS and action in allowed_actions(before)
        assert status in REACHABLE
        # Published is final: nothing ever leaves it.
        assert before is not Status.PUBLISHED
        # Only an approved item is published; only an approved or failed one fails/approves.
        if status is Status.PUBLISHED:
            assert before is Status.APPROVED
        if status is Status.APPROVED:
            assert before in (Status.PENDING, Status.FAILED)
        history.append(status)
    assert all(s in REACHABLE for s in history)


def test_every_status_but_published_has_a_way_out() -> None:
    for status in Status:
        assert bool(allowed_actions(status)) == (status is not Status.PUBLISHED)


# --- the Reviewer on a real database ------------------------------------------------------

TEXTS = {
    "fix": "@northwindkettles my order #NW-1 never arrived, I want a refund",
    "neutral": "Northwind Kettles opened a shop on the high street",
}


@pytest.fixture(scope="module")
def seeded_db() -> Iterator[tuple[Path, Any]]:
    """A migrated SQLite file with one pending and one skipped item (copied per example), and
    the drafter (built once: loading the templates is the slow part)."""
    with tempfile.TemporaryDirectory(prefix="review-prop-") as tmp:
        folder = Path(tmp)
        feed_file = folder / "m.jsonl"
        feed_file.write_text("".join(
            f'{{"id": "{k}", "text": "{t}", "author": "@u{k}", '
            f'"created_at": "2026-11-24T08:00:00Z"}}\n' for k, t in TEXTS.items()),
            encoding="utf-8")
        db = folder / "seed.db"
        feed = FeedSettings(name="f", kind="jsonl", every=60.0, options={"path": str(feed_file)})
        app = App(settings_for(f"sqlite:///{db}", feed, base_dir=tmp), environ={})
        app.migrate()
        [result] = app.poll_all()
        assert result.new == 2
        drafter = app.drafter
        app.close()  # the last connection closing folds the WAL into the file
        yield db, drafter


class ReviewMachine(RuleBasedStateMachine):
    def __init__(self, db: Path, drafter: Any) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory(prefix="review-run-")
        copy = Path(self.dir.name) / "run.db"
        shutil.copyfile(db, copy)
        self.engine = store_engine.make_engine(f"sqlite:///{copy}")
        self.reviewer = Reviewer(engine=self.engine, drafter=drafter,
                                 clock=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(review_items.c.id, review_items.c.status)).all()
        self.model: dict[int, Status] = {r.id: Status(r.status) for r in rows}
        self.versions = dict.fromkeys(self.model, 1)
        self.events = len(self.model)  # one "queued" event each
        assert set(self.model.values()) == {Status.PENDING, Status.SKIPPED}

    def teardown(self) -> None:
        self.engine.dispose()
        self.dir.cleanup()

    def _do(self, item_id: int, action: Action, call: Any) -> None:
        before = self.model[item_id]
        try:
            item = call()
        except InvalidTransition:
            # Refused: either the table forbids it, or a documented guard (no draft,
            # a draft with violations, an empty edit) did.
            return
        expected = next_status(before, action)
        assert Status(item.status) is expected
        self.model[item_id] = expected
        self.versions[item_id] += 1
        self.events += 1
        assert item.version == self.versions[item_id]

    items = st.sampled_from([1, 2])

    @rule(item_id=items, force=st.booleans())
    def approve(self, item_id: int, force: bool) -> None:
        self._do(item_id, Action.APPROVE,
                 lambda: self.reviewer.approve(item_id, by="rev", force=force))

    @rule(item_id=items, reason=st.text(max_size=20))
    def reject(self, item_id: int, reason: str) -> None:
        self._do(item_id, Action.REJECT,
                 lambda: self.reviewer.reject(item_id, by="rev", reason=reason))

    @rule(item_id=items, text=st.sampled_from(["", "   ", "Sorry about that, we have sent a DM.",
                                               "THIS IS FINE!!!"]))
    def edit(self, item_id: int, text: str) -> None:
        self._do(item_id, Action.EDIT,
                 lambda: self.reviewer.edit(item_id, by="rev", text=text))

    @rule(item_id=items)
    def redraft(self, item_id: int) -> None:
        self._do(item_id, Action.DRAFT, lambda: self.reviewer.redraft(item_id, by="rev"))

    @rule(item_id=items)
    def reopen(self, item_id: int) -> None:
        self._do(item_id, Action.REOPEN, lambda: self.reviewer.reopen(item_id, by="rev"))

    @invariant()
    def database_matches_model(self) -> None:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(review_items.c.id, review_items.c.status,
                                          review_items.c.version, review_items.c.draft_id)
                                ).all()
            events = conn.execute(sa.select(sa.func.count()).select_from(review_events)
                                  ).scalar_one()
        for row in rows:
            assert Status(row.status) is self.model[row.id]
            assert row.version == self.versions[row.id]
            assert Status(row.status) in REACHABLE
            # Nothing waits for review or is approved without a draft to send (a skipped item
            # joins the queue only through `draft`, which writes one).
            if row.status in (Status.PENDING, Status.APPROVED, Status.PUBLISHED):
                assert row.draft_id is not None
        assert events == self.events


def test_reviewer_follows_the_machine_on_a_real_queue(seeded_db: tuple[Path, Any]) -> None:
    class Bound(ReviewMachine):
        def __init__(self) -> None:
            super().__init__(*seeded_db)

    run_state_machine_as_test(
        Bound,
        settings=settings(max_examples=60, stateful_step_count=20, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture]),
    )
