"""Request parsing and view helpers shared by the page and API routes.

Turns query strings into QueueFilters and keyset cursors (with clear errors), renders pages
with the common context, and keeps flash messages in the session. Must not change data.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from monitor.draft import length
from monitor.draft.drafter import network_of
from monitor.errors import InputError
from monitor.model import CHECK_LABEL_BELOW, TOPICS, Label, Status
from monitor.review.actions import mention_of
from monitor.review.queries import MAX_ID, QueueFilter, QueueItem
from monitor.web.auth import csrf_token
from monitor.web.context import context_of

STATUSES = tuple(s.value for s in Status)
LABELS = tuple(label.value for label in Label)
FILTER_KEYS = ("status", "label", "topic", "feed", "q", "check_label")
MAX_SEARCH = 200
_YES = ("1", "true", "yes", "on")
# An item id in a path: out of range is a 422 naming the range, never a database error.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="A review item's id")]
IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="An incident's id")]
DAMAGED_CURSOR = "that page link is damaged; start again from the first page"


def parse_filter(params: dict[str, str], check_below: float = CHECK_LABEL_BELOW
                 ) -> QueueFilter:
    """status (default pending, or 'all'), label, topic, feed, q, check_label -> QueueFilter.
    `check_below` is [classifier] check_below, the confidence `check_label=1` filters by."""
    status = (params.get("status") or "pending").strip()
    if status != "all" and status not in STATUSES:
        raise InputError(f"unknown status {status!r} (known: all, {', '.join(STATUSES)})",
                         key="status")
    label = (params.get("label") or "").strip() or None
    if label is not None and label not in LABELS:
        raise InputError(f"unknown label {label!r} (known: {', '.join(LABELS)})", key="label")
    topic = (params.get("topic") or "").strip() or None
    feed = (params.get("feed") or "").strip()[:64] or None
    text = (params.get("q") or "").strip()[:MAX_SEARCH] or None
    check = (params.get("check_label") or "").strip().lower() in _YES
    return QueueFilter(statuses=None if status == "all" else (status,), label=label,
                       topic=topic, feed=feed, text=text,
                       check_below=check_below if check else None)


def filter_params(f: QueueFilter) -> dict[str, str]:
    """The query parameters that reproduce `f` (defaults left out)."""
    out: dict[str, str] = {}
    if f.statuses is None:
        out["status"] = "all"
    elif tuple(f.statuses) != ("pending",):
        out["status"] = f.statuses[0]
    for key, value in (("label", f.label), ("topic", f.topic), ("feed", f.feed),
                       ("q", f.text)):
        if value:
            out[key] = value
    if f.check_below is not None:
        out["check_label"] = "1"
    return out


def filter_query(f: QueueFilter) -> str:
    return urlencode(filter_params(f))


def encode_cursor(after: tuple[float, datetime, int] | None) -> str | None:
    if after is None:
        return None
    priority, created, item_id = after
    return f"{priority!r}_{created.isoformat()}_{item_id}"


def decode_cursor(value: str | None) -> tuple[float, datetime, int] | None:
    if not value:
        return None
    try:
        priority, created, item_id = value.split("_")
        parsed = datetime.fromisoformat(created)
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        parsed = parsed.astimezone(UTC)  # year 1 at +14:00 is before any UTC time: overflow
        number, score = int(item_id), float(priority)
        if not 0 < number <= MAX_ID or not math.isfinite(score):
            raise ValueError("out of range")
        return score, parsed, number
    except (ValueError, OverflowError):
        # A validation error like any other bad query value (422), never a database error:
        # the cursor's id and time are bound into the keyset query.
        raise RequestValidationError([{
            "type": "value_error", "loc": ("query", "after"), "msg": DAMAGED_CURSOR,
            "input": value[:200]}]) from None


def check_below(request: Request) -> float:
    """[classifier] check_below: under this confidence an item is marked "check the label"."""
    return context_of(request).app.settings.classifier.check_below


def length_of(text: str, item: QueueItem) -> dict[str, Any]:
    """The reply's length as the item's network counts it, and that network's limit."""
    network = network_of(mention_of(item))
    used = length.count(text, network)
    limit = length.limit(network)
    return {"count": used, "limit": limit, "remaining": limit - used, "network": network}


def flash(request: Request, message: str, kind: str = "ok") -> None:
    messages = list(request.session.get("flash", []))[-3:]
    messages.append([kind, message[:500]])
    request.session["flash"] = messages


def take_flashes(request: Request) -> list[tuple[str, str]]:
    if "flash" not in request.session:
        return []
    messages = request.session.pop("flash")
    return [(str(k), str(m)) for k, m in messages]


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    web = context_of(request)
    base: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "check_below": web.app.settings.classifier.check_below,
        "csrf_token": csrf_token(request),
        "now": web.app.clock(),
        "flashes": take_flashes(request),
        "brand": web.app.settings.brand.name,
        "statuses": STATUSES, "labels": LABELS, "topics": TOPICS,
        "feeds": [f.name for f in web.app.settings.feeds],
        "path": request.url.path,
    }
    base.update(context)
    return web.templates.TemplateResponse(request, name, base, status_code=status_code)
