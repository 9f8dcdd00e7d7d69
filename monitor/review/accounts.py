"""The review app's people: users, their sign-in and sessions, and their API tokens.

`Accounts` (reached as `App.accounts`) is what the web app and the CLI ask about users and
tokens; each method is one transaction, so a check and the change it guards cannot be split
by another process. Password hashing and sign-in policy (throttling, what a session holds)
stay in monitor.web.auth: passwords arrive here already hashed, or as a `verify` callback.
This module must not hash passwords, render anything or touch review items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from monitor.errors import Conflict, NotFound
from monitor.store import logins as store_logins
from monitor.store import users as store_users
from monitor.store.users import ROLES, TokenInfo, User, check_role, check_username

# The store's row types and rules the faces need, named here so that they take them from
# the flow layer rather than from the store.
__all__ = ["ROLES", "Accounts", "TokenInfo", "User", "Verify", "check_role",
           "check_username"]

Verify = Callable[[str | None], tuple[bool, str | None]]
"""Given the user's stored password hash (None for an unknown or disabled user), whether the
typed password matches, and a new hash to store when the old one needs rehashing."""


@dataclass(frozen=True, slots=True)
class Accounts:
    engine: Engine
    clock: Callable[[], datetime]

    # -- failed sign-ins (the throttle's counts, shared by every process on the database) ---

    def failed_sign_ins(self, scope: str, key: str, since: datetime, limit: int
                        ) -> list[datetime]:
        """The times of the latest `limit` failed sign-ins for `key` after `since`, newest
        first."""
        with self.engine.connect() as conn:
            return store_logins.recent(conn, scope, key, since, limit)

    def record_failed_sign_in(self, scope: str, key: str, at: datetime,
                              forget_before: datetime) -> None:
        """One more failure for `key`; the scope's failures before `forget_before` go."""
        with self.engine.begin() as conn:
            store_logins.record(conn, scope, key, at, forget_before)

    # -- users ------------------------------------------------------------------------------

    def count(self) -> int:
        with self.engine.connect() as conn:
            return store_users.count(conn)

    def everyone(self) -> list[User]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            return store_users.all_users(conn)

    def by_id(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            return store_users.by_id(conn, user_id)

    def by_name(self, username: str) -> User:
        """The user (NotFound for an unknown name)."""
        with self.engine.connect() as conn:
            return store_users.by_name(conn, username)

    def create(self, username: str, password_hash: str, role: str) -> User:
        """A new user (Conflict when the name is taken)."""
        with self.engine.begin() as conn:
            return store_users.create(conn, username, password_hash, role, self.clock())

    def create_first(self, username: str, role: str, prepare: Callable[[], str]) -> bool:
        """Create `username` only while there is no user at all, in the transaction that
        checks it. `prepare()` runs only then and gives the password hash. False when a user
        exists, or another process created one a moment ago."""
        with self.engine.begin() as conn:
            if store_users.count(conn) > 0:
                return False
            password_hash = prepare()
            try:
                store_users.create(conn, username, password_hash, role, self.clock())
            except Conflict:
                return False
        return True

    def set_password(self, username: str, password_hash: str) -> None:
        """A new password hash for `username` (NotFound); it signs them out everywhere."""
        with self.engine.begin() as conn:
            user = store_users.by_name(conn, username)
            store_users.set_password(conn, user.id, password_hash)

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (which also revokes every API token of theirs) or enable `username`."""
        with self.engine.begin() as conn:
            target = store_users.by_name(conn, username)
            store_users.set_disabled(conn, target.id, disabled)
            if disabled:
                store_users.revoke_tokens(conn, target.id)

    # -- signing in and out -----------------------------------------------------------------

    def sign_in(self, username: str, verify: Verify, now: datetime) -> User | None:
        """The user, when `verify` accepts the password: their sign-in is recorded (and the
        hash replaced when `verify` gives a new one). None otherwise. `verify` is called
        exactly once on every path, so every failure costs the same time."""
        with self.engine.begin() as conn:
            try:
                user: User | None = store_users.by_name(conn, username)
            except NotFound:
                user = None
            usable = user is not None and not user.disabled
            stored = store_users.password_hash(conn, user.id) if user and usable else None
            ok, rehashed = verify(stored)
            if not ok or user is None or not usable:
                return None
            if rehashed is not None:
                store_users.set_password(conn, user.id, rehashed)
            store_users.record_success(conn, user.id, now)
            return store_users.by_id(conn, user.id)

    def sign_out(self, user_id: int, is_current: Callable[[User], bool]) -> None:
        """End every session of the user (raise their session generation), when the session
        asking is itself current (`is_current`): a stale cookie ends nothing."""
        with self.engine.begin() as conn:
            user = store_users.by_id(conn, user_id)
            if user is not None and is_current(user):
                store_users.end_sessions(conn, user_id)

    # -- API tokens -------------------------------------------------------------------------

    def user_for_token(self, token: str) -> User | None:
        """The enabled user owning `token` (marking it used), else None."""
        with self.engine.begin() as conn:
            return store_users.user_for_token(conn, token, self.clock())

    def issue_token(self, user_id: int, label: str, expires_at: datetime | None) -> str:
        """A new API token (the clear token, returned once and never stored)."""
        with self.engine.begin() as conn:
            return store_users.issue_token(conn, user_id, label, self.clock(), expires_at)

    def tokens(self, user_id: int | None = None) -> list[TokenInfo]:
        """Tokens of one user (or everyone's), newest first."""
        with self.engine.connect() as conn:
            return store_users.tokens(conn, user_id)

    def revoke_token(self, token_id: int, user_id: int | None = None) -> TokenInfo:
        """Delete one token (only if it is `user_id`'s, when given); NotFound otherwise."""
        with self.engine.begin() as conn:
            return store_users.revoke_token(conn, token_id, user_id)
