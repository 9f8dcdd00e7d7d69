"""The pipeline on both databases: store once, cursor with the page, failures as values."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa

from monitor.adapters.base import AdapterContext, Cursor, Page, RawItem
from monitor.app import App
from monitor.config import FeedSettings
from monitor.errors import RateLimited, SourceUnavailable
from monitor.model import Mention
from monitor.store import feeds as store_feeds
from monitor.store.schema import classifications, drafts, mentions, review_events, review_items
from tests.conftest import FakeClock, jsonl_feed, make_settings


def write_jsonl(path: Path, rows: Sequence[dict[str, Any] | str]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


def rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    texts = [
        "@northwindkettles my order #NW-{i} never arrived, I want a refund",
        "Absolutely love my Northwind kettle {i}, thank you!",
        "worst company ever, never again #fail ({i})",
        "Northwind Kettles opened a shop on street {i}",
    ]
    return [
        {"id": f"m{i}", "text": texts[i % 4].format(i=i), "author": f"@user{i}",
         "created_at": "2026-11-24T08:00:00Z", "url": f"https://example.social/{i}"}
        for i in range(start, start + n)
    ]


def count(app: App, table: sa.Table) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


@pytest.fixture
def make_app(db_url: str, clock: FakeClock, tmp_path: Path) -> Any:
    apps: list[App] = []

    def build(*feeds: FeedSettings) -> App:
        app = App(make_settings(db_url, *feeds, base_dir=str(tmp_path)), environ={}, clock=clock)
        app.migrate()
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.close()


def test_jsonl_poll_stores_classifies_drafts_and_enqueues(make_app: Any, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(40))
    app = make_app(jsonl_feed(path, page_size=7))
    [result] = app.poll_all()
    assert result.ok, result.failure
    assert (result.fetched, result.new, result.duplicates, result.errors) == (40, 40, 0, 0)
    assert result.pages == 6
    assert count(app, mentions) == 40
    assert count(app, classifications) == 40
    assert count(app, review_items) == 40
    assert count(app, review_events) == 40
    with app.engine.connect() as conn:
        statuses = dict(conn.execute(
            sa.select(review_items.c.label, review_items.c.status).distinct()
        ).all())
        drafted = conn.execute(sa.select(sa.func.count()).select_from(drafts)).scalar_one()
        skipped_with_draft = conn.execute(
            sa.select(sa.func.count()).select_from(review_items).where(
                review_items.c.status == "skipped", review_items.c.draft_id.is_not(None))
        ).scalar_one()
    assert statuses.get("neutral", "skipped") == "skipped"
    assert skipped_with_draft == 0
    assert drafted == count(app, review_items) - _skipped(app)


def _skipped(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(review_items).where(
            review_items.c.status == "skipped")).scalar_one())


def test_second_poll_adds_nothing_and_new_lines_are_picked_up(make_app: Any,
                                                              tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(10))
    app = make_app(jsonl_feed(path))
    app.poll_all()
    [again] = app.poll_all()
    assert (again.fetched, again.new) == (0, 0)
    with path.open("a") as fh:
        for row in rows(5, start=10):
            fh.write(json.dumps(row) + "\n")
    [more] = app.poll_all()
    assert (more.fetched, more.new) == (5, 5)
    assert count(app, mentions) == 15


def test_duplicates_are_dropped_even_when_the_cursor_is_lost(make_app: Any,
                                                             tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(10) + rows(3))  # 3 repeated ids in the file
    app = make_app(jsonl_feed(path))
    [first] = app.poll_all()
    assert (first.new, first.duplicates) == (10, 3)
    with app.engine.begin() as conn:  # as if the cursor had never been saved
        state = store_feeds.get(conn, "import")
        assert state is not None
        store_feeds.save_cursor(conn, state.id, None)
    [second] = app.poll_all()
    assert (second.new, second.duplicates) == (0, 13)
    assert count(app, review_items) == 10


def test_malformed_lines_are_recorded_and_skipped(make_app: Any, tmp_path: Path) -> None:
    good = rows(3)
    path = write_jsonl(tmp_path / "m.jsonl", [good[0], "{not json", good[1], '["a list"]',
                                              {"id": "x", "text": ""}, good[2],
                                              {"id": "y", "text": "hi", "created_at": "never"}])
    app = make_app(jsonl_feed(path))
    [result] = app.poll_all()
    assert result.ok
    assert result.new == 3
    assert result.errors == 4
    joined = " | ".join(result.problems)
    assert "line 2" in joined and "not valid JSON" in joined
    assert "line 4" in joined and "line 5" in joined and "bad created_at" in joined
    with app.engine.connect() as conn:
        state = store_feeds.get(conn, "import")
        assert state is not None
        problems = store_feeds.recent_problems(conn, state.id)
    assert len(problems) == 4


class ScriptedAdapter:
    """A feed whose pages and failures a test scripts."""

    kind: ClassVar[str] = "scripted"
    script: ClassVar[list[Any]] = []

    def __init__(self, feed: FeedSettings, ctx: AdapterContext) -> None:
        self.name = feed.name
        self.platform = "scripted"
        self.calls: list[Cursor | None] = []

    def fetch(self, cursor: Cursor | None) -> Page:
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        assert isinstance(step, Page)
        return step

    def normalise(self, raw: RawItem) -> Mention:
        from datetime import UTC, datetime

        if raw.payload.get("broken"):
            raise KeyError("text")
        return Mention(feed=self.name, platform=self.platform, external_id=raw.external_id,
                       text=str(raw.payload["text"]), author="@someone",
                       created_at=datetime(2026, 11, 24, 8, tzinfo=UTC))


def page(ids: Sequence[str], cursor: int, more: bool = False) -> Page:
    return Page(items=[RawItem(i, {"text": f"my order {i} never arrived, please help"})
                       for i in ids], cursor={"n": cursor}, more=more)


def scripted_app(make_app: Any, *feeds: FeedSettings) -> App:
    app: App = make_app(*feeds)
    app.registry.add("scripted", ScriptedAdapter)
    return app


def test_a_failing_feed_does_not_stop_the_others_and_keeps_its_cursor(
    make_app: Any, tmp_path: Path, clock: FakeClock
) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(4))
    bad = FeedSettings(name="bad", kind="scripted", every=60.0)
    app = scripted_app(make_app, bad, jsonl_feed(path))
    ScriptedAdapter.script[:] = [page(["a", "b"], 1, more=True),
                                 SourceUnavailable("server error 503 from http://127.0.0.1")]
    results = {r.feed: r for r in app.poll_all()}
    assert results["import"].ok and results["import"].new == 4
    assert not results["bad"].ok
    assert "503" in (results["bad"].failure or "")
    assert results["bad"].new == 2  # the first page was stored before the failure
    with app.engine.connect() as conn:
        state = store_feeds.get(conn, "bad")
    assert state is not None
    assert state.cursor == {"n": 1}
    assert state.last_error and "503" in state.last_error
    assert state.retry_at is not None and state.retry_at > clock()
    # Before retry_at the feed is not polled again, and still reported as failing.
    [waiting] = app.poll_all("bad")
    assert waiting.waiting and not waiting.ok
    clock.advance(hours=2)
    ScriptedAdapter.script[:] = [page(["b", "c"], 2)]
    [healed] = app.poll_all("bad")
    assert healed.ok and (healed.new, healed.duplicates) == (1, 1)
    with app.engine.connect() as conn:
        state = store_feeds.get(conn, "bad")
    assert state is not None and state.last_error is None and state.cursor == {"n": 2}


def test_rate_limit_is_honoured_and_not_called_a_failure_while_waiting(
    make_app: Any, clock: FakeClock
) -> None:
    from datetime import timedelta

    app = scripted_app(make_app, FeedSettings(name="limited", kind="scripted", every=60.0))
    until = clock() + timedelta(minutes=15)
    ScriptedAdapter.script[:] = [RateLimited("429 from server", retry_at=until)]
    [first] = app.poll_all()
    assert not first.ok and first.retry_at == until
    assert "rate limited" in (first.failure or "")
    [second] = app.poll_all()
    assert second.waiting and second.ok and second.retry_at == until
    assert ScriptedAdapter.script == []  # not fetched while waiting


def test_unreadable_items_are_skipped_not_fatal(make_app: Any) -> None:
    app = scripted_app(make_app, FeedSettings(name="s", kind="scripted", every=60.0))
    ScriptedAdapter.script[:] = [Page(items=[RawItem("ok1", {"text": "help, my order is lost"}),
                                             RawItem("bad1", {"broken": True})],
                                      cursor={"n": 1})]
    [result] = app.poll_all()
    assert result.ok and result.new == 1 and result.errors == 1
    assert "bad1" in result.problems[0]


def test_brand_own_posts_are_never_queued(make_app: Any, tmp_path: Path) -> None:
    data = rows(2)
    data[0]["author"] = "@NorthwindKettles"
    path = write_jsonl(tmp_path / "m.jsonl", data)
    app = make_app(jsonl_feed(path))
    [result] = app.poll_all()
    assert result.new == 1 and result.own_posts == 1


def test_stop_between_pages_keeps_what_was_committed(make_app: Any, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(30))
    app = make_app(jsonl_feed(path, page_size=10))
    pipeline = app.pipeline(on_progress=lambda feed, n: app.stop.set() if n >= 10 else None)
    result = app.poll_feed(app.settings.feeds[0], pipeline)
    assert result.new == 10
    app.stop.clear()
    [rest] = app.poll_all()
    assert rest.new == 20
    assert count(app, review_items) == 30


def test_pages_are_stored_in_feed_order_with_repeats_dropped(make_app: Any,
                                                             tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", rows(25) + rows(4))  # 4 repeated at the end
    app = make_app(jsonl_feed(path, page_size=10))
    [result] = app.poll_all()
    assert result.ok, result.failure
    assert (result.new, result.duplicates, result.pages) == (25, 4, 3)
    for table in (mentions, classifications, review_items, review_events):
        assert count(app, table) == 25, table.name
    with app.engine.connect() as conn:
        order = conn.execute(sa.select(mentions.c.external_id).order_by(mentions.c.id)
                             ).scalars().all()
        items = conn.execute(sa.select(review_items.c.id).order_by(review_items.c.mention_id)
                             ).scalars().all()
    assert order == [f"m{i}" for i in range(25)]
    assert items == sorted(items)


class _FailingOn:
    """The real classifier, except that it raises for one text: a bug met mid-page."""

    def __init__(self, inner: Any, text: str) -> None:
        self.inner, self.text, self.name = inner, text, inner.name

    def classify(self, text: str, context: Any = None) -> Any:
        if text == self.text:
            raise RuntimeError("classifier bug")
        return self.inner.classify(text, context)


def test_a_page_failing_midway_leaves_nothing_of_it_and_keeps_the_cursor(
        make_app: Any, tmp_path: Path, clock: FakeClock) -> None:
    """The second page's 8th mention fails to classify: none of that page stays, its cursor
    does not move, and the next poll stores it once."""
    data = rows(20)
    path = write_jsonl(tmp_path / "m.jsonl", data)
    app = make_app(jsonl_feed(path, page_size=10))
    real = app.classifier
    app.__dict__["classifier"] = _FailingOn(real, data[17]["text"])
    [failed] = app.poll_all()
    assert not failed.ok and "classifier bug" in (failed.failure or "")
    assert failed.new == 10
    for table in (mentions, classifications, review_items, review_events):
        assert count(app, table) == 10, table.name
    with app.engine.connect() as conn:
        stored = set(conn.execute(sa.select(mentions.c.external_id)).scalars())
        state = store_feeds.get(conn, "import")
    assert stored == {f"m{i}" for i in range(10)}
    assert state is not None and state.cursor is not None and state.cursor["line"] == 10
    app.__dict__["classifier"] = real
    clock.advance(hours=2)  # past the back-off
    [healed] = app.poll_all()
    assert healed.ok and (healed.new, healed.duplicates) == (10, 0)
    for table in (mentions, classifications, review_items, review_events):
        assert count(app, table) == 20, table.name


class _Batching:
    """The real classifier behind `classify_many`, recording each batch it is handed."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.batches = inner, inner.name, []

    def classify(self, text: str, context: Any = None) -> Any:
        self.batches.append([text])
        return self.inner.classify(text, context)

    def classify_many(self, texts: Sequence[str], contexts: Sequence[Any]) -> list[Any]:
        self.batches.append(list(texts))
        return [self.inner.classify(t, c) for t, c in zip(texts, contexts, strict=True)]


