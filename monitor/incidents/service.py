"""The incident lifecycle: detection after each poll, and confirm / resolve / dismiss.

    (detection) --> suggested --confirm--> confirmed --resolve--> resolved
                    suggested --dismiss--> dismissed

Confirming takes the manager's summary (and optionally a status link from the allowed list)
and redrafts every pending draft of the incident's mentions with transparency wording; new
matching mentions are drafted that way until it is resolved. Resolving queues a follow-up
draft for each author. Every step is audited (incident_events, review_events). Nothing here
sends a reply: follow-ups and redrafts go to the review queue like any other draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from monitor.config import IncidentSettings, Settings
from monitor.errors import InputError, InvalidTransition
from monitor.incidents import detect
from monitor.incidents.alerts import Alert, Alerter
from monitor.model import Classification, Draft, Mention, Status
from monitor.review.actions import classification_of, mention_of
from monitor.review.state import Action, next_status
from monitor.store import feeds as store_feeds
from monitor.store import incidents as store
from monitor.store import ingest
from monitor.store import items as store_items
from monitor.store import queue as store_queue
from monitor.store.incidents import Incident

log = logging.getLogger(__name__)

DETECTOR = "detector"
# Follow-ups to authors whose earlier reply was already decided are new review items on
# copies of their posts under this feed, which publishing never touches (it only publishes
# configured feeds): a reviewer posts them by hand.
FOLLOW_UP_FEED = "incident-followups"
MAX_SUMMARY = 400
COVERED_LABELS = ("fix_request", "venting", "question")


class IncidentDrafter(Protocol):
    def draft(self, mention: Mention, classification: Classification, *,
              incident: IncidentSettings | None = None, variant: int | None = None) -> Draft: ...

    def follow_up(self, mention: Mention, classification: Classification, *,
                  incident: IncidentSettings) -> Draft: ...


class _Raced(Exception):
    """Another process moved the scan mark first: this scan's findings are dropped."""


@dataclass
class _PostCache:
    """Posts already read for detection: every detected post created since `horizon` and
    stored up to mention id `max_id`."""

    posts: dict[int, detect.Post] = field(default_factory=dict)
    horizon: datetime | None = None
    max_id: int = 0


@dataclass
class ScanReport:
    suggested: list[int] = field(default_factory=list)
    attached: int = 0
    redrafted: int = 0


