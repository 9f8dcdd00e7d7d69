"""Learning the brand from its reviewers: the held-back split and the scores (pure), `learn`
through the App on both databases (switches when the brand's labels teach the current head
something, keeps it when not, refuses too few labels, records each run), the CLI, the daemon's
scheduled job, and the "model" classifier loading the brand's head.

The encoder is stood in for by a bag of hashed words (`WordLearner`), so these tests need no
model files; the head, the fitting, the labels and the store are the real ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.app import App
from monitor.classify import build_classifier
from monitor.classify import head as H
from monitor.classify import learn as L
from monitor.classify.features import LABELS, features
from monitor.classify.rules import RulesClassifier
from monitor.config import ClassifierSettings, Settings, demo_settings
from monitor.model import Classification, ClassifyContext, Label
from monitor.review import learning
from monitor.store import labels as store_labels
from monitor.store import queue as store_queue
from tests.conftest import FakeClock, jsonl_feed, make_settings

DIM = 512
_FEATURES: dict[str, list[float]] = {}
_WORD = re.compile(r"[a-z0-9']+")


def _rules() -> RulesClassifier:
    rules = build_classifier(dataclasses.replace(
        demo_settings(), classifier=ClassifierSettings(kind="rules")))
    assert isinstance(rules, RulesClassifier)
    return rules


class WordLearner:
    """The model classifier's learning surface over a bag of hashed words instead of the
    sentence encoder; the rules' real features and the real head."""

    name = "model"

    def __init__(self, head: H.Head, rules: RulesClassifier) -> None:
        self._head = head
        self._rules = rules

    @property
    def head(self) -> H.Head:
        return self._head

    def with_head(self, head: H.Head) -> WordLearner:
        return WordLearner(head, self._rules)

    def embed(self, texts: Sequence[str]) -> H.FloatArray:
        out = np.zeros((len(texts), DIM), np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: H.FloatArray = out / np.maximum(norms, 1e-9)
        return result

    def features(self, texts: Sequence[str]) -> H.FloatArray:
        for t in texts:  # every learning run reads the shipped posts again: once is enough
            if t not in _FEATURES:
                _FEATURES[t] = features(self._rules, self._rules.analyse(t))
        return np.array([_FEATURES[t] for t in texts], np.float32).reshape(len(texts), -1)

    def labels(self, texts: Sequence[str]) -> list[str]:
        return L.predict(self._head, L.Vectors(self), texts)

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        label = Label(self.labels([text])[0])
        return self._rules.finish(label, self._rules.analyse(text), ("word model",), context,
                                  name=self.name)


@pytest.fixture(scope="session")
def shipped() -> list[L.Example]:
    return L.shipped_examples()


@pytest.fixture(scope="session")
def packaged(shipped: list[L.Example]) -> WordLearner:
    """The stand-in for the packaged model: a head fitted on the shipped posts alone."""
    learner = WordLearner(H.Head(LABELS, *(np.zeros(1, np.float32),) * 4), _rules())
    return learner.with_head(L.fit_brand(L.Vectors(learner), shipped, []))


# A brand whose reviewers file every post about a ticket as a question (its customers ask
# about tickets; the brand answers them), whatever the wording says.
EVENTS = ("the Leeds show", "the matinee", "the cup final", "the late set", "the jazz night",
          "the season opener", "the derby", "the panto", "the Sunday gig", "the gala")
DAYS = ("friday", "saturday", "the 14th", "next week", "tonight", "sunday", "the 3rd")
TICKET = (
    "ticket {n} for {e} on {d} shows the wrong seat",
    "my ticket for {e} {d} never arrived in the app",
    "ticket {n}: {e}, {d}, the barcode says void",
    "the ticket for {e} on {d} is for row {n} but we booked two seats together",
    "bought a ticket for {e} {d}, it charged me {n} pounds and no ticket in my email",
)
OTHER = (
    ("fix_request", "the app logs me out every time I open it, please fix my account {n}"),
    ("fix_request", "refund {n} still not in my account after two weeks, please sort it"),
    ("venting", "worst customer service I have ever had, never again {n}"),
    ("venting", "honestly fed up with this company, every single time {n}"),
    ("praise", "brilliant evening at {e}, staff were lovely, thank you {n}"),
    ("praise", "love the new seats, great view of {e}, well done {n}"),
)


def brand_posts(n_ticket: int = 80, n_other: int = 36, seed: int = 1
                ) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    posts: dict[str, str] = {}  # no text twice
    while len(posts) < n_ticket:
        text = TICKET[len(posts) % len(TICKET)].format(
            n=rng.randint(10, 9999), e=rng.choice(EVENTS), d=rng.choice(DAYS))
        posts.setdefault(text, "question")
    while len(posts) < n_ticket + n_other:
        label, template = OTHER[(len(posts) - n_ticket) % len(OTHER)]
        posts.setdefault(template.format(n=rng.randint(10, 9999), e=rng.choice(EVENTS)),
                         label)
    return list(posts.items())


def label_items(app: App, wanted: dict[str, str]) -> None:
    """Each item's text -> the label a reviewer gives it: relabelled when the classifier
    said otherwise, else approved as labelled (a skipped neutral is relabelled there and
    back)."""
    reviewer = app.reviewer()
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=10_000).items
    for item in items:
        target = wanted.get(item.mention.text)
        if target is None:
            continue
        if item.label != target:
            reviewer.relabel(item.id, by="rev", label=target)
        elif item.status == "pending":
            reviewer.approve(item.id, by="rev", force=True)
        else:
            reviewer.relabel(item.id, by="rev", label="question")
            reviewer.relabel(item.id, by="rev", label=target)


