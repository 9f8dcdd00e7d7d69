"""The question label and each label's confidence and language, on both databases: a question
is a pending item with a draft that sorts between fix-requests and venting; confidence and
language are stored at ingest, copied onto the item, shown in the queue's JSON and text, and
a reviewer's relabel makes the label certain (confidence 1.0)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.classify.priority import priority
from monitor.cli.classify_cmds import _text_line, as_json, jsonl_line
from monitor.model import Classification, ClassifyContext, Label, Mention, Sentiment, Status
from monitor.store import engine as store_engine
from monitor.store import feeds as store_feeds
from monitor.store import ingest
from monitor.store import queue as store_queue
from monitor.store.schema import classifications, review_items
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.test_cli import run

# text -> (label, confidence, language): what the scripted classifier answers.
POSTS: dict[str, tuple[Label, float, str]] = {
    "my order #NW-1 never arrived, refund please": (Label.FIX_REQUEST, 0.93, "en"),
    "mi pedido no ha llegado, quiero un reembolso": (Label.FIX_REQUEST, 0.41, "es"),
    "does the Aria kettle come with a UK plug?": (Label.QUESTION, 0.88, "en"),
    "à quelle heure ouvre la boutique de Lyon ?": (Label.QUESTION, 0.52, "fr"),
    "worst kettle company ever, never again": (Label.VENTING, 0.77, "en"),
    "oh fantastic, delivered to a different city. love that for me": (Label.VENTING, 0.35,
                                                                       "en"),
    "love my new Brewline, thank you Northwind": (Label.PRAISE, 0.97, "en"),
    "Northwind opened a shop on the high street": (Label.NEUTRAL, 0.58, "en"),
}


class Scripted:
    """The real classifier's sentiment, topic and reasons, with the label, confidence and
    language the table says (and the priority of that label's band)."""

    name = "scripted"

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        base: Classification = self.inner.classify(text, context)
        label, confidence, language = POSTS[text]
        return replace(base, label=label, confidence=confidence, language=language,
                       priority=priority(label, base.sentiment.compound, 0, context))


def drafted_as(template: str) -> str:
    """The label folder a draft came from: `question/default` and `lang/fr/question/default`
    are both "question" (an uncertain label may be drafted from `uncertain/`)."""
    parts = template.split("/")
    return parts[2] if parts[0] == "lang" else parts[0]


def _feed_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(POSTS):
            fh.write(json.dumps({"id": f"p{i}", "text": text, "author": f"@user{i}",
                                 "created_at": f"2026-11-2{i % 4}T08:00:00Z",
                                 "followers": 10 ** (i % 6)}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def polled(db_url: str, clock: FakeClock, tmp_path: Path) -> Any:
    app = App(make_settings(db_url, jsonl_feed(_feed_file(tmp_path / "p.jsonl")),
                            base_dir=str(tmp_path)), environ={}, clock=clock)
    app.migrate()
    app.__dict__["classifier"] = Scripted(app.classifier)
    [result] = app.poll_all()
    assert result.ok and result.new == len(POSTS), result.failure
    yield app
    app.close()


def _all(app: App, **filters: Any) -> list[store_queue.QueueItem]:
    with app.engine.connect() as conn:
        return store_queue.list_items(
            conn, store_queue.QueueFilter(**filters), limit=100).items


def _by_text(app: App) -> dict[str, store_queue.QueueItem]:
    return {i.mention.text: i for i in _all(app, statuses=None)}


def test_questions_are_pending_with_a_draft_between_fix_requests_and_venting(
        polled: App) -> None:
    items = _by_text(polled)
    for text, (label, confidence, _) in POSTS.items():
        item = items[text]
        assert item.label == label.value
        if label is Label.NEUTRAL:
            assert (item.status, item.draft) == ("skipped", None)
        else:
            assert item.status == "pending" and item.draft is not None
            expected = {label.value} if confidence >= 0.6 else {label.value, "uncertain"}
            assert drafted_as(item.draft.template) in expected
    pending = [i.label for i in _all(polled)]
    assert pending == (["fix_request"] * 2 + ["question"] * 2 + ["venting"] * 2 + ["praise"])
    questions = [i for i in _all(polled) if i.label == "question"]
    assert all(0.35 <= q.priority <= 0.49 for q in questions)
    assert [i.label for i in _all(polled, label="question")] == ["question", "question"]


def test_confidence_and_language_are_stored_and_copied_onto_the_item(polled: App) -> None:
    with polled.engine.connect() as conn:
        stored = {r.label: r for r in conn.execute(
            sa.select(classifications.c.label, classifications.c.confidence,
                      classifications.c.language, review_items.c.confidence.label("i_conf"),
                      review_items.c.language.label("i_lang"))
            .join(review_items, review_items.c.mention_id == classifications.c.mention_id)
            .where(classifications.c.label.in_(["praise", "neutral"])))}
    assert (stored["praise"].confidence, stored["praise"].language) == (0.97, "en")
    assert (stored["praise"].i_conf, stored["praise"].i_lang) == (0.97, "en")
    assert (stored["neutral"].i_conf, stored["neutral"].i_lang) == (0.58, "en")
    items = _by_text(polled)
    for text, (label, confidence, language) in POSTS.items():
        d = items[text].as_dict(0.6)
        assert (d["label"], d["confidence"], d["language"]) == (label.value, confidence,
                                                                language)
        # The neutral one is under the threshold too: skipped items can still be relabelled.
        assert d["check_label"] is (confidence < 0.6)
        assert list(d)[:6] == ["id", "status", "label", "confidence", "language",
                               "check_label"]


def test_check_label_is_below_the_threshold_only(polled: App) -> None:
    item = _by_text(polled)["à quelle heure ouvre la boutique de Lyon ?"]
    assert item.confidence == 0.52
    assert item.check_label(0.6) and item.check_label(0.53)
    assert not item.check_label(0.52)  # not below: equal
    assert not item.check_label(0.5) and not item.check_label(0.0)
    # An item whose label was decided on is not marked, whatever its confidence.
    assert not replace(item, status="approved").check_label(0.6)
    low = {i.mention.text for i in _all(polled, check_below=0.6)}
    assert low == {"mi pedido no ha llegado, quiero un reembolso",
                   "à quelle heure ouvre la boutique de Lyon ?",
                   "oh fantastic, delivered to a different city. love that for me"}
    assert {i.status for i in _all(polled, statuses=None, check_below=0.6)} == {
        "pending", "skipped"}
    assert len(_all(polled, statuses=None, check_below=0.6)) == 4  # and the neutral one
    assert [i.mention.text for i in _all(polled, check_below=0.4)] == [
        "oh fantastic, delivered to a different city. love that for me"]


def test_relabel_to_and_from_question(polled: App) -> None:
    items = _by_text(polled)
    reviewer = polled.reviewer()
    vent = items["oh fantastic, delivered to a different city. love that for me"]
    asked = reviewer.relabel(vent.id, by="ann", label="question")
    assert (asked.status, asked.label) == ("pending", "question")
    assert asked.draft is not None and drafted_as(asked.draft.template) == "question"
    assert 0.35 <= asked.priority <= 0.49
    # The label is now the reviewer's: certain. The classifier's own stays as it was.
    assert (asked.confidence, asked.classifier_confidence) == (1.0, 0.35)
    assert (asked.language, asked.classifier_label) == ("en", "venting")
    assert not asked.check_label(0.6)

    question = items["does the Aria kettle come with a UK plug?"]
    fix = reviewer.relabel(question.id, by="ann", label=Label.FIX_REQUEST)
    assert (fix.status, fix.label, fix.confidence) == ("pending", "fix_request", 1.0)
    assert fix.draft is not None and drafted_as(fix.draft.template) == "fix_request"
    assert fix.priority >= 0.5

    french = items["à quelle heure ouvre la boutique de Lyon ?"]
    skipped = reviewer.relabel(french.id, by="ann", label="neutral")
    assert (skipped.status, skipped.draft, skipped.language) == ("skipped", None, "fr")
    back = reviewer.relabel(french.id, by="ann", label="question")
    assert (back.status, back.label) == ("pending", "question")
    assert back.draft is not None and drafted_as(back.draft.template) == "question"

    neutral = items["Northwind opened a shop on the high street"]
    joined = reviewer.relabel(neutral.id, by="ann", label="question")
    assert (joined.status, joined.label, joined.confidence) == ("pending", "question", 1.0)
    assert joined.draft is not None and drafted_as(joined.draft.template) == "question"
    with polled.engine.connect() as conn:
        kept = dict(conn.execute(sa.select(classifications.c.mention_id,
                                           classifications.c.confidence)).all())
    assert kept[neutral.mention.id] == 0.58  # the classifier's verdict is never overwritten
    assert [i.label for i in _all(polled)][:4] == ["fix_request"] * 3 + ["question"]


def test_the_cli_shows_confidence_language_and_the_check_mark(polled: App, db_url: str,
                                                                tmp_path: Path) -> None:
    env = {"COMPLAINT_MONITOR_DATABASE_URL": db_url}
    listed = run(tmp_path, "queue", "list", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    by_text = {r["mention"]["text"]: r for r in rows}
    spanish = by_text["mi pedido no ha llegado, quiero un reembolso"]
    assert (spanish["label"], spanish["confidence"], spanish["language"],
            spanish["check_label"]) == ("fix_request", 0.41, "es", True)
    praise = by_text["love my new Brewline, thank you Northwind"]
    assert (praise["confidence"], praise["language"], praise["check_label"]) == (
        0.97, "en", False)
    assert [r["label"] for r in rows][:4] == ["fix_request"] * 2 + ["question"] * 2

    questions = run(tmp_path, "queue", "list", "--label", "question", "--format", "jsonl",
                    env=env)
    assert questions.returncode == 0, questions.stderr
    assert [json.loads(x)["language"] for x in questions.stdout.splitlines()] == ["en", "fr"]

    checked = run(tmp_path, "queue", "list", "--check-label", "--format", "csv", env=env)
    assert checked.returncode == 0, checked.stderr
    table = list(csv.DictReader(io.StringIO(checked.stdout)))
    assert [(r["label"], r["confidence"], r["language"], r["check_label"]) for r in table] == [
        ("fix_request", "0.41", "es", "yes"), ("question", "0.52", "fr", "yes"),
        ("venting", "0.35", "en", "yes")]

    text = run(tmp_path, "queue", "list", env=env).stdout
    assert "LANG" in text.splitlines()[0]
    assert "question ?" in text and "? check the label" in text

    shown = run(tmp_path, "queue", "show", str(spanish["id"]), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "confidence 0.41  language es" in shown.stdout
    assert "! check the label: the classifier gave it with confidence 0.41 (under 0.6)" in (
        shown.stdout)
    sure = run(tmp_path, "queue", "show", str(praise["id"]), env=env).stdout
    assert "language en" in sure and "check the label" not in sure
    as_json = json.loads(run(tmp_path, "queue", "show", str(spanish["id"]), "--format",
                             "json", env=env).stdout)
    assert (as_json["confidence"], as_json["language"], as_json["check_label"]) == (
        0.41, "es", True)

    relabelled = run(tmp_path, "queue", "relabel", str(spanish["id"]), "question", "--format",
                     "json", env=env)
    assert relabelled.returncode == 0, relabelled.stderr
    after = json.loads(relabelled.stdout)
    assert (after["label"], after["confidence"], after["check_label"], after["language"]) == (
        "question", 1.0, False, "es")
    assert (after["classifier_label"], after["classifier_confidence"]) == ("fix_request", 0.41)
    assert drafted_as(after["draft"]["template"]) == "question"


def test_a_stricter_threshold_from_the_config_marks_more(polled: App, db_url: str,
                                                         tmp_path: Path) -> None:
    config = tmp_path / "strict.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[classifier]\ncheck_below = 0.8\n'
                      '[[feeds]]\nname = "demo"\nkind = "demo"\n', encoding="utf-8")
    listed = run(tmp_path, "--config", str(config), "queue", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    marked = {r["language"]: r["check_label"] for r in json.loads(listed.stdout)
              if r["label"] == "venting"}
    assert sum(r["check_label"] for r in json.loads(listed.stdout)) == 4
    assert marked == {"en": True}
    bad = tmp_path / "bad.toml"
    bad.write_text("[classifier]\ncheck_below = 1.5\n", encoding="utf-8")
    refused = run(tmp_path, "--config", str(bad), "queue", "list")
    assert refused.returncode == 2 and "classifier.check_below" in refused.stderr


def test_cleaned_confidence_is_stored_in_range_or_null(db_url: str, clock: FakeClock,
                                                       tmp_path: Path) -> None:
    """A confidence a hair outside [0, 1] is stored clamped, NaN as unknown (NULL)."""
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine)
    batch = []
    for ext, confidence, language in (("a", 1.0000000002, "en"), ("b", -0.1, "pt"),
                                      ("c", float("nan"), "und"), ("d", 0.123456789, "")):
        mention = Mention(feed="f", platform="test", external_id=ext, text=f"post {ext}",
                          author="@a", created_at=clock())
        c = Classification(label=Label.QUESTION, sentiment=Sentiment(0, 1, 0, 0),
                           topic="other", priority=0.4, reasons=(), confidence=confidence,
                           language=language)
        batch.append(ingest.Processed(mention, c, None, Status.PENDING))
    with engine.begin() as conn:
        feed = store_feeds.ensure(conn, "f", "jsonl", clock())
        assert ingest.store(conn, feed.id, batch, clock()) == 4
    with engine.connect() as conn:
        got = {i.mention.external_id: (i.confidence, i.classifier_confidence, i.language)
               for i in store_queue.list_items(conn, store_queue.QueueFilter(), limit=9).items}
    assert got == {"a": (1.0, 1.0, "en"), "b": (0.0, 0.0, "pt"), "c": (None, None, "und"),
                   "d": (0.123456789, 0.123456789, None)}
    engine.dispose()


@pytest.mark.parametrize(("confidence", "language", "below", "check"), [
    (0.3, "pt", 0.6, True), (0.6, "en", 0.6, False), (0.99, "und", 1.0, True),
    (1.0, "de", 1.0, False), (0.0, "fr", 0.0, False)])
def test_classify_output_carries_confidence_language_and_check_label(
        confidence: float, language: str, below: float, check: bool) -> None:
    c = Classification(label=Label.QUESTION, sentiment=Sentiment(0.0, 0.9, 0.1, 0.2),
                       topic="product", priority=0.41, reasons=("asks",),
                       confidence=confidence, language=language)
    obj = as_json("x1", c, below)
    assert list(obj)[:5] == ["id", "label", "confidence", "language", "check_label"]
    assert (obj["label"], obj["confidence"], obj["language"], obj["check_label"]) == (
        "question", confidence, language, check)
    line = jsonl_line("x1", c, below)
    assert json.loads(line) == obj
    assert line == json.dumps(obj, ensure_ascii=False)
    text = _text_line("x1", c, "UK plug?", below)
    assert f"confidence {confidence:.2f}" in text and f"  {language}  " in text
    assert ("(check the label)" in text) is check


def test_classify_command_prints_them_and_takes_the_threshold_from_the_config(
        tmp_path: Path) -> None:
    texts = ["my order #4521 never arrived, I want a refund", "thank you, brilliant"]
    out = run(tmp_path, "classify", *texts, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    for row in rows:
        assert 0.0 <= row["confidence"] <= 1.0 and isinstance(row["language"], str)
        assert row["check_label"] is (row["confidence"] < 0.6)
    config = tmp_path / "c.toml"
    config.write_text("[classifier]\ncheck_below = 1.0\n", encoding="utf-8")
    strict = run(tmp_path, "--config", str(config), "classify", *texts, "--format", "jsonl")
    assert strict.returncode == 0, strict.stderr
    for row in map(json.loads, strict.stdout.splitlines()):
        assert row["check_label"] is (row["confidence"] < 1.0)


def test_question_relabels_are_exported_and_eval_reads_them(polled: App, db_url: str,
                                                            tmp_path: Path) -> None:
    env = {"COMPLAINT_MONITOR_DATABASE_URL": db_url}
    item = _by_text(polled)["Northwind opened a shop on the high street"]
    polled.reviewer().relabel(item.id, by="ann", label="question")
    exported = run(tmp_path, "labels", "export", env=env)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(x) for x in exported.stdout.splitlines()]
    assert [(r["id"], r["label"], r["classifier_label"], r["by"]) for r in rows] == [
        (item.id, "question", "neutral", "ann")]
    gold = tmp_path / "ours.jsonl"
    gold.write_text(exported.stdout, encoding="utf-8")
    report = run(tmp_path, "eval", "--input", str(gold), "--label-field", "label", "--format",
                 "json", env=env)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["labels"] == [label.value for label in Label]
    # Three-way gold: a predicted question counts as neutral, not as an unknown label.
    three = tmp_path / "three.jsonl"
    three.write_text(json.dumps({"text": "does the Aria kettle come with a UK plug?",
                                 "gold": "neutral"}) + "\n" + json.dumps(
        {"text": "worst kettle company ever, never again", "gold": "complaint"}) + "\n",
        encoding="utf-8")
    scored = run(tmp_path, "eval", "--input", str(three), "--label-field", "gold", "--format",
                 "json")
    assert scored.returncode == 0, scored.stderr
    out = json.loads(scored.stdout)
    assert out["labels"] == ["complaint", "neutral", "praise"]
    assert out["per_label"]["neutral"]["support"] == 1
