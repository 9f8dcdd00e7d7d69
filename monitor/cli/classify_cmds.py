"""`classify` and `eval`: run the classifier on texts or labelled JSON lines, store nothing.

Input is read and validated in full before any output, so a bad line (not JSON, no text,
an unknown label) stops the command with one line naming the line number and exit code 2,
instead of half an output. Output shapes are the ones in contract.md. This module must not
touch the database or the drafter.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import click

from monitor.classify import BatchClassifier, Classifier, build_classifier
from monitor.classify import evaluate as E
from monitor.cli.base import CliState, emit_json, pass_state
from monitor.model import CHECK_LABEL_BELOW, Classification, ClassifyContext, Label

PROGRESS_MIN_ITEMS = 2000  # below this a progress bar is only noise
BATCH_CHUNK = 512  # records per classify_many call, for classifiers that batch
_FOUR = frozenset(label.value for label in Label)
_THREE = frozenset({"praise", "neutral", E.COMPLAINT})
_TWO = frozenset({E.COMPLAINT, E.NOT_COMPLAINT})
# json.dumps with keyword arguments builds a new encoder per call; build one, once.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class Record:
    id: Any
    text: str
    context: ClassifyContext | None
    gold: str | None = None


class BadInput(click.ClickException):
    """Bad input data: one line on stderr ("Error: --input: line 3: ..."), exit code 2."""

    exit_code = 2


def _bad(message: str) -> BadInput:
    return BadInput(f"--input: {message}")


def printable(text: str) -> str:
    """`text` with lone surrogates (valid in JSON's \\ud800 escapes, not in UTF-8) replaced,
    so that writing it to stdout cannot fail."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _context(obj: dict[str, Any], line: int) -> ClassifyContext | None:
    followers, age, platform = obj.get("author_followers"), obj.get("age_hours"), obj.get(
        "platform")
    if followers is None and age is None and platform is None:
        return None
    if followers is not None and (isinstance(followers, bool) or not isinstance(followers, int)):
        raise _bad(f"line {line}: \"author_followers\" must be a whole number")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int | float)):
        raise _bad(f"line {line}: \"age_hours\" must be a number")
    if platform is not None and not isinstance(platform, str):
        raise _bad(f"line {line}: \"platform\" must be a string")
    return ClassifyContext(platform=platform, author_followers=followers,
                           age_hours=None if age is None else float(age))


def parse_records(lines: Iterable[str], label_field: str | None = None) -> list[Record]:
    """JSON lines -> records; blank lines are skipped but still counted for line numbers."""
    records: list[Record] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise _bad(f"line {number}: not valid JSON ({exc.args[0].split(':')[0]})") from None
        if not isinstance(obj, dict):
            raise _bad(f"line {number}: expected a JSON object with a \"text\" field")
        text = obj.get("text")
        if not isinstance(text, str):
            raise _bad(f"line {number}: \"text\" is missing or not a string")
        gold = None
        if label_field is not None:
            value = obj.get(label_field)
            if not isinstance(value, str) or not value:
                raise _bad(f"line {number}: label field {label_field!r} is missing or not a "
                           "string")
            gold = value.strip().lower()
        rid = obj.get("id", number)
        if isinstance(rid, str):
            rid = printable(rid)
        records.append(Record(rid if rid is not None else number, text,
                              _context(obj, number), gold))
    return records