def write_feed(path: Path, posts: Sequence[tuple[str, str]], start: int = 0) -> None:
    with path.open("a", encoding="utf-8") as fh:
        for k, (text, _) in enumerate(posts, start):
            fh.write(json.dumps({"id": f"p{k}", "text": text, "author": f"fan{k}",
                                 "created_at": "2026-11-20T10:00:00Z"}) + "\n")


def brand_settings(db_url: str, tmp_path: Path, **classifier: Any) -> Settings:
    settings = make_settings(db_url, jsonl_feed(tmp_path / "posts.jsonl"),
                             base_dir=str(tmp_path))
    return dataclasses.replace(settings, classifier=dataclasses.replace(
        settings.classifier, **{"kind": "model", **classifier}))


@pytest.fixture
def brand_app(db_url: str, tmp_path: Path, clock: FakeClock, packaged: WordLearner
              ) -> Iterator[App]:
    """An App whose classifier is the stand-in model, with the ticket brand's posts polled
    (not yet labelled)."""
    posts = brand_posts()
    write_feed(tmp_path / "posts.jsonl", posts)
    app = App(brand_settings(db_url, tmp_path), environ={}, clock=clock)
    app.__dict__["classifier"] = packaged
    app.migrate()
    [result] = app.poll_all()
    assert result.ok and result.new == len(posts)
    yield app
    app.close()


def head_file(app: App) -> Path:
    return app.settings.resolve_path(app.settings.classifier.brand_head)


# -- the pure part -------------------------------------------------------------------------


def test_split_holds_back_a_stable_fifth_with_every_label_measured() -> None:
    rows = [L.Example(text, label) for text, label in brand_posts(200, 40)]
    rows.append(L.Example("a lone praise post, thanks", "praise"))
    train, held = L.split_brand(rows)
    assert (train, held) == L.split_brand(rows)  # deterministic
    assert len(train) + len(held) == len(rows)
    assert 0.15 < len(held) / len(rows) < 0.3
    for label in ("question", "fix_request", "venting", "praise"):
        assert sum(r.label == label for r in held) >= 3, label
    # A post held back stays held back when more labels arrive (the brand's earlier head
    # never trained on it), and a repeated post never sits on both sides.
    more = [*rows, *(L.Example(t, lab) for t, lab in brand_posts(60, 12, seed=9))]
    by_hash = {r.text for r in held if L.bucket(r.text) < L.HOLD_BACK}
    assert by_hash <= {r.text for r in L.split_brand(more)[1]}
    twice = [*rows, *rows, *(L.Example(r.text.upper(), "venting") for r in rows)]
    train2, held2 = L.split_brand(twice)
    assert not {r.text.lower() for r in train2} & {r.text.lower() for r in held2}


