"""The item page's "Save as answer" (CSRF-checked, any signed-in reviewer) and the draft's
note (where a draft came from) on the item page and in the API."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi.testclient import TestClient

from monitor.app import App
from monitor.model import Classification, Label, Mention, Sentiment
from monitor.store import items as store_items
from monitor.store import memory as store_memory
from monitor.store import queue as store_queue
from monitor.store.schema import review_items


def _pending(app: App, label: str = "fix_request") -> store_queue.QueueItem:
    """The most urgent pending English item with this label (saved answers keep the language
    of the reply they came from)."""
    with app.engine.connect() as conn:
        items = store_queue.list_items(
            conn, store_queue.QueueFilter(statuses=("pending",), label=label), limit=50).items
    return next(i for i in items if i.language == "en")


def test_an_approved_reply_is_saved_as_an_answer_that_drafts_later_questions(
        ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    item = _pending(app)
    pending_page = client.get(f"/items/{item.id}").text
    assert 'id="save-answer-form"' not in pending_page  # only approved replies
    # Forced: the reply answers a question the pending demo post may not ask (this test is
    # about saving answers, not the draft checks).
    tag = "@" + item.mention.author.lstrip("@")  # as a draft tags them (Bluesky: no @)
    app.reviewer().approve(item.id, by="ann", text=(
        f"{tag} Yes, we deliver to Ireland: orders arrive in three to five "
        "working days. ^NK"), force=True)
    page = client.get(f"/items/{item.id}").text
    form = page[page.index('id="save-answer-form"'):]
    form = form[:form.index("</form>")]
    assert 'name="csrf_token"' in form and 'name="examples"' in form

    refused = client.post(f"/items/{item.id}/save-answer",
                          data={"examples": "Do you deliver to Ireland?"},
                          follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(f"/items/{item.id}/save-answer", data={
        "csrf_token": csrf, "examples": "Do you deliver to Ireland?\nShipping to Dublin?",
        "keywords": "ireland, dublin"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/items/{item.id}"
    assert "Saved as answer saved-1" in client.get(f"/items/{item.id}").text
    with app.engine.connect() as conn:
        [saved] = store_memory.answers(conn)
    assert saved.text == ("Yes, we deliver to Ireland: orders arrive in three to five working "
                          "days.")
    assert saved.examples == ("Do you deliver to Ireland?", "Shipping to Dublin?")
    assert saved.keywords == ("ireland", "dublin") and saved.source == \
        f"saved by ann from item {item.id}"

    post = Mention(feed="t", platform="mastodon", external_id="q9", author="@pat@example.social",
                   text="hello! do you deliver to Ireland?", created_at=datetime.now(UTC))
    question = Classification(label=Label.QUESTION, sentiment=Sentiment(0, 1, 0, 0),
                              topic="delivery", priority=0.4, reasons=(), confidence=0.9)
    draft = app.drafter.draft(post, question)
    assert draft.template == "answer/saved-1"
    assert draft.text == ("@pat@example.social Yes, we deliver to Ireland: orders arrive in "
                          "three to five working days. ^NK")


def test_saving_needs_an_approved_reply(ann: tuple[TestClient, str], app: App) -> None:
    client, csrf = ann
    item = _pending(app)
    response = client.post(f"/items/{item.id}/save-answer", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert "no approved reply to save" in response.text


def test_the_item_page_and_the_api_show_where_a_draft_came_from(
        ann: tuple[TestClient, str], app: App) -> None:
    client, _ = ann
    item = _pending(app)
    note = "based on your reply to @jo, 3 Nov"
    with app.engine.begin() as conn:
        draft_id = store_items.add_draft(conn, item.mention.id, "@x Send us a DM, please.",
                                         "memory/7", (), "system", app.clock(), note=note)
        conn.execute(sa.update(review_items).where(review_items.c.id == item.id)
                     .values(draft_id=draft_id))
    page = client.get(f"/items/{item.id}").text
    assert 'id="draft-note">Based on your reply to @jo, 3 Nov</p>' in page
    api = client.get(f"/api/items/{item.id}").json()
    assert api["draft"]["note"] == note and api["draft"]["template"] == "memory/7"
