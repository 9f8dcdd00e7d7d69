"""Shared HTTP plumbing for the network adapters: one request with bounded, jittered retries;
status codes and rate-limit headers turned into the monitor's errors; JSON bodies checked.

Everything goes through the injected `httpx.Client`; this module never creates a client,
never sleeps outside a retry loop, and never puts a secret (header, token, query string)
into a message.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from monitor.config import FeedSettings
from monitor.errors import (
    AuthFailed,
    PublishError,
    PublishOutcomeUnknown,
    RateLimited,
    SourceUnavailable,
)

# Used when a 429 names no usable reset time: long enough to be polite, short enough to
# recover within a poll interval or two.
DEFAULT_RATE_LIMIT_WAIT = timedelta(seconds=60)
_MAX_BACKOFF = 30.0
_JITTER = (0.5, 1.5)  # each back-off is scaled by a random factor in this range


class ResetStyle(Enum):
    """How a network's rate-limit reset header is written."""

    ISO = "iso"  # Mastodon: an ISO-8601 time (some forks send epoch seconds)
    EPOCH = "epoch"  # X, Bluesky: Unix epoch seconds
    SECONDS = "seconds"  # Reddit: seconds from now until the window ends


@dataclass(frozen=True)
class RetryPolicy:
    """At most `retries` more attempts after a 5xx or a time-out, waiting about
    backoff * 2**attempt seconds (times a random 0.5-1.5) between them."""

    retries: int = 2
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, rng: random.Random) -> float:
        return float(min(_MAX_BACKOFF, self.backoff * (2**attempt) * rng.uniform(*_JITTER)))

    def longest_waits(self) -> float:
        """The most one request can spend sleeping between its tries (every jitter at its
        top)."""
        return sum(float(min(_MAX_BACKOFF, self.backoff * (2**attempt) * _JITTER[1]))
                   for attempt in range(self.retries))


@dataclass(frozen=True)
class Calls:
    """At most how many requests one operation makes, by kind: `retried` ones go through
    `Http.send` (each up to retries + 1 tries, with back-off between), `once` ones are sent a
    single time (`Http.post_once`). Publishers declare them so that the longest a publish
    attempt can take is known before a lease is sized for it (see `Http.longest`)."""

    retried: int = 0
    once: int = 0

    def __add__(self, other: Calls) -> Calls:
        return Calls(self.retried + other.retried, self.once + other.once)

    @property
    def total(self) -> int:
        return self.retried + self.once


# Not named "...Options": each adapter module imports it, and only the adapter's own
# options dataclass should carry that suffix there.
@dataclass(frozen=True, kw_only=True)
class HttpOptionsBase:
    """The config keys every network feed takes, whatever its adapter: the request
    `timeout` in seconds (None: the shared client's), and the retry policy's `retries`
    and `backoff`. Keyword-only, so an adapter's own required keys can follow."""

    timeout: float | None = None
    retries: int = 2
    backoff: float = 0.5

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.retries, self.backoff)


def display_url(url: str | httpx.URL) -> str:
    """A URL safe to show: no query string or credentials (they may carry keys)."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def format_time(moment: datetime) -> str:
    """The time of day in UTC, '14:05 UTC', without the date: a rate limit lifts within
    the hour, so the date would only lengthen the feed's error line."""
    return moment.astimezone(UTC).strftime("%H:%M UTC")


def _header_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


def _server_skew(response: httpx.Response, now: datetime) -> timedelta:
    """How far the server's clock is ahead of ours (from its Date header), so an absolute
    reset time can be moved onto our clock."""
    date = response.headers.get("date")
    if not date:
        return timedelta(0)
    try:
        server_now = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return timedelta(0)
    if server_now.tzinfo is None:
        server_now = server_now.replace(tzinfo=UTC)
    return server_now - now


def _parse_reset(value: str, style: ResetStyle, now: datetime) -> datetime | None:
    number = _header_float(value)
    if style is ResetStyle.SECONDS:
        return None if number is None else now + timedelta(seconds=max(0.0, number))
    # Epoch seconds (X, Bluesky; GoToSocial and other Mastodon forks), else an ISO-8601
    # time (Mastodon). A number is read as one first: fromisoformat would take "20261125".
    return parse_time(value.strip() if number is None else number)


