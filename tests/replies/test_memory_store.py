"""Reply memory end to end on both databases: approving remembers (edited or not), taking an
approval back forgets, a similar new post is drafted from memory with its note stored and
shown, and migration 0006 remembers replies approved before it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.store import engine as store_engine
from monitor.store import memory as store_memory
from monitor.store import queue as store_queue
from monitor.store.queue import QueueFilter
from monitor.store.schema import drafts, reply_memory
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.test_cli import run

LOCK_POST = ("@northwindkettles someone changed the email on my account and placed an order I "
             "didn't make. Please lock it and call me, this is urgent")


@pytest.fixture
def app(db_url: str, clock: FakeClock, tmp_path: Path) -> Iterator[App]:
    feed_file = tmp_path / "later.jsonl"
    feed_file.write_text("", encoding="utf-8")
    base = make_settings(db_url, base_dir=str(tmp_path))
    settings = dataclasses.replace(base, feeds=(*base.feeds, jsonl_feed(feed_file, "later")))
    application = App(settings, environ={}, clock=clock)
    application.migrate()
    results = application.poll_all()
    assert all(r.ok for r in results)
    yield application
    application.close()


def post_later(app: App, tmp_path: Path, external_id: str, text: str,
               author: str = "@kim") -> store_queue.QueueItem:
    with (tmp_path / "later.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": external_id, "text": text, "author": author,
                             "created_at": "2026-11-24T08:30:00Z"}) + "\n")
    [result] = app.poll_all(only="later")
    assert result.ok and result.new == 1, result
    with app.engine.connect() as conn:
        page = store_queue.list_items(conn, QueueFilter(statuses=None, feed="later"), limit=100)
    return next(i for i in page.items if i.mention.external_id == external_id)


def find(app: App, text_start: str) -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        page = store_queue.list_items(conn, QueueFilter(statuses=None), limit=500)
    return next(i for i in page.items if i.mention.text.startswith(text_start))


def memory_rows(app: App) -> list[Any]:
    with app.engine.connect() as conn:
        return list(conn.execute(sa.select(reply_memory).order_by(reply_memory.c.id)))


def test_approved_replies_are_remembered_and_taken_back_ones_forgotten(app: App) -> None:
    reviewer = app.reviewer()
    item = find(app, LOCK_POST[:40])
    assert item.label == "fix_request" and item.draft is not None
    edited = item.draft.text.replace("Sorry, that sounds frustrating.",
                                     "Sorry, that sounds worrying.")
    reviewer.approve(item.id, by="sam", text=edited)
    [row] = memory_rows(app)
    assert (row.item_id, row.reply, row.label, row.author, row.source, row.created_by) == (
        item.id, edited, "fix_request", item.mention.author, "approved", "sam")
    assert row.post == item.mention.text and row.language == item.language

    reviewer.reopen(item.id, by="sam")
    assert memory_rows(app) == []
    reviewer.approve(item.id, by="ann")
    [again] = memory_rows(app)
    assert again.item_id == item.id and again.created_by == "ann"
    reviewer.reopen(item.id, by="ann")
    reviewer.reject(item.id, by="ann", reason="not ours")
    assert memory_rows(app) == []


def test_a_similar_post_is_drafted_from_memory_with_its_note_everywhere(
        app: App, tmp_path: Path, db_url: str) -> None:
    reviewer = app.reviewer()
    item = find(app, LOCK_POST[:40])
    reviewer.approve(item.id, by="sam")
    [row] = memory_rows(app)

    new = post_later(app, tmp_path, "n1", "someone changed the email on my account and "
                     "placed orders I never made. Please lock it, urgent!", author="@kim")
    assert new.label == "fix_request"
    assert new.draft is not None and new.draft.template == f"memory/{row.id}"
    assert new.draft.text.startswith("@kim Sorry, that sounds frustrating.")
    assert new.draft.violations == ()
    note = f"based on your reply to {item.mention.author}, 24 Nov"
    assert new.draft.note == note
    with app.engine.connect() as conn:
        stored = conn.execute(sa.select(drafts.c.note).where(drafts.c.id == new.draft.id))
        assert stored.scalar_one() == note
    assert new.as_dict()["draft"]["note"] == note

    env = {"COMPLAINT_MONITOR_DATABASE_URL": db_url}
    shown = run(tmp_path, "queue", "show", str(new.id), env=env)
    assert shown.returncode == 0, shown.stderr
    assert f"draft (memory/{row.id}):" in shown.stdout and f"({note})" in shown.stdout

    # An edit keeps the note; another wording is a template's and has none.
    edited = reviewer.edit(new.id, by="ann", text=new.draft.text.replace("urgent", "soon"))
    assert edited.draft is not None and edited.draft.note == note
    redrafted = reviewer.redraft(new.id, by="ann", variant=0)
    assert redrafted.draft is not None and redrafted.draft.note is None
    assert not redrafted.draft.template.startswith("memory/")


def test_imported_pairs_are_added_once(app: App) -> None:
    rows = [store_memory.ImportRow(1, "where is my parcel", "Sorry! DM us.", "fix_request"),
            store_memory.ImportRow(2, "love it", "Thank you!", "praise")]
    with app.engine.begin() as conn:
        assert store_memory.import_pairs(conn, rows, by="t", now=app.clock()) == (2, 0)
    with app.engine.begin() as conn:
        assert store_memory.import_pairs(conn, rows[:1], by="t", now=app.clock()) == (0, 1)
        assert store_memory.counts(conn) == {"fix_request": 1, "praise": 1}
        assert store_memory.state(conn)[0] == 2


def test_migration_0006_remembers_replies_approved_before_it(app: App) -> None:
    item = find(app, LOCK_POST[:40])
    app.reviewer().approve(item.id, by="sam")
    store_engine.upgrade(app.engine, "0005")
    store_engine.upgrade(app.engine)
    [row] = memory_rows(app)
    assert row.item_id == item.id and row.label == "fix_request" and row.created_by == "sam"
    assert row.reply == item.draft.text if item.draft else False
