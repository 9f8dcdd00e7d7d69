"""Fake Mastodon, Bluesky, Reddit, HN Algolia, RSS/Atom and X APIs for the adapter tests.

Each answers in the real API's shape (see ../shared/docs/feed-apis.md) and honours the
paging parameters the adapters send (min_id, cursor, after, page, since_id, next_token,
conditional GET), so a test checks the adapter against the API's behaviour, not against a
canned sequence. State is on the instances; they serve only through a FakeServer on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import Any, ClassVar

from .fakeserver import FakeServer, Request, Response, json_response

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Post:
    """One post as the tests think of it; each fake renders it in its network's shape."""

    n: int
    text: str
    author: str
    created: datetime
    extra: dict[str, Any] = field(default_factory=dict)


class FakeNet:
    """Common parts: a list of posts, oldest first, and a way to add more."""

    def __init__(self) -> None:
        self.posts: list[Post] = []

    def add(self, count: int = 1, *, text: str | None = None, **extra: Any) -> list[str]:
        ids = []
        for _ in range(count):
            n = len(self.posts) + 1
            created = NOW - timedelta(hours=2) + timedelta(minutes=n)
            post = Post(n, text or f"Acme post number {n} about a late refund",
                        f"user{n}", created, dict(extra))
            self.posts.append(post)
            ids.append(self.external_id(post))
        return ids

    def external_id(self, post: Post) -> str:
        raise NotImplementedError

    def install(self, server: FakeServer) -> None:
        raise NotImplementedError


# -- Mastodon ------------------------------------------------------------------------------

