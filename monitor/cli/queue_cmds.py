"""`queue list/show/approve/reject/relabel/publish`: the review queue from the shell.

`queue relabel` gives an item another label (the corrections `labels export` takes out).

`queue publish` exits 0 when every item it tried was published, 3 when one or more failed or
must wait (the others were still sent, as with `poll`), 1 when an ID named was not found, not
approved or from a feed that does not publish, and 2 while publishing is off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from monitor.app import App
from monitor.cli.base import (
    LABELS,
    emit_csv,
    emit_json,
    emit_jsonl,
    emit_table,
    one_line,
)
from monitor.cli.opening import pass_app
from monitor.model import Status
from monitor.review.publish import Outcome
from monitor.review.queries import ItemPage, QueueFilter, QueueItem
from monitor.text import age

STATUSES = [s.value for s in Status] + ["all"]
EXIT_PUBLISH_FAILED = 3  # as `poll`: one or more failed, the others were still processed
CSV_COLUMNS = ["id", "status", "label", "confidence", "language", "check_label", "topic",
               "priority", "feed", "platform", "author", "created_at", "url", "text", "draft",
               "template", "reasons", "compound"]
CHECK_MARK = "check the label"
DEFAULT_LIMIT = 50


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    m, dr = d["mention"], d["draft"] or {}
    return {
        "id": d["id"], "status": d["status"], "label": d["label"],
        "confidence": d["confidence"], "language": d["language"],
        "check_label": "yes" if d["check_label"] else "", "topic": d["topic"],
        "priority": d["priority"], "feed": m["feed"], "platform": m["platform"],
        "author": m["author"], "created_at": m["created_at"], "url": m["url"],
        "text": m["text"], "draft": dr.get("text"), "template": dr.get("template"),
        "reasons": d["reasons"], "compound": d["sentiment"]["compound"],
    }


def _confidence(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _age(created: datetime, now: datetime) -> str:
    # The review app's format too (monitor.text.age): one way to read an age everywhere.
    return age((now - created).total_seconds())


@click.group()
def queue() -> None:
    """The review queue: list, show, approve, reject."""


@queue.command("list")
@click.option("--status", default="pending", type=click.Choice(STATUSES),
              show_default=True)
@click.option("--label", type=click.Choice(LABELS))
@click.option("--topic")
@click.option("--feed")
@click.option("--search", "text", help="Only items whose text or author contains this.")
@click.option("--check-label", "check_label", is_flag=True,
              help="Only pending or skipped items whose label the classifier gave with a "
                   "confidence under [classifier] check_below.")
@click.option("--limit", default=DEFAULT_LIMIT, show_default=True,
              type=click.IntRange(1, 100_000),
              help="At most this many items (stderr says how many more there are).")
@click.option("--all", "everything", is_flag=True, help="Every matching item (no limit).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]),
              default="table", show_default=True)
@pass_app()
def queue_list(app: App, status: str, label: str | None, topic: str | None,
               feed: str | None, text: str | None, check_label: bool, limit: int,
               everything: bool, fmt: str) -> None:
    """Review items, most urgent first (priority, then age)."""
    below = app.settings.classifier.check_below
    filters = QueueFilter(
        statuses=None if status == "all" else (status,), label=label, topic=topic,
        feed=feed, text=text, check_below=below if check_label else None,
    )
    pages: list[ItemPage] = []
    items: list[QueueItem] = []
    after = None
    more = False
    while everything or len(items) < limit:
        want = 500 if everything else min(500, limit - len(items))
        page = app.queries.page(filters, after, limit=want)
        pages.append(page)
        items.extend(page.items)
        more = page.next_after is not None
        if not more:
            break
        after = page.next_after
    total = len(items)
    if more:
        # Counted only when the list was cut, so a full listing costs no count.
        total = app.queries.count(filters) or len(items)
    now = app.clock()
    if total > len(items):
        # On stderr, so that json, jsonl and csv output stays clean for scripts.
        click.echo(f"showing {len(items)} of {total} items; {total - len(items)} more: "
                   f"use --limit {min(total, 100_000)} or --all to see them", err=True)
    dicts = [d for p in pages for d in p.as_dicts(below)]
    if fmt == "json":
        emit_json(dicts)
    elif fmt == "jsonl":
        emit_jsonl(dicts)
    elif fmt == "csv":
        emit_csv([_flat(d) for d in dicts], CSV_COLUMNS)
    else:
        if not items:
            click.echo(f"no {status if status != 'all' else ''} items".replace("  ", " "))
            return
        emit_table(
            [[str(i.id), i.status, i.label + (" ?" if i.check_label(below) else ""),
              i.language or "-", i.topic, f"{i.priority:.2f}",
              _age(i.mention.created_at, now), one_line(i.mention.author, 24),
              one_line(i.mention.text, 60)] for i in items],
            ["ID", "STATUS", "LABEL", "LANG", "TOPIC", "PRIO", "AGE", "AUTHOR", "MENTION"],
        )
        if any(i.check_label(below) for i in items):
            click.echo(f"? {CHECK_MARK}: the classifier was not sure (confidence under "
                       f"{below:g})")


@queue.command("show")
@click.argument("item_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_app()
def queue_show(app: App, item_id: int, fmt: str) -> None:
    """One item in full, with its history."""
    below = app.settings.classifier.check_below
    detail = app.queries.detail(item_id)
    if fmt == "json":
        emit_json({**detail.as_dict(below), "history": detail.history("from", "to")})
        return
    item, events, extra = detail.item, detail.events, detail.published
    m = item.mention
    click.echo(f"#{item.id}  {item.status}  {item.label}/{item.topic}  "
               f"priority {item.priority:.2f}  confidence {_confidence(item.confidence)}  "
               f"language {item.language or '-'}")
    if item.check_label(below):
        click.echo(f"! {CHECK_MARK}: the classifier gave it with confidence "
                   f"{item.confidence:.2f} (under {below:g})")
    if item.decided_by or item.decided_at:
        when = f" at {item.decided_at:%Y-%m-%d %H:%M} UTC" if item.decided_at else ""
        click.echo(f"{item.status} by {item.decided_by or 'unknown'}{when}")
    if item.status == "rejected" or item.reject_reason:
        click.echo(f"reject reason: {item.reject_reason or '(none given)'}")
    click.echo(f"{m.author} on {m.platform} ({m.feed}) at {m.created_at:%Y-%m-%d %H:%M} UTC")
    if m.url:
        click.echo(m.url)
    click.echo("")
    click.echo(m.text)
    click.echo("")
    s = item.sentiment
    click.echo(f"why: {', '.join(item.reasons) or '-'}  (sentiment {s.compound:+.2f}: "
               f"neg {s.neg:.2f} neu {s.neu:.2f} pos {s.pos:.2f})")
    if item.draft:
        click.echo(f"\ndraft ({item.draft.template}):\n{item.draft.text}")
        if item.draft.note:
            click.echo(f"  ({item.draft.note})")
        for v in item.draft.violations:
            click.echo(f"  ! {v}")
    else:
        click.echo("\nno draft")
    if extra["published"]:
        ref = extra["published"]
        click.echo(f"\npublished as {ref['url'] or ref['reply_id']}")
    elif extra["publish_error"]:
        click.echo(f"\nlast publish attempt: {extra['publish_error']}")
    click.echo("\nhistory:")
    for e in events:
        change = f"{e.from_status or '-'} -> {e.to_status}" if e.to_status else ""
        click.echo(f"  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<12} {e.action:<8} {change}")


@queue.command("approve")
@click.argument("item_id", type=int)
@click.option("--text", help="Replace the draft with this text first.")
@click.option("--by", default="cli", show_default=True, help="Who approves (for the audit).")
@click.option("--force", is_flag=True, help="Approve even if the draft fails its checks.")
@pass_app()
def queue_approve(app: App, item_id: int, text: str | None, by: str,
                  force: bool) -> None:
    """Approve an item's draft (optionally replacing its text)."""
    item = app.reviewer().approve(item_id, by=by, text=text, force=force)
    click.echo(f"#{item.id} approved")


