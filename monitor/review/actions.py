"""Review actions: approve, reject, edit, redraft, reopen, relabel, each audited and
version-checked.

Used by the CLI, the web app and the JSON API alike. An edited text is checked again with
the drafter's safety checks; an approval of a draft with violations needs `force`. A relabel
replaces the item's label only: the classifier's verdict stays in its classifications row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from monitor.classify.priority import BANDS
from monitor.draft import ReplyDrafter
from monitor.errors import InputError, InvalidTransition
from monitor.model import Classification, Draft, Label, Mention, Status
from monitor.review.state import Action, after_relabel, next_status
from monitor.store import items as store_items
from monitor.store import queue as store_queue
from monitor.store.queue import QueueItem


def mention_of(item: QueueItem) -> Mention:
    m = item.mention
    # A demo mention keeps the network it imitates, so that its reply is counted and checked
    # by that network's rules (X's 280 characters), as when it was first drafted.
    extra: dict[str, Any] = {}
    if m.network and m.network != m.platform:
        extra["raw"] = {"network": m.network}
    return Mention(
        feed=m.feed, platform=m.platform, external_id=m.external_id, text=m.text,
        author=m.author, created_at=m.created_at, url=m.url, author_name=m.author_name,
        author_followers=m.author_followers, language=m.language, **extra,
    )


def classification_of(item: QueueItem, *, confidence: float | None = None) -> Classification:
    """The item's classification as the drafter sees it: its current label and priority,
    with `confidence` (default: the item's own; 1.0 when none was recorded), its language
    (the Classification default when none was recorded) and the classifier's topic evidence
    (so a reply drafted again names the topic as the first one did; a relabel keeps the
    topic, so its evidence still holds)."""
    extra: dict[str, Any] = {}
    if item.language:
        extra["language"] = item.language
    if confidence is None:
        confidence = 1.0 if item.confidence is None else item.confidence
    return Classification(
        label=Label(item.label), sentiment=item.sentiment, topic=item.topic,
        priority=item.priority, reasons=item.reasons, classifier=item.classifier,
        confidence=confidence, evidence=item.evidence, **extra,
    )


MAX_REPLY_CHARS = 20_000
REVIEWER_CONFIDENCE = 1.0
"""The confidence of a label a reviewer chose: certain, so never "check the label"."""


def parse_label(value: str | Label) -> Label:
    try:
        return Label(str(value).strip().lower())
    except ValueError:
        known = ", ".join(label.value for label in Label)
        raise InputError(f"unknown label {value!r} (known: {known})", key="label") from None


def rebanded(priority: float, from_label: Label, to_label: Label) -> float:
    """`priority` moved from one label's band to another's, keeping its strength.

    monitor.classify.priority gives priority = low + (high - low) * strength per band; the
    strength (negativity, urgency, reach, age) is the classifier's and does not depend on the
    label, so it is read back from the classifier's own priority rather than recomputed
    (urgency cues and age at ingest are not stored).
    """
    low, high = BANDS[from_label]
    strength = (priority - low) / (high - low) if high > low else 0.0
    strength = min(1.0, max(0.0, strength))
    low, high = BANDS[to_label]
    return round(low + (high - low) * strength, 3)


@dataclass
class Reviewer:
    engine: Engine
    drafter: ReplyDrafter
    clock: Callable[[], datetime]

    def get(self, item_id: int) -> QueueItem:
        with self.engine.connect() as conn:
            return store_queue.get_item(conn, item_id)

    def _begin(self, item_id: int, action: Action, version: int | None,
               ) -> tuple[QueueItem, Status, Status]:
        item = self.get(item_id)
        if version is not None and version != item.version:
            raise store_items.stale(item_id)
        current = Status(item.status)
        return item, current, next_status(current, action)

    def approve(self, item_id: int, *, by: str, version: int | None = None,
                text: str | None = None, force: bool = False) -> QueueItem:
        if text is not None:
            item = self.edit(item_id, by=by, text=text, version=version)
            version = item.version
        item, current, target = self._begin(item_id, Action.APPROVE, version)
        if item.draft is None:
            raise InvalidTransition(f"item {item_id} has no draft to approve; write one first")
        if item.draft.violations and not force:
            raise InvalidTransition(
                f"item {item_id}'s draft fails its checks ({'; '.join(item.draft.violations)});"
                " edit it, or approve with force"
            )
        with self.engine.begin() as conn:
            now = self.clock()
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.APPROVE, now=now,
                values={"decided_by": by, "decided_at": now, "reject_reason": None},
                detail={"draft_id": item.draft.id, "forced": bool(item.draft.violations)},
            )
        return self.get(item_id)

    def reject(self, item_id: int, *, by: str, reason: str = "", version: int | None = None,
               ) -> QueueItem:
        item, current, target = self._begin(item_id, Action.REJECT, version)
        reason = reason.strip()[:2000]
        with self.engine.begin() as conn:
            now = self.clock()
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.REJECT, now=now,
                values={"decided_by": by, "decided_at": now, "reject_reason": reason or None},
                detail={"reason": reason} if reason else None,
            )
        return self.get(item_id)

    def edit(self, item_id: int, *, by: str, text: str, version: int | None = None,
             ) -> QueueItem:
        item, current, target = self._begin(item_id, Action.EDIT, version)
        text = text.replace("\r\n", "\n").strip()
        if not text:
            raise InvalidTransition("a reply cannot be empty")
        if len(text) > MAX_REPLY_CHARS:
            raise InvalidTransition(f"a reply is at most {MAX_REPLY_CHARS} characters")
        violations = self.drafter.check(text, mention_of(item))
        template = item.draft.template if item.draft else "manual"
        with self.engine.begin() as conn:
            now = self.clock()
            draft_id = store_items.add_draft(
                conn, item.mention.id, text, f"{template}+edited"
                if not template.endswith("+edited") else template, violations, by, now,
                note=item.draft.note if item.draft else None,
            )
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.EDIT, now=now,
                values={"draft_id": draft_id},
                detail={"draft_id": draft_id, "violations": list(violations)},
            )
        return self.get(item_id)

    def redraft(self, item_id: int, *, by: str, variant: int | None = None,
                version: int | None = None) -> QueueItem:
        """A fresh draft from the templates: another wording, or a first one for a skipped
        item (which then joins the queue)."""
        item, current, target = self._begin(item_id, Action.DRAFT, version)
        mention, classification = mention_of(item), classification_of(item)
        if variant is None:
            draft = self._another_wording(item, mention, classification)
        else:
            draft = self.drafter.draft(mention, classification, variant=variant)
        with self.engine.begin() as conn:
            now = self.clock()
            draft_id = store_items.add_draft(
                conn, item.mention.id, draft.text, draft.template, draft.violations, by, now,
                note=draft.note,
            )
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.DRAFT, now=now,
                values={"draft_id": draft_id},
                detail={"draft_id": draft_id, "template": draft.template},
            )
        return self.get(item_id)

    def _another_wording(self, item: QueueItem, mention: Mention,
                         classification: Classification) -> Draft:
        """The first wording not used for this mention yet (cycling when all were used)."""
        with self.engine.connect() as conn:
            used = [d.text for d in store_queue.drafts_of(conn, item.mention.id)]
        count = max(1, self.drafter.variants(mention, classification))
        candidates = [self.drafter.draft(mention, classification, variant=v) for v in range(count)]
        for draft in candidates:
            if draft.text not in used:
                return draft
        # Every wording was used: take the one after the current draft's.
        current = item.draft.text if item.draft else ""
        texts = [d.text for d in candidates]
        index = texts.index(current) + 1 if current in texts else 0
        return candidates[index % count]

    def reopen(self, item_id: int, *, by: str, version: int | None = None) -> QueueItem:
        """Back to the queue. An item that never had a draft (it was skipped, then rejected)
        gets one now, so nothing waits for review without a reply to review."""
        item, current, target = self._begin(item_id, Action.REOPEN, version)
        with self.engine.begin() as conn:
            now = self.clock()
            values: dict[str, object] = {"decided_by": None, "decided_at": None}
            if item.draft is None:
                draft = self.drafter.draft(mention_of(item), classification_of(item))
                values["draft_id"] = store_items.add_draft(
                    conn, item.mention.id, draft.text, draft.template, draft.violations, by, now,
                    note=draft.note,
                )
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.REOPEN, now=now, values=values,
            )
        return self.get(item_id)

    def relabel(self, item_id: int, *, by: str, label: str | Label,
                version: int | None = None) -> QueueItem:
        """The reviewer's label instead of the classifier's, for an item still under review
        (pending or skipped; reopen a decided one first).

        Priority moves to the new label's band; the reply is drafted afresh from the new
        label's templates (a question from the question templates). Relabelled neutral, the
        item needs no reply: it is skipped and keeps no current draft (earlier drafts stay in
        its history). The label is then the reviewer's, so its confidence becomes 1.0. The
        classifier's label and confidence stay in the classifications row; the event's
        detail holds both labels.
        """
        new = parse_label(label)
        item = self.get(item_id)
        if version is not None and version != item.version:
            raise store_items.stale(item_id)
        current = Status(item.status)
        target = after_relabel(current, not new.needs_reply)
        old = Label(item.label)
        if new is old:
            raise InvalidTransition(f"item {item_id} is already labelled {new.value}")
        priority = rebanded(item.classifier_priority, Label(item.classifier_label), new)
        values: dict[str, object] = {"label": new.value, "priority": priority,
                                     "confidence": REVIEWER_CONFIDENCE}
        detail: dict[str, object] = {"from_label": old.value, "to_label": new.value,
                                     "priority": priority}
        with self.engine.begin() as conn:
            now = self.clock()
            if target is Status.SKIPPED:
                values["draft_id"] = None
            else:
                classification = replace(
                    classification_of(item, confidence=REVIEWER_CONFIDENCE), label=new,
                    priority=priority)
                draft = self.drafter.draft(mention_of(item), classification)
                values["draft_id"] = detail["draft_id"] = store_items.add_draft(
                    conn, item.mention.id, draft.text, draft.template, draft.violations, by, now,
                    note=draft.note,
                )
                detail["template"] = draft.template
            store_items.transition(
                conn, item_id, expected_version=item.version, from_status=current,
                to_status=target, actor=by, action=Action.RELABEL, now=now, values=values,
                detail=detail,
            )
        return self.get(item_id)
