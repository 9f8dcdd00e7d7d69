"""X (Twitter) API v2 recent search with an app-only bearer token.

Polling follows X's documented pattern: every page of a round is requested with the same
`since_id`, following `next_token`; the next round's `since_id` is the first page's
`meta.newest_id`, saved only when the round's last page is stored. An empty result has no
`data` key. Each post's author is joined in from `includes.users` at fetch time, so
`normalise` stays pure. A post whose author is missing there (suspended, withheld, or an
answer without the expansion) is kept under `id:AUTHOR_ID`; the cursor remembers those
authors, and a later post that names one is marked so the pipeline fills the handle in.
The token never appears in a cursor or message.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import plain_text
from monitor.config import FeedSettings
from monitor.errors import ConfigError, NormaliseError, SourceUnavailable
from monitor.model import Mention, OutgoingReply, PublishedRef

TWEET_FIELDS = (
    "created_at,author_id,lang,conversation_id,in_reply_to_user_id,referenced_tweets,"
    "public_metrics,entities,note_tweet,edit_history_tweet_ids"
)
USER_FIELDS = "username,name,public_metrics,verified"


@dataclass(frozen=True)
class XOptions(net.HttpOptionsBase):
    query: str
    token_env: str
    base_url: str = "https://api.x.com"
    page_size: int = 100


class XAdapter:
    kind: ClassVar[str] = "x"
    find_reply_calls: ClassVar[net.Calls] = net.Calls(retried=2)  # users/me, then users/:id/tweets
    publish_calls: ClassVar[net.Calls] = net.Calls(once=1)  # POST /2/tweets

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(XOptions, feed)
        self._opts = opts
        self._base = base.http_url(opts.base_url, feed)
        if not opts.query.strip() or len(opts.query) > 512:
            raise ConfigError("the search query must be 1 to 512 characters",
                              key=feed.key("query"))
        base.in_range(opts.page_size, 10, 100, feed, "page_size")
        token = net.env_secret(ctx.environ, opts.token_env)
        if token is None:
            raise ConfigError(
                f"the environment variable {opts.token_env} is not set (it should hold the "
                "app's bearer token)",
                key=feed.key("token_env"),
            )
        self._token = token
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.EPOCH, "x-rate-limit-reset")

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        since_id = state.get("since_id") if isinstance(state.get("since_id"), str) else None
        next_token = state.get("next_token") if isinstance(state.get("next_token"), str) else None
        round_newest = state.get("newest_id") if isinstance(state.get("newest_id"), str) else None

        params = [
            ("query", self._opts.query), ("max_results", str(self._opts.page_size)),
            ("tweet.fields", TWEET_FIELDS), ("expansions", "author_id"),
            ("user.fields", USER_FIELDS),
        ]
        if since_id:
            params.append(("since_id", since_id))
        if next_token:
            params.append(("next_token", next_token))
        response = self._http.send(
            "GET", f"{self._base}/2/tweets/search/recent", params=params,
            headers={"Authorization": f"Bearer {self._token}"},
        )
        body = self._body(response)
        meta_value = body.get("meta")
        meta: Mapping[str, Any] = meta_value if isinstance(meta_value, dict) else {}
        data = body.get("data", [])  # an empty result has no data key at all
        if not isinstance(data, list):
            raise SourceUnavailable("search answered with a data field that is not a list",
                                    feed=self.name)
        users = {
            u["id"]: u for u in (body.get("includes") or {}).get("users", [])
            if isinstance(u, dict) and isinstance(u.get("id"), str)
        }
        # Authors whose posts were kept under `id:AUTHOR_ID` because X did not name them;
        # carried in the cursor (capped), so that a post naming one later is marked for the
        # pipeline to fill the handle in, without it searching the database every page.
        unnamed = [a for a in state.get("unnamed") or [] if isinstance(a, str)]
        waiting = set(unnamed)
        items: list[base.RawItem] = []
        problems = [
            base.ItemProblem(str(e.get("resource_id") or "search"), str(e.get("detail") or e))
            for e in body.get("errors", []) if isinstance(e, dict)
        ]
        for tweet in data:
            tweet_id = tweet.get("id") if isinstance(tweet, dict) else None
            if not isinstance(tweet_id, str) or not tweet_id:
                problems.append(base.ItemProblem("search", "a post without an id"))
                continue
            history = tweet.get("edit_history_tweet_ids")
            # Every edit is a new id; the first id in the history names the post for good.
            key = history[0] if isinstance(history, list) and history and isinstance(
                history[0], str) else tweet_id
            payload = dict(tweet)
            author_id = str(tweet.get("author_id") or "")
            author = users.get(author_id)
            if author is not None:
                payload["author"] = author
                if author_id in waiting:
                    payload[FILLS_AUTHOR] = True
                    waiting.discard(author_id)
            elif author_id and author_id not in waiting:
                waiting.add(author_id)
                unnamed.append(author_id)
            items.append(base.RawItem(key, payload))
        unnamed = [a for a in unnamed if a in waiting][-MAX_UNNAMED:]
        if round_newest is None and isinstance(meta.get("newest_id"), str):
            round_newest = meta["newest_id"]  # the first page of the round names it
        token = meta.get("next_token")
        more = isinstance(token, str) and bool(token)
        out: dict[str, Any]
        if more:
            out = {"since_id": since_id, "next_token": token, "newest_id": round_newest}
        else:
            out = {"since_id": round_newest or since_id}
        if unnamed:
            out["unnamed"] = unnamed
        return base.Page(items=items[::-1], cursor=out, more=more, problems=problems)

    def _body(self, response: httpx.Response) -> Mapping[str, Any]:
        status = response.status_code
        if status == 200:
            return self._http.json_object(response)
        if status == 401:
            raise self._http.auth_failed(f"bearer token refused: check {self._opts.token_env}")
        if status == 403:
            raise self._http.auth_failed(
                f"forbidden{net.error_detail(response)}: the app may lack access to recent search"
            )
        if status == 400:
            raise SourceUnavailable(f"the search was rejected{net.error_detail(response)}: "
                                    "check query", feed=self.name)
        raise self._http.unexpected(response)

    def author_placeholder(self, mention: Mention) -> str | None:
        """The author this mention's posts were stored under while X did not name them
        (`id:AUTHOR_ID`), when this mention does name them; else None."""
        raw = mention.raw or {}
        author_id = raw.get("author_id")
        if not raw.get(FILLS_AUTHOR) or not isinstance(author_id, str) or not author_id:
            return None
        return placeholder(author_id)

    # -- replying -------------------------------------------------------------------------

    def longest(self, calls: net.Calls, default_timeout: float) -> float:
        return self._http.longest(calls, default_timeout)

    def _target(self, reply: OutgoingReply) -> str:
        """The post to answer: its latest version's id (an edit is a new id)."""
        latest = reply.raw.get("id")
        return latest if isinstance(latest, str) and latest else reply.in_reply_to

    def publish(self, reply: OutgoingReply) -> PublishedRef:
        """POST /2/tweets. X has no idempotency key; the caller records the attempt first and
        asks find_reply after an unclear outcome. Needs a user-context token (tweet.write)."""
        body = {"text": reply.text, "reply": {"in_reply_to_tweet_id": self._target(reply)}}
        response = self._http.post_once(
            f"{self._base}/2/tweets", json_body=body,
            headers={"Authorization": f"Bearer {self._token}"},
        )
        if response.status_code in (200, 201):
            data = self._http.created(response).get("data")
            post_id = data.get("id") if isinstance(data, dict) else None
            if not isinstance(post_id, str) or not post_id:
                raise self._http.unnamed("the new post has no id")
            return PublishedRef(post_id, f"https://x.com/i/status/{post_id}")
        if response.status_code == 401:
            raise self._http.auth_failed(
                f"token refused: {self._opts.token_env} must hold a user-context token with "
                "tweet.write to reply (an app-only bearer token cannot post)"
            )
        # 403 covers "duplicate content" (the same text was posted before) and replies to
        # posts that did not mention the account; X's detail says which.
        raise self._http.refused(response)

    def find_reply(self, reply: OutgoingReply) -> PublishedRef | None:
        """The account's reply to the post among its latest posts (users/:id/tweets)."""
        headers = {"Authorization": f"Bearer {self._token}"}
        me = self._http.send("GET", f"{self._base}/2/users/me", headers=headers)
        if me.status_code == 401:
            raise self._http.auth_failed(f"token refused: check {self._opts.token_env}")
        if me.status_code != 200:
            raise self._http.unexpected(me)
        data = self._http.json_object(me).get("data")
        my_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(my_id, str):
            raise SourceUnavailable("users/me answered without an id", feed=self.name)
        response = self._http.send(
            "GET", f"{self._base}/2/users/{my_id}/tweets",
            params=[("max_results", "100"), ("tweet.fields", "referenced_tweets")],
            headers=headers,
        )
        if response.status_code != 200:
            raise self._http.unexpected(response)
        targets = {self._target(reply), reply.in_reply_to}
        for post in self._http.json_object(response).get("data") or []:
            refs = post.get("referenced_tweets") if isinstance(post, dict) else None
            if any(isinstance(r, dict) and r.get("type") == "replied_to"
                   and r.get("id") in targets for r in refs or []):
                post_id = str(post.get("id"))
                return PublishedRef(post_id, f"https://x.com/i/status/{post_id}")
        return None

    def normalise(self, raw: base.RawItem) -> Mention:
        tweet = raw.payload
        author = tweet.get("author")
        # The post's time, else the time its id carries (X ids are snowflakes).
        created = net.parse_time(tweet.get("created_at")) or _snowflake_time(tweet.get("id"))
        if created is None:
            raise NormaliseError("post has no created_at", external_id=raw.external_id,
                                 feed=self.name)
        if not isinstance(author, Mapping) or not isinstance(author.get("username"), str):
            # A suspended or withheld author, or an answer without the expansion: the post is
            # kept under its author id; a later page that names the author fills the handle
            # in (the pipeline asks `author_placeholder`).
            author_id = tweet.get("author_id")
            if not isinstance(author_id, str) or not author_id.strip():
                raise NormaliseError("post has neither an author in includes.users nor an "
                                     "author_id", external_id=raw.external_id, feed=self.name)
            author = {"username": None, "id": author_id.strip()}
        note = tweet.get("note_tweet")
        text = note.get("text") if isinstance(note, Mapping) else None
        if not isinstance(text, str):
            text = str(tweet.get("text") or "")
        username = author["username"]
        handle = f"@{username}" if isinstance(username, str) else placeholder(author["id"])
        replied = [
            r.get("id") for r in tweet.get("referenced_tweets") or []
            if isinstance(r, Mapping) and r.get("type") == "replied_to"
        ]
        metrics = author.get("public_metrics")
        followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
        name = author.get("name")
        lang = tweet.get("lang")
        conversation = tweet.get("conversation_id")
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            # X escapes & < > in text; unescape once.
            text=plain_text(html.unescape(text)),
            author=handle,
            created_at=created,
            # x.com/i/status/ID opens a post without knowing its author's handle.
            url=f"https://x.com/{username if isinstance(username, str) else 'i'}/status/"
                f"{tweet.get('id') or raw.external_id}",
            author_name=plain_text(name) if isinstance(name, str) and name else None,
            author_followers=followers if isinstance(followers, int) else None,
            # "und" is X's "undetermined".
            language=lang if isinstance(lang, str) and lang and lang != "und" else None,
            reply_to_id=replied[0] if replied and isinstance(replied[0], str) else None,
            thread_id=conversation if isinstance(conversation, str) else None,
            raw=base.thaw(tweet),
        )


PLACEHOLDER_PREFIX = "id:"
FILLS_AUTHOR = "_names_unnamed_author"  # in a payload: its author was stored as a placeholder
MAX_UNNAMED = 500
_TWITTER_EPOCH_MS = 1288834974657


def placeholder(author_id: str) -> str:
    """The author of a post whose author X did not include: `id:` and the user id."""
    return f"{PLACEHOLDER_PREFIX}{author_id}"


def _snowflake_time(post_id: Any) -> datetime | None:
    """The creation time a post id carries (X ids since 2010 are snowflakes)."""
    if not isinstance(post_id, str) or not post_id.isdigit():
        return None
    ms = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None
