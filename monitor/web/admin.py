"""HTML routes for admin actions and people: /users (admins add, disable and enable users),
/feeds/NAME/pause and /resume (admins stop and restart polling a feed), and /account (anyone
signed in issues their own API tokens, shown once, optionally expiring, and lists and revokes
them one by one; an API token cannot do either).

Every change is logged with the acting admin's name (a feed pause is also stored with it).
Passwords are hashed in monitor.web.auth; a new API token is rendered into the response once
and never put in the session cookie (which is signed, not encrypted). This module must not
touch review items.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from starlette.responses import RedirectResponse, Response

from monitor.errors import InputError
from monitor.review.accounts import User, check_role, check_username
from monitor.review.queries import MAX_ID
from monitor.web.auth import hash_password
from monitor.web.context import context_of
from monitor.web.deps import admin_user, check_csrf, current_user, session_user
from monitor.web.views import flash, render

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(check_csrf)])
AdminDep = Annotated[User, Depends(admin_user)]
UserDep = Annotated[User, Depends(current_user)]
SessionUserDep = Annotated[User, Depends(session_user)]
FormStr = Annotated[str, Form()]


def _users_page(request: Request, *, error: str | None = None, username: str = "",
                status_code: int = 200) -> Response:
    people = context_of(request).app.accounts.everyone()
    return render(request, "users.html", {"people": people, "error": error,
                                          "username": username}, status_code=status_code)


@router.get("/users", include_in_schema=False)
def users_page(request: Request, admin: AdminDep) -> Response:
    return _users_page(request)


@router.post("/users", include_in_schema=False)
def add_user(request: Request, admin: AdminDep, username: FormStr = "",
             role: FormStr = "reviewer", password: FormStr = "") -> Response:
    app = context_of(request).app
    username = username.strip()
    try:
        check_username(username)
        check_role(role)
        hashed = hash_password(password)
    except InputError as exc:
        # Shown on the form, so the admin can fix it without retyping everything.
        return _users_page(request, error=str(exc), username=username[:64], status_code=400)
    created = app.accounts.create(username, hashed, role)
    log.info("%s added %s %s", admin.username, created.role, created.username)
    flash(request, f"Added {created.role} {created.username}.")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/disable", include_in_schema=False)
def disable_user(request: Request, username: str, admin: AdminDep) -> Response:
    return _set_disabled(request, username, admin, True)


@router.post("/users/{username}/enable", include_in_schema=False)
def enable_user(request: Request, username: str, admin: AdminDep) -> Response:
    return _set_disabled(request, username, admin, False)


def _set_disabled(request: Request, username: str, admin: User, disabled: bool) -> Response:
    if disabled and username == admin.username:
        raise InputError("you cannot disable yourself; ask another admin", key="username")
    context_of(request).app.accounts.set_disabled(username, disabled)
    what = "disabled (API tokens revoked)" if disabled else "enabled"
    log.info("%s %s user %s", admin.username, what, username)
    flash(request, f"{username} {what}.")
    return RedirectResponse("/users", status_code=303)


@router.post("/feeds/{name}/pause", include_in_schema=False)
def pause_feed(request: Request, name: str, admin: AdminDep, reason: FormStr = "") -> Response:
    # An unknown name raises ConfigError (no such feed in the config): a 400 page naming
    # the configured feeds.
    state, changed = context_of(request).app.pause_feed(name, admin.username, reason)
    if changed:
        log.info("%s paused feed %s (%s)", admin.username, name, state.pause_reason or "")
        flash(request, f"Paused {name}: it is not polled until someone resumes it.")
    else:
        flash(request, f"{name} was already paused by {state.paused_by}.", "info")
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/{name}/resume", include_in_schema=False)
def resume_feed(request: Request, name: str, admin: AdminDep) -> Response:
    _state, changed = context_of(request).app.resume_feed(name, admin.username)
    if changed:
        log.info("%s resumed feed %s", admin.username, name)
        flash(request, f"Resumed {name}: it is polled again from where it stopped.")
    else:
        flash(request, f"{name} was not paused.", "info")
    return RedirectResponse("/feeds", status_code=303)


def _account_page(request: Request, user: User, new_token: str | None = None,
                  status_code: int = 200) -> Response:
    tokens = context_of(request).app.accounts.tokens(user.id)
    return render(request, "account.html", {"new_token": new_token, "tokens": tokens},
                  status_code=status_code)


@router.get("/account", include_in_schema=False)
def account_page(request: Request, user: UserDep) -> Response:
    return _account_page(request, user)


MAX_TOKEN_DAYS = 3650


def token_expiry(days: str, now: datetime) -> datetime | None:
    """`expires_days` from the form: empty for never, else 1-3650 whole days."""
    days = days.strip()
    if not days:
        return None
    if not days.isdigit() or not 1 <= int(days) <= MAX_TOKEN_DAYS:
        raise InputError(f"a token expires after 1 to {MAX_TOKEN_DAYS} whole days (or leave "
                         f"it empty for never), not {days[:12]!r}", key="expires_days")
    return now + timedelta(days=int(days))


@router.post("/account/tokens", include_in_schema=False)
def new_token(request: Request, user: SessionUserDep, label: FormStr = "api",
              expires_days: FormStr = "") -> Response:
    app = context_of(request).app
    now = app.clock()
    expires = token_expiry(expires_days, now)
    token = app.accounts.issue_token(user.id, label, expires)
    log.info("%s issued an API token (%s, expires %s)", user.username,
             label.strip()[:64] or "api", expires.isoformat() if expires else "never")
    return _account_page(request, user, new_token=token)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(request: Request, token_id: Annotated[int, Path(ge=1, le=MAX_ID)],
                 user: SessionUserDep) -> Response:
    gone = context_of(request).app.accounts.revoke_token(token_id, user.id)
    log.info("%s revoked API token %d (%s)", user.username, gone.id, gone.label)
    flash(request, f"Revoked token {gone.id} ({gone.label}).")
    return RedirectResponse("/account", status_code=303)
