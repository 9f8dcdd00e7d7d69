"""Web users and API tokens: queries on the `users` and `api_tokens` tables.

Stores only what it is given: password hashes come from the caller (monitor.web.auth hashes
with argon2), API tokens are stored as SHA-256 digests, never in clear. Login throttling state
(failed_logins, locked_until) lives in the users table so that it survives restarts and is
shared by every process on one database. This module must not hash passwords or decide policy.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from monitor.errors import Conflict, InputError, NotFound
from monitor.store.schema import api_tokens, users

ROLES = ("reviewer", "admin")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
TOKEN_PREFIX = "cm_"  # noqa: S105 (a visible prefix, not a secret)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    session_generation: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: sa.Row[object]) -> User:
    m = row._mapping
    return User(
        id=int(m["id"]), username=str(m["username"]), role=str(m["role"]),
        disabled=bool(m["disabled"]), failed_logins=int(m["failed_logins"]),
        locked_until=m["locked_until"],
        last_login_at=m["last_login_at"],
        created_at=m["created_at"],
        session_generation=int(m["session_generation"] or 0),
    )


def check_username(name: str) -> str:
    """A valid username or InputError naming the rule."""
    if not _USERNAME.match(name):
        raise InputError(
            "a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter"
            " or digit", key="username",
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}, not {role!r}", key="role")
    return role


def count(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one())


def create(conn: Connection, username: str, password_hash: str, role: str,
           now: datetime) -> User:
    """A new user; Conflict when the name is taken."""
    check_username(username)
    check_role(role)
    try:
        with conn.begin_nested():
            conn.execute(sa.insert(users).values(
                username=username, password_hash=password_hash, role=role, disabled=False,
                failed_logins=0, created_at=now,
            ))
    except IntegrityError:
        raise Conflict(f"a user named {username!r} already exists") from None
    return by_name(conn, username)


def by_name(conn: Connection, username: str) -> User:
    row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFound(f"no user named {username!r}")
    return _user(row)


def by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def password_hash(conn: Connection, user_id: int) -> str:
    return str(conn.execute(
        sa.select(users.c.password_hash).where(users.c.id == user_id)
    ).scalar_one())


def all_users(conn: Connection, *, limit: int = 1000) -> list[User]:
    rows = conn.execute(sa.select(users).order_by(users.c.username).limit(limit))
    return [_user(r) for r in rows]


def set_password(conn: Connection, user_id: int, password_hash: str) -> None:
    """A new password hash; every session signed in with the old password ends."""
    conn.execute(sa.update(users).where(users.c.id == user_id).values(
        password_hash=password_hash, failed_logins=0, locked_until=None,
        session_generation=users.c.session_generation + 1))


def set_disabled(conn: Connection, user_id: int, disabled: bool) -> None:
    values: dict[str, object] = {"disabled": disabled}
    if disabled:
        values["session_generation"] = users.c.session_generation + 1
    conn.execute(sa.update(users).where(users.c.id == user_id).values(**values))


def end_sessions(conn: Connection, user_id: int) -> None:
    """Raise the user's session generation: every session cookie issued before stops working
    (sign-out ends the user's sessions everywhere, not only in this browser)."""
    conn.execute(sa.update(users).where(users.c.id == user_id).values(
        session_generation=users.c.session_generation + 1))


def record_failure(conn: Connection, user_id: int, locked_until: datetime | None) -> int:
    """Count one failed login (atomically, in SQL) and set the lock; returns the new count."""
    conn.execute(sa.update(users).where(users.c.id == user_id).values(
        failed_logins=users.c.failed_logins + 1, locked_until=locked_until))
    return int(conn.execute(
        sa.select(users.c.failed_logins).where(users.c.id == user_id)
    ).scalar_one())


def set_lock(conn: Connection, user_id: int, locked_until: datetime | None) -> None:
    conn.execute(sa.update(users).where(users.c.id == user_id).values(locked_until=locked_until))


def record_success(conn: Connection, user_id: int, now: datetime) -> None:
    conn.execute(sa.update(users).where(users.c.id == user_id).values(
        failed_logins=0, locked_until=None, last_login_at=now))


# --- API tokens ---------------------------------------------------------------------------

LABEL_MAX = 64


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What may be shown about a token: never the token, nor its digest."""

    id: int
    username: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def as_dict(self, now: datetime) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {"id": self.id, "username": self.username, "label": self.label,
                "created_at": iso(self.created_at), "last_used_at": iso(self.last_used_at),
                "expires_at": iso(self.expires_at), "expired": self.expired(now)}


def token_digest(token: str) -> str:
    """Tokens are long random strings, so a fast digest is enough (no brute force possible)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(conn: Connection, user_id: int, label: str, now: datetime,
                expires_at: datetime | None = None) -> str:
    """A new API token for the user; the clear token is returned once and never stored.
    `expires_at` None: it works until revoked."""
    label = label.strip()[:LABEL_MAX] or "api"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(sa.insert(api_tokens).values(
        user_id=user_id, token_hash=token_digest(token), label=label, created_at=now,
        expires_at=expires_at))
    return token


def user_for_token(conn: Connection, token: str, now: datetime) -> User | None:
    """The enabled user owning `token` (and marks it used), or None (unknown, expired, or
    its user disabled)."""
    row = conn.execute(
        sa.select(api_tokens.c.id, api_tokens.c.user_id, api_tokens.c.expires_at)
        .where(api_tokens.c.token_hash == token_digest(token))
    ).first()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = by_id(conn, int(row.user_id))
    if user is None or user.disabled:
        return None
    conn.execute(sa.update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now))
    return user


def tokens(conn: Connection, user_id: int | None = None) -> list[TokenInfo]:
    """Tokens (of one user, or everyone's), newest first."""
    query = (sa.select(api_tokens.c.id, users.c.username, api_tokens.c.label,
                       api_tokens.c.created_at, api_tokens.c.last_used_at,
                       api_tokens.c.expires_at)
             .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
             .order_by(api_tokens.c.id.desc()))
    if user_id is not None:
        query = query.where(api_tokens.c.user_id == user_id)
    return [TokenInfo(id=int(r.id), username=str(r.username), label=str(r.label),
                      created_at=r.created_at, last_used_at=r.last_used_at,
                      expires_at=r.expires_at) for r in conn.execute(query)]


def revoke_token(conn: Connection, token_id: int, user_id: int | None = None) -> TokenInfo:
    """Delete one token (only if it is `user_id`'s, when given); NotFound otherwise."""
    found = [t for t in tokens(conn, user_id) if t.id == token_id]
    if not found:
        raise NotFound(f"no API token with id {token_id}"
                       + ("" if user_id is None else " among yours"))
    conn.execute(sa.delete(api_tokens).where(api_tokens.c.id == token_id))
    return found[0]


def revoke_tokens(conn: Connection, user_id: int) -> int:
    result = conn.execute(sa.delete(api_tokens).where(api_tokens.c.user_id == user_id))
    return int(result.rowcount or 0)
