"""FastAPI dependencies: the signed-in user (session or API token), CSRF checking, admin rights.

Raises LoginRequired / Forbidden; monitor.web.errors turns those into redirects or HTTP
statuses. This module must not render anything itself.
"""

from __future__ import annotations

from fastapi import Depends, Request

from monitor.review.accounts import User
from monitor.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_USER,
    bearer_token,
    csrf_matches,
    session_is_current,
)
from monitor.web.context import context_of
from monitor.web.errors import Forbidden, LoginRequired

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def current_user(request: Request) -> User:
    """The user behind a Bearer token or the session cookie; LoginRequired otherwise."""
    cached = getattr(request.state, "user", None)
    if isinstance(cached, User):
        return cached
    web = context_of(request)
    token = bearer_token(request)
    user: User | None = None
    if token is not None:
        user = web.app.accounts.user_for_token(token)
        if user is None:
            raise LoginRequired("that API token is not valid")
        request.state.via_token = True
    else:
        uid = request.session.get(SESSION_USER)
        if isinstance(uid, int):
            user = web.app.accounts.by_id(uid)
            if user is None or user.disabled or not session_is_current(request, user):
                # A deleted or disabled user's old cookie signs nobody in, nor one from
                # before the user's last sign-out or password change (a replayed cookie).
                request.session.clear()
                user = None
        if user is None:
            raise LoginRequired("sign in first")
        request.state.via_token = False
    request.state.user = user
    return user


async def check_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request carrying the session cookie but no matching CSRF token.

    Requests authenticated by a Bearer token carry no ambient credentials, so a forged
    cross-site request cannot use them: they need no CSRF token.
    """
    if request.method in SAFE_METHODS or bearer_token(request) is not None:
        return
    given = request.headers.get(CSRF_HEADER)
    if not given:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not csrf_matches(request, given):
        raise Forbidden("the form's security token is missing or out of date: reload the page "
                        "and try again")


def session_user(request: Request,
                 user: User = Depends(current_user)) -> User:  # noqa: B008 (FastAPI idiom)
    """The user, signed in with a password in this browser: what an API token may not do
    (mint or revoke tokens) needs this."""
    if getattr(request.state, "via_token", False):
        raise Forbidden("an API token cannot do this: sign in to the review app instead")
    return user


def admin_user(user: User = Depends(current_user)) -> User:  # noqa: B008 (FastAPI idiom)
    if not user.is_admin:
        raise Forbidden("only an admin can do this")
    return user