def test_scores_are_macro_f1_over_the_labels_present_and_accuracy() -> None:
    s = L.score(["praise", "praise", "venting", "venting"],
                ["praise", "venting", "venting", "venting"])
    assert s.per_label == pytest.approx({"praise": 2 / 3, "venting": 0.8})
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert s.accuracy == 0.75 and s.rows == 4
    merged = L.score(["neutral", "question"], ["question", "neutral"],
                     merge={"question": "neutral"})
    assert merged.macro_f1 == 1.0 and merged.accuracy == 1.0


def test_the_brand_head_learns_what_the_shipped_posts_do_not_teach(
        packaged: WordLearner, shipped: list[L.Example]) -> None:
    rows = [L.Example(t, lab) for t, lab in brand_posts()]
    result = L.compare(L.Vectors(packaged), packaged.head, shipped, rows)
    assert result.before.per_label.get("question", 0.0) < 0.5
    assert result.after.per_label["question"] > 0.9
    assert result.better and result.after.macro_f1 > result.before.macro_f1 + 0.2


# -- learn, through the App, on both databases -----------------------------------------------


def test_learn_switches_to_the_brand_head_when_it_scores_better(
        brand_app: App, packaged: WordLearner, clock: FakeClock) -> None:
    label_items(brand_app, dict(brand_posts()))
    probe = "ticket 4521 for the matinee on friday shows the wrong seat"
    assert packaged.labels([probe]) != ["question"]
    report = brand_app.learn()
    assert report.outcome is learning.Outcome.SWITCHED
    c = report.comparison
    assert c is not None and c.after.macro_f1 > c.before.macro_f1
    assert report.labels == len(brand_posts()) and c.train_rows + c.held_rows == report.labels
    assert c.shipped_rows == len(L.shipped_examples())
    assert "the packaged head" in report.current
    # The head is on disk, says what it learned from, and this process now classifies with it.
    path = head_file(brand_app)
    meta = H.meta_of(path)
    assert meta["reviewer_labels"] == report.labels and meta["encoder"] == L.encoder_id()
    assert meta["after"] == c.after.as_dict()
    assert brand_app.classifier is report.classifier
    assert brand_app.classifier.labels([probe]) == ["question"]
    assert L.predict(H.load(path), L.Vectors(packaged), [probe]) == ["question"]
    # The run is recorded beside the head.
    [run] = learning.history(path)
    assert run["switched"] is True and run["labels"] == report.labels
    assert run["before"]["macro_f1"] < run["after"]["macro_f1"]
    assert run["at"] == clock.now.isoformat()
    assert "switched to the brand's new head" in report.message()


def test_learn_keeps_the_model_when_the_new_head_is_not_better(
        brand_app: App, packaged: WordLearner) -> None:
    texts = [t for t, _ in brand_posts()]
    # The reviewers agree with the current head on every post: nothing to learn.
    label_items(brand_app, dict(zip(texts, packaged.labels(texts), strict=True)))
    report = brand_app.learn()
    assert report.outcome is learning.Outcome.KEPT
    assert report.comparison is not None and report.comparison.before.macro_f1 == 1.0
    assert not head_file(brand_app).exists()
    assert brand_app.classifier is packaged
    assert report.message().splitlines()[-1].startswith("kept the current model: ")
    [run] = learning.history(head_file(brand_app))
    assert run["switched"] is False and run["outcome"] == "kept"


