"""The JSON API under /api/: list and get items, approve, reject, edit, redraft, relabel,
live checks.

Authenticated by `Authorization: Bearer <token>` (see `complaint-monitor users token`) or by
the session cookie plus an `X-CSRF-Token` header (the pages' own fetch calls). Items use the
contract's JSON shape (QueueItem.as_dict). The OpenAPI document is served at
/api/openapi.json, behind sign-in. Handlers call the Reviewer; errors go to monitor.web.errors.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from monitor.model import Label
from monitor.review.accounts import User
from monitor.review.actions import mention_of
from monitor.review.queries import MAX_ID
from monitor.web.context import context_of
from monitor.web.deps import check_csrf, current_user
from monitor.web.jsonresp import SafeJSONResponse
from monitor.web.views import (
    ItemId,
    check_below,
    decode_cursor,
    encode_cursor,
    length_of,
    parse_filter,
)

router = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)],
                   default_response_class=SafeJSONResponse, tags=["review"])
UserDep = Annotated[User, Depends(current_user)]
MAX_LIMIT = 500


class ApproveBody(BaseModel):
    version: int | None = Field(None, description="The item version you reviewed; a stale "
                                                  "one gets 409 instead of an overwrite.")
    text: str | None = Field(None, description="Approve this text instead of the draft "
                                               "(saved as an edit first).")
    force: bool = Field(False, description="Approve although the draft fails its checks.")


class RejectBody(BaseModel):
    version: int | None = None
    reason: str = Field("", max_length=2000)


class EditBody(BaseModel):
    version: int | None = None
    text: str = Field(..., min_length=1, max_length=20_000)


class RedraftBody(BaseModel):
    version: int | None = None
    variant: int | None = Field(None, ge=0, description="A wording index; default: the next "
                                                         "unused wording.")


class RelabelBody(BaseModel):
    version: int | None = Field(None, description="The item version you reviewed; a stale "
                                                  "one gets 409 instead of an overwrite.")
    label: Label = Field(..., description="The reviewer's label (its confidence becomes 1.0). "
                                          "The reply is drafted again from its templates; "
                                          "neutral skips the item.")


class CheckBody(BaseModel):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    text: str = Field(..., max_length=20_000)


LABELS = [label.value for label in Label]


def _item_json(request: Request, item_id: int) -> dict[str, Any]:
    return context_of(request).app.queries.detail(item_id).api_dict(check_below(request))


@router.get("/items", summary="List review items, most urgent first (keyset paged)")
def list_items(
    request: Request, user: UserDep,
    status: Annotated[str, Query(description="pending (default), all, or a status")] = "pending",
    label: Annotated[str | None, Query(description="Only items with this label",
                                       json_schema_extra={"enum": LABELS})] = None,
    topic: str | None = None, feed: str | None = None,
    q: Annotated[str | None, Query(description="Text in the mention or author")] = None,
    check_label: Annotated[bool, Query(
        description="Only pending or skipped items whose confidence is under [classifier] "
                    "check_below (the ones marked `check_label`)")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    after: Annotated[str | None, Query(description="`next` from the previous page")] = None,
) -> dict[str, Any]:
    below = check_below(request)
    filters = parse_filter({"status": status, "label": label or "", "topic": topic or "",
                            "feed": feed or "", "q": q or "",
                            "check_label": "1" if check_label else ""}, below)
    page = context_of(request).app.queries.page(filters, decode_cursor(after), limit=limit)
    return {"items": page.as_dicts(below), "next": encode_cursor(page.next_after)}


@router.get("/items/{item_id}", summary="One item in full, with its history")
def get_item(request: Request, item_id: ItemId, user: UserDep) -> dict[str, Any]:
    return _item_json(request, item_id)


@router.post("/items/{item_id}/approve", summary="Approve the draft (or a given text)")
def approve(request: Request, item_id: ItemId, body: ApproveBody, user: UserDep) -> dict[str, Any]:
    context_of(request).app.reviewer().approve(
        item_id, by=user.username, version=body.version, text=body.text, force=body.force)
    return _item_json(request, item_id)


@router.post("/items/{item_id}/reject", summary="Reject, with an optional reason")
def reject(request: Request, item_id: ItemId, body: RejectBody, user: UserDep) -> dict[str, Any]:
    context_of(request).app.reviewer().reject(
        item_id, by=user.username, reason=body.reason, version=body.version)
    return _item_json(request, item_id)


@router.post("/items/{item_id}/edit", summary="Save a new draft text")
def edit(request: Request, item_id: ItemId, body: EditBody, user: UserDep) -> dict[str, Any]:
    context_of(request).app.reviewer().edit(
        item_id, by=user.username, text=body.text, version=body.version)
    return _item_json(request, item_id)


@router.post("/items/{item_id}/redraft", summary="Draft another wording")
def redraft(request: Request, item_id: ItemId, body: RedraftBody,
            user: UserDep) -> dict[str, Any]:
    context_of(request).app.reviewer().redraft(
        item_id, by=user.username, variant=body.variant, version=body.version)
    return _item_json(request, item_id)


@router.post("/items/{item_id}/relabel",
             summary="Relabel a pending or skipped item (the classifier's label is kept)")
def relabel(request: Request, item_id: ItemId, body: RelabelBody,
            user: UserDep) -> dict[str, Any]:
    context_of(request).app.reviewer().relabel(
        item_id, by=user.username, label=body.label, version=body.version)
    return _item_json(request, item_id)


@router.post("/check", summary="Length and safety checks of a reply text, as typed")
def check(request: Request, body: CheckBody, user: UserDep) -> dict[str, Any]:
    app = context_of(request).app
    item = app.queries.item(body.item_id)
    text = body.text.replace("\r\n", "\n").strip()
    out = length_of(text, item)
    out["violations"] = list(app.drafter.check(text, mention_of(item))) if text else [
        "A reply cannot be empty"]
    return out


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, user: UserDep) -> dict[str, Any]:
    doc: dict[str, Any] = get_openapi(
        title="complaint-monitor review API", version="1",
        description="Review items: list, get, approve, reject, edit, redraft, relabel. "
                    "Authenticate "
                    "with `Authorization: Bearer <token>` (`complaint-monitor users token "
                    "NAME`). A stale `version` gets 409.",
        routes=router.routes,
    )
    doc.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
    return doc
