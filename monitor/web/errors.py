"""The one place where failures become HTTP answers, for pages and for the API alike.

    LoginRequired      -> pages: 303 to /login?next=...   API: 401 (WWW-Authenticate: Bearer)
    Forbidden          -> 403 (missing CSRF token, not an admin)
    NotFound           -> 404
    Conflict           -> 409 (someone else changed the item first)
    InvalidTransition  -> 409 (not allowed in the item's state; the message says why)
    ConfigError        -> 400 (bad input such as a username)
    other MonitorError -> 400
    HTTP / validation  -> their own status, rendered the same way

Pages get an HTML error page; paths under /api/ (and /metrics) get JSON
`{"error": ..., "detail": ...}`.
This module must not contain review logic; messages come from the exceptions.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from monitor.errors import ConfigError, Conflict, InvalidTransition, MonitorError, NotFound
from monitor.web.jsonresp import SafeJSONResponse


def status_for(exc: Exception) -> int:
    from monitor.web.auth import Forbidden, LoginRequired

    if isinstance(exc, LoginRequired):
        return 401
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict | InvalidTransition):
        return 409
    if isinstance(exc, ConfigError | MonitorError):
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
    from monitor.web.views import render

    context: dict[str, Any] = {
        "status": status, "title": HTTPStatus(status).phrase, "message": message,
        "back": "/" if status == 404 else _back_link(request),
    }
    return render(request, "error.html", context, status_code=status)


def _back_link(request: Request) -> str:
    """Where 'go back' leads: the item page for item actions, else the queue."""
    parts = request.url.path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "items" and parts[1].isdigit():
        return f"/items/{parts[1]}"
    return "/"


def install(app: FastAPI) -> None:
    from monitor.web.auth import Forbidden, LoginRequired

    async def on_login_required(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return render_error(request, 401, str(exc) or "sign in first")
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method != "GET":
            target = _back_link(request)
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

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
        return render_error(request, 422, "bad request: " + "; ".join(problems))

    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(Forbidden, on_known)
    app.add_exception_handler(MonitorError, on_known)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
