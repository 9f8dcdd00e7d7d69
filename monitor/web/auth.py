"""Authentication for the web app: argon2 passwords, login throttling (per account and per
client address), sessions, CSRF, tokens.

Policy lives here (how long a lock lasts, what a session holds); storage lives in
monitor.store.users. The session is Starlette's signed cookie and holds only the user id, the
CSRF token and a credential stamp, never a password or a hash. This module must not render
pages or know about review items.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Request
from sqlalchemy.engine import Engine

from monitor.errors import ConfigError, NotFound
from monitor.store import users as store_users
from monitor.store.users import User

SESSION_USER = "uid"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 10

# Failed logins 1-2 cost nothing; from the third on the account waits 2, 4, 8... seconds
# before the next try; at LOCK_AFTER failures it is locked for LOCK_SECONDS.
FREE_FAILURES = 2
LOCK_AFTER = 8
LOCK_SECONDS = 15 * 60

# Per client address, whatever the usernames tried (unknown ones too, which the account lock
# cannot cover): IP_FAILURES refused sign-ins within IP_WINDOW_SECONDS, then every sign-in
# from that address gets 429 until the oldest of them leaves the window. Generous enough for
# an office behind one NAT address; far too few for guessing passwords.
IP_FAILURES = 20
IP_WINDOW_SECONDS = 15 * 60
IP_MAX_TRACKED = 10_000

log = logging.getLogger(__name__)


def password_hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password_strength(password)
    return password_hasher().hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters",
                          key="password")


def random_password() -> str:
    return secrets.token_urlsafe(15)


def lock_for(failures: int) -> float:
    """Seconds an account waits after its `failures`-th consecutive failed login."""
    if failures <= FREE_FAILURES:
        return 0.0
    if failures >= LOCK_AFTER:
        return float(LOCK_SECONDS)
    return float(2 ** (failures - FREE_FAILURES))


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""
    retry_after: int | None = None  # set when the client address is throttled (HTTP 429)


@dataclass
class IpThrottle:
    """Failed sign-ins per client address over a sliding window.

    Kept in this web process's memory, which is enough here: the app runs as one process,
    and a restart forgetting the counts only gives a guesser one more window. It is not shared
    between processes; several workers would each allow `limit`. At most `max_tracked`
    addresses are remembered (stale ones are dropped first), so a flood of addresses cannot
    grow it without bound.
    """

    limit: int = IP_FAILURES
    window_seconds: float = IP_WINDOW_SECONDS
    max_tracked: int = IP_MAX_TRACKED
    _failures: dict[str, deque[datetime]] = field(default_factory=dict, init=False,
                                                  repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def retry_after(self, client: str, now: datetime) -> int:
        """Seconds until `client` may try again; 0 when it may now."""
        with self._lock:
            times = self._recent(client, now)
            if len(times) < self.limit:
                return 0
            oldest = times[-self.limit]
            wait = (oldest + timedelta(seconds=self.window_seconds) - now).total_seconds()
            return max(1, int(wait) + 1)

    def record_failure(self, client: str, now: datetime) -> None:
        with self._lock:
            times = self._recent(client, now)
            times.append(now)
            # Most recently failing last, so trimming drops the addresses quiet longest.
            self._failures[client] = self._failures.pop(client, times)
            if len(self._failures) > self.max_tracked:
                self._trim(now)

    def _recent(self, client: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(client)
        if times is None:
            return deque()
        start = now - timedelta(seconds=self.window_seconds)
        while times and times[0] <= start:
            times.popleft()
        return times

    def _trim(self, now: datetime) -> None:
        start = now - timedelta(seconds=self.window_seconds)
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= start]:
            del self._failures[key]
        while len(self._failures) > self.max_tracked:
            del self._failures[next(iter(self._failures))]


# A valid hash to verify against when the username is unknown, so that both cases take the
# same time and nobody can tell which usernames exist.
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not-a-real-password-" + secrets.token_hex(8))


@dataclass
class Authenticator:
    engine: Engine
    hasher: PasswordHasher
    dummy_hash: str
    ip_throttle: IpThrottle = field(default_factory=IpThrottle)

    @classmethod
    def build(cls, engine: Engine) -> Authenticator:
        hasher = password_hasher()
        return cls(engine=engine, hasher=hasher, dummy_hash=_dummy_hash(hasher))

    def login(self, username: str, password: str, now: datetime,
              client: str | None = None) -> LoginResult:
        """Check a username and password, applying the client address's throttle (when
        `client` is known), then the account's throttling and lock."""
        if client is not None:
            wait = self.ip_throttle.retry_after(client, now)
            if wait:
                # Refused before the password is checked, even a right one: the answer must
                # not tell a guesser anything while the address is throttled.
                return LoginResult(
                    None, f"too many failed sign-ins from your network address: try again "
                          f"in {_words(wait)}", retry_after=wait)
        result = self._login(username, password, now)
        if result.user is None and client is not None:
            self.ip_throttle.record_failure(client, now)
            if self.ip_throttle.retry_after(client, now):
                log.warning("sign-ins from %s throttled after %d failures", client,
                            self.ip_throttle.limit)
        # A success does not clear the address's count: otherwise signing in to one's own
        # account now and then would reset the limit for guessing at others.
        return result

    def _login(self, username: str, password: str, now: datetime) -> LoginResult:
        refused = "wrong username or password"
        with self.engine.begin() as conn:
            try:
                user: User | None = store_users.by_name(conn, username)
            except NotFound:
                user = None
            if user is None or user.disabled:
                self._verify(self.dummy_hash, password)
                return LoginResult(None, refused)
            if user.locked_until is not None and user.locked_until > now:
                wait = int((user.locked_until - now).total_seconds()) + 1
                return LoginResult(
                    None, f"too many failed sign-ins: try again in {_words(wait)}")
            stored = store_users.password_hash(conn, user.id)
            if not self._verify(stored, password):
                failures = user.failed_logins + 1
                delay = lock_for(failures)
                until = now + timedelta(seconds=delay) if delay else None
                store_users.record_failure(conn, user.id, until)
                if delay >= LOCK_SECONDS:
                    return LoginResult(
                        None, f"too many failed sign-ins: the account is locked for "
                              f"{_words(int(delay))}")
                return LoginResult(None, refused)
            if self.hasher.check_needs_rehash(stored):
                store_users.set_password(conn, user.id, self.hasher.hash(password))
            store_users.record_success(conn, user.id, now)
            return LoginResult(store_users.by_id(conn, user.id))

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def _words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


# --- sessions and CSRF ----------------------------------------------------------------------

def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (also for the login form)."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


def csrf_matches(request: Request, given: str | None) -> bool:
    expected = request.session.get(SESSION_CSRF)
    if not isinstance(expected, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def start_session(request: Request, user: User) -> None:
    """A fresh session for a signed-in user: old contents (and CSRF token) dropped."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    request.session.clear()


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None
