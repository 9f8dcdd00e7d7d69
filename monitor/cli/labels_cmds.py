"""`labels export`: the reviewers' corrections of the classifier (`queue relabel`) and the
labels they approved as they stood, taken out as an evaluation (or training) set.

It writes the JSON lines `complaint-monitor eval --input FILE --label-field label` reads. It
implements no review rules: that is monitor.review.
"""

from __future__ import annotations

import click

from monitor.app import App
from monitor.cli.base import emit_csv, emit_jsonl
from monitor.cli.opening import pass_app

EXPORT_COLUMNS = ["id", "text", "label", "classifier_label", "by", "at"]


@click.group()
def labels() -> None:
    """Reviewers' labels: the classifier's mistakes they corrected, and the labels they
    approved as they stood."""


@labels.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@pass_app()
def labels_export(app: App, fmt: str) -> None:
    """Every item a reviewer relabelled or approved as labelled: id, text, label (the
    reviewer's), classifier_label, by, at. The JSON lines are what `complaint-monitor eval
    --input FILE --label-field label` reads, and what scripts/train_learned.py
    --extra-labels adds to its training rows."""
    rows = (r.as_dict() for r in app.queries.labelled())
    if fmt == "csv":
        emit_csv(list(rows), EXPORT_COLUMNS)
    else:
        emit_jsonl(rows)


COMMANDS = (labels,)
