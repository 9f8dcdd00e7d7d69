"""Publishing approved replies: each is posted back to the network it came from exactly once,
then the item becomes `published` (with the reply's id and link) or `failed` (with the
network's reason, in its history; a reviewer can approve it again).

Exactly once, across restarts and several daemons sharing one database:
  1. claim the item's lease (one conditional UPDATE; the loser leaves the item alone);
  2. if an earlier send's outcome is unknown, ask the network for the reply first
     (`find_reply`) and record it if it is there;
  3. check the approved text again with the draft checks (a failing text is never sent);
  4. record the draft and key being sent, commit, and only then call the network;
  5. record the outcome: the reply (published), a refusal (failed), or a wait (rate limited,
     credentials, unreachable, unknown outcome: the item stays approved until `retry_at`).
The network call happens outside any database transaction. No HTTP or SQL is written here:
adapters do the one, store.publish and store.items the other.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.engine import Engine

from monitor.adapters.base import ReplyPublisher
from monitor.draft import ReplyDrafter
from monitor.errors import (
    AuthFailed,
    FetchError,
    NotFound,
    PublishError,
    PublishOutcomeUnknown,
    RateLimited,
)
from monitor.model import OutgoingReply, PublishedRef, Status
from monitor.review.actions import mention_of
from monitor.review.state import Action, next_status
from monitor.store import items as store_items
from monitor.store import publish as store_publish
from monitor.store import queue as store_queue
from monitor.store.queue import QueueItem

log = logging.getLogger(__name__)

ACTOR = "publisher"


class Outcome(StrEnum):
    PUBLISHED = "published"
    FAILED = "failed"      # the network refused; the item is `failed`
    DEFERRED = "deferred"  # not sent now (rate limit, credentials, outcome unknown): retried
    BUSY = "busy"          # another publisher holds it, or its retry time is still ahead
    SKIPPED = "skipped"    # not approved, not found, or its feed does not publish


@dataclass(frozen=True, slots=True)
class PublishResult:
    item_id: int
    outcome: Outcome
    message: str
    ref: PublishedRef | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.PUBLISHED

    def line(self) -> str:
        return f"#{self.item_id} {self.outcome.value}: {self.message}"


def attempt_seconds(publisher: ReplyPublisher, default_timeout: float) -> float:
    """The longest one attempt (`ReplyPublishing._send`) can spend on the network: looking
    for an earlier send's reply, then sending. The item's lease must outlast it, or another
    publisher could take the item over mid-send and post the reply a second time."""
    return publisher.longest(publisher.find_reply_calls + publisher.publish_calls,
                             default_timeout)


def reply_key(item_id: int, draft_id: int) -> str:
    """The same key for every attempt to send one draft of one item (Idempotency-Key)."""
    return hashlib.sha256(f"complaint-monitor:item:{item_id}:draft:{draft_id}".encode()
                          ).hexdigest()


@dataclass
class ReplyPublishing:
    """Publishes approved items. `publisher_for(feed)` gives the feed's ReplyPublisher, or None
    when that feed does not publish; `feeds` are the feeds that do (for the due list)."""

    engine: Engine
    drafter: ReplyDrafter
    clock: Callable[[], datetime]
    publisher_for: Callable[[str], ReplyPublisher | None]
    feeds: Sequence[str]
    owner: str
    lease: timedelta = timedelta(minutes=5)
    recheck: timedelta = timedelta(minutes=5)

    def due(self, limit: int) -> list[int]:
        with self.engine.connect() as conn:
            return store_publish.due(conn, now=self.clock(), feeds=self.feeds, limit=limit)

    def run(self, item_ids: Sequence[int] | None = None, *, limit: int = 20,
            stop: Callable[[], bool] = lambda: False) -> list[PublishResult]:
        """Publish the given items, or every due approved item (up to `limit`)."""
        ids = list(item_ids) if item_ids is not None else self.due(limit)
        results = []
        for item_id in ids:
            if stop():
                break
            results.append(self.publish(item_id))
        return results

    def publish(self, item_id: int) -> PublishResult:
        try:
            with self.engine.connect() as conn:
                item = store_queue.get_item(conn, item_id)
        except NotFound as exc:
            return PublishResult(item_id, Outcome.SKIPPED, str(exc))
        if item.status != Status.APPROVED.value:
            return PublishResult(item_id, Outcome.SKIPPED,
                                 f"it is {item.status}, not approved")
        publisher = self.publisher_for(item.mention.feed)
        if publisher is None:
            return PublishResult(
                item_id, Outcome.SKIPPED,
                f"feed {item.mention.feed} ({item.mention.platform}) does not publish replies "
                "(its network cannot take them, or [publish] feeds leaves it out)")
        now = self.clock()
        with self.engine.begin() as conn:
            claimed = store_publish.claim(conn, item_id, owner=self.owner, now=now,
                                          lease_until=now + self.lease)
        if not claimed:
            return self._busy(item_id)
        return self._send(item, publisher)

    def _busy(self, item_id: int) -> PublishResult:
        with self.engine.connect() as conn:
            attempt = store_publish.get(conn, item_id)
            status, _, _ = store_items.current(conn, item_id)
        now = self.clock()
        if status != Status.APPROVED.value:
            why = f"it became {status} meanwhile"
        elif attempt and attempt.retry_at and attempt.retry_at > now:
            why = f"waiting until {attempt.retry_at:%Y-%m-%d %H:%M} UTC ({attempt.last_error})"
        else:
            why = "another publisher is sending it"
        return PublishResult(item_id, Outcome.BUSY, why)

    def _reply(self, item: QueueItem, draft_id: int, text: str,
               raw: dict[str, object]) -> OutgoingReply:
        m = item.mention
        return OutgoingReply(item_id=item.id, draft_id=draft_id, key=reply_key(item.id, draft_id),
                             text=text, in_reply_to=m.external_id, raw=raw)

    def _send(self, item: QueueItem, publisher: ReplyPublisher) -> PublishResult:
        with self.engine.connect() as conn:
            attempt = store_publish.get(conn, item.id)
            raw = store_publish.mention_payload(conn, item.id)
            drafts = {d.id: d for d in store_queue.drafts_of(conn, item.mention.id)}
        # An earlier send may have reached the network: look for its reply before anything else.
        if attempt is not None and attempt.in_flight_key and attempt.in_flight_draft_id:
            earlier = drafts.get(attempt.in_flight_draft_id)
            sent = self._reply(item, attempt.in_flight_draft_id,
                               earlier.text if earlier else "", raw)
            try:
                found = publisher.find_reply(sent)
            except (FetchError, PublishError) as exc:
                return self._defer(item.id, exc, sent_maybe=True)
            if found is not None:
                return self._succeeded(item, sent.draft_id, found)
        draft = item.draft
        if draft is None:
            return self._fail(item, "it has no draft to publish")
        # Checked again now: the rules or the text may have changed since approval, and an
        # approval with `force` must not send a text that fails them.
        violations = self.drafter.check(draft.text, mention_of(item))
        if violations:
            return self._fail(item, "the approved text fails the draft checks: "
                                    + "; ".join(violations))
        reply = self._reply(item, draft.id, draft.text, raw)
        with self.engine.begin() as conn:
            store_publish.mark_in_flight(conn, item.id, owner=self.owner, draft_id=draft.id,
                                         key=reply.key, now=self.clock())
        try:
            ref = publisher.publish(reply)
        except PublishOutcomeUnknown as exc:
            return self._defer(item.id, exc, sent_maybe=True)
        except FetchError as exc:  # rate limited, credentials refused, unreachable: not sent
            return self._defer(item.id, exc, sent_maybe=False)
        except PublishError as exc:
            return self._fail(item, str(exc))
        return self._succeeded(item, draft.id, ref)

    def _succeeded(self, item: QueueItem, draft_id: int, ref: PublishedRef) -> PublishResult:
        now = self.clock()
        with self.engine.begin() as conn:
            store_publish.succeed(conn, item.id, owner=self.owner, draft_id=draft_id,
                                  reply_id=ref.id, reply_url=ref.url, now=now)
            status, version, _ = store_items.current(conn, item.id)
            detail: dict[str, object] = {"reply_id": ref.id, "url": ref.url,
                                         "draft_id": draft_id}
            if status == Status.APPROVED.value:
                target = next_status(Status.APPROVED, Action.PUBLISH)
            else:
                # A reviewer moved it while the reply was on its way; the reply is out, so
                # the record must say published whatever the status was.
                target = Status.PUBLISHED
                detail["while"] = status
            store_items.transition(
                conn, item.id, expected_version=version, from_status=status,
                to_status=target, actor=ACTOR, action=Action.PUBLISH, now=now,
                values={"published_ref": ref.url or ref.id, "draft_id": draft_id},
                detail=detail,
            )
        log.info("item %s published as %s", item.id, ref.url or ref.id)
        return PublishResult(item.id, Outcome.PUBLISHED, ref.url or ref.id, ref)

    def _fail(self, item: QueueItem, reason: str) -> PublishResult:
        now = self.clock()
        with self.engine.begin() as conn:
            store_publish.fail(conn, item.id, owner=self.owner, now=now, error=reason)
            status, version, _ = store_items.current(conn, item.id)
            if status == Status.APPROVED.value:
                store_items.transition(
                    conn, item.id, expected_version=version, from_status=status,
                    to_status=next_status(Status.APPROVED, Action.FAIL), actor=ACTOR,
                    action=Action.FAIL, now=now, detail={"error": reason},
                )
        log.warning("item %s failed to publish: %s", item.id, reason)
        return PublishResult(item.id, Outcome.FAILED, reason)

    def _defer(self, item_id: int, exc: Exception, *, sent_maybe: bool) -> PublishResult:
        now = self.clock()
        retry_at = exc.retry_at if isinstance(exc, RateLimited) else now + self.recheck
        with self.engine.begin() as conn:
            store_publish.defer(conn, item_id, owner=self.owner, now=now, retry_at=retry_at,
                                error=str(exc), sent_maybe=sent_maybe)
        if sent_maybe:
            then = "will look for the reply before sending again"
        elif isinstance(exc, AuthFailed):
            then = "stays approved; fix the credentials"
        else:
            then = "stays approved"
        message = f"{exc}; {then} (after {retry_at:%Y-%m-%d %H:%M} UTC)"
        log.warning("item %s not published: %s", item_id, message)
        return PublishResult(item_id, Outcome.DEFERRED, message)
