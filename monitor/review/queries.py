"""The review queue's read model: one page of items, one item in full, as typed views.

The queue page, the item page, the JSON API and `queue list` / `queue show` all read the
queue through `QueueQueries` (reached as `App.queries`), so an item view (the item, its
history, its latest relabel, its publish fields) is assembled here once, and the faces hold
no SQL connection of their own for it. The JSON shapes the contract fixes are built here too
(`ItemPage.as_dicts`, `ItemDetail.as_dict`, `ItemDetail.api_dict`).

This module only reads: every change goes through monitor.review.actions.Reviewer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from monitor.model import CHECK_LABEL_BELOW
from monitor.store import labels as store_labels
from monitor.store import publish as store_publish
from monitor.store import queue as store_queue
from monitor.store import stats as store_stats
from monitor.store.labels import LabelRow, Relabel
from monitor.store.publish import Attempt
from monitor.store.queue import MAX_ID, DraftView, Event, QueueFilter, QueueItem

# The store's row types the views are made of, named here so that the faces (web, cli) take
# them from the read model rather than from the store.
__all__ = [
    "COUNT_CAP", "MAX_ID", "Attempt", "Cursor", "DraftView", "Event", "ItemDetail", "ItemPage",
    "LabelRow", "QueueFilter", "QueueItem", "QueueQueries", "Relabel",
]

Cursor = tuple[float, datetime, int]
"""Where a page ends in queue order (priority, mention time, id): the next page's `after`."""

COUNT_CAP = store_stats.COUNT_CAP


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One page of the queue in queue order, with each item's publish fields."""

    items: list[QueueItem]
    next_after: Cursor | None
    published: dict[int, dict[str, Any]]
    # The latest relabel of each item on the page that has one (only when asked for).
    relabelled: dict[int, Relabel] = field(default_factory=dict)

    def as_dicts(self, check_below: float = CHECK_LABEL_BELOW) -> list[dict[str, Any]]:
        """The contract's list shape: each item's JSON with `published` and `publish_error`."""
        return [{**i.as_dict(check_below), **self.published[i.id]} for i in self.items]


@dataclass(frozen=True, slots=True)
class ItemDetail:
    """One item in full: its history, latest relabel, publish fields and, when asked for,
    every draft its mention had and its neighbours in a queue view."""

    item: QueueItem
    events: list[Event]
    relabel: Relabel | None
    # Its publish attempt (None before the first), as the item page shows it.
    attempt: Attempt | None
    drafts: list[DraftView] = field(default_factory=list)
    prev_id: int | None = None
    next_id: int | None = None

    @property
    def published(self) -> dict[str, Any]:
        """The contract's publish fields: `published` and `publish_error`."""
        return store_publish.fields_of(self.attempt, self.item.status)

    def as_dict(self, check_below: float = CHECK_LABEL_BELOW) -> dict[str, Any]:
        """The item's list shape (`queue list`, `GET /api/items`) plus its publish fields."""
        return {**self.item.as_dict(check_below), **self.published}

    def history(self, from_key: str, to_key: str) -> list[dict[str, Any]]:
        """The events as JSON. `queue show` names the status change `from`/`to`, the API
        `from_status`/`to_status` (both in the contract, so both stay)."""
        return [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 from_key: e.from_status, to_key: e.to_status, "detail": e.detail}
                for e in self.events]

    def api_dict(self, check_below: float = CHECK_LABEL_BELOW) -> dict[str, Any]:
        """`GET /api/items/{id}`: the list shape, the classifier's own verdict, the latest
        relabel and the history."""
        out = self.as_dict(check_below)
        out["classifier_label"] = self.item.classifier_label
        out["classifier_confidence"] = self.item.classifier_confidence
        out["relabelled"] = None if self.relabel is None else self.relabel.as_dict()
        out["history"] = self.history("from_status", "to_status")
        return out


@dataclass(frozen=True, slots=True)
class QueueQueries:
    """Reads of the review queue, each in one connection (one consistent view)."""

    engine: Engine

    def page(self, filters: QueueFilter, after: Cursor | None = None, *, limit: int = 50,
             relabels: bool = False) -> ItemPage:
        """The `limit` items after `after` (None: from the top) under `filters`."""
        with self.engine.connect() as conn:
            found = store_queue.list_items(conn, filters, limit=limit, after=after)
            published = store_publish.fields(conn, [(i.id, i.status) for i in found.items])
            relabelled = (store_labels.relabels(conn, [i.id for i in found.items])
                          if relabels else {})
        return ItemPage(items=found.items, next_after=found.next_after, published=published,
                        relabelled=relabelled)

    def count(self, filters: QueueFilter) -> int:
        """How many items match `filters` (a full count: ask only when a list was cut)."""
        with self.engine.connect() as conn:
            total = store_queue.list_items(conn, filters, limit=1, with_total=True).total
        return total or 0

    def status_counts(self) -> dict[str, int]:
        """Items per status, each count stopping at COUNT_CAP + 1 (the queue page's tabs)."""
        with self.engine.connect() as conn:
            return store_stats.status_counts(conn)

    def item(self, item_id: int) -> QueueItem:
        """One item, without its history (raises NotFound)."""
        with self.engine.connect() as conn:
            return store_queue.get_item(conn, item_id)

    def items(self, item_ids: Sequence[int]) -> list[QueueItem]:
        """These items, in the order given, in one connection (raises NotFound for any
        missing one): an incident's items."""
        with self.engine.connect() as conn:
            return [store_queue.get_item(conn, i) for i in item_ids]

    def neighbours(self, item: QueueItem, filters: QueueFilter) -> tuple[int | None,
                                                                         int | None]:
        """The ids before and after `item` in queue order under `filters`."""
        with self.engine.connect() as conn:
            return store_queue.neighbours(conn, item, filters)

    def detail(self, item_id: int, *, drafts: bool = False,
               around: QueueFilter | None = None) -> ItemDetail:
        """One item in full (raises NotFound). `drafts`: also every draft of its mention;
        `around`: also its neighbours under these filters (the item page's j/k)."""
        with self.engine.connect() as conn:
            item = store_queue.get_item(conn, item_id)
            prev_id, next_id = (store_queue.neighbours(conn, item, around)
                                if around is not None else (None, None))
            events = store_queue.history(conn, item_id)
            all_drafts = store_queue.drafts_of(conn, item.mention.id) if drafts else []
            attempt = store_publish.get(conn, item_id)
        return ItemDetail(item=item, events=events, relabel=store_labels.latest_relabel(events),
                          attempt=attempt, drafts=all_drafts, prev_id=prev_id,
                          next_id=next_id)

    def labelled(self) -> Iterator[LabelRow]:
        """Every item whose label a reviewer chose (relabelled) or endorsed (approved as it
        stood), in id order (`labels export`). Read in batches from one connection, held
        while the rows are taken."""
        with self.engine.connect() as conn:
            yield from store_labels.export(conn)
