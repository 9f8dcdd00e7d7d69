"""The domain's value types: frozen dataclasses and enums shared by every layer.

No I/O, no third-party imports, no behaviour beyond small pure helpers.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    FIX_REQUEST = "fix_request"
    VENTING = "venting"
    QUESTION = "question"
    PRAISE = "praise"
    NEUTRAL = "neutral"

    @property
    def is_complaint(self) -> bool:
        return self in (Label.FIX_REQUEST, Label.VENTING)

    @property
    def needs_reply(self) -> bool:
        """Pending in the queue (a reply is drafted); neutral posts are skipped."""
        return self is not Label.NEUTRAL


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    FAILED = "failed"
    SKIPPED = "skipped"


TOPICS: tuple[str, ...] = (
    "delivery",
    "billing",
    "account",
    "product",
    "outage",
    "booking",
    "service",
    "other",
)
"""Topic identifiers: delivery, billing, account and login, product fault, outage,
booking and travel, staff and service, other."""


@dataclass(frozen=True, slots=True)
class Sentiment:
    """VADER's four scores, as shown to reviewers."""

    neg: float
    neu: float
    pos: float
    compound: float

    def as_dict(self) -> dict[str, float]:
        return {"neg": self.neg, "neu": self.neu, "pos": self.pos, "compound": self.compound}


@dataclass(frozen=True, slots=True)
class Mention:
    """One post about the brand, normalised from any network.

    `text` is plain text (HTML stripped, entities decoded); `created_at` is timezone-aware UTC;
    `raw` is the network's payload, kept as JSON-serialisable data.
    """

    feed: str
    platform: str
    external_id: str
    text: str
    author: str
    created_at: datetime
    url: str | None = None
    author_name: str | None = None
    author_followers: int | None = None
    language: str | None = None
    reply_to_id: str | None = None
    thread_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClassifyContext:
    """What a classifier may know about a mention beyond its text (all optional)."""

    platform: str | None = None
    author_followers: int | None = None
    age_hours: float | None = None


CHECK_LABEL_BELOW = 0.6
"""Default confidence under which an item is marked "check the label" (config:
`classifier.check_below`)."""

CLEARLY_POSITIVE = 0.5
"""A VADER compound at or above this is clearly happy: the classifier does not call such a
post venting without a problem or frustration cue, and the drafter does not read it as
negative because it names a topic ("their staff is entirely dressed up for Halloween and I'm
delighted", 0.76, drew "that does not sound good, and we are sorry")."""


@dataclass(frozen=True, slots=True)
class Classification:
    """A mention's label and why.

    `confidence` is the classifier's probability for `label`, in [0, 1]; `language` is the
    post's ISO 639-1 code ("und" when it cannot be told); `evidence` maps a topic to the
    words of the post that name it (the drafter names a topic only with evidence).
    """

    label: Label
    sentiment: Sentiment
    topic: str
    priority: float
    reasons: tuple[str, ...]
    classifier: str = "rules"
    confidence: float = 1.0
    language: str = "en"
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted reply: its text, the template it came from, and any safety violations.

    `note` is for the reviewer: where a draft not written from a template came from ("based
    on your reply to @jo, 3 Nov", a saved answer, the writer model), or why the writer
    model's answer was not used.
    """

    text: str
    template: str
    violations: tuple[str, ...] = ()
    note: str | None = None

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True, slots=True)
class RememberedReply:
    """A reply the brand sent (approved in review, or imported) with the post it answered:
    reply memory's unit. `author` is the post's author as the network names them."""

    id: int
    post: str
    reply: str
    label: Label
    replied_at: datetime
    author: str | None = None
    author_name: str | None = None
    language: str | None = None
    source: str = "approved"


def freeze(value: Any) -> Any:
    """A read-only copy of JSON-like data, for Mention.raw."""
    if isinstance(value, dict):
        return types.MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The JSON-serialisable form of frozen data."""
    if isinstance(value, Mapping):
        return {str(k): thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class OutgoingReply:
    """An approved reply on its way back to the network the mention came from.

    `key` is derived from the item id and the draft id, so every attempt to send the same
    draft carries the same key (Mastodon's Idempotency-Key); `in_reply_to` is the mention's
    id on that network and `raw` its payload (Bluesky needs the post's cid and thread root).
    """

    item_id: int
    draft_id: int
    key: str
    text: str
    in_reply_to: str
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PublishedRef:
    """The network's own name for a published reply: its id and, when known, a web link."""

    id: str
    url: str | None = None
