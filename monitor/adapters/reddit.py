"""Reddit: link search (site-wide or in one subreddit), sorted newest first, anonymously or with
app-only OAuth (client credentials, token re-fetched once on a 401).

Reddit's `after` cursor pages only backwards, so the cursor keeps the newest `created_utc`
of the last finished round plus a bounded set of recently seen fullnames; the paging position
is saved between pages so a crash loses nothing. Errors that Reddit sends inside a 200 are
raised as errors. The token lives on the instance only, never in the cursor or a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import plain_text
from monitor.config import FeedSettings
from monitor.errors import (
    ConfigError,
    NormaliseError,
    PublishError,
    RateLimited,
    SourceUnavailable,
)
from monitor.model import Mention, OutgoingReply, PublishedRef

SEEN_LIMIT = 1000
_GONE = frozenset({"[deleted]", "[removed]"})
# PRAW's reading of "Try again in 6 minutes." inside a RATELIMIT error.
_WAIT = re.compile(r"([0-9]{1,3}) (milliseconds?|seconds?|minutes?)")
_TIME_FILTERS = frozenset({"hour", "day", "week", "month", "year", "all"})


def _json_error(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first (kind, message) of Reddit's `{"json": {"errors": [[kind, message, field]]}}`,
    which it sends with status 200 for refused writes and some failed reads; None if absent."""
    wrapped = body.get("json")
    errors = wrapped.get("errors") if isinstance(wrapped, dict) else None
    if not isinstance(errors, list) or not errors:
        return None
    first = errors[0] if isinstance(errors[0], list) else [str(errors[0])]
    kind = str(first[0]) if first else "ERROR"
    return kind, str(first[1]) if len(first) > 1 else kind


@dataclass(frozen=True)
class RedditOptions(net.HttpOptionsBase):
    query: str
    user_agent: str
    base_url: str | None = None  # default: oauth.reddit.com with OAuth, www.reddit.com without
    auth_url: str = "https://www.reddit.com"
    subreddit: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    time_filter: str = "day"
    page_size: int = 100
    overlap: float = 600.0  # seconds before the newest post seen that still count as new
    # Replying acts as the brand account (a "script" app's password grant), never app-only.
    username: str | None = None
    password_env: str | None = None


