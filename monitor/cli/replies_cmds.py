"""`replies import`, `replies list` and `replies answers`: the brand's own words for drafting.

`replies import FILE` loads past post -> reply pairs into reply memory (CSV with a header row
holding `post` and `reply`, optionally `label`, `author` and `date`; or JSON lines with the
same keys). The whole file is checked first: any bad line stops the import, naming the line,
and nothing is added. A pair without a label is labelled by the configured classifier.
Reading and checking the file is here; storing is App.replies (monitor.review.replies).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from monitor.app import App
from monitor.classify import BatchClassifier
from monitor.cli.base import LABELS, emit_json, emit_table, one_line
from monitor.cli.opening import pass_app
from monitor.config import read_answers
from monitor.errors import InputError, NotFound
from monitor.model import Label
from monitor.review.replies import ImportRow

MAX_TEXT = 20_000
MAX_ERRORS = 20
COLUMNS = ("post", "reply", "label", "author", "date")


@dataclass(frozen=True, slots=True)
class Pair:
    line: int
    post: str
    reply: str
    label: Label | None
    author: str | None
    date: datetime | None


def parse_label(value: str) -> Label:
    try:
        return Label(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(label.value for label in Label)
        raise ValueError(f"label {value.strip()[:40]!r} is not one of {known}") from None


def parse_date(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"date {value.strip()[:40]!r} is not an ISO date such as 2026-11-03 "
                         "or 2026-11-03T14:05:00Z") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _text(row: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"the {key} is missing or empty")
        return None
    if not isinstance(value, str):
        raise ValueError(f"the {key} must be text, not {type(value).__name__}")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"the {key} is longer than {MAX_TEXT:,} characters")
    return text


def pair_from(row: Mapping[str, Any], line: int) -> Pair:
    """One pair from a row (CSV cells or a JSON object); ValueError saying what is wrong."""
    post = _text(row, "post", required=True)
    reply = _text(row, "reply", required=True)
    assert post is not None and reply is not None
    label = _text(row, "label", required=False)
    author = _text(row, "author", required=False)
    date = _text(row, "date", required=False)
    return Pair(line=line, post=post, reply=reply,
                label=parse_label(label) if label else None,
                author=author[:255] if author else None,
                date=parse_date(date) if date else None)


def _csv_rows(path: Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header_line = reader.line_num + 1
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip().lower() for h in header]
        if "post" not in names or "reply" not in names:
            yield header_line, ("the first line must name the columns, with post and reply "
                                "among them (optional: label, author, date)")
            return
        unknown = [h for h in names if h and h not in COLUMNS]
        if unknown:
            yield header_line, (f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})")
            return
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, f"not readable as CSV: {exc}"
                return
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                yield start, f"{len(cells)} cells where the header has {len(names)}"
                continue
            yield start, dict(zip(names, cells, strict=True))


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(value, dict):
                yield number, "expected a JSON object with post and reply"
                continue
            unknown = [k for k in value if k not in COLUMNS]
            if unknown:
                yield number, f"unknown key {unknown[0]!r} (known: {', '.join(COLUMNS)})"
                continue
            yield number, value


def file_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    with path.open(encoding="utf-8-sig") as fh:
        head = fh.read(256).lstrip()
    return "jsonl" if head.startswith("{") else "csv"


def read_pairs(path: Path, fmt: str | None = None) -> list[Pair]:
    """Every pair in the file; InputError naming the file and the first bad line (and how
    many more there are) if any line is bad."""
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    try:
        kind = file_format(path, fmt)
        rows = list(_csv_rows(path) if kind == "csv" else _jsonl_rows(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it: {exc}", path=str(path)) from exc
    pairs: list[Pair] = []
    errors: list[str] = []
    for line, row in rows:
        if isinstance(row, str):
            errors.append(f"line {line}: {row}")
            continue
        try:
            pairs.append(pair_from(row, line))
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
    if errors:
        more = f" (and {len(errors) - 1} more bad lines)" if len(errors) > 1 else ""
        shown = "\n".join(errors[1:MAX_ERRORS])
        raise InputError(f"{errors[0]}{more}; nothing was imported"
                         + (f"\n{shown}" if shown else ""), path=str(path))
    if not pairs:
        raise InputError("no post -> reply pairs in it", path=str(path))
    return pairs


@click.group()
def replies() -> None:
    """The brand's own replies: reply memory (approved and imported replies drafted again
    for similar posts) and saved answers to questions."""


@replies.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="The file's format (default: from its name, else its first line).")
@click.option("--by", default="import", show_default=True, help="Who imports (recorded).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would be added.")
@pass_app(migrate=False)
def replies_import(app: App, file: Path, fmt: str | None, by: str, dry_run: bool) -> None:
    """Load past post -> reply pairs into reply memory.

    CSV: a header row naming `post` and `reply` (optional `label`, `author`, `date`).
    JSON lines: one object per line with the same keys. A pair with no label is labelled
    by the classifier. Importing the same pair twice adds it once.
    """
    pairs = read_pairs(file, fmt)
    classifier = app.classifier
    texts = [p.post for p in pairs]
    if isinstance(classifier, BatchClassifier) and len(texts) > 1:
        found = classifier.classify_many(texts)
    else:
        found = [classifier.classify(t) for t in texts]
    rows = [ImportRow(
        line=p.line, post=p.post, reply=p.reply,
        label=(p.label or c.label).value, language=c.language, author=p.author,
        replied_at=p.date) for p, c in zip(pairs, found, strict=True)]
    by_label: dict[str, int] = {}
    for r in rows:
        by_label[r.label] = by_label.get(r.label, 0) + 1
    labels = ", ".join(f"{k} {v}" for k, v in sorted(by_label.items()))
    if dry_run:
        click.echo(f"{file}: {len(rows)} pairs read ({labels}); nothing imported "
                   "(--dry-run)")
        return
    app.migrate()
    added, known = app.replies.import_pairs(rows, by=by)
    click.echo(f"{file}: {len(rows)} pairs read ({labels}); {added} added to reply memory"
               + (f", {known} already there" if known else ""))


@replies.command("list")
@click.option("--label", type=click.Choice(LABELS), default=None)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app()
def replies_list(app: App, label: str | None, limit: int, fmt: str) -> None:
    """The newest remembered replies, with the post each answered."""
    rows, totals = app.replies.recent(limit=limit, label=label)
    if fmt == "json":
        emit_json({"counts": totals, "replies": [{
            "id": r.id, "label": r.label.value, "language": r.language,
            "author": r.author, "replied_at": r.replied_at.isoformat(),
            "source": r.source, "post": r.post, "reply": r.reply} for r in rows]})
        return
    total = sum(totals.values())
    click.echo(f"{total} replies remembered"
               + (f" ({', '.join(f'{k} {v}' for k, v in sorted(totals.items()))})"
                  if totals else ""))
    if rows:
        emit_table([(str(r.id), r.label.value, f"{r.replied_at:%Y-%m-%d}", r.source,
                     one_line(r.post, 40), one_line(r.reply, 50)) for r in rows],
                   ["id", "label", "replied", "source", "post", "reply"])


@replies.command("answers")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "toml"]),
              default="text", show_default=True,
              help="toml: the answers saved in review, ready to paste into your file.")
@pass_app()
def replies_answers(app: App, fmt: str) -> None:
    """The saved answers: those in [replies] answers_file and those reviewers saved."""
    own = list(read_answers(app.settings))
    saved = app.replies.saved_answers()
    if fmt == "toml":
        for a in saved:
            click.echo(_toml_answer(a.id.replace("saved-", "reviewed-"), a.text,
                                    a.examples, a.keywords, a.link))
        return
    every = own + saved
    if fmt == "json":
        emit_json([{"id": a.id, "text": a.text, "examples": list(a.examples),
                    "keywords": list(a.keywords), "link": a.link, "language": a.language,
                    "source": a.source} for a in every])
        return
    if not every:
        click.echo("no saved answers (set [replies] answers_file, or save an approved "
                   "reply as an answer from its item page)")
        return
    emit_table([(a.id, a.source, one_line(" / ".join(a.examples) or "-", 40),
                 one_line(a.text, 60)) for a in every],
               ["id", "source", "examples", "answer"])


@replies.command("forget-answer")
@click.argument("answer_id")
@pass_app()
def replies_forget_answer(app: App, answer_id: str) -> None:
    """Delete an answer saved in review (saved-N); file answers are edited in the file."""
    if not app.replies.forget_answer(answer_id):
        raise NotFound(f"no saved answer {answer_id!r} in the database (answers "
                       "from the file are removed by editing the file)")
    click.echo(f"deleted saved answer {answer_id}")


COMMANDS = (replies,)


def _toml_answer(answer_id: str, text: str, examples: tuple[str, ...],
                 keywords: tuple[str, ...], link: str | None) -> str:
    lines = ["[[answer]]", f"id = {json.dumps(answer_id)}",
             f"examples = {json.dumps(list(examples), ensure_ascii=False)}"]
    if keywords:
        lines.append(f"keywords = {json.dumps(list(keywords), ensure_ascii=False)}")
    lines.append(f"text = {json.dumps(text, ensure_ascii=False)}")
    if link:
        lines.append(f"link = {json.dumps(link)}")
    return "\n".join(lines) + "\n"
