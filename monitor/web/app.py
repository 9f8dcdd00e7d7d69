"""The web app factory: builds the FastAPI application around one monitor App.

Wires middleware (signed session cookie, security headers), templates, static files, the
page and API routers and the one error handler. Holds no global state: everything a request
needs hangs off `fastapi_app.state.web` (a WebContext). This module must not contain route
logic or review rules.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from monitor.app import App
from monitor.web import filters
from monitor.web.auth import Authenticator

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SESSION_COOKIE = "cm_session"

# Scripts and styles only from this server: a hostile mention that slipped past escaping
# still could not run inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")


@dataclass
class WebContext:
    """What every request handler needs; one per FastAPI application."""

    app: App
    templates: Jinja2Templates
    auth: Authenticator
    page_size: int


def session_secret(app: App) -> tuple[str, bool]:
    """(key, from_env): the signing key from the configured environment variable, or a random
    per-process key (sessions then end when the process restarts)."""
    name = app.settings.web.secret_key_env
    value = app.environ.get(name, "")
    if value:
        return value, True
    return secrets.token_urlsafe(48), False


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    # Autoescape every template (Jinja2Templates does for .html; be explicit regardless).
    env.autoescape = True
    env.filters.update(filters.FILTERS)
    return templates


def create_app(app: App, *, secret_key: str | None = None) -> FastAPI:
    """The ASGI application serving the review pages and the JSON API for `app`."""
    from monitor.web import admin, answers, api, errors, insights, metrics_route, pages

    if secret_key is None:
        secret_key, from_env = session_secret(app)
        if not from_env:
            log.warning("%s is not set: using a random session key, so everyone is signed out "
                        "when the server restarts", app.settings.web.secret_key_env)
    web = app.settings.web
    fastapi_app = FastAPI(
        title="complaint-monitor review API",
        version="1",
        docs_url=None, redoc_url=None, openapi_url=None,  # served behind login by api.py
    )
    fastapi_app.state.web = WebContext(
        app=app, templates=build_templates(), auth=Authenticator.build(app.engine),
        page_size=max(5, min(web.page_size, 500)),
    )

    @fastapi_app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        return response

    fastapi_app.add_middleware(
        SessionMiddleware, secret_key=secret_key, session_cookie=SESSION_COOKIE,
        max_age=int(web.session_hours * 3600), same_site="lax", https_only=web.https,
    )
    fastapi_app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(fastapi_app)
    fastapi_app.include_router(pages.router)
    fastapi_app.include_router(insights.router)
    fastapi_app.include_router(admin.router)
    fastapi_app.include_router(answers.router)
    fastapi_app.include_router(api.router)
    fastapi_app.include_router(metrics_route.router)
    return fastapi_app


def context_of(request: Request) -> WebContext:
    web: WebContext = request.app.state.web
    return web
