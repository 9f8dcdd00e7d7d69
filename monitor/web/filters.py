"""Jinja filters for the HTML templates: ages, times, first lines, safe links, numbers,
network names.

Pure functions returning plain strings; Jinja's autoescape escapes their output. None of them
may return Markup: mention data must never be marked safe.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from monitor.text import age

LABEL_NAMES = {
    "fix_request": "Fix request", "venting": "Venting", "question": "Question",
    "praise": "Praise", "neutral": "Neutral",
}


def ago(value: datetime | None, now: datetime) -> str:
    """'5m', '3h', '1d 22h' since `value`: monitor.text.age, the CLI's format too."""
    if value is None:
        return "-"
    return age((now - value).total_seconds())


NETWORK_NAMES = {
    "x": "X", "twitter": "X", "bluesky": "Bluesky", "mastodon": "Mastodon",
    "reddit": "Reddit", "hackernews": "Hacker News", "rss": "RSS", "jsonl": "file",
    "demo": "demo",
}


def network_name(value: str | None) -> str:
    """A network's name as people write it ('x' -> 'X'); unknown ones as they are."""
    if not value:
        return "-"
    return NETWORK_NAMES.get(value.strip().lower(), value)


def when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def first_line(value: str | None, width: int = 120) -> str:
    if not value:
        return ""
    line = " ".join(value.strip().splitlines()[0].split()) if value.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def safe_href(value: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript: or data: links)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def label_name(value: str) -> str:
    return LABEL_NAMES.get(value, value.replace("_", " ").capitalize())


def thousands(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


FILTERS: dict[str, Callable[..., Any]] = {
    "ago": ago, "when": when, "first_line": first_line, "safe_href": safe_href,
    "label_name": label_name, "thousands": thousands, "percent": percent,
    "network_name": network_name,
}
