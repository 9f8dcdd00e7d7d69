"""Mastodon (and Mastodon-API servers): hashtag timelines, plus the brand account's mention
notifications and v2 status search when a token is configured.

Each fetch is one API request against one source; sources are polled in turn with `min_id`
(oldest unseen page first, so a crash between pages skips nothing). The adapter holds no
state between fetches beyond what is in the cursor, and never casts Mastodon ids to int.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import html_to_text, plain_text
from monitor.config import FeedSettings
from monitor.errors import ConfigError, NormaliseError, SourceUnavailable
from monitor.model import Mention, OutgoingReply, PublishedRef

MAX_PAGE = 40  # the tag timeline and search cap `limit` at 40
_VISIBILITY = ("public", "unlisted", "private", "direct")


@dataclass(frozen=True)
class MastodonOptions(net.HttpOptionsBase):
    base_url: str
    hashtags: tuple[str, ...] = ()
    token_env: str | None = None
    query: str | None = None
    page_size: int = MAX_PAGE
    # How far back the first poll of a timeline starts, in seconds (0: just the newest page).
    # Uses Mastodon's snowflake ids; set 0 for servers whose ids are not snowflakes.
    lookback: float = 86400.0


def id_key(status_id: str) -> tuple[int, str]:
    """Mastodon's documented id order: a longer id is newer, then lexical order."""
    return (len(status_id), status_id)


