"""Incident records: reading and writing incidents, the mentions each covers, their audit
events, the posts detection reads, and the alerts already sent.

Queries only: what counts as a surge, which transitions are allowed and what gets redrafted
are decided in monitor.incidents, never here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.errors import NotFound
from monitor.store.queue import MAX_ID
from monitor.store.schema import (
    alerts_sent,
    incident_events,
    incident_mentions,
    incidents,
    mentions,
    review_items,
    runtime_settings,
)

OPEN = ("suggested", "confirmed")
STATUSES = ("suggested", "confirmed", "resolved", "dismissed")
# The labels whose posts detection counts: the complaints, and questions ("is the app
# down?"), which are often the first sign of an outage.
DETECTED_LABELS = ("fix_request", "venting", "question")
SCANNED_KEY = "incidents.scanned_to"


@dataclass(frozen=True, slots=True)
class IncidentEvent:
    at: datetime
    actor: str
    action: str
    detail: Mapping[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "detail": dict(self.detail) if self.detail else None}


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    status: str
    topic: str
    terms: tuple[str, ...]
    networks: tuple[str, ...]
    examples: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    rate: float
    baseline: float
    summary: str | None
    status_url: str | None
    created_at: datetime
    updated_at: datetime
    item_ids: tuple[int, ...] = ()
    events: tuple[IncidentEvent, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.item_ids)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "topic": self.topic,
            "terms": list(self.terms), "count": self.count, "networks": list(self.networks),
            "first_seen": self.first_seen.isoformat(), "last_seen": self.last_seen.isoformat(),
            "rate": round(self.rate, 2), "baseline": round(self.baseline, 2),
            "summary": self.summary, "status_url": self.status_url,
            "examples": list(self.examples), "item_ids": list(self.item_ids),
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "history": [e.as_dict() for e in self.events],
        }


@dataclass(frozen=True, slots=True)
class PostRow:
    """A stored post as detection reads it."""

    mention_id: int
    created_at: datetime
    author: str
    platform: str
    topic: str
    text: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A mention of an incident with its review item, for redrafting and follow-ups."""

    mention_id: int
    item_id: int
    status: str
    author: str
    platform: str
    created_at: datetime


def _incident(row: Any, item_ids: Sequence[int] = (),
              events: Sequence[IncidentEvent] = ()) -> Incident:
    return Incident(
        id=row.id, status=row.status, topic=row.topic, terms=tuple(row.terms),
        networks=tuple(row.networks), examples=tuple(row.examples),
        first_seen=row.first_seen, last_seen=row.last_seen, rate=row.rate,
        baseline=row.baseline, summary=row.summary, status_url=row.status_url,
        created_at=row.created_at, updated_at=row.updated_at, item_ids=tuple(item_ids),
        events=tuple(events),
    )


