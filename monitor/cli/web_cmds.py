"""Commands for the review web app: `serve`, and `users add | list | token | tokens |
revoke-token | password`.

Passwords come from a prompt (typed twice, not echoed) or one line of standard input with
--password-stdin; they are never accepted as an argument (shell history, process lists).
Errors are raised as MonitorError and mapped to exit codes in monitor.cli.
"""

from __future__ import annotations

import sys
from datetime import datetime

import click

from monitor.cli.base import CliState, emit_json, emit_table, pass_state
from monitor.errors import InputError


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InputError("no password on standard input", key="--password-stdin")
        return password
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--host", default=None, help="Address to listen on (default: web.host, "
                                               "127.0.0.1).")
    @click.option("--port", default=None, type=click.IntRange(0, 65535),
                  help="Port (default: web.port, 8080).")
    @pass_state
    def serve(state: CliState, host: str | None, port: int | None) -> None:
        """Serve the review web app alone (no polling); Ctrl-C stops it."""
        from monitor.app import open_app
        from monitor.web.server import serve as serve_web

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            serve_web(app, host=host, port=port, announce=True)
            click.echo("stopped cleanly", err=True)

    @cli.group()
    def users() -> None:
        """Web users and their API tokens."""

    @users.command("add")
    @click.argument("name")
    @click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer",
                  show_default=True, help="admin can also manage users and feeds.")
    @click.option("--password-stdin", is_flag=True,
                  help="Read the password from one line of standard input.")
    @pass_state
    def users_add(state: CliState, name: str, role: str, password_stdin: bool) -> None:
        """Create a web user NAME."""
        from monitor.app import open_app
        from monitor.store import users as store_users
        from monitor.web.auth import hash_password

        store_users.check_username(name)
        password = _read_password(password_stdin)
        hashed = hash_password(password)
        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.begin() as conn:
                user = store_users.create(conn, name, hashed, role, app.clock())
        click.echo(f"created {user.role} {user.username}")

    @users.command("list")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
    @pass_state
    def users_list(state: CliState, fmt: str) -> None:
        """Every web user: role, state, last sign-in."""
        from monitor.app import open_app
        from monitor.store import users as store_users

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.connect() as conn:
                people = store_users.all_users(conn)
        rows: list[dict[str, str | bool | None]] = [{
            "username": u.username, "role": u.role, "disabled": u.disabled,
            "locked_until": u.locked_until.isoformat() if u.locked_until else None,
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
        } for u in people]
        if fmt == "json":
            emit_json(rows)
            return
        emit_table([[u.username, u.role, "disabled" if u.disabled else "active",
                     u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-"]
                    for u in people],
                   ["USERNAME", "ROLE", "STATE", "LAST SIGN-IN (UTC)"])

    @users.command("token")
    @click.argument("name")
    @click.option("--label", default="api", show_default=True, help="What the token is for.")
    @click.option("--expires-days", type=click.IntRange(1, 3650), default=None,
                  help="The token stops working after this many days (default: never).")
    @pass_state
    def users_token(state: CliState, name: str, label: str, expires_days: int | None) -> None:
        """Issue an API token for NAME (printed once: store it now)."""
        from datetime import timedelta

        from monitor.app import open_app
        from monitor.store import users as store_users

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            now = app.clock()
            expires = None if expires_days is None else now + timedelta(days=expires_days)
            with app.engine.begin() as conn:
                user = store_users.by_name(conn, name)
                token = store_users.issue_token(conn, user.id, label, now, expires)
        click.echo(token)
        until = f"it expires {expires:%Y-%m-%d %H:%M} UTC" if expires else "it never expires"
        click.echo(f"(API token for {name}; use it as 'Authorization: Bearer <token>'; {until}; "
                   "it is shown only now)", err=True)

    @users.command("tokens")
    @click.argument("name", required=False)
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
    @pass_state
    def users_tokens(state: CliState, name: str | None, fmt: str) -> None:
        """API tokens (of NAME, or everyone's): id, label, issued, last use, expiry."""
        from monitor.app import open_app
        from monitor.store import users as store_users

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            now = app.clock()
            with app.engine.connect() as conn:
                owner = store_users.by_name(conn, name).id if name else None
                found = store_users.tokens(conn, owner)
        if fmt == "json":
            emit_json([t.as_dict(now) for t in found])
            return

        def at(value: datetime | None, empty: str) -> str:
            return value.strftime("%Y-%m-%d %H:%M") if value else empty

        emit_table([[str(t.id), t.username, t.label, at(t.created_at, "-"),
                     at(t.last_used_at, "never"),
                     at(t.expires_at, "never") + (" (expired)" if t.expired(now) else "")]
                    for t in found],
                   ["ID", "USER", "LABEL", "ISSUED (UTC)", "LAST USED", "EXPIRES"])

    @users.command("revoke-token")
    @click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
    @pass_state
    def users_revoke_token(state: CliState, token_id: int) -> None:
        """Revoke one API token by its id (see `users tokens`)."""
        from monitor.app import open_app
        from monitor.store import users as store_users

        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.begin() as conn:
                gone = store_users.revoke_token(conn, token_id)
        click.echo(f"revoked token {gone.id} of {gone.username} ({gone.label})")

    @users.command("password")
    @click.argument("name")
    @click.option("--password-stdin", is_flag=True,
                  help="Read the new password from one line of standard input.")
    @pass_state
    def users_password(state: CliState, name: str, password_stdin: bool) -> None:
        """Set a new password for NAME (it signs NAME out of every browser)."""
        from monitor.app import open_app
        from monitor.store import users as store_users
        from monitor.web.auth import hash_password

        hashed = hash_password(_read_password(password_stdin))
        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.begin() as conn:
                user = store_users.by_name(conn, name)
                store_users.set_password(conn, user.id, hashed)
        click.echo(f"password changed for {name}")
