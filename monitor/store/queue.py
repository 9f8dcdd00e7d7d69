"""The read side of the review queue: list (keyset-paginated, filtered), one item, its history.

Lists never load a whole table: every query is bounded by a limit and walks an index in
queue order (priority high to low, then oldest mention first, then id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.errors import NotFound
from monitor.model import CHECK_LABEL_BELOW, Sentiment
from monitor.store.schema import (
    classifications,
    drafts,
    feeds,
    mentions,
    review_events,
    review_items,
)


@dataclass(frozen=True, slots=True)
class MentionView:
    id: int
    feed: str
    platform: str
    external_id: str
    url: str | None
    author: str
    author_name: str | None
    author_followers: int | None
    text: str
    created_at: datetime
    language: str | None
    # The network the post is on, or for a demo mention the one it imitates (its raw
    # "network"); "" means the platform itself.
    network: str = ""

    @property
    def network_name(self) -> str:
        return self.network or self.platform

    def as_dict(self) -> dict[str, Any]:
        return {
            "feed": self.feed, "platform": self.platform, "network": self.network_name,
            "external_id": self.external_id,
            "url": self.url, "author": self.author, "author_name": self.author_name,
            "author_followers": self.author_followers, "text": self.text,
            "created_at": self.created_at.isoformat(), "language": self.language,
        }


@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    text: str
    template: str
    violations: tuple[str, ...]
    created_by: str
    created_at: datetime
    # Where a draft not written from a template came from, or why the writer's was refused.
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "template": self.template,
                "violations": list(self.violations), "note": self.note}


OPEN_STATUSES = ("pending", "skipped")
"""Statuses whose label is still open (a reviewer may relabel it without reopening)."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    status: str
    label: str
    topic: str
    priority: float
    sentiment: Sentiment
    reasons: tuple[str, ...]
    mention: MentionView
    draft: DraftView | None
    version: int
    created_at: datetime
    updated_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reject_reason: str | None = None
    classifier: str = ""   # which classifier judged the mention ("rules", "learned")
    # The classifier's own verdict, kept in its classifications row while a relabel changes
    # `label` and `priority`: shown next to the reviewer's label, and the strength a relabel
    # re-bands from (monitor.review.actions.rebanded).
    classifier_label: str = ""
    classifier_priority: float = 0.0
    # How sure the classifier was of `label` (1.0 once a reviewer relabels it) and the
    # language it read the post in; None for items stored before either was recorded.
    confidence: float | None = None
    language: str | None = None
    classifier_confidence: float | None = None
    # The post's words that name `topic`, as the classifier found them: a reply drafted
    # again (redraft, relabel, reopen) names the topic as the first draft did. () for items
    # stored before they were recorded (migration 0013).
    evidence: tuple[str, ...] = ()

    def check_label(self, below: float = CHECK_LABEL_BELOW) -> bool:
        """Whether a reviewer should check the label: it is still open (pending or skipped),
        and the classifier's confidence in it is under `below` ([classifier] check_below)."""
        return (self.confidence is not None and self.confidence < below
                and self.status in OPEN_STATUSES)

    def as_dict(self, check_below: float = CHECK_LABEL_BELOW) -> dict[str, Any]:
        """The JSON shape of docs/contract.md (the shared contract plus confidence, language
        and check_label), plus a few extra keys."""
        return {
            "id": self.id, "status": self.status, "label": self.label,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "language": self.language, "check_label": self.check_label(check_below),
            "priority": round(self.priority, 4), "topic": self.topic,
            "sentiment": self.sentiment.as_dict(), "reasons": list(self.reasons),
            "mention": self.mention.as_dict(),
            "draft": None if self.draft is None else self.draft.as_dict(),
            "version": self.version, "decided_by": self.decided_by,
            "decided_at": None if self.decided_at is None else self.decided_at.isoformat(),
            "reject_reason": self.reject_reason,
        }


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class QueueFilter:
    statuses: Sequence[str] | None = ("pending",)   # None: every status
    label: str | None = None
    topic: str | None = None
    feed: str | None = None
    text: str | None = None
    # Only items whose label is open and whose confidence is under this (`--check-label`).
    check_below: float | None = None


@dataclass(frozen=True)
class QueuePage:
    """One page of the review queue, and where the next one starts (keyset `next_after`)."""

    items: list[QueueItem]
    next_after: tuple[float, datetime, int] | None = None
    total: int | None = None
    filters: QueueFilter = field(default_factory=QueueFilter)