def test_learn_refuses_too_few_labels_and_a_dry_run_writes_nothing(
        brand_app: App) -> None:
    few = dict(brand_posts()[:30])
    label_items(brand_app, few)
    report = brand_app.learn()
    assert report.outcome is learning.Outcome.TOO_FEW and report.labels == 30
    assert report.comparison is None and "at least 50" in report.message()
    label_items(brand_app, dict(brand_posts()[30:]))
    dry = brand_app.learn(dry_run=True)
    assert dry.outcome is learning.Outcome.DRY_RUN and dry.better
    assert "would switch" in dry.message()
    assert not head_file(brand_app).exists() and learning.history(head_file(brand_app)) == []


def test_labels_are_every_relabel_and_approval_in_english(brand_app: App) -> None:
    label_items(brand_app, dict(brand_posts()))
    lrn = learning.Learning.build(brand_app.settings, brand_app.engine,
                                  brand_app.classifier, brand_app.clock)
    rows, skipped = lrn.labels()
    with brand_app.engine.connect() as conn:
        exported = list(store_labels.export(conn))
    assert [(r.text, r.label) for r in rows] == [(r.text, r.label) for r in exported]
    assert sorted((r.text, r.label) for r in rows) == sorted(brand_posts())
    assert skipped == {}
    lrn.detect = lambda text: "es" if "ticket" in text else "en"
    rows, skipped = lrn.labels()
    assert skipped == {learning.OTHER_LANGUAGE: 80} and len(rows) == 36


def test_the_shipped_posts_are_embedded_once_per_encoder(brand_app: App,
                                                          packaged: WordLearner) -> None:
    calls: list[int] = []

    class Counting(WordLearner):
        def embed(self, texts: Sequence[str]) -> H.FloatArray:
            calls.append(len(texts))
            return super().embed(texts)

    label_items(brand_app, dict(brand_posts()))
    brand_app.__dict__["classifier"] = Counting(packaged.head, _rules())
    first = brand_app.learn(dry_run=True)
    texts = {r.text for r in L.shipped_examples()} | {t for t, _ in brand_posts()}
    assert sum(calls) == len(texts)  # each text once
    assert learning.cache_path(head_file(brand_app)).is_file()
    calls.clear()
    again = brand_app.learn(dry_run=True)
    assert sum(calls) == len(brand_posts())  # the shipped posts' embeddings were kept
    assert first.comparison is not None and again.comparison is not None
    assert again.comparison.after == first.comparison.after
    # Another encoder (or other shipped posts) cannot use them.
    lrn = learning.Learning.build(brand_app.settings, brand_app.engine,
                                  brand_app.classifier, brand_app.clock)
    shipped = L.shipped_examples()
    assert len(lrn._cached(shipped, lrn._cache_key(shipped))) == len({r.text for r in shipped})
    assert lrn._cached(shipped[1:], lrn._cache_key(shipped[1:])) == {}


def test_learning_needs_the_model_kind(db_url: str, tmp_path: Path) -> None:
    from monitor.errors import ConfigError

    app = App(brand_settings(db_url, tmp_path, kind="rules"), environ={})
    with pytest.raises(ConfigError) as err:
        app.learn()
    assert err.value.key == "classifier.kind"
    app.close()


# -- the daemon's scheduled job ----------------------------------------------------------------