def test_a_batching_classifier_gets_each_pages_new_mentions_at_once(
        make_app: Any, tmp_path: Path) -> None:
    """Pages of 10 new mentions reach classify_many as one batch each; a page with a single
    new mention uses classify; what is stored equals the one-at-a-time path's."""
    data = rows(21)
    path = write_jsonl(tmp_path / "m.jsonl", data)
    app = make_app(jsonl_feed(path, page_size=10))
    batching = _Batching(app.classifier)
    app.__dict__["classifier"] = batching
    [result] = app.poll_all()
    assert result.ok and result.new == 21
    assert batching.batches == [[r["text"] for r in data[:10]], [r["text"] for r in data[10:20]],
                                [data[20]["text"]]]
    with app.engine.connect() as conn:
        stored = dict(conn.execute(
            sa.select(mentions.c.external_id, classifications.c.label)
            .join(classifications, classifications.c.mention_id == mentions.c.id)).all())
    real = batching.inner
    assert stored == {r["id"]: real.classify(r["text"]).label.value for r in data}


def test_a_changed_feed_definition_clears_the_stale_failure_and_its_back_off(
    make_app: Any, tmp_path: Path, clock: FakeClock
) -> None:
    """Issue 16, item 10: after the config was fixed, the old failure and its back-off still
    held the feed for minutes. The fix is polled at once; the same config still waits."""
    broken = make_app(jsonl_feed(tmp_path / "typo.jsonl"))
    [failed] = broken.poll_all()
    assert not failed.ok and "not found" in (failed.failure or "")
    [still] = broken.poll_all()  # the same definition: the back-off holds
    assert still.waiting and not still.ok
    clock.advance(seconds=1)
    fixed = make_app(jsonl_feed(write_jsonl(tmp_path / "m.jsonl", rows(3))))
    [healed] = fixed.poll_all()
    assert healed.ok and not healed.waiting and healed.new == 3
    with fixed.engine.connect() as conn:
        state = store_feeds.get(conn, "import")
    assert state is not None and state.last_error is None and state.retry_at is None


def test_a_changed_definition_does_not_cut_a_rate_limit_short(
    make_app: Any, clock: FakeClock
) -> None:
    from datetime import timedelta

    app = scripted_app(make_app, FeedSettings(name="limited", kind="scripted", every=60.0))
    ScriptedAdapter.script[:] = [RateLimited("429", retry_at=clock() + timedelta(minutes=15))]
    app.poll_all()
    other = scripted_app(make_app, FeedSettings(name="limited", kind="scripted", every=120.0))
    [waiting] = other.poll_all()
    assert waiting.waiting and ScriptedAdapter.script == []
