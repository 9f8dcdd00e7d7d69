"""`complaint-monitor learn`: fit the brand's own classifier head from its reviewers' labels,
compare it with the current one on a held-back slice, and switch only when it is better.

Exit codes: 0 learned (switched or kept the current model, or a dry run); 2 too few labels,
or a config that cannot learn (not the "model" kind, no brand_head).
"""

from __future__ import annotations

import click

from monitor.app import App
from monitor.cli.base import emit_json
from monitor.cli.opening import pass_app
from monitor.review.learning import Outcome

EXIT_TOO_FEW = 2


@click.command()
@click.option("--min-labels", type=click.IntRange(min=2), default=50, show_default=True,
              help="Refuse (exit 2) with fewer reviewer labels than this.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--dry-run", is_flag=True,
              help="Fit and compare only: write no head and record no run.")
@pass_app()
def learn(app: App, min_labels: int, fmt: str, dry_run: bool) -> None:
    """Learn the brand from its reviewers: every relabel and the label of every approved
    item train the brand's own head (beside the shipped training posts); a fifth of those
    labels is held back, and the new head is used only when its macro-F1 there beats the
    current head's. It is written to [classifier] brand_head and each run is recorded
    beside it (brand-head.log.jsonl)."""
    report = app.learn(min_labels=min_labels, dry_run=dry_run)
    if fmt == "json":
        emit_json(report.as_dict())
    if report.outcome is Outcome.TOO_FEW:
        click.echo(f"error: {report.message()} (--min-labels)", err=True)
        raise SystemExit(EXIT_TOO_FEW)
    if fmt == "text":
        click.echo(report.message())


COMMANDS = (learn,)
