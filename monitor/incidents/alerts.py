"""Team alerts through apprise: a suggested incident, a feed failing several polls in a row,
the oldest pending fix-request past its age. Each event is sent once (its key is recorded in
the database before anything else can send it again), never on every poll.

The target URLs come from the environment variable `[alerts] urls_env` (they hold tokens).
A failing target is logged and recorded, and never raises: alerts must not stop polling.
This is the only module that imports apprise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import apprise
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from monitor.config import AlertsSettings
from monitor.store import incidents as store

log = logging.getLogger(__name__)


def alert_urls(settings: AlertsSettings, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The apprise URLs in the configured environment variable (space, comma or newline
    separated); () when it is unset or empty."""
    raw = environ.get(settings.urls_env, "")
    return tuple(u for u in re.split(r"[\s,]+", raw) if u)


@dataclass(frozen=True)
class Alert:
    key: str      # one per event: "incident:7:suggested", "feed:acme:failing:2026-..."
    title: str
    body: str


Sender = Callable[[Sequence[str], Alert], bool]


def apprise_send(urls: Sequence[str], alert: Alert,) -> bool:
    """Send through apprise to every URL; True when all took it."""
    box = apprise.Apprise()
    all_read = True
    for url in urls:
        # A URL apprise cannot read is a configuration mistake: say which (without its token).
        if not box.add(url):
            log.warning("alerts: apprise cannot use a URL of scheme %r (check %s)",
                        url.split(":", 1)[0], "the alert URLs")
            all_read = False
    if not len(box):
        return False
    try:
        sent = bool(box.notify(title=alert.title, body=alert.body))
    except Exception:  # a broken plugin must not stop polling either
        log.exception("alerts: sending %s failed", alert.key)
        return False
    return sent and all_read


@dataclass
class Alerter:
    engine: Engine
    urls: tuple[str, ...]
    clock: Callable[[], datetime]
    send: Sender = field(default=apprise_send)

    @property
    def enabled(self) -> bool:
        return bool(self.urls)

    def emit(self, alert: Alert) -> bool | None:
        """Send `alert` unless its key was sent before; None when skipped (sent already, or
        alerts off), else whether every target took it. Never raises for a target."""
        if not self.enabled:
            return None
        now = self.clock()
        try:
            # Claimed first (the key is the primary key): two daemons never both send it.
            with self.engine.begin() as conn:
                if store.alert_sent(conn, alert.key):
                    return None
                store.record_alert(conn, alert.key, ok=False, title=alert.title, now=now)
        except IntegrityError:
            return None
        try:
            ok = self.send(self.urls, alert)
        except Exception:
            log.exception("alerts: sending %s failed", alert.key)
            ok = False
        if ok:
            with self.engine.begin() as conn:
                store.mark_alert_ok(conn, alert.key)
        else:
            log.warning("alerts: %s could not be delivered to every target", alert.key)
        return ok