class FakeMastodon(FakeNet):
    ACCOUNT: ClassVar[dict[str, str]] = {"id": "777", "username": "acme", "acct": "acme",
                                         "url": "https://example.social/@acme"}

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.replies: list[dict[str, Any]] = []  # statuses the brand account posted
        self.by_key: dict[str, dict[str, Any]] = {}  # Idempotency-Key -> the status it made
        self.reply_delay = 0.0  # the next POST /statuses answers this late (after creating)
        self.max_characters = 500

    def sid(self, post: Post) -> str:
        # Mastodon ids are snowflakes: milliseconds since the epoch, shifted 16 bits.
        return str((int(post.created.timestamp() * 1000) << 16) + post.n)

    def external_id(self, post: Post) -> str:
        return self.uri(post)  # the ActivityPub uri: the same on every instance

    def uri(self, post: Post) -> str:
        return f"https://other.example/users/{post.author}/statuses/{post.n}"

    def status(self, post: Post) -> dict[str, Any]:
        body = post.extra.get("html", f"<p>{escape(post.text)} <a href=\"https://example.social"
                                         f"/tags/acme\" class=\"mention hashtag\" rel=\"tag\">"
                                         f"#<span>acme</span></a></p>")
        return {
            "id": self.sid(post), "created_at": iso_ms(post.created),
            "in_reply_to_id": post.extra.get("in_reply_to_id"),
            "in_reply_to_account_id": None, "sensitive": False,
            "spoiler_text": post.extra.get("spoiler_text", ""), "visibility": "public",
            "language": post.extra.get("language", "en"),
            "uri": self.uri(post),
            "url": f"https://other.example/@{post.author}/{post.n}",
            "edited_at": post.extra.get("edited_at"), "content": body, "reblog": None,
            "account": {
                "id": str(1000 + post.n), "username": post.author,
                "acct": post.extra.get("acct", f"{post.author}@other.example"),
                "display_name": post.extra.get("display_name", f"User {post.n} :verified:"),
                "url": f"https://other.example/@{post.author}", "followers_count": 300 + post.n,
                "bot": False,
            },
            "media_attachments": [], "mentions": [], "emojis": [],
            "tags": [{"name": "acme", "url": "https://example.social/tags/acme"}],
        }

    def _headers(self, req: Request) -> dict[str, str]:
        return {"Content-Type": "application/json; charset=utf-8",
                "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                "X-RateLimit-Reset": (NOW + timedelta(minutes=5)).strftime(
                    "%Y-%m-%dT%H:%M:%S.%fZ")}

    def _page(self, req: Request, ids: list[str]) -> list[str]:
        """Mastodon's paging over ids sorted oldest first; the page comes newest first."""
        key = lambda s: (len(s), s)  # noqa: E731 - Mastodon's documented id order
        limit = min(int(req.arg("limit", "20") or 20), 40)
        ids = sorted(ids, key=key)
        if (max_id := req.arg("max_id")) is not None:
            ids = [i for i in ids if key(i) < key(max_id)]
        if (min_id := req.arg("min_id")) is not None:
            page = [i for i in ids if key(i) > key(min_id)][:limit]
        else:
            if (since_id := req.arg("since_id")) is not None:
                ids = [i for i in ids if key(i) > key(since_id)]
            page = ids[-limit:]
        return page[::-1]

    def _auth(self, req: Request) -> Response | None:
        if self.token and req.headers.get("authorization") != f"Bearer {self.token}":
            return json_response({"error": "The access token is invalid"}, 401)
        return None

    def timeline(self, req: Request) -> Response:
        if (denied := self._auth(req)) is not None:
            return denied
        tag = req.path.rsplit("/", 1)[-1]
        by_id = {self.sid(p): p for p in self.posts if tag in p.extra.get("tags", ["acme"])}
        page = self._page(req, list(by_id))
        headers = self._headers(req)
        if page:
            base = f"http://example.social/api/v1/timelines/tag/{tag}"
            headers["Link"] = (f"<{base}?max_id={page[-1]}>; rel=\"next\", "
                               f"<{base}?min_id={page[0]}>; rel=\"prev\"")
        return Response(200, [self.status(by_id[i]) for i in page], headers)

    def notifications(self, req: Request) -> Response:
        if (denied := self._auth(req)) is not None:
            return denied
        mentions = {str(900000 + p.n): p for p in self.posts if p.extra.get("mention")}
        page = self._page(req, list(mentions))
        body = [{"id": i, "type": "mention", "created_at": iso_ms(mentions[i].created),
                 "account": self.status(mentions[i])["account"],
                 "status": self.status(mentions[i])} for i in page]
        return Response(200, body, self._headers(req))

    def search(self, req: Request) -> Response:
        if (denied := self._auth(req)) is not None:
            return denied
        q = (req.arg("q") or "").lower()
        found = {self.sid(p): p for p in self.posts if p.extra.get("searchable") and
                 q in p.text.lower()}
        page = self._page(req, list(found))
        return Response(200, {"accounts": [], "hashtags": [],
                              "statuses": [self.status(found[i]) for i in page]},
                        self._headers(req))

    def post_status(self, req: Request) -> Response:
        """POST /api/v1/statuses, honouring Idempotency-Key (same key: the same status)."""
        import json
        if (denied := self._auth(req)) is not None or not self.token:
            return denied or json_response({"error": "The access token is invalid"}, 401)
        key = req.headers.get("idempotency-key")
        if key and key in self.by_key:
            return Response(200, self.by_key[key], self._headers(req))
        body = json.loads(req.body or b"{}") if "json" in req.headers.get(
            "content-type", "") else req.form()
        text = str(body.get("status") or "")
        if not text.strip():
            return json_response({"error": "Validation failed: Text can't be blank"}, 422)
        if len(text) > self.max_characters:
            return json_response({"error": "Validation failed: Text character limit of "
                                           f"{self.max_characters} exceeded"}, 422)
        parent = body.get("in_reply_to_id")
        known = {self.sid(p) for p in self.posts} | {r["id"] for r in self.replies}
        if parent is not None and parent not in known:
            return json_response({"error": "Record not found"}, 404)
        n = len(self.replies) + 1
        status = {"id": str(200000000000000000 + n), "created_at": iso_ms(NOW),
                  "in_reply_to_id": parent, "in_reply_to_account_id": None,
                  "visibility": body.get("visibility", "public"),
                  "language": body.get("language"), "content": f"<p>{escape(text)}</p>",
                  "uri": f"https://example.social/users/acme/statuses/{n}",
                  "url": f"https://example.social/@acme/{200000000000000000 + n}",
                  "account": dict(self.ACCOUNT), "reblog": None, "spoiler_text": ""}
        self.replies.append(status)
        if key:
            self.by_key[key] = status
        delay, self.reply_delay = self.reply_delay, 0.0
        return Response(200, status, self._headers(req), delay=delay)

    def verify_credentials(self, req: Request) -> Response:
        if (denied := self._auth(req)) is not None or not self.token:
            return denied or json_response({"error": "The access token is invalid"}, 401)
        return Response(200, dict(self.ACCOUNT), self._headers(req))

    def context(self, req: Request) -> Response:
        status_id = req.path.split("/")[-2]
        known = {self.sid(p) for p in self.posts} | {r["id"] for r in self.replies}
        if status_id not in known:
            return json_response({"error": "Record not found"}, 404)
        below = [r for r in self.replies if r["in_reply_to_id"] == status_id]
        return Response(200, {"ancestors": [], "descendants": below}, self._headers(req))

    def install(self, server: FakeServer) -> None:
        server.route("GET", "/api/v1/timelines/tag/", self.timeline)
        server.route("GET", "/api/v1/notifications", self.notifications)
        server.route("GET", "/api/v2/search", self.search)
        server.route("POST", "/api/v1/statuses", self.post_status)
        server.route("GET", "/api/v1/accounts/verify_credentials", self.verify_credentials)
        server.route("GET", "/api/v1/statuses/", self.context)


