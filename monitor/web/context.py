"""The request context: what every handler of the web app needs (the monitor App, the page
templates, the authenticator, the page size, the signer of the "this browser signed in
before" cookie), hung off `fastapi_app.state.web` by
`create_app` and read back with `context_of(request)`.

The routers, the shared dependencies (monitor.web.deps) and the views import this module
instead of monitor.web.app, which imports them: so no module in monitor.web imports one that
imports it back. This module must not import any other module of monitor.web but auth.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.templating import Jinja2Templates
from itsdangerous import TimestampSigner

from monitor.app import App
from monitor.web.auth import Authenticator


@dataclass
class WebContext:
    """What every request handler needs; one per FastAPI application."""

    app: App
    templates: Jinja2Templates
    auth: Authenticator
    page_size: int
    device_signer: TimestampSigner


def context_of(request: Request) -> WebContext:
    """The WebContext of the application serving `request`."""
    web: WebContext = request.app.state.web
    return web
