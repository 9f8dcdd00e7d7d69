"""HTML routes for /feeds (every configured feed's state) and /stats (server-drawn charts).

Read-only pages (/stats folds the rollups' pending deltas first); both need a signed-in
user. Feed state comes from `App.feed_states`, the numbers from `App.insights` and the
charts from monitor.web.stats. This module must not change data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from monitor.app import FeedState
from monitor.review.accounts import User
from monitor.web import stats
from monitor.web.context import context_of
from monitor.web.deps import check_csrf, current_user
from monitor.web.views import render

router = APIRouter(dependencies=[Depends(check_csrf)])
UserDep = Annotated[User, Depends(current_user)]


def _every(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


def state_word(s: FeedState | None, enabled: bool) -> tuple[str, str]:
    """(word, css class) for a feed's state; an operator's pause comes first."""
    if s is not None and s.paused:
        return "paused", "rate"
    if not enabled:
        return "disabled", "never"
    if s is None or s.last_poll_at is None:
        return "never polled", "never"
    if s.last_error:
        if (s.last_summary or {}).get("rate_limited"):
            return "waiting (rate limited)", "rate"
        return "failing", "failing"
    return "ok", "ok"


@router.get("/feeds", include_in_schema=False)
def feeds_page(request: Request, user: UserDep) -> Response:
    app = context_of(request).app
    stored = {s.name: s for s in app.feed_states()}
    rows: list[dict[str, Any]] = []
    for feed in app.settings.feeds:
        s = stored.get(feed.name)
        word, css = state_word(s, feed.enabled)
        summary = dict(s.last_summary or {}) if s else {}
        rows.append({
            "name": feed.name, "kind": feed.kind, "every": _every(feed.every),
            "state": word, "css": css, "s": s, "summary": summary,
        })
    return render(request, "feeds.html", {"rows": rows})


@router.get("/stats", include_in_schema=False)
def stats_page(request: Request, user: UserDep) -> Response:
    app = context_of(request).app
    now = app.clock()
    app.insights.fold_counts()
    charts = stats.charts(app.insights.numbers(now))
    return render(request, "stats.html", {
        "charts": charts, "days": stats.DAYS, "window": stats.DECISION_WINDOW_DAYS,
        "chart_labels": stats.LABELS,
    })
