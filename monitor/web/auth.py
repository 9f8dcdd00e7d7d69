"""Authentication for the web app: argon2 passwords, sign-in throttling (per username and
per client address, never a lock), sessions, CSRF, tokens.

Policy lives here (how many failures a window allows, what a session holds); the users and
their tokens are kept by monitor.review.accounts. The session is Starlette's signed cookie
and holds only the user id, the CSRF token and the user's session generation (checked
against the database on every request, so sign-out really ends it), never a password or a
hash. This module must not render pages or know about review items.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Request
from itsdangerous import BadSignature, TimestampSigner

from monitor.errors import InputError
from monitor.review.accounts import Accounts, User
from monitor.text import printable

SESSION_USER = "uid"
SESSION_CSRF = "csrf"
SESSION_GEN = "gen"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 10

# Sign-in failures are never answered by whether the username exists, and no account is
# ever locked: a locked account would let anyone who can name it keep its owner out.
# Instead failures are counted over a sliding window, per client address and per username
# (the typed string, so unknown names are counted exactly like real ones), and past the
# limit further tries are refused with 429 until the window slides. A browser that has
# signed in to the account before (it holds the signed device cookie) is exempt from the
# username's count, so its owner can still sign in while someone guesses at the name.
#
# Per client address: generous enough for an office behind one NAT address; far too few
# for guessing passwords.
IP_FAILURES = 20
IP_WINDOW_SECONDS = 15 * 60
# Per username: a few typos are free; a guesser gets ACCOUNT_FAILURES tries a window.
ACCOUNT_FAILURES = 10
ACCOUNT_WINDOW_SECONDS = 15 * 60
REFUSED = "wrong username or password"
DEVICE_COOKIE = "cm_device"
DEVICE_DAYS = 180

log = logging.getLogger(__name__)


def password_hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password_strength(password)
    return password_hasher().hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters",
                         key="password")


def random_password() -> str:
    return secrets.token_urlsafe(15)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""
    retry_after: int | None = None  # set when the address or username is throttled (429)


@dataclass
class Throttle:
    """Failed sign-ins per key (a client address, or a typed username) over a sliding window,
    counted in the database (`Accounts.failed_sign_ins`), so that every web process on one
    database counts them together: several daemons on PostgreSQL allow `limit` failures a
    window between them, not `limit` each. Rows older than the window are deleted as new
    ones come; a failure is recorded only once it got past the throttle and cost a password
    check, so the rows a window holds stay bounded by what argon2 lets through.

    Two processes checking the same key at the same moment may both get one more try before
    either has recorded its failure: the limit can be passed by the number of sign-ins in
    flight at once, never multiplied by the number of processes.
    """

    accounts: Accounts
    scope: str
    limit: int = IP_FAILURES
    window_seconds: float = IP_WINDOW_SECONDS

    def retry_after(self, key: str, now: datetime) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        window = timedelta(seconds=self.window_seconds)
        times = self.accounts.failed_sign_ins(self.scope, key, now - window, self.limit)
        if len(times) < self.limit:
            return 0
        oldest = times[-1]  # the limit-th latest: the window has to slide past it
        return max(1, int((oldest + window - now).total_seconds()) + 1)

    def record_failure(self, key: str, now: datetime) -> None:
        window = timedelta(seconds=self.window_seconds)
        self.accounts.record_failed_sign_in(self.scope, key, now, now - window)


# A valid hash to verify against when the username is unknown, so that both cases take the
# same time and nobody can tell which usernames exist.
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def _account_key(username: str) -> str:
    return username.strip().casefold()[:128]


@dataclass
class Authenticator:
    accounts: Accounts
    hasher: PasswordHasher
    dummy_hash: str
    ip_throttle: Throttle
    account_throttle: Throttle

    @classmethod
    def build(cls, accounts: Accounts) -> Authenticator:
        hasher = password_hasher()
        return cls(accounts=accounts, hasher=hasher, dummy_hash=_dummy_hash(hasher),
                   ip_throttle=Throttle(accounts, "address", IP_FAILURES, IP_WINDOW_SECONDS),
                   account_throttle=Throttle(accounts, "account", ACCOUNT_FAILURES,
                                             ACCOUNT_WINDOW_SECONDS))

    def login(self, username: str, password: str, now: datetime,
              client: str | None = None, known_device: bool = False) -> LoginResult:
        """Check a username and password, after the client address's throttle (when
        `client` is known) and the username's (unless `known_device`: this browser signed
        in to that account before).

        Every failure that gets as far as the password is answered with the same words and
        one argon2 verification, whether the user exists, is disabled, or typed a wrong
        password: neither the answer nor its time tells a guesser which names exist."""
        if client is not None:
            wait = self.ip_throttle.retry_after(client, now)
            if wait:
                # Refused before the password is checked, even a right one: the answer must
                # not tell a guesser anything while the address is throttled.
                return LoginResult(
                    None, f"too many failed sign-ins from your network address: try again "
                          f"in {_words(wait)}", retry_after=wait)
        account = _account_key(username)
        if not known_device:
            wait = self.account_throttle.retry_after(account, now)
            if wait:
                return LoginResult(
                    None, f"too many failed sign-ins for this username: try again in "
                          f"{_words(wait)} (or from a browser that signed in to it before)",
                    retry_after=wait)
        user = self._login(username, password, now)
        if user is not None:
            # A success does not clear the address's count (signing in to one's own account
            # now and then must not reset the limit for guessing at others), nor the
            # username's (a guesser's tries still count against the name).
            return LoginResult(user)
        self.account_throttle.record_failure(account, now)
        if self.account_throttle.retry_after(account, now):
            log.warning("sign-ins as %s throttled after %d failures", printable(account),
                        self.account_throttle.limit)
        if client is not None:
            self.ip_throttle.record_failure(client, now)
            if self.ip_throttle.retry_after(client, now):
                log.warning("sign-ins from %s throttled after %d failures", printable(client),
                            self.ip_throttle.limit)
        return LoginResult(None, REFUSED)

    def _login(self, username: str, password: str, now: datetime) -> User | None:
        def verify(stored: str | None) -> tuple[bool, str | None]:
            # An unknown or disabled user is checked against the dummy hash: exactly one
            # verification on every path, so every failure costs the same.
            known = stored if stored is not None else self.dummy_hash
            if not self._verify(known, password):
                return False, None
            return True, (self.hasher.hash(password)
                          if self.hasher.check_needs_rehash(known) else None)

        return self.accounts.sign_in(username, verify, now)

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
    """A fresh session for a signed-in user: old contents (and CSRF token) dropped. The
    user's session generation goes in too: raising it in the database ends this session."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_GEN] = user.session_generation
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)


def session_is_current(request: Request, user: User) -> bool:
    """Whether the cookie's session was signed in since the user's last sign-out, password
    change or disabling."""
    gen = request.session.get(SESSION_GEN)
    return isinstance(gen, int) and gen == user.session_generation


def device_cookie(signer: TimestampSigner, username: str) -> str:
    """The value of the device cookie a browser gets when it signs in as `username`."""
    return signer.sign(username.encode("utf-8")).decode("ascii")


def device_knows(signer: TimestampSigner, cookie: str | None, username: str) -> bool:
    """Whether `cookie` (signed by this server, at most DEVICE_DAYS old) says this browser
    signed in as `username` before."""
    if not cookie or not username:
        return False
    try:
        value = signer.unsign(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return hmac.compare_digest(value, username.encode("utf-8"))


def end_session(request: Request) -> None:
    request.session.clear()


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None