class MastodonAdapter:
    kind: ClassVar[str] = "mastodon"
    find_reply_calls: ClassVar[net.Calls] = net.Calls(retried=2)  # verify_credentials, then context
    publish_calls: ClassVar[net.Calls] = net.Calls(once=1)  # POST /api/v1/statuses

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(MastodonOptions, feed)
        self._opts = opts
        self._base = base.http_url(opts.base_url, feed)
        base.in_range(opts.page_size, 1, MAX_PAGE, feed, "page_size")
        self._token = net.env_secret(ctx.environ, opts.token_env)
        if opts.token_env and self._token is None:
            raise ConfigError(
                f"the environment variable {opts.token_env} is not set (it should hold an "
                "access token with read:statuses and read:notifications)",
                key=feed.key("token_env"),
            )
        tags = tuple(t.lstrip("#").strip() for t in opts.hashtags)
        if any(not t for t in tags):
            raise ConfigError("a hashtag cannot be empty", key=feed.key("hashtags"))
        self._sources: list[str] = [f"tag:{t}" for t in tags]
        if self._token:
            self._sources.append("mentions")
            if opts.query:
                self._sources.append("search")
        elif opts.query:
            raise ConfigError(
                "status search needs a user token: set token_env, or use hashtags",
                key=feed.key("query"),
            )
        if not self._sources:
            raise ConfigError(
                "a mastodon feed needs hashtags, or token_env for the account's mentions",
                key=feed.key("hashtags"),
            )
        self._clock = ctx.clock
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.ISO, "x-ratelimit-reset")

    # -- fetching -------------------------------------------------------------------------

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        positions: dict[str, str] = {
            k: v for k, v in dict(state.get("min_id", {})).items() if isinstance(v, str)
        }
        # Sources still to poll in this round; a new round starts with every source.
        pending = [s for s in state.get("pending", []) if s in self._sources] or list(
            self._sources
        )
        source = pending[0]
        url, params = self._request(source, positions.get(source) or self._start(source))
        response = self._http.send("GET", url, params=params, headers=self._headers())
        self._check(response, source)
        body = self._http.json(response)
        entries = body.get("statuses") if source == "search" and isinstance(body, dict) else body
        if not isinstance(entries, list):
            raise SourceUnavailable(
                f"expected a list of statuses from {self._base}, got {type(entries).__name__}",
                feed=self.name,
            )
        items, problems, newest = self._items(entries, source)
        if newest is not None:
            old = positions.get(source)
            if old is None or id_key(newest) > id_key(old):
                positions[source] = newest
        # A full page means more may be waiting right after it: stay on this source.
        if len(entries) < self._opts.page_size:
            pending = pending[1:]
        cursor_out = {"min_id": positions, "pending": pending}
        return base.Page(items=items, cursor=cursor_out, more=bool(pending), problems=problems)

    def _start(self, source: str) -> str | None:
        """The first poll's min_id: a snowflake id `lookback` seconds ago. Notification ids
        are not snowflakes, so mentions start from the newest page."""
        if source == "mentions" or self._opts.lookback <= 0:
            return None
        start = self._clock() - timedelta(seconds=self._opts.lookback)
        return str(int(start.timestamp() * 1000) << 16)

    def _request(self, source: str, min_id: str | None) -> tuple[str, list[tuple[str, str]]]:
        params: list[tuple[str, str]] = [("limit", str(self._opts.page_size))]
        if min_id is not None:
            params.append(("min_id", min_id))
        if source.startswith("tag:"):
            tag = quote(source[4:], safe="")
            return f"{self._base}/api/v1/timelines/tag/{tag}", params
        if source == "mentions":
            return f"{self._base}/api/v1/notifications", [*params, ("types[]", "mention")]
        query = self._opts.query or ""
        return f"{self._base}/api/v2/search", [*params, ("q", query), ("type", "statuses")]

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _check(self, response: httpx.Response, source: str) -> None:
        status = response.status_code
        if status == 200:
            return
        if status == 401:
            if self._token:
                raise self._http.auth_failed(
                    f"access token refused: check {self._opts.token_env}"
                )
            raise self._http.auth_failed(
                "this server requires a token for hashtag timelines: set token_env"
            )
        if status == 403:
            raise self._http.auth_failed(
                f"not allowed{net.error_detail(response)}: check that the token in "
                f"{self._opts.token_env or 'token_env'} has the read scopes"
            )
        if status == 404 and source.startswith("tag:"):
            raise SourceUnavailable(
                f"hashtag #{source[4:]} not found on {self._base}", feed=self.name
            )
        raise self._http.unexpected(response)

    def _items(
        self, entries: list[Any], source: str
    ) -> tuple[list[base.RawItem], list[base.ItemProblem], str | None]:
        items: list[base.RawItem] = []
        problems: list[base.ItemProblem] = []
        newest: str | None = None
        # Pages come newest first; hand them over oldest first.
        for entry in reversed(entries):
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(entry_id, str) or not entry_id:
                problems.append(base.ItemProblem(f"{source} item", "an entry without a string id"))
                continue
            if newest is None or id_key(entry_id) > id_key(newest):
                newest = entry_id
            status = entry.get("status") if source == "mentions" else entry
            if isinstance(status, dict) and isinstance(status.get("reblog"), dict):
                status = status["reblog"]  # a boost: the mention is the boosted post
            status_id = status.get("id") if isinstance(status, dict) else None
            if not isinstance(status, dict) or not isinstance(status_id, str):
                problems.append(base.ItemProblem(f"{source} {entry_id}", "no readable status"))
                continue
            items.append(base.RawItem(_status_key(status, status_id), status))
        return items, problems, newest

    # -- replying -------------------------------------------------------------------------

    def longest(self, calls: net.Calls, default_timeout: float) -> float:
        return self._http.longest(calls, default_timeout)

    def _write_headers(self) -> dict[str, str]:
        if not self._token:
            raise self._http.auth_failed(
                "replying needs token_env: an access token with write:statuses"
            )
        return self._headers()

    def publish(self, reply: OutgoingReply) -> PublishedRef:
        """POST /api/v1/statuses with the reply's key as Idempotency-Key: Mastodon answers a
        repeated key with the status it already made (for an hour) instead of a second one."""
        headers = {**self._write_headers(), "Idempotency-Key": reply.key}
        # The same visibility as the post answered: a reply never reaches further than it.
        visibility = reply.raw.get("visibility")
        body: dict[str, Any] = {
            "status": reply.text, "in_reply_to_id": _local_id(reply),
            "visibility": visibility if visibility in _VISIBILITY else "public",
        }
        if isinstance(reply.raw.get("language"), str):
            body["language"] = reply.raw["language"]
        response = self._http.post_once(f"{self._base}/api/v1/statuses", json_body=body,
                                        headers=headers)
        if response.status_code == 200:
            ref = _ref(self._http.created(response))
            if ref is None:
                raise self._http.unnamed("the new status has no id")
            return ref
        if response.status_code == 401:
            raise self._http.auth_failed(
                f"access token refused: check {self._opts.token_env} (needs write:statuses)"
            )
        raise self._http.refused(response)

    def find_reply(self, reply: OutgoingReply) -> PublishedRef | None:
        """The account's reply to the mention, if there is one: the mention's thread
        (statuses/:id/context) filtered to direct replies by this account."""
        headers = self._write_headers()
        me = self._http.send("GET", f"{self._base}/api/v1/accounts/verify_credentials",
                             headers=headers)
        if me.status_code == 401:
            raise self._http.auth_failed(f"access token refused: check {self._opts.token_env}")
        if me.status_code != 200:
            raise self._http.unexpected(me)
        my_id = self._http.json_object(me).get("id")
        target = _local_id(reply)
        context = self._http.send(
            "GET", f"{self._base}/api/v1/statuses/{quote(target, safe='')}/context",
            headers=headers,
        )
        if context.status_code == 404:
            return None  # the post is gone; so is any reply in its thread
        if context.status_code != 200:
            raise self._http.unexpected(context)
        for status in self._http.json_object(context).get("descendants") or []:
            if not isinstance(status, dict) or status.get("in_reply_to_id") != target:
                continue
            account = status.get("account")
            if isinstance(account, dict) and account.get("id") == my_id:
                return _ref(status)
        return None

    # -- normalising ----------------------------------------------------------------------

    def normalise(self, raw: base.RawItem) -> Mention:
        status = raw.payload
        account = status.get("account")
        created = net.parse_time(status.get("created_at"))
        if not isinstance(account, Mapping) or not isinstance(account.get("acct"), str):
            account = {}  # kept: the author is optional, the post is what matters
        if created is None:
            raise NormaliseError("status has no readable created_at",
                                 external_id=raw.external_id, feed=self.name)
        content = status.get("content")
        text = html_to_text(content) if isinstance(content, str) else ""
        warning = status.get("spoiler_text")
        if isinstance(warning, str) and warning.strip():
            text = f"{plain_text(warning)}\n\n{text}".strip()
        followers = account.get("followers_count")
        url = status.get("url") or status.get("uri")
        display = account.get("display_name")
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            text=text,
            author=_handle(account) if account else UNKNOWN_AUTHOR,
            created_at=created,
            url=url if isinstance(url, str) else None,
            author_name=plain_text(display) if isinstance(display, str) and display else None,
            author_followers=followers if isinstance(followers, int) else None,
            language=_str_or_none(status.get("language")),
            reply_to_id=_str_or_none(status.get("in_reply_to_id")),
            # Mastodon names only the parent; the thread's root is not in the status.
            thread_id=None,
            raw=base.thaw(status),
        )


