"""ASGI middleware guarding every request before any route runs: security headers on every
answer, a request-body size limit enforced before the body is read, and sign-in checked
before any body is read (every API request; every page request that may carry a body,
except the sign-in form itself).

Plain ASGI (not Starlette's BaseHTTPMiddleware), so that they see the raw byte stream and
can answer without reading it. The headers of the 500 page are added by monitor.web.errors,
since Starlette sends that page from outside every middleware. This module must not contain
routes or review logic.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.web.deps import current_user
from monitor.web.errors import LoginRequired, login_location
from monitor.web.headers import security_headers
from monitor.web.jsonresp import dumps


def _merge(raw: Iterable[tuple[bytes, bytes]], add: list[tuple[str, str]]
           ) -> list[tuple[bytes, bytes]]:
    out = list(raw)
    present = {name.lower() for name, _ in out}
    for name, value in add:
        if name.lower().encode("latin-1") not in present:
            out.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    return out


class SecurityHeaders:
    """Adds security_headers() to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        add = security_headers(scope.get("path", ""), self.https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _merge(message.get("headers", []), add)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body without a (truthful) Content-Length passes the
    limit; an HTTPException so that FastAPI's body parsing lets it through as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (f"the request body is larger than this server takes ({limit:,} bytes, "
            "[web] max_body_bytes)")


async def send_error(scope: Scope, send: Send, status: int, message: str,
                     extra: list[tuple[bytes, bytes]] | None = None) -> None:
    """A small error answer sent straight from middleware: JSON under /api/, text elsewhere."""
    path = scope.get("path", "")
    if path.startswith("/api/"):
        body = dumps({"error": HTTPStatus(status).phrase.lower(), "detail": message}).encode()
        kind = b"application/json"
    else:
        body = message.encode("utf-8")
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses a request body over `limit` bytes with 413: at once when Content-Length says
    so (nothing of the body is read), else as soon as the bytes read pass the limit."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_error(scope, send, 400, "Content-Length is not a number")
                    return
        if declared is not None and declared > self.limit:
            await send_error(scope, send, 413, too_large_message(self.limit))
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await send_error(scope, send, 413, too_large_message(self.limit))


# Page requests whose body is read without a signed-in user: the sign-in form (signing in is
# what it is for; throttled in monitor.web.auth). GET, HEAD and OPTIONS carry no body.
OPEN_FORMS = frozenset({"/login"})
BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


def signs_in_first(path: str, method: str) -> bool:
    """Whether a request must show a signed-in user (session or token) before its body is
    read: every /api/ request, and every other one that may carry a body but /login."""
    if path.startswith("/api/"):
        return True
    return method.upper() not in BODILESS and path not in OPEN_FORMS


class SignInFirst:
    """Checks the Bearer token or session before a route reads the body: an anonymous or
    bad-token request is answered without its body being read or parsed, as it would be
    without one (API: 401 with `WWW-Authenticate: Bearer`; pages: 303 to the sign-in form).
    Runs inside the session middleware; the user found is kept on the request for the
    route. GET pages are left to the routes' own check (an unknown page stays a 404)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not signs_in_first(scope.get("path", ""),
                                                         scope.get("method", "GET")):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            await anyio.to_thread.run_sync(current_user, request)
        except LoginRequired as exc:
            path = scope.get("path", "")
            if path.startswith("/api/") or path == "/metrics":  # machines: 401, no redirect
                await send_error(scope, send, 401, str(exc) or "sign in first",
                                 [(b"www-authenticate", b"Bearer")])
            else:
                await send_redirect(send, login_location(
                    path, scope.get("query_string", b"").decode("latin-1"),
                    scope.get("method", "GET")))
            return
        await self.app(scope, receive, send)


async def send_redirect(send: Send, location: str) -> None:
    """A 303 sent straight from middleware. `Connection: close`: the request's body was never
    read, so the connection cannot carry another request."""
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0"),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