def _item_ids(conn: Connection, ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = conn.execute(
        sa.select(incident_mentions.c.incident_id, review_items.c.id)
        .join(review_items, review_items.c.mention_id == incident_mentions.c.mention_id)
        .where(incident_mentions.c.incident_id.in_(ids))
        .order_by(review_items.c.id)
    )
    for incident_id, item_id in rows:
        out[incident_id].append(item_id)
    return out


def get(conn: Connection, incident_id: int) -> Incident:
    if not 0 < incident_id <= MAX_ID:  # the driver would fail on it, not find nothing
        raise NotFound(f"no incident {incident_id}")
    row = conn.execute(sa.select(incidents).where(incidents.c.id == incident_id)).first()
    if row is None:
        raise NotFound(f"no incident {incident_id}")
    events = [IncidentEvent(r.at, r.actor, r.action, r.detail) for r in conn.execute(
        sa.select(incident_events).where(incident_events.c.incident_id == incident_id)
        .order_by(incident_events.c.id))]
    return _incident(row, _item_ids(conn, [incident_id])[incident_id], events)


def list_incidents(conn: Connection, statuses: Sequence[str] | None = None,
                   limit: int = 200) -> list[Incident]:
    query = sa.select(incidents).order_by(incidents.c.id.desc()).limit(limit)
    if statuses:
        query = query.where(incidents.c.status.in_(list(statuses)))
    rows = list(conn.execute(query))
    ids = _item_ids(conn, [r.id for r in rows])
    return [_incident(r, ids[r.id]) for r in rows]


def create(conn: Connection, *, topic: str, terms: Sequence[str], networks: Sequence[str],
           examples: Sequence[str], first_seen: datetime, last_seen: datetime, rate: float,
           baseline: float, now: datetime) -> int:
    return int(conn.execute(
        sa.insert(incidents).returning(incidents.c.id),
        {"status": "suggested", "topic": topic, "terms": list(terms),
         "networks": list(networks), "examples": list(examples), "first_seen": first_seen,
         "last_seen": last_seen, "rate": rate, "baseline": baseline, "summary": None,
         "status_url": None, "created_at": now, "updated_at": now},
    ).scalar_one())


def update(conn: Connection, incident_id: int, now: datetime, **values: Any) -> None:
    conn.execute(sa.update(incidents).where(incidents.c.id == incident_id)
                 .values(updated_at=now, **values))


def set_status(conn: Connection, incident_id: int, *, expected: Sequence[str], status: str,
               now: datetime, **values: Any) -> bool:
    """Move the incident on if it is still in one of `expected` (False if someone else moved
    it meanwhile)."""
    result = conn.execute(
        sa.update(incidents)
        .where(incidents.c.id == incident_id, incidents.c.status.in_(list(expected)))
        .values(status=status, updated_at=now, **values))
    return result.rowcount == 1


def add_event(conn: Connection, incident_id: int, *, at: datetime, actor: str, action: str,
              detail: Mapping[str, Any] | None = None) -> None:
    conn.execute(sa.insert(incident_events).values(
        incident_id=incident_id, at=at, actor=actor[:64], action=action,
        detail=dict(detail) if detail else None))


def add_mentions(conn: Connection, incident_id: int, mention_ids: Iterable[int],
                 now: datetime) -> list[int]:
    """Link mentions to the incident; returns the ones that were not linked already."""
    wanted = set(mention_ids)
    if not wanted:
        return []
    have = set(conn.execute(
        sa.select(incident_mentions.c.mention_id)
        .where(incident_mentions.c.incident_id == incident_id,
               incident_mentions.c.mention_id.in_(sorted(wanted)))).scalars())
    fresh = sorted(wanted - have)
    if fresh:
        conn.execute(sa.insert(incident_mentions), [
            {"incident_id": incident_id, "mention_id": m, "added_at": now} for m in fresh])
    return fresh


def members(conn: Connection, incident_id: int) -> list[MemberRow]:
    rows = conn.execute(
        sa.select(mentions.c.id, review_items.c.id.label("item_id"), review_items.c.status,
                  mentions.c.author, mentions.c.platform, mentions.c.created_at)
        .select_from(incident_mentions)
        .join(mentions, mentions.c.id == incident_mentions.c.mention_id)
        .join(review_items, review_items.c.mention_id == mentions.c.id)
        .where(incident_mentions.c.incident_id == incident_id)
        .order_by(mentions.c.created_at, mentions.c.id))
    return [MemberRow(r.id, r.item_id, r.status, r.author, r.platform, r.created_at)
            for r in rows]


def incident_of_mentions(conn: Connection, mention_ids: Sequence[int]) -> dict[int, int]:
    """mention id -> the confirmed incident covering it (the latest, if several)."""
    if not mention_ids:
        return {}
    rows = conn.execute(
        sa.select(incident_mentions.c.mention_id, incidents.c.id)
        .join(incidents, incidents.c.id == incident_mentions.c.incident_id)
        .where(incident_mentions.c.mention_id.in_(list(mention_ids)),
               incidents.c.status == "confirmed")
        .order_by(incidents.c.id))
    return dict(rows.tuples())


def posts_between(conn: Connection, start: datetime, end: datetime | None,
                  labels: Sequence[str] | None = DETECTED_LABELS,
                  exclude_feed: str | None = None, after_id: int = 0) -> list[PostRow]:
    """Stored posts with one of `labels` (None: any label), created in [start, end] (end
    None: any time after start), oldest first (without the items of `exclude_feed`; only
    mention ids above `after_id`)."""
    query = (
        sa.select(mentions.c.id, mentions.c.created_at, mentions.c.author, mentions.c.platform,
                  review_items.c.topic, mentions.c.text, review_items.c.label)
        .join(review_items, review_items.c.mention_id == mentions.c.id)
        .where(mentions.c.created_at >= start,
               mentions.c.created_at <= (end or datetime.max.replace(tzinfo=start.tzinfo)),
               review_items.c.feed != (exclude_feed or ""), mentions.c.id > after_id)
        .order_by(mentions.c.created_at, mentions.c.id))
    if labels is not None:
        query = query.where(review_items.c.label.in_(list(labels)))
    return [PostRow(r.id, r.created_at, r.author, r.platform, r.topic, r.text, r.label)
            for r in conn.execute(query)]


def first_post_at(conn: Connection) -> datetime | None:
    # min() takes its type from the column, so the value comes back an aware datetime.
    value: datetime | None = conn.execute(sa.select(sa.func.min(mentions.c.created_at))
                                          ).scalar()
    return value


def new_posts_span(conn: Connection, after_id: int) -> tuple[int, datetime, datetime] | None:
    """(highest mention id, earliest and latest created_at) of mentions stored after
    `after_id`; None when there are none."""
    row = conn.execute(
        sa.select(sa.func.max(mentions.c.id), sa.func.min(mentions.c.created_at),
                  sa.func.max(mentions.c.created_at))
        .where(mentions.c.id > after_id)).first()
    if row is None or row[0] is None:
        return None
    return int(row[0]), row[1], row[2]


def scanned_to(conn: Connection) -> int:
    value = conn.execute(sa.select(runtime_settings.c.value)
                         .where(runtime_settings.c.key == SCANNED_KEY)).scalar()
    return int(value) if isinstance(value, int | float) else 0


def claim_scan(conn: Connection, after: int, mention_id: int, now: datetime) -> bool:
    """Move the scan mark from `after` to `mention_id`, only if it is still at `after`
    (False: another process scanned those posts meanwhile). Run first in the scan's write
    transaction, it holds the row until commit, so two daemons never scan the same posts."""
    if after == 0 and conn.execute(sa.select(runtime_settings.c.key).where(
            runtime_settings.c.key == SCANNED_KEY)).first() is None:
        conn.execute(sa.insert(runtime_settings).values(
            key=SCANNED_KEY, value=mention_id, updated_by="incidents", updated_at=now))
        return True  # a second first scan at once fails on the primary key instead
    done = conn.execute(
        sa.update(runtime_settings)
        .where(runtime_settings.c.key == SCANNED_KEY,
               sa.cast(runtime_settings.c.value, sa.Text) == str(after))
        .values(value=mention_id, updated_by="incidents", updated_at=now))
    return done.rowcount == 1


def oldest_pending(conn: Connection, label: str) -> tuple[int, datetime] | None:
    """(item id, post time) of the oldest pending item with `label`."""
    row = conn.execute(
        sa.select(review_items.c.id, review_items.c.mention_created_at)
        .where(review_items.c.status == "pending", review_items.c.label == label)
        .order_by(review_items.c.mention_created_at, review_items.c.id).limit(1)).first()
    return None if row is None else (row.id, row.mention_created_at)


def alert_sent(conn: Connection, key: str) -> bool:
    return conn.execute(sa.select(alerts_sent.c.key).where(alerts_sent.c.key == key)
                        ).first() is not None


def record_alert(conn: Connection, key: str, *, ok: bool, title: str, now: datetime) -> None:
    conn.execute(sa.insert(alerts_sent).values(key=key[:255], at=now, ok=ok, title=title))


def mark_alert_ok(conn: Connection, key: str) -> None:
    conn.execute(sa.update(alerts_sent).where(alerts_sent.c.key == key).values(ok=True))