def retry_at(
    response: httpx.Response, *, now: datetime, style: ResetStyle, reset_header: str
) -> datetime:
    """When the feed may be polled again: Retry-After (seconds or an HTTP date) first, then the
    network's reset header, else a default wait. Always aware UTC and never in the past."""
    headers = response.headers
    after = headers.get("retry-after")
    candidate: datetime | None = None
    if after is not None:
        seconds = _header_float(after)
        if seconds is not None:
            candidate = now + timedelta(seconds=max(0.0, seconds))
        else:
            try:
                moment = parsedate_to_datetime(after)
                candidate = now + (moment - (now + _server_skew(response, now)))
            except (TypeError, ValueError):
                candidate = None
    if candidate is None and (reset := headers.get(reset_header)) is not None:
        reset_at = _parse_reset(reset, style, now)
        if reset_at is not None and style is not ResetStyle.SECONDS:
            reset_at -= _server_skew(response, now)
        candidate = reset_at
    if candidate is None or candidate < now:
        candidate = now + DEFAULT_RATE_LIMIT_WAIT
    return candidate.astimezone(UTC)


class _Context(Protocol):
    """What `Http.for_feed` takes from the adapter's context (base.AdapterContext, which
    imports this module)."""

    @property
    def http(self) -> httpx.Client: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...


