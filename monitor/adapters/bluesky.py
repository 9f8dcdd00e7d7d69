"""Bluesky: app.bsky.feed.searchPosts through the account's PDS, authenticated with an access
token or an app-password session that is created once and refreshed (never per poll).

searchPosts pages only backwards, so the cursor keeps the newest `indexedAt` of the last
finished round plus a bounded set of recently seen post URIs; a round's paging position is
saved between pages so a crash loses nothing. The session lives on the instance, never in
the cursor (which is stored in the database) and never in a message or log line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from monitor.adapters import _http as net
from monitor.adapters import base
from monitor.adapters._text import plain_text
from monitor.config import FeedSettings
from monitor.errors import (
    ConfigError,
    FetchError,
    NormaliseError,
    PublishError,
    SourceUnavailable,
)
from monitor.model import Mention, OutgoingReply, PublishedRef

SEEN_LIMIT = 1000
PROFILES_PER_CALL = 25  # getProfiles takes at most 25 actors
log = logging.getLogger(__name__)
_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthMissing", "AuthenticationRequired"})


@dataclass(frozen=True)
class BlueskyOptions(net.HttpOptionsBase):
    base_url: str
    query: str
    token_env: str | None = None
    identifier: str | None = None
    password_env: str | None = None
    page_size: int = 100
    overlap: float = 600.0  # seconds re-searched before the newest post seen (index lag)
    lookback: float = 86400.0  # how far back the very first poll searches, in seconds


@dataclass
class _Session:
    access: str
    refresh: str | None
    did: str | None = None  # the account's DID: the repo replies are written to


class BlueskyAdapter:
    kind: ClassVar[str] = "bluesky"
    # _authed sends its request at most twice, with one renewal between (refreshSession,
    # then createSession when that is refused); _did may log in first and ask getSession.
    _RENEWAL: ClassVar[net.Calls] = net.Calls(once=2)
    _DID: ClassVar[net.Calls] = net.Calls(once=1) + net.Calls(retried=2) + _RENEWAL
    find_reply_calls: ClassVar[net.Calls] = _DID + net.Calls(retried=2) + _RENEWAL  # listRecords
    publish_calls: ClassVar[net.Calls] = _DID + net.Calls(once=2) + _RENEWAL  # createRecord

    def __init__(self, feed: FeedSettings, ctx: base.AdapterContext) -> None:
        self.name = feed.name
        self.platform = feed.platform or self.kind
        opts = base.parse_options(BlueskyOptions, feed)
        self._opts = opts
        self._base = base.http_url(opts.base_url, feed)
        base.search_query(opts.query, feed)
        base.in_range(opts.page_size, 1, 100, feed, "page_size")
        self._password: str | None = None
        self._session: _Session | None = None
        if opts.token_env:
            token = net.env_secret(ctx.environ, opts.token_env)
            if token is None:
                raise ConfigError(f"the environment variable {opts.token_env} is not set",
                                  key=feed.key("token_env"))
            self._session = _Session(token, None)
        elif opts.identifier and opts.password_env:
            self._password = net.env_secret(ctx.environ, opts.password_env)
            if self._password is None:
                raise ConfigError(
                    f"the environment variable {opts.password_env} is not set (it should hold "
                    "an app password)",
                    key=feed.key("password_env"),
                )
        else:
            raise ConfigError(
                "searchPosts needs a login: set identifier and password_env (an app password), "
                "or token_env",
                key=feed.key("password_env"),
            )
        self._clock = ctx.clock
        self._http = net.Http.for_feed(feed, ctx, opts, net.ResetStyle.EPOCH, "ratelimit-reset")

    # -- auth -----------------------------------------------------------------------------

    def _secret_hint(self) -> str:
        return self._opts.password_env or self._opts.token_env or "the credentials"

    def _login(self) -> _Session:
        response = self._post_json(
            "com.atproto.server.createSession",
            {"identifier": self._opts.identifier or "", "password": self._password or ""},
        )
        if response.status_code in (400, 401):
            raise self._http.auth_failed(
                f"login refused: check {self._opts.password_env} and identifier "
                f"{self._opts.identifier!r}{net.error_detail(response)}"
            )
        return self._session_from(response)

    def _post_json(
        self, nsid: str, body: Mapping[str, str], bearer: str | None = None
    ) -> httpx.Response:
        """A session call (createSession, refreshSession): sent once, since retrying a login
        could lock the account out, and never an unknown outcome, since it creates nothing
        that could be posted twice."""
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        return self._http.post_once(f"{self._base}/xrpc/{nsid}", json_body=dict(body),
                                    headers=headers, creates=False, doing="logging in")

    def _session_from(self, response: httpx.Response) -> _Session:
        if response.status_code != 200:
            raise self._http.unexpected(response)
        body = self._http.json_object(response)
        access, refresh = body.get("accessJwt"), body.get("refreshJwt")
        if not isinstance(access, str) or not access:
            raise SourceUnavailable("the session answer has no accessJwt", feed=self.name)
        did = body.get("did")
        return _Session(access, refresh if isinstance(refresh, str) else None,
                        did if isinstance(did, str) and did else None)

    def _renew(self) -> bool:
        """One credential refresh: refreshSession if we hold a refresh token, else a new
        login with the app password. False when there is nothing to renew with."""
        session = self._session
        if session is not None and session.refresh:
            response = self._post_json("com.atproto.server.refreshSession", {}, session.refresh)
            if response.status_code == 200:
                self._session = self._session_from(response)
                return True
        if self._password is not None:
            self._session = self._login()
            return True
        return False

    # -- fetching -------------------------------------------------------------------------

    def fetch(self, cursor: base.Cursor | None) -> base.Page:
        state: dict[str, Any] = base.thaw(cursor) if cursor else {}
        seen: list[str] = [s for s in state.get("seen", []) if isinstance(s, str)]
        since = net.parse_time(state.get("since")) or self._clock() - timedelta(
            seconds=self._opts.lookback
        )
        round_newest = net.parse_time(state.get("round_newest")) or since
        page_cursor = state.get("page") if isinstance(state.get("page"), str) else None

        params: list[tuple[str, str]] = [
            ("q", self._opts.query), ("sort", "latest"), ("limit", str(self._opts.page_size)),
        ]
        floor = since - timedelta(seconds=self._opts.overlap)
        params.append(("since", floor.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")))
        if page_cursor:
            params.append(("cursor", page_cursor))
        body = self._search(params)

        posts = body.get("posts")
        if not isinstance(posts, list):
            raise SourceUnavailable("searchPosts answered without a posts list", feed=self.name)
        seen_set = set(seen)
        items: list[base.RawItem] = []
        problems: list[base.ItemProblem] = []
        fresh = 0
        for post in posts:
            uri = post.get("uri") if isinstance(post, dict) else None
            if not isinstance(uri, str) or not uri:
                problems.append(base.ItemProblem("searchPosts", "a post without a uri"))
                continue
            indexed = net.parse_time(post.get("indexedAt"))
            if indexed is not None and (round_newest is None or indexed > round_newest):
                round_newest = indexed
            if uri in seen_set:
                continue
            fresh += 1
            seen_set.add(uri)
            seen.append(uri)
            items.append(base.RawItem(uri, post))
        items = self._with_followers(items)
        seen = seen[-SEEN_LIMIT:]
        next_page = body.get("cursor")
        # Keep paging back only while pages still bring unseen posts.
        more = isinstance(next_page, str) and bool(next_page) and bool(posts) and fresh > 0
        out: dict[str, Any] = {"seen": seen}
        if more:
            out.update(since=_iso(since), round_newest=_iso(round_newest), page=next_page)
        else:
            out["since"] = _iso(round_newest)
        return base.Page(items=items[::-1], cursor=out, more=more, problems=problems)

    def _with_followers(self, items: list[base.RawItem]) -> list[base.RawItem]:
        """The posts with their authors' follower counts (`author.followersCount`), which a
        postView lacks: app.bsky.actor.getProfiles, 25 authors a call. The counts are
        optional, so a refused or failed lookup keeps the posts without them."""
        dids = list(dict.fromkeys(
            str(i.payload["author"]["did"]) for i in items
            if isinstance(i.payload.get("author"), Mapping)
            and isinstance(i.payload["author"].get("did"), str)))
        counts: dict[str, int] = {}
        url = f"{self._base}/xrpc/app.bsky.actor.getProfiles"
        for start in range(0, len(dids), PROFILES_PER_CALL):
            params = [("actors", did) for did in dids[start:start + PROFILES_PER_CALL]]
            try:
                response = self._get_authed(url, params)
            except FetchError as exc:
                log.info("feed %s: no follower counts this time: %s", self.name, exc)
                break
            if response.status_code != 200:
                log.info("feed %s: no follower counts this time: getProfiles answered %s",
                         self.name, response.status_code)
                break
            try:
                profiles = self._http.json_object(response).get("profiles")
            except SourceUnavailable:
                break
            for profile in profiles if isinstance(profiles, list) else []:
                if isinstance(profile, Mapping) and isinstance(profile.get("did"), str) and \
                        isinstance(profile.get("followersCount"), int):
                    counts[profile["did"]] = int(profile["followersCount"])
        if not counts:
            return items
        out: list[base.RawItem] = []
        for item in items:
            author = item.payload.get("author")
            did = author.get("did") if isinstance(author, Mapping) else None
            if isinstance(author, Mapping) and did in counts:
                payload = {**item.payload, "author": {**author, "followersCount": counts[did]}}
                item = base.RawItem(item.external_id, payload)
            out.append(item)
        return out

    def _get_authed(self, url: str, params: list[tuple[str, str]]) -> httpx.Response:
        return self._authed(lambda token: self._http.send(
            "GET", url, params=params, headers={"Authorization": f"Bearer {token}"}))

    def _search(self, params: list[tuple[str, str]]) -> dict[str, Any]:
        url = f"{self._base}/xrpc/app.bsky.feed.searchPosts"
        response = self._get_authed(url, params)
        if response.status_code == 200:
            return self._http.json_object(response)
        if response.status_code == 403:
            raise self._http.auth_failed(
                f"search refused by {self._base}{net.error_detail(response)}: the account may "
                "be blocked or the server requires another login"
            )
        if response.status_code == 400:
            raise SourceUnavailable(
                f"the search query was rejected{net.error_detail(response)}: check query",
                feed=self.name,
            )
        raise self._http.unexpected(response)

    def _token_problem(self, response: httpx.Response) -> bool:
        return response.status_code == 401 or (
            response.status_code == 400 and net.error_name(response) in _TOKEN_ERRORS
        )

    def _authed(self, send: Any) -> httpx.Response:
        """`send(access_token)` with the session (logging in first if need be), renewed once
        if the token is refused; searching and replying both go through it."""
        if self._session is None:
            self._session = self._login()
        for attempt in range(2):
            response: httpx.Response = send(self._session.access)
            if self._token_problem(response) and attempt == 0 and self._renew():
                continue
            if self._token_problem(response):
                raise self._http.auth_failed(
                    f"login refused: check {self._secret_hint()}{net.error_detail(response)}"
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    # -- replying -------------------------------------------------------------------------

    def longest(self, calls: net.Calls, default_timeout: float) -> float:
        return self._http.longest(calls, default_timeout)

    def _did(self) -> str:
        """The account's DID: from the login, else com.atproto.server.getSession (a session
        made from token_env does not name it)."""
        if self._session is None:
            self._session = self._login()
        if self._session.did is None:
            response = self._authed(lambda token: self._http.send(
                "GET", f"{self._base}/xrpc/com.atproto.server.getSession",
                headers={"Authorization": f"Bearer {token}"}))
            if response.status_code != 200:
                raise self._http.unexpected(response)
            did = self._http.json_object(response).get("did")
            if not isinstance(did, str) or not did:
                raise SourceUnavailable("getSession answered without a did", feed=self.name)
            self._session.did = did
        return self._session.did

    def publish(self, reply: OutgoingReply) -> PublishedRef:
        """com.atproto.repo.createRecord of an app.bsky.feed.post whose reply refs point at
        the mention (parent) and its thread's root. No idempotency: the caller records the
        attempt first and asks find_reply after an unclear outcome."""
        parent = _strong_ref(reply.in_reply_to, reply.raw.get("cid"))
        if parent is None:
            raise PublishError("the post's cid is unknown, so a reply cannot be threaded",
                               feed=self.name)
        record_in = reply.raw.get("record")
        thread = record_in.get("reply") if isinstance(record_in, Mapping) else None
        root = thread.get("root") if isinstance(thread, Mapping) else None
        root_ref = _strong_ref(root.get("uri"), root.get("cid")) if isinstance(
            root, Mapping) else None
        now = self._clock().astimezone(UTC)
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post", "text": reply.text,
            "createdAt": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "reply": {"root": root_ref or parent, "parent": parent},
        }
        langs = record_in.get("langs") if isinstance(record_in, Mapping) else None
        if isinstance(langs, list | tuple) and langs and all(isinstance(x, str) for x in langs):
            record["langs"] = list(langs)[:3]
        did = self._did()
        body = {"repo": did, "collection": "app.bsky.feed.post", "record": record}
        response = self._authed(lambda token: self._http.post_once(
            f"{self._base}/xrpc/com.atproto.repo.createRecord", json_body=body,
            headers={"Authorization": f"Bearer {token}"}))
        if response.status_code == 200:
            uri = self._http.created(response).get("uri")
            if not isinstance(uri, str) or not uri:
                raise self._http.unnamed("createRecord answered without a uri")
            return PublishedRef(uri, _web_url(did, uri))
        raise self._http.refused(response)

    def find_reply(self, reply: OutgoingReply) -> PublishedRef | None:
        """The account's reply to the mention among its latest posts (repo.listRecords)."""
        did = self._did()
        params = [("repo", did), ("collection", "app.bsky.feed.post"), ("limit", "100")]
        response = self._authed(lambda token: self._http.send(
            "GET", f"{self._base}/xrpc/com.atproto.repo.listRecords", params=params,
            headers={"Authorization": f"Bearer {token}"}))
        if response.status_code != 200:
            raise self._http.unexpected(response)
        for entry in self._http.json_object(response).get("records") or []:
            value = entry.get("value") if isinstance(entry, dict) else None
            thread = value.get("reply") if isinstance(value, dict) else None
            parent = thread.get("parent") if isinstance(thread, dict) else None
            if isinstance(parent, dict) and parent.get("uri") == reply.in_reply_to:
                uri = str(entry.get("uri"))
                return PublishedRef(uri, _web_url(did, uri))
        return None

    # -- normalising ----------------------------------------------------------------------

    def normalise(self, raw: base.RawItem) -> Mention:
        post = raw.payload
        author = post.get("author")
        record = post.get("record")
        if not isinstance(author, Mapping):
            author = {}
        if not isinstance(author.get("handle"), str) or not author["handle"]:
            # Kept under the author's DID (from the post's at:// uri if need be), which
            # bsky.app links resolve as well as a handle.
            did = author.get("did") if isinstance(author.get("did"), str) else None
            if did is None and raw.external_id.startswith("at://did:"):
                did = raw.external_id[len("at://"):].split("/", 1)[0]
            author = {**author, "handle": did or "unknown"}
        if not isinstance(record, Mapping) or not isinstance(record.get("text"), str):
            raise NormaliseError("post has no text record", external_id=raw.external_id,
                                 feed=self.name)
        # createdAt is what the client claims; indexedAt is when the network saw it.
        created = net.parse_time(record.get("createdAt")) or net.parse_time(post.get("indexedAt"))
        if created is None:
            raise NormaliseError("post has no readable time", external_id=raw.external_id,
                                 feed=self.name)
        handle = str(author["handle"])
        rkey = raw.external_id.rsplit("/", 1)[-1]
        langs = record.get("langs")
        reply = record.get("reply")
        parent = root = None
        if isinstance(reply, Mapping):
            parent = _ref_uri(reply.get("parent"))
            root = _ref_uri(reply.get("root"))
        display = author.get("displayName")
        followers = author.get("followersCount")
        return Mention(
            feed=self.name,
            platform=self.platform,
            external_id=raw.external_id,
            text=plain_text(str(record["text"])),
            author=f"@{handle}",
            created_at=created,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}",
            author_name=plain_text(display) if isinstance(display, str) and display else None,
            # Not in a postView: fetch adds it from app.bsky.actor.getProfiles when it can.
            author_followers=followers if isinstance(followers, int)
            and not isinstance(followers, bool) else None,
            language=langs[0] if isinstance(langs, list | tuple) and langs
            and isinstance(langs[0], str) else None,
            reply_to_id=parent,
            thread_id=root,
            raw=base.thaw(post),
        )


def _strong_ref(uri: Any, cid: Any) -> dict[str, str] | None:
    if isinstance(uri, str) and uri and isinstance(cid, str) and cid:
        return {"uri": uri, "cid": cid}
    return None


def _web_url(did: str, uri: str) -> str:
    return f"https://bsky.app/profile/{did}/post/{uri.rsplit('/', 1)[-1]}"


def _ref_uri(ref: Any) -> str | None:
    if isinstance(ref, Mapping) and isinstance(ref.get("uri"), str):
        return str(ref["uri"])
    return None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