@dataclass
class Incidents:
    engine: Engine
    settings: Settings
    drafter: IncidentDrafter
    clock: Callable[[], datetime]
    alerter: Alerter | None = None
    _cache: _PostCache = field(default_factory=lambda: _PostCache(), init=False, repr=False)

    # --- reading -----------------------------------------------------------------------------

    def get(self, incident_id: int) -> Incident:
        with self.engine.connect() as conn:
            return store.get(conn, incident_id)

    def listing(self, status: str | None = None) -> list[Incident]:
        if status is not None and status not in (*store.STATUSES, "open", "all"):
            raise InputError(f"unknown status {status!r} (known: open, all, "
                             f"{', '.join(store.STATUSES)})", key="--status")
        statuses: Sequence[str] | None
        if status in (None, "all"):
            statuses = None
        elif status == "open":
            statuses = store.OPEN
        else:
            statuses = (status,)
        with self.engine.connect() as conn:
            return store.list_incidents(conn, statuses)

    def open(self) -> list[Incident]:
        return self.listing("open")

    def thresholds(self) -> detect.Thresholds:
        inc, path = self.settings.incidents, self.settings.source
        return detect.Thresholds(
            window=timedelta(seconds=inc.seconds("window", path)),
            baseline=timedelta(seconds=inc.seconds("baseline", path)),
            min_history=timedelta(seconds=inc.seconds("min_history", path)),
            min_authors=inc.min_authors, ratio=inc.ratio, failures_only=inc.failures_only)

    def allowed_links(self) -> tuple[str, ...]:
        replies = self.settings.replies
        links = (replies.status_url, replies.support_url, *self.settings.incidents.status_links)
        return tuple(dict.fromkeys(u for u in links if u))

    def wording(self, incident: Incident) -> IncidentSettings:
        """The drafter's incident settings for a confirmed incident's mentions."""
        return IncidentSettings(active=True, summary=incident.summary or "", topics=(),
                                keywords=(), labels=COVERED_LABELS,
                                status_url=incident.status_url)

    # --- detection ---------------------------------------------------------------------------

    def _ignore(self) -> frozenset[str]:
        brand = self.settings.brand
        return detect.brand_words((brand.name, *brand.handles, *brand.keywords,
                                   *brand.products))

    def scan(self) -> ScanReport:
        """Look at the posts stored since the last scan: suggest incidents for new surges,
        add matching posts to open incidents, redraft those of confirmed ones."""
        report = ScanReport()
        if not self.settings.incidents.detect:
            return report
        th = self.thresholds()
        now = self.clock()
        with self.engine.connect() as conn:
            after = store.scanned_to(conn)
            span = store.new_posts_span(conn, after)
            if span is None:
                return report
            last_id, start, end = span
            history_start = store.first_post_at(conn) or start
            posts = self._posts(conn, start - th.window - th.baseline, end)
            known = store.list_incidents(conn, None, limit=500)
        index = detect.Index(posts)
        surges = detect.scan(index, start, end, history_start, th)
        confirmed_new: dict[int, list[int]] = {}
        try:
            self._record(surges, posts, after, last_id, known, now, report, confirmed_new, th)
        except _Raced:
            log.info("incidents: another process scanned these posts; nothing to do")
            return ScanReport()
        for incident_id, mention_ids in confirmed_new.items():
            report.redrafted += self._redraft(self.get(incident_id), set(mention_ids), DETECTOR)
        for incident_id in report.suggested:
            self._alert_suggested(self.get(incident_id))
        return report

    def _record(self, surges: list[detect.Surge], posts: list[detect.Post], after: int,
                last_id: int, known: list[Incident], now: datetime, report: ScanReport,
                confirmed_new: dict[int, list[int]], th: detect.Thresholds) -> None:
        try:
            self._write(surges, posts, after, last_id, known, now, report, confirmed_new, th)
        except IntegrityError as exc:  # two first scans at once: one inserted the mark
            raise _Raced from exc

    def _write(self, surges: list[detect.Surge], posts: list[detect.Post], after: int,
               last_id: int, known: list[Incident], now: datetime, report: ScanReport,
               confirmed_new: dict[int, list[int]], th: detect.Thresholds) -> None:
        with self.engine.begin() as conn:
            if not store.claim_scan(conn, after, last_id, now):
                raise _Raced
            for surge in surges:
                self._place(conn, surge, known, now, report, confirmed_new, th)
            # Posts of this scan that match an open incident join it, surge or not.
            fresh = [p for p in posts if p.mention_id > after and p.complaint]
            for incident in store.list_incidents(conn, store.OPEN):
                joining = [p for p in fresh if p.created_at >= incident.first_seen - th.window
                           and detect.matches(p.words, incident.terms)]
                added = store.add_mentions(conn, incident.id,
                                           [p.mention_id for p in joining], now)
                report.attached += len(added)
                latest = max((p.created_at for p in joining), default=incident.last_seen)
                if latest > incident.last_seen:
                    store.update(conn, incident.id, now, last_seen=latest)
                if added and incident.status == "confirmed":
                    confirmed_new.setdefault(incident.id, []).extend(added)

    def _posts(self, conn: Connection, lo: datetime, hi: datetime) -> list[detect.Post]:
        """The detected posts created in [lo, hi]. Each poll's scan needs the whole baseline
        (a week) again: posts read before are kept here with their words, so a scan reads
        and splits only the posts stored since (or all of them when `lo` is older than what
        is kept, as for a backlog of old posts)."""
        cache = self._cache
        # Every label: praise and neutral posts tell a word in the news from a problem.
        if cache.horizon is None or lo < cache.horizon:
            # No upper bound: posts dated after `hi` are kept for later scans too.
            rows = store.posts_between(conn, lo, None, None, exclude_feed=FOLLOW_UP_FEED)
            cache.posts = {}
        else:
            rows = store.posts_between(conn, lo, None, None, exclude_feed=FOLLOW_UP_FEED,
                                       after_id=cache.max_id)
            cache.posts = {k: p for k, p in cache.posts.items() if p.created_at >= lo}
        ignore = self._ignore()
        for r in rows:
            cache.posts[r.mention_id] = detect.post(
                r.mention_id, r.created_at, r.author, r.platform, r.topic, r.text,
                ignore=ignore, complaint=r.label in store.DETECTED_LABELS)
            cache.max_id = max(cache.max_id, r.mention_id)
        cache.horizon = lo
        return [p for p in cache.posts.values() if p.created_at <= hi]

    def _place(self, conn: Connection, surge: detect.Surge, known: list[Incident],
               now: datetime, report: ScanReport, confirmed_new: dict[int, list[int]],
               th: detect.Thresholds) -> None:
        match = next((i for i in known if detect.overlaps(i.terms, surge.terms)
                      and (i.is_open or i.last_seen >= surge.first_seen - th.window)), None)
        if match is None and surge.verdict and th.failures_only:
            # Not a service failure (a campaign, opinions): nobody is alerted and no reply
            # switches. It is looked at again in every later window, so a real outage that
            # starts out looking like one is still suggested once its posts say so.
            log.info("incidents: not suggested (%s): %d authors on %s since %s",
                     surge.verdict, surge.authors, ", ".join(surge.terms),
                     surge.first_seen.isoformat())
            return
        if match is None:
            incident_id = store.create(
                conn, topic=surge.topic, terms=surge.terms, networks=surge.networks,
                examples=surge.examples, first_seen=surge.first_seen,
                last_seen=surge.last_seen, rate=surge.rate, baseline=surge.baseline, now=now)
            store.add_mentions(conn, incident_id, surge.mention_ids, now)
            store.add_event(conn, incident_id, at=now, actor=DETECTOR, action="suggested",
                            detail={"authors": surge.authors, "rate": surge.rate,
                                    "baseline": surge.baseline, "at": surge.at.isoformat()})
            report.suggested.append(incident_id)
            known.append(store.get(conn, incident_id))
            return
        # The same surge seen again: it grows (a closed one only remembers that it goes on,
        # so that a dismissed suggestion is not suggested again while it lasts).
        values: dict[str, Any] = {"last_seen": max(match.last_seen, surge.last_seen)}
        if match.is_open:
            values["networks"] = sorted({*match.networks, *surge.networks})
            values["terms"] = list(detect.union_terms(match.terms, surge.terms))
            added = store.add_mentions(conn, match.id, surge.mention_ids, now)
            report.attached += len(added)
            if added and match.status == "confirmed":
                confirmed_new.setdefault(match.id, []).extend(added)
        store.update(conn, match.id, now, **values)
        known[known.index(match)] = replace(match, last_seen=values["last_seen"],
                                            terms=tuple(values.get("terms", match.terms)))

    def _alert_suggested(self, incident: Incident) -> None:
        if self.alerter is None:
            return
        terms = ", ".join(incident.terms)
        body = (f"{incident.count} posts about {terms} (topic {incident.topic}) on "
                f"{', '.join(incident.networks)} since {incident.first_seen:%Y-%m-%d %H:%M} "
                f"UTC: {incident.rate:g} authors in the last window, usually "
                f"{incident.baseline:g}. Confirm or dismiss it: complaint-monitor incidents "
                f"show {incident.id}")
        if incident.examples:
            body += "\nFor example: " + incident.examples[0][:200]
        self.alerter.emit(Alert(key=f"incident:{incident.id}:suggested",
                                title=f"Possible incident #{incident.id}: {terms}", body=body))

    # --- the manager's actions ---------------------------------------------------------------

    def confirm(self, incident_id: int, *, by: str, summary: str,
                status_url: str | None = None) -> tuple[Incident, int]:
        """Confirm a suggested incident (or reword a confirmed one); returns it and how many
        pending drafts were redrafted."""
        summary = " ".join(summary.split())
        if not summary:
            raise InputError("write one or two sentences on what is happening and what is "
                             "being done", key="--summary")
        if len(summary) > MAX_SUMMARY:
            raise InputError(f"at most {MAX_SUMMARY} characters", key="--summary")
        if summary[-1] not in ".!":
            summary += "."  # the templates quote a summary that ends a sentence whole
        link = (status_url or "").strip() or None
        if link is not None:
            allowed = self.allowed_links()
            if link not in allowed:
                known = ", ".join(allowed) or "none: set [incidents] status_links"
                raise InputError(f"{link!r} is not an allowed status link (allowed: {known})",
                                 key="--status-url")
            if urlsplit(link).scheme not in ("http", "https"):
                raise InputError("must be an http(s) link", key="--status-url")
        now = self.clock()
        with self.engine.begin() as conn:
            current = store.get(conn, incident_id)
            if not store.set_status(conn, incident_id, expected=store.OPEN, status="confirmed",
                                    now=now, summary=summary, status_url=link):
                raise InvalidTransition(f"incident {incident_id} is {current.status}: only a "
                                        "suggested or confirmed incident can be confirmed")
            store.add_event(conn, incident_id, at=now, actor=by,
                            action="confirmed" if current.status == "suggested" else "reworded",
                            detail={"summary": summary, "status_url": link})
            # Posts of the same problem that no surge window caught (before it, or between
            # scans) join it now, so that their pending drafts switch too.
            window = self.thresholds().window
            ignore = self._ignore()
            rows = store.posts_between(conn, current.first_seen - window, None,
                                       exclude_feed=FOLLOW_UP_FEED)
            store.add_mentions(conn, incident_id, [
                r.mention_id for r in rows
                if detect.matches(detect.words_of(r.text, ignore), current.terms)], now)
        incident = self.get(incident_id)
        redrafted = self._redraft(incident, None, by)
        return self.get(incident_id), redrafted

    def dismiss(self, incident_id: int, *, by: str, reason: str = "") -> Incident:
        now = self.clock()
        with self.engine.begin() as conn:
            current = store.get(conn, incident_id)
            if not store.set_status(conn, incident_id, expected=("suggested",),
                                    status="dismissed", now=now):
                raise InvalidTransition(f"incident {incident_id} is {current.status}: only a "
                                        "suggested incident can be dismissed (resolve a "
                                        "confirmed one)")
            store.add_event(conn, incident_id, at=now, actor=by, action="dismissed",
                            detail={"reason": reason.strip()[:500]} if reason.strip() else None)
        return self.get(incident_id)

    def resolve(self, incident_id: int, *, by: str) -> tuple[Incident, int]:
        """Resolve a confirmed incident and queue a follow-up for each of its authors;
        returns it and the number of follow-ups queued."""
        now = self.clock()
        with self.engine.begin() as conn:
            current = store.get(conn, incident_id)
            if not store.set_status(conn, incident_id, expected=("confirmed",),
                                    status="resolved", now=now):
                raise InvalidTransition(f"incident {incident_id} is {current.status}: only a "
                                        "confirmed incident can be resolved")
        incident = self.get(incident_id)
        count = self._follow_ups(incident, by)
        with self.engine.begin() as conn:
            store.add_event(conn, incident_id, at=now, actor=by, action="resolved",
                            detail={"follow_ups": count})
        return self.get(incident_id), count

    # --- drafting ----------------------------------------------------------------------------

    def _redraft(self, incident: Incident, only: set[int] | None, by: str) -> int:
        """Redraft the pending items of the incident's mentions (`only` those mention ids)
        with its wording. A draft a reviewer edited keeps the reviewer's words."""
        wording = self.wording(incident)
        with self.engine.connect() as conn:
            members = store.members(conn, incident.id)
        done = 0
        for member in members:
            if member.status != Status.PENDING.value or (only and member.mention_id not in only):
                continue
            with self.engine.connect() as conn:
                item = store_queue.get_item(conn, member.item_id)
            if item.draft is not None and item.draft.template.endswith("+edited"):
                continue
            draft = self.drafter.draft(mention_of(item), classification_of(item),
                                       incident=wording)
            if item.draft is not None and draft.text == item.draft.text:
                continue
            try:
                self._put_draft(item, draft, by, f"incident {incident.id}")
            except InvalidTransition:
                continue  # a reviewer decided it meanwhile: their decision stands
            done += 1
        return done

    def _put_draft(self, item: store_queue.QueueItem, draft: Draft, by: str, why: str) -> None:
        target = next_status(Status(item.status), Action.DRAFT)
        with self.engine.begin() as conn:
            now = self.clock()
            draft_id = store_items.add_draft(conn, item.mention.id, draft.text, draft.template,
                                             draft.violations, by, now, note=why)
            store_items.transition(
                conn, item.id, expected_version=item.version, from_status=item.status,
                to_status=target, actor=by, action=Action.DRAFT, now=now,
                values={"draft_id": draft_id},
                detail={"draft_id": draft_id, "template": draft.template, "why": why})

    def _follow_ups(self, incident: Incident, by: str) -> int:
        """One follow-up per author: as the new draft of their latest item while it is
        still pending or skipped, else as a new item on a copy of their post."""
        wording = self.wording(incident)
        with self.engine.connect() as conn:
            members = store.members(conn, incident.id)
        latest: dict[tuple[str, str], store.MemberRow] = {}
        for member in members:
            latest[(member.platform, member.author)] = member
        count = 0
        for member in latest.values():
            with self.engine.connect() as conn:
                item = store_queue.get_item(conn, member.item_id)
            mention, classification = mention_of(item), classification_of(item)
            draft = self.drafter.follow_up(mention, classification, incident=wording)
            why = f"follow-up: incident {incident.id} resolved"
            if item.status in (Status.PENDING.value, Status.SKIPPED.value):
                try:
                    self._put_draft(item, draft, by, why)
                    count += 1
                    continue
                except InvalidTransition:
                    item = self._reread(item.id)
            self._follow_up_item(incident, item, mention, classification, draft, why)
            count += 1
        return count

    def _reread(self, item_id: int) -> store_queue.QueueItem:
        with self.engine.connect() as conn:
            return store_queue.get_item(conn, item_id)

    def _follow_up_item(self, incident: Incident, item: store_queue.QueueItem,
                        mention: Mention, classification: Classification, draft: Draft,
                        why: str) -> None:
        now = self.clock()
        copy = replace(mention, feed=FOLLOW_UP_FEED,
                       external_id=f"followup:{incident.id}:{mention.external_id}"[:255],
                       created_at=now)
        draft = replace(draft, note=why)
        with self.engine.begin() as conn:
            feed = store_feeds.ensure(conn, FOLLOW_UP_FEED, "followup", now)
            ingest.store(conn, feed.id, [ingest.Processed(copy, classification, draft,
                                                          Status.PENDING)], now)

    # --- other alerts ------------------------------------------------------------------------

    def check_alerts(self, failures: Sequence[tuple[str, int, datetime | None]]) -> None:
        """Alerts for feeds failing `[alerts] feed_failures` polls in a row (`failures`:
        name, consecutive failures, when the run of failures began) and for the oldest
        pending fix-request past `[alerts] fix_request_age`."""
        if self.alerter is None or not self.alerter.enabled:
            return
        alerts = self.settings.alerts
        for name, count, since in failures:
            if count >= alerts.feed_failures:
                began = since.isoformat() if since else "?"
                self.alerter.emit(Alert(
                    key=f"feed:{name}:failing:{began}",
                    title=f"Feed {name} failed {count} polls in a row",
                    body=f"Feed {name} has failed {count} polls in a row. See "
                         "`complaint-monitor feeds list` for its last error."))
        age = alerts.fix_request_age.strip()
        if age in ("", "0"):
            return
        from monitor.config import parse_duration

        limit = timedelta(seconds=parse_duration(age, key="alerts.fix_request_age"))
        with self.engine.connect() as conn:
            oldest = store.oldest_pending(conn, "fix_request")
        if oldest is None:
            return
        item_id, posted = oldest
        waited = self.clock() - posted
        if waited >= limit:
            hours = waited.total_seconds() / 3600
            self.alerter.emit(Alert(
                key=f"fix_request:{item_id}:older-than:{age}",
                title=f"A fix-request has waited {hours:.1f} hours",
                body=f"Item {item_id}, the oldest pending fix-request, was posted "
                     f"{hours:.1f} hours ago (alert after {age}). "
                     f"complaint-monitor queue show {item_id}"))