@dataclass
class Http:
    """One adapter's way to talk HTTP: its feed name (for errors), client, clock, rate-limit
    header style and retry policy. Holds a private random generator for jitter."""

    feed: str
    client: httpx.Client
    clock: Callable[[], datetime]
    reset_style: ResetStyle
    reset_header: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float | None = None
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def for_feed(
        cls, feed: FeedSettings, ctx: _Context, opts: HttpOptionsBase, reset_style: ResetStyle,
        reset_header: str,
    ) -> Http:
        """The Http of one network feed: the context's shared client and clock, the feed's
        own `timeout`, `retries` and `backoff`, and how its network writes rate-limit
        resets (`reset_style` in the header `reset_header`)."""
        return cls(feed.name, ctx.http, ctx.clock, reset_style, reset_header,
                   opts.retry_policy(), opts.timeout)

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        """The response to one request, retrying 5xx answers and time-outs a few times.

        Returns any non-5xx response as is (the caller reads 401 and 404 its own way) except
        429, which raises RateLimited. Raises SourceUnavailable once the retries are used up.
        """
        where = display_url(url)
        attempt = 0
        while True:
            problem: str
            try:
                response = self.client.request(
                    method,
                    url,
                    params=params,
                    headers=headers,
                    data=data,
                    auth=auth,
                    follow_redirects=follow_redirects,
                    timeout=self.timeout if self.timeout is not None else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.TimeoutException:
                problem = f"no answer from {where} in time"
            except httpx.TransportError as exc:
                problem = f"cannot reach {where} ({type(exc).__name__})"
            else:
                if response.status_code == 429:
                    raise self.rate_limited(response)
                if response.status_code < 500:
                    return response
                problem = f"server error {response.status_code} from {where}"
            if attempt >= self.policy.retries:
                tries = attempt + 1
                suffix = f" (tried {tries} times)" if tries > 1 else ""
                raise SourceUnavailable(problem + suffix, feed=self.feed)
            self.policy.sleep(self.policy.delay(attempt, self.rng))
            attempt += 1

    def post_once(
        self,
        url: str,
        *,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        creates: bool = True,
        doing: str = "",
    ) -> httpx.Response:
        """One POST, never retried here: one that creates something (a reply), or with
        `creates=False` one that must not be repeated blindly either (a login, which retries
        could turn into a lock-out).

        A request that cannot have arrived (connection refused, connect time-out) raises
        SourceUnavailable. One that may have arrived but got no clear answer (a read time-out,
        a dropped connection, a 5xx) raises PublishOutcomeUnknown, so the caller looks for the
        reply before sending again; with `creates=False` there is nothing to look for, so it
        is SourceUnavailable too. 429 raises RateLimited; other answers are returned. `doing`
        ("logging in") is added to the messages.
        """
        where = display_url(url)
        suffix = f" ({doing})" if doing else ""
        timeout = self.timeout if self.timeout is not None else httpx.USE_CLIENT_DEFAULT
        try:
            response = self.client.post(url, json=json_body, data=data, headers=headers,
                                        timeout=timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SourceUnavailable(f"cannot reach {where} ({type(exc).__name__}){suffix}",
                                    feed=self.feed) from exc
        except httpx.TimeoutException as exc:
            raise self._unclear(f"no answer from {where} in time{suffix}", creates) from exc
        except httpx.TransportError as exc:
            raise self._unclear(f"connection to {where} lost ({type(exc).__name__}){suffix}",
                                creates) from exc
        if response.status_code == 429:
            raise self.rate_limited(response, doing)
        if response.status_code >= 500:
            raise self._unclear(f"server error {response.status_code} from {where}{suffix}",
                                creates)
        return response

    def _unclear(self, problem: str, creates: bool) -> SourceUnavailable | PublishOutcomeUnknown:
        if not creates:
            return SourceUnavailable(problem, feed=self.feed)
        return PublishOutcomeUnknown(f"{problem}: the reply may or may not have been posted",
                                     feed=self.feed)

    def longest(self, calls: Calls, default_timeout: float) -> float:
        """The longest `calls` can take in seconds: every try waiting out its whole time-out
        (this feed's `timeout`, else `default_timeout`, the shared client's) and every
        back-off at its longest."""
        timeout = self.timeout if self.timeout is not None else default_timeout
        retried = (self.policy.retries + 1) * timeout + self.policy.longest_waits()
        return calls.retried * retried + calls.once * timeout

    def created(self, response: httpx.Response) -> dict[str, Any]:
        """The JSON object of a 2xx answer to `post_once`. The reply exists once the network
        said 2xx, so an answer that cannot be read is PublishOutcomeUnknown (look for the
        reply before sending again), never the "not sent" of SourceUnavailable."""
        try:
            return self.json_object(response)
        except SourceUnavailable as exc:
            raise self.unnamed(str(exc)) from exc

    def unnamed(self, problem: str) -> PublishOutcomeUnknown:
        """A 2xx answer to `post_once` that does not name the new reply (see `created`)."""
        return PublishOutcomeUnknown(
            f"{problem}: the reply may or may not have been posted", feed=self.feed)

    def refused(self, response: httpx.Response, what: str = "the reply") -> PublishError:
        """A network's lasting refusal of a reply, with the reason it gave."""
        detail = _error_detail(response) or f": status {response.status_code}"
        return PublishError(f"{display_url(response.url)} refused {what}{detail}"[:500],
                            feed=self.feed)

    def rate_limited(self, response: httpx.Response, detail: str = "") -> RateLimited:
        when = retry_at(
            response, now=self.clock(), style=self.reset_style, reset_header=self.reset_header
        )
        extra = f" ({detail})" if detail else ""
        return RateLimited(f"rate limited until {format_time(when)}{extra}", retry_at=when,
                           feed=self.feed)

    def unexpected(self, response: httpx.Response) -> SourceUnavailable:
        """A status the adapter has no better words for."""
        return SourceUnavailable(
            f"unexpected answer {response.status_code} from {display_url(response.url)}"
            f"{_error_detail(response)}",
            feed=self.feed,
        )

    def auth_failed(self, message: str) -> AuthFailed:
        return AuthFailed(message, feed=self.feed)

    def json(self, response: httpx.Response) -> Any:
        """The JSON body, or SourceUnavailable for an HTML page or malformed JSON."""
        where = display_url(response.url)
        ctype = response.headers.get("content-type", "").lower()
        head = response.content[:200].lstrip().lower()
        if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
            raise SourceUnavailable(
                f"got an HTML page instead of data from {where} (status "
                f"{response.status_code}); the service may be down or blocking this client",
                feed=self.feed,
            )
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceUnavailable(
                f"malformed JSON from {where}: {exc}"[:300], feed=self.feed
            ) from exc

    def json_object(self, response: httpx.Response) -> dict[str, Any]:
        body = self.json(response)
        if not isinstance(body, dict):
            raise SourceUnavailable(
                f"expected a JSON object from {display_url(response.url)}, "
                f"got {type(body).__name__}",
                feed=self.feed,
            )
        return body


def _error_detail(response: httpx.Response) -> str:
    """A short reason from a JSON error body ({"error": ...} / {"message": ...} /
    {"detail": ...}), or nothing."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("message", "detail", "error_description", "error", "title"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return f": {value[:200]}"
    return ""


def error_detail(response: httpx.Response) -> str:
    """Public wrapper: the reason a JSON error body gives, prefixed with ': ', or ''."""
    return _error_detail(response)


def error_name(response: httpx.Response) -> str:
    """The XRPC/JSON `error` name of an error body (e.g. 'ExpiredToken'), or ''."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return ""


def env_secret(environ: Mapping[str, str], var: str | None) -> str | None:
    """The value of the environment variable `var` (None when unset or empty)."""
    if not var:
        return None
    value = environ.get(var, "")
    return value or None


def parse_time(value: Any) -> datetime | None:
    """An aware UTC datetime from an ISO-8601 string or epoch seconds; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