def test_run_learns_on_a_schedule_once_enough_labels_are_new(
        db_url: str, tmp_path: Path, clock: FakeClock, packaged: WordLearner) -> None:
    from monitor.scheduler import _learn_job, build_scheduler

    posts = brand_posts()
    feed = tmp_path / "posts.jsonl"
    write_feed(feed, posts)
    settings = brand_settings(db_url, tmp_path, learn_every="6h", learn_min_new=40)
    app = App(settings, environ={}, clock=clock)
    app.__dict__["classifier"] = packaged
    app.migrate()
    scheduler = build_scheduler(app)
    job = scheduler.get_job("learn")
    assert job is not None and job.trigger.interval.total_seconds() == 6 * 3600
    pipeline = job.args[1]
    app.poll_feed(settings.feeds[0], pipeline)
    label_items(app, dict(posts[:30]))
    _learn_job(app, pipeline)  # 30 labels: fewer than 40 new ones, nothing fitted
    assert learning.history(head_file(app)) == [] and pipeline.classifier is packaged
    label_items(app, dict(posts[30:]))
    _learn_job(app, pipeline)
    [run] = learning.history(head_file(app))
    assert run["switched"] and run["labels"] == len(posts)
    assert pipeline.classifier is app.classifier is not packaged
    _learn_job(app, pipeline)  # no new labels since: waits, records nothing
    assert len(learning.history(head_file(app))) == 1
    # An upgrade changed the encoder (the brand's head no longer fits it): learns at once.
    log = learning.log_path(head_file(app))
    log.write_text(log.read_text().replace(L.encoder_id(), "an older encoder"))
    _learn_job(app, pipeline)
    assert len(learning.history(head_file(app))) == 2
    # The next poll classifies with the learned head: a new ticket post is a question.
    write_feed(feed, [("ticket 77 for the derby on sunday shows the wrong seat", "")], 1000)
    app.poll_feed(settings.feeds[0], pipeline)
    with app.engine.connect() as conn:
        items = store_queue.list_items(conn, store_queue.QueueFilter(statuses=None),
                                       limit=10_000).items
    [new] = [i for i in items if i.mention.text.startswith("ticket 77 ")]
    assert new.classifier_label == "question"
    app.close()


def test_no_learn_job_when_learning_is_off(db_url: str, tmp_path: Path) -> None:
    from monitor.scheduler import build_scheduler

    for options in ({"learn_every": "0"}, {"learn_every": ""}, {"kind": "rules"}):
        app = App(brand_settings(db_url, tmp_path, **options), environ={})
        if options.get("kind") != "rules":
            app.__dict__["classifier"] = object()
        assert build_scheduler(app).get_job("learn") is None, options
        app.close()


def test_config_checks_the_learning_keys() -> None:
    from monitor import config
    from monitor.errors import ConfigError

    s = config.parse({"classifier": {"learn_every": "12h", "learn_min_new": 20}})
    assert s.classifier.learn_seconds() == 12 * 3600 and s.classifier.learn_min_new == 20
    assert config.parse({}).classifier.brand_head == "brand-head.npz"
    for bad, key in (({"learn_every": "soon"}, "classifier.learn_every"),
                     ({"learn_min_new": 0}, "classifier.learn_min_new")):
        with pytest.raises(ConfigError) as err:
            config.parse({"classifier": bad})
        assert err.value.key == key


# -- the CLI -----------------------------------------------------------------------------------


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            learner: WordLearner, *args: str) -> tuple[int, str, str]:
    import monitor.app
    from monitor.cli import main

    # Where the App builds its classifier (the CLI's `learn` opens an App).
    monkeypatch.setattr(monitor.app, "build_classifier", lambda settings: learner)
    monkeypatch.delenv("COMPLAINT_MONITOR_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def write_config(tmp_path: Path, db_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n\n[classifier]\nkind = "model"\n\n'
                    '[[feeds]]\nname = "import"\nkind = "jsonl"\npath = "posts.jsonl"\n',
                    encoding="utf-8")
    return path


