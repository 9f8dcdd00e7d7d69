"""HTML routes: sign-in, the queue, one item and its review actions (POST, then redirect).

Handlers stay thin: they parse the form, call monitor.review.actions.Reviewer, and redirect;
failures propagate to monitor.web.errors. Every POST passes the CSRF check. The item's
version the page was rendered with is sent back, so a second reviewer gets a 409, never a
silent overwrite. This module must not implement review rules itself.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from monitor.model import CHECK_LABEL_BELOW, Label, Status
from monitor.review.accounts import User
from monitor.review.queries import COUNT_CAP, QueueFilter, QueueItem
from monitor.review.state import allowed_actions
from monitor.web.auth import (
    DEVICE_COOKIE,
    DEVICE_DAYS,
    SESSION_USER,
    device_cookie,
    device_knows,
    end_session,
    session_is_current,
    start_session,
)
from monitor.web.context import context_of
from monitor.web.deps import check_csrf, current_user
from monitor.web.incidents import open_incidents
from monitor.web.jsonresp import SafeJSONResponse
from monitor.web.views import (
    ItemId,
    check_below,
    decode_cursor,
    encode_cursor,
    filter_params,
    filter_query,
    flash,
    length_of,
    parse_filter,
    render,
)

router = APIRouter(dependencies=[Depends(check_csrf)])
UserDep = Annotated[User, Depends(current_user)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never //host or a full URL (no open redirect after login)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> Response:
    with context_of(request).app.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return SafeJSONResponse({"status": "ok"})


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None,
                                          "username": ""})


@router.post("/login", include_in_schema=False)
def login(request: Request, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    web = context_of(request)
    # The socket peer, or the client a trusted proxy forwarded: uvicorn, set up in
    # monitor.web.server, reads X-Forwarded-For only from [web] trusted_proxies (none by
    # default) and rewrites this for us.
    client = request.client.host if request.client else None
    name = username.strip()
    known = device_knows(web.device_signer, request.cookies.get(DEVICE_COOKIE), name)
    result = web.auth.login(name, password, web.app.clock(), client=client,
                            known_device=known)
    if result.user is None:
        response = render(request, "login.html",
                          {"next": _safe_next(next), "error": result.message,
                           "username": username.strip()[:64]},
                          status_code=401 if result.retry_after is None else 429)
        if result.retry_after is not None:
            response.headers["Retry-After"] = str(result.retry_after)
        return response
    start_session(request, result.user)
    response = _see(_safe_next(next))
    response.set_cookie(DEVICE_COOKIE, device_cookie(web.device_signer, result.user.username),
                        max_age=DEVICE_DAYS * 86400, httponly=True, samesite="lax",
                        secure=web.app.settings.web.https)
    return response


@router.get("/logout", include_in_schema=False)
def logout_form(request: Request, user: UserDep) -> Response:
    return render(request, "logout.html", {})


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Ends the user's sessions on the server (every browser: the session generation is
    raised), not only this cookie, so a copied cookie is worthless afterwards."""
    uid = request.session.get(SESSION_USER)
    if isinstance(uid, int):
        context_of(request).app.accounts.sign_out(
            uid, lambda user: session_is_current(request, user))
    end_session(request)
    return _see("/login")


@router.get("/", include_in_schema=False)
def queue_page(request: Request, user: UserDep) -> Response:
    web = context_of(request)
    params = dict(request.query_params)
    filters = parse_filter(params, check_below(request))
    after = decode_cursor(params.get("after"))
    queries = web.app.queries
    page = queries.page(filters, after, limit=web.page_size, relabels=True)
    counts = queries.status_counts()
    base = filter_params(filters)
    next_link = None
    if page.next_after is not None:
        next_link = "/?" + urlencode({**base, "after": encode_cursor(page.next_after) or ""})
    return render(request, "queue.html", {
        "page": page, "filters": filters, "filter_values": base,
        "nav": filter_query(filters), "counts": counts, "next_link": next_link,
        "first_link": "/?" + urlencode(base) if after is not None else None,
        "status_value": base.get("status", "pending"), "count_cap": COUNT_CAP,
        "relabelled": page.relabelled, "open_incidents": open_incidents(request),
    })


def _nav_filter(nav: str, below: float = CHECK_LABEL_BELOW) -> QueueFilter:
    return parse_filter(dict(parse_qsl(nav[:1000])), below)


@router.get("/items/{item_id}", include_in_schema=False)
def item_page(request: Request, item_id: ItemId, user: UserDep) -> Response:
    web = context_of(request)
    filters = parse_filter(dict(request.query_params), check_below(request))
    detail = web.app.queries.detail(item_id, drafts=True, around=filters)
    item = detail.item
    text = item.draft.text if item.draft else ""
    actions = {a.value for a in allowed_actions(Status(item.status))}
    return render(request, "item.html", {
        "item": item, "prev_id": detail.prev_id, "next_id": detail.next_id,
        "events": detail.events, "drafts": detail.drafts, "length": length_of(text, item),
        "actions": actions,
        "nav": filter_query(filters), "filters": filters,
        "classifier_label": item.classifier_label, "relabel": detail.relabel,
        "publishing": web.app.settings.publish.enabled, "published": detail.attempt,
    })


