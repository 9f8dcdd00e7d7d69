"""The web app factory: builds the FastAPI application around one monitor App.

Wires middleware (monitor.web.guards: security headers, body limit, sign-in before any body
is read; the signed
session cookie), templates, static files, the
page and API routers and the one error handler. Holds no global state: everything a request
needs hangs off `fastapi_app.state.web` (a WebContext, monitor.web.context). Nothing in
monitor.web imports this module, so it imports the routers at the top. This module must not
contain route logic or review rules.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import TimestampSigner
from starlette.middleware.sessions import SessionMiddleware

from monitor.app import App
from monitor.web import (
    admin,
    answers,
    api,
    errors,
    filters,
    guards,
    incidents,
    insights,
    metrics_route,
    pages,
)
from monitor.web.auth import Authenticator
from monitor.web.context import WebContext

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SESSION_COOKIE = "cm_session"


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
    fastapi_app.state.https = web.https  # for the 500 page, sent outside the middleware
    fastapi_app.state.web = WebContext(
        app=app, templates=build_templates(), auth=Authenticator.build(app.accounts),
        page_size=max(5, min(web.page_size, 500)),
        device_signer=TimestampSigner(secret_key, salt="cm-device"),
    )

    # Added innermost first. From the outside in: security headers on every answer, the
    # body-size limit (before anything reads the body), the signed session cookie, then the
    # sign-in check (before any route reads a body: every API request, every page POST but
    # /login).
    fastapi_app.add_middleware(guards.SignInFirst)
    fastapi_app.add_middleware(
        SessionMiddleware, secret_key=secret_key, session_cookie=SESSION_COOKIE,
        max_age=int(web.session_hours * 3600), same_site="lax", https_only=web.https,
    )
    fastapi_app.add_middleware(guards.BodyLimit, limit=web.max_body_bytes)
    fastapi_app.add_middleware(guards.SecurityHeaders, https=web.https)
    fastapi_app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(fastapi_app)
    fastapi_app.include_router(pages.router)
    fastapi_app.include_router(insights.router)
    fastapi_app.include_router(admin.router)
    fastapi_app.include_router(answers.router)
    fastapi_app.include_router(api.router)
    fastapi_app.include_router(incidents.router)
    fastapi_app.include_router(incidents.api)
    fastapi_app.include_router(metrics_route.router)
    return fastapi_app

