"""GET /metrics: this process's Prometheus metrics (monitor.metrics) in the text format.

Readable with the bearer token named by `[web] metrics_token_env` (for a Prometheus scrape
job) or by any signed-in user or API token; everyone else gets 401. Changes nothing.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from starlette.responses import Response

from monitor.metrics import CONTENT_TYPE
from monitor.web.auth import bearer_token
from monitor.web.context import context_of
from monitor.web.deps import current_user

router = APIRouter()


def _scrape_token_matches(request: Request) -> bool:
    app = context_of(request).app
    name = app.settings.web.metrics_token_env
    expected = app.environ.get(name, "") if name else ""
    given = bearer_token(request)
    return bool(expected and given and hmac.compare_digest(given.encode(), expected.encode()))


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    if not _scrape_token_matches(request):
        current_user(request)  # LoginRequired -> 401 for a token, a redirect for a browser
    body = context_of(request).app.metrics.render()
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
