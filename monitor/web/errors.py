"""The one place where failures become HTTP answers, for pages and for the API alike.

    LoginRequired      -> pages: 303 to /login?next=...   API: 401 (WWW-Authenticate: Bearer)
    Forbidden          -> 403 (missing CSRF token, not an admin)
    NotFound           -> 404
    Conflict           -> 409 (someone else changed the item first)
    InvalidTransition  -> 409 (not allowed in the item's state; the message says why)
    InputError         -> 400 (bad input such as a username or a filter)
    other MonitorError -> 400
    HTTP / validation  -> their own status, rendered the same way (validation: 422, also
                          for a damaged `after=` cursor and an id out of range)
    anything else      -> 500, a fixed message, with the security headers

Pages get an HTML error page; paths under /api/ (and /metrics) get JSON
`{"error": ..., "detail": ...}`. LoginRequired and Forbidden, the web app's own failures, are
defined here (raised by monitor.web.deps). This module must not contain review logic;
messages come from the exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from monitor.errors import Conflict, InvalidTransition, MonitorError, NotFound
from monitor.review.queries import MAX_ID
from monitor.web.headers import security_headers
from monitor.web.jsonresp import SafeJSONResponse
from monitor.web.views import render


class LoginRequired(Exception):
    """No signed-in user (or token) on a request that needs one."""


class Forbidden(Exception):
    """A signed-in user without the right to do this (or a missing/bad CSRF token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def status_for(exc: Exception) -> int:
    if isinstance(exc, LoginRequired):
        return 401
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict | InvalidTransition):
        return 409
    if isinstance(exc, MonitorError):  # InputError, and a ConfigError a request met
        return 400
    return 500


def is_api(request: Request) -> bool:
    # /metrics is read by machines (a Prometheus scrape): a 401, never a sign-in page.
    return request.url.path.startswith("/api/") or request.url.path == "/metrics"


def render_error(request: Request, status: int, message: str) -> Response:
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return SafeJSONResponse(
            {"error": HTTPStatus(status).phrase.lower(), "detail": message},
            status_code=status, headers=headers,
        )
    context: dict[str, Any] = {
        "status": status, "title": HTTPStatus(status).phrase, "message": message,
        "back": "/" if status == 404 else _back_link(request),
    }
    return render(request, "error.html", context, status_code=status)


def _back_link(request: Request) -> str:
    return back_link(request.url.path)


def back_link(path: str) -> str:
    """Where 'go back' leads: the item page for item actions, else the queue."""
    parts = path.strip("/").split("/")
    if (len(parts) >= 2 and parts[0] == "items" and parts[1].isdigit()
            and 0 < int(parts[1]) <= MAX_ID):
        return f"/items/{parts[1]}"
    return "/"


def page_problem(errors: Sequence[Any]) -> str:
    """A validation failure as a page states it: a damaged page link, an id no item or
    incident can have, else the field and what is wrong with it."""
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    name = loc[-1] if loc else "a value"
    if name == "after":
        return str(first.get("msg", "that page link is damaged"))
    if name.endswith("_id"):
        return (f"there is no {name[:-3].replace('_', ' ')} with that number: this address "
                "has a number no item can have")
    return f"the form or address has a value this page cannot use ({name}: " \
           f"{first.get('msg', 'invalid')})"


_PLAIN_500 = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<title>Server error</title></head><body><h1>Server error</h1><p>{message}</p>"
              "<p><a href=\"/\">Back to the queue</a></p></body></html>")


def login_location(path: str, query: str, method: str) -> str:
    """Where a page request without a signed-in user is sent: the sign-in form, which then
    leads back to the page (for a form POST, to the page the form was on)."""
    target = path + (f"?{query}" if query else "")
    if method != "GET":
        target = back_link(path)
    return f"/login?next={quote(target, safe='')}"


def install(app: FastAPI) -> None:
    async def on_login_required(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return render_error(request, 401, str(exc) or "sign in first")
        return RedirectResponse(login_location(request.url.path, request.url.query,
                                               request.method), status_code=303)

    async def on_known(request: Request, exc: Exception) -> Response:
        return render_error(request, status_for(exc), str(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = "there is no page at this address"
        return render_error(request, exc.status_code, detail)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        if is_api(request):
            return render_error(request, 422, "bad request: " + "; ".join(problems))
        # A page says what is wrong in words, without the API's field paths.
        return render_error(request, 422, page_problem(exc.errors()))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Starlette sends this answer from outside every middleware, so it carries the
        # security headers itself; it names nothing of the failure (the log has it).
        message = "something went wrong on the server; the error was logged"
        response: Response
        if is_api(request):
            response = SafeJSONResponse({"error": "internal server error", "detail": message},
                                        status_code=500)
        else:
            response = HTMLResponse(_PLAIN_500.format(message=escape(message)),
                                    status_code=500)
        https = bool(getattr(request.app.state, "https", False))
        for name, value in security_headers(request.url.path, https):
            response.headers[name] = value
        return response

    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(Forbidden, on_known)
    app.add_exception_handler(MonitorError, on_known)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
