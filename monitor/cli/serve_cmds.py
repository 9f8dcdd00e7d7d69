"""The commands that serve the review web app: `run` (the daemon: it polls every feed at its
interval and serves the app) and `serve` (the app alone).

Both block until SIGINT/SIGTERM and then stop cleanly; `run` hands its feeds back first.
Errors are raised as MonitorError and mapped to exit codes in monitor.cli.
"""

from __future__ import annotations

import click

from monitor.app import App
from monitor.cli.base import install_stop_handlers
from monitor.cli.opening import pass_app
from monitor.scheduler import build_scheduler, register_daemon, stop_scheduler
from monitor.web.server import serve as serve_web


@click.command()
@click.option("--host", default=None, help="Address for the review web app.")
@click.option("--port", default=None, type=int, help="Port for the review web app.")
@pass_app(migrate=False)
def run(app: App, host: str | None, port: int | None) -> None:
    """The daemon: polls every feed at its interval and serves the review web app."""
    settings = app.settings
    # Catch a stop signal from the very start; the web server installs its own later.
    install_stop_handlers(app.stop)
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
               f"{app.describe_database()}", err=True)
    try:
        if not app.stop.is_set():
            serve_web(app, host=host, port=port, announce=True)
    finally:
        app.stop.set()
        # Let running polls finish their current page (they check app.stop), then
        # hand this daemon's feeds back.
        stop_scheduler(app, scheduler)
        click.echo("stopped cleanly", err=True)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: web.host, "
                                           "127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(0, 65535),
              help="Port (default: web.port, 8080).")
@pass_app()
def serve(app: App, host: str | None, port: int | None) -> None:
    """Serve the review web app alone (no polling); Ctrl-C stops it."""
    serve_web(app, host=host, port=port, announce=True)
    click.echo("stopped cleanly", err=True)


COMMANDS = (run, serve)