def _after_decision(request: Request, item: QueueItem, nav: str, message: str,
                    return_to: str) -> Response:
    """Straight on to the next item in the same queue view (keyboard flow), else the queue;
    back to the queue page when the action was taken there."""
    web = context_of(request)
    filters = _nav_filter(nav, check_below(request))
    if return_to == "queue":
        flash(request, message)
        query = filter_query(filters)
        return _see("/" + (f"?{query}" if query else ""))
    prev_id, next_id = web.app.queries.neighbours(item, filters)
    flash(request, message)
    query = filter_query(filters)
    suffix = f"?{query}" if query else ""
    target = next_id or prev_id
    if target is not None and target != item.id:
        return _see(f"/items/{target}{suffix}")
    flash(request, "That was the last item in this view.", "info")
    return _see(f"/{suffix}")


FormStr = Annotated[str, Form()]
FormInt = Annotated[int | None, Form()]


@router.post("/items/{item_id}/approve", include_in_schema=False)
def approve(request: Request, item_id: ItemId, user: UserDep, version: FormInt = None,
            text: Annotated[str | None, Form()] = None, force: Annotated[str, Form()] = "",
            nav: FormStr = "", return_to: FormStr = "") -> Response:
    reviewer = context_of(request).app.reviewer()
    before = reviewer.get(item_id)
    changed = None
    if text is not None and before.draft is not None:
        cleaned = text.replace("\r\n", "\n").strip()
        changed = cleaned if cleaned != before.draft.text else None
    elif text is not None and text.strip():
        changed = text
    reviewer.approve(item_id, by=user.username, version=version, text=changed,
                     force=force == "1")
    return _after_decision(request, before, nav, f"Approved item {item_id}.", return_to)


@router.post("/items/{item_id}/reject", include_in_schema=False)
def reject(request: Request, item_id: ItemId, user: UserDep, version: FormInt = None,
           reason: FormStr = "", nav: FormStr = "", return_to: FormStr = "") -> Response:
    reviewer = context_of(request).app.reviewer()
    before = reviewer.get(item_id)
    reviewer.reject(item_id, by=user.username, reason=reason, version=version)
    return _after_decision(request, before, nav, f"Rejected item {item_id}.", return_to)


@router.post("/items/{item_id}/edit", include_in_schema=False)
def edit(request: Request, item_id: ItemId, user: UserDep, text: FormStr,
         version: FormInt = None, nav: FormStr = "") -> Response:
    item = context_of(request).app.reviewer().edit(item_id, by=user.username, text=text,
                                                   version=version)
    problems = item.draft.violations if item.draft else ()
    flash(request, "Draft saved." if not problems else
          "Draft saved, but it fails its checks: " + "; ".join(problems),
          "ok" if not problems else "warn")
    return _see(_item_url(item_id, nav))


@router.post("/items/{item_id}/redraft", include_in_schema=False)
def redraft(request: Request, item_id: ItemId, user: UserDep, version: FormInt = None,
            nav: FormStr = "") -> Response:
    context_of(request).app.reviewer().redraft(item_id, by=user.username, version=version)
    flash(request, "Another wording drafted.")
    return _see(_item_url(item_id, nav))


@router.post("/items/{item_id}/reopen", include_in_schema=False)
def reopen(request: Request, item_id: ItemId, user: UserDep, version: FormInt = None,
           nav: FormStr = "") -> Response:
    context_of(request).app.reviewer().reopen(item_id, by=user.username, version=version)
    flash(request, "Item back in the queue.")
    return _see(_item_url(item_id, nav))


@router.post("/items/{item_id}/relabel", include_in_schema=False)
def relabel(request: Request, item_id: ItemId, user: UserDep, label: FormStr,
            version: FormInt = None, nav: FormStr = "") -> Response:
    reviewer = context_of(request).app.reviewer()
    before = reviewer.get(item_id)
    item = reviewer.relabel(item_id, by=user.username, label=label, version=version)
    if item.label == Label.NEUTRAL:
        message = f"Relabelled neutral (was {before.label}): no reply needed, item skipped."
    else:
        message = f"Relabelled {item.label} (was {before.label}); the reply was drafted again."
    flash(request, message.replace("_", "-"))
    return _see(_item_url(item_id, nav))


@router.post("/items/{item_id}/publish", include_in_schema=False)
def publish(request: Request, item_id: ItemId, user: UserDep, nav: FormStr = "") -> Response:
    """Post an approved reply now instead of at the daemon's next round (same exactly-once
    path as `queue publish`; the outcome is flashed in the network's words)."""
    app = context_of(request).app
    if not app.settings.publish.enabled:
        flash(request, "Publishing replies is off ([publish] enabled = false).", "warn")
        return _see(_item_url(item_id, nav))
    [result] = app.publish([item_id])
    flash(request, f"{result.outcome.value.capitalize()}: {result.message}",
          "ok" if result.ok else "warn")
    return _see(_item_url(item_id, nav))


def _item_url(item_id: int, nav: str) -> str:
    query = filter_query(_nav_filter(nav))
    return f"/items/{item_id}" + (f"?{query}" if query else "")

