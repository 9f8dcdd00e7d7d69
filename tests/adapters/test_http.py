"""Rate-limit header dialects, retry timing, the longest a request can take, the one-shot POST
and safe URLs in the shared HTTP helpers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from monitor.adapters._http import (
    DEFAULT_RATE_LIMIT_WAIT,
    Calls,
    Http,
    HttpOptionsBase,
    ResetStyle,
    RetryPolicy,
    display_url,
    retry_at,
)
from monitor.adapters.base import AdapterContext
from monitor.config import FeedSettings
from monitor.errors import PublishOutcomeUnknown, SourceUnavailable

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def answer(**headers: str) -> httpx.Response:
    return httpx.Response(429, headers=headers, request=httpx.Request("GET", "http://h/x"))


@pytest.mark.parametrize(
    ("headers", "style", "header", "expected"),
    [
        ({"Retry-After": "120"}, ResetStyle.EPOCH, "ratelimit-reset", 120),
        ({"Retry-After": "Tue, 24 Nov 2026 12:03:00 GMT"}, ResetStyle.EPOCH, "x", 180),
        ({"X-RateLimit-Reset": "2026-11-24T12:05:00.000000Z"}, ResetStyle.ISO,
         "x-ratelimit-reset", 300),
        ({"X-RateLimit-Reset": str(int((NOW + timedelta(minutes=7)).timestamp()))},
         ResetStyle.ISO, "x-ratelimit-reset", 420),  # GoToSocial sends epoch seconds
        ({"x-rate-limit-reset": str(int(NOW.timestamp()) + 900)}, ResetStyle.EPOCH,
         "x-rate-limit-reset", 900),
        ({"x-ratelimit-reset": "42"}, ResetStyle.SECONDS, "x-ratelimit-reset", 42),
        ({"x-ratelimit-reset": "soon"}, ResetStyle.SECONDS, "x-ratelimit-reset",
         DEFAULT_RATE_LIMIT_WAIT.total_seconds()),
        ({}, ResetStyle.EPOCH, "x-rate-limit-reset", DEFAULT_RATE_LIMIT_WAIT.total_seconds()),
        # A reset already in the past never means "poll again right now, hard".
        ({"x-rate-limit-reset": str(int(NOW.timestamp()) - 10)}, ResetStyle.EPOCH,
         "x-rate-limit-reset", DEFAULT_RATE_LIMIT_WAIT.total_seconds()),
    ],
)
def test_retry_at_reads_each_dialect(headers: dict[str, str], style: ResetStyle, header: str,
                                     expected: float) -> None:
    when = retry_at(answer(**headers), now=NOW, style=style, reset_header=header)
    assert when.tzinfo is not None
    assert (when - NOW).total_seconds() == pytest.approx(expected, abs=1)


def test_a_reset_time_without_a_zone_is_utc() -> None:
    when = retry_at(answer(**{"X-RateLimit-Reset": "2026-11-24T12:04:00"}), now=NOW,
                    style=ResetStyle.ISO, reset_header="x-ratelimit-reset")
    assert when == NOW + timedelta(minutes=4)


def test_for_feed_takes_the_feeds_retry_keys_and_the_contexts_client_and_clock() -> None:
    client = httpx.Client()
    ctx = AdapterContext(http=client, environ={}, clock=lambda: NOW)
    opts = HttpOptionsBase(timeout=3.0, retries=5, backoff=1.5)
    http = Http.for_feed(FeedSettings(name="acme", kind="x"), ctx, opts, ResetStyle.EPOCH,
                         "x-rate-limit-reset")
    assert (http.feed, http.client, http.clock()) == ("acme", client, NOW)
    assert (http.timeout, http.policy.retries, http.policy.backoff) == (3.0, 5, 1.5)
    assert (http.reset_style, http.reset_header) == (ResetStyle.EPOCH, "x-rate-limit-reset")


def test_absolute_resets_are_moved_onto_our_clock() -> None:
    """The server's clock runs 10 minutes ahead: its reset in 5 of its minutes is 5 of ours."""
    server_now = NOW + timedelta(minutes=10)
    response = answer(**{
        "Date": server_now.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "X-RateLimit-Reset": (server_now + timedelta(minutes=5)).isoformat(),
    })
    when = retry_at(response, now=NOW, style=ResetStyle.ISO, reset_header="x-ratelimit-reset")
    assert when == NOW + timedelta(minutes=5)


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(retries=5, backoff=1.0)
    rng = random.Random(7)
    delays = [policy.delay(attempt, rng) for attempt in range(8)]
    assert 0.5 <= delays[0] <= 1.5 and 1.0 <= delays[1] <= 3.0 and 2.0 <= delays[2] <= 6.0
    assert max(delays) <= 30.0
    assert len({round(d, 6) for d in delays[:3]}) == 3