# -- Bluesky -------------------------------------------------------------------------------

class FakeBluesky(FakeNet):
    def __init__(self, identifier: str = "acme.com", password: str = "app-pass-1234") -> None:
        super().__init__()
        self.identifier, self.password = identifier, password
        self.generation = 0
        self.access = self.refresh = ""
        self.logins = 0
        self.refreshes = 0
        self.expired = False  # the next search answers 400 ExpiredToken
        self.records: list[dict[str, Any]] = []  # posts the brand account wrote, oldest first
        self.reply_delay = 0.0  # the next createRecord answers this late (after creating)

    def external_id(self, post: Post) -> str:
        return f"at://did:plc:user{post.n:020d}/app.bsky.feed.post/3lkq{post.n:09d}"

    def view(self, post: Post) -> dict[str, Any]:
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": iso_ms(post.created),
                                  "langs": post.extra.get("langs", ["en"]), "text": post.text,
                                  "facets": []}
        if "reply_to" in post.extra:
            record["reply"] = {"root": {"uri": post.extra["root"], "cid": "bafyroot"},
                               "parent": {"uri": post.extra["reply_to"], "cid": "bafyparent"}}
        return {
            "uri": self.external_id(post), "cid": f"bafyrei{post.n:040d}",
            "author": {"did": f"did:plc:user{post.n:020d}", "handle": f"{post.author}.bsky.social",
                       "displayName": f"User {post.n}", "labels": [],
                       "createdAt": "2023-06-01T12:00:00.000Z"},
            "record": record, "replyCount": 0, "repostCount": 0, "likeCount": 1,
            "quoteCount": 0, "indexedAt": iso_ms(post.created + timedelta(seconds=1)),
            "labels": [],
        }

    def _issue(self) -> dict[str, Any]:
        self.generation += 1
        self.access = f"access-{self.generation}"
        self.refresh = f"refresh-{self.generation}"
        self.expired = False
        return {"did": self.DID, "handle": self.identifier,
                "accessJwt": self.access, "refreshJwt": self.refresh, "active": True}

    def create_session(self, req: Request) -> Response:
        import json
        body = json.loads(req.body or b"{}")
        if body.get("identifier") != self.identifier or body.get("password") != self.password:
            return json_response({"error": "AuthenticationRequired",
                                  "message": "Invalid identifier or password"}, 401)
        self.logins += 1
        return json_response(self._issue())

    def refresh_session(self, req: Request) -> Response:
        if req.headers.get("authorization") != f"Bearer {self.refresh}" or not self.refresh:
            return json_response({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        self.refreshes += 1
        return json_response(self._issue())

    def search(self, req: Request) -> Response:
        if (denied := self._denied(req)) is not None:
            return denied
        q = (req.arg("q") or "").lower()
        posts = [p for p in self.posts if q in p.text.lower() or p.extra.get("match")]
        if since := req.arg("since"):
            floor = datetime.fromisoformat(since.replace("Z", "+00:00"))
            posts = [p for p in posts if p.created + timedelta(seconds=1) >= floor]
        posts.sort(key=lambda p: p.created, reverse=True)
        offset = int(req.arg("cursor", "0") or 0)
        limit = int(req.arg("limit", "25") or 25)
        page = posts[offset:offset + limit]
        body: dict[str, Any] = {"posts": [self.view(p) for p in page], "hitsTotal": len(posts)}
        if offset + limit < len(posts):
            body["cursor"] = str(offset + limit)
        return json_response(body, **{"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                                      "RateLimit-Reset": str(int(NOW.timestamp()) + 300),
                                      "RateLimit-Policy": "3000;w=300"})

    DID = "did:plc:acmeacmeacmeacmeacmeacme"
    profiles_down = False  # getProfiles answers 502 (the counts are optional)

    def profiles(self, req: Request) -> Response:
        """app.bsky.actor.getProfiles: profileViewDetailed (with followersCount) for up to 25
        `actors`; an unknown actor is left out, as the real AppView does."""
        if (denied := self._denied(req)) is not None:
            return denied
        if self.profiles_down:
            return json_response({"error": "UpstreamFailure", "message": "down"}, 502)
        actors = req.query.get("actors", [])
        if len(actors) > 25:
            return json_response({"error": "InvalidRequest",
                                  "message": "actors must not have more than 25 elements"}, 400)
        by_did = {f"did:plc:user{p.n:020d}": p for p in self.posts}
        return json_response({"profiles": [
            {"did": did, "handle": f"{by_did[did].author}.bsky.social",
             "followersCount": 100 + by_did[did].n, "followsCount": 3, "postsCount": 9}
            for did in actors if did in by_did]})

    def _denied(self, req: Request) -> Response | None:
        auth = req.headers.get("authorization")
        if not auth:
            return json_response({"error": "AuthMissing", "message": "Authentication Required"},
                                 401)
        if auth != f"Bearer {self.access}" or self.expired:
            return json_response({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        return None

    def create_record(self, req: Request) -> Response:
        """com.atproto.repo.createRecord for app.bsky.feed.post: checks the repo, the text
        length and the reply's strong refs, and answers with the new uri and cid."""
        import json
        if (denied := self._denied(req)) is not None:
            return denied
        body = json.loads(req.body or b"{}")
        record = body.get("record") or {}
        if body.get("repo") != self.DID or body.get("collection") != "app.bsky.feed.post":
            return json_response({"error": "InvalidRequest", "message": "bad repo"}, 400)
        if len(str(record.get("text", ""))) > 300:
            return json_response({"error": "InvalidRequest", "message": "Invalid "
                                  "app.bsky.feed.post record: Record/text must not be longer "
                                  "than 300 graphemes"}, 400)
        reply = record.get("reply") or {}
        if not all(isinstance(reply.get(k), dict) and reply[k].get("cid") for k in
                   ("root", "parent")):
            return json_response({"error": "InvalidRequest", "message": "Invalid "
                                  "app.bsky.feed.post record: reply must have root and parent"},
                                 400)
        n = len(self.records) + 1
        uri = f"at://{self.DID}/app.bsky.feed.post/3lzz{n:09d}"
        cid = f"bafyreply{n:040d}"
        self.records.append({"uri": uri, "cid": cid, "value": record})
        delay, self.reply_delay = self.reply_delay, 0.0
        return Response(200, {"uri": uri, "cid": cid, "validationStatus": "valid",
                              "commit": {"cid": "bafycommit", "rev": f"3lzz{n}"}},
                        {"Content-Type": "application/json"}, delay=delay)

    def list_records(self, req: Request) -> Response:
        if (denied := self._denied(req)) is not None:
            return denied
        limit = int(req.arg("limit", "50") or 50)
        return json_response({"records": self.records[::-1][:limit]})

    def get_session(self, req: Request) -> Response:
        if (denied := self._denied(req)) is not None:
            return denied
        return json_response({"did": self.DID, "handle": self.identifier, "active": True})

    def install(self, server: FakeServer) -> None:
        server.route("POST", "/xrpc/com.atproto.server.createSession", self.create_session)
        server.route("POST", "/xrpc/com.atproto.server.refreshSession", self.refresh_session)
        server.route("GET", "/xrpc/app.bsky.feed.searchPosts", self.search)
        server.route("GET", "/xrpc/app.bsky.actor.getProfiles", self.profiles)
        server.route("POST", "/xrpc/com.atproto.repo.createRecord", self.create_record)
        server.route("GET", "/xrpc/com.atproto.repo.listRecords", self.list_records)
        server.route("GET", "/xrpc/com.atproto.server.getSession", self.get_session)


# -- Reddit --------------------------------------------------------------------------------

class FakeReddit(FakeNet):
    def __init__(self, client_id: str | None = None, secret: str | None = None) -> None:
        super().__init__()
        self.client_id, self.secret = client_id, secret
        self.tokens_issued = 0
        self.valid_token: str | None = None
        self.username, self.password = "acme_support", "reddit-pass"
        self.user_token: str | None = None
        self.comments: list[dict[str, Any]] = []  # the brand account's, oldest first
        self.reply_delay = 0.0  # the next /api/comment answers this late (after creating)
        self.comment_errors: list[list[str]] = []  # e.g. [["RATELIMIT", "... 6 minutes.", ""]]

    def external_id(self, post: Post) -> str:
        return f"t3_{post.n:07x}"

    def thing(self, post: Post) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": f"{post.n:07x}", "name": self.external_id(post),
            "title": post.extra.get("title", post.text), "selftext": post.extra.get("selftext", ""),
            "author": post.author, "author_fullname": f"t2_{post.n}", "subreddit": "Frugal",
            "subreddit_name_prefixed": "r/Frugal", "created_utc": post.created.timestamp(),
            "permalink": f"/r/Frugal/comments/{post.n:07x}/post_{post.n}/",
            "url": f"https://www.reddit.com/r/Frugal/comments/{post.n:07x}/post_{post.n}/",
            "is_self": True, "score": 3, "num_comments": 0, "over_18": False,
            "edited": post.extra.get("edited", False),
            "removed_by_category": post.extra.get("removed_by_category"),
            "distinguished": None,
        }
        return {"kind": "t3", "data": data}

    def token(self, req: Request) -> Response:
        expected = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        if req.headers.get("authorization") != f"Basic {expected}":
            return json_response({"message": "Unauthorized", "error": 401}, 401)
        form = req.form()
        if form.get("grant_type") == "password":
            if (form.get("username"), form.get("password")) != (self.username, self.password):
                return json_response({"error": "invalid_grant"}, 200)
            self.tokens_issued += 1
            self.user_token = f"user-tok-{self.tokens_issued}"
            return json_response({"access_token": self.user_token, "token_type": "bearer",
                                  "expires_in": 86400, "scope": "*"})
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        self.tokens_issued += 1
        self.valid_token = f"tok-{self.tokens_issued}"
        return json_response({"access_token": self.valid_token, "token_type": "bearer",
                              "expires_in": 86400, "scope": "*"})

    def search(self, req: Request) -> Response:
        if "python-httpx" in req.headers.get("user-agent", ""):
            return json_response({"message": "Too Many Requests", "error": 429}, 429)
        if self.client_id and req.headers.get("authorization") != f"bearer {self.valid_token}":
            return json_response({"message": "Unauthorized", "error": 401}, 401)
        posts = sorted(self.posts, key=lambda p: p.created, reverse=True)
        if after := req.arg("after"):
            names = [self.external_id(p) for p in posts]
            posts = posts[names.index(after) + 1:] if after in names else []
        limit = int(req.arg("limit", "25") or 25)
        page = posts[:limit]
        listing = {"kind": "Listing", "data": {
            "after": self.external_id(page[-1]) if len(posts) > limit else None,
            "dist": len(page), "modhash": "", "geo_filter": "",
            "children": [self.thing(p) for p in page], "before": None}}
        return json_response(listing, **{"x-ratelimit-used": "1",
                                         "x-ratelimit-remaining": "599.0",
                                         "x-ratelimit-reset": "300"})

    def _as_user(self, req: Request) -> Response | None:
        if not self.user_token or req.headers.get("authorization") != (
                f"bearer {self.user_token}"):
            return json_response({"message": "Unauthorized", "error": 401}, 401)
        return None

    def comment(self, req: Request) -> Response:
        """POST /api/comment: errors come back with status 200 inside json.errors."""
        if (denied := self._as_user(req)) is not None:
            return denied
        form = req.form()
        if self.comment_errors:
            return json_response({"json": {"errors": [self.comment_errors.pop(0)]}})
        if len(form.get("text", "")) > 10000:
            return json_response({"json": {"errors": [["TOO_LONG", "this is too long (max: "
                                                                    "10000)", "text"]]}})
        n = len(self.comments) + 1
        parent = form.get("thing_id", "")
        data = {"id": f"mh3k{n:03d}", "name": f"t1_mh3k{n:03d}", "link_id": parent,
                "parent_id": parent, "author": self.username, "body": form.get("text"),
                "created_utc": NOW.timestamp(), "edited": False, "score": 1,
                "permalink": f"/r/Frugal/comments/{parent[3:]}/post/mh3k{n:03d}/",
                "subreddit": "Frugal", "replies": "", "distinguished": None}
        self.comments.append(data)
        delay, self.reply_delay = self.reply_delay, 0.0
        return Response(200, {"json": {"errors": [], "data": {"things": [
            {"kind": "t1", "data": data}]}}}, {"Content-Type": "application/json"},
            delay=delay)

    def user_comments(self, req: Request) -> Response:
        if (denied := self._as_user(req)) is not None:
            return denied
        if req.path != f"/user/{self.username}/comments":
            return json_response({"message": "Not Found", "error": 404}, 404)
        limit = int(req.arg("limit", "25") or 25)
        children = [{"kind": "t1", "data": c} for c in self.comments[::-1][:limit]]
        return json_response({"kind": "Listing", "data": {"after": None, "before": None,
                                                          "children": children}})

    def install(self, server: FakeServer) -> None:
        server.route("POST", "/api/v1/access_token", self.token)
        server.route("GET", "/search", self.search)
        server.route("GET", "/r/", self.search)
        server.route("POST", "/api/comment", self.comment)
        server.route("GET", "/user/", self.user_comments)


# -- Hacker News (Algolia) -----------------------------------------------------------------

class FakeHackerNews(FakeNet):
    def external_id(self, post: Post) -> str:
        return str(43360000 + post.n)

    def hit(self, post: Post) -> dict[str, Any]:
        hit: dict[str, Any] = {
            "objectID": self.external_id(post), "author": post.author,
            "created_at": post.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "created_at_i": int(post.created.timestamp()),
            "updated_at": post.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if post.extra.get("story"):
            hit.update(title=post.text, url=None, points=3, num_comments=0,
                       story_text=post.extra.get("story_text"), story_id=43360000 + post.n,
                       _tags=["story", f"author_{post.author}"])
        else:
            hit.update(comment_text=post.extra.get("html", escape(post.text)),
                       story_id=43350000, story_title="Ask HN: support?",
                       parent_id=43350001, _tags=["comment", f"author_{post.author}"])
        if post.extra.get("deleted"):
            hit["comment_text"] = None
        return hit

    def search(self, req: Request) -> Response:
        floor = 0
        for part in (req.arg("numericFilters") or "").split(","):
            if part.startswith("created_at_i>="):
                floor = int(part.split(">=")[1])
        posts = [p for p in self.posts if p.created.timestamp() >= floor]
        posts.sort(key=lambda p: p.created, reverse=True)
        per = int(req.arg("hitsPerPage", "20") or 20)
        page = int(req.arg("page", "0") or 0)
        pages = max(1, -(-len(posts) // per))
        hits = [self.hit(p) for p in posts[page * per:(page + 1) * per]]
        return json_response({"hits": hits, "nbHits": len(posts), "page": page,
                              "nbPages": pages, "hitsPerPage": per, "exhaustiveNbHits": True,
                              "query": req.arg("query"), "processingTimeMS": 1})

    def install(self, server: FakeServer) -> None:
        server.route("GET", "/api/v1/search_by_date", self.search)


# -- RSS / Atom (Google Alerts shape) ------------------------------------------------------

class FakeAtom(FakeNet):
    conditional = True

    def external_id(self, post: Post) -> str:
        return f"tag:google.com,2013:googlealerts/feed:{1122334455 + post.n}"

    def document(self) -> bytes:
        entries = []
        for post in reversed(self.posts):
            link = post.extra.get("link", f"https://news.example.com/{post.n}/acme")
            href = ("https://www.google.com/url?rct=j&sa=t&url=" + link +
                    "&ct=ga&cd=CAIyGmFi&usg=AOvVaw0example")
            title = post.extra.get("title_html", f"Customers talk about <b>Acme</b>: {post.text}")
            entries.append(
                f"<entry><id>{self.external_id(post)}</id>"
                f"<title type=\"html\">{escape(title)}</title>"
                f"<link href=\"{escape(href)}\"></link>"
                f"<published>{post.created:%Y-%m-%dT%H:%M:%SZ}</published>"
                f"<updated>{post.created:%Y-%m-%dT%H:%M:%SZ}</updated>"
                f"<content type=\"html\">{escape(post.extra.get('content', post.text))}"
                f"&amp;nbsp;...</content><author><name></name></author></entry>")
        return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                "<id>tag:google.com,2005:reader/user/0123/state/com.google/alerts/9876</id>"
                "<title>Google Alert - acme</title>"
                "<updated>2026-11-24T10:00:38Z</updated>" + "".join(entries) +
                "</feed>").encode()

    def feed(self, req: Request) -> Response:
        body = self.document()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = format_datetime(self.posts[-1].created if self.posts else NOW, usegmt=True)
        headers = {"Content-Type": "application/atom+xml; charset=utf-8"}
        if self.conditional:
            headers.update(ETag=etag, **{"Last-Modified": modified})
            if req.headers.get("if-none-match") == etag:
                return Response(304, b"", headers)
        return Response(200, body, headers)

    def install(self, server: FakeServer) -> None:
        server.route("GET", "/alerts/feeds/", self.feed)


# -- X -------------------------------------------------------------------------------------

class FakeX(FakeNet):
    ME: ClassVar[dict[str, str]] = {"id": "987654321", "name": "Acme Support",
                                    "username": "AcmeSupport"}

    def __init__(self, token: str = "x-bearer-secret") -> None:
        super().__init__()
        self.token = token
        self.replies: list[dict[str, Any]] = []  # posts the brand account made, oldest first
        self.reply_delay = 0.0  # the next POST /2/tweets answers this late (after creating)

    def tid(self, post: Post) -> str:
        return str(1900512345678900000 + post.n)

    def external_id(self, post: Post) -> str:
        return post.extra.get("original_id", self.tid(post))

    def tweet(self, post: Post) -> dict[str, Any]:
        tweet = {
            "id": self.tid(post), "text": post.extra.get("raw_text", post.text),
            "edit_history_tweet_ids": [self.external_id(post), self.tid(post)]
            if "original_id" in post.extra else [self.tid(post)],
            "author_id": self.author_id(post), "created_at": iso_ms(post.created),
            "lang": post.extra.get("lang", "en"), "conversation_id": self.tid(post),
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1,
                               "quote_count": 0},
        }
        if "reply_to" in post.extra:
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": post.extra["reply_to"]}]
            tweet["conversation_id"] = post.extra["reply_to"]
        return tweet

    def author_id(self, post: Post) -> str:
        return str(1456789000 + post.extra.get("by_n", post.n))

    def user(self, post: Post) -> dict[str, Any]:
        return {"id": self.author_id(post), "name": f"User {post.n}",
                "username": post.author, "verified": False,
                "public_metrics": {"followers_count": 400 + post.n, "following_count": 1,
                                   "tweet_count": 9, "listed_count": 0}}

    def search(self, req: Request) -> Response:
        if req.headers.get("authorization") != f"Bearer {self.token}":
            return json_response({"title": "Unauthorized", "type": "about:blank",
                                  "status": 401, "detail": "Unauthorized"}, 401)
        posts = sorted(self.posts, key=lambda p: int(self.tid(p)), reverse=True)
        if since := req.arg("since_id"):
            posts = [p for p in posts if int(self.tid(p)) > int(since)]
        offset = int((req.arg("next_token") or "t0")[1:])
        per = int(req.arg("max_results", "10") or 10)
        page = posts[offset:offset + per]
        headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                   "x-rate-limit-reset": str(int(NOW.timestamp()) + 900)}
        if not page:
            return json_response({"meta": {"result_count": 0}}, **headers)
        meta: dict[str, Any] = {"newest_id": self.tid(page[0]), "oldest_id": self.tid(page[-1]),
                                "result_count": len(page)}
        if offset + per < len(posts):
            meta["next_token"] = f"t{offset + per}"
        body = {"data": [self.tweet(p) for p in page],
                # A suspended or withheld author is missing from includes.users.
                "includes": {"users": [self.user(p) for p in page
                                       if not p.extra.get("unnamed")]}, "meta": meta}
        return json_response(body, **headers)

    def _denied(self, req: Request) -> Response | None:
        if req.headers.get("authorization") != f"Bearer {self.token}":
            return json_response({"title": "Unauthorized", "type": "about:blank",
                                  "status": 401, "detail": "Unauthorized"}, 401)
        return None

    def create(self, req: Request) -> Response:
        """POST /2/tweets: 201 with the new post; the same text twice is a 403 duplicate."""
        import json
        if (denied := self._denied(req)) is not None:
            return denied
        body = json.loads(req.body or b"{}")
        text = str(body.get("text") or "")
        if any(r["text"] == text for r in self.replies):
            return json_response({"detail": "You are not allowed to create a Tweet with "
                                            "duplicate content.", "type": "about:blank",
                                  "title": "Forbidden", "status": 403}, 403)
        if len(text) > 280:
            return json_response({"detail": "Your Tweet text is too long.", "title":
                                  "Invalid Request", "type": "about:blank", "status": 400}, 400)
        new_id = str(1900519999999990000 + len(self.replies) + 1)
        post: dict[str, Any] = {"id": new_id, "text": text, "edit_history_tweet_ids": [new_id]}
        target = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        self.replies.append({**post, "referenced_tweets": [{"type": "replied_to",
                                                            "id": target}]})
        delay, self.reply_delay = self.reply_delay, 0.0
        return Response(201, {"data": post}, {"Content-Type": "application/json",
                                              "x-rate-limit-limit": "100",
                                              "x-rate-limit-remaining": "99",
                                              "x-rate-limit-reset":
                                                  str(int(NOW.timestamp()) + 900)},
                        delay=delay)

    def me(self, req: Request) -> Response:
        return self._denied(req) or json_response({"data": dict(self.ME)})

    def timeline(self, req: Request) -> Response:
        if (denied := self._denied(req)) is not None:
            return denied
        if f"/2/users/{self.ME['id']}/tweets" != req.path:
            return json_response({"title": "Not Found Error", "type": "about:blank",
                                  "detail": "Could not find user", "status": 404}, 404)
        posts = self.replies[::-1][:int(req.arg("max_results", "10") or 10)]
        if not posts:
            return json_response({"meta": {"result_count": 0}})
        return json_response({"data": posts, "meta": {"result_count": len(posts)}})

    def install(self, server: FakeServer) -> None:
        server.route("GET", "/2/tweets/search/recent", self.search)
        server.route("POST", "/2/tweets", self.create)
        server.route("GET", "/2/users/me", self.me)
        server.route("GET", "/2/users/", self.timeline)
