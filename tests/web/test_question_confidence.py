"""The question label and each label's confidence and language on the web: the queue row's
language and "check the label" mark (below [classifier] check_below only) and its filter,
the item page's note and question button (key q), the API's fields, filter and enums, and
the stats series."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.review import insights
from monitor.store import queue as store_queue
from monitor.store import users as store_users
from monitor.store.schema import review_items
from monitor.web import stats
from tests.web.conftest import item_ids

STATIC = Path(__file__).resolve().parents[2] / "monitor" / "web" / "static"


def _pending(app: App) -> list[store_queue.QueueItem]:
    with app.engine.connect() as conn:
        return store_queue.list_items(conn, store_queue.QueueFilter(), limit=1000).items


def _set(app: App, item_id: int, confidence: float | None, language: str | None) -> None:
    with app.engine.begin() as conn:
        conn.execute(sa.update(review_items).where(review_items.c.id == item_id)
                     .values(confidence=confidence, language=language))


def _unsure_and_sure(app: App) -> tuple[int, int]:
    """Two pending items: one the classifier was unsure of (0.42, German), one it was sure of
    (0.91, English); every other pending item sure too."""
    items = _pending(app)
    for item in items:
        _set(app, item.id, 0.91, "en")
    unsure, sure = items[1].id, items[0].id
    _set(app, unsure, 0.42, "de")
    return unsure, sure


def _row(html: str, item_id: int) -> str:
    row = html[html.index(f'data-id="{item_id}"'):]
    return row[:row.index("</tr>")]


def test_queue_rows_show_the_language_and_mark_only_unsure_labels(
        ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    unsure, sure = _unsure_and_sure(app)
    html = client.get("/").text
    assert 'class="check-mark"' in _row(html, unsure)
    assert "check the label" in _row(html, unsure)
    assert '<span class="lang muted small" title="language">de</span>' in _row(html, unsure)
    assert "check-mark" not in _row(html, sure)
    assert '<span class="lang muted small" title="language">en</span>' in _row(html, sure)
    assert html.count('class="check-mark"') == 1
    only = client.get("/", params={"check_label": "1"}).text
    assert item_ids(only) == [unsure]
    assert 'name="check_label" value="1" checked' in only
    # The item page keeps the filter for j/k: the unsure item has no neighbours in it.
    page = client.get(f"/items/{unsure}", params={"check_label": "1"}).text
    assert 'id="next-link"' not in page and 'id="prev-link"' not in page


def test_the_threshold_comes_from_the_config(ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    unsure, sure = _unsure_and_sure(app)
    settings = app.settings

    def threshold(value: float) -> None:
        app.settings = replace(settings, classifier=replace(settings.classifier,
                                                            check_below=value))

    threshold(0.95)
    html = client.get("/").text
    assert "check-mark" in _row(html, unsure) and "check-mark" in _row(html, sure)
    threshold(0.42)  # not below: equal
    assert "check-mark" not in client.get("/").text
    threshold(0.0)
    assert "check-mark" not in client.get("/").text
    assert 'id="check-label"' not in client.get(f"/items/{unsure}").text


def test_item_page_shows_language_confidence_the_note_and_the_question_button(
        ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    unsure, sure = _unsure_and_sure(app)
    html = client.get(f"/items/{unsure}").text
    assert '<span id="item-language" title="the language the classifier read the post in">' \
           "language de</span>" in html
    assert '<span id="item-confidence">confidence 0.42</span>' in html
    note = html[html.index('id="check-label"'):]
    assert "Check the label:" in note[:note.index("</p>")]
    assert "only 42% sure" in note[:note.index("</p>")]
    form = html[html.index('id="relabel-form"'):]
    form = form[:form.index("</form>")]
    buttons = re.findall(r'name="label" value="(\w+)"[^>]*?data-key="(\w)"', form)
    assert buttons == [("fix_request", "f"), ("venting", "v"), ("question", "q"),
                       ("praise", "p"), ("neutral", "n")]
    assert "<kbd>f</kbd> <kbd>v</kbd> <kbd>q</kbd> <kbd>p</kbd> <kbd>n</kbd>" in html
    assert 'id="check-label"' not in client.get(f"/items/{sure}").text

    done = client.post(f"/items/{unsure}/relabel", data={
        "csrf_token": csrf, "label": "question"}, follow_redirects=False)
    assert done.status_code == 303
    after = client.get(f"/items/{unsure}").text
    assert "Relabelled question (was " in after
    assert '<span class="label label-question">Question</span>' in after
    assert 'id="check-label"' not in after  # the reviewer's label is certain
    assert '<span id="item-confidence">confidence 1.00</span>' in after
    assert "language de" in after


def test_keyboard_q_is_the_question_key_and_the_chip_has_a_colour() -> None:
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    assert re.search(r'case "f": case "v": case "q": case "p": case "n": return relabelKey',
                     js)
    others = re.findall(r'case "(\w)":', js)
    assert others.count("q") == 1  # q does nothing else on either page
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for rule in (".label-question", ".sw-question", ".fill-question", ".check-mark"):
        assert rule in css


def test_api_items_carry_confidence_language_and_check_label(anon: TestClient,
                                                             app: App) -> None:
    with app.engine.begin() as conn:
        user = store_users.by_name(conn, "ann")
        token = store_users.issue_token(conn, user.id, "tests", app.clock())
    auth = {"Authorization": f"Bearer {token}"}
    unsure, sure = _unsure_and_sure(app)
    body = anon.get("/api/items", params={"limit": 500}, headers=auth).json()
    by_id = {i["id"]: i for i in body["items"]}
    assert (by_id[unsure]["confidence"], by_id[unsure]["language"],
            by_id[unsure]["check_label"]) == (0.42, "de", True)
    assert (by_id[sure]["confidence"], by_id[sure]["check_label"]) == (0.91, False)
    assert list(by_id[unsure])[:6] == ["id", "status", "label", "confidence", "language",
                                       "check_label"]
    only = anon.get("/api/items", params={"check_label": "true"}, headers=auth).json()
    assert [i["id"] for i in only["items"]] == [unsure]

    one = anon.get(f"/api/items/{unsure}", headers=auth).json()
    assert (one["check_label"], one["classifier_label"]) == (True, one["label"])
    relabelled = anon.post(f"/api/items/{unsure}/relabel", headers=auth,
                           json={"label": "question", "version": one["version"]})
    assert relabelled.status_code == 200, relabelled.text
    after: dict[str, Any] = relabelled.json()
    assert (after["label"], after["status"], after["confidence"], after["check_label"],
            after["language"]) == ("question", "pending", 1.0, False, "de")
    assert after["classifier_label"] == one["label"]
    assert 0.35 <= after["priority"] <= 0.49
    questions = anon.get("/api/items", params={"label": "question"}, headers=auth).json()
    assert unsure in [i["id"] for i in questions["items"]]
    assert all(i["label"] == "question" for i in questions["items"])

    doc = anon.get("/api/openapi.json", headers=auth).json()
    params = {p["name"]: p for p in doc["paths"]["/api/items"]["get"]["parameters"]}
    label_enum = params["label"]["schema"].get("enum") or next(
        s["enum"] for s in params["label"]["schema"]["anyOf"] if "enum" in s)
    assert label_enum == ["fix_request", "venting", "question", "praise", "neutral"]
    assert params["check_label"]["schema"]["type"] == "boolean"


def test_stats_count_questions_in_their_own_series(ann: tuple[TestClient, str],
                                                   app: App) -> None:
    client, _ = ann
    reviewer = app.reviewer()
    moved = [i for i in _pending(app) if i.label != "question"][:3]
    for item in moved:
        reviewer.relabel(item.id, by="ann", label="question")
    with app.engine.connect() as conn:
        _, per_label = insights.mentions_per_day(conn, app.clock())
        questions = store_queue.list_items(conn, store_queue.QueueFilter(
            statuses=None, label="question"), limit=1000).items
    assert list(per_label) == ["fix_request", "venting", "question", "praise", "neutral"]
    first_day = app.clock().date().toordinal() - stats.DAYS + 1
    assert sum(per_label["question"]) == sum(
        1 for q in questions if q.mention.created_at.date().toordinal() >= first_day)
    assert sum(per_label["question"]) >= 3
    html = client.get("/stats").text
    assert '<i class="sw-question"></i>Question' in html
    assert 'class="fill-question"' in html
