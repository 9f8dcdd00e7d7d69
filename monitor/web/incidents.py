"""Incident pages and API: /incidents (the list), /incidents/ID (facts, example posts, its
mentions, history, and the confirm / dismiss / resolve forms), and /api/incidents.

Anyone signed in sees them; confirming, dismissing and resolving are for admins (the
managers who speak for the brand), each a CSRF-checked POST recorded with their name. The
lifecycle itself lives in monitor.incidents.service; this module must not change items
directly.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from monitor.review.accounts import User
from monitor.web.context import context_of
from monitor.web.deps import admin_user, check_csrf, current_user
from monitor.web.jsonresp import SafeJSONResponse
from monitor.web.views import IncidentId, flash, render

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(check_csrf)])
api = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)],
                default_response_class=SafeJSONResponse, tags=["incidents"])
UserDep = Annotated[User, Depends(current_user)]
AdminDep = Annotated[User, Depends(admin_user)]
FormStr = Annotated[str, Form()]


def open_incidents(request: Request) -> list[Any]:
    """The open incidents for the queue's banner ([] if they cannot be read: the queue must
    still show)."""
    try:
        found: list[Any] = context_of(request).app.incidents.open()
        return found
    except Exception:
        log.exception("could not read the open incidents for the banner")
        return []


@router.get("/incidents", include_in_schema=False)
def incidents_page(request: Request, user: UserDep) -> Response:
    found = context_of(request).app.incidents.listing("all")
    return render(request, "incidents.html", {"incidents": found})


@router.get("/incidents/{incident_id}", include_in_schema=False)
def incident_page(request: Request, incident_id: IncidentId, user: UserDep) -> Response:
    app = context_of(request).app
    incident = app.incidents.get(incident_id)
    items = app.queries.items(incident.item_ids[:500])
    return render(request, "incident.html", {
        "incident": incident, "items": items, "links": app.incidents.allowed_links()})


@router.post("/incidents/{incident_id}/confirm", include_in_schema=False)
def confirm(request: Request, incident_id: IncidentId, admin: AdminDep, summary: FormStr = "",
            status_url: FormStr = "") -> Response:
    incident, redrafted = context_of(request).app.incidents.confirm(
        incident_id, by=admin.username, summary=summary, status_url=status_url or None)
    log.info("%s confirmed incident %s", admin.username, incident_id)
    flash(request, f"Incident {incident.id} confirmed: {redrafted} pending drafts now say "
                   "what is happening.")
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/dismiss", include_in_schema=False)
def dismiss(request: Request, incident_id: IncidentId, admin: AdminDep,
            reason: FormStr = "") -> Response:
    context_of(request).app.incidents.dismiss(incident_id, by=admin.username, reason=reason)
    log.info("%s dismissed incident %s", admin.username, incident_id)
    flash(request, f"Incident {incident_id} dismissed.")
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/resolve", include_in_schema=False)
def resolve(request: Request, incident_id: IncidentId, admin: AdminDep) -> Response:
    _incident, count = context_of(request).app.incidents.resolve(incident_id,
                                                                 by=admin.username)
    log.info("%s resolved incident %s", admin.username, incident_id)
    flash(request, f"Incident {incident_id} resolved: {count} follow-up drafts are in the "
                   "queue for review.")
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


# --- JSON API ----------------------------------------------------------------------------


class ConfirmBody(BaseModel):
    summary: str = Field(..., max_length=2000,
                         description="One or two sentences: what is happening, what is done.")
    status_url: str | None = Field(None, description="One of the allowed status links.")


class DismissBody(BaseModel):
    reason: str = Field("", max_length=500)


@api.get("/incidents", summary="Incidents, newest first")
def api_list(request: Request, user: UserDep,
             status: Annotated[str, Query()] = "all") -> dict[str, Any]:
    found = context_of(request).app.incidents.listing(status)
    return {"incidents": [i.as_dict() for i in found]}


@api.get("/incidents/{incident_id}", summary="One incident, with its history")
def api_get(request: Request, incident_id: IncidentId, user: UserDep) -> dict[str, Any]:
    result: dict[str, Any] = context_of(request).app.incidents.get(incident_id).as_dict()
    return result


@api.post("/incidents/{incident_id}/confirm", summary="Confirm (admins)")
def api_confirm(request: Request, incident_id: IncidentId, body: ConfirmBody,
                admin: AdminDep) -> dict[str, Any]:
    incident, redrafted = context_of(request).app.incidents.confirm(
        incident_id, by=admin.username, summary=body.summary, status_url=body.status_url)
    return {**incident.as_dict(), "redrafted": redrafted}


@api.post("/incidents/{incident_id}/dismiss", summary="Dismiss a suggestion (admins)")
def api_dismiss(request: Request, incident_id: IncidentId, body: DismissBody,
                admin: AdminDep) -> dict[str, Any]:
    result: dict[str, Any] = context_of(request).app.incidents.dismiss(
        incident_id, by=admin.username, reason=body.reason).as_dict()
    return result


@api.post("/incidents/{incident_id}/resolve", summary="Resolve, queueing follow-ups (admins)")
def api_resolve(request: Request, incident_id: IncidentId, admin: AdminDep) -> dict[str, Any]:
    incident, count = context_of(request).app.incidents.resolve(incident_id,
                                                                by=admin.username)
    return {**incident.as_dict(), "follow_ups": count}