def _read(path: str) -> list[str]:
    try:
        if path == "-":
            return list(sys.stdin)
        with open(path, encoding="utf-8") as fh:
            return list(fh)
    except FileNotFoundError:
        raise _bad(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise _bad(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _bad(f"{path}: cannot read ({exc.strerror})") from None


def as_json(rid: Any, c: Classification, check_below: float = CHECK_LABEL_BELOW
            ) -> dict[str, Any]:
    """The `classify` object for one input (docs/contract.md): the shared contract's, with
    the label's confidence, the post's language and whether to check the label."""
    return {"id": rid, "label": c.label.value, "confidence": float(c.confidence),
            "language": c.language, "check_label": c.confidence < check_below,
            "sentiment": c.sentiment.as_dict(), "topic": c.topic, "priority": c.priority,
            "reasons": list(c.reasons)}


def jsonl_line(rid: Any, c: Classification, check_below: float = CHECK_LABEL_BELOW) -> str:
    """`json.dumps(as_json(rid, c))`, built directly: on 20,000 lines the generic encoder is a
    tenth of the command's time. Safe because label and topic are fixed identifiers and
    every score is a finite float (repr is valid JSON for those); strings go through dumps."""
    s = c.sentiment
    rid_json = str(rid) if type(rid) is int else _ENCODE(rid)
    check = "true" if c.confidence < check_below else "false"
    return (f'{{"id": {rid_json}, "label": "{c.label.value}", '
            f'"confidence": {float(c.confidence)!r}, "language": {_ENCODE(c.language)}, '
            f'"check_label": {check}, '
            f'"sentiment": {{"neg": {s.neg!r}, "neu": {s.neu!r}, "pos": {s.pos!r}, '
            f'"compound": {s.compound!r}}}, "topic": "{c.topic}", "priority": {c.priority!r}, '
            f'"reasons": {_ENCODE(c.reasons)}}}')


def run_all(classifier: Classifier, records: Sequence[Record]) -> Iterator[Classification]:
    """Classify in order, with a progress bar on stderr for long inputs on a terminal."""
    stderr = sys.stderr
    if isinstance(classifier, BatchClassifier):
        # A model that runs far faster on batches (the semantic one) gets the records in
        # chunks; the chunk bounds memory and keeps the progress bar and output moving.
        show = len(records) >= PROGRESS_MIN_ITEMS and stderr is not None and stderr.isatty()
        counter = click.progressbar(length=len(records), label="classifying", file=stderr,
                                    hidden=not show)
        with counter:
            for i in range(0, len(records), BATCH_CHUNK):
                chunk = records[i:i + BATCH_CHUNK]
                yield from classifier.classify_many([r.text for r in chunk],
                                                    [r.context for r in chunk])
                counter.update(len(chunk))
        return
    if len(records) >= PROGRESS_MIN_ITEMS and stderr is not None and stderr.isatty():
        with click.progressbar(records, label="classifying", file=stderr) as bar:
            for r in bar:
                yield classifier.classify(r.text, r.context)
        return
    classify = classifier.classify
    for r in records:
        yield classify(r.text, r.context)


def _text_line(rid: Any, c: Classification, text: str,
               check_below: float = CHECK_LABEL_BELOW) -> str:
    excerpt = " ".join(printable(text).split())
    excerpt = excerpt if len(excerpt) <= 60 else excerpt[:59] + "…"
    reasons = "; ".join(c.reasons) or "-"
    check = " (check the label)" if c.confidence < check_below else ""
    return (f"{rid}\t{c.label.value:<11} {c.priority:.2f}  {c.topic:<8} "
            f"confidence {c.confidence:.2f}{check}  {c.language}  "
            f"compound {c.sentiment.compound:+.2f}  [{reasons}]  {excerpt}")


def _gold_collapse(golds: Sequence[str]) -> tuple[tuple[str, ...], Callable[[str], str]]:
    """Pick the label set from the gold labels: the five labels, three-way or binary."""
    seen = set(golds)
    if seen <= _FOUR:
        return tuple(label.value for label in Label), str
    if seen <= _THREE:
        return ("complaint", "neutral", "praise"), E.three_way
    if seen <= _TWO:
        return (E.COMPLAINT, E.NOT_COMPLAINT), E.complaint_or_not
    unknown = sorted(seen - _FOUR - _THREE - _TWO) or sorted(seen)
    raise _bad(f"unknown gold label(s) {', '.join(map(repr, unknown[:5]))}; use fix_request, "
               "venting, question, praise, neutral (or complaint / not_complaint)")


@click.command("classify")
@click.argument("texts", nargs=-1)
@click.option("--input", "input_path", metavar="PATH",
              help="JSON lines with \"text\" and optional \"id\" ('-' for stdin).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]),
              default="text", show_default=True)
@pass_state
def classify_cmd(state: CliState, texts: tuple[str, ...], input_path: str | None,
                 fmt: str) -> None:
    """Classify TEXTs or an --input file without storing anything."""
    if texts and input_path:
        raise click.UsageError("give TEXT arguments or --input, not both")
    if not texts and not input_path:
        raise click.UsageError("nothing to classify: give TEXT arguments or --input PATH")
    records = (parse_records(_read(input_path)) if input_path
               else [Record(i, t, None) for i, t in enumerate(texts, start=1)])
    classifier = build_classifier(state.settings)
    results = run_all(classifier, records)
    below = state.settings.classifier.check_below
    out = sys.stdout
    if fmt == "json":
        emit_json([as_json(r.id, c, below) for r, c in zip(records, results, strict=True)])
    elif fmt == "jsonl":
        # Written in chunks: one write per line is the slowest part of a 20,000-line run.
        chunk: list[str] = []
        for r, c in zip(records, results, strict=True):
            chunk.append(jsonl_line(r.id, c, below))
            if len(chunk) >= 512:
                out.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            out.write("\n".join(chunk) + "\n")
        out.flush()
    else:
        for r, c in zip(records, results, strict=True):
            click.echo(_text_line(r.id, c, r.text, below))


@click.command("eval")
@click.option("--input", "input_path", metavar="FILE", required=True,
              help="JSON lines with \"text\" and a gold label field ('-' for stdin).")
@click.option("--label-field", "label_field", metavar="F", required=True,
              help="The field holding the gold label.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_state
def eval_cmd(state: CliState, input_path: str, label_field: str, fmt: str) -> None:
    """Score the classifier on labelled JSON lines: accuracy, per-label precision,
    recall and F1, macro-F1, confusion matrix.

    Gold labels are fix_request / venting / question / praise / neutral; complaint /
    praise / neutral (a question counts as neutral), or complaint / not_complaint, score
    the collapsed predictions.
    """
    records = parse_records(_read(input_path), label_field=label_field)
    if not records:
        raise _bad(f"{input_path}: no labelled lines")
    golds = [r.gold or "" for r in records]
    labels, collapse = _gold_collapse(golds)
    classifier = build_classifier(state.settings)
    predicted = [collapse(c.label.value) for c in run_all(classifier, records)]
    report = E.score(golds, predicted, labels=labels)
    if fmt == "json":
        emit_json({"classifier": classifier.name, "label_field": label_field,
                   "labels": list(labels), **report.as_dict()})
    else:
        click.echo(f"classifier: {classifier.name}   gold field: {label_field}")
        click.echo(report.as_text())


COMMANDS = (classify_cmd, eval_cmd)