class RedditAdapter:
    kind: ClassVar[str] = "reddit"
    # Both go through _as_account: at most twice the account token (Http.send) and the
    # request (a token refused is fetched again once); publish then looks the comment up
    # with find_reply when Reddit's answer does not name it.
    # 2 x (token, /user/NAME/comments); /api/comment
    find_reply_calls: ClassVar[net.Calls] = net.Calls(retried=4)
    publish_calls: ClassVar[net.Calls] = net.Calls(retried=2, once=2) + find_reply_calls

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(RedditOptions, feed)
        self._opts = opts
        base.search_query(opts.query, feed)
        if len(opts.user_agent.strip()) < 10 or opts.user_agent.startswith("python-"):
            raise ConfigError(
                "Reddit needs a descriptive User-Agent such as "
                "'python:com.acme.complaint-monitor:v0.1 (by /u/acme_support)'",
                key=feed.key("user_agent"),
            )
        if opts.time_filter not in _TIME_FILTERS:
            raise ConfigError(f"must be one of {', '.join(sorted(_TIME_FILTERS))}",
                              key=feed.key("time_filter"))
        base.in_range(opts.page_size, 1, 100, feed, "page_size")
        self._client_id: str | None = None
        self._client_secret: str | None = None
        if opts.client_id_env or opts.client_secret_env:
            for key in ("client_id_env", "client_secret_env"):
                var = getattr(opts, key)
                if not var:
                    raise ConfigError("set both client_id_env and client_secret_env for OAuth",
                                      key=feed.key(key))
                if net.env_secret(ctx.environ, var) is None:
                    raise ConfigError(f"the environment variable {var} is not set",
                                      key=feed.key(key))
            self._client_id = net.env_secret(ctx.environ, opts.client_id_env)
            self._client_secret = net.env_secret(ctx.environ, opts.client_secret_env)
        oauth = self._client_id is not None
        default = "https://oauth.reddit.com" if oauth else "https://www.reddit.com"
        self._base = base.http_url(opts.base_url or default, feed)
        self._auth_base = base.http_url(opts.auth_url, feed, "auth_url")
        self._token: str | None = None
        self._user_token: str | None = None
        self._password = net.env_secret(ctx.environ, opts.password_env)
        if opts.password_env and self._password is None:
            raise ConfigError(f"the environment variable {opts.password_env} is not set",
                              key=feed.key("password_env"))
        self._clock = ctx.clock
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.SECONDS, "x-ratelimit-reset")

    # -- auth -----------------------------------------------------------------------------

    def _creds_hint(self) -> str:
        return f"{self._opts.client_id_env} and {self._opts.client_secret_env}"

    def _token_request(self, grant: dict[str, str]) -> httpx.Response:
        """POST /api/v1/access_token as the app (basic auth), for an app-only or an account
        token; the callers read the answer, each with its own advice."""
        assert self._client_id is not None and self._client_secret is not None
        return self._http.send(
            "POST", f"{self._auth_base}/api/v1/access_token", data=grant,
            auth=(self._client_id, self._client_secret),
            headers={"User-Agent": self._opts.user_agent},
        )

    def _fetch_token(self) -> str:
        assert self._client_id is not None and self._client_secret is not None
        response = self._token_request({"grant_type": "client_credentials"})
        if response.status_code in (400, 401, 403):
            raise self._http.auth_failed(
                f"Reddit refused the app credentials: check {self._creds_hint()}"
            )
        if response.status_code != 200:
            raise self._http.unexpected(response)
        body = self._http.json_object(response)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise self._http.auth_failed(
                f"Reddit gave no access token{net.error_detail(response)}: "
                f"check {self._creds_hint()}"
            )
        return token

    # -- fetching -------------------------------------------------------------------------

    def _search_url(self) -> str:
        suffix = "" if self._client_id else ".json"  # the www host needs .json, OAuth does not
        if self._opts.subreddit:
            sub = quote(self._opts.subreddit.removeprefix("r/"), safe="+")
            return f"{self._base}/r/{sub}/search{suffix}"
        return f"{self._base}/search{suffix}"

    def _get(self, params: list[tuple[str, str]]) -> httpx.Response:
        headers = {"User-Agent": self._opts.user_agent}
        for attempt in range(2):
            if self._client_id and self._token is None:
                self._token = self._fetch_token()
            if self._token:
                headers["Authorization"] = f"bearer {self._token}"
            response = self._http.send("GET", self._search_url(), params=params, headers=headers)
            if response.status_code == 401 and self._client_id and attempt == 0:
                self._token = None  # expired or revoked: fetch a new one, once
                continue
            return response
        return response

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        seen: list[str] = [s for s in state.get("seen", []) if isinstance(s, str)]
        newest = state.get("newest")
        newest = float(newest) if isinstance(newest, int | float) else None
        round_newest = state.get("round_newest")
        round_newest = float(round_newest) if isinstance(round_newest, int | float) else newest
        after = state.get("after") if isinstance(state.get("after"), str) else None

        params = [
            ("q", self._opts.query), ("sort", "new"), ("t", self._opts.time_filter),
            ("limit", str(self._opts.page_size)), ("raw_json", "1"), ("type", "link"),
        ]
        if self._opts.subreddit:
            params.append(("restrict_sr", "1"))
        if after:
            params.append(("after", after))
        response = self._get(params)
        listing = self._listing(response)

        children = listing.get("children")
        if not isinstance(children, list):
            raise SourceUnavailable("the search answer has no children list", feed=self.name)
        floor = None if newest is None else newest - self._opts.overlap
        seen_set = set(seen)
        items: list[base.RawItem] = []
        problems: list[base.ItemProblem] = []
        reached_old = False
        for child in children:
            data = child.get("data") if isinstance(child, dict) else None
            fullname = data.get("name") if isinstance(data, dict) else None
            if not isinstance(data, dict) or not isinstance(fullname, str) or not fullname:
                problems.append(base.ItemProblem("search listing", "an entry without a fullname"))
                continue
            created = data.get("created_utc")
            if isinstance(created, int | float):
                if round_newest is None or created > round_newest:
                    round_newest = float(created)
                if floor is not None and created < floor:
                    reached_old = True
                    continue
            if fullname in seen_set:
                reached_old = True
                continue
            seen_set.add(fullname)
            seen.append(fullname)
            if _gone(data):
                continue  # deleted or removed: nothing to read or answer
            items.append(base.RawItem(fullname, data))
        seen = seen[-SEEN_LIMIT:]
        next_after = listing.get("after")
        more = isinstance(next_after, str) and bool(next_after) and not reached_old and bool(
            children
        )
        out: dict[str, Any] = {"seen": seen}
        if more:
            out.update(newest=newest, round_newest=round_newest, after=next_after)
        else:
            out["newest"] = round_newest
        return base.Page(items=items[::-1], cursor=out, more=more, problems=problems)

    def _listing(self, response: httpx.Response) -> Mapping[str, Any]:
        status = response.status_code
        if status == 401:
            if self._client_id:
                raise self._http.auth_failed(f"token refused: check {self._creds_hint()}")
            raise self._http.auth_failed(
                "Reddit refused anonymous access: set client_id_env and client_secret_env"
            )
        if status == 403:
            raise self._http.auth_failed(
                f"forbidden{net.error_detail(response)}: the subreddit may be private, or the "
                "User-Agent or app is blocked"
            )
        if status in (301, 302, 404):
            raise SourceUnavailable(
                f"subreddit {self._opts.subreddit or ''!s} not found or banned (status {status})",
                feed=self.name,
            )
        if status != 200:
            raise self._http.unexpected(response)
        body = self._http.json(response)
        if isinstance(body, dict):
            self._raise_embedded_error(response, body)
            data = body.get("data")
            if body.get("kind") == "Listing" and isinstance(data, dict):
                return data
        raise SourceUnavailable("Reddit answered with something other than a listing",
                                feed=self.name)

    def _raise_embedded_error(self, response: httpx.Response, body: Mapping[str, Any]) -> None:
        """Reddit reports some failures with status 200: {"json": {"errors": [...]}} or
        {"error": 403, "message": "Forbidden"}."""
        error = _json_error(body)
        if error is not None:
            kind, message = error
            if kind == "RATELIMIT":
                raise self._ratelimit_in_body(message)
            raise SourceUnavailable(f"Reddit error {kind}: {message}", feed=self.name)
        code = body.get("error")
        if isinstance(code, int) and not isinstance(code, bool):
            message = body.get("message") or "error"
            if code == 429:
                raise self._http.rate_limited(response)
            if code in (401, 403):
                raise self._http.auth_failed(f"Reddit said {code} {message}: check the "
                                             "credentials and User-Agent")
            raise SourceUnavailable(f"Reddit error {code}: {message}", feed=self.name)

    def _ratelimit_in_body(self, message: str) -> RateLimited:
        match = _WAIT.search(message)
        seconds = 60.0
        if match:
            amount, unit = int(match.group(1)), match.group(2)
            seconds = amount / 1000 if unit.startswith("milli") else (
                amount * 60 if unit.startswith("minute") else float(amount)
            )
        when = self._clock() + timedelta(seconds=seconds)
        return RateLimited(f"rate limited until {when:%H:%M} UTC ({message})", retry_at=when,
                           feed=self.name)

    # -- replying -------------------------------------------------------------------------

    def longest(self, calls: net.Calls, default_timeout: float) -> float:
        return self._http.longest(calls, default_timeout)

    def _fetch_user_token(self) -> str:
        if not (self._client_id and self._client_secret and self._opts.username
                and self._password):
            raise self._http.auth_failed(
                "replying on Reddit needs client_id_env, client_secret_env, username and "
                "password_env (a script app acting as the brand account, scope submit)"
            )
        response = self._token_request({"grant_type": "password",
                                         "username": self._opts.username,
                                         "password": self._password})
        token = None
        if response.status_code == 200:
            token = self._http.json_object(response).get("access_token")
        if not isinstance(token, str) or not token:
            raise self._http.auth_failed(
                f"Reddit refused the account login{net.error_detail(response)}: check username, "
                f"{self._opts.password_env} and {self._creds_hint()}"
            )
        return token

    def _as_account(self, send: Any) -> httpx.Response:
        """`send(headers)` with the account's token, fetched again once if refused."""
        for attempt in range(2):
            if self._user_token is None:
                self._user_token = self._fetch_user_token()
            response: httpx.Response = send({"User-Agent": self._opts.user_agent,
                                             "Authorization": f"bearer {self._user_token}"})
            if response.status_code == 401 and attempt == 0:
                self._user_token = None
                continue
            if response.status_code == 401:
                raise self._http.auth_failed(f"token refused: check {self._opts.password_env}")
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def publish(self, reply: OutgoingReply) -> PublishedRef:
        """POST /api/comment on the post or comment. Reddit has no idempotency key, so the
        caller records the attempt first and asks find_reply after an unclear outcome."""
        form = {"api_type": "json", "thing_id": reply.in_reply_to, "text": reply.text}
        response = self._as_account(lambda headers: self._http.post_once(
            f"{self._base}/api/comment", data=form, headers=headers))
        if response.status_code != 200:
            raise self._http.refused(response)
        body = self._http.created(response)
        error = _json_error(body)
        if error is not None:
            kind, message = error
            if kind == "RATELIMIT":
                raise self._ratelimit_in_body(message)
            raise PublishError(f"Reddit refused the comment: {kind}: {message}", feed=self.name)
        wrapped = body.get("json")
        data = wrapped.get("data") if isinstance(wrapped, dict) else None
        things = data.get("things") if isinstance(data, dict) else None
        if isinstance(things, list) and things and isinstance(things[0], dict):
            ref = _comment_ref(things[0].get("data"))
            if ref is not None:
                return ref
        # Reddit sometimes makes the comment but names no thing (quarantined subreddits).
        found = self.find_reply(reply)
        if found is None:
            raise self._http.unnamed("Reddit answered without naming the new comment")
        return found

    def find_reply(self, reply: OutgoingReply) -> PublishedRef | None:
        """The account's comment on the post among its latest (/user/NAME/comments)."""
        if not self._opts.username:
            raise self._http.auth_failed("replying on Reddit needs username")
        url = f"{self._base}/user/{quote(self._opts.username, safe='')}/comments"
        params = [("limit", "25"), ("raw_json", "1")]
        response = self._as_account(lambda headers: self._http.send(
            "GET", url, params=params, headers=headers))
        listing = self._listing(response)
        for child in listing.get("children") or []:
            data = child.get("data") if isinstance(child, dict) else None
            if isinstance(data, dict) and data.get("parent_id") == reply.in_reply_to:
                return _comment_ref(data)
        return None

    # -- normalising ----------------------------------------------------------------------

    def normalise(self, raw: base.RawItem) -> Mention:
        data = raw.payload
        author = data.get("author")
        created = net.parse_time(data.get("created_utc"))
        # Kept without an author if need be: the author is optional, the post is what matters.
        handle = f"u/{author}" if isinstance(author, str) and author else "unknown"
        if created is None:
            raise NormaliseError("post has no created_utc", external_id=raw.external_id,
                                 feed=self.name)
        if raw.external_id.startswith("t1_"):
            text = str(data.get("body") or "")
        else:
            title, body = str(data.get("title") or ""), str(data.get("selftext") or "")
            text = f"{title}\n\n{body}" if body else title
        permalink = data.get("permalink")
        parent = data.get("parent_id")
        link = data.get("link_id")
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            # Markdown is already plain enough to read; raw_json=1 keeps & < > unescaped.
            text=plain_text(text),
            author=handle,
            created_at=created,
            url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None,
            author_name=None,
            author_followers=None,
            language=None,
            reply_to_id=parent if isinstance(parent, str) else None,
            thread_id=link if isinstance(link, str) else None,
            raw=base.thaw(data),
        )


def _comment_ref(data: Any) -> PublishedRef | None:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    permalink = data.get("permalink")
    url = f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None
    return PublishedRef(str(data["name"]), url)


def _gone(data: Mapping[str, Any]) -> bool:
    text = data.get("selftext") if "selftext" in data else data.get("body")
    return data.get("author") in _GONE or (
        text in _GONE and data.get("removed_by_category") is not None
    ) or data.get("body") in _GONE