def test_display_url_drops_query_and_credentials() -> None:
    url = "https://user:pw@api.example.com:8443/2/tweets/search/recent?query=acme&key=SECRET"
    assert display_url(url) == "https://api.example.com:8443/2/tweets/search/recent"


class _TopJitter(random.Random):
    """Every back-off at the top of its jitter: the slowest a retry loop can be."""

    def uniform(self, a: float, b: float) -> float:
        return b


def _timing_out_http(elapsed: list[float], timeout: float | None, retries: int,
                     backoff: float) -> Http:
    """An Http whose every try waits out `timeout` (on a counter, not a clock) and times out;
    the retry loop's sleeps add to the same counter."""

    def handler(request: httpx.Request) -> httpx.Response:
        elapsed[0] += timeout or 0.0
        raise httpx.ReadTimeout("slow", request=request)

    def sleep(seconds: float) -> None:
        elapsed[0] += seconds

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Http("feed", client, lambda: NOW, ResetStyle.EPOCH, "x",
                RetryPolicy(retries, backoff, sleep),
                timeout, _TopJitter())


def test_longest_is_what_a_request_timing_out_on_every_try_takes() -> None:
    elapsed = [0.0]
    http = _timing_out_http(elapsed, 7.0, retries=3, backoff=10.0)
    with pytest.raises(SourceUnavailable, match="tried 4 times"):
        http.send("GET", "http://h/x")
    # 4 tries of 7 s, and back-offs of 15 s, then 30 s twice (the cap).
    assert elapsed[0] == 4 * 7 + 15 + 30 + 30 == http.longest(Calls(retried=1), 99.0)
    elapsed[0] = 0.0
    with pytest.raises(PublishOutcomeUnknown):
        http.post_once("http://h/x")  # never retried: one time-out
    assert elapsed[0] == 7 == http.longest(Calls(once=1), 99.0)
    assert http.longest(Calls(retried=2, once=3), 99.0) == 2 * 103 + 3 * 7


def test_longest_uses_the_shared_clients_timeout_when_the_feed_sets_none() -> None:
    http = _timing_out_http([0.0], None, retries=2, backoff=0.5)
    # Mastodon's attempt at the defaults: two GETs of 3 x 20 s plus 0.75 s and 1.5 s of
    # back-off, and one POST of 20 s.
    assert http.longest(Calls(retried=2) + Calls(once=1), 20.0) == pytest.approx(144.5)
    assert (Calls(retried=2) + Calls(once=1)).total == 3


@pytest.mark.parametrize(("failure", "message"), [
    (httpx.ReadTimeout("slow"), "no answer from http://h/xrpc/login in time (logging in)"),
    (httpx.RemoteProtocolError("dropped"), "connection to http://h/xrpc/login lost "
                                           "(RemoteProtocolError) (logging in)"),
    (httpx.ConnectError("refused"), "cannot reach http://h/xrpc/login (ConnectError) "
                                    "(logging in)"),
    (None, "server error 503 from http://h/xrpc/login (logging in)"),
])
def test_a_post_that_creates_nothing_is_never_an_unknown_outcome(
        failure: Exception | None, message: str) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if failure is not None:
            raise failure
        return httpx.Response(503)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = Http("feed", client, lambda: NOW, ResetStyle.EPOCH, "x")
    with pytest.raises(SourceUnavailable) as caught:
        http.post_once("http://h/xrpc/login?secret=1", json_body={}, creates=False,
                       doing="logging in")
    assert str(caught.value) == message
    assert len(calls) == 1  # never retried
