"""`incidents list/show/confirm/resolve/dismiss`: widespread problems from the shell.

Exit codes as elsewhere: 0 done; 1 no such incident, or not allowed in its status; 2 bad
input (an empty or too long summary, a status link not on the allowed list, an unknown
status).
"""

from __future__ import annotations

import click

from monitor.app import App
from monitor.cli.base import emit_json, emit_table, one_line
from monitor.cli.opening import pass_app

STATUSES = ["open", "all", "suggested", "confirmed", "resolved", "dismissed"]


@click.group()
def incidents() -> None:
    """Widespread problems: suggested by detection, confirmed, resolved or dismissed."""


@incidents.command("list")
@click.option("--status", default="all", type=click.Choice(STATUSES), show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@pass_app()
def incidents_list(app: App, status: str, fmt: str) -> None:
    """Incidents, newest first."""
    found = app.incidents.listing(status)
    if fmt == "json":
        emit_json([i.as_dict() for i in found])
        return
    if not found:
        click.echo("no incidents")
        return
    emit_table([[str(i.id), i.status, i.topic, one_line(", ".join(i.terms), 30),
                 str(i.count), ",".join(i.networks), f"{i.first_seen:%Y-%m-%d %H:%M}",
                 f"{i.last_seen:%Y-%m-%d %H:%M}", f"{i.rate:g}/{i.baseline:g}"]
                for i in found],
               ["ID", "STATUS", "TOPIC", "TERMS", "POSTS", "NETWORKS", "FIRST (UTC)",
                "LATEST (UTC)", "RATE/USUAL"])


@incidents.command("show")
@click.argument("incident_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_app()
def incidents_show(app: App, incident_id: int, fmt: str) -> None:
    """One incident: its terms, rate, examples, mentions and history."""
    incident = app.incidents.get(incident_id)
    if fmt == "json":
        emit_json(incident.as_dict())
        return
    click.echo(f"#{incident.id}  {incident.status}  topic {incident.topic}  "
               f"terms {', '.join(incident.terms)}")
    click.echo(f"{incident.count} posts on {', '.join(incident.networks)}, "
               f"{incident.first_seen:%Y-%m-%d %H:%M} to {incident.last_seen:%Y-%m-%d %H:%M}"
               f" UTC; {incident.rate:g} authors in a window (usually {incident.baseline:g})")
    if incident.summary:
        click.echo(f"summary: {incident.summary}")
    if incident.status_url:
        click.echo(f"status link: {incident.status_url}")
    for text in incident.examples:
        click.echo(f"  e.g. {one_line(text, 100)}")
    click.echo(f"items: {' '.join(str(i) for i in incident.item_ids) or '-'}")
    for event in incident.events:
        click.echo(f"{event.at:%Y-%m-%d %H:%M} {event.action} by {event.actor}")


@incidents.command("confirm")
@click.argument("incident_id", type=int)
@click.option("--summary", required=True,
              help="One or two sentences: what is happening and what is being done.")
@click.option("--status-url", default=None,
              help="Where updates appear: one of [replies] status_url / support_url or "
                   "[incidents] status_links.")
@click.option("--by", default="cli", show_default=True, help="Who confirms (audit).")
@pass_app()
def incidents_confirm(app: App, incident_id: int, summary: str,
                      status_url: str | None, by: str) -> None:
    """Confirm an incident: its pending drafts are redrafted with transparency wording."""
    incident, redrafted = app.incidents.confirm(incident_id, by=by, summary=summary,
                                                status_url=status_url)
    click.echo(f"incident {incident.id} confirmed; {redrafted} pending drafts redrafted")


@incidents.command("resolve")
@click.argument("incident_id", type=int)
@click.option("--by", default="cli", show_default=True, help="Who resolves (audit).")
@pass_app()
def incidents_resolve(app: App, incident_id: int, by: str) -> None:
    """Resolve a confirmed incident: a follow-up draft for each author, for review."""
    incident, count = app.incidents.resolve(incident_id, by=by)
    click.echo(f"incident {incident.id} resolved; {count} follow-up drafts queued for "
               "review")


@incidents.command("dismiss")
@click.argument("incident_id", type=int)
@click.option("--reason", default="", help="Why it is not an incident (audit).")
@click.option("--by", default="cli", show_default=True, help="Who dismisses (audit).")
@pass_app()
def incidents_dismiss(app: App, incident_id: int, reason: str, by: str) -> None:
    """Dismiss a suggested incident (not a real widespread problem)."""
    incident = app.incidents.dismiss(incident_id, by=by, reason=reason)
    click.echo(f"incident {incident.id} dismissed")


COMMANDS = (incidents,)
