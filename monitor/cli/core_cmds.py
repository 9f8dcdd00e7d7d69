"""Commands that run the monitor: init, poll, run, db upgrade, feeds list, pause and resume."""

from __future__ import annotations

import getpass
import logging
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from monitor.cli.base import CliState, emit_json, emit_table, pass_state

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.pipeline import FeedResult
    from monitor.store import feeds as store_feeds

log = logging.getLogger(__name__)

EXIT_FEED_FAILED = 3


def example_config_text() -> str:
    """The starter config: the shipped copy of config.example.toml."""
    from importlib import resources

    try:
        return (resources.files("monitor.examples") / "config.example.toml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        here = Path(__file__).resolve().parents[2] / "config.example.toml"
        return here.read_text("utf-8")


def _install_stop_handlers(stop: threading.Event) -> None:
    """SIGINT/SIGTERM ask for a clean stop: the page being stored commits or rolls back whole."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.warning("received %s: finishing the current page, then stopping",
                    signal.Signals(signum).name)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)


def _fmt_time(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("path", default="config.toml", type=click.Path(dir_okay=False))
    @click.option("--force", is_flag=True, help="Overwrite an existing file.")
    def init(path: str, force: bool) -> None:
        """Write a starter config (the content of config.example.toml) to PATH."""
        target = Path(path)
        if target.exists() and not force:
            click.echo(f"error: {target} exists; use --force to overwrite it", err=True)
            raise SystemExit(1)
        target.write_text(example_config_text(), encoding="utf-8")
        click.echo(f"wrote {target}; edit it, then run: complaint-monitor --config {target} poll")

    @cli.command()
    @click.option("--feed", "only", metavar="NAME", help="Poll only this feed.")
    @click.option("--progress/--no-progress", default=None,
                  help="Progress bar on stderr (default: when stderr is a terminal).")
    @pass_state
    def poll(state: CliState, only: str | None, progress: bool | None) -> None:
        """Poll every feed (or one) once, process what arrived, print a line per feed."""
        from monitor.app import open_app

        settings = state.settings
        with open_app(settings, environ=state.environ) as app:
            if only is not None:
                settings.feed(only)  # an unknown --feed is a usage error, before anything
            # A feed's bad key or kind is the config's mistake, not the feed's failure:
            # refused (exit 2) before any feed runs, as `run` does.
            app.validate_feeds(only)
            app.migrate()
            _install_stop_handlers(app.stop)
            show = sys.stderr.isatty() if progress is None else progress
            bar: Any = None
            if show:
                from tqdm import tqdm

                bar = tqdm(unit=" mentions", file=sys.stderr, leave=False, dynamic_ncols=True)
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

            def on_paused(feed: store_feeds.FeedState) -> None:
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

    @cli.command()
    @click.option("--host", default=None, help="Address for the review web app.")
    @click.option("--port", default=None, type=int, help="Port for the review web app.")
    @pass_state
    def run(state: CliState, host: str | None, port: int | None) -> None:
        """The daemon: polls every feed at its interval and serves the review web app."""
        from monitor.app import open_app
        from monitor.scheduler import build_scheduler, register_daemon, stop_scheduler
        from monitor.store import engine as store_engine

        settings = state.settings
        with open_app(settings, environ=state.environ) as app:
            # Catch a stop signal from the very start; the web server installs its own later.
            _install_stop_handlers(app.stop)
            app.migrate()
            app.validate_feeds()
            scheduler = build_scheduler(app)
            register_daemon(app, scheduler)
            scheduler.start()
            polled = [f for f in settings.feeds if f.enabled]
            publishing = " and publishing approved replies" if settings.publish.enabled else ""
            shared = (" shared with the other daemons on this database (as "
                      f"{app.daemon_name})" if app.shared_database else "")
            click.echo(f"polling {len(polled)} feed(s){shared}{publishing}; database "
                       f"{store_engine.describe(app.engine)}", err=True)
            try:
                served = not app.stop.is_set() and _serve_web(app, host, port, announce=True)
                if not served:
                    click.echo("no web app in this build: polling only; Ctrl-C stops", err=True)
                    while not app.stop.wait(1.0):
                        pass
            finally:
                app.stop.set()
                # Let running polls finish their current page (they check app.stop), then
                # hand this daemon's feeds back.
                stop_scheduler(app, scheduler)
                click.echo("stopped cleanly", err=True)

    @cli.group()
    def db() -> None:
        """Database maintenance."""

    @db.command("upgrade")
    @pass_state
    def db_upgrade(state: CliState) -> None:
        """Apply database migrations (run and poll do this on start too)."""
        from monitor.app import open_app
        from monitor.store import engine as store_engine

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            click.echo(f"database {store_engine.describe(app.engine)} is up to date")

    @cli.group()
    def feeds() -> None:
        """Feed state."""

    @feeds.command("list")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
    @pass_state
    def feeds_list(state: CliState, fmt: str) -> None:
        """Every feed: kind, last poll, last error in words, next poll."""
        from monitor.app import open_app
        from monitor.store import feeds as store_feeds

        settings = state.settings
        with open_app(settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.connect() as conn:
                stored = {s.name: s for s in store_feeds.all_states(conn)}
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
    @pass_state
    def feeds_pause(state: CliState, name: str, reason: str | None, by: str | None) -> None:
        """Stop polling feed NAME (poll and run skip it; its cursor is kept) until resumed."""
        from monitor.app import open_app

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
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
    @pass_state
    def feeds_resume(state: CliState, name: str, by: str | None) -> None:
        """Poll feed NAME again from where it stopped (the daemon picks it up at its next run)."""
        from monitor.app import open_app

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            feed, changed = app.resume_feed(name, by or _cli_actor())
        if changed:
            log.info("%s resumed feed %s", feed.resumed_by, feed.name)
            click.echo(f"{feed.name}: resumed by {feed.resumed_by}; polled again from where "
                       "it stopped")
        else:
            click.echo(f"{feed.name}: not paused; nothing changed")


def _cli_actor() -> str:
    """Who is at the shell, for the record: the OS user name, else 'cli'."""
    try:
        return getpass.getuser() or "cli"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "cli"


def _paused_words(s: store_feeds.FeedState) -> str:
    text = f"paused by {s.paused_by or 'unknown'} at {_fmt_time(s.paused_at)} UTC"
    return text + (f": {s.pause_reason}" if s.pause_reason else "")


def _state_word(s: store_feeds.FeedState | None) -> str:
    if s is not None and s.paused:
        return "paused"
    if s is None or s.last_poll_at is None:
        return "never polled"
    if s.last_error:
        return "failing" if not (s.last_summary or {}).get("rate_limited") else "rate limited"
    return "ok"


def _serve_web(app: App, host: str | None, port: int | None, *, announce: bool) -> bool:
    """Serve the review web app in this thread until a signal; False if it is not built."""
    try:
        from monitor.web.server import serve
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("monitor.web"):
            return False
        raise
    serve(app, host=host, port=port, announce=announce)
    return True
