"""HTML routes for admin actions and people: /users (admins add, disable and enable users),
/feeds/NAME/pause and /resume (admins stop and restart polling a feed), and /account (anyone
issues their own API token, shown once).

Every change is logged with the acting admin's name (a feed pause is also stored with it).
Passwords are hashed in monitor.web.auth; a new API token is rendered into the response once
and never put in the session cookie (which is signed, not encrypted). This module must not
touch review items.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from monitor.errors import ConfigError
from monitor.store import users as store_users
from monitor.store.users import User
from monitor.web.auth import hash_password
from monitor.web.context import context_of
from monitor.web.deps import admin_user, check_csrf, current_user
from monitor.web.views import flash, render

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(check_csrf)])
AdminDep = Annotated[User, Depends(admin_user)]
UserDep = Annotated[User, Depends(current_user)]
FormStr = Annotated[str, Form()]


def _users_page(request: Request, *, error: str | None = None, username: str = "",
                status_code: int = 200) -> Response:
    with context_of(request).app.engine.connect() as conn:
        people = store_users.all_users(conn)
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
        store_users.check_username(username)
        store_users.check_role(role)
        hashed = hash_password(password)
    except ConfigError as exc:
        # Shown on the form, so the admin can fix it without retyping everything.
        return _users_page(request, error=str(exc), username=username[:64], status_code=400)
    with app.engine.begin() as conn:
        created = store_users.create(conn, username, hashed, role, app.clock())
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
        raise ConfigError("you cannot disable yourself; ask another admin", key="username")
    app = context_of(request).app
    with app.engine.begin() as conn:
        target = store_users.by_name(conn, username)
        store_users.set_disabled(conn, target.id, disabled)
        if disabled:
            store_users.revoke_tokens(conn, target.id)
    what = "disabled (API tokens revoked)" if disabled else "enabled"
    log.info("%s %s user %s", admin.username, what, username)
    flash(request, f"{username} {what}.")
    return RedirectResponse("/users", status_code=303)


@router.post("/feeds/{name}/pause", include_in_schema=False)
def pause_feed(request: Request, name: str, admin: AdminDep, reason: FormStr = "") -> Response:
    # An unknown name raises ConfigError: a 400 page naming the configured feeds.
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


@router.get("/account", include_in_schema=False)
def account_page(request: Request, user: UserDep) -> Response:
    return render(request, "account.html", {"new_token": None})


@router.post("/account/tokens", include_in_schema=False)
def new_token(request: Request, user: UserDep, label: FormStr = "api") -> Response:
    app = context_of(request).app
    with app.engine.begin() as conn:
        token = store_users.issue_token(conn, user.id, label, app.clock())
    log.info("%s issued an API token (%s)", user.username, label.strip()[:64] or "api")
    return render(request, "account.html", {"new_token": token})