def _columns() -> list[Any]:
    return [
        review_items.c.id, review_items.c.status, review_items.c.label, review_items.c.topic,
        review_items.c.priority, review_items.c.version, review_items.c.created_at,
        review_items.c.updated_at, review_items.c.decided_by, review_items.c.decided_at,
        review_items.c.reject_reason, review_items.c.mention_created_at,
        review_items.c.confidence, review_items.c.language.label("i_language"),
        classifications.c.confidence.label("c_confidence"),
        classifications.c.neg, classifications.c.neu, classifications.c.pos,
        classifications.c.compound, classifications.c.reasons, classifications.c.classifier,
        classifications.c.label.label("c_label"), classifications.c.priority.label("c_priority"),
        classifications.c.evidence,
        mentions.c.id.label("m_id"), feeds.c.name.label("feed_name"), mentions.c.platform,
        mentions.c.external_id, mentions.c.url, mentions.c.author, mentions.c.author_name,
        mentions.c.author_followers, mentions.c.text, mentions.c.created_at.label("m_created"),
        mentions.c.language,
        # Only demo mentions name another network than their platform (monitor.adapters.demo).
        sa.case((mentions.c.platform == "demo", mentions.c.raw["network"].as_string()),
                else_=sa.null()).label("m_network"),
        drafts.c.id.label("d_id"), drafts.c.text.label("d_text"), drafts.c.template,
        drafts.c.violations, drafts.c.created_by.label("d_by"),
        drafts.c.created_at.label("d_at"), drafts.c.note.label("d_note"),
    ]


def _joined() -> Any:
    return (
        review_items.join(mentions, mentions.c.id == review_items.c.mention_id)
        .join(feeds, feeds.c.id == mentions.c.feed_id)
        .join(classifications, classifications.c.mention_id == mentions.c.id)
        .outerjoin(drafts, drafts.c.id == review_items.c.draft_id)
    )


def _network(value: Any) -> str:
    return value.strip().lower()[:32] if isinstance(value, str) else ""


def _item(r: Any) -> QueueItem:
    draft = None
    if r.d_id is not None:
        draft = DraftView(id=r.d_id, text=r.d_text, template=r.template,
                          violations=tuple(r.violations or ()), created_by=r.d_by,
                          created_at=r.d_at, note=r.d_note)
    return QueueItem(
        id=r.id, status=r.status, label=r.label, topic=r.topic, priority=r.priority,
        sentiment=Sentiment(neg=r.neg, neu=r.neu, pos=r.pos, compound=r.compound),
        reasons=tuple(r.reasons or ()),
        mention=MentionView(
            id=r.m_id, feed=r.feed_name, platform=r.platform, external_id=r.external_id,
            url=r.url, author=r.author, author_name=r.author_name,
            author_followers=r.author_followers, text=r.text, created_at=r.m_created,
            language=r.language, network=_network(r.m_network),
        ),
        draft=draft, version=r.version, created_at=r.created_at, updated_at=r.updated_at,
        decided_by=r.decided_by, decided_at=r.decided_at, reject_reason=r.reject_reason,
        classifier=r.classifier, classifier_label=r.c_label,
        classifier_priority=float(r.c_priority), confidence=r.confidence,
        language=r.i_language, classifier_confidence=r.c_confidence,
        evidence=tuple(str(w) for w in r.evidence or ()),
    )


def _where(f: QueueFilter) -> list[Any]:
    conds: list[Any] = []
    if f.statuses is not None:
        conds.append(review_items.c.status.in_(list(f.statuses)))
    if f.label:
        conds.append(review_items.c.label == f.label)
    if f.topic:
        conds.append(review_items.c.topic == f.topic)
    if f.feed:
        conds.append(review_items.c.feed == f.feed)
    if f.check_below is not None:
        conds.append(review_items.c.confidence < f.check_below)
        conds.append(review_items.c.status.in_(OPEN_STATUSES))
    if f.text:
        needle = f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(
            sa.or_(
                mentions.c.text.ilike(f"%{needle}%", escape="\\"),
                mentions.c.author.ilike(f"%{needle}%", escape="\\"),
            )
        )
    return conds