UNKNOWN_AUTHOR = "unknown"


def _status_key(status: Mapping[str, Any], status_id: str) -> str:
    """A status's external id: its ActivityPub `uri`, the same on every instance (ids are
    per instance), so feeds on two instances store a federated post once; the local id for
    a status without a usable uri."""
    uri = status.get("uri")
    if isinstance(uri, str) and uri.startswith(("https://", "http://")) and len(uri) <= 255:
        return uri
    return status_id


def _local_id(reply: OutgoingReply) -> str:
    """The status's id on the instance the feed polled (where replies are posted): the
    payload's `id`; mentions stored before external ids became uris carry it as their id."""
    local = reply.raw.get("id")
    return local if isinstance(local, str) and local else reply.in_reply_to


def _handle(account: Mapping[str, Any]) -> str:
    """'@user@server' for every account: local accounts' acct lacks the server, so it is
    taken from the profile URL."""
    acct = str(account["acct"])
    if "@" not in acct:
        host = urlsplit(str(account.get("url") or "")).hostname
        if host:
            acct = f"{acct}@{host}"
    return f"@{acct}"


def _ref(status: Mapping[str, Any]) -> PublishedRef | None:
    status_id = status.get("id")
    if not isinstance(status_id, str) or not status_id:
        return None
    url = status.get("url") or status.get("uri")
    return PublishedRef(status_id, url if isinstance(url, str) else None)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
