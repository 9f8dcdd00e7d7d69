"""Commands that run the monitor from the shell: poll, db upgrade, feeds list, pause and resume.

`run` (the daemon, which also serves the review app) is in monitor.cli.web_cmds.
"""

from __future__ import annotations

import getpass
import logging
import sys
import threading
from datetime import datetime
from typing import Any

import click
from tqdm import tqdm

from monitor.app import App, FeedState
from monitor.cli.base import emit_json, emit_table, install_stop_handlers
from monitor.cli.opening import pass_app
from monitor.pipeline import FeedResult

log = logging.getLogger(__name__)

EXIT_FEED_FAILED = 3


def _fmt_time(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


@click.command()
@click.option("--feed", "only", metavar="NAME", help="Poll only this feed.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
@pass_app(migrate=False)
def poll(app: App, only: str | None, progress: bool | None) -> None:
    """Poll every feed (or one) once, process what arrived, print a line per feed."""
    if only is not None:
        app.settings.feed(only)  # an unknown --feed is a usage error, before anything
    # A feed's bad key or kind is the config's mistake, not the feed's failure:
    # refused (exit 2) before any feed runs, as `run` does.
    app.validate_feeds(only)
    app.migrate()
    install_stop_handlers(app.stop)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(unit=" mentions", file=sys.stderr, leave=False, dynamic_ncols=True) \
        if show else None
    totals: dict[str, int] = {}
    lock = threading.Lock()

    def on_progress(feed: str, fetched: int) -> None:
        if bar is None:
            return
        with lock:
            bar.update(fetched - totals.get(feed, 0))
            totals[feed] = fetched

    def on_result(result: FeedResult) -> None:
        with lock:
            if bar is not None:
                bar.clear()
            click.echo(result.line())
            for notice in result.notices:
                click.echo(f"  note: {notice}")
            for problem in result.problems[:5]:
                click.echo(f"  skipped {problem}")
            if len(result.problems) > 5:
                click.echo(f"  ... and {len(result.problems) - 5} more "
                           "(see: complaint-monitor feeds list)")

    def on_paused(feed: FeedState) -> None:
        with lock:
            if bar is not None:
                bar.clear()
            click.echo(f"{feed.name}: {_paused_words(feed)} - not polled "
                       f"(resume with: complaint-monitor feeds resume {feed.name})")

    def on_held(feed: str, holder: str) -> None:
        with lock:
            if bar is not None:
                bar.clear()
            click.echo(f"{feed}: held by {holder} (another daemon or poll is "
                       "polling it) - not polled")

    # A paused feed is the operator's choice, not a failure: it does not change the
    # exit code, even for `poll --feed NAME` (cron stays quiet while it is paused).
    # Nor does a feed a daemon holds: the daemon polls it.
    results = app.poll_all(only, on_result=on_result, on_progress=on_progress,
                           on_paused=on_paused, on_held=on_held)
    if bar is not None:
        bar.close()
    if any(not r.ok for r in results):
        raise SystemExit(EXIT_FEED_FAILED)


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@pass_app()
def db_upgrade(app: App) -> None:
    """Apply database migrations (run and poll do this on start too)."""
    click.echo(f"database {app.describe_database()} is up to date")


@click.group()
def feeds() -> None:
    """Feed state."""


@feeds.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app()
def feeds_list(app: App, fmt: str) -> None:
    """Every feed: kind, last poll, last error in words, next poll."""
    settings = app.settings
    stored = {s.name: s for s in app.feed_states()}
    rows: list[dict[str, Any]] = []
    for feed in settings.feeds:
        s = stored.get(feed.name)
        summary = dict(s.last_summary or {}) if s else {}
        rows.append({
            "name": feed.name, "kind": feed.kind, "enabled": feed.enabled,
            "every_seconds": feed.every,
            "last_poll": s.last_poll_at.isoformat() if s and s.last_poll_at else None,
            "last_success": s.last_success_at.isoformat()
            if s and s.last_success_at else None,
            "last_error": s.last_error if s else None,
            "consecutive_failures": s.consecutive_failures if s else 0,
            "retry_at": s.retry_at.isoformat() if s and s.retry_at else None,
            "next_poll": s.next_poll_at.isoformat() if s and s.next_poll_at else None,
            "state": _state_word(s),
            "last_summary": summary,
            "paused": bool(s and s.paused),
            "paused_by": s.paused_by if s and s.paused else None,
            "paused_at": s.paused_at.isoformat() if s and s.paused and s.paused_at
            else None,
            "pause_reason": s.pause_reason if s and s.paused else None,
            "resumed_by": s.resumed_by if s else None,
            "resumed_at": s.resumed_at.isoformat() if s and s.resumed_at else None,
            "holder": s.holder if s else None,
            "held_since": s.held_since.isoformat() if s and s.holder and s.held_since
            else None,
        })
    if fmt == "json":
        emit_json(rows)
        return
    emit_table(
        [[r["name"], r["kind"], r["state"],
          _fmt_time(stored[r["name"]].last_poll_at) if r["name"] in stored else "-",
          _fmt_time(stored[r["name"]].next_poll_at) if r["name"] in stored else "-",
          r["holder"] or "-", r["last_error"] or "-"] for r in rows],
        ["NAME", "KIND", "STATE", "LAST POLL (UTC)", "NEXT POLL (UTC)", "HELD BY",
         "LAST ERROR"],
    )
    for name, s in stored.items():
        if s.paused and any(f.name == name for f in settings.feeds):
            click.echo(f"{name}: {_paused_words(s)}")
    for r in rows:
        for notice in r["last_summary"].get("notices") or []:
            click.echo(f"{r['name']}: note: {notice}")


@feeds.command("pause")
@click.argument("name")
@click.option("--reason", default=None, help="Why (shown in feeds list and on /feeds).")
@click.option("--by", default=None, help="Who pauses (for the record; default: your OS "
                                         "user name, else 'cli').")
@pass_app()
def feeds_pause(app: App, name: str, reason: str | None, by: str | None) -> None:
    """Stop polling feed NAME (poll and run skip it; its cursor is kept) until resumed."""
    feed, changed = app.pause_feed(name, by or _cli_actor(), reason)
    if changed:
        log.info("%s paused feed %s (%s)", feed.paused_by, feed.name, feed.pause_reason)
        click.echo(f"{feed.name}: {_paused_words(feed)}; `poll` and `run` skip it until "
                   f"`complaint-monitor feeds resume {feed.name}`")
    else:
        click.echo(f"{feed.name}: already {_paused_words(feed)}; nothing changed")


@feeds.command("resume")
@click.argument("name")
@click.option("--by", default=None, help="Who resumes (for the record; default: your OS "
                                         "user name, else 'cli').")
@pass_app()
def feeds_resume(app: App, name: str, by: str | None) -> None:
    """Poll feed NAME again from where it stopped (the daemon picks it up at its next run)."""
    feed, changed = app.resume_feed(name, by or _cli_actor())
    if changed:
        log.info("%s resumed feed %s", feed.resumed_by, feed.name)
        click.echo(f"{feed.name}: resumed by {feed.resumed_by}; polled again from where "
                   "it stopped")
    else:
        click.echo(f"{feed.name}: not paused; nothing changed")


COMMANDS = (poll, db, feeds)


def _cli_actor() -> str:
    """Who is at the shell, for the record: the OS user name, else 'cli'."""
    try:
        return getpass.getuser() or "cli"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "cli"


def _paused_words(s: FeedState) -> str:
    text = f"paused by {s.paused_by or 'unknown'} at {_fmt_time(s.paused_at)} UTC"
    return text + (f": {s.pause_reason}" if s.pause_reason else "")


def _state_word(s: FeedState | None) -> str:
    if s is not None and s.paused:
        return "paused"
    if s is None or s.last_poll_at is None:
        return "never polled"
    if s.last_error:
        return "failing" if not (s.last_summary or {}).get("rate_limited") else "rate limited"
    return "ok"
