"""The review web app's people: `users add | list | token | tokens | revoke-token | password`.

Passwords come from a prompt (typed twice, not echoed) or one line of standard input with
--password-stdin; they are never accepted as an argument (shell history, process lists).
Errors are raised as MonitorError (bad input as InputError, exit 2) and mapped to exit codes
in monitor.cli.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import click

from monitor.app import App
from monitor.cli.base import emit_json, emit_table
from monitor.cli.opening import pass_app
from monitor.errors import InputError
from monitor.review.accounts import check_username
from monitor.web.auth import hash_password


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InputError("no password on standard input", key="--password-stdin")
        return password
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.group()
def users() -> None:
    """Web users and their API tokens."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer",
              show_default=True, help="admin can also manage users and feeds.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from one line of standard input.")
@pass_app(migrate=False)
def users_add(app: App, name: str, role: str, password_stdin: bool) -> None:
    """Create a web user NAME."""
    check_username(name)
    hashed = hash_password(_read_password(password_stdin))
    app.migrate()
    user = app.accounts.create(name, hashed, role)
    click.echo(f"created {user.role} {user.username}")


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app()
def users_list(app: App, fmt: str) -> None:
    """Every web user: role, state, last sign-in."""
    people = app.accounts.everyone()
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
@pass_app()
def users_token(app: App, name: str, label: str, expires_days: int | None) -> None:
    """Issue an API token for NAME (printed once: store it now)."""
    expires = None if expires_days is None else app.clock() + timedelta(days=expires_days)
    token = app.accounts.issue_token(app.accounts.by_name(name).id, label, expires)
    click.echo(token)
    until = f"it expires {expires:%Y-%m-%d %H:%M} UTC" if expires else "it never expires"
    click.echo(f"(API token for {name}; use it as 'Authorization: Bearer <token>'; {until}; "
               "it is shown only now)", err=True)


@users.command("tokens")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app()
def users_tokens(app: App, name: str | None, fmt: str) -> None:
    """API tokens (of NAME, or everyone's): id, label, issued, last use, expiry."""
    now = app.clock()
    found = app.accounts.tokens(app.accounts.by_name(name).id if name else None)
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
@pass_app()
def users_revoke_token(app: App, token_id: int) -> None:
    """Revoke one API token by its id (see `users tokens`)."""
    gone = app.accounts.revoke_token(token_id)
    click.echo(f"revoked token {gone.id} of {gone.username} ({gone.label})")


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the new password from one line of standard input.")
@pass_app(migrate=False)
def users_password(app: App, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (it signs NAME out of every browser)."""
    hashed = hash_password(_read_password(password_stdin))
    app.migrate()
    app.accounts.set_password(name, hashed)
    click.echo(f"password changed for {name}")


COMMANDS = (users,)