def _rows_after(conn: Connection, query: Any, key: tuple[float, datetime, int], limit: int,
                *, backwards: bool = False) -> list[Any]:
    """Up to `limit` rows of `query` that come after `key` (priority, mention time, id) in
    queue order, nearest first; with `backwards`, the rows before it, nearest first.

    Two simple index range scans: the rest of the key's priority, then the next priorities
    if `limit` is not reached yet. One OR over all three columns cannot become a range
    (priority runs high to low, the others low to high), so databases would walk the index
    from the top of the queue and filter, which grows with the key's depth. Within the
    priority the mention-time bound is stated as well as implied by the OR, so a large tie
    (many items at priority 0) is a range too, not a walk through all of it.
    """
    prio, created, item_id = key
    p, c, i = review_items.c.priority, review_items.c.mention_created_at, review_items.c.id
    if backwards:
        same = (p == prio, c <= created, sa.or_(c < created, i < item_id))
        rest, within, beyond = p > prio, (c.desc(), i.desc()), (p.asc(), c.desc(), i.desc())
    else:
        same = (p == prio, c >= created, sa.or_(c > created, i > item_id))
        rest, within, beyond = p < prio, (c.asc(), i.asc()), (p.desc(), c.asc(), i.asc())
    rows = list(conn.execute(query.where(*same).order_by(*within).limit(limit)).all())
    if len(rows) < limit:
        rows += conn.execute(
            query.where(rest).order_by(*beyond).limit(limit - len(rows))).all()
    return rows


def list_items(
    conn: Connection, filters: QueueFilter, *, limit: int = 50,
    after: tuple[float, datetime, int] | None = None, with_total: bool = False,
) -> QueuePage:
    """One page in queue order. `after` is the previous page's `next_after` (keyset paging):
    the page after it is read as two index range scans (`_rows_after`)."""
    conds = _where(filters)
    query = sa.select(*_columns()).select_from(_joined()).where(*conds)
    if after is None:
        p, c, i = review_items.c.priority, review_items.c.mention_created_at, review_items.c.id
        rows = list(conn.execute(
            query.order_by(p.desc(), c.asc(), i.asc()).limit(limit + 1)).all())
    else:
        # One row more than the page, to know whether another page follows.
        rows = _rows_after(conn, query, after, limit + 1)
    items = [_item(r) for r in rows[:limit]]
    next_after = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_after = (last.priority, last.mention_created_at, last.id)
    total = None
    if with_total:
        count_q = sa.select(sa.func.count()).select_from(
            review_items.join(mentions, mentions.c.id == review_items.c.mention_id)
            if filters.text else review_items
        ).where(*conds)
        total = int(conn.execute(count_q).scalar_one())
    return QueuePage(items=items, next_after=next_after, total=total, filters=filters)


# The largest id an INTEGER column holds on PostgreSQL (SQLite's hold more): a larger number
# cannot name an item, and would fail inside the database driver rather than be not found.
MAX_ID = 2**31 - 1


def get_item(conn: Connection, item_id: int) -> QueueItem:
    if not 0 < item_id <= MAX_ID:
        raise NotFound(f"no review item {item_id}")
    row = conn.execute(
        sa.select(*_columns()).select_from(_joined()).where(review_items.c.id == item_id)
    ).first()
    if row is None:
        raise NotFound(f"no review item {item_id}")
    return _item(row)


def neighbours(conn: Connection, item: QueueItem, filters: QueueFilter) -> tuple[int | None,
                                                                                   int | None]:
    """The ids before and after `item` in queue order under `filters` (for j/k navigation),
    each direction read as two index range scans (`_rows_after`)."""
    base = sa.select(review_items.c.id).select_from(
        review_items.join(mentions, mentions.c.id == review_items.c.mention_id)
        if filters.text else review_items
    ).where(*_where(filters))
    key = (item.priority, item.mention.created_at, item.id)
    after = _rows_after(conn, base, key, 1)
    before = _rows_after(conn, base, key, 1, backwards=True)
    return (int(before[0].id) if before else None), (int(after[0].id) if after else None)


def history(conn: Connection, item_id: int) -> list[Event]:
    rows = conn.execute(
        sa.select(review_events).where(review_events.c.item_id == item_id)
        .order_by(review_events.c.id)
    )
    return [Event(at=r.at, actor=r.actor, action=r.action, from_status=r.from_status,
                  to_status=r.to_status, detail=r.detail) for r in rows]


def drafts_of(conn: Connection, mention_id: int) -> list[DraftView]:
    rows = conn.execute(
        sa.select(drafts).where(drafts.c.mention_id == mention_id).order_by(drafts.c.id)
    )
    return [DraftView(id=r.id, text=r.text, template=r.template,
                      violations=tuple(r.violations or ()), created_by=r.created_by,
                      created_at=r.created_at, note=r.note) for r in rows]


def counts_by_status(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(review_items.c.status, sa.func.count()).group_by(review_items.c.status)
    )
    return {r[0]: int(r[1]) for r in rows}