def test_cli_learn(brand_app: App, packaged: WordLearner, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                   ) -> None:
    cfg = str(write_config(tmp_path, brand_app.settings.database.url))
    code, out, err = run_cli(monkeypatch, capsys, packaged, "--config", cfg, "learn")
    assert code == 2 and out == ""
    assert "error: only 0 reviewer labels so far" in err and "at least 50" in err
    label_items(brand_app, dict(brand_posts()))
    code, out, err = run_cli(monkeypatch, capsys, packaged, "--config", cfg, "learn",
                             "--dry-run", "--format", "json")
    shown = json.loads(out)
    assert code == 0 and shown["outcome"] == "dry_run" and shown["labels"] == 116
    assert shown["after"]["macro_f1"] > shown["before"]["macro_f1"]
    assert not (tmp_path / "brand-head.npz").exists()
    code, out, err = run_cli(monkeypatch, capsys, packaged, "--config", cfg, "learn")
    assert code == 0 and "switched to the brand's new head" in out
    assert (tmp_path / "brand-head.npz").is_file()
    # Learned again from the same labels, the brand's head is already as good: kept.
    code, out, err = run_cli(monkeypatch, capsys, packaged.with_head(
        H.load(tmp_path / "brand-head.npz")), "--config", cfg, "learn")
    assert code == 0 and "kept the current model: " in out
    assert [r["switched"] for r in learning.history(tmp_path / "brand-head.npz")] == [
        True, False]
    code, out, err = run_cli(monkeypatch, capsys, packaged, "--config", cfg, "learn",
                             "--min-labels", "500")
    assert code == 2 and "at least 500" in err


# -- the "model" classifier loads the brand's head -------------------------------------------


def test_the_model_kind_loads_the_brand_head_when_there_is_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, packaged: WordLearner) -> None:
    loaded: list[Path | None] = []

    def load_model(rules: object, head: Path | None = None, *, gate: bool = True) -> str:
        assert gate  # the everyday gate stays on with a brand's own head
        loaded.append(head)
        return "model"

    monkeypatch.setitem(sys.modules, "monitor.classify.tuned",
                        types.SimpleNamespace(load_model=load_model))
    settings = dataclasses.replace(demo_settings(str(tmp_path)),
                                   classifier=ClassifierSettings(kind="model"))
    build_classifier(settings)
    assert loaded[-1] is None  # no brand head yet: the packaged one
    brand = tmp_path / "brand-head.npz"
    packaged.head.save(brand, {"encoder": L.encoder_id()})
    build_classifier(settings)
    assert loaded[-1] == brand
    own = dataclasses.replace(settings, classifier=ClassifierSettings(
        kind="model", model_path="own-head.npz"))
    build_classifier(own)
    assert loaded[-1] == brand  # the brand's head before the configured one
    packaged.head.save(brand, {"encoder": "another encoder"})
    build_classifier(own)
    assert loaded[-1] == tmp_path / "own-head.npz"  # a head for another encoder is not used
    brand.write_bytes(b"not a head")
    build_classifier(settings)
    assert loaded[-1] is None
    off = dataclasses.replace(settings, classifier=ClassifierSettings(kind="model",
                                                                      brand_head=""))
    packaged.head.save(brand, {"encoder": L.encoder_id()})
    build_classifier(off)
    assert loaded[-1] is None


def _packaged_model_present() -> bool:
    from monitor.classify.encoder import HEAD_FILE, MODELS

    try:
        import monitor.classify.tuned  # noqa: F401
    except ImportError:
        return False
    return all((MODELS / f).is_file() for f in ("encoder.onnx", "tokenizer.json", HEAD_FILE))


@pytest.mark.skipif(not _packaged_model_present(), reason="the packaged model is not built")
def test_the_real_model_classifier_uses_a_learned_brand_head(tmp_path: Path) -> None:
    settings = dataclasses.replace(demo_settings(str(tmp_path)),
                                   classifier=ClassifierSettings(kind="model"))
    model = build_classifier(settings)
    assert isinstance(model, L.Learner)
    texts = [t for t, _ in brand_posts()]
    rows = [L.Example(t, lab) for t, lab in brand_posts()]
    # A sixth of the shipped posts beside the brand's labels, to keep the test short.
    result = L.compare(L.Vectors(model), model.head, L.shipped_examples()[::6], rows)
    result.head.save(tmp_path / "brand-head.npz", {"encoder": L.encoder_id()})
    brand = build_classifier(settings)
    assert isinstance(brand, L.Learner)
    assert np.array_equal(brand.head.weights, result.head.weights)
    assert sum(c.label == "question" for c in brand.classify_many(texts[:80])) >= 72
