"""`queue relabel` and `labels export`: correct the classifier's label, and take the
corrections out as an evaluation (or training) set.

`queue relabel` joins the `queue` group that monitor.cli.queue_cmds defines (this module is
registered after it). `labels export` writes the JSON lines `complaint-monitor eval --input FILE
--label-field label` reads. Neither implements review rules: that is monitor.review.
"""

from __future__ import annotations

import click

from monitor.cli.base import CliState, emit_csv, emit_json, emit_jsonl, pass_state
from monitor.cli.queue_cmds import LABELS

EXPORT_COLUMNS = ["id", "text", "label", "classifier_label", "by", "at"]


def register(cli: click.Group) -> None:
    queue = cli.commands.get("queue")
    if not isinstance(queue, click.Group):
        raise RuntimeError("monitor.cli.queue_cmds must be registered before relabel_cmds")

    @queue.command("relabel")
    @click.argument("item_id", type=int)
    @click.argument("label", type=click.Choice(LABELS))
    @click.option("--version", "version", type=int, default=None,
                  help="The item version you looked at; a newer one refuses the change.")
    @click.option("--by", default="cli", show_default=True, help="Who relabels (for the audit).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  show_default=True)
    @pass_state
    def queue_relabel(state: CliState, item_id: int, label: str, version: int | None, by: str,
                      fmt: str) -> None:
        """Give a pending or skipped item another label (a decided one is reopened first).

        The reply is drafted again from the new label's templates and the priority moves to
        its band; relabelled neutral, the item is skipped. The classifier's label is kept.
        """
        from monitor.app import open_app
        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            item = app.reviewer().relabel(item_id, by=by, label=label, version=version)
            last = app.queries.detail(item.id).relabel
        if last is None:  # pragma: no cover - the relabel above was just recorded
            raise RuntimeError(f"item {item.id} has no relabel in its history")
        if fmt == "json":
            emit_json({**item.as_dict(state.settings.classifier.check_below),
                       "classifier_label": item.classifier_label,
                       "classifier_confidence": item.classifier_confidence,
                       "relabelled": last.as_dict()})
            return
        draft = f"draft {item.draft.template}" if item.draft else "no draft"
        click.echo(f"#{item.id} relabelled {last.from_label} -> {item.label}  {item.status}  "
                   f"priority {item.priority:.2f}  {draft}  (classifier: {item.classifier_label}, "
                   f"version {item.version})")

    @cli.group()
    def labels() -> None:
        """Reviewers' labels: the classifier's mistakes they corrected, and the labels they
        approved as they stood."""

    @labels.command("export")
    @click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
                  show_default=True)
    @pass_state
    def labels_export(state: CliState, fmt: str) -> None:
        """Every item a reviewer relabelled or approved as labelled: id, text, label (the
        reviewer's), classifier_label, by, at. The JSON lines are what `complaint-monitor eval
        --input FILE --label-field label` reads, and what scripts/train_learned.py
        --extra-labels adds to its training rows."""
        from monitor.app import open_app
        from monitor.store import labels as store_labels
        with open_app(state.settings, environ=state.environ) as app:
            app.migrate()
            with app.engine.connect() as conn:
                rows = (r.as_dict() for r in store_labels.export(conn))
                if fmt == "csv":
                    emit_csv(list(rows), EXPORT_COLUMNS)
                else:
                    emit_jsonl(rows)
