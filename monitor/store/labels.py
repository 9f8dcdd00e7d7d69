"""Reviewers' labels next to the classifier's: relabel records, and the export of human labels.

A relabel changes only `review_items.label` (and its priority and draft); the classifier's
verdict stays in its `classifications` row, so both can be shown and compared (an item read
by store.queue carries both). Who relabelled and from what is read from the `relabel` review
events, not kept in extra columns. Every read here is bounded (a page of ids) or streamed in
id order in batches. Must not change data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.queue import Event
from monitor.store.schema import classifications, mentions, review_events, review_items

RELABEL = "relabel"
"""The review event action of a relabel (monitor.review.state.Action.RELABEL)."""

# The review_events alias export's per-item "latest relabel" subquery reads.
_LATEST = review_events.alias("latest_relabel")

# Statuses that mean a reviewer approved the item's label as it stood (a failed item was
# approved; only its sending failed).
APPROVED_STATUSES = ("approved", "published", "failed")


@dataclass(frozen=True, slots=True)
class Relabel:
    """The latest relabel of an item: who, when, and from which label to which."""

    by: str
    at: datetime
    from_label: str
    to_label: str

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "at": self.at.isoformat(), "from": self.from_label,
                "to": self.to_label}


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One human-labelled mention, in the shape `complaint-monitor eval` reads."""

    id: int
    text: str
    label: str
    classifier_label: str
    by: str | None
    at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "label": self.label,
                "classifier_label": self.classifier_label, "by": self.by,
                "at": None if self.at is None else self.at.isoformat()}


def relabels(conn: Connection, item_ids: Sequence[int]) -> dict[int, Relabel]:
    """The latest relabel of each item given that has one (one query on the item_id index)."""
    if not item_ids:
        return {}
    rows = conn.execute(
        sa.select(review_events.c.item_id, review_events.c.actor, review_events.c.at,
                  review_events.c.detail)
        .where(review_events.c.item_id.in_(list(item_ids)),
               review_events.c.action == RELABEL)
        .order_by(review_events.c.id)
    )
    return {int(r.item_id): _relabel(r.actor, r.at, r.detail) for r in rows}


def latest_relabel(events: Sequence[Event]) -> Relabel | None:
    """The latest relabel among an item's events already read (store.queue.history), so an
    item view needs no second query for it."""
    for e in reversed(events):
        if e.action == RELABEL:
            return _relabel(e.actor, e.at, e.detail)
    return None


def _relabel(actor: str, at: datetime, detail: dict[str, Any] | None) -> Relabel:
    detail = detail or {}
    return Relabel(by=actor, at=at, from_label=str(detail.get("from_label", "")),
                   to_label=str(detail.get("to_label", "")))


def export(conn: Connection, *, batch: int = 500) -> Iterator[LabelRow]:
    """Every item whose label a reviewer chose (relabelled) or endorsed (approved as it
    stood), in id order. A relabel names its reviewer and time; an approval its decider.

    Each batch is one statement that walks review_items by id from the last one written and
    looks up each item's latest relabel through the review_events item_id index, so a batch
    reads only its own items' events: grouping every relabel in the table for each batch (as
    a join on an aggregate would) makes the export's cost batches x events."""
    if batch < 1:  # an empty page would never end the loop below
        raise ValueError("batch must be at least 1")
    latest = sa.select(sa.func.max(_LATEST.c.id)).where(
        _LATEST.c.item_id == review_items.c.id, _LATEST.c.action == RELABEL,
    ).scalar_subquery()
    page = (
        sa.select(review_items.c.id, mentions.c.text, review_items.c.label,
                  classifications.c.label.label("classifier_label"),
                  review_items.c.decided_by, review_items.c.decided_at,
                  latest.label("event_id"))
        .select_from(
            review_items.join(mentions, mentions.c.id == review_items.c.mention_id)
            .join(classifications, classifications.c.mention_id == review_items.c.mention_id)
        )
        .where(review_items.c.id > sa.bindparam("after"),
               sa.or_(latest.is_not(None), review_items.c.status.in_(APPROVED_STATUSES)))
        .order_by(review_items.c.id)
        .limit(batch)
        .subquery()
    )
    # The relabel's reviewer and time are joined outside the page, one event row per item.
    query = (
        sa.select(page.c.id, page.c.text, page.c.label, page.c.classifier_label,
                  page.c.decided_by, page.c.decided_at, review_events.c.actor,
                  review_events.c.at)
        .select_from(page.outerjoin(review_events, review_events.c.id == page.c.event_id))
        .order_by(page.c.id)
    )
    after = 0
    while True:
        rows = conn.execute(query, {"after": after}).all()
        for r in rows:
            relabelled = r.actor is not None
            yield LabelRow(id=int(r.id), text=r.text, label=r.label,
                           classifier_label=r.classifier_label,
                           by=r.actor if relabelled else r.decided_by,
                           at=r.at if relabelled else r.decided_at)
        if len(rows) < batch:
            return
        after = int(rows[-1].id)
