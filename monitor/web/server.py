"""Serving the review web app with uvicorn, for `serve` and `run`.

`serve` blocks until SIGINT/SIGTERM (or until `app.stop` is set by someone else), then
returns normally so the caller can shut the scheduler down and exit 0. When the database has
no user yet it creates an `admin` with a random password, never logged: shown once on stderr
when that is a terminal, else written to a file only its owner can read. This module must
not contain routes.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

import uvicorn

from monitor.app import App
from monitor.errors import ConfigError
from monitor.web.app import create_app
from monitor.web.auth import hash_password, random_password

log = logging.getLogger(__name__)
BOOTSTRAP_USER = "admin"
PASSWORD_FILE = "first-admin-password.txt"  # noqa: S105 (a file name)


def ensure_first_user(app: App, *, out: TextIO, terminal: bool | None = None) -> str | None:
    """Create `admin` with a random password when no user exists; returns the password.

    On a terminal the password is shown on `out`, once. Anywhere else (systemd, a log file,
    a pipe: places that keep what is written) it goes into PASSWORD_FILE next to the config
    file, created readable by its owner only, and `out` says only where it is."""
    if terminal is None:
        terminal = out.isatty()
    where: Path | None = None
    password = random_password()

    def prepare() -> str:
        nonlocal where
        if not terminal:
            # Written before the user is created: if the file cannot be written, no admin is
            # left behind whose password nobody has.
            where = _write_private(Path(app.settings.base_dir), password)
        return hash_password(password)

    if not app.accounts.create_first(BOOTSTRAP_USER, "admin", prepare):
        # A user exists, or another process created the first one a moment ago.
        if where is not None:
            where.unlink(missing_ok=True)
        return None
    hint = "add people with: complaint-monitor users add NAME --role reviewer"
    if where is None:
        # Printed, not logged: log files are kept, and this password must appear only once.
        out.write(f"\nCreated the first web user: {BOOTSTRAP_USER}\n"
                  f"  password: {password}\n"
                  f"  (shown only now; {hint})\n\n")
    else:
        out.write(f"\nCreated the first web user: {BOOTSTRAP_USER}\n"
                  f"  its password is in {where} (readable only by this user; not shown "
                  "here because this output is not a terminal and may be kept)\n"
                  f"  delete the file once you have signed in; {hint}\n\n")
    out.flush()
    return password


def _write_private(folder: Path, password: str) -> Path:
    """Write `password` to a new file in `folder` that only its owner can read; never over an
    existing file or through a symlink (O_EXCL), so the name gets a number when taken."""
    for n in range(100):
        path = folder / (PASSWORD_FILE if n == 0 else f"{PASSWORD_FILE}.{n}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ConfigError(f"cannot write the first admin password to {path}: "
                              f"{exc.strerror}; run the first `serve` on a terminal instead",
                              key="web") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{BOOTSTRAP_USER}\n{password}\n")
        return path.resolve()
    raise ConfigError(f"too many {PASSWORD_FILE} files in {folder}: delete them", key="web")


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def bound_port(server: uvicorn.Server, default: int) -> int:
    """The port actually bound (differs from the configured one when that is 0)."""
    for srv in getattr(server, "servers", []):
        for sock in getattr(srv, "sockets", []):
            return int(sock.getsockname()[1])
    return default


def _announce(server: uvicorn.Server, app: App, host: str, port: int) -> None:
    while not server.started:
        if app.stop.wait(0.05):
            return
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"review web app on http://{shown}:{bound_port(server, port)}/ "
                     "(Ctrl-C stops)\n")
    sys.stderr.flush()


def serve(app: App, *, host: str | None, port: int | None, announce: bool) -> None:
    """Serve the review app on settings.web.host/port (or the given ones) until stopped."""
    web = app.settings.web
    bind_host = host or web.host
    bind_port = web.port if port is None else port
    if announce:
        ensure_first_user(app, out=sys.stderr)
    asgi = create_app(app)
    config = uvicorn.Config(
        asgi, host=bind_host, port=bind_port, log_level="warning", access_log=False,
        # X-Forwarded-For only from configured proxies: believed from anyone, it would let a
        # client choose the address the sign-in throttle counts it by.
        proxy_headers=bool(web.trusted_proxies),
        forwarded_allow_ips=list(web.trusted_proxies) or None, server_header=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)

    if _on_main_thread():
        # uvicorn catches SIGINT/SIGTERM while it runs and re-raises them to the handlers
        # installed before it; ours only asks for a stop, so the caller exits cleanly.
        def stop_handler(signum: int, _frame: FrameType | None) -> None:
            app.stop.set()
            server.should_exit = True

        signal.signal(signal.SIGINT, stop_handler)
        signal.signal(signal.SIGTERM, stop_handler)

    def watch() -> None:
        app.stop.wait()
        server.should_exit = True

    threading.Thread(target=watch, name="web-stop", daemon=True).start()
    if announce:
        threading.Thread(target=_announce, args=(server, app, bind_host, bind_port),
                         name="web-announce", daemon=True).start()
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind the address
        raise ConfigError(f"cannot listen on {bind_host}:{bind_port} (in use, or not an "
                          "address of this machine)", key="web.port") from exc
    finally:
        app.stop.set()
