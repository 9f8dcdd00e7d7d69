"""Review actions that keep reply memory in step: every approved reply, edited or not, is
remembered with its post and label; a reply taken back (the item reopened: the only way out
of approved) is forgotten; and a reviewer can save an approved reply as a saved answer.

`RememberingReviewer` is the Reviewer the app hands out: each action runs as before, then
the item's memory row is brought in line with its new state in a short transaction of its
own (remembering is idempotent, so a crash between the two is repaired by the next action
on the item; migration 0006 remembered every reply approved before it). `on_change` is
called after each change, so the app's drafter can look at the memory again at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.config import RepliesSettings, SavedAnswer, check_answer
from monitor.draft.refill import strip_frame
from monitor.errors import InvalidTransition
from monitor.model import Status
from monitor.review.actions import Reviewer
from monitor.store import memory as store_memory
from monitor.store.queue import QueueItem

REMEMBERED_STATUSES = (Status.APPROVED.value, Status.PUBLISHED.value, Status.FAILED.value)
"""An item in one of these holds a reply a reviewer approved."""


def _nothing() -> None:
    return None


@dataclass
class RememberingReviewer(Reviewer):
    on_change: Callable[[], None] = field(default=_nothing)

    def sync_memory(self, item: QueueItem, by: str) -> QueueItem:
        """Remember the item's reply if it is approved, else forget it."""
        with self.engine.begin() as conn:
            if item.status in REMEMBERED_STATUSES and item.draft is not None:
                if store_memory.remembered_item(conn, item.id) == item.draft.text:
                    return item
                m = item.mention
                store_memory.remember(
                    conn, item_id=item.id, post=m.text, reply=item.draft.text,
                    label=item.label, language=item.language, author=m.author,
                    author_name=m.author_name, platform=m.platform,
                    replied_at=item.decided_at or self.clock(), by=by, now=self.clock())
            elif not store_memory.forget(conn, item.id):
                return item
        self.on_change()
        return item

    def approve(self, item_id: int, **kwargs: Any) -> QueueItem:
        item = super().approve(item_id, **kwargs)
        return self.sync_memory(item, str(kwargs.get("by", "")))

    def reopen(self, item_id: int, **kwargs: Any) -> QueueItem:
        return self.sync_memory(super().reopen(item_id, **kwargs), str(kwargs.get("by", "")))

    def save_answer(self, item_id: int, *, by: str, examples: Sequence[str],
                    keywords: Sequence[str] = (), text: str | None = None,
                    replies: RepliesSettings | None = None) -> str:
        """Save an approved item's reply as a saved answer (its post is the first example
        question unless `examples` are given); returns the new answer's id."""
        item = self.get(item_id)
        if item.status not in REMEMBERED_STATUSES or item.draft is None:
            raise InvalidTransition(f"item {item_id} has no approved reply to save; approve it "
                                    "first")
        reply = text if text is not None else item.draft.text
        # The answer is stored without the customer's handle or the signature: the drafter
        # adds the next customer's handle and the signature it is configured with.
        signature = replies.signature if replies is not None else ""
        answer_text = strip_frame(reply, (signature,))
        wanted = [e for e in examples if e.strip()] or [item.mention.text[:500]]
        entry = {"id": "saved", "text": answer_text, "examples": wanted,
                 "keywords": [k for k in keywords if k.strip()],
                 "language": item.language or "en"}
        answer: SavedAnswer = check_answer(entry, replies or RepliesSettings(),
                                           where=f"item {item_id}", path=None)
        with self.engine.begin() as conn:
            answer_id = store_memory.add_answer(conn, answer, item_id=item_id, by=by,
                                                now=self.clock())
        self.on_change()
        return answer_id