@queue.command("reject")
@click.argument("item_id", type=int)
@click.option("--reason", default="", help="Why (kept in the item's history).")
@click.option("--by", default="cli", show_default=True, help="Who rejects (for the audit).")
@pass_app()
def queue_reject(app: App, item_id: int, reason: str, by: str) -> None:
    """Reject an item (no reply will be sent)."""
    item = app.reviewer().reject(item_id, by=by, reason=reason)
    click.echo(f"#{item.id} rejected")


@queue.command("publish")
@click.argument("item_ids", metavar="[ID]...", nargs=-1, type=int)
@pass_app()
def queue_publish(app: App, item_ids: tuple[int, ...]) -> None:
    """Post approved replies to their networks now: the IDs given, or every approved item
    whose feed publishes (up to [publish] batch_size). One line per item."""
    results = app.publish(list(item_ids) if item_ids else None)
    if not results:
        click.echo("nothing to publish")
    for result in results:
        click.echo(result.line())
    if any(r.outcome in (Outcome.FAILED, Outcome.DEFERRED) for r in results):
        raise SystemExit(EXIT_PUBLISH_FAILED)
    if any(r.outcome in (Outcome.SKIPPED, Outcome.BUSY) for r in results):
        raise SystemExit(1)



@queue.command("relabel")
@click.argument("item_id", type=int)
@click.argument("label", type=click.Choice(LABELS))
@click.option("--version", "version", type=int, default=None,
              help="The item version you looked at; a newer one refuses the change.")
@click.option("--by", default="cli", show_default=True, help="Who relabels (for the audit).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app()
def queue_relabel(app: App, item_id: int, label: str, version: int | None, by: str,
                  fmt: str) -> None:
    """Give a pending or skipped item another label (a decided one is reopened first).

    The reply is drafted again from the new label's templates and the priority moves to
    its band; relabelled neutral, the item is skipped. The classifier's label is kept.
    """
    item = app.reviewer().relabel(item_id, by=by, label=label, version=version)
    last = app.queries.detail(item.id).relabel
    if last is None:  # pragma: no cover - the relabel above was just recorded
        raise RuntimeError(f"item {item.id} has no relabel in its history")
    if fmt == "json":
        emit_json({**item.as_dict(app.settings.classifier.check_below),
                   "classifier_label": item.classifier_label,
                   "classifier_confidence": item.classifier_confidence,
                   "relabelled": last.as_dict()})
        return
    draft = f"draft {item.draft.template}" if item.draft else "no draft"
    click.echo(f"#{item.id} relabelled {last.from_label} -> {item.label}  {item.status}  "
               f"priority {item.priority:.2f}  {draft}  (classifier: {item.classifier_label}, "
               f"version {item.version})")

COMMANDS = (queue,)
