"""HTML route for saving an approved reply as a saved answer (the item page's "Save as
answer" form): POST with the CSRF token, by any signed-in reviewer or admin.

The answer goes to the database (table saved_answers), not to the brand's answers file: every
daemon sharing the database uses it at once, and `complaint-monitor replies answers --format
toml` prints it for the file. The handler parses the form and calls the Reviewer; it holds no
rules of its own.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from monitor.review.accounts import User
from monitor.web.context import context_of
from monitor.web.deps import check_csrf, current_user
from monitor.web.views import ItemId, filter_query, flash, parse_filter

router = APIRouter(dependencies=[Depends(check_csrf)])
UserDep = Annotated[User, Depends(current_user)]
MAX_FIELD = 4000


def _lines(value: str, *, separators: str = "\n") -> list[str]:
    text = value[:MAX_FIELD]
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [part.strip() for part in text.split(separators[0]) if part.strip()][:20]


@router.post("/items/{item_id}/save-answer", include_in_schema=False)
def save_answer(request: Request, item_id: ItemId, user: UserDep,
                examples: Annotated[str, Form()] = "",
                keywords: Annotated[str, Form()] = "",
                nav: Annotated[str, Form()] = "") -> Response:
    app = context_of(request).app
    answer_id = app.reviewer().save_answer(
        item_id, by=user.username, examples=_lines(examples),
        keywords=_lines(keywords, separators="\n,"), replies=app.settings.replies)
    flash(request, f"Saved as answer {answer_id}: questions like this one now get it as "
                   "their draft.")
    query = filter_query(parse_filter(dict(parse_qsl(nav[:1000]))))
    return RedirectResponse(f"/items/{item_id}" + (f"?{query}" if query else ""),
                            status_code=303)
